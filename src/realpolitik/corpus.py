"""Batch work over many inputs: moved to realpolitik.batch.local (coding on worker processes) and
realpolitik.batch.ingest (ingest into the store); this name is kept for compatibility.

The names below are the very objects of :mod:`realpolitik.batch` (what is sent to worker
processes is defined in, and pickled from, :mod:`realpolitik.batch.local`).
"""

from __future__ import annotations

from .batch.ingest import (
    Engine,
    NullObserver,
    Observer,
    Outcome,
    count_pending,
    example_paths,
    ingest_paths,
)
from .batch.local import (
    Report,
    Stage,
    Work,
    code_on_pool,
    code_paths,
    code_stream,
    split_inputs,
)
from .batch.work import (
    DEFAULT_BATCH_SIZE,
    Failure,
    article_to_dict,
    batched,
    code_batch,
    result_from_dict,
    result_to_dict,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Engine",
    "Failure",
    "NullObserver",
    "Observer",
    "Outcome",
    "Report",
    "Stage",
    "Work",
    "article_to_dict",
    "batched",
    "code_batch",
    "code_on_pool",
    "code_paths",
    "code_stream",
    "count_pending",
    "example_paths",
    "ingest_paths",
    "result_from_dict",
    "result_to_dict",
    "split_inputs",
]
