"""The one query API: the CLI and the web API give the same answer to the same question.

A real DuckDB store of hand-built results, the real CLI (click's runner) and the real app (its
test client); each question is asked of a live store and of a copy with its serving tables.
"""

from __future__ import annotations

import json
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

with warnings.catch_warnings():  # starlette asks for httpx2; httpx 0.28 works all the same
    warnings.filterwarnings("ignore", message=".*httpx2")
    from fastapi.testclient import TestClient

from realpolitik.cli import cli
from realpolitik.records import Actor, Article, Event, Participant, Quote, Result, Span
from realpolitik.store import EVENT_COLUMNS, Store, query, serving_ready
from realpolitik.web import create_app
from realpolitik.web.app import prepare_store

SENTENCES = [
    "Russia warned Belarus.",
    "Belarus thanked the United Nations.",
    "Sergei Lavrov criticised the United Nations.",
    "The United Nations urged Russia to talk.",
]
TEXT = " ".join(SENTENCES)


def _sentence(n: int) -> Span:
    start = TEXT.index(SENTENCES[n])
    return Span(SENTENCES[n], start, start + len(SENTENCES[n]))


def _event(n: int, source: Participant, target: Participant, cameo: str, quad: int) -> Event:
    s = _sentence(n)
    return Event(
        id=f"ru:e{n + 1}",
        source=source,
        target=target,
        cameo=cameo,
        root=cameo[:2],
        plover="",
        goldstein=-2.0 if quad > 2 else 2.0,
        quad_class=quad,
        text=s.text,
        start=s.start,
        end=s.end,
        coder="test/0",
        rule="hand",
        confidence=1.0,
        date="2022-05-0" + str(n + 1),
    )


def _result() -> Result:
    """Russia, Belarus (whose name contains "rus"), a Russian minister, and the UN (no country)."""

    def span(word: str) -> list[Span]:
        return [Span(word, TEXT.index(word), TEXT.index(word) + len(word))]

    rus = Participant("a1", "RUS", "RUS", "Russia")
    blr = Participant("a2", "BLR", "BLR", "Belarus")
    lavrov = Participant("a3", "RUSGOV", "RUS", "Sergei Lavrov")
    un = Participant("a4", "IGOUNO", None, "the United Nations")
    return Result(
        article=Article("ru", TEXT, date="2022-05-01", source="Wire", title="Talks"),
        actors=[
            Actor("a1", "Russia", "state", "RUS", "RUS", mentions=span("Russia")),
            Actor("a2", "Belarus", "state", "BLR", "BLR", mentions=span("Belarus")),
            Actor(
                "a3",
                "Sergei Lavrov",
                "person",
                "RUSGOV",
                "RUS",
                "GOV",
                "foreign minister",
                span("Sergei Lavrov"),
            ),
            Actor("a4", "United Nations", "organization", "IGOUNO", None, "IGO", None, []),
        ],
        events=[
            _event(0, rus, blr, "130", 3),
            _event(1, blr, un, "051", 1),
            _event(2, lavrov, un, "111", 3),
            _event(3, un, rus, "040", 1),
        ],
        quotes=[
            Quote(
                id="ru:q1",
                speaker="a3",
                speaker_text="Sergei Lavrov",
                text="criticised the United Nations",
                start=TEXT.index("criticised"),
                end=TEXT.index("criticised") + len("criticised the United Nations"),
                kind="indirect",
                cue="criticised",
                about=["a4"],
            )
        ],
    )


@pytest.fixture(scope="module", params=["live", "serving"])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("query") / "live.duckdb"
    with Store(path) as store:
        assert store.add(_result())
    if request.param == "serving":
        copy = path.with_name("serving.duckdb")
        shutil.copy(path, copy)
        assert prepare_store(copy)
        return copy
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as c:
        yield c


def _cli_rows(*args: str) -> list[dict[str, object]]:
    res = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows: list[dict[str, object]] = json.loads(res.output)
    return rows


def test_the_fixture_store_reads_the_tables_it_should(db: Path, client: TestClient) -> None:
    with Store(db, read_only=True) as store:
        assert serving_ready(store) == (db.stem == "serving")
    assert client.app.state.fast == (db.stem == "serving")  # type: ignore[attr-defined]


@pytest.mark.parametrize("level", ["actor", "country"])
@pytest.mark.parametrize(
    "actor", ["RUS", "rus", "Russia", "BLR", "belarus", "Bela", "Sergei Lavrov", "RUSGOV", "igouno"]
)
def test_cli_events_and_api_events_select_the_same_events(
    db: Path, client: TestClient, actor: str, level: str
) -> None:
    cli_ids = [
        r["id"] for r in _cli_rows("events", "--db", str(db), "--actor", actor, "--level", level)
    ]
    body = client.get("/api/events", params={"actor": actor, "level": level, "limit": 200}).json()
    assert cli_ids == [r["id"] for r in body["items"]]
    assert body["total"] == len(cli_ids)


def test_an_actor_code_is_matched_whole(db: Path, client: TestClient) -> None:
    """RUS never selects Belarus (whose name holds "rus"); a part of a name selects nothing."""
    rows = _cli_rows("events", "--db", str(db), "--actor", "RUS")
    assert rows, "Russia's events are found"
    for row in rows:
        assert "RUS" in (row["source_code"], row["target_code"])
    assert _cli_rows("events", "--db", str(db), "--actor", "Bela") == []
    # at country level the minister counts for Russia too
    by_country = _cli_rows("events", "--db", str(db), "--actor", "RUS", "--level", "country")
    assert {r["source_code"] for r in by_country} - {r["source_code"] for r in rows} == {"RUSGOV"}


@pytest.mark.parametrize("speaker", ["Sergei Lavrov", "rusgov", "sergei", "RUS"])
def test_cli_quotes_and_api_quotes_select_the_same_quotations(
    db: Path, client: TestClient, speaker: str
) -> None:
    cli_ids = [r["id"] for r in _cli_rows("quotes", "--db", str(db), "--speaker", speaker)]
    body = client.get("/api/quotes", params={"speaker": speaker}).json()
    assert cli_ids == [r["id"] for r in body["items"]]


def test_actor_names_are_matched_as_text_not_as_like_patterns(db: Path) -> None:
    names = [r["name"] for r in _cli_rows("actors", "--db", str(db), "--name", "RUS")]
    assert names == ["Russia", "Belarus"]  # a name filter is a part of the name, any case
    assert [r["name"] for r in _cli_rows("actors", "--db", str(db), "--name", "larus")] == [
        "Belarus"
    ]
    assert _cli_rows("actors", "--db", str(db), "--name", "%") == []
    assert _cli_rows("actors", "--db", str(db), "--name", "_") == []
    assert [r["id"] for r in _cli_rows("actors", "--db", str(db), "--actor", "rus")] == ["a1"]


@pytest.mark.parametrize(
    "filters",
    [{}, {"actor": "rus"}, {"actor": "RUS", "level": "country"}, {"country": "blr"}, {"root": "4"}],
)
def test_event_rows_are_the_same_from_the_serving_tables(
    tmp_path: Path, filters: dict[str, str]
) -> None:
    """The CLI's rows (the events table's columns) read live and from ``rp_events``."""
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        store.add(_result())
    assert prepare_store(db)
    with Store(db, read_only=True) as store:
        live = query.events(store, serving=False, **filters)
        served = query.events(store, serving=True, **filters)
        _, page = query.search_events(store, serving=False, limit=None, **filters)
    assert live == served
    assert [r["id"] for r in live] == [r["id"] for r in page]
    assert live and all(set(r) == set(EVENT_COLUMNS) for r in live)
