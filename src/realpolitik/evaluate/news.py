"""End-to-end accuracy on hand-coded news articles (``realpolitik eval events GOLD_DIR``).

The gold format and the coding rules are those of the shared news gold set (``SPEC.md``); the
figures are defined as in its ``SCORING.md`` and agree with its reference scorer
(``score_events.py``), which a test checks on a fixture:

* **Which predictions count**: events that are not negated and whose modality is asserted or
  reported (or unset), with an integer ``start``.
* **Actors as codes**: a predicted participant is its ISO3 ``country``; else, when its code
  starts with ``IGO`` or its actor is an organization, ``IGO:`` + a label read from the actor's
  name, the participant's text or the code (:func:`igo_label`); else nothing (it matches no
  gold actor). The UN, its Security Council and its General Assembly are one family.
* **Matching** per article, one-to-one, greedy in the coder's order, at three levels: ``event``
  (source, target and PLOVER type; either direction for a gold event marked ``mutual``),
  ``dyad`` (source and target) and ``type`` (type only); the predicted span must overlap the
  gold sentence. A second prediction for a gold event already matched is a *duplicate*: left
  out of ``p``'s denominator, counted as a false positive in ``p_strict``.
* **bag**: distinct (source, target, type) triples per article (mutual gold gives both
  directions), summed over articles.
* **people** and **quotes**: as in SCORING.md (a shared name word finds a person; a quote is
  found when a predicted quote's span covers the start of the gold content).

Beyond those figures, :func:`error_classes` sorts every miss and false positive into one named
class (unresolved target, wrong direction, missed statement, ...) for error analysis.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EvaluationError, InputError

LEVELS = ("event", "dyad", "type")
KEEP_MODALITY = {"asserted", "reported", None, ""}
UN_FAMILY = {"UN", "UNSC", "UNGA"}
# Speech-act triggers: a missed gold event whose trigger is one of these is a missed statement.
STATEMENT_WORDS = re.compile(
    r"\b(said|says|say|accus|criticiz|criticis|condemn|denounc|urg|call|demand|appeal|warn|"
    r"threat|prais|welcom|endors|back|reject|den(y|ied|ies)|refus|promis|pledg|vow|blam|"
    r"allege|insist|ask|press|commend|hail|support|oppos|slam|dismiss|decr[iy])",
    re.IGNORECASE,
)

# (label, patterns on the lower-cased, space-normalised name or code), first match wins: the
# specific bodies (Security Council, IAEA, ...) come before the families they belong to.
IGO_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("UNSC", (r"security council", r"\bunsc\b")),
    ("UNGA", (r"general assembly", r"\bunga\b")),
    ("IAEA", (r"atomic energy", r"\biaea\b")),
    ("WHO", (r"world health", r"\bwho\b")),
    ("IMF", (r"monetary fund", r"\bimf\b")),
    ("WORLDBANK", (r"world bank",)),
    ("WTO", (r"world trade", r"\bwto\b")),
    ("ICC", (r"criminal court", r"\bicc\b")),
    ("ICJ", (r"court of justice", r"\bicj\b")),
    ("UN", (r"united nations", r"\bu\.?n\.?\b", r"^igouno")),
    ("EU", (r"european", r"\beu\b", r"^igoeur")),
    ("NATO", (r"nato", r"north atlantic", r"^igowstnat")),
    ("AU", (r"african union", r"^igoafrafu")),
    ("ASEAN", (r"asean", r"southeast asian nations")),
    ("OSCE", (r"osce", r"security and co-?operation in europe")),
    ("G7", (r"\bg-?7\b", r"group of seven")),
    ("G20", (r"\bg-?20\b", r"group of twenty")),
    ("ARABLEAGUE", (r"arab league", r"league of arab")),
    ("GCC", (r"gulf cooperation", r"\bgcc\b")),
    ("ECOWAS", (r"ecowas", r"economic community of west african")),
    ("OPEC", (r"\bopec\b",)),
    ("OAS", (r"organization of american states", r"\boas\b")),
    ("SCO", (r"shanghai cooperation", r"\bsco\b")),
    ("BRICS", (r"\bbrics\b",)),
    ("QUAD", (r"\bquad\b", r"quadrilateral")),
    ("IGAD", (r"\bigad\b",)),
    ("CARICOM", (r"caricom",)),
    ("MERCOSUR", (r"mercosur",)),
    ("OIC", (r"islamic cooperation", r"\boic\b")),
    ("COE", (r"council of europe",)),
)
_IGO_RES = tuple((label, re.compile("|".join(pats))) for label, pats in IGO_LABELS)


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().replace("\u2019", "'").split())


def _words(text: str | None) -> set[str]:
    """Name words of more than two letters, as people and speakers are compared."""
    return {w for w in _norm(text).split() if len(w) > 2}


def igo_label(text: str | None) -> str | None:
    """The short IGO label a name or code stands for (``"UN Security Council"`` -> UNSC)."""
    t = _norm(text)
    for label, pattern in _IGO_RES:
        if pattern.search(t):
            return label
    return None


def actor_key(side: dict[str, Any] | None, actors: dict[str, dict[str, Any]]) -> str | None:
    """The code a predicted participant is compared by: ISO3, ``IGO:LABEL``, or None."""
    if not side:
        return None
    country = side.get("country")
    if country and re.fullmatch(r"[A-Z]{3}", country):
        return str(country)
    code = side.get("code") or ""
    actor = actors.get(side.get("actor") or "") or {}
    if code.startswith("IGO") or actor.get("kind") in {"igo", "organization"}:
        label = igo_label(actor.get("name")) or igo_label(side.get("text")) or igo_label(code)
        return f"IGO:{label or code}"
    return None


def same_actor(gold: str, pred: str | None) -> bool:
    if pred is None or not gold:
        return False
    if gold == pred:
        return True
    return (
        gold.startswith("IGO:")
        and pred.startswith("IGO:")
        and gold[4:] in UN_FAMILY
        and pred[4:] in UN_FAMILY
    )


@dataclass(slots=True)
class GoldEvent:
    start: int
    end: int
    record: dict[str, Any]

    @property
    def source(self) -> str:
        return str(self.record["source"])

    @property
    def target(self) -> str:
        return str(self.record["target"])

    @property
    def plover(self) -> str:
        return str(self.record["plover"])

    @property
    def mutual(self) -> bool:
        return bool(self.record.get("mutual"))


@dataclass(slots=True)
class PredEvent:
    start: int
    end: int
    source: str | None
    target: str | None
    plover: str
    record: dict[str, Any]


def load_gold(gold_dir: str | Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(article, gold) pairs from a folder with articles.jsonl and gold.jsonl, or from its
    sub-folders that each hold both (in name order). Articles without gold are left out."""
    root = Path(gold_dir)
    if not root.is_dir():
        raise EvaluationError(
            f"{root} is not a folder",
            hint="pass a folder holding articles.jsonl and gold.jsonl (or sub-folders that do)",
        )
    folders = (
        [root]
        if (root / "gold.jsonl").exists()
        else sorted(p for p in root.iterdir() if p.is_dir())
    )
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for folder in folders:
        a_path, g_path = folder / "articles.jsonl", folder / "gold.jsonl"
        if not (a_path.exists() and g_path.exists()):
            continue
        articles = list(_read_jsonl(a_path))
        golds = {str(g.get("id")): g for g in _read_jsonl(g_path)}
        for art in articles:
            if str(art.get("id")) in golds:
                pairs.append((art, golds[str(art.get("id"))]))
    if not pairs:
        raise EvaluationError(
            f"no gold articles under {root}",
            hint="each folder needs articles.jsonl and gold.jsonl with the same ids (SPEC.md)",
        )
    return pairs


