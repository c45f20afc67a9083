"""The learned part of attribution: which open candidates are attributions.

The rules in :mod:`realpolitik.quotes` find what reporting words and quotation marks announce.
Annotated news (PolNeAR) also counts a long tail of attributions that no lexicon lists: "X
tweeted their approval", "Y cast a vote for her", "Z's pledge to remove all troops". For
those, :mod:`realpolitik.quotes` proposes *open candidates*, every verb with a subject and a
complement (and every noun with a possessor and a prepositional or infinitive complement)
that the rules did not already read, with binary features of the parse around it (cue lemma,
complement type, who the subject is, whether the sentence holds a quotation, ...). This
module holds the model that scores them: a logistic regression, stored as readable JSON
(feature -> weight), applied in pure Python. A candidate is kept when its probability reaches
the threshold chosen by cross-validation on the training split. A second model of the same
form (``boundary``) decides where the content of an indirect quote the rules found should end:
where the rules ended it, at the end of the sentence, or before the head's trailing modifiers.

Train your own with ``realpolitik train-attribution POLNEAR.jsonl --out model.json`` and use
it with ``REALPOLITIK_ATTRIBUTION_MODEL=model.json`` (``none`` turns the model off).
"""

from __future__ import annotations

import json
import math
import os
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from realpolitik.errors import EvaluationError, ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from realpolitik.quotes import QuoteSpan

__all__ = [
    "FEATURES_VERSION",
    "AttributionModel",
    "TrainReport",
    "load_attribution_model",
    "train_attribution_model",
]

# Bump when the features computed in realpolitik.quotes change: a model trained on other
# features is refused rather than silently misread.
FEATURES_VERSION = 2
_ENV = "REALPOLITIK_ATTRIBUTION_MODEL"
_PACKAGED = "attribution_model.json"


