"""Cross-validated evaluation of the event-type classifier on PLV-style gold data.

PLV (Hu et al., ACL 2024, "Leveraging Codebook Knowledge with NLI and ChatGPT for Zero-Shot
Political Relation Classification") gives each sentence a source, a target and a PLOVER root
label. :func:`cross_validate` trains :class:`~realpolitik.events.classifier.EventTypeClassifier`
on k-1 stratified folds and predicts the k-th, so every sentence is predicted by a model that
never saw it. Each sentence is parsed once, up front, and the parses are shared by all folds.

Run it as::

    python -m realpolitik.evaluate.plv /path/to/PLV_train.tsv [--folds 5] [--seed 0] [--json]

This module only measures the classifier; the rule-based coder is evaluated separately.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from realpolitik.errors import EvaluationError, RealpolitikError
from realpolitik.events.classifier import EventTypeClassifier, read_examples
from realpolitik.events.ontology import PLV_LABELS

__all__ = ["cross_validate", "format_report", "main"]


def _ordered_labels(labels: set[str]) -> list[str]:
    """PLV's order (cooperation to conflict) for known labels, then any others alphabetically."""
    known = [lab for lab in PLV_LABELS if lab in labels]
    return known + sorted(labels - set(known))


def cross_validate(
    path: str | Path,
    *,
    folds: int = 5,
    seed: int = 0,
    use_parse: bool = True,
    C: float = 1.0,
    text_col: str = "sentence",
    source_col: str = "source",
    target_col: str = "target",
    label_col: str = "gold_root",
) -> dict[str, Any]:
    """Stratified k-fold cross-validation of the classifier on a gold file.

    Returns a JSON-ready dict: ``per_label`` ({label: precision, recall, f1, support}),
    ``macro_f1`` (unweighted mean F1 over the gold labels), ``accuracy``, ``confusion``
    (``labels`` and ``matrix``, rows gold, columns predicted), plus ``n``, ``folds``, ``seed``,
    ``config``, ``skipped`` (unusable rows) and ``seconds`` (parse, train, predict).
    Raises :class:`EvaluationError` if the file has too few examples for ``folds`` folds.
    """
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold

    read = read_examples(
        path, text_col=text_col, source_col=source_col, target_col=target_col, label_col=label_col
    )
    examples = read.examples
    gold = [e.label for e in examples]
    labels = _ordered_labels(set(gold))
    if folds < 2 or len(examples) < folds or len(labels) < 2:
        raise EvaluationError(
            f"{path}: {len(examples)} usable examples with {len(labels)} labels cannot be "
            f"split into {folds} folds",
            hint="use a larger gold file, fewer folds (at least 2), or check the column names",
        )
    seconds = {"parse": 0.0, "train": 0.0, "predict": 0.0}
    docs: list[Any] = [None] * len(examples)
    if use_parse:
        start = time.perf_counter()
        docs = list(EventTypeClassifier().parse([e.sentence for e in examples]))
        seconds["parse"] = time.perf_counter() - start

    predicted: list[str] = [""] * len(examples)
    y = np.array(gold)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(np.zeros(len(y)), y):
        start = time.perf_counter()
        model = EventTypeClassifier(use_parse=use_parse, C=C, seed=seed)
        model.fit([examples[i] for i in train_idx], docs=[docs[i] for i in train_idx])
        seconds["train"] += time.perf_counter() - start
        start = time.perf_counter()
        items = [(examples[i].sentence, examples[i].source, examples[i].target) for i in test_idx]
        probs = model.predict_proba_many(items, docs=[docs[i] for i in test_idx])
        seconds["predict"] += time.perf_counter() - start
        for i, dist in zip(test_idx, probs, strict=True):
            predicted[i] = max(dist, key=lambda k: dist[k])

    p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    matrix = confusion_matrix(gold, predicted, labels=labels)
    return {
        "path": str(path),
        "n": len(examples),
        "skipped": len(read.problems),
        "folds": folds,
        "seed": seed,
        "config": {"use_parse": use_parse, "C": C},
        "labels": labels,
        "per_label": {
            lab: {
                "precision": float(p[i]),
                "recall": float(r[i]),
                "f1": float(f[i]),
                "support": int(s[i]),
            }
            for i, lab in enumerate(labels)
        },
        "macro_f1": float(np.mean(f)),
        "accuracy": float(np.mean(np.array(predicted) == y)),
        "confusion": {"labels": labels, "matrix": matrix.tolist()},
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
    }


def format_report(result: dict[str, Any]) -> str:
    """A plain-text report of :func:`cross_validate`'s result: per-label table and confusion."""
    labels: list[str] = result["labels"]
    width = max(len(lab) for lab in labels)
    lines = [
        f"{result['path']}: {result['n']} examples ({result['skipped']} rows skipped), "
        f"{result['folds']}-fold stratified CV, seed {result['seed']}, config {result['config']}",
        "",
        f"{'label':<{width}}  precision  recall     f1  support",
    ]
    for lab in labels:
        m = result["per_label"][lab]
        lines.append(
            f"{lab:<{width}}  {m['precision']:9.3f}  {m['recall']:6.3f}  {m['f1']:5.3f}"
            f"  {m['support']:7d}"
        )
    lines += [
        "",
        f"macro-F1  {result['macro_f1']:.3f}",
        f"accuracy  {result['accuracy']:.3f}",
        "",
        "confusion (rows gold, columns predicted):",
    ]
    short = [lab[:4] for lab in labels]
    lines.append(" " * (width + 1) + " ".join(f"{s:>4}" for s in short))
    for lab, row in zip(labels, result["confusion"]["matrix"], strict=True):
        lines.append(f"{lab:<{width}} " + " ".join(f"{v:>4}" for v in row))
    secs = result["seconds"]
    lines += [
        "",
        f"time: parse {secs['parse']}s, train {secs['train']}s, predict {secs['predict']}s",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: cross-validate on a gold file and print the report."""
    ap = argparse.ArgumentParser(
        prog="python -m realpolitik.evaluate.plv",
        description="Cross-validate the PLOVER event-type classifier on a PLV-style gold file.",
    )
    ap.add_argument("path", help="TSV/CSV/JSONL with sentence, source, target and a label column")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--label-col", default="gold_root")
    ap.add_argument("--no-parse", action="store_true", help="text features only (no spaCy)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)
    try:
        result = cross_validate(
            args.path,
            folds=args.folds,
            seed=args.seed,
            use_parse=not args.no_parse,
            label_col=args.label_col,
        )
    except RealpolitikError as err:
        print(err, file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
