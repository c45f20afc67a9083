from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realpolitik.errors import StoreError
from realpolitik.records import (
    Actor,
    Article,
    Event,
    Participant,
    Place,
    Quote,
    Relation,
    Result,
    Span,
    StageError,
)
from realpolitik.store import Store

text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
opt = st.none() | text
dates = st.dates(min_value=date(1979, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat)
spans = st.builds(Span, text, st.integers(0, 10_000), st.integers(0, 10_000))
participants = st.builds(Participant, opt, opt, opt, text)
places = st.builds(
    Place, text, opt, st.none() | st.floats(-90, 90), st.none() | st.floats(-180, 180)
)


@st.composite
def results(draw: st.DrawFn) -> Result:
    art_id = draw(st.text("abcdefgh0123456789", min_size=1, max_size=8))
    article = Article(
        id=art_id,
        text=draw(text) + art_id,
        date=draw(st.none() | dates),
        source=draw(opt),
        title=draw(opt),
    )
    actors = [
        Actor(
            id=f"a{i + 1}",
            name=draw(text),
            kind=draw(st.sampled_from(["state", "organization", "person", "group"])),
            code=draw(opt),
            country=draw(opt),
            sector=draw(opt),
            role=draw(opt),
            mentions=sorted(draw(st.lists(spans, max_size=3)), key=lambda s: (s.start, s.end)),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    events = [
        Event(
            id=f"{art_id}:e{i + 1}",
            source=draw(participants),
            target=draw(st.none() | participants),
            cameo=draw(st.sampled_from(["042", "111"])),
            root=draw(st.sampled_from(["04", "11"])),
            plover=draw(text),
            goldstein=draw(st.floats(-10, 10)),
            quad_class=draw(st.integers(1, 4)),
            text=draw(text),
            start=draw(st.integers(0, 99)),
            end=draw(st.integers(0, 99)),
            coder=draw(text),
            rule=draw(text),
            confidence=draw(st.floats(0, 1)),
            date=draw(st.none() | dates),
            date_precision=draw(st.sampled_from(["day", "week", "month", "year", "article"])),
            place=draw(st.none() | places),
            negated=draw(st.booleans()),
            modality=draw(st.sampled_from(["asserted", "future", "reported"])),
            plover_mode=draw(opt),
            trigger=draw(st.none() | spans),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    # events of one article are read back in date/position order: give them increasing keys
    for i, e in enumerate(events):
        e.start = i
        if e.date is not None:
            e.date = (date(2000, 1, 1) + timedelta(days=i)).isoformat()
    quotes = [
        Quote(
            id=f"{art_id}:q{i + 1}",
            speaker=draw(opt),
            speaker_text=draw(text),
            text=draw(text),
            start=i,
            end=i + 1,
            kind=draw(st.sampled_from(["direct", "indirect", "mixed"])),
            cue=draw(text),
            about=draw(st.lists(text, max_size=2)),
            component=draw(text),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    errors = [StageError(draw(text), draw(text)) for _ in range(draw(st.integers(0, 1)))]
    relations = [
        Relation(
            id=f"{art_id}:r{i + 1}",
            kind=draw(st.sampled_from(["alliance", "rivalry"])),
            a=draw(text),
            b=draw(text),
            text=draw(text),
            start=i,
            end=i + 2,
            negated=draw(st.booleans()),
            component=draw(text),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    return Result(article, actors, events, quotes, relations, errors)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(result=results())
def test_round_trip(tmp_path: Path, result: Result) -> None:
    db = tmp_path / f"rt-{abs(hash(result.article.id))}.duckdb"
    db.unlink(missing_ok=True)
    with Store(db) as store:
        assert store.add(result)
        assert not store.add(result)  # same content: nothing added
        back = store.result(result.article.id)
    assert back.to_dict() == result.to_dict()


def _result(art_id: str, body: str) -> Result:
    return Result(Article(id=art_id, text=body, date="2021-03-19"))


def test_reingest_adds_nothing_and_id_clash_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add(_result("a", "one"))
        assert not store.add(_result("other-id", "one"))
        with pytest.raises(StoreError, match="already stored with different text"):
            store.add(_result("a", "two"))
        assert store.counts()["articles"] == 1


def test_read_only_store_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="realpolitik ingest"):
        Store(tmp_path / "nope.duckdb", read_only=True)


def test_filters_are_parameters_not_sql(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.add(_result("a", "one"))
        assert store.events(actor="x' OR 1=1 --") == []
        assert store.actors(name="%' OR '1'='1") == []


def test_actor_filter_matches_codes_and_names_exactly_as_the_web_api(tmp_path: Path) -> None:
    def event(n: int, code: str, name: str) -> Event:
        return Event(
            id=f"b:e{n}",
            source=Participant(f"a{n}", code, code, name),
            target=None,
            cameo="111",
            root="11",
            plover="ACCUSE",
            goldstein=-2.0,
            quad_class=3,
            text="x",
            start=0,
            end=1,
            coder="t",
            rule="t",
            confidence=1.0,
        )

    actors = [
        Actor(id="a1", name="Belarus", kind="state", code="BLR", country="BLR"),
        Actor(id="a2", name="Russia", kind="state", code="RUS", country="RUS"),
    ]
    result = Result(
        Article(id="b", text="Belarus and Russia", date="2021-03-19"),
        actors=actors,
        events=[event(1, "BLR", "Belarus"), event(2, "RUS", "Russia")],
    )
    with Store(tmp_path / "s.duckdb") as store:
        store.add(result)
        assert [e["source_code"] for e in store.events(actor="RUS")] == ["RUS"]  # not Belarus
        assert [e["source_code"] for e in store.events(actor="rus")] == ["RUS"]
        assert [e["source_code"] for e in store.events(actor="belarus")] == ["BLR"]
        assert store.events(actor="Bela") == []  # a name matches whole, not as a substring


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(results(), min_size=1, max_size=5, unique_by=lambda r: r.article.id))
def test_streamed_analysis_results_equal_the_loaded_ones(
    tmp_path_factory: pytest.TempPathFactory, batch: list[Result]
) -> None:
    from realpolitik.store import analysis_results, iter_analysis_results

    path = tmp_path_factory.mktemp("stream") / "s.duckdb"
    with Store(path) as store:
        for result in batch:
            store.add(result)
        expected = analysis_results(store)
        assert list(iter_analysis_results(store, chunk=2)) == expected
        assert list(iter_analysis_results(store)) == expected


def test_serving_tables_are_current_until_the_store_changes(tmp_path: Path) -> None:
    from realpolitik.store import prepare_serving, serving_ready

    with Store(tmp_path / "s.duckdb") as store:
        store.add(_result("one", "First text."))
        assert not serving_ready(store)
        assert prepare_serving(store)
        assert serving_ready(store)
        assert not prepare_serving(store)  # nothing to do
        store.add(_result("two", "Second text."))
        assert not serving_ready(store)
        assert prepare_serving(store)
        counts = store.con.execute("SELECT id, chars FROM rp_article_counts ORDER BY id")
        assert counts.fetchall() == [("one", len("First text.")), ("two", len("Second text."))]