def _read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationError(
                    f"line {number} of {path}: not JSON ({exc.msg})",
                    hint="write one JSON object per line",
                ) from None
            if not isinstance(obj, dict) or "id" not in obj:
                raise EvaluationError(
                    f"line {number} of {path}: expected an object with an 'id'",
                    hint='write {"id": ..., ...} per SPEC.md',
                )
            yield obj


def _gold_events(article: dict[str, Any], gold: dict[str, Any]) -> list[GoldEvent]:
    text = article["text"]
    out = []
    for rec in gold.get("events", []):
        i = text.find(rec["sentence"])
        if i >= 0:
            out.append(GoldEvent(i, i + len(rec["sentence"]), rec))
    return out


def _coding_events(article: dict[str, Any], coding: dict[str, Any]) -> list[PredEvent]:
    """A second hand coding's events as predictions (codes compared as written)."""
    return [
        PredEvent(g.start, g.end, g.source, g.target, g.plover, g.record)
        for g in _gold_events(article, coding)
    ]


def _pred_events(article: dict[str, Any], result: dict[str, Any]) -> list[PredEvent]:
    actors = {a.get("id"): a for a in result.get("actors", [])}
    out = []
    for e in result.get("events", []):
        if e.get("negated") or e.get("modality") not in KEEP_MODALITY:
            continue
        if not isinstance(e.get("start"), int):
            continue
        out.append(
            PredEvent(
                e["start"],
                e["end"],
                actor_key(e.get("source"), actors),
                actor_key(e.get("target"), actors),
                (e.get("plover") or "").upper(),
                e,
            )
        )
    return out


