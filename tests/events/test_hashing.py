"""realpolitik's n-gram hashing gives scikit-learn's HashingVectorizer counts exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils.murmurhash import murmurhash3_32 as reference_hash

from helpers import ROOT
from realpolitik.events.hashing import NgramHasher, murmurhash3_32

MODEL = ROOT / "src/realpolitik/events/models/model.json"


def _texts() -> list[str]:
    with (ROOT / "data/news/voa/dev/articles.jsonl").open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"][:2000] for line in list(fh)[:10]]
    # short words, repeated spaces, accents, non-Latin script, an empty text
    return [
        *texts,
        "",
        "a I  x\n\ny",
        "Ça élève l'État — 日本 and 北京 met",
        "Mr. O'Neil's 3-2 win",
    ]


def test_hash_matches_murmurhash3() -> None:
    keys = [s.encode() for s in ["", "a", "ab", "abc", "abcd", "abcde", "x" * 37, "héllo", "日本"]]
    keys += [bytes([i % 256]) * (i % 11) for i in range(200)]
    want = np.array([reference_hash(k, seed=0) for k in keys], dtype=np.int32)
    assert (murmurhash3_32(keys) == want).all()


@pytest.mark.parametrize(
    "params",
    [b["params"] for b in json.loads(MODEL.read_text(encoding="utf-8"))["blocks"]]
    + [{"analyzer": "char_wb", "ngram_range": [1, 1], "bits": 8}, {"bits": 4}],
    ids=lambda p: f"{p.get('analyzer', 'word')}-{p.get('ngram_range')}-{p.get('bits')}",
)
def test_counts_match_hashing_vectorizer(params: dict[str, object]) -> None:
    settings = {k: v for k, v in params.items() if k != "bits"}
    bits = int(params.get("bits", 20))  # type: ignore[call-overload]
    if "ngram_range" in settings:
        settings["ngram_range"] = tuple(settings["ngram_range"])  # type: ignore[arg-type]
    texts = _texts()
    want = HashingVectorizer(
        **settings, n_features=2**bits, alternate_sign=False, norm=None, dtype=np.float64
    ).transform(texts)
    got = NgramHasher(settings, bits).transform(texts)
    assert got.shape == want.shape and want.nnz > 0
    assert (got != want).nnz == 0
    assert (got.indices == want.indices).all() and (got.indptr == want.indptr).all()


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        NgramHasher({"stop_words": "english"}, 10)
    with pytest.raises(ValueError, match="unsupported analyzer"):
        NgramHasher({"analyzer": "char"}, 10)
