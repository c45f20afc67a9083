"""Hashed n-gram counts, the same as scikit-learn's ``HashingVectorizer``, without importing it.

The classifier's features are n-grams hashed with MurmurHash3 (x86, 32-bit, seed 0) into
``2**bits`` buckets, as ``HashingVectorizer(alternate_sign=False, norm=None)`` does. Importing
scikit-learn costs 1.5-5 s (it pulls in ``scipy.stats``), more than coding a short article, so
this module does the same analysis (lower-casing, ``token_pattern`` words and word n-grams,
or ``char_wb`` character n-grams) and the same hash, vectorised with numpy over all n-grams of
all n-grams of a call at once. ``tests/events/test_hashing.py`` checks that the counts are
identical to scikit-learn's on real sentences for every block of the shipped model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's default
SUPPORTED = frozenset({"analyzer", "ngram_range", "lowercase", "token_pattern", "bits"})
_WHITE_SPACES = re.compile(r"\s\s+")

_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def murmurhash3_32(keys: Sequence[bytes]) -> np.ndarray:
    """MurmurHash3_x86_32 (seed 0) of each byte string, as signed 32-bit integers.

    All keys go through at once: zero-padded to the longest into one matrix of 4-byte blocks,
    each row's hash updated only over its own blocks (the padding leaves a tail as it is)."""
    count = len(keys)
    if not count:
        return np.zeros(0, dtype=np.int32)
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=count)
    width = int(lengths.max() + 3) // 4 * 4 or 4
    buf = np.frombuffer(b"".join(k.ljust(width, b"\0") for k in keys), dtype=np.uint8)
    words = buf.reshape(count, width).view("<u4").astype(np.uint32)
    full = lengths // 4
    h = np.zeros(count, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for b in range(int(full.max())):
            k = _rotl(words[:, b] * _C1, 15) * _C2
            mixed = _rotl(h ^ k, 13) * np.uint32(5) + np.uint32(0xE6546B64)
            h = np.where(full > b, mixed, h)
        tail = (lengths & 3) != 0
        if tail.any():
            rows = np.flatnonzero(tail)
            k = _rotl(words[rows, full[rows]] * _C1, 15) * _C2
            h[rows] ^= k
        h ^= lengths.astype(np.uint32)
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    return h.view(np.int32)


def _word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    out = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        out += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return out


def _char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    out: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        w = f" {word} "
        size = len(w)
        for n in range(low, high + 1):
            if n >= size:
                out.append(w)  # a short word counts once, whole
                break
            out += [w[i : i + n] for i in range(size - n + 1)]
    return out


class NgramHasher:
    """``HashingVectorizer(**params, n_features=2**bits, alternate_sign=False, norm=None)``."""

    def __init__(self, params: dict[str, Any], bits: int) -> None:
        unknown = set(params) - SUPPORTED
        if unknown:
            raise ValueError(f"unsupported analysis settings {sorted(unknown)}")
        self.analyzer = params.get("analyzer", "word")
        if self.analyzer not in ("word", "char_wb"):
            raise ValueError(f"unsupported analyzer {self.analyzer!r}")
        low, high = params.get("ngram_range", (1, 1))
        self.low, self.high = int(low), int(high)
        self.lowercase = bool(params.get("lowercase", True))
        self.tokens = re.compile(params.get("token_pattern") or DEFAULT_TOKEN_PATTERN)
        if self.tokens.groups > 1:
            raise ValueError("more than one capturing group in token_pattern")
        self.n_features = 2**bits

    def analyze(self, text: str) -> list[str]:
        """The n-grams of one text, in scikit-learn's order."""
        if self.lowercase:
            text = text.lower()
        if self.analyzer == "char_wb":
            return _char_wb_ngrams(text, self.low, self.high)
        return _word_ngrams(self.tokens.findall(text), self.low, self.high)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Counts per bucket, one row per text (float64, duplicates summed, indices sorted)."""
        grams = [self.analyze(t) for t in texts]
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(g) for g in grams])
        hashes = murmurhash3_32([g.encode("utf-8") for row in grams for g in row]).astype(np.int64)
        # abs(-2**31) overflows int32; scikit-learn defines it as abs(-2**31) % n as well
        indices = np.abs(hashes) % self.n_features
        data = np.ones(len(indices), dtype=np.float64)
        matrix = sparse.csr_matrix(
            (data, indices, indptr), shape=(len(texts), self.n_features), dtype=np.float64
        )
        matrix.sum_duplicates()
        return matrix
