"""Event-type evaluation against the PLOVER gold standard records (``eval gsr``).

Protocol, per gold record (the one ``DOCUMENT`` header is skipped): the sentence is coded with
its date. Two measures:

* **extraction**: does the coder, unaided, produce an event of the gold type (folded to the 15
  PLV labels: DEMAND -> REQUEST, DISAPPROVE/INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT,
  CONCEDE/RETREAT -> YIELD) whose source text overlaps a gold source actor? Reported as recall.
* **typing with hints**: the gold source and target texts are given as hints (as a JSONL line's
  ``hints``), so the first event is the coder's best event for that pair (the classifier types
  it when no rule fires); its type is compared with the gold type. Reported as accuracy and
  macro-F1 over the labels present in the gold.

The GSR is evaluation data only: nothing is tuned on it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from spacy.language import Language

from ..errors import EvaluationError
from ..events.ontology import plover_root_label
from ..nlp import EventsComponent
from ..pipeline import code_articles
from ..records import Article, Event


def load_gsr(path: str | Path) -> list[dict[str, Any]]:
    """The gold records of a PLOVER GSR JSON file (a list of objects)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationError(
            f"cannot read {path}: {exc}",
            hint="pass the PLOVER_GSR_CAMEO.json file (a JSON list of records)",
        ) from None
    if not isinstance(data, list):
        raise EvaluationError(
            f"{path}: expected a JSON list of records", hint="pass the PLOVER_GSR_CAMEO.json file"
        )
    records = []
    for i, rec in enumerate(data):
        if not isinstance(rec, dict) or rec.get("event") == "DOCUMENT":
            continue
        if not isinstance(rec.get("text"), str) or not isinstance(rec.get("event"), str):
            raise EvaluationError(
                f"{path}: record {i} lacks text or event",
                hint='each record needs "text", "event" and "source"',
            )
        records.append(rec)
    return records


def _actor_texts(rec: dict[str, Any], role: str) -> list[str]:
    found = rec.get(role) or []
    if isinstance(found, dict):
        found = [found]
    return [a.get("actorText", "") for a in found if isinstance(a, dict) and a.get("actorText")]


def _overlaps(text: str, golds: Iterable[str]) -> bool:
    t = text.lower()
    return any(t and (t in g.lower() or g.lower() in t) for g in golds)