def _agrees(level: str, p: PredEvent, g: GoldEvent) -> bool:
    forward = same_actor(g.source, p.source) and same_actor(g.target, p.target)
    backward = g.mutual and same_actor(g.source, p.target) and same_actor(g.target, p.source)
    actors_ok = forward or backward
    type_ok = p.plover == g.plover
    if level == "event":
        return actors_ok and type_ok
    return actors_ok if level == "dyad" else type_ok


def match(
    preds: Sequence[PredEvent], golds: Sequence[GoldEvent], level: str
) -> tuple[list[int | None], list[bool]]:
    """Greedy one-to-one matching in prediction order: for each prediction, the gold index it
    matched (or None) and whether it was a duplicate of an already matched gold event."""
    used: set[int] = set()
    hits: list[int | None] = []
    dups: list[bool] = []
    for p in preds:
        hit: int | None = None
        dup = False
        for gi, g in enumerate(golds):
            if min(p.end, g.end) <= max(p.start, g.start) or not _agrees(level, p, g):
                continue
            if gi in used:
                dup = True
                continue
            hit = gi
            break
        if hit is not None:
            used.add(hit)
        hits.append(hit)
        dups.append(hit is None and dup)
    return hits, dups


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(
    pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]],
    results: Sequence[dict[str, Any]],
    *,
    errors: int = 0,
    codings: bool = False,
) -> dict[str, Any]:
    """Every figure of SCORING.md for coder results (dicts of the output contract), one per
    gold article in order. ``errors`` > 0 lists up to that many false positives and twice as
    many misses (with their sentences) under ``"errors"``. With ``codings=True`` the results
    are another annotator's gold records of the same articles (inter-annotator agreement):
    their events are compared code for code, and people and quotes are not scored."""
    preds_of = _coding_events if codings else _pred_events
    if len(results) != len(pairs):
        raise EvaluationError(
            f"{len(results)} results for {len(pairs)} gold articles",
            hint="give one result per gold article, in the order of the gold articles",
        )
    tot: Counter[str] = Counter()
    by_type_gold: Counter[str] = Counter()
    by_type_tp: Counter[str] = Counter()
    people: Counter[str] = Counter()
    quotes: Counter[str] = Counter()
    bag = Counter[str]()
    listed: list[str] = []
    classes: Counter[str] = Counter()
    for (article, gold), result in zip(pairs, results, strict=True):
        golds = _gold_events(article, gold)
        preds = preds_of(article, result)
        tot["gold"] += len(golds)
        tot["pred"] += len(preds)
        matched: dict[str, list[int | None]] = {}
        for level in LEVELS:
            hits, dups = match(preds, golds, level)
            matched[level] = hits
            tot[f"{level}_tp"] += sum(h is not None for h in hits)
            tot[f"{level}_dup"] += sum(dups)
            if level != "event":
                continue
            for p, hit, dup in zip(preds, hits, dups, strict=True):
                if hit is None and not dup and len(listed) < errors:
                    listed.append(
                        f"FP {article['id']}: {p.source}->{p.target} {p.plover} "
                        f"«{(p.record.get('text') or '')[:90]}»"
                    )
            used = {h for h in hits if h is not None}
            for gi, g in enumerate(golds):
                by_type_gold[g.plover] += 1
                if gi in used:
                    by_type_tp[g.plover] += 1
                elif len(listed) < 2 * errors:
                    listed.append(
                        f"FN {article['id']}: {g.source}->{g.target} {g.plover} "
                        f"«{g.record['sentence'][:90]}»"
                    )
        classes.update(error_classes(preds, golds, matched))
        gold_bag = set()
        for g in golds:
            gold_bag.add((g.source, g.target, g.plover))
            if g.mutual:
                gold_bag.add((g.target, g.source, g.plover))
        pred_bag = {(p.source, p.target, p.plover) for p in preds if p.source and p.target}
        bag["pred"] += len(pred_bag)
        bag["gold"] += len({(g.source, g.target, g.plover) for g in golds})
        bag["tp"] += len(pred_bag & gold_bag)
        if not codings:
            _score_people(gold, result, people)
            _score_quotes(article, gold, result, quotes)
    out: dict[str, Any] = {
        "articles": len(pairs),
        "gold_events": tot["gold"],
        "pred_events": tot["pred"],
    }
    for level in LEVELS:
        tp, n_dup = tot[f"{level}_tp"], tot[f"{level}_dup"]
        p_strict = tp / tot["pred"] if tot["pred"] else 0.0
        prec = tp / (tot["pred"] - n_dup) if tot["pred"] - n_dup else 0.0
        rec = tp / tot["gold"] if tot["gold"] else 0.0
        out[level] = {
            "tp": tp,
            "dup": n_dup,
            "p_strict": p_strict,
            "p": prec,
            "r": rec,
            "f1": _f1(prec, rec),
        }
    bp = bag["tp"] / bag["pred"] if bag["pred"] else 0.0
    br = bag["tp"] / bag["gold"] if bag["gold"] else 0.0
    out["bag"] = {
        "tp": bag["tp"],
        "pred": bag["pred"],
        "gold": bag["gold"],
        "p": bp,
        "r": br,
        "f1": _f1(bp, br),
    }
    out["recall_by_type"] = {t: [by_type_tp[t], n] for t, n in by_type_gold.most_common()}
    out["people"] = dict(people)
    out["quotes"] = dict(quotes)
    out["errors"] = listed
    out["error_classes"] = dict(classes.most_common())
    return out


