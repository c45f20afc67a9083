"""Faster matrix products for the spaCy pipeline: numpy's BLAS where it beats ``blis``.

The PyPI ``blis`` wheel runs generic kernels on some CPUs, where numpy's BLAS (OpenBLAS) is
two to three times faster on the products a small English pipeline does. :class:`MatmulOps`
is thinc's :class:`~thinc.api.NumpyOps` with ``gemm`` done by ``numpy.matmul``;
:func:`use_fast_ops` times both on a typical product when the pipeline loads and sets the
faster one on every model node. Only the rounding of float32 sums can differ, which leaves the
annotations (tags, heads, labels, entities) as they are: ``tests/test_ops.py`` checks that.
"""

from __future__ import annotations

import time
from typing import Any

import numpy
from spacy.language import Language
from thinc.api import NumpyOps

from .settings import FAST_OPS_ENV as FAST_OPS_ENV  # "0" turns the default off (settings.py)

# (rows, inner, columns) of the product timed at load: a batch of token vectors through a
# 96->384-wide layer, the common shape in en_core_web_sm's tok2vec and parser
_PROBE = (256, 384, 384)
_MARGIN = 0.9  # numpy must be at least 10% faster to be used


class MatmulOps(NumpyOps):
    """:class:`NumpyOps` whose ``gemm`` calls ``numpy.matmul`` (numpy's BLAS)."""

    name = "realpolitik_matmul"

    def gemm(
        self,
        x: Any,
        y: Any,
        out: Any = None,
        trans1: bool = False,
        trans2: bool = False,
    ) -> Any:
        if x.ndim != 2 or y.ndim != 2:
            raise ValueError(
                f"gemm needs 2-dimensional arrays, got {x.ndim} and {y.ndim} dimensions"
            )
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out


def _best_time(run: Any, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def numpy_is_faster(repeats: int = 5) -> bool:
    """Whether ``numpy.matmul`` beats thinc's ``blis`` gemm on a typical product here (a few ms)."""
    rows, inner, cols = _PROBE
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((rows, inner), dtype=numpy.float32)
    y = rng.standard_normal((cols, inner), dtype=numpy.float32)
    stock, fast = NumpyOps(), MatmulOps()
    stock.gemm(x, y, trans2=True)  # warm both up (thread pools, caches)
    fast.gemm(x, y, trans2=True)
    blis_s = _best_time(lambda: stock.gemm(x, y, trans2=True), repeats)
    numpy_s = _best_time(lambda: fast.gemm(x, y, trans2=True), repeats)
    return numpy_s < _MARGIN * blis_s


def _one_blas_thread() -> None:
    """Run numpy's BLAS on one thread, as blis does: the pipeline's products are small, so
    threads only contend (tens of ms per product on a busy machine); worker processes give
    the parallelism."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with scikit-learn
        return
    threadpool_limits(limits=1, user_api="blas")


def use_fast_ops(nlp: Language, enabled: bool | None = None) -> bool:
    """Set :class:`MatmulOps` on every model node of ``nlp``'s components.

    ``enabled``: True always, False never (stock ops stay), None when the timing check
    (:func:`numpy_is_faster`) says numpy is faster here. Unless False, numpy's BLAS is set to
    one thread in this process. Returns whether the ops were set.
    """
    if enabled is False:
        return False
    _one_blas_thread()
    if enabled is None and not numpy_is_faster():
        return False
    ops = MatmulOps()
    for _name, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if isinstance(node.ops, NumpyOps):  # leave GPU or custom ops alone
                node.ops = ops
    return True