@dataclass(frozen=True)
class AttributionModel:
    """Logistic-regression weights over binary features, and the decision threshold.

    ``boundary``, when present, is a second model of the same form that decides whether an
    indirect quote's content should end elsewhere than where the rules ended it.
    """

    weights: Mapping[str, float]
    bias: float
    threshold: float
    features_version: int = FEATURES_VERSION
    info: Mapping[str, Any] = field(default_factory=dict)
    boundary: AttributionModel | None = None

    def score(self, features: Iterable[str]) -> float:
        """Probability that a candidate with these features is an attribution."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in set(features))
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def _linear(self) -> dict[str, Any]:
        """The regression itself: threshold, bias and weights."""
        return {
            "threshold": self.threshold,
            "bias": self.bias,
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def _from_linear(cls, data: Mapping[str, Any], version: int, **extra: Any) -> AttributionModel:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return cls(weights, float(data["bias"]), float(data["threshold"]), version, **extra)

    def to_dict(self) -> dict[str, Any]:
        linear = self._linear()
        return {
            "kind": "realpolitik-attribution-model",
            "features_version": self.features_version,
            "threshold": linear["threshold"],
            "bias": linear["bias"],
            "info": dict(self.info),
            "weights": linear["weights"],
            "boundary": None if self.boundary is None else self.boundary._linear(),
        }

    def save(self, path: str | Path) -> Path:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(self.to_dict(), indent=0, ensure_ascii=False) + "\n")
        return out

    @classmethod
    def from_file(cls, path: str | Path) -> AttributionModel:
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelError(
                f"{p}: no such attribution model",
                hint=f"train one with `realpolitik train-attribution`, or unset {_ENV}",
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(
                f"{p}: not a readable attribution model ({exc})",
                hint="point to a file written by `realpolitik train-attribution`",
            ) from None
        if not isinstance(data, dict) or data.get("kind") != "realpolitik-attribution-model":
            raise ModelError(
                f"{p}: not an attribution model (field 'kind' is missing or wrong)",
                hint="point to a file written by `realpolitik train-attribution`",
            )
        version = data.get("features_version")
        if version != FEATURES_VERSION:
            raise ModelError(
                f"{p}: trained on features version {version}, this realpolitik computes "
                f"version {FEATURES_VERSION}",
                hint="retrain it with `realpolitik train-attribution`",
            )
        try:
            ends = data.get("boundary")
            boundary = None if ends is None else cls._from_linear(ends, version)
            info = dict(data.get("info") or {})
            return cls._from_linear(data, version, info=info, boundary=boundary)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(
                f"{p}: malformed attribution model (field {exc})",
                hint="retrain it with `realpolitik train-attribution`",
            ) from None


@lru_cache(maxsize=8)
def _load(path: str) -> AttributionModel:
    if path == "packaged":
        ref = resources.files("realpolitik") / "data" / _PACKAGED
        with resources.as_file(ref) as p:
            return AttributionModel.from_file(p)
    return AttributionModel.from_file(path)


def load_attribution_model(path: str | None = None) -> AttributionModel | None:
    """``path``, else ``$REALPOLITIK_ATTRIBUTION_MODEL``, else the packaged model.

    "none" (either way) means no model: the rules alone decide.
    """
    chosen = path if path is not None else os.environ.get(_ENV) or "packaged"
    if chosen.strip().lower() in ("none", "off", "rules"):
        return None
    return _load(chosen)


# --------------------------------------------------------------------------- training


@dataclass
class TrainReport:
    """What :func:`train_attribution_model` did, with its cross-validated figures."""

    docs: int
    candidates: int
    positives: int
    threshold: float
    folds: int
    rules_only: dict[str, Any]
    with_model: dict[str, Any]
    by_threshold: dict[float, float]
    end_candidates: int = 0
    end_positives: int = 0
    end_threshold: float | None = None
    by_end_threshold: dict[float, float] = field(default_factory=dict)
    out: Path | None = None


@dataclass
class _Prepared:
    row: dict[str, Any]
    doc: Doc
    features: list[list[str]]
    labels: list[int]


def _prepare(
    rows: Sequence[dict[str, Any]], docs: Sequence[Doc]
) -> tuple[list[_Prepared], list[_Prepared], list[list[QuoteSpan]]]:
    """Per document, the open candidates and the other content ends, labelled as the scorer
    would judge them. An open candidate is positive when its content matches (Jaccard > 0.3)
    a gold attribution the rules left unmatched; another end is positive when it matches a
    gold attribution that the rule's own end did not, and better. Also what the rules alone
    find in each document."""
    from realpolitik.evaluate.quotes import _gold_units, _group, _jaccard, _match, _tokens
    from realpolitik.quotes import attribution_candidates

    def best(toks: frozenset[int], gold: list[frozenset[int]]) -> float:
        return max((_jaccard(toks, g) for g in gold if toks & g), default=0.0)

    opens: list[_Prepared] = []
    ends: list[_Prepared] = []
    rules: list[list[QuoteSpan]] = []
    for row, doc in zip(rows, docs, strict=True):
        text = row["text"]
        gold = [g.tokens for g in _gold_units(row)]
        rule_quotes, cands, other = attribution_candidates(doc)
        rules.append(rule_quotes)
        groups = _group(rule_quotes)
        pred = [_tokens(text, [rule_quotes[i].content for i in g]) for g in groups]
        taken = {j for _, j in _match(pred, gold, "overlap", 0.3)}
        free = [g for j, g in enumerate(gold) if j not in taken]
        labels = [int(best(_tokens(text, [c.content]), free) > 0.3) for c in cands]
        opens.append(_Prepared(row, doc, [c.features for c in cands], labels))
        end_labels = []
        for e in other:
            before = best(_tokens(text, [e.content]), gold)
            after = best(_tokens(text, [e.alternative]), gold)
            end_labels.append(int(before <= 0.3 < after))
        ends.append(_Prepared(row, doc, [e.features for e in other], end_labels))
    return opens, ends, rules


@overload
def _fit(data: Sequence[_Prepared], c: float) -> tuple[dict[str, float], float]: ...
@overload
def _fit(
    data: Sequence[_Prepared], c: float, *, required: bool
) -> tuple[dict[str, float], float] | None: ...


def _fit(
    data: Sequence[_Prepared], c: float, *, required: bool = True
) -> tuple[dict[str, float], float] | None:
    """Weights and bias of a logistic regression; ``None`` (or an error when ``required``)
    without both positive and negative examples."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    x = [dict.fromkeys(f, 1) for p in data for f in p.features]
    y = [label for p in data for label in p.labels]
    if len(set(y)) < 2:
        if not required:
            return None
        raise EvaluationError(
            "the training data gives no positive (or no negative) candidates",
            hint="train on a PolNeAR-format file with attributions outside reporting verbs",
        )
    vec = DictVectorizer()
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(vec.fit_transform(x), y)
    names = vec.get_feature_names_out()
    weights = {
        str(n): round(float(w), 4)
        for n, w in zip(names, clf.coef_[0], strict=True)
        if abs(w) >= 1e-3
    }
    return weights, round(float(clf.intercept_[0]), 4)


_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
_END_GRID = (0.2, 0.3, 0.4, 0.5, 0.6)


