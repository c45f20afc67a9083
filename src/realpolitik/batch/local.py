"""Code many articles on local worker processes: a pool that loads the pipeline once per worker.

:func:`code_stream` codes in this process (``workers=1``, in order) or on a pool of spawned
processes (:func:`code_on_pool`), with at most two batches per worker in flight; a worker that
dies or hangs past the time budget is replaced, and only the article to blame is reported as a
:class:`~realpolitik.batch.work.Failure`. :func:`code_paths` reads inputs and codes them here,
recording what failed in a :class:`Report`. Storing is :mod:`realpolitik.batch.ingest`'s job.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Literal

from spacy.language import Language

from ..errors import InputError, ModelError, printable
from ..guards import DEFAULT_TIME_BUDGET
from ..ingest import InputFormat, content_hash, read_articles
from ..records import Article, Result
from .work import (
    DEFAULT_BATCH_SIZE,
    Failure,
    batched,
    code_batch,
)

Stage = Literal["read", "nlp", "store", "worker", "budget"]


@dataclass
class Report:
    """What a batch run did."""

    added: int = 0
    already_stored: int = 0
    coded: int = 0
    failures: list[Failure] = field(default_factory=list)
    stage_errors: int = 0
    engine: str = "local"
    workers: int = 1
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no article failed."""
        return not self.failures

    def summary(self) -> str:
        """One line: what was coded, stored, skipped and what failed."""
        parts = [f"{self.coded} coded"]
        if self.added or self.already_stored:
            parts.append(f"{self.added} stored, {self.already_stored} already stored")
        if self.stage_errors:
            parts.append(f"{self.stage_errors} stage errors")
        parts.append(f"{len(self.failures)} failed")
        if self.seconds:
            rate = self.coded / self.seconds if self.seconds > 0 else 0.0
            parts.append(f"{self.seconds:.1f} s ({rate:.2f} articles/s)")
        return ", ".join(parts)


_WORKER: dict[str, Any] = {}


def _watch_parent(parent: int) -> None:
    """Exit when the parent dies (even by ``kill -9``), so no worker is left behind."""

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="realpolitik-watch-parent", daemon=True).start()


def _init_worker(model: str | None, parent: int, time_budget: float | None = None) -> None:
    """Pool initializer: load the pipeline once per worker process."""
    _watch_parent(parent)
    _WORKER["time_budget"] = time_budget
    try:
        # One worker per core: BLAS threads inside each worker would only fight over cores.
        from threadpoolctl import threadpool_limits

        _WORKER["blas"] = threadpool_limits(limits=1)
    except ImportError:  # threadpoolctl comes with scikit-learn; without it, keep defaults
        pass
    from ..nlp import load_nlp

    try:
        _WORKER["nlp"] = load_nlp(model, threads=1)  # the processes use the cores
    except Exception as exc:  # reported by the first task, so the run stops with the cause
        _WORKER["error"] = exc


def _work(articles: list[Article], batch_size: int) -> list[Result | Failure]:
    """Pool task: code one batch with this worker's pipeline."""
    if "error" in _WORKER:
        error = _WORKER["error"]
        if isinstance(error, ModelError):
            raise error
        raise ModelError(f"a worker could not load the pipeline: {error}", hint=None)
    return code_batch(_WORKER["nlp"], articles, batch_size, _WORKER.get("time_budget"))


Work = Callable[[list[Article], int], list[Result | Failure]]


def _died(article: Article) -> Failure:
    return Failure(
        article.id,
        "worker",
        "the worker process died while coding this article (out of memory or a crash)",
        content_hash(article.text),
    )


def _overran(article: Article, seconds: float) -> Failure:
    return Failure(
        article.id,
        "budget",
        f"coding took longer than the time budget of {seconds:g} s and did not stop: the worker "
        "process was killed and replaced\nHint: raise the budget (--time-budget SECONDS) or "
        "split the article",
        content_hash(article.text),
    )


# Until a (new) pool's first task comes back, its workers may still be loading pipelines.
_STARTUP_ALLOWANCE = 30.0


def _hard_limit(time_budget: float | None, batch_size: int, worked: bool) -> float | None:
    """Seconds without any finished task after which the pool's workers are killed.

    The workers enforce the budget themselves; this backs them up when an article is stuck in
    code that a signal cannot interrupt. Two batches per worker are in flight, so a batch may
    wait for the one before it.
    """
    if not time_budget:
        return None
    limit = 2 * time_budget * (batch_size + 1) + 5.0
    return limit if worked else limit + _STARTUP_ALLOWANCE


