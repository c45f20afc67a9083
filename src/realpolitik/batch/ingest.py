"""Ingest: read -> skip what is stored -> code (on local workers or Dask) -> store.

Ingest is resumable and exactly-once. Workers (processes of a local pool,
:mod:`realpolitik.batch.local`, or Dask workers, :mod:`realpolitik.batch.dask`) only code
articles; one writer, the calling process, stores each article in its own transaction keyed by
the article's content hash. So a run killed at any point (even ``kill -9``) leaves only whole
articles in the store, and running it again codes only the articles that are not stored yet.

An input that cannot be read, an article whose coding raises, an article the store refuses: each
is a :class:`~realpolitik.batch.work.Failure` (article id, stage, message), recorded in the
store's ``failures`` table and in the :class:`~realpolitik.batch.local.Report`; the run goes on.

(The input readers themselves are :mod:`realpolitik.ingest`.)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Literal, Protocol

from spacy.language import Language

from ..errors import InputError, StoreError, printable
from ..guards import DEFAULT_TIME_BUDGET
from ..ingest import InputFormat, content_hash, read_articles
from ..records import Article, Result
from ..store import Store
from .local import Report, code_stream, read_failure
from .work import DEFAULT_BATCH_SIZE, Failure

Outcome = Literal["stored", "present", "failed", "coded"]
Engine = Literal["local", "dask"]


def example_paths() -> list[str]:
    """Paths of the example articles bundled with the package."""
    folder = resources.files("realpolitik") / "examples"
    return sorted(str(p) for p in Path(str(folder)).glob("*.txt"))


class Observer(Protocol):
    """Told what a run does, article by article (a progress bar, a log)."""

    def start(self, total: int | None) -> None:
        """The run starts; ``total`` articles are to be coded (None when unknown)."""

    def update(self, outcome: Outcome, item: str) -> None:
        """One article was stored, found already stored, failed, or (without a store) coded."""

    def finish(self) -> None:
        """The run is over."""


class NullObserver:
    """An observer that ignores everything."""

    def start(self, total: int | None) -> None:
        pass

    def update(self, outcome: Outcome, item: str) -> None:
        pass

    def finish(self) -> None:
        pass


def count_pending(
    paths: list[str],
    stored: set[str],
    *,
    input_format: InputFormat = "auto",
    date: str | None = None,
) -> int | None:
    """How many distinct, not yet stored articles ``paths`` hold (None for stdin).

    This reads the inputs once more; parsing is cheap next to coding, and the count gives the
    progress bar its ETA.
    """
    if "-" in paths:
        return None
    seen: set[str] = set()
    for item in read_articles(paths, input_format=input_format, date=date):
        if isinstance(item, Article):
            digest = content_hash(item.text)
            if digest not in stored:
                seen.add(digest)
    return len(seen)


def ingest_paths(
    paths: Iterable[str],
    db: str | Path,
    *,
    input_format: InputFormat = "auto",
    date: str | None = None,
    nlp: Language | None = None,
    model: str | None = None,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    engine: Engine = "local",
    scheduler: str | None = None,
    partition_size: int = 32,
    staging: str | Path | None = None,
    observer: Observer | None = None,
    on_error: Callable[[str], None] = lambda _m: None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> Report:
    """Code and store every article in ``paths`` that the store does not hold yet.

    ``workers`` processes code (``engine="local"``; 1 codes in this process), or Dask workers
    (``engine="dask"``: the cluster at ``scheduler``, else a local cluster of ``workers``
    processes; see :mod:`realpolitik.batch.dask`). Only this process writes to the store.
    ``time_budget`` is seconds per article (None: no limit): an article over it is recorded
    in ``failures`` (stage ``budget``) and the run goes on.
    """
    paths = list(paths)
    observer = observer or NullObserver()
    report = Report(engine=engine)
    started = time.perf_counter()
    with Store(db) as store:
        quiet = NullObserver()

        def fail(failure: Failure, observer: Observer = observer) -> None:
            # Paths of undecodable file names and the like must still be storable text.
            failure.article_id = printable(failure.article_id)
            failure.message = printable(failure.message)
            report.failures.append(failure)
            store.record_failure(
                failure.article_id, failure.stage, failure.message, failure.content_hash
            )
            observer.update("failed", failure.article_id)
            on_error(str(failure))

        staging_dir: Path | None = None
        if engine == "dask":
            from .dask import default_staging, load_staged

            staging_dir = Path(staging) if staging else default_staging(db)
            # Partitions coded by an interrupted run are loaded first, not coded again.
            for item in load_staged(staging_dir):
                _store_item(store, item, report, quiet, lambda f: fail(f, quiet), leftover=True)
        stored = store.stored_hashes()
        total = count_pending(paths, stored, input_format=input_format, date=date)
        if total is not None and not scheduler:
            # Never start more processes than there are batches (partitions) to give them.
            per_task = batch_size if engine == "local" else partition_size
            workers = max(1, min(workers, math.ceil(total / per_task)))
        report.workers = workers
        observer.start(total)

        def fresh() -> Iterator[Article]:
            for item in read_articles(paths, input_format=input_format, date=date):
                if isinstance(item, InputError):
                    fail(read_failure(item))
                    continue
                digest = content_hash(item.text)
                if digest in stored:
                    report.already_stored += 1
                    observer.update("present", item.id)
                    continue
                # Same text twice in this run: the second is "already stored" once coded.
                stored.add(digest)
                yield item

        stream: Iterable[Result | Failure]
        if staging_dir is not None:
            from .dask import code_on_dask

            stream = code_on_dask(
                fresh(),
                staging=staging_dir,
                scheduler=scheduler,
                workers=workers,
                model=model,
                batch_size=batch_size,
                partition_size=partition_size,
            )
        else:
            stream = code_stream(
                fresh(),
                workers=workers,
                nlp=nlp,
                model=model,
                batch_size=batch_size,
                time_budget=time_budget,
            )
        for item in stream:
            _store_item(store, item, report, observer, fail)
        observer.finish()
    report.seconds = time.perf_counter() - started
    return report


def _store_item(
    store: Store,
    item: Result | Failure,
    report: Report,
    observer: Observer,
    fail: Callable[[Failure], None],
    *,
    leftover: bool = False,
) -> None:
    """Store one coded article (its own transaction) or record its failure."""
    if isinstance(item, Failure):
        fail(item)
        return
    if not leftover:
        report.coded += 1
    report.stage_errors += len(item.errors)
    try:
        added = store.add(item)
    except StoreError as err:
        fail(Failure(item.article.id, "store", str(err), content_hash(item.article.text)))
        return
    if added:
        report.added += 1
        observer.update("stored", item.article.id)
    elif not leftover:
        report.already_stored += 1
        observer.update("present", item.article.id)
