"""Train the learned attribution model (``realpolitik train-attribution``).

The model itself, and how it is applied, is :mod:`realpolitik.quotes.model`; this module
prepares labelled candidates from a PolNeAR-format file (through the evaluator's matching,
:mod:`realpolitik.evaluate.quotes`), fits the logistic regressions and chooses the thresholds
by cross-validation.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from realpolitik.errors import EvaluationError
from realpolitik.evaluate.quotes import (
    gold_units,
    group_quotes,
    jaccard,
    load_polnear,
    match_contents,
    score_documents,
    word_tokens,
)
from realpolitik.quotes import QuoteSpan, attribution_candidates, find_quotes
from realpolitik.quotes.model import AttributionModel

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["TrainReport", "train_attribution_model", "train_on_documents"]


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

    def best(toks: frozenset[int], gold: list[frozenset[int]]) -> float:
        return max((jaccard(toks, g) for g in gold if toks & g), default=0.0)

    opens: list[_Prepared] = []
    ends: list[_Prepared] = []
    rules: list[list[QuoteSpan]] = []
    for row, doc in zip(rows, docs, strict=True):
        text = row["text"]
        gold = [g.tokens for g in gold_units(row)]
        rule_quotes, cands, other = attribution_candidates(doc)
        rules.append(rule_quotes)
        groups = group_quotes(rule_quotes)
        pred = [word_tokens(text, [rule_quotes[i].content for i in g]) for g in groups]
        taken = {j for _, j in match_contents(pred, gold, "overlap", 0.3)}
        free = [g for j, g in enumerate(gold) if j not in taken]
        labels = [int(best(word_tokens(text, [c.content]), free) > 0.3) for c in cands]
        opens.append(_Prepared(row, doc, [c.features for c in cands], labels))
        end_labels = []
        for e in other:
            before = best(word_tokens(text, [e.content]), gold)
            after = best(word_tokens(text, [e.alternative]), gold)
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