def code_on_pool(
    articles: Iterable[Article],
    *,
    workers: int,
    model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    work: Work = _work,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> Iterator[Result | Failure]:
    """Code articles on ``workers`` processes (each loads the pipeline once); unordered.

    At most two batches per worker are in flight, so memory stays flat on any corpus. If a
    worker process dies, the batches it may have held are retried one article at a time, one
    at a time, so only the article that kills a worker is reported (stage ``worker``).
    Each worker holds every article to ``time_budget`` seconds; if no task comes back for
    much longer than that (:func:`_hard_limit`), the workers are killed and replaced, and the
    article that ran alone past the limit is reported (stage ``budget``).
    """
    context = multiprocessing.get_context("spawn")  # no fork of a process holding DuckDB

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(model, os.getpid(), time_budget),
        )

    batches = iter(batched(articles, batch_size))
    suspects: deque[Article] = deque()  # articles of batches that were in a dying pool
    in_flight: dict[Future[list[Result | Failure]], tuple[list[Article], bool]] = {}
    exhausted = False
    worked = False  # whether any task ever came back
    early_deaths = 0  # pools that died before any task came back: no article's fault
    pool = new_pool()
    pool_worked = False  # whether a task of the current pool came back
    try:
        while True:
            # Suspects run alone so that a second death names its article for certain.
            while not in_flight and suspects:
                one = suspects.popleft()
                in_flight[pool.submit(work, [one], batch_size)] = ([one], True)
            while not suspects and not exhausted and len(in_flight) < 2 * workers:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                in_flight[pool.submit(work, batch, batch_size)] = (batch, False)
            if not in_flight:
                if exhausted and not suspects:
                    return
                continue
            limit = _hard_limit(time_budget, batch_size, pool_worked)
            done, _ = wait(in_flight, timeout=limit, return_when=FIRST_COMPLETED)
            killed = False
            if not done:
                # Stuck past any budget: kill the workers; every batch then fails as broken.
                killed = True
                for process in list(pool._processes.values()):
                    process.kill()
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                batch, alone = in_flight.pop(fut)
                try:
                    items = fut.result()
                except BrokenProcessPool:
                    broken = True
                    if alone and killed:
                        yield _overran(batch[0], time_budget or 0.0)
                    elif alone and not worked:
                        # Workers that cannot even start must not be blamed on articles.
                        early_deaths += 1
                        if early_deaths >= 3:
                            raise ModelError(
                                "the worker processes die before coding anything",
                                hint="run from a script file (workers are spawned and import "
                                "the main module; guard it with `if __name__ == '__main__':`), "
                                "check free memory, or use --workers 1",
                            ) from None
                        suspects.append(batch[0])
                    elif alone:
                        yield _died(batch[0])
                    else:
                        suspects.extend(batch)
                    continue
                except ModelError:
                    raise
                except Exception as exc:  # e.g. a result that cannot be pickled
                    for article in batch:
                        yield Failure(
                            article.id,
                            "worker",
                            f"{type(exc).__name__}: {exc}",
                            content_hash(article.text),
                        )
                    continue
                worked = pool_worked = True
                yield from items
            if broken:
                # Every other batch in flight was lost with the pool: try them again.
                for fut, (batch, _alone) in list(in_flight.items()):
                    try:
                        yield from fut.result()
                    except Exception:
                        suspects.extend(batch)
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                pool_worked = False
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def code_stream(
    articles: Iterable[Article],
    *,
    workers: int = 1,
    nlp: Language | None = None,
    model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> Iterator[Result | Failure]:
    """Code articles in this process (``workers=1``, in order) or on a process pool.

    ``time_budget``: seconds per article (None: no limit); see :func:`code_batch`.
    """
    if workers <= 1:
        if nlp is None:
            from ..nlp import load_nlp

            nlp = load_nlp(model)
        for batch in batched(articles, batch_size):
            yield from code_batch(nlp, batch, batch_size, time_budget)
        return
    if nlp is not None:
        raise ValueError("give a model name or path, not an nlp object, to code on several workers")
    yield from code_on_pool(
        articles, workers=workers, model=model, batch_size=batch_size, time_budget=time_budget
    )


# -- reading and coding ----------------------------------------------------------------------


def split_inputs(
    items: Iterable[Article | InputError], report: Report, on_error: Callable[[str], None]
) -> Iterator[Article]:
    """Yield the articles; record each input error in ``report`` and pass it to ``on_error``."""
    for item in items:
        if isinstance(item, InputError):
            report.failures.append(read_failure(item))
            on_error(str(item))
        else:
            yield item


def read_failure(err: InputError) -> Failure:
    """The failure (stage ``read``) of an input that could not be read."""
    where = f"{err.path}:{err.line}" if err.line is not None else err.path
    return Failure(printable(where), "read", printable(str(err)))


def code_paths(
    paths: Iterable[str],
    *,
    input_format: InputFormat = "auto",
    date: str | None = None,
    nlp: Language | None = None,
    report: Report | None = None,
    on_error: Callable[[str], None] = lambda _m: None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[Result]:
    """Code every article in ``paths``, in input order, reporting bad inputs as they come.

    An article whose coding raises or runs past ``time_budget`` seconds is a failure in
    ``report`` (and passed to ``on_error``); the articles after it are still coded.
    """
    report = report if report is not None else Report()
    articles = split_inputs(
        read_articles(paths, input_format=input_format, date=date), report, on_error
    )
    for item in code_stream(articles, nlp=nlp, batch_size=batch_size, time_budget=time_budget):
        if isinstance(item, Failure):
            report.failures.append(item)
            on_error(str(item))
            continue
        report.coded += 1
        report.stage_errors += len(item.errors)
        yield item
