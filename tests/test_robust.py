"""Issue 19, input side: a bad record never costs the others, and nothing hangs."""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

import realpolitik
from realpolitik.batch.ingest import ingest_paths
from realpolitik.batch.local import code_on_pool, code_stream
from realpolitik.batch.work import Failure
from realpolitik.cli import cli
from realpolitik.errors import BinaryInput, InputError, TimeBudgetExceeded, WrongType
from realpolitik.guards import (
    RUN_LIMIT,
    break_punctuation_runs,
    paragraph_chunks,
    time_limit,
)
from realpolitik.ingest import read_articles
from realpolitik.nlp import add_components, load_nlp
from realpolitik.records import Article, Result
from realpolitik.store import Store

GOOD = "Japan criticized China over military exercises near Taiwan."


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    add_components(nlp)
    path = tmp_path_factory.mktemp("models") / "tiny"
    nlp.to_disk(path)
    return str(path)


def _spans_inside(result: Result) -> None:
    text = result.article.text
    spans = [(e.start, e.end, e.text) for e in result.events]
    spans += [(q.start, q.end, q.text) for q in result.quotes]
    spans += [(r.start, r.end, r.text) for r in result.relations]
    spans += [(m.start, m.end, m.text) for a in result.actors for m in a.mentions]
    for start, end, surface in spans:
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == surface


# -- sanitising at the one entry point -------------------------------------------------------


def test_article_sanitises_in_place_and_reports() -> None:
    raw = "Japan\ud800 met\x00China.\x85\udfff"
    article = Article("a", raw)
    assert len(article.text) == len(raw)
    article.text.encode("utf-8")  # no unencodable code point is left
    assert article.text[5] == "\ufffd" and article.text[10] == " "
    assert any("offset 5" in note for note in article.repairs)
    assert any("offset 10" in note for note in article.repairs)
    assert Article("b", "Japan met China.").repairs == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: realpolitik.code(123), "text"),  # type: ignore[arg-type]
        (lambda: realpolitik.code(GOOD, date=20210101), "date"),  # type: ignore[arg-type]
        (lambda: realpolitik.code(GOOD, hints="USA"), "hints"),  # type: ignore[arg-type]
        (lambda: realpolitik.code(GOOD, source=5), "source"),  # type: ignore[arg-type]
        (lambda: Article(7, GOOD), "id"),  # type: ignore[arg-type]
    ],
)
def test_wrong_types_are_input_errors_naming_the_field(call: object, field: str) -> None:
    with pytest.raises(WrongType) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, InputError)
    assert field in str(info.value) and "Hint:" in str(info.value)


@pytest.mark.model
def test_code_reports_repairs_and_keeps_offsets() -> None:
    text = f"{GOOD}\ud83d Russia\x00 warned NATO on Monday."
    result = realpolitik.code(text)
    assert len(result.article.text) == len(text)
    assert [e.stage for e in result.errors].count("input") == 2
    assert result.events
    _spans_inside(result)


# -- long texts and long runs of marks -------------------------------------------------------


@given(
    st.lists(st.text(alphabet=st.sampled_from("ab .\n"), min_size=0, max_size=60), max_size=30).map(
        "".join
    ),
    st.integers(min_value=5, max_value=80),
)
def test_paragraph_chunks_cover_the_text_within_the_limit(text: str, limit: int) -> None:
    chunks = paragraph_chunks(text, limit)
    assert "".join(c for _o, c in chunks) == text
    assert all(len(c) <= limit for _o, c in chunks)
    assert all(text[o : o + len(c)] == c for o, c in chunks)


def test_chunks_end_at_blank_lines_when_there_are_some() -> None:
    para = "Japan met China. " * 5 + "\n\n"
    chunks = paragraph_chunks(para * 10, len(para) * 3 + 5)
    assert all(c.endswith("\n\n") for _o, c in chunks)


@pytest.mark.model
def test_text_over_max_length_is_coded_in_chunks_with_offsets_kept() -> None:
    nlp = load_nlp()
    para = GOOD + " The United States and South Korea held talks in Seoul.\n\n"
    text = para * 12
    saved = nlp.max_length
    nlp.max_length = len(para) * 3 + 10
    try:
        result = realpolitik.code(text, nlp=nlp)
        chunks = paragraph_chunks(text, nlp.max_length)
        alone = [(off, realpolitik.code(chunk, nlp=nlp)) for off, chunk in chunks]
    finally:
        nlp.max_length = saved
    assert len(chunks) > 1 and result.events
    expected = [(e.start + off, e.end + off, e.cameo) for off, r in alone for e in r.events]
    assert [(e.start, e.end, e.cameo) for e in result.events] == expected
    assert any("chunks" in e.message for e in result.errors)
    _spans_inside(result)
    ids = [a.id for a in result.actors]
    assert len(ids) == len(set(ids))
    assert {e.source.actor for e in result.events} <= set(ids)


