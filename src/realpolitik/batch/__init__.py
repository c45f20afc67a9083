"""Batch processing: coding many articles at once, on local worker processes or a Dask cluster.

:mod:`~realpolitik.batch.work` is what both engines share: coding a batch of articles with a
loaded pipeline under a per-article time budget, each article ending as a
:class:`~realpolitik.records.Result` or a :class:`Failure` (an article that raises or runs over
the budget fails alone; the others are still coded), and the plain-data form in which articles
and results cross from one process or machine to another.

:mod:`~realpolitik.batch.local` codes on this machine: in this process, or on a pool of spawned
worker processes that each load the pipeline once (:func:`code_stream`, :func:`code_on_pool`).
A worker that dies or hangs is replaced and only the article to blame is reported.
:func:`code_paths` reads inputs and codes them, keeping a :class:`Report` of what failed.

:mod:`~realpolitik.batch.dask` codes on a Dask cluster (a ``LocalCluster`` it starts, or the
scheduler it is given): partitions of articles go to the workers and come back as Parquet,
staged beside the store so that a killed run loses nothing. It is the only module that talks to
Dask. :mod:`~realpolitik.batch.ingest` is ``realpolitik ingest``: read the inputs, skip what the
store holds, code the rest on either engine, and store each article in its own transaction
(:func:`ingest_paths`); this process is the only writer, so a run can be killed at any point
and resumed.

Imports go one way. ``local`` and ``dask`` import ``work``, never each other; ``work`` imports
neither; ``ingest`` imports ``local``, and ``dask`` only for ``engine="dask"``. The package
builds on the pipeline, the input readers (:mod:`realpolitik.ingest`), the records and the
store; nothing in it is imported by the NLP stages (``nlp``, ``actors/``, ``quotes/``,
``events/``, ``places``, ``dates``, ``relations``) or by ``pipeline``: only the CLI, analysis
and users import it (``scripts/import_graph.py`` and ``tests/test_import_graph.py`` check this).
The old modules ``realpolitik.corpus``, ``realpolitik.scale`` and ``realpolitik.batching`` are
kept for compatibility and re-export the same objects.

The names below are imported from their modules on first use, so importing the package (or
only :mod:`~realpolitik.batch.work` or :mod:`~realpolitik.batch.dask`, as Dask workers do) loads
no more than that.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dask import code_on_dask
    from .ingest import NullObserver, Observer, example_paths, ingest_paths
    from .local import Report, code_on_pool, code_paths, code_stream
    from .work import (
        DEFAULT_BATCH_SIZE,
        Failure,
        article_to_dict,
        code_batch,
        result_from_dict,
        result_to_dict,
    )

# name -> the module of this package that defines it
_HOME = {
    "DEFAULT_BATCH_SIZE": "work",
    "Failure": "work",
    "article_to_dict": "work",
    "code_batch": "work",
    "result_from_dict": "work",
    "result_to_dict": "work",
    "Report": "local",
    "code_on_pool": "local",
    "code_paths": "local",
    "code_stream": "local",
    "code_on_dask": "dask",
    "NullObserver": "ingest",
    "Observer": "ingest",
    "example_paths": "ingest",
    "ingest_paths": "ingest",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Failure",
    "NullObserver",
    "Observer",
    "Report",
    "article_to_dict",
    "code_batch",
    "code_on_dask",
    "code_on_pool",
    "code_paths",
    "code_stream",
    "example_paths",
    "ingest_paths",
    "result_from_dict",
    "result_to_dict",
]
