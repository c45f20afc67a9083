"""Code a corpus on a Dask cluster: the only module that talks to Dask.

The client (the ``realpolitik ingest --engine dask`` process) reads the inputs, skips what the
store holds, and sends partitions of articles to the workers. Each worker loads the spaCy
pipeline once (a worker plugin, then a per-process cache), codes its partition and returns it as
Parquet bytes. The client writes each partition into a staging folder (atomically: a temporary
name, then a rename), loads it into the DuckDB store one article per transaction, and deletes
it. A run that is killed leaves at most some staged partitions behind; the next run loads them
first (loading is idempotent: the store skips texts it holds), then codes only what is missing.

Multi-machine use (``dask scheduler`` / ``dask worker``) is described in ``docs/scale.md``.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import logging
import os
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import ModelError
from ..ingest import content_hash
from ..nlp import load_nlp, model_name
from ..records import Article, Result
from .work import (
    DEFAULT_BATCH_SIZE,
    Failure,
    article_to_dict,
    batched,
    code_batch,
    result_from_dict,
    result_to_dict,
)

PARTITION_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("content_hash", pa.string()),
        ("date", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("result", pa.string()),  # the full result as JSON (docs/output.md plus the text)
        ("failure_stage", pa.string()),
        ("failure_message", pa.string()),
    ]
)


def default_staging(db: str | Path) -> Path:
    """Where partitions wait between being coded and being stored: beside the store."""
    return Path(f"{db}.staging")


class LoadPipeline(WorkerPlugin):
    """Load the spaCy pipeline when a worker starts, so no task pays for it."""

    name = "realpolitik-load-pipeline"

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        """Load the pipeline into this worker process's cache."""
        load_nlp(self.model, threads=1)


def partition_table(items: Iterable[Result | Failure]) -> pa.Table:
    """A partition as an Arrow table: one row per article, coded or failed."""
    rows: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, Failure):
            rows.append(
                {
                    "article_id": item.article_id,
                    "content_hash": item.content_hash,
                    "failure_stage": item.stage,
                    "failure_message": item.message,
                }
            )
        else:
            art = item.article
            rows.append(
                {
                    "article_id": art.id,
                    "content_hash": content_hash(art.text),
                    "date": art.date,
                    "source": art.source,
                    "title": art.title,
                    "result": json.dumps(result_to_dict(item), ensure_ascii=False),
                }
            )
    return pa.Table.from_pylist(rows, schema=PARTITION_SCHEMA)


def code_partition(articles: list[dict[str, Any]], model: str, batch_size: int) -> bytes:
    """Dask task: code a partition of articles and return it as Parquet bytes."""
    nlp = load_nlp(model, threads=1)  # cached: loaded once per worker process
    items = code_batch(nlp, [Article.from_dict(a) for a in articles], batch_size)
    buf = io.BytesIO()
    pq.write_table(partition_table(items), buf, compression="zstd")
    return buf.getvalue()


def read_partition(path: Path) -> Iterator[Result | Failure]:
    """The coded articles and failures of one staged Parquet partition."""
    for row in pq.read_table(path, schema=PARTITION_SCHEMA).to_pylist():
        if row["result"] is not None:
            yield result_from_dict(json.loads(row["result"]))
        else:
            yield Failure(
                row["article_id"],
                row["failure_stage"] or "worker",
                row["failure_message"] or "",
                row["content_hash"],
            )


def stage_partition(staging: Path, data: bytes) -> Path:
    """Write a partition's bytes into ``staging`` atomically (a reader never sees half)."""
    staging.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(data).hexdigest()[:20]
    final = staging / f"part-{name}.parquet"
    tmp = staging / f".part-{name}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, final)
    return final


def load_staged(staging: Path) -> Iterator[Result | Failure]:
    """Yield what partitions left by an interrupted run hold; delete each once consumed.

    A partition is deleted only after its last item has been taken (stored) by the caller, so a
    kill at any point leaves it to the next run. Unreadable leftovers are deleted: their
    articles are not stored, so they are coded again.
    """
    if not staging.is_dir():
        return
    for tmp in staging.glob(".part-*.tmp"):
        tmp.unlink(missing_ok=True)
    for path in sorted(staging.glob("part-*.parquet")):
        try:
            items = list(read_partition(path))
        except (OSError, pa.ArrowException, ValueError, KeyError):
            path.unlink(missing_ok=True)
            continue
        yield from items
        path.unlink(missing_ok=True)


def _connect(scheduler: str | None, workers: int) -> tuple[Client, LocalCluster | None]:
    if scheduler:
        client = Client(scheduler)
        client.wait_for_workers(1, timeout=120)
        return client, None
    with warnings.catch_warnings():
        # Without a dashboard the scheduler still serves HTTP and says so when 8787 is taken.
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cluster = LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,  # spaCy holds the GIL: one article stream per process
            processes=True,
            dashboard_address=None,
            scheduler_port=0,
            # Shutdown chatter (heartbeats to a closed scheduler) is not the user's business.
            silence_logs=logging.CRITICAL,
        )
    return Client(cluster), cluster


def _worker_count(client: Client) -> int:
    info = client.scheduler_info(n_workers=-1)
    return max(1, len(info.get("workers", {})))


def code_on_dask(
    articles: Iterable[Article],
    *,
    staging: Path,
    scheduler: str | None = None,
    workers: int = 2,
    model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    partition_size: int = 32,
) -> Iterator[Result | Failure]:
    """Code articles on a Dask cluster, yielding each staged partition's items (unordered).

    ``scheduler`` (``tcp://HOST:PORT``) uses a running cluster; without it a ``LocalCluster``
    of ``workers`` processes is started and closed here. At most two partitions per worker are
    in flight. A partition whose worker dies is retried one article per task, so only an
    article that kills workers is reported (stage ``worker``).
    """
    name = model_name(model)
    parts = iter(batched(articles, partition_size))
    first = next(parts, None)
    if first is None:  # nothing to code: no cluster to start or reach
        return
    parts = itertools.chain([first], parts)
    client, cluster = _connect(scheduler, workers)
    try:
        try:
            client.register_plugin(LoadPipeline(name))
        except ModelError:
            raise
        except Exception as exc:  # the plugin failed on a worker: say so plainly
            raise ModelError(
                f"a Dask worker could not load the spaCy pipeline {name!r}: {exc}",
                hint="install realpolitik and the pipeline on every worker (docs/scale.md)",
            ) from None
        limit = 2 * _worker_count(client)
        retry: deque[list[Article]] = deque()
        pending: dict[Any, list[Article]] = {}
        running = as_completed()

        def submit(part: list[Article]) -> None:
            fut = client.submit(
                code_partition,
                [article_to_dict(a) for a in part],
                name,
                batch_size,
                pure=False,
            )
            pending[fut.key] = part
            running.add(fut)

        def top_up() -> None:
            while len(pending) < limit:
                if retry:
                    submit(retry.popleft())
                    continue
                part = next(parts, None)
                if part is None:
                    return
                submit(part)

        top_up()
        while pending:
            fut = next(running)
            part = pending.pop(fut.key)
            try:
                data = fut.result()
            except ModelError:
                raise
            except Exception as exc:  # KilledWorker and friends
                if len(part) > 1:
                    retry.extend([a] for a in part)
                else:
                    a = part[0]
                    yield Failure(
                        a.id, "worker", f"{type(exc).__name__}: {exc}", content_hash(a.text)
                    )
                top_up()
                continue
            finally:
                fut.release()
            top_up()  # keep the workers busy while this partition is stored
            path = stage_partition(staging, data)
            yield from read_partition(path)
            path.unlink(missing_ok=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