def _tokenize_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        nlp = spacy.blank("en")  # a fresh tokenizer cache each time
        started = time.perf_counter()
        nlp.make_doc(break_punctuation_runs(text))
        best = min(best, time.perf_counter() - started)
    return best


def test_punctuation_runs_tokenise_about_as_fast_as_words() -> None:
    n = 8000
    marks = _tokenize_seconds("(" * n + ")" * n)
    words = _tokenize_seconds("ab " * (2 * n // 3))  # as long, a token per 3 characters
    # a raw run of 16k marks takes minutes (quadratic suffix search); guarded, a few words' time
    assert marks < 50 * max(words, 1e-3)


@given(st.text(alphabet=st.sampled_from("(){}[]\"'“”«»!?.-*#a \n"), max_size=400))
def test_breaking_runs_keeps_length_and_other_characters(text: str) -> None:
    out = break_punctuation_runs(text)
    assert len(out) == len(text)
    assert all(a == b or b == " " for a, b in zip(text, out, strict=True))
    assert all(len(run) <= RUN_LIMIT for run in re.findall(r"[^\w\s]+", out))


# -- a bad record never costs the others -----------------------------------------------------


def _bad_corpus(root: Path) -> Path:
    """One folder holding the reproducers of issue 19 next to good articles."""
    folder = root / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    os.mkdir(os.path.join(os.fsencode(folder), b"caf\xe9.txt"))  # undecodable, a dir
    with open(os.path.join(os.fsencode(folder), b"na\xefve.txt"), "w") as fh:
        fh.write("Russia warned NATO about troops.")
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    (folder / "x.txt").mkdir()
    os.mkfifo(folder / "pipe.txt")
    lines = [json.dumps({"id": f"l{i}", "text": f"Line {i}: {GOOD}"}) for i in range(75)]
    lines[3] = '{"id": "sur", "text": "Japan \\ud800 met China."}'
    lines[5] = '{"id": "nul", "text": "Japan\x00met China."}'
    lines[7] = json.dumps({"id": "hints", "text": GOOD, "hints": "USA"})
    (folder / "lines.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "damaged.txt").write_bytes(b"Japan met\x00 China.\n" * 75)
    (folder / "meta.txt").write_text(GOOD + " Again.")
    (folder / "meta.meta.json").write_text(json.dumps({"date": 20210101}))
    return folder


def test_every_bad_input_is_reported_and_nothing_blocks(tmp_path: Path) -> None:
    folder = _bad_corpus(tmp_path)
    with time_limit(30):  # a FIFO opened for reading would block here forever
        items = list(read_articles([str(folder)]))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    ids = {i.id for i in items if isinstance(i, Article)}
    assert {"good", "na\\xefve", "sur", "damaged"} <= ids
    assert len([i for i in ids if i.startswith("l")]) == 72
    sur = next(i for i in items if isinstance(i, Article) and i.id == "sur")
    assert sur.repairs and "\ufffd" in sur.text
    for needle in (
        "broken symbolic link",
        "FIFO",
        "x.txt: is a directory",
        "caf\\xe9.txt: is a directory",
        "line 6 of",  # a NUL inside a JSON string fails only its line
        "line 8 of",
        'field "date"',
    ):
        assert any(needle in e for e in errors), (needle, errors)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every directory")
def test_an_unreadable_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(GOOD)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(GOOD)
    locked.chmod(0)
    try:
        items = list(read_articles([str(tmp_path)]))
    finally:
        locked.chmod(0o755)
    assert any(isinstance(i, InputError) and "cannot list" in str(i) for i in items)
    assert any(isinstance(i, Article) and i.id == "ok" for i in items)


def test_a_file_of_many_nuls_is_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(GOOD.encode("utf-16-le"))
    (item,) = read_articles([str(path)])
    assert isinstance(item, BinaryInput)


@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_stores_every_good_record_and_reports_the_bad(
    tmp_path: Path, tiny_model: str, workers: int
) -> None:
    folder = _bad_corpus(tmp_path)
    db = tmp_path / "s.duckdb"
    report = ingest_paths([str(folder)], db, model=tiny_model, workers=workers, batch_size=4)
    with Store(db, read_only=True) as store:
        stored = set(store.article_ids())
        failures = store.failures()
    assert report.added == len(stored) == 72 + 4
    assert {"good", "na\\xefve", "sur", "damaged", "nul"} - stored == {"nul"}
    assert len(failures) == len(report.failures) >= 7


def test_code_command_goes_past_bad_records(tmp_path: Path, tiny_model: str) -> None:
    folder = _bad_corpus(tmp_path)
    out = CliRunner().invoke(cli, ["code", str(folder), "--model", tiny_model])
    assert out.exit_code == 1
    coded = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(coded) == 72 + 4
    assert "FIFO" in out.stderr and "broken symbolic link" in out.stderr


# -- the time budget -------------------------------------------------------------------------


@Language.component("test_sleepy")
def _sleepy(doc: Doc) -> Doc:
    """Sleep on marked articles: an article the pipeline cannot finish in time."""
    if "SLOW" in doc.text:
        time.sleep(60)
    return doc


def test_an_article_over_the_budget_fails_alone_in_process() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_sleepy")
    add_components(nlp)
    articles = [Article(f"a{i}", f"Text {i}.") for i in range(5)]
    articles[2] = Article("a2", "This one is SLOW.")
    started = time.perf_counter()
    items = list(code_stream(articles, nlp=nlp, batch_size=2, time_budget=1.0))
    assert time.perf_counter() - started < 30
    failures = [(i.article_id, i.stage) for i in items if isinstance(i, Failure)]
    assert failures == [("a2", "budget")]
    assert [i.article.id for i in items if isinstance(i, Result)] == ["a0", "a1", "a3", "a4"]


def _stuck_work(articles: list[Article], batch_size: int) -> list[Result | Failure]:
    """A pool task stuck where no signal reaches it (module level: picklable)."""
    if any("STUCK" in a.text for a in articles):
        import signal

        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)
    return [Result(article=a) for a in articles]


def test_a_stuck_worker_is_killed_and_the_batch_goes_on(tiny_model: str) -> None:
    articles = [Article(f"a{i}", f"Text {i}.") for i in range(8)]
    articles[6] = Article("a6", "This one gets STUCK.")
    started = time.perf_counter()
    items = list(
        code_on_pool(
            articles, workers=2, model=tiny_model, batch_size=1, work=_stuck_work, time_budget=0.5
        )
    )
    assert time.perf_counter() - started < 200
    failures = [(i.article_id, i.stage) for i in items if isinstance(i, Failure)]
    assert failures == [("a6", "budget")]
    assert sorted(i.article.id for i in items if isinstance(i, Result)) == [
        f"a{i}" for i in range(8) if i != 6
    ]


def test_a_swallowed_alarm_fires_again() -> None:
    # the first firing lands in code that ignores it (as a gc callback does); the next one,
    # REFIRE_SECONDS later, must still stop the block long before its own end
    swallowed = 0
    start = time.monotonic()
    with pytest.raises(TimeBudgetExceeded), time_limit(0.05):
        while time.monotonic() - start < 5:
            try:
                time.sleep(0.01)
            except TimeBudgetExceeded:
                if swallowed:
                    raise
                swallowed += 1
    assert swallowed == 1
    assert time.monotonic() - start < 2


def test_a_block_that_swallows_every_alarm_still_fails_on_exit() -> None:
    start = time.monotonic()
    with pytest.raises(TimeBudgetExceeded), time_limit(0.05):
        while time.monotonic() - start < 0.4:
            with contextlib.suppress(TimeBudgetExceeded):
                time.sleep(0.01)
    with time_limit(5):  # a block within its budget passes untouched
        time.sleep(0.01)


def test_the_budget_is_not_swallowed_by_a_guarded_stage() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    add_components(nlp)  # the time goes in realpolitik's own (guarded) components
    # 340,000 characters take seconds on any machine; a 0.3 s budget must stop them
    articles = [Article("long", "Japan met China. " * 20000)]
    items = list(code_stream(articles, nlp=nlp, time_budget=0.3))
    assert [(i.article_id, i.stage) for i in items if isinstance(i, Failure)] == [
        ("long", "budget")
    ]
    good = list(code_stream([Article("a", GOOD)], nlp=nlp, time_budget=None))
    assert not any(isinstance(i, Failure) for i in good)
