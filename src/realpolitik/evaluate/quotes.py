"""Evaluate :func:`realpolitik.quotes.find_quotes` on PolNeAR attribution annotations.

Input: a PolNeAR JSONL file, one line per (article, annotator)::

    {"doc_id", "annotator", "split", "text",
     "attributions": [{"id", "source": [span], "cue": [span], "content": [span]}]}

with each span ``{"start", "end", "text"}`` in characters of ``text``.

Choices (all reported in the output):

* **Annotators.** A few articles were annotated by several people. By default each article
  is scored once, against its *first* line in file order (``annotators="first"``), so that
  doubly annotated articles do not weigh more; ``annotators="all"`` scores every line
  (the article is parsed once).
* **Units.** An attribution's content may be several discontinuous spans; it is scored as the
  set of its word tokens (``\\w+``). Punctuation and quotation marks therefore never count,
  and a leading complementizer "that" is dropped from both sides (PolNeAR includes it in the
  content, ``find_quotes`` does not). Attributions with no content span are skipped.
* **Matching.** Predicted and gold contents are paired one-to-one, greedily by decreasing
  token Jaccard similarity (|P∩G| / |P∪G|). A pair counts as

  - ``exact``: identical token sets;
  - ``overlap``: Jaccard > ``threshold`` (default 0.3);
  - ``any_overlap``: at least one shared token.

  Each criterion has its own matching, precision, recall and F1.
* **Words.** Besides these per-quote figures, ``words`` scores per word: the word tokens
  inside some predicted content against those inside some gold content, article by article,
  each word once. It has no matching and no speakers. It is close to the token "overlap" that
  BBC's citron reports (which sums overlaps over every pair of quotes). It is more lenient
  than any per-quote criterion, so it is a reference, not the headline.
* **Grouping.** PolNeAR gives one attribution several content spans where a speaker's
  quotation is interrupted by its cue ('"A," she said. "B."'); ``find_quotes`` returns one
  quote per contiguous stretch. By default (``group=True``) predicted quotes that share a cue,
  and cue-less quotes that inherit the speaker mention of an earlier one, are scored as one
  attribution (the union of their tokens), taking the speaker of the first. A cue-less quote
  joins the latest *quotation* (direct or mixed) with that speaker mention when there is one,
  as ``find_quotes`` continues quotations, not paraphrases.
* **In scope.** PolNeAR annotates every attribution of an attitude or claim, with cues such as
  "supported", "led" or "wants" that are not reporting at all. When the parsed documents are
  available (always from :func:`evaluate_quotes`), the report also scores the *in-scope* gold:
  attributions whose content holds a quotation mark (two apostrophes count as one) or whose
  cue contains a lemma of the cue lexicon ("according to" and a bare ":" included). There,
  recall is over in-scope gold, and predictions matched to an out-of-scope gold attribution are
  left out of precision (they are neither right nor wrong about reporting). The scope follows
  the lexicon, so it widens as cues are added: the full-set figures stay the headline.
* **Speaker accuracy.** Over pairs matched under ``overlap`` whose gold attribution has a
  source: correct when the predicted speaker span, or its antecedent, shares at least one
  character with a gold source span.

Documents are parsed as in production (:func:`load_parser`). The report also gives precision
by ``act`` (speech, cognition, attitude) and the time ``find_quotes`` alone takes per document.

Run ``realpolitik eval quotes PATH [--limit N] [--json]`` or
``python -m realpolitik.evaluate.quotes PATH [--limit N] [--annotators all]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from realpolitik.errors import EvaluationError
from realpolitik.quotes import Lexicon, QuoteSpan, find_quotes, load_lexicon
from realpolitik.quotes.model import load_attribution_model

__all__ = [
    "GoldUnit",
    "annotator_agreement",
    "evaluate_quotes",
    "format_report",
    "gold_units",
    "group_quotes",
    "jaccard",
    "load_parser",
    "load_polnear",
    "main",
    "match_contents",
    "score_documents",
    "word_tokens",
]

_WORD = re.compile(r"\w+")
# Double marks, and two apostrophes, which some archives type for a double mark.
_QUOTE_MARKS = re.compile("[\"\u201c\u201d\u201e\u00ab\u00bb]|''")


def load_polnear(
    path: str | Path, *, limit: int | None = None, annotators: str = "first"
) -> list[dict[str, Any]]:
    """Read PolNeAR lines; keep the first ``limit`` articles (in file order).

    ``annotators``: "first" keeps one line per article (its first), "all" keeps every line.
    """
    if annotators not in ("first", "all"):
        raise ValueError(f"annotators must be 'first' or 'all', not {annotators!r}")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise EvaluationError(
            f"{path}: cannot be read ({exc.strerror})",
            hint="give the path of a PolNeAR-format JSONL file",
        ) from None
    with fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            row = _polnear_row(line, path, number)
            doc_id = row["doc_id"]
            if doc_id in seen:
                if annotators == "first":
                    continue
            else:
                if limit is not None and len(seen) >= limit:
                    continue
                seen.add(doc_id)
            rows.append(row)
    return rows


def _polnear_row(line: str, path: str | Path, number: int) -> dict[str, Any]:
    """One PolNeAR line, checked for the fields the scorer reads."""
    where = f"line {number} of {path}"
    hint = (
        'each line must be a JSON object {"doc_id", "text", "attributions": '
        '[{"source", "cue", "content"}]} with spans {"start", "end"}'
    )
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EvaluationError(f"{where}: not JSON ({exc.msg})", hint=hint) from None
    if not isinstance(row, dict):
        raise EvaluationError(f"{where}: not a JSON object", hint=hint)
    for key, kind in (("doc_id", str), ("text", str), ("attributions", list)):
        if not isinstance(row.get(key), kind):
            raise EvaluationError(
                f"{where}: field '{key}' is missing or not a {kind.__name__}", hint=hint
            )
    return row


@dataclass(frozen=True)
class GoldUnit:
    """One gold attribution as the scorer sees it: its content's word tokens, source and cue."""

    tokens: frozenset[int]  # start offsets of word tokens
    source: tuple[tuple[int, int], ...]
    kind: str  # gold: "direct" if the content holds a quotation mark, else "indirect"
    cue: tuple[tuple[int, int], ...] = ()