def _label(plover: str) -> str:
    try:
        return plover_root_label(plover)
    except ValueError:
        return plover


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro-F1 over the gold labels, from (gold, predicted) pairs."""
    labels = sorted({g for g, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def evaluate_gsr(path: str | Path, nlp: Language, *, limit: int | None = None) -> dict[str, Any]:
    """Score the coder on a PLOVER GSR file (see the module docstring for the protocol)."""
    records = load_gsr(path)[:limit]
    plain = [Article(id=r["id"], text=r["text"], date=r.get("date")) for r in records]
    hinted = [
        Article(
            id=r["id"],
            text=r["text"],
            date=r.get("date"),
            hints={
                "source": (_actor_texts(r, "source") or [""])[0],
                "target": (_actor_texts(r, "target") or [""])[0],
            },
        )
        for r in records
    ]
    found = 0
    extracted = 0
    typed: list[tuple[str, str]] = []
    confusions: Counter[tuple[str, str]] = Counter()
    for rec, res_plain, res_hint in zip(
        records, code_articles(plain, nlp=nlp), code_articles(hinted, nlp=nlp), strict=True
    ):
        gold = _label(rec["event"])
        sources = _actor_texts(rec, "source")
        events: list[Event] = res_plain.events
        if events:
            found += 1
        if any(_label(e.plover) == gold and _overlaps(e.source.text, sources) for e in events):
            extracted += 1
        predicted = _label(res_hint.events[0].plover) if res_hint.events else "NONE"
        typed.append((gold, predicted))
        if predicted != gold:
            confusions[(gold, predicted)] += 1
    n = len(records)
    correct = sum(1 for g, p in typed if g == p)
    return {
        "file": str(path),
        "records": n,
        "with_any_event": found,
        "extraction_recall": extracted / n if n else 0.0,
        "typing_accuracy": correct / n if n else 0.0,
        "typing_macro_f1": macro_f1(typed),
        "top_confusions": [
            {"gold": g, "predicted": p, "count": c} for (g, p), c in confusions.most_common(10)
        ],
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"PLOVER GSR {report['file']}: {report['records']} records",
        f"  sentences with any event     {report['with_any_event']}",
        f"  extraction recall (no hints) {report['extraction_recall']:.3f}",
        f"  type accuracy (with hints)   {report['typing_accuracy']:.3f}",
        f"  type macro-F1 (with hints)   {report['typing_macro_f1']:.3f}",
        "  most frequent confusions (gold -> predicted):",
    ]
    lines += [
        f"    {c['gold']:>10} -> {c['predicted']:<10} {c['count']}"
        for c in report["top_confusions"]
    ]
    return "\n".join(lines)


def evaluate_plv(
    path: str | Path,
    nlp: Language,
    *,
    folds: int = 5,
    seed: int = 0,
    limit: int | None = None,
    threshold: float | None = None,
    rule_below: float | None = None,
) -> dict[str, Any]:
    """The whole coder on PLV sentences, with the classifier trained by k-fold cross-validation.

    For each fold the type classifier is trained on the other folds only, then every held-out
    sentence is coded three ways: **with hints** (the gold source and target given; the first
    event is the coder's best event for the pair), **classifier alone** (the same pair, the
    classifier's label), **rules alone** (hints, no classifier), and **without hints**
    (extraction recall: an event of the gold type whose source and target texts overlap the
    gold ones). Labels are the 15 PLV root labels. ``threshold`` sets the classifier's
    overrule threshold (default :data:`realpolitik.events.decide.OVERRULE_THRESHOLD`).
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from ..events import decide
    from ..events.classifier import EventTypeClassifier, read_examples

    read = read_examples(path, label_col="gold_root")
    examples = list(read.examples)
    if limit is not None:  # a seeded sample across labels (the file is sorted by label)
        order = np.random.default_rng(seed).permutation(len(examples))[:limit]
        examples = [examples[i] for i in sorted(order)]
    if len(examples) < folds * 2:
        raise EvaluationError(
            f"{path}: only {len(examples)} usable rows",
            hint="pass the PLV TSV (columns sentence, source, target, gold_root)",
        )
    gold = [_label(e.label) for e in examples]
    parses = list(
        nlp.pipe(
            [e.sentence for e in examples],
            batch_size=16,
            disable=[p for p in nlp.pipe_names if p.startswith("realpolitik")],
        )
    )
    modes: dict[str, list[tuple[str, str]]] = {"hints": [], "classifier": [], "rules": []}
    extracted = 0
    limits = {
        "threshold": decide.OVERRULE_THRESHOLD if threshold is None else threshold,
        "rule_below": decide.HINT_RULE_BELOW if rule_below is None else rule_below,
    }
    events = cast(EventsComponent, nlp.get_pipe("realpolitik_events"))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(np.zeros(len(gold)), gold):
        clf = EventTypeClassifier().fit(
            [examples[i] for i in train_idx], docs=[parses[i] for i in train_idx]
        )
        held = [examples[i] for i in test_idx]
        hinted = [
            Article(id=f"plv{i}", text=e.sentence, hints={"source": e.source, "target": e.target})
            for i, e in zip(test_idx, held, strict=True)
        ]
        plain = [
            Article(id=f"plv{i}", text=e.sentence) for i, e in zip(test_idx, held, strict=True)
        ]
        with events.deciding(decide.Decider(clf, **limits)):
            with_hints = list(code_articles(hinted, nlp=nlp))
            without = list(code_articles(plain, nlp=nlp))
        with events.deciding(decide.Decider(None, **limits)):
            rules = list(code_articles(hinted, nlp=nlp))
        for k, i in enumerate(test_idx):
            e = examples[i]
            g = gold[i]
            first = with_hints[k].events[0].plover if with_hints[k].events else "NONE"
            modes["hints"].append((g, _label(first)))
            rfirst = rules[k].events[0].plover if rules[k].events else "NONE"
            modes["rules"].append((g, _label(rfirst)))
            probs = clf.predict_proba(e.sentence, e.source, e.target, doc=parses[i])
            modes["classifier"].append((g, max(probs, key=lambda lab: probs[lab])))
            if any(
                _label(ev.plover) == g
                and _overlaps(ev.source.text, [e.source])
                and ev.target is not None
                and _overlaps(ev.target.text, [e.target])
                for ev in without[k].events
            ):
                extracted += 1
    n = len(examples)
    report: dict[str, Any] = {
        "file": str(path),
        "sentences": n,
        "folds": folds,
        "seed": seed,
        "skipped_rows": len(read.problems),
    }
    for mode, pairs in modes.items():
        report[mode] = {"accuracy": sum(g == p for g, p in pairs) / n, "macro_f1": macro_f1(pairs)}
    report["extraction_recall"] = extracted / n
    return report


def format_plv_report(report: dict[str, Any]) -> str:
    lines = [
        f"PLV {report['file']}: {report['sentences']} sentences, {report['folds']}-fold "
        f"cross-validation (seed {report['seed']}); every figure is on held-out folds",
        f"  {'mode':<34} {'accuracy':>8} {'macro-F1':>8}",
    ]
    names = {
        "hints": "coder with hints (rules + model)",
        "classifier": "classifier alone (pair given)",
        "rules": "rules alone (pair given)",
    }
    for mode, name in names.items():
        lines.append(
            f"  {name:<34} {report[mode]['accuracy']:8.3f} {report[mode]['macro_f1']:8.3f}"
        )
    lines.append(f"  extraction recall without hints    {report['extraction_recall']:8.3f}")
    return "\n".join(lines)
