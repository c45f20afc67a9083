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
from typing import Any

from spacy.language import Language

from ..errors import EvaluationError
from ..events.ontology import plover_root_label
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
