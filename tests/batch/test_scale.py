"""The Dask engine: Parquet partitions, idempotent loading, and a real two-worker LocalCluster."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import spacy

from realpolitik.batch.dask import (
    PARTITION_SCHEMA,
    default_staging,
    load_staged,
    partition_table,
    read_partition,
    stage_partition,
)
from realpolitik.batch.ingest import ingest_paths
from realpolitik.batch.work import Failure
from realpolitik.nlp import add_components
from realpolitik.records import Actor, Article, Event, Participant, Result, Span
from realpolitik.store import Store


def _result(i: int) -> Result:
    text = f"Japan criticized China, report {i}."
    return Result(
        article=Article(f"r{i}", text, "2024-01-02", "Wire", None),
        actors=[
            Actor("a1", "Japan", "state", "JPN", "JPN", mentions=[Span("Japan", 0, 5)]),
            Actor("a2", "China", "state", "CHN", "CHN", mentions=[Span("China", 17, 22)]),
        ],
        events=[
            Event(
                id=f"r{i}:e1",
                source=Participant("a1", "JPN", "JPN", "Japan"),
                target=Participant("a2", "CHN", "CHN", "China"),
                cameo="111",
                root="11",
                plover="ACCUSE",
                goldstein=-2.0,
                quad_class=3,
                text=text,
                start=0,
                end=len(text),
                coder="test/1",
                rule="test",
                confidence=1.0,
                date="2024-01-02",
            )
        ],
    )


def _partition_bytes(items: list[Result | Failure]) -> bytes:
    import io

    buf = io.BytesIO()
    pq.write_table(partition_table(items), buf)
    return buf.getvalue()


def test_a_partition_keeps_results_and_failures(tmp_path: Path) -> None:
    items: list[Result | Failure] = [_result(1), Failure("bad", "nlp", "Boom", "h1"), _result(2)]
    path = stage_partition(tmp_path, _partition_bytes(items))
    assert path.name.startswith("part-") and path.suffix == ".parquet"
    assert pq.read_schema(path).names == PARTITION_SCHEMA.names
    assert list(read_partition(path)) == items
    assert not list(tmp_path.glob(".part-*"))  # written under a temporary name, then renamed


def test_staged_partitions_load_once_even_when_interrupted(tmp_path: Path) -> None:
    staging = default_staging(tmp_path / "s.duckdb")
    stage_partition(staging, _partition_bytes([_result(i) for i in range(4)]))
    (staging / ".part-half-written.123.tmp").write_bytes(b"partial")
    with Store(tmp_path / "s.duckdb") as store:
        # A run killed after storing two of four: the partition stays for the next run.
        loading = load_staged(staging)
        for _ in range(2):
            item = next(loading)
            assert isinstance(item, Result)
            store.add(item)
        loading.close()
        assert len(list(staging.glob("part-*.parquet"))) == 1
        added = [store.add(i) for i in load_staged(staging) if isinstance(i, Result)]
        assert added == [False, False, True, True]
        assert list(staging.iterdir()) == []  # consumed partitions and stale temp files gone
        assert store.counts()["articles"] == 4 and store.counts()["events"] == 4


def test_leftover_partitions_are_loaded_before_coding(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    stage_partition(
        default_staging(db), _partition_bytes([_result(1), Failure("x", "nlp", "m", "h")])
    )
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"id": "r1", "text": _result(1).article.text}) + "\n")
    # Nothing is left to code (the leftover holds the only article): no cluster is needed.
    report = ingest_paths([str(corpus)], db, engine="dask", workers=1, scheduler="tcp://0:1")
    assert (report.added, report.coded, report.already_stored) == (1, 0, 1)
    assert [f.article_id for f in report.failures] == ["x"]
    with Store(db, read_only=True) as store:
        assert store.result("r1").events[0].cameo == "111"


def _corpus(path: Path, n: int) -> Path:
    sentences = [
        "Japan criticized China over military drills near Taiwan.",
        "The United States and South Korea held talks in Seoul.",
        "Russia accused Ukraine of shelling a power plant.",
    ]
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"d{i}",
                    "text": f"Item {i}. {sentences[i % 3]}",
                    "date": f"2024-05-0{1 + i % 9}",
                }
            )
            for i in range(n)
        )
        + "\n"
    )
    return path


def _counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return store.counts()


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    add_components(nlp)
    path = tmp_path_factory.mktemp("models") / "tiny"
    nlp.to_disk(path)
    return str(path)


@pytest.mark.slow
def test_local_cluster_of_two_workers_stores_what_local_ingest_stores(
    tmp_path: Path, tiny_model: str
) -> None:
    corpus = _corpus(tmp_path / "in.jsonl", 12)
    local = ingest_paths([str(corpus)], tmp_path / "local.duckdb", model=tiny_model)
    dask = ingest_paths(
        [str(corpus)],
        tmp_path / "dask.duckdb",
        model=tiny_model,
        engine="dask",
        workers=2,
        partition_size=3,
    )
    assert (local.added, dask.added, dask.failures) == (12, 12, [])
    assert _counts(tmp_path / "local.duckdb") == _counts(tmp_path / "dask.duckdb")
    assert list(default_staging(tmp_path / "dask.duckdb").iterdir()) == []


@pytest.mark.model
@pytest.mark.slow
def test_real_model_on_a_two_worker_local_cluster_is_idempotent(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in.jsonl", 6)
    db = tmp_path / "dask.duckdb"
    first = ingest_paths([str(corpus)], db, engine="dask", workers=2, partition_size=2)
    assert (first.added, first.failures) == (6, [])
    counts = _counts(db)
    assert counts["actors"] > 0
    again = ingest_paths([str(corpus)], db, engine="dask", workers=2, partition_size=2)
    assert (again.added, again.coded, again.already_stored) == (0, 0, 6)
    assert _counts(db) == counts
    local = tmp_path / "local.duckdb"
    ingest_paths([str(corpus)], local, workers=1)
    assert _counts(local) == counts