def _score_people(gold: dict[str, Any], result: dict[str, Any], people: Counter[str]) -> None:
    persons = [a for a in result.get("actors", []) if a.get("kind") == "person"]
    for gp in gold.get("people", []):
        if not gp.get("country"):
            continue
        people["gold"] += 1
        words = {w for m in gp.get("mentions", [gp["name"]]) for w in _words(m)}
        found = None
        for a in persons:
            names = _words(a.get("name"))
            names |= {w for m in a.get("mentions", []) for w in _words(m.get("text"))}
            if words & names:
                found = a
                break
        if found is None:
            continue
        people["found"] += 1
        gc = gp["country"]
        if (found.get("country") or "") == gc or (
            gc.startswith("IGO:") and (found.get("code") or "").startswith("IGO")
        ):
            people["country_ok"] += 1
        if gp.get("sector") and found.get("sector") == gp["sector"]:
            people["sector_ok"] += 1
    gold_names = {
        w
        for gp in gold.get("people", [])
        for m in gp.get("mentions", [gp["name"]])
        for w in _words(m)
    }
    for a in persons:
        people["pred"] += 1
        if _words(a.get("name")) & gold_names:
            people["pred_ok"] += 1


def _score_quotes(
    article: dict[str, Any], gold: dict[str, Any], result: dict[str, Any], quotes: Counter[str]
) -> None:
    text = article["text"]
    actors = {a.get("id"): a for a in result.get("actors", [])}
    predicted = result.get("quotes", [])
    for gq in gold.get("quotes", []):
        i = text.find(gq.get("content_start", "") or "\0")
        if i < 0:
            continue
        quotes["gold"] += 1
        hit = next(
            (
                q
                for q in predicted
                if isinstance(q.get("start"), int) and q["start"] <= i + 5 and q["end"] > i
            ),
            None,
        )
        if hit is None:
            continue
        quotes["found"] += 1
        if not gq.get("speaker"):
            continue
        quotes["with_speaker"] += 1
        speaker = actors.get(hit.get("speaker")) or {}
        gold_words = _words(gq["speaker"])
        pred_words = _words((speaker.get("name") or "") + " " + (hit.get("speaker_text") or ""))
        gold_country = next(
            (gp.get("country") for gp in gold.get("people", []) if _words(gp["name"]) & gold_words),
            None,
        )
        if gold_words & pred_words or (
            gold_country
            and speaker.get("country") == gold_country
            and speaker.get("kind") == "person"
        ):
            quotes["speaker_ok"] += 1