def _cue_lemmas(lex: Lexicon) -> frozenset[str]:
    words = set(lex.verbs) | set(lex.nouns) | set(lex.adjectives)
    words |= set(lex.particles) | set(lex.verb_objects) | {"accord"}
    return frozenset(words)


def _in_scope(unit: GoldUnit, doc: Doc, lemmas: frozenset[str]) -> bool:
    if unit.kind == "direct":
        return True
    for s, e in unit.cue:
        if doc.text[s:e].strip() == ":":
            return True
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and any(t.lemma_.lower() in lemmas for t in span):
            return True
    return False


def word_tokens(text: str, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    """Start offsets of the word tokens (``\\w+``) in ``spans``, without a leading "that"."""
    out: list[tuple[int, str]] = []
    for s, e in spans:
        out.extend((s + m.start(), m.group().lower()) for m in _WORD.finditer(text[s:e]))
    out.sort()
    if out and out[0][1] == "that":
        out = out[1:]
    return frozenset(pos for pos, _ in out)


def gold_units(row: dict[str, Any]) -> list[GoldUnit]:
    """The attributions of a PolNeAR row that have content, as scoring units."""
    text = row["text"]
    units: list[GoldUnit] = []
    for att in row["attributions"]:
        spans = [(c["start"], c["end"]) for c in att.get("content") or []]
        toks = word_tokens(text, spans)
        if not toks:
            continue
        quoted = any(_QUOTE_MARKS.search(text[s:e]) for s, e in spans)
        source = tuple((c["start"], c["end"]) for c in att.get("source") or [])
        cue = tuple((c["start"], c["end"]) for c in att.get("cue") or [])
        units.append(GoldUnit(toks, source, "direct" if quoted else "indirect", cue))
    return units


def group_quotes(quotes: Sequence[QuoteSpan]) -> list[list[int]]:
    """Indices of quotes that form one attribution: same cue, or inherited speaker mention.

    A cue-less quotation joins the latest quotation (direct or mixed) with its speaker mention,
    else the latest quote of any kind with it: '"A," X said, referring to B. "C."' groups C
    with A.
    """
    groups: list[list[int]] = []
    by_cue: dict[tuple[int, int], int] = {}
    by_speaker: dict[tuple[int, int], int] = {}
    quoted_by_speaker: dict[tuple[int, int], int] = {}
    for i in sorted(range(len(quotes)), key=lambda k: quotes[k].content):
        q = quotes[i]
        if q.cue is not None and q.cue in by_cue:
            g = by_cue[q.cue]
        elif q.cue is None and q.speaker is not None and q.speaker in by_speaker:
            g = quoted_by_speaker.get(q.speaker, by_speaker[q.speaker])
        else:
            g = len(groups)
            groups.append([])
        groups[g].append(i)
        if q.cue is not None:
            by_cue.setdefault(q.cue, g)
        if q.speaker is not None:
            by_speaker[q.speaker] = g
            if q.kind != "indirect":
                quoted_by_speaker[q.speaker] = g
    return groups


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def match_contents(
    pred: Sequence[frozenset[int]], gold: Sequence[frozenset[int]], accept: str, threshold: float
) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index), greedy by decreasing Jaccard."""
    pairs: list[tuple[float, int, int]] = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if not p & g:
                continue
            jac = jaccard(p, g)
            ok = p == g if accept == "exact" else jac > threshold if accept == "overlap" else True
            if ok:
                pairs.append((jac, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _span_overlaps(a: tuple[int, int] | None, spans: Iterable[tuple[int, int]]) -> bool:
    return a is not None and any(a[0] < e and s < a[1] for s, e in spans)


def score_documents(
    rows: Sequence[dict[str, Any]],
    predictions: Sequence[Sequence[QuoteSpan]],
    *,
    threshold: float = 0.3,
    group: bool = True,
    docs: Sequence[Doc] | None = None,
) -> dict[str, Any]:
    """Score predicted quotes against PolNeAR rows (``predictions[i]`` belongs to ``rows[i]``).

    ``docs`` (parsed ``rows[i]["text"]``) enables the in-scope figures.
    """
    if len(rows) != len(predictions) or (docs is not None and len(docs) != len(rows)):
        raise ValueError("one prediction list (and doc) per row is required")
    lemmas = _cue_lemmas(load_lexicon())
    scope_gold = 0
    scope_pred = Counter[str]()
    scope_tp = Counter[str]()
    n_pred = n_gold = 0
    tps = Counter[str]()
    speaker_ok = speaker_total = 0
    pred_kinds = Counter[str]()
    pred_kind_tp = Counter[str]()
    pred_acts = Counter[str]()
    pred_act_tp = Counter[str]()
    gold_kinds = Counter[str]()
    gold_kind_tp = Counter[str]()
    words = Counter[str]()  # word tokens in some content: predicted, gold, both
    for n_row, (row, quotes) in enumerate(zip(rows, predictions, strict=True)):
        text = row["text"]
        gold = gold_units(row)
        scope = [_in_scope(g, docs[n_row], lemmas) for g in gold] if docs is not None else []
        scope_gold += sum(scope)
        groups = group_quotes(quotes) if group else [[i] for i in range(len(quotes))]
        pred = [word_tokens(text, [quotes[i].content for i in g]) for g in groups]
        keep = [k for k, p in enumerate(pred) if p]
        quotes = [quotes[groups[k][0]] for k in keep]
        pred = [pred[k] for k in keep]
        gold_toks = [g.tokens for g in gold]
        pred_words = frozenset().union(*pred)
        gold_words = frozenset().union(*gold_toks)
        words.update(
            predicted=len(pred_words), gold=len(gold_words), both=len(pred_words & gold_words)
        )
        n_pred += len(pred)
        n_gold += len(gold)
        pred_kinds.update(q.kind for q in quotes)
        pred_acts.update(q.act for q in quotes)
        gold_kinds.update(g.kind for g in gold)
        for accept in ("exact", "overlap", "any_overlap"):
            pairs = match_contents(pred, gold_toks, accept, threshold)
            tps[accept] += len(pairs)
            if docs is not None:
                scope_tp[accept] += sum(1 for _, j in pairs if scope[j])
                scope_pred[accept] += len(pred) - sum(1 for _, j in pairs if not scope[j])
            if accept != "overlap":
                continue
            for i, j in pairs:
                pred_kind_tp[quotes[i].kind] += 1
                pred_act_tp[quotes[i].act] += 1
                gold_kind_tp[gold[j].kind] += 1
                if not gold[j].source:
                    continue
                speaker_total += 1
                q = quotes[i]
                if _span_overlaps(q.speaker, gold[j].source) or _span_overlaps(
                    q.speaker_antecedent, gold[j].source
                ):
                    speaker_ok += 1
    in_scope = {
        accept: _prf(scope_tp[accept], scope_pred[accept], scope_gold)
        for accept in ("exact", "overlap", "any_overlap")
    }
    return {
        "in_scope": {"gold": scope_gold, **in_scope} if docs is not None else None,
        "lines": len(rows),
        "docs": len({r["doc_id"] for r in rows}),
        "threshold": threshold,
        "grouped": group,
        "gold": n_gold,
        "predicted": n_pred,
        "exact": _prf(tps["exact"], n_pred, n_gold),
        "overlap": _prf(tps["overlap"], n_pred, n_gold),
        "any_overlap": _prf(tps["any_overlap"], n_pred, n_gold),
        "words": _prf(words["both"], words["predicted"], words["gold"]),
        "speaker": {
            "correct": speaker_ok,
            "total": speaker_total,
            "accuracy": round(speaker_ok / speaker_total, 4) if speaker_total else 0.0,
        },
        "predicted_by_kind": {
            k: {"n": n, "precision": round(pred_kind_tp[k] / n, 4)}
            for k, n in sorted(pred_kinds.items())
        },
        "predicted_by_act": {
            k: {"n": n, "precision": round(pred_act_tp[k] / n, 4)}
            for k, n in sorted(pred_acts.items())
        },
        "gold_by_kind": {
            k: {"n": n, "recall": round(gold_kind_tp[k] / n, 4)}
            for k, n in sorted(gold_kinds.items())
        },
    }


def load_parser(model: str | None = None) -> Language:
    """The spaCy pipeline ``find_quotes`` reads in production, without realpolitik's actor and
    event components: the model (``model``, else ``$REALPOLITIK_MODEL``, else the default) with
    the line-break sentence splitter that keeps headlines out of the next sentence."""
    import spacy

    from realpolitik.nlp import model_name  # also registers "realpolitik_paragraphs"

    nlp = spacy.load(model_name(model))
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("realpolitik_paragraphs", before="parser")
    return nlp


def evaluate_quotes(
    path: str | Path,
    nlp: Language,
    *,
    limit: int | None = None,
    annotators: str = "first",
    threshold: float = 0.3,
    group: bool = True,
    attribution_model: str | None = None,
) -> dict[str, Any]:
    """Parse the PolNeAR file at ``path`` with ``nlp``, run ``find_quotes`` and score it.

    ``limit`` keeps the first N articles; ``attribution_model`` is a model file or "none"
    (default: ``$REALPOLITIK_ATTRIBUTION_MODEL``, else the packaged model); see the module
    docstring for the other choices.
    """
    scorer = load_attribution_model(attribution_model)
    rows = load_polnear(path, limit=limit, annotators=annotators)
    texts: dict[str, str] = {}
    for row in rows:
        texts.setdefault(row["doc_id"], row["text"])
    ids = list(texts)
    t0 = time.perf_counter()
    docs: dict[str, Doc] = dict(
        zip(ids, nlp.pipe([texts[i] for i in ids], batch_size=8), strict=True)
    )
    t1 = time.perf_counter()
    found = {i: find_quotes(docs[i], model=scorer) for i in ids}
    t2 = time.perf_counter()
    report = score_documents(
        rows,
        [found[r["doc_id"]] for r in rows],
        threshold=threshold,
        group=group,
        docs=[docs[r["doc_id"]] for r in rows],
    )
    report["path"] = str(path)
    report["annotators"] = annotators
    report["limit"] = limit
    report["attribution_model"] = (
        None
        if scorer is None
        else attribution_model or "packaged (or $REALPOLITIK_ATTRIBUTION_MODEL)"
    )
    report["timing"] = {
        "parse_s": round(t1 - t0, 2),
        "find_quotes_s": round(t2 - t1, 3),
        "find_quotes_ms_per_doc": round(1000 * (t2 - t1) / max(len(ids), 1), 2),
    }
    return report


def _as_predictions(row: dict[str, Any]) -> list[QuoteSpan]:
    """One annotator's attributions in the form ``find_quotes`` returns: a quote per content
    span, the spans of one attribution sharing its cue so that they are scored together."""
    quotes: list[QuoteSpan] = []
    for att in row["attributions"]:
        spans = [(c["start"], c["end"]) for c in att.get("content") or []]
        if not spans:
            continue
        source = att.get("source") or []
        speaker = (source[0]["start"], source[0]["end"]) if source else None
        cues = att.get("cue") or []
        # an attribution without a cue still needs a key of its own to group its spans
        cue = (cues[0]["start"], cues[0]["end"]) if cues else (spans[0][0], spans[0][0])
        quotes.extend(QuoteSpan(span, speaker, None, cue, "indirect") for span in spans)
    return sorted(quotes, key=lambda q: q.content)


def annotator_agreement(path: str | Path, *, threshold: float = 0.3) -> dict[str, Any]:
    """How far two annotators of the same article agree, scored as the system is scored:
    for each article with several lines, the second line is taken as predictions against the
    first. An upper reference for the system's figures."""
    rows = load_polnear(path, annotators="all")
    lines: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        lines.setdefault(row["doc_id"], []).append(row)
    pairs = [(r[0], r[1]) for r in lines.values() if len(r) > 1]
    report = score_documents(
        [a for a, _ in pairs], [_as_predictions(b) for _, b in pairs], threshold=threshold
    )
    report["path"] = str(path)
    report["annotators"] = "second line scored against the first"
    report["attribution_model"] = "n/a (annotators, not the system)"
    return report


