"""numpy-BLAS matrix products for the spaCy pipeline: same products, same annotations."""

from __future__ import annotations

import json

import numpy
import pytest
from spacy.language import Language
from thinc.api import Model, NumpyOps

from helpers import ROOT
from realpolitik.ops import MatmulOps, numpy_is_faster, use_fast_ops


@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
def test_gemm_matches_blis(trans1: bool, trans2: bool) -> None:
    rng = numpy.random.default_rng(7)
    x = rng.standard_normal((37, 53) if not trans1 else (53, 37), dtype=numpy.float32)
    y = rng.standard_normal((53, 29) if not trans2 else (29, 53), dtype=numpy.float32)
    want = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    got = MatmulOps().gemm(x, y, trans1=trans1, trans2=trans2)
    assert got.shape == want.shape and got.dtype == numpy.float32
    numpy.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
    out = numpy.empty_like(want)
    assert MatmulOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    numpy.testing.assert_allclose(out, want, rtol=1e-4, atol=1e-4)


def test_gemm_rejects_vectors() -> None:
    with pytest.raises(ValueError, match="2-dimensional"):
        MatmulOps().gemm(numpy.ones(3, dtype="f"), numpy.ones((3, 2), dtype="f"))


def test_timing_check_answers() -> None:
    assert numpy_is_faster(repeats=1) in (True, False)


def _texts() -> list[str]:
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "src/realpolitik/examples").glob("*.txt"))
    ]
    with (ROOT / "data/news/voa/dev/articles.jsonl").open(encoding="utf-8") as fh:
        texts += [json.loads(line)["text"] for line in list(fh)[:8]]
    return texts


def _annotations(doc: object) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [
        (t.text, t.tag_, t.pos_, t.head.i, t.dep_, t.ent_iob_, t.ent_type_) for t in doc
    ]  # type: ignore[attr-defined]
    rows += [(e.start, e.end, e.label_) for e in doc.ents]  # type: ignore[attr-defined]
    return rows


def _nodes(nlp: Language) -> list[Model]:  # type: ignore[type-arg]
    models = [getattr(c, "model", None) for _, c in nlp.components]
    return [n for m in models if isinstance(m, Model) for n in m.walk()]


@pytest.mark.model
def test_annotations_identical_to_stock() -> None:
    import spacy

    from realpolitik.nlp import model_name

    stock = spacy.load(model_name())
    fast = spacy.load(model_name())
    assert use_fast_ops(stock, False) is False
    assert use_fast_ops(fast, True) is True
    fast_nodes, stock_nodes = _nodes(fast), _nodes(stock)
    assert fast_nodes and all(isinstance(n.ops, MatmulOps) for n in fast_nodes)
    assert not any(isinstance(n.ops, MatmulOps) for n in stock_nodes)
    texts = _texts()
    want = [_annotations(d) for d in stock.pipe(texts, batch_size=4)]
    got = [_annotations(d) for d in fast.pipe(texts, batch_size=4)]
    assert sum(len(w) for w in want) > 2000
    assert got == want
