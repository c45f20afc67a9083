"""Events across articles (grouping) and the GDELT, PLOVER, Parquet and CSV exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from helpers import SHARED
from realpolitik.cli import cli
from realpolitik.events import ontology
from realpolitik.export import GDELT_COLUMNS, export, split_actor_code
from realpolitik.records import Actor, Article, Event, Participant, Quote, Result, Span
from realpolitik.store import Store, group_event_mentions

SHARED_COLUMNS = SHARED / "reference/gdelt2_event_columns.txt"

ACTORS = {
    "KORGOV": Actor("a1", "Chung Min-ho", "person", "KORGOV", "KOR", "GOV", "foreign minister"),
    "USA": Actor("a2", "United States", "state", "USA", "USA"),
    "CHN": Actor("a3", "China", "state", "CHN", "CHN"),
    "IGOUNO": Actor("a4", "United Nations", "organization", "IGOUNO", None, "IGO"),
}


def _event(
    art: str, n: int, src: str | None, tgt: str | None, cameo: str, day: str, **kw: Any
) -> Event:
    code = ontology.get(cameo)
    text = kw.pop("text", f"Sentence {n} of {art}.")
    start = kw.pop("start", 100 * n)

    def part(c: str | None, fallback: str) -> Participant:
        actor = ACTORS.get(c or "")
        return Participant(
            actor.id if actor else None,
            c,
            actor.country if actor else None,
            actor.name if actor else fallback,
        )

    return Event(
        id=f"{art}:e{n}",
        source=part(src, "someone"),
        target=part(tgt, "them") if tgt else None,
        cameo=cameo,
        root=code.root,
        plover=code.plover,
        goldstein=code.goldstein,
        quad_class=code.quad_class,
        text=text,
        start=start,
        end=start + len(text),
        coder="test/1",
        rule="test",
        confidence=0.8,
        date=day,
        plover_mode=code.plover_mode or None,
        **kw,
    )


def _result(art: str, publisher: str | None, day: str, events: list[Event]) -> Result:
    text = f"Talks in Seoul\n\n{art}: the lead paragraph of this report.\n" + "x" * 2000
    return Result(
        article=Article(art, text, day, publisher, f"Title {art}"),
        actors=[
            Actor(a.id, a.name, a.kind, a.code, a.country, a.sector, a.role, [Span(a.name, 0, 3)])
            for a in ACTORS.values()
        ],
        events=events,
        quotes=[Quote(f"{art}:q1", "a1", "he", "we will talk", 5, 17, "direct", "said", ["a2"])],
    )


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "x.duckdb"
    with Store(path) as store:
        store.add(
            _result(
                "A",
                "Wire A",
                "2021-03-17",
                [
                    _event("A", 1, "KORGOV", "USA", "040", "2021-03-17", start=16),
                    _event("A", 2, "KORGOV", "USA", "040", "2021-03-17"),
                    _event("A", 3, "CHN", "USA", "111", "2021-03-17", negated=True),
                    _event("A", 4, None, "USA", "040", "2021-03-17"),
                ],
            )
        )
        store.add(
            _result(
                "B", "Paper B", "2021-03-18", [_event("B", 1, "KORGOV", "USA", "040", "2021-03-18")]
            )
        )
        store.add(
            _result(
                "C", "Wire A", "2021-03-20", [_event("C", 1, "KORGOV", "USA", "040", "2021-03-20")]
            )
        )
        store.add(
            _result(
                "D",
                None,
                "2021-03-18",
                [
                    _event("D", 1, "USA", "KORGOV", "0331", "2021-03-18"),
                    _event("D", 2, "IGOUNO", None, "010", "2021-03-18"),
                ],
            )
        )
    return path


def _groups(db: Path, window: int) -> list[dict[str, Any]]:
    with Store(db, read_only=True) as store:
        return store.event_groups(window)


def _group_of(groups: list[dict[str, Any]], event_id: str) -> dict[str, Any]:
    return next(g for g in groups if event_id in [m["id"] for m in g["members"]])


def test_reports_of_one_event_within_the_window_are_one_event(db: Path) -> None:
    groups = _groups(db, 1)
    meet = _group_of(groups, "A:e1")
    assert [m["id"] for m in meet["members"]] == ["A:e1", "A:e2", "B:e1"]
    assert (meet["num_mentions"], meet["num_articles"], meet["num_sources"]) == (3, 2, 2)
    assert (meet["date"], meet["last_date"]) == ("2021-03-17", "2021-03-18")
    # Three days after the first report is another event; so is an uncoded source.
    assert _group_of(groups, "C:e1")["num_mentions"] == 1
    assert _group_of(groups, "A:e4")["num_mentions"] == 1
    assert sum(g["num_mentions"] for g in groups) == 8  # every mention in exactly one group


def test_a_wider_window_merges_later_reports(db: Path) -> None:
    meet = _group_of(_groups(db, 3), "A:e1")
    assert (meet["num_mentions"], meet["num_articles"], meet["num_sources"]) == (4, 3, 2)
    assert _group_of(_groups(db, 0), "A:e1")["num_mentions"] == 2  # same day only


def test_grouping_rules_on_plain_rows() -> None:
    def row(i: int, day: str | None, **kw: Any) -> dict[str, Any]:
        base = {
            "id": f"e{i}",
            "article_id": f"a{i}",
            "start": 0,
            "date": day,
            "source_code": "RUS",
            "target_code": "UKR",
            "has_target": True,
            "cameo": "190",
            "negated": False,
            "publisher": None,
        }
        return {**base, **kw}

    rows = [
        row(1, "2022-02-24"),
        row(2, "2022-02-25"),
        row(3, "2022-02-26"),  # two days after the group's first date: a new event
        row(4, "2022-02-24", negated=True),
        row(5, None),
        row(6, None),
        row(7, "2022-02-24", has_target=False, target_code=None),
    ]
    groups = group_event_mentions(rows, window=1)
    assert sorted([m["id"] for m in g["members"]] for g in groups) == [
        ["e1", "e2"],
        ["e3"],
        ["e4"],
        ["e5"],
        ["e6"],
        ["e7"],
    ]
    # No publisher: each article counts as its own source.
    assert _group_of(groups, "e1")["num_sources"] == 2
    with pytest.raises(Exception, match="negative"):
        group_event_mentions(rows, window=-1)


def test_dedup_command_saves_groups_and_members(db: Path) -> None:
    res = CliRunner().invoke(cli, ["dedup", "--db", str(db), "--window", "1"])
    assert res.exit_code == 0, res.output
    assert "8 event mentions -> 6 events" in res.output
    with Store(db, read_only=True) as store:
        saved = store.saved_event_groups()
        members = store.con.execute("SELECT count(*) FROM event_group_members").fetchone()
    assert len(saved) == 6 and members == (8,)
    meet = next(g for g in saved if g["first_event_id"] == "A:e1")
    assert (meet["num_mentions"], meet["num_sources"], meet["window_days"]) == (3, 2, 1)


def test_gdelt_export_has_61_columns_in_order_and_no_header(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    assert export(db, "gdelt", out) == {"events.tsv": 5}  # the negated report is no event
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(len(r) == 61 for r in rows)
    assert all(r[0].isdigit() for r in rows)  # no header line
    col = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    meet = next(r for r in rows if r[col["NumMentions"]] == "3")
    assert meet[col["SQLDATE"]] == "20210317" and meet[col["MonthYear"]] == "202103"
    assert meet[col["FractionDate"]] == f"{2021 + (3 * 30 + 17) / 365:.4f}"
    assert (meet[col["Actor1Code"]], meet[col["Actor1CountryCode"]]) == ("KORGOV", "KOR")
    assert (meet[col["Actor1Type1Code"]], meet[col["Actor1Name"]]) == ("GOV", "CHUNG MIN-HO")
    assert (meet[col["Actor2Code"]], meet[col["Actor2CountryCode"]]) == ("USA", "USA")
    assert (meet[col["EventCode"]], meet[col["EventBaseCode"]], meet[col["EventRootCode"]]) == (
        "040",
        "040",
        "04",
    )
    assert (meet[col["NumSources"]], meet[col["NumArticles"]]) == ("2", "2")
    assert meet[col["IsRootEvent"]] == "1" and meet[col["SOURCEURL"]] == "A"
    assert len(meet[col["DATEADDED"]]) == 14
    un = next(r for r in rows if r[col["Actor1Code"]] == "IGOUNO")
    assert (un[col["Actor1KnownGroupCode"]], un[col["Actor1Type1Code"]]) == ("UNO", "IGO")
    assert un[col["Actor2Code"]] == "" and un[col["IsRootEvent"]] == "0"


@pytest.mark.skipif(not SHARED_COLUMNS.exists(), reason="shared reference data not present")
def test_gdelt_columns_match_the_reference_list() -> None:
    names = [
        line.split("\t")[1].strip()
        for line in SHARED_COLUMNS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert tuple(names) == GDELT_COLUMNS


def test_actor_codes_split_into_gdelt_fields() -> None:
    assert split_actor_code("KORGOVMIL", "KOR", "GOV") == ("KOR", "", ["GOV", "MIL", ""])
    assert split_actor_code("CHN", None, None) == ("CHN", "", ["", "", ""])
    assert split_actor_code("NGOHRW", None, "NGO") == ("", "HRW", ["NGO", "", ""])
    assert split_actor_code(None, "FRA", "BUS") == ("FRA", "", ["BUS", "", ""])


def test_plover_export_lists_actors_recipients_and_mentions(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "plover.jsonl"
    export(db, "plover", out)
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # CAMEO 01x statements have no PLOVER type; negated reports are no events.
    assert all(e["event_type"] for e in events) and len(events) == 4
    meet = next(e for e in events if e["num_mentions"] == 3)
    assert meet["event_type"] == ontology.get("040").plover and meet["event_date"] == "2021-03-17"
    assert [a["code"] for a in meet["actor"]] == ["KORGOV"]
    assert meet["actor"][0]["title"] == "foreign minister"
    assert [a["code"] for a in meet["recipient"]] == ["USA"]
    assert [m["article_id"] for m in meet["mentions"]] == ["A", "A", "B"]
    assert meet["mentions"][0]["text"].startswith("Sentence 1")
    aid = next(e for e in events if e["cameo"] == "0331")
    assert aid["event_context"] == ["economic"] and aid["quad_code"] == 1
    as_array = tmp_path / "plover.json"
    export(db, "plover", as_array)
    assert json.loads(as_array.read_text(encoding="utf-8")) == events


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_tables_export_one_file_per_table(db: Path, tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / fmt
    written = export(db, fmt, folder)  # type: ignore[arg-type]
    assert written[f"events.{fmt}"] == 8 and written[f"quotes.{fmt}"] == 4
    assert written[f"actors.{fmt}"] == 16 and written[f"event_groups.{fmt}"] == 6
    assert written[f"event_group_members.{fmt}"] == 8
    if fmt == "parquet":
        events = pq.read_table(folder / "events.parquet").to_pylist()
        assert {e["id"] for e in events} >= {"A:e1", "D:e2"}
        quotes = pq.read_table(folder / "quotes.parquet").to_pylist()
        assert quotes[0]["about"] == ["a2"]
    else:
        with (folder / "quotes.csv").open(encoding="utf-8") as fh:
            quotes = list(csv.DictReader(fh))
        assert json.loads(quotes[0]["about"]) == ["a2"]
        with (folder / "event_groups.csv").open(encoding="utf-8") as fh:
            groups = list(csv.DictReader(fh))
        assert sorted(int(g["num_mentions"]) for g in groups) == [1, 1, 1, 1, 1, 3]


def test_export_command_writes_gdelt(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.tsv"
    res = CliRunner().invoke(
        cli, ["export", "--db", str(db), "--format", "gdelt", "--out", str(out), "--window", "3"]
    )
    assert res.exit_code == 0, res.output
    assert "4 rows -> g.tsv" in res.output  # with 3 days, the later report joins the first
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
