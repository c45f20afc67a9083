"""What the local pool and Dask share: moved to realpolitik.batch.work; this name is kept for
compatibility (the names below are the very objects of :mod:`realpolitik.batch.work`).
"""

from __future__ import annotations

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
    "Failure",
    "article_to_dict",
    "batched",
    "code_batch",
    "result_from_dict",
    "result_to_dict",
]
