"""Train the event extractor on hand-coded news (``realpolitik train-events``).

1. The training articles (a gold folder in the news format, e.g. ``data/news/voa/train``) are
   run through the pipeline with the rule coder only, so each Doc has its actors, quotations
   and rule events.
2. Every candidate pair of :func:`realpolitik.events.extractor.pair_candidates` gets a label:
   the PLOVER type of a gold event of its sentence whose source and target are the pair's two
   actors (either direction for a mutual gold event), else NONE. Actors are compared as the
   scorer compares them (:func:`realpolitik.evaluate.news.actor_key`).
3. A multinomial logistic regression is fitted on binary features seen in at least
   ``min_count`` candidates. Out-of-fold probabilities from ``folds``-fold cross-validation by
   article choose one threshold per type (coordinate ascent on candidate-level micro F1), and
   the same out-of-fold decisions, coded into events, give the CV figures of
   ``realpolitik eval events`` on the training split. With a PLV file, its labelled pairs
   (positives only) join the training part of every fold and the final fit.
4. The model is fitted on every article and saved with its thresholds and figures.

Deterministic for given data and settings.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import EvaluationError
from ..evaluate.news import actor_key, load_gold, same_actor, score
from ..events.encoder import Encoder
from ..events.extractor import (
    DENSE_VIEWS,
    GATE_DROP,
    NONE,
    EventExtractor,
    FeatureCache,
    Gate,
    PairCandidate,
    extract_events,
    pair_candidates,
    pair_dense,
    pair_features,
)
from ..records import Article

GRID = tuple(round(x, 2) for x in np.arange(0.1, 0.96, 0.05))
DENSE_SCALE = 3.0  # the encoder's unit-length view against binary features (chosen by CV)


@dataclass(slots=True)
class TrainingSet:
    pairs: list[tuple[dict[str, Any], dict[str, Any]]]
    docs: list[Doc]
    candidates: list[list[PairCandidate]]  # per article
    features: list[list[str]]  # per candidate, all articles in order
    labels: list[str]
    groups: list[int]  # article index of each candidate
    dense: np.ndarray | None = None  # per candidate, the encoder's view (pair_dense)


def _docs(pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]], nlp: Language) -> list[Doc]:
    from ..ingest import article_from_json

    docs = []
    for number, (art, _) in enumerate(pairs, 1):
        article: Article = article_from_json(art, path="training articles", line=number)
        doc = nlp.make_doc(article.text)
        doc._.rp_article = article
        docs.append(doc)
    return list(nlp.pipe(docs, batch_size=8))


def _side_dict(side: Any) -> dict[str, Any]:
    return {"actor": side.actor.id, "code": side.actor.code, "country": side.actor.country}


def candidate_label(
    article: dict[str, Any], gold: dict[str, Any], c: PairCandidate, actors: dict[str, Any]
) -> str:
    """The gold type of a candidate pair, or NONE."""
    text = article["text"]
    src = actor_key(_side_dict(c.src), actors)
    tgt = actor_key(_side_dict(c.tgt), actors)
    for e in gold.get("events", []):
        i = text.find(e["sentence"])
        if i < 0 or not (i < c.sent.end_char and c.sent.start_char < i + len(e["sentence"])):
            continue
        forward = same_actor(e["source"], src) and same_actor(e["target"], tgt)
        backward = e.get("mutual") and same_actor(e["source"], tgt) and same_actor(e["target"], src)
        if forward or backward:
            return str(e["plover"])
    return NONE


def build(gold_dir: str | Path, nlp: Language, encoder: Encoder | None = None) -> TrainingSet:
    """Code the gold articles (rules only), generate and label every candidate (with an
    ``encoder``, also its dense view)."""
    pairs = load_gold(gold_dir)
    docs = _docs(pairs, nlp)
    cands_all, feats, labels, groups = [], [], [], []
    dense: list[np.ndarray] = []
    for n, ((art, gold), doc) in enumerate(zip(pairs, docs, strict=True)):
        actors = {a.id: a.to_dict() for a in doc._.rp_actors or []}
        quotes = list(doc._.rp_quotes or [])
        cands = pair_candidates(doc, doc._.rp_events or [], quotes)
        cands_all.append(cands)
        cache = FeatureCache(doc)
        vectors = None
        if encoder is not None and cands:
            vectors = encoder.token_vectors(doc, {c.sent.start: c.sent for c in cands}.values())
        for c in cands:
            feats.append(pair_features(doc, c, quotes, cache))
            labels.append(candidate_label(art, gold, c, actors))
            groups.append(n)
            if vectors is not None:
                dense.append(pair_dense(vectors, c, cache))
    matrix = None
    if encoder is not None:
        width = encoder.dim * len(DENSE_VIEWS)
        matrix = np.vstack(dense) if dense else np.zeros((0, width), dtype=np.float32)
    return TrainingSet(pairs, docs, cands_all, feats, labels, groups, matrix)


PLV_SKIP = {"YIELD"}  # PLV folds CONCEDE and RETREAT into one label: not a PLOVER type here


def plv_examples(path: str | Path, nlp: Language) -> tuple[list[list[str]], list[str], int]:
    """Positive examples from a PLV-style TSV (``sentence``, ``source``, ``target``,
    ``gold_root``): each sentence is coded (rules only) and the candidate whose two actors'
    mentions lie on the marked source and target becomes an example of its label. Other pairs
    of those sentences are not used (PLV labels one pair per sentence, not every event).
    Returns (features, labels, sentences read)."""
    import csv

    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
    except OSError as exc:
        raise EvaluationError(
            f"{path}: cannot be read ({exc.strerror})", hint="check the path"
        ) from None
    need = {"sentence", "source", "target", "gold_root"}
    if rows and not need <= set(rows[0]):
        raise EvaluationError(
            f"{path}: the columns {sorted(need - set(rows[0]))} are missing",
            hint="pass the PLV training TSV (uid, sentence, source, target, gold_root, ...)",
        )
    docs = []
    for n, r in enumerate(rows):
        doc = nlp.make_doc(r["sentence"])
        doc._.rp_article = Article(id=f"plv{n}", text=r["sentence"])
        docs.append(doc)
    feats: list[list[str]] = []
    labels: list[str] = []
    for r, doc in zip(rows, nlp.pipe(docs, batch_size=16), strict=True):
        label = r["gold_root"].strip().upper()
        s, src, tgt = r["sentence"], r["source"], r["target"]
        si, ti = s.find(src), s.find(tgt)
        if label in PLV_SKIP or si < 0 or ti < 0:
            continue
        quotes = list(doc._.rp_quotes or [])
        cache = FeatureCache(doc)

        def on(mentions: list[Any], at: int, length: int) -> bool:
            return any(at <= m.start < at + length or m.start <= at < m.end for m in mentions)

        for c in pair_candidates(doc, doc._.rp_events or [], quotes):
            if on(c.src.mentions, si, len(src)) and on(c.tgt.mentions, ti, len(tgt)):
                feats.append(pair_features(doc, c, quotes, cache))
                labels.append(label)
                break
    return feats, labels, len(rows)


def _vocabulary(features: Sequence[Sequence[str]], min_count: int) -> list[str]:
    counts: Counter[str] = Counter()
    for f in features:
        counts.update(set(f))
    return sorted(f for f, n in counts.items() if n >= min_count)


def _matrix(features: Sequence[Sequence[str]], index: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    for r, f in enumerate(features):
        for j in sorted({index[x] for x in f if x in index}):
            rows.append(r)
            cols.append(j)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(features), len(index)))


def _fit(
    features: Sequence[Sequence[str]], labels: Sequence[str], *, min_count: int, c: float
) -> EventExtractor:
    from sklearn.linear_model import LogisticRegression

    vocab = _vocabulary(features, min_count)
    index = {f: i for i, f in enumerate(vocab)}
    X = _matrix(features, index)
    classes = sorted(set(labels) | {NONE})
    y = np.array([classes.index(label) for label in labels])
    clf = LogisticRegression(C=c, max_iter=3000, tol=1e-4)
    clf.fit(X, y)
    weights = np.zeros((len(vocab), len(classes)), dtype=np.float32)
    bias = np.zeros(len(classes), dtype=np.float32)
    if len(clf.classes_) == 2:  # one row of scores, for the second class: softmax([0, z])
        weights[:, clf.classes_[1]] = clf.coef_[0]
        bias[clf.classes_[1]] = clf.intercept_[0]
    else:
        for k, cls in enumerate(clf.classes_):
            weights[:, cls] = clf.coef_[k]
            bias[cls] = clf.intercept_[k]
    return EventExtractor(classes, vocab, weights, bias, {x: 0.5 for x in classes if x != NONE})


def _fit_gated(
    features: Sequence[Sequence[str]],
    labels: Sequence[str],
    *,
    min_count: int,
    c: float,
    gate_c: float,
    dense: np.ndarray | None = None,
    dense_scale: float = DENSE_SCALE,
    encoder: str = "",
) -> EventExtractor:
    """The factored model: a binary gate (event or not) on the pair's own features (and,
    with ``dense``, the encoder's view of the pair, scaled by ``dense_scale`` against the
    binary features), and a typer fit on the positive candidates only (see
    :mod:`realpolitik.events.extractor`)."""
    from sklearn.linear_model import LogisticRegression

    gate_feats = [[f for f in fs if not f.startswith(GATE_DROP)] for fs in features]
    gvocab = _vocabulary(gate_feats, min_count)
    gindex = {f: i for i, f in enumerate(gvocab)}
    y = np.array([label != NONE for label in labels])
    if y.all() or not y.any():
        raise EvaluationError(
            "the training candidates are all of one kind (all events or none)",
            hint="train on hand-coded articles with both events and non-events",
        )
    X = _matrix(gate_feats, gindex)
    if dense is not None:
        X = sparse.hstack([X, sparse.csr_matrix(dense_scale * dense)]).tocsr()
    g = LogisticRegression(C=gate_c, max_iter=3000, tol=1e-4).fit(X, y)
    coef = g.coef_[0]
    dense_w = None if dense is None else coef[len(gvocab) :] * dense_scale
    gate = Gate(gvocab, coef[: len(gvocab)], float(g.intercept_[0]), GATE_DROP, dense_w, encoder)
    pos = [i for i, label in enumerate(labels) if label != NONE]
    typer = _fit([features[i] for i in pos], [labels[i] for i in pos], min_count=1, c=c)
    typer.gate = gate
    return typer


def _folds(n_articles: int, k: int, seed: int = 13) -> list[list[int]]:
    order = list(range(n_articles))
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def _decisions(probs: np.ndarray, labels: Sequence[str], thresholds: dict[str, float]) -> list[str]:
    out = []
    for row in probs:
        best_j = max((j for j, lab in enumerate(labels) if lab != NONE), key=lambda j: row[j])
        lab = labels[best_j]
        out.append(lab if row[best_j] >= thresholds.get(lab, 0.5) else NONE)
    return out


def _micro_f1(decided: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    tp = sum(d == g != NONE for d, g in zip(decided, gold, strict=True))
    fp = sum(d != NONE and d != g for d, g in zip(decided, gold, strict=True))
    fn = sum(g != NONE and d != g for d, g in zip(decided, gold, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def choose_thresholds(
    probs: np.ndarray, classes: Sequence[str], gold: Sequence[str], rounds: int = 3
) -> dict[str, float]:
    """Per-type thresholds by coordinate ascent on candidate-level micro F1."""
    thresholds = {c: 0.5 for c in classes if c != NONE}
    for _ in range(rounds):
        for label in sorted(thresholds):
            best_t, best_f = thresholds[label], -1.0
            for t in GRID:
                trial = {**thresholds, label: t}
                f = _micro_f1(_decisions(probs, classes, trial), gold)[2]
                if f > best_f + 1e-9:
                    best_t, best_f = t, f
            thresholds[label] = best_t
    return thresholds


SHIFTS = (-0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2)


def _coded(
    data: TrainingSet, oof: np.ndarray, classes: Sequence[str], thresholds: dict[str, float]
) -> list[dict[str, Any]]:
    """The out-of-fold decisions coded into events, one result per article (as `code` does)."""
    decider = EventExtractor(
        classes, [], np.zeros((0, len(classes))), np.zeros(len(classes)), thresholds
    )
    results = []
    start = 0
    for doc, cands in zip(data.docs, data.candidates, strict=True):
        probs = oof[start : start + len(cands)]
        start += len(cands)
        events = extract_events(doc, decider, rule_events=doc._.rp_events or [], probs=probs)
        results.append(
            {
                "actors": [a.to_dict() for a in doc._.rp_actors or []],
                "events": [e.to_dict() for e in events],
                "quotes": [q.to_dict() for q in doc._.rp_quotes or []],
            }
        )
    return results


def train(
    gold_dir: str | Path,
    nlp: Language,
    *,
    folds: int = 5,
    min_count: int = 2,
    c: float = 3.0,
    version: str = "2.4.0",
    plv: str | Path | None = None,
    gate_c: float | None = 0.03,
    extra: Sequence[str | Path] = (),
    encoder: str | None = "default",
    log: Any = print,
) -> tuple[EventExtractor, dict[str, Any]]:
    """Fit the extractor on ``gold_dir`` (plus, with ``plv``, the labelled pairs of a PLV
    training file, added to every fold's training part and never scored); return it with its
    cross-validation report. ``extra`` gold folders (coded like ``gold_dir``, every candidate
    labelled) join the training part of every fold and the final fit and are never scored.
    ``gate_c`` (the gate's inverse regularisation) fits the factored
    model; None fits one multinomial model over NONE and the types (format version 1).
    ``encoder`` ("default", an ONNX folder, or None for none) gives the gate its dense view of
    each pair (:func:`realpolitik.events.extractor.pair_dense`)."""
    from ..events.encoder import DEFAULT, DEFAULT_LAYERS, load_encoder

    enc = None
    if encoder:
        enc = load_encoder(encoder, DEFAULT_LAYERS if encoder == DEFAULT else None)
    if enc is not None and (gate_c is None or plv is not None):
        raise EvaluationError(
            "an encoder needs the gated model and hand-coded articles only (no --plv, a gate C)",
            hint="add `--encoder none` to train without the encoder",
        )

    def fit(
        feats: Sequence[Sequence[str]], labs: Sequence[str], dense: np.ndarray | None
    ) -> EventExtractor:
        if gate_c is None:
            return _fit(feats, labs, min_count=min_count, c=c)
        name = enc.name if enc is not None else ""
        return _fit_gated(
            feats, labs, min_count=min_count, c=c, gate_c=gate_c, dense=dense, encoder=name
        )

    data = build(gold_dir, nlp, enc)
    extra_f: list[list[str]] = []
    extra_l: list[str] = []
    extra_d: list[np.ndarray] = []
    if plv is not None:
        extra_f, extra_l, read = plv_examples(plv, nlp)
        log(f"PLV: {len(extra_l)} labelled pairs found in {read} sentences")
    plv_pairs = len(extra_l)
    extra_articles = 0
    for folder in extra:
        more = build(folder, nlp, enc)
        extra_f += more.features
        extra_l += more.labels
        if more.dense is not None:
            extra_d.append(more.dense)
        extra_articles += len(more.pairs)
        log(
            f"{folder}: {len(more.pairs)} articles, {len(more.labels)} candidates, "
            f"{sum(lab != NONE for lab in more.labels)} positive (training only)"
        )
    n_art = len(data.pairs)
    log(
        f"{n_art} articles, {len(data.labels)} candidates, "
        f"{sum(lab != NONE for lab in data.labels)} positive"
    )
    groups = np.array(data.groups)
    oof: np.ndarray | None = None
    classes: list[str] = []
    fold_sets = _folds(n_art, folds)
    for k, held in enumerate(fold_sets, 1):
        held_set = set(held)
        tr = [i for i, g in enumerate(groups) if g not in held_set]
        te = [i for i, g in enumerate(groups) if g in held_set]
        model = fit(
            [data.features[i] for i in tr] + extra_f,
            [data.labels[i] for i in tr] + extra_l,
            None if data.dense is None else np.vstack([data.dense[tr], *extra_d]),
        )
        if oof is None:
            classes = sorted(set(data.labels) | set(extra_l) | {NONE})
            oof = np.zeros((len(data.labels), len(classes)), dtype=np.float32)
        probs = model.probabilities(
            [data.features[i] for i in te], None if data.dense is None else data.dense[te]
        )
        for j, lab in enumerate(model.labels):
            oof[te, classes.index(lab)] = probs[:, j]
        log(f"fold {k}/{folds} done")
    assert oof is not None
    thresholds = choose_thresholds(oof, classes, data.labels)
    cand_p, cand_r, cand_f = _micro_f1(_decisions(oof, classes, thresholds), data.labels)
    # the candidate-level thresholds count a pair once per mention; events count it once per
    # sentence: one shift of every threshold, chosen on the out-of-fold events, corrects that
    best_shift, cv = 0.0, None
    for shift in SHIFTS:
        trial = {k: min(0.95, max(0.05, t + shift)) for k, t in thresholds.items()}
        report_k = score(data.pairs, _coded(data, oof, classes, trial))
        log(f"threshold shift {shift:+.2f}: event F1 {report_k['event']['f1']:.3f}")
        if cv is None or report_k["event"]["f1"] > cv["event"]["f1"] + 1e-9:
            best_shift, cv = shift, report_k
    assert cv is not None
    thresholds = {k: min(0.95, max(0.05, t + best_shift)) for k, t in thresholds.items()}
    final = fit(
        data.features + extra_f,
        data.labels + extra_l,
        None if data.dense is None else np.vstack([data.dense, *extra_d]),
    )
    final.encoder = enc
    final.thresholds = thresholds
    final.version = version
    report = {
        "articles": n_art,
        "candidates": len(data.labels),
        "positives": sum(lab != NONE for lab in data.labels),
        "plv": str(plv) if plv else None,
        "plv_pairs": plv_pairs,
        "extra": [str(x) for x in extra],
        "extra_articles": extra_articles,
        "label_counts": dict(Counter(data.labels).most_common()),
        "folds": folds,
        "min_count": min_count,
        "C": c,
        "gate_C": gate_c,
        "encoder": enc.name if enc is not None else None,
        "dense_scale": DENSE_SCALE if enc is not None else None,
        "features": len(final.vocabulary),
        "gate_features": len(final.gate.vocabulary) if final.gate else 0,
        "thresholds": thresholds,
        "threshold_shift": best_shift,
        "cv_candidates": {"p": cand_p, "r": cand_r, "f1": cand_f},
        "cv_events": {k: cv[k] for k in ("event", "dyad", "type", "bag", "recall_by_type")},
        "cv_error_classes": cv["error_classes"],
    }
    final.info = {
        "training": str(gold_dir),
        **{k: report[k] for k in report if k != "label_counts"},
    }
    return final, report