def format_report(report: dict[str, Any]) -> str:
    """A short plain-text table of an :func:`evaluate_quotes` result."""
    lines = [
        f"PolNeAR quotes: {report.get('path', '?')}  docs={report['docs']} "
        f"lines={report['lines']} annotators={report.get('annotators', '?')}",
        f"gold attributions={report['gold']}  predicted={report['predicted']}"
        f"  grouped={report.get('grouped', True)}"
        f"  attribution model={report.get('attribution_model') or 'none (rules only)'}",
        f"{'match':<24}{'P':>8}{'R':>8}{'F1':>8}{'TP':>7}",
    ]
    labels = {
        "exact": "exact",
        "overlap": f"overlap (Jaccard>{report['threshold']})",
        "any_overlap": "any overlap",
    }
    for key, label in labels.items():
        m = report[key]
        lines.append(
            f"{label:<24}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['tp']:>7}"
        )
    if "words" in report:
        m = report["words"]
        lines.append(
            f"{'words in content':<24}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}"
            f"{m['tp']:>7}  (per word, not per quote)"
        )
    scope = report.get("in_scope")
    if scope:
        lines.append(f"in scope (reporting cues or quotation marks): gold={scope['gold']}")
        for key, label in labels.items():
            m = scope[key]
            lines.append(
                f"  {label:<22}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['tp']:>7}"
            )
    sp = report["speaker"]
    lines.append(
        f"speaker accuracy (overlap matches with a gold source): {sp['accuracy']:.3f} "
        f"({sp['correct']}/{sp['total']})"
    )
    pk = ", ".join(
        f"{k} {v['n']} (P {v['precision']:.2f})" for k, v in report["predicted_by_kind"].items()
    )
    gk = ", ".join(f"{k} {v['n']} (R {v['recall']:.2f})" for k, v in report["gold_by_kind"].items())
    lines.append(f"predicted by kind: {pk}")
    pa = ", ".join(
        f"{k} {v['n']} (P {v['precision']:.2f})"
        for k, v in report.get("predicted_by_act", {}).items()
    )
    lines.append(f"predicted by act: {pa}")
    lines.append(f"gold by kind: {gk}")
    timing = report.get("timing")
    if timing:
        lines.append(
            f"time: parse {timing['parse_s']:.1f} s, find_quotes {timing['find_quotes_s']:.2f} s"
            f" ({timing['find_quotes_ms_per_doc']:.1f} ms/doc)"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m realpolitik.evaluate.quotes PATH [--limit N]``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("path")
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--annotators", choices=("first", "all"), default="first")
    ap.add_argument("--threshold", type=float, default=0.3, help="Jaccard for 'overlap'")
    ap.add_argument("--no-group", action="store_true", help="score every quote on its own")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: the project's)")
    ap.add_argument("--attribution-model", default=None, help="model file, or 'none'")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    report = evaluate_quotes(
        args.path,
        load_parser(args.model),
        limit=args.limit,
        annotators=args.annotators,
        threshold=args.threshold,
        group=not args.no_group,
        attribution_model=args.attribution_model,
    )
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