def train_attribution_model(
    path: str | Path,
    nlp: Language,
    *,
    out: str | Path | None = None,
    folds: int = 5,
    c: float = 1.0,
    seed: int = 0,
    limit: int | None = None,
) -> TrainReport:
    """Train on a PolNeAR-format file (first annotator of each article).

    The threshold is chosen by ``folds``-fold cross-validation over documents: each fold's
    model scores the held-out documents, which are then decoded by ``find_quotes`` and
    scored as ``realpolitik eval quotes`` scores them. The final model is fitted on all
    documents. The report gives the cross-validated figures of the rules alone and with the
    model at the chosen threshold (both measured on this file: it is the training split).
    """
    from realpolitik.evaluate.quotes import load_polnear

    rows = load_polnear(path, limit=limit)
    if not rows:
        raise EvaluationError(f"{path}: no articles", hint="give a PolNeAR-format JSONL file")
    docs = list(nlp.pipe([r["text"] for r in rows], batch_size=8))
    return train_on_documents(
        rows, docs, out=out, folds=folds, c=c, seed=seed, name=Path(path).name
    )


def train_on_documents(
    rows: Sequence[dict[str, Any]],
    docs: Sequence[Doc],
    *,
    out: str | Path | None = None,
    folds: int = 5,
    c: float = 1.0,
    seed: int = 0,
    name: str = "",
) -> TrainReport:
    """:func:`train_attribution_model` on rows already parsed (``docs[i]`` is ``rows[i]``).

    The open-candidate threshold is chosen first (ends left to the rules), then the end
    model's threshold given it; the end model is left out when no threshold helps.
    """
    from realpolitik.evaluate.quotes import score_documents
    from realpolitik.quotes import find_quotes

    opens, ends, rules = _prepare(rows, docs)
    order = list(range(len(opens)))
    random.Random(seed).shuffle(order)
    k = max(2, min(folds, len(opens)))
    fold_of = {i: n % k for n, i in enumerate(order)}
    fitted = [
        (
            _fit([d for i, d in enumerate(opens) if fold_of[i] != f], c),
            _fit([d for i, d in enumerate(ends) if fold_of[i] != f], c, required=False),
        )
        for f in range(k)
    ]

    def decode(t_open: float, t_end: float | None) -> dict[str, Any]:
        preds = []
        for i, d in enumerate(opens):
            (weights, bias), end_fit = fitted[fold_of[i]]
            boundary = None
            if t_end is not None and end_fit is not None:
                boundary = AttributionModel(end_fit[0], end_fit[1], t_end)
            model = AttributionModel(weights, bias, t_open, boundary=boundary)
            preds.append(find_quotes(d.doc, model=model))
        return score_documents(rows, preds, docs=docs)

    rules_only = score_documents(rows, rules, docs=docs)
    reports = {t: decode(t, None) for t in _GRID}
    by_threshold = {t: r["overlap"]["f1"] for t, r in reports.items()}
    best = max(_GRID, key=lambda t: (by_threshold[t], -t))
    best_report = reports[best]
    by_end: dict[float, float] = {}
    end_threshold: float | None = None
    if all(e is not None for _, e in fitted):
        for t in _END_GRID:
            report = decode(best, t)
            by_end[t] = report["overlap"]["f1"]
            if by_end[t] > best_report["overlap"]["f1"]:
                best_report, end_threshold = report, t
    weights, bias = _fit(opens, c)
    boundary = None
    end_fit = _fit(ends, c, required=False) if end_threshold is not None else None
    if end_fit is not None and end_threshold is not None:
        boundary = AttributionModel(end_fit[0], end_fit[1], end_threshold)
    model = AttributionModel(
        weights,
        bias,
        best,
        info={
            "trained_on": name,
            "docs": len(opens),
            "folds": k,
            "C": c,
            "seed": seed,
            "cv_overlap_f1": best_report["overlap"]["f1"],
            "cv_rules_only_overlap_f1": rules_only["overlap"]["f1"],
        },
        boundary=boundary,
    )
    saved = model.save(out) if out is not None else None
    return TrainReport(
        docs=len(opens),
        candidates=sum(len(d.labels) for d in opens),
        positives=sum(sum(d.labels) for d in opens),
        threshold=best,
        folds=k,
        rules_only=rules_only,
        with_model=best_report,
        by_threshold=by_threshold,
        end_candidates=sum(len(d.labels) for d in ends),
        end_positives=sum(sum(d.labels) for d in ends),
        end_threshold=end_threshold,
        by_end_threshold=by_end,
        out=saved,
    )
