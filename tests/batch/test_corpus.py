"""Corpora at scale: input formats, failures, worker pools, and exactly-once resumable ingest."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import spacy
from click.testing import CliRunner
from spacy.language import Language
from spacy.tokens import Doc

from realpolitik.batch.ingest import ingest_paths
from realpolitik.batch.local import code_on_pool
from realpolitik.batch.work import Failure, result_from_dict, result_to_dict
from realpolitik.cli import cli
from realpolitik.errors import InputError
from realpolitik.ingest import read_articles
from realpolitik.nlp import add_components
from realpolitik.records import Article, Result
from realpolitik.store import Store

REALPOLITIK = str(Path(sys.executable).with_name("realpolitik"))
SENTENCES = [
    "Japan criticized China over military exercises near Taiwan.",
    "The United States and South Korea held talks in Seoul about North Korea.",
    "Russia accused Ukraine of attacking a power plant, and Kyiv denied it.",
    "France promised humanitarian aid to Sudan, the foreign ministry said.",
    "Iran rejected demands from the IAEA to allow inspections.",
]


def _corpus(path: Path, n: int, *, extra: list[str] | None = None) -> Path:
    """``n`` short distinct articles as JSONL (plus raw ``extra`` lines)."""
    lines = [
        json.dumps(
            {
                "id": f"art{i:04d}",
                "text": f"Report {i}. {SENTENCES[i % len(SENTENCES)]} Filed as item {i}.",
                "date": f"2024-03-{1 + i % 28:02d}",
                "source": f"Wire {i % 3}",
            }
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines + (extra or [])) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A pipeline directory without trained weights: rule sentences + realpolitik's components.

    Worker processes load it by path, like a real model, in a fraction of the time.
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    add_components(nlp)
    path = tmp_path_factory.mktemp("models") / "tiny"
    nlp.to_disk(path)
    return str(path)


@Language.component("test_boom")
def _boom(doc: Doc) -> Doc:
    # Raises outside realpolitik's guarded stages: the whole article fails to code.
    if "BOOM" in doc.text:
        raise RuntimeError("boom in the pipeline")
    return doc


def _crashy_work(articles: list[Article], batch_size: int) -> list[Result | Failure]:
    """A pool task that kills its worker process on a marked article (module level: picklable)."""
    if any("CRASH" in a.text for a in articles):
        os._exit(3)
    return [Result(article=a) for a in articles]


# -- input formats ---------------------------------------------------------------------------


def test_parquet_html_and_gzipped_jsonl_are_read_from_a_directory(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": ["p1", "p2", "p3"],
            "text": ["Japan met China.", "   ", "Russia warned NATO."],
            "date": [dt.date(2021, 3, 19), None, dt.date(2022, 1, 2)],
            "source": ["Wire", None, "Paper"],
        }
    )
    pq.write_table(table, tmp_path / "a.parquet")
    (tmp_path / "b.jsonl.gz").write_bytes(
        gzip.compress((json.dumps({"id": "g1", "text": "Iran met Iraq."}) + "\n").encode())
    )
    (tmp_path / "c.html").write_text(
        "<html><head><title>Talks in Seoul</title>"
        '<meta property="article:published_time" content="2021-03-18">'
        '<meta property="og:site_name" content="Example Wire"></head><body>'
        "<nav>Home | World | Sport</nav><article><h1>Talks in Seoul</h1>"
        "<p>The foreign ministers of Japan and South Korea met in Seoul on Thursday to discuss "
        "trade and security in the region, officials said.</p>"
        "<p>China criticized the meeting, saying it would raise tensions in the region.</p>"
        "</article><footer>Copyright and cookie notice</footer></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    items = list(read_articles([str(tmp_path)]))
    arts = {i.id: i for i in items if isinstance(i, Article)}
    errors = [i for i in items if isinstance(i, InputError)]
    assert set(arts) == {"p1", "p3", "g1", "c"}
    assert (arts["p1"].date, arts["p1"].source) == ("2021-03-19", "Wire")
    html = arts["c"]
    assert "met in Seoul on Thursday" in html.text
    assert "cookie" not in html.text and "Home | World" not in html.text
    assert (html.title, html.date, html.source) == ("Talks in Seoul", "2021-03-18", "Example Wire")
    # The blank Parquet row is reported with its row number, the others are kept.
    assert len(errors) == 1 and errors[0].line == 2 and "a.parquet" in str(errors[0])


def test_unreadable_parquet_and_empty_html_are_input_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    (tmp_path / "empty.html").write_text("<html><body><script>var a = 1;</script></body></html>")
    items = list(read_articles([str(tmp_path / "bad.parquet"), str(tmp_path / "empty.html")]))
    assert [type(i).__name__ for i in items] == ["InputError", "EmptyInput"]
    assert "Parquet" in str(items[0]) and "Hint:" in str(items[0])


def test_jsonl_is_streamed_and_a_bad_line_does_not_lose_the_file(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "One."}\n'
        b'{"id": "b", "text": "caf\xe9"}\n'  # Latin-1 byte: only this line is bad
        b'{"id": "c", "text": "Three."}\n'
    )
    items = list(read_articles([str(path)]))
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]
    bad = items[1]
    assert isinstance(bad, InputError) and bad.line == 2


# -- results travel between processes --------------------------------------------------------


def test_result_round_trips_through_its_dict(nlp_free_result: Result) -> None:
    again = result_from_dict(json.loads(json.dumps(result_to_dict(nlp_free_result))))
    assert again == nlp_free_result


@pytest.fixture()
def nlp_free_result() -> Result:
    from realpolitik.records import Actor, Event, Participant, Place, Quote, Span, StageError

    art = Article("x1", "Japan criticized China.", "2021-03-19", "Wire", "T", {"source": "JPN"})
    return Result(
        article=art,
        actors=[Actor("a1", "Japan", "state", "JPN", "JPN", None, None, [Span("Japan", 0, 5)])],
        events=[
            Event(
                id="x1:e1",
                source=Participant("a1", "JPN", "JPN", "Japan"),
                target=None,
                cameo="111",
                root="11",
                plover="ACCUSE",
                goldstein=-2.0,
                quad_class=3,
                text="Japan criticized China.",
                start=0,
                end=23,
                coder="c/1",
                rule="r",
                confidence=0.9,
                date="2021-03-19",
                place=Place("Tokyo", "JPN", 35.7, 139.7),
                trigger=Span("criticized", 6, 16),
            )
        ],
        quotes=[Quote("x1:q1", "a1", "Japan", "x", 0, 1, "direct", "said", ["a2"], "q/1")],
        errors=[StageError("events", "oops")],
    )


# -- failures --------------------------------------------------------------------------------


def test_failures_are_recorded_per_article_and_the_run_goes_on(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_boom")
    add_components(nlp)
    corpus = _corpus(
        tmp_path / "in.jsonl",
        5,
        extra=[
            "{not json",
            json.dumps({"id": "bomb", "text": "This article says BOOM."}),
            json.dumps({"id": "art0001", "text": "Another text under a stored id."}),
        ],
    )
    db = tmp_path / "s.duckdb"
    report = ingest_paths([str(corpus)], db, nlp=nlp, batch_size=4)
    assert report.added == 5
    stages = sorted((f.article_id.rsplit("/", 1)[-1], f.stage) for f in report.failures)
    assert stages == [("art0001", "store"), ("bomb", "nlp"), ("in.jsonl:6", "read")]
    with Store(db, read_only=True) as store:
        rows = store.failures()
        assert store.counts()["articles"] == 5
    assert sorted((r["article_id"].rsplit("/", 1)[-1], r["stage"]) for r in rows) == stages
    assert "boom in the pipeline" in next(r["message"] for r in rows if r["stage"] == "nlp")

    # Again: the failures are retried (and fail again) but recorded once each.
    again = ingest_paths([str(corpus)], db, nlp=nlp, batch_size=4)
    assert (again.added, again.already_stored, len(again.failures)) == (0, 5, 3)
    with Store(db, read_only=True) as store:
        assert len(store.failures()) == 3

    # A failure is cleared once its article is stored.
    fixed = tmp_path / "fixed.jsonl"
    fixed.write_text(json.dumps({"id": "bomb", "text": "This article is fine."}) + "\n")
    ingest_paths([str(fixed)], db, nlp=nlp)
    with Store(db, read_only=True) as store:
        assert {r["article_id"].rsplit("/", 1)[-1] for r in store.failures()} == {
            "art0001",
            "in.jsonl:6",
        }


def test_same_text_twice_in_one_run_is_stored_once(tmp_path: Path, tiny_model: str) -> None:
    line = json.dumps({"id": "one", "text": "Japan met China."})
    dup = json.dumps({"id": "two", "text": "Japan met China."})
    corpus = tmp_path / "d.jsonl"
    corpus.write_text(f"{line}\n{dup}\n")
    report = ingest_paths([str(corpus)], tmp_path / "d.duckdb", model=tiny_model)
    assert (report.added, report.already_stored) == (1, 1)


# -- several workers, one writer -------------------------------------------------------------


def _table_counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return store.counts()


@pytest.mark.slow
def test_two_workers_store_what_one_process_stores(tmp_path: Path, tiny_model: str) -> None:
    corpus = _corpus(tmp_path / "in.jsonl", 30)
    one = ingest_paths([str(corpus)], tmp_path / "one.duckdb", model=tiny_model, batch_size=4)
    two = ingest_paths(
        [str(corpus)], tmp_path / "two.duckdb", model=tiny_model, workers=2, batch_size=4
    )
    assert two.workers == 2 and one.workers == 1
    assert (one.added, two.added) == (30, 30)
    assert _table_counts(tmp_path / "one.duckdb") == _table_counts(tmp_path / "two.duckdb")
    with Store(tmp_path / "two.duckdb", read_only=True) as store:
        a = store.result("art0007")
    with Store(tmp_path / "one.duckdb", read_only=True) as store:
        assert store.result("art0007") == a


@pytest.mark.slow
def test_a_worker_that_dies_costs_only_its_article(tiny_model: str) -> None:
    articles = [Article(f"a{i}", f"Text {i}.") for i in range(12)]
    articles[5] = Article("a5", "This one will CRASH the worker.")
    items = list(
        code_on_pool(articles, workers=2, model=tiny_model, batch_size=3, work=_crashy_work)
    )
    failures = [i for i in items if isinstance(i, Failure)]
    results = [i for i in items if isinstance(i, Result)]
    assert [(f.article_id, f.stage) for f in failures] == [("a5", "worker")]
    assert sorted(r.article.id for r in results) == sorted(f"a{i}" for i in range(12) if i != 5)


# -- kill -9 and resume ----------------------------------------------------------------------


def _kill_mid_run(db: Path, corpus: Path, model: str | None, after: int) -> tuple[int, list[int]]:
    """Start ``realpolitik ingest`` and SIGKILL it once ``after`` articles are stored."""
    cmd = [REALPOLITIK, "ingest", str(corpus), "--db", str(db), "--workers", "2"]
    cmd += ["--batch-size", "2", "--progress", "log"] + (["--model", model] if model else [])
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    stored = 0
    for line in proc.stderr:
        stored += line.startswith("stored ")
        if stored >= after:
            break
    children = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _gone, alive = psutil.wait_procs(children, timeout=15)
    return stored, [p.pid for p in alive]


def _assert_exactly_once(db: Path, n: int) -> None:
    with Store(db, read_only=True) as store:
        con = store.con
        ids, hashes, rows = con.execute(
            "SELECT count(DISTINCT id), count(DISTINCT content_hash), count(*) FROM articles"
        ).fetchone() or (0, 0, 0)
        assert (ids, hashes, rows) == (n, n, n)
        # Every article's records are there once: no actor, event or quotation id repeats.
        for table in ("actors", "events", "quotes"):
            dup = con.execute(
                f"SELECT count(*) FROM (SELECT article_id, id FROM {table} "
                "GROUP BY ALL HAVING count(*) > 1)"
            ).fetchone()
            assert dup == (0,), table


def test_kill_9_mid_run_then_rerun_stores_each_article_once(
    tmp_path: Path, tiny_model: str
) -> None:
    n = 120
    corpus = _corpus(tmp_path / "in.jsonl", n)
    db = tmp_path / "k.duckdb"
    stored, alive = _kill_mid_run(db, corpus, tiny_model, after=10)
    assert alive == []  # the workers noticed their parent's death and left
    before = _table_counts(db)["articles"]
    assert stored <= before < n  # killed mid-run: some articles stored, not all
    cmd = [REALPOLITIK, "ingest", str(corpus), "--db", str(db), "--model", tiny_model]
    rerun = subprocess.run(
        [*cmd, "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{n - before} coded, {n - before} stored, {before} already stored" in rerun.stderr
    _assert_exactly_once(db, n)
    fresh = tmp_path / "fresh.duckdb"
    ingest_paths([str(corpus)], fresh, model=tiny_model)
    assert _table_counts(db) == _table_counts(fresh)


@pytest.mark.model
def test_kill_9_with_the_real_model_loses_and_duplicates_nothing(
    tmp_path: Path, nlp: Language
) -> None:
    n = 40
    corpus = _corpus(tmp_path / "in.jsonl", n)
    db = tmp_path / "k.duckdb"
    stored, alive = _kill_mid_run(db, corpus, None, after=5)
    assert alive == []
    before = _table_counts(db)["articles"]
    assert stored <= before < n
    rerun = subprocess.run(
        [REALPOLITIK, "ingest", str(corpus), "--db", str(db), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{before} already stored" in rerun.stderr
    _assert_exactly_once(db, n)
    # Each stored article holds exactly what coding it alone gives.
    from realpolitik.pipeline import code_articles

    arts = [a for a in read_articles([str(corpus)]) if isinstance(a, Article)]
    with Store(db, read_only=True) as store:
        for result in code_articles(arts, nlp=nlp):
            kept = store.result(result.article.id)
            assert len(kept.events) == len(result.events)
            assert len(kept.quotes) == len(result.quotes)
            assert [a.code for a in kept.actors] == [a.code for a in result.actors]


# -- the command line ------------------------------------------------------------------------


def test_ingest_command_reads_parquet_and_lists_failures(tmp_path: Path, tiny_model: str) -> None:
    pq.write_table(
        pa.table({"id": ["a", "b"], "text": ["Japan met China.", ""]}), tmp_path / "in.parquet"
    )
    db = tmp_path / "c.duckdb"
    runner = CliRunner()
    res = runner.invoke(
        cli,
        ["ingest", str(tmp_path / "in.parquet"), "--db", str(db), "--model", tiny_model],
    )
    assert res.exit_code == 1
    assert "1 coded, 1 stored" in res.output and "1 failed" in res.output
    assert "read" in res.output  # the failures table names the stage
    listed = runner.invoke(cli, ["failures", "--db", str(db), "--format", "json"])
    rows = json.loads(listed.output)
    assert [r["stage"] for r in rows] == ["read"] and "line 2" in rows[0]["message"]
    again = runner.invoke(
        cli,
        ["ingest", str(tmp_path / "in.parquet"), "--db", str(db), "--model", tiny_model],
    )
    assert "0 coded" in again.output and "1 already stored" in again.output