def error_classes(
    preds: Sequence[PredEvent],
    golds: Sequence[GoldEvent],
    matched: dict[str, list[int | None]],
) -> Counter[str]:
    """Sort each unmatched gold event (``miss: ...``) and each false positive (``fp: ...``) of
    one article into one class, the first that applies, for error analysis."""
    out: Counter[str] = Counter()
    found = {h for h in matched["event"] if h is not None}

    def overlapping(g: GoldEvent) -> list[PredEvent]:
        return [p for p in preds if min(p.end, g.end) > max(p.start, g.start)]

    for gi, g in enumerate(golds):
        if gi in found:
            continue
        near = overlapping(g)
        same_type = [p for p in near if p.plover == g.plover]
        if not near:
            trig = str(g.record.get("trigger") or "")
            out[
                "miss: statement, no event in sentence"
                if STATEMENT_WORDS.search(trig)
                else "miss: no event in sentence"
            ] += 1
        elif any(
            same_actor(g.source, p.target) and same_actor(g.target, p.source) for p in same_type
        ):
            out["miss: wrong direction"] += 1
        elif same_type and all(p.target is None for p in same_type):
            out["miss: type right, target unresolved"] += 1
        elif same_type and all(p.source is None for p in same_type):
            out["miss: type right, source unresolved"] += 1
        elif same_type:
            out["miss: type right, other actors"] += 1
        elif any(_agrees("dyad", p, g) for p in near):
            out["miss: actors right, wrong type"] += 1
        else:
            out["miss: other event in sentence"] += 1
    for p, hit in zip(preds, matched["event"], strict=True):
        if hit is not None:
            continue
        near_gold = [g for g in golds if min(p.end, g.end) > max(p.start, g.start)]
        if not near_gold:
            out["fp: no gold event in sentence"] += 1
        elif p.source is None or p.target is None:
            out["fp: actor unresolved"] += 1
        elif any(_agrees("dyad", p, g) for g in near_gold):
            out["fp: actors right, wrong type"] += 1
        elif any(g.plover == p.plover for g in near_gold):
            out["fp: type right, wrong actors"] += 1
        else:
            out["fp: wrong type and actors"] += 1
    return out


