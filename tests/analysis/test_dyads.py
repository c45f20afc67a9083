"""Dyad timelines from hand-built results: every expected figure below is worked out from the
events as constructed, and the store's SQL must agree with the in-memory computation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from realpolitik.analysis.dyads import (
    COLUMNS,
    dyads_from_results,
    dyads_from_store,
    period_start,
)
from realpolitik.cli import cli
from realpolitik.records import Actor, Article, Event, Participant, Result
from realpolitik.store import Store

ACTORS = [
    Actor("a1", "United States", "state", code="USA", country="USA"),
    Actor("a2", "China", "state", code="CHN", country="CHN"),
    Actor("a3", "Antony Blinken", "person", code="USAGOV", country="USA", sector="GOV"),
    Actor("a4", "United Nations", "organization", code="IGOUNO"),
    Actor("a5", "Nobody Known", "person"),
]
BY_ID = {a.id: a for a in ACTORS}


def who(actor_id: str) -> Participant:
    a = BY_ID[actor_id]
    return Participant(actor=a.id, code=a.code, country=a.country, text=a.name)


def event(
    n: int,
    src: str,
    tgt: str | None,
    goldstein: float,
    quad: int,
    date: str | None,
    *,
    article: str = "one",
    negated: bool = False,
    modality: str = "asserted",
) -> Event:
    return Event(
        id=f"{article}:e{n}",
        source=who(src),
        target=who(tgt) if tgt else None,
        cameo="010",
        root="01",
        plover="",
        goldstein=goldstein,
        quad_class=quad,
        text="...",
        start=n,
        end=n + 1,
        coder="test",
        rule="test",
        confidence=1.0,
        date=date,
        negated=negated,
        modality=modality,  # type: ignore[arg-type]
    )


def corpus() -> list[Result]:
    one = Result(
        Article("one", "first article text", date="2024-01-10"),
        actors=list(ACTORS),
        events=[
            event(1, "a1", "a2", -2.0, 3, "2024-01-10"),
            event(2, "a3", "a2", -4.0, 3, "2024-01-11"),  # a person: counts for the USA
            event(3, "a2", "a1", 3.5, 1, "2024-01-15"),  # next week, same month
            event(4, "a1", "a2", 6.0, 2, "2024-01-12", negated=True),  # did not happen
            event(5, "a1", "a2", -10.0, 4, "2024-01-12", modality="hypothetical"),
            event(6, "a3", "a1", 1.0, 1, "2024-01-12"),  # the USA on itself
            event(7, "a1", "a4", 1.0, 1, None),  # dated by its article
            event(8, "a5", "a2", -1.0, 3, "2024-01-12"),  # a person without a country
            event(9, "a1", "a2", -5.0, 4, "2024-02-03", modality="reported"),
            event(10, "a1", None, 2.0, 1, "2024-01-12"),  # no target
        ],
    )
    two = Result(
        Article("two", "second article text", date=None),
        actors=list(ACTORS),
        events=[event(1, "a2", "a1", 1.0, 1, None, article="two")],
    )
    return [one, two]


def row(period, source, target, q=(0, 0, 0, 0), total=0.0):
    events = sum(q)
    return {
        "period": period,
        "source": source,
        "target": target,
        "events": events,
        "quad1": q[0],
        "quad2": q[1],
        "quad3": q[2],
        "quad4": q[3],
        "goldstein_sum": total,
        "goldstein_mean": total / events,
    }


MONTH_COUNTRY = [
    row("2024-01-01", "CHN", "USA", (1, 0, 0, 0), 3.5),
    row("2024-01-01", "USA", "CHN", (0, 0, 2, 0), -6.0),
    row("2024-01-01", "USA", "IGOUNO", (1, 0, 0, 0), 1.0),
    row("2024-02-01", "USA", "CHN", (0, 0, 0, 1), -5.0),
    row(None, "CHN", "USA", (1, 0, 0, 0), 1.0),
]
WEEK_COUNTRY = [
    row("2024-01-08", "USA", "CHN", (0, 0, 2, 0), -6.0),
    row("2024-01-08", "USA", "IGOUNO", (1, 0, 0, 0), 1.0),
    row("2024-01-15", "CHN", "USA", (1, 0, 0, 0), 3.5),
    row("2024-01-29", "USA", "CHN", (0, 0, 0, 1), -5.0),
    row(None, "CHN", "USA", (1, 0, 0, 0), 1.0),
]
MONTH_ACTOR = [
    row("2024-01-01", "Antony Blinken", "China", (0, 0, 1, 0), -4.0),
    row("2024-01-01", "Antony Blinken", "United States", (1, 0, 0, 0), 1.0),
    row("2024-01-01", "China", "United States", (1, 0, 0, 0), 3.5),
    row("2024-01-01", "Nobody Known", "China", (0, 0, 1, 0), -1.0),
    row("2024-01-01", "United States", "China", (0, 0, 1, 0), -2.0),
    row("2024-01-01", "United States", "United Nations", (1, 0, 0, 0), 1.0),
    row("2024-02-01", "United States", "China", (0, 0, 0, 1), -5.0),
    row(None, "China", "United States", (1, 0, 0, 0), 1.0),
]


@pytest.mark.parametrize(
    ("by", "level", "expected"),
    [
        ("month", "country", MONTH_COUNTRY),
        ("week", "country", WEEK_COUNTRY),
        ("month", "actor", MONTH_ACTOR),
    ],
)
def test_dyads_from_results(by, level, expected):
    assert dyads_from_results(corpus(), by=by, level=level) == expected


def rounded(rows: list[dict]) -> list[dict]:
    return [{k: round(v, 9) if isinstance(v, float) else v for k, v in r.items()} for r in rows]


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    db = tmp_path / "dyads.duckdb"
    with Store(db) as s:
        for result in corpus():
            assert s.add(result)
    return db


@pytest.mark.parametrize("by", ["day", "week", "month"])
@pytest.mark.parametrize("level", ["country", "actor"])
def test_store_sql_agrees_with_results(store: Path, by: str, level: str):
    with Store(store, read_only=True) as s:
        got = dyads_from_store(s, by=by, level=level)
    assert rounded(got) == rounded(dyads_from_results(corpus(), by=by, level=level))


def test_day_periods():
    rows = dyads_from_results(corpus(), by="day", level="country")
    usa_chn = {
        r["period"]: r["goldstein_sum"]
        for r in rows
        if (r["source"], r["target"]) == ("USA", "CHN")
    }
    assert usa_chn == {"2024-01-10": -2.0, "2024-01-11": -4.0, "2024-02-03": -5.0}


def test_period_start():
    assert period_start("2024-02-29", "week") == "2024-02-26"
    assert period_start("2024-02-29", "month") == "2024-02-01"
    assert period_start("2024-02-29", "day") == "2024-02-29"
    assert period_start(None, "month") is None


def test_unknown_options_are_refused():
    with pytest.raises(ValueError, match="by must be"):
        dyads_from_results([], by="year")
    with pytest.raises(ValueError, match="level must be"):
        dyads_from_results([], level="planet")


def test_cli_dyads_json_and_plot(store: Path, tmp_path: Path):
    png = tmp_path / "timelines.png"
    out = CliRunner().invoke(
        cli, ["dyads", "--db", str(store), "--by", "week", "--format", "json", "--plot", str(png)]
    )
    assert out.exit_code == 0, out.output
    assert rounded(json.loads(out.stdout)) == rounded(WEEK_COUNTRY)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_dyads_csv(store: Path):
    out = CliRunner().invoke(
        cli, ["dyads", "--db", str(store), "--level", "actor", "--format", "csv"]
    )
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert "2024-01-01,Antony Blinken,China,1,0,0,1,0,-4.0,-4.0" in lines