def code_gold_articles(
    pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]], nlp: Any, *, batch_size: int = 8
) -> list[dict[str, Any]]:
    """Code the gold articles exactly as ``realpolitik code ARTICLES.jsonl --input-format
    jsonl`` does and return their results as dicts."""
    from ..ingest import article_from_json
    from ..pipeline import code_articles

    articles = []
    for number, (art, _) in enumerate(pairs, 1):
        try:
            articles.append(article_from_json(art, path="gold articles", line=number))
        except InputError as exc:
            raise EvaluationError(
                f"gold article {art.get('id')!r} cannot be coded: {exc.message}",
                hint=exc.hint or "fix the article in articles.jsonl",
            ) from None
    return [r.to_dict() for r in code_articles(articles, nlp=nlp, batch_size=batch_size)]


def evaluate_news(
    gold_dir: str | Path, nlp: Any, *, errors: int = 0
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Code every gold article under ``gold_dir`` and score it; returns (report, results)."""
    pairs = load_gold(gold_dir)
    results = code_gold_articles(pairs, nlp)
    report = score(pairs, results, errors=errors)
    report["gold_dir"] = str(gold_dir)
    return report, results


def agreement(gold_dir: str | Path, other_dir: str | Path, *, errors: int = 0) -> dict[str, Any]:
    """Score a second, independent coding (``other_dir``, same format) against ``gold_dir`` on
    the articles both coded: event F1 between the two is the annotators' agreement."""
    pairs = load_gold(gold_dir)
    others = {str(g.get("id")): g for _, g in load_gold(other_dir)}
    shared = [(a, g) for a, g in pairs if str(a.get("id")) in others]
    if not shared:
        raise EvaluationError(
            f"no article of {other_dir} is coded in {gold_dir}",
            hint="code the same article ids in both folders",
        )
    report = score(shared, [others[str(a["id"])] for a, _ in shared], errors=errors, codings=True)
    report["gold_dir"], report["other_dir"] = str(gold_dir), str(other_dir)
    return report


def format_report(report: dict[str, Any]) -> str:
    """The figure block of the reference scorer, then the error classes."""
    lines = list(report["errors"])
    lines.append(
        f"articles {report['articles']}, gold events {report['gold_events']}, "
        f"predicted {report['pred_events']}"
    )
    for level in LEVELS:
        x = report[level]
        lines.append(
            f"  {level:6s} P {x['p']:.3f} (strict {x['p_strict']:.3f}, dup {x['dup']})  "
            f"R {x['r']:.3f}  F1 {x['f1']:.3f}"
        )
    b = report["bag"]
    lines.append(
        f"  bag    P {b['p']:.3f}  R {b['r']:.3f}  F1 {b['f1']:.3f}  "
        "(article-level source,target,type triples)"
    )
    lines.append(
        "  recall by type: "
        + ", ".join(f"{t} {tp}/{n}" for t, (tp, n) in report["recall_by_type"].items())
    )
    pe, qu = report["people"], report["quotes"]
    if pe.get("gold"):
        lines.append(
            f"  people: found {pe.get('found', 0)}/{pe['gold']}, country right "
            f"{pe.get('country_ok', 0)}/{pe['gold']} ({pe.get('country_ok', 0) / pe['gold']:.3f}), "
            f"sector right {pe.get('sector_ok', 0)}, predicted persons that are people "
            f"{pe.get('pred_ok', 0)}/{pe.get('pred', 0)}"
        )
    if qu.get("gold"):
        lines.append(
            f"  quotes: found {qu.get('found', 0)}/{qu['gold']}, speaker right "
            f"{qu.get('speaker_ok', 0)}/{qu.get('with_speaker', 0)}"
        )
    lines.append(
        f"news gold: event F1 {report['event']['f1']:.3f} (P {report['event']['p']:.3f}, "
        f"R {report['event']['r']:.3f}), dyad F1 {report['dyad']['f1']:.3f}, bag F1 {b['f1']:.3f}, "
        f"people country {pe.get('country_ok', 0) / max(pe.get('gold', 0), 1):.3f} on "
        f"{report['articles']} articles"
    )
    if report.get("error_classes"):
        lines.append("error classes (first that applies):")
        lines.extend(f"  {n:4d}  {name}" for name, n in report["error_classes"].items())
    return "\n".join(lines)
