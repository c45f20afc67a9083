"""Evaluate event dates and places against the time/place gold set.

Input: ``eval/time_place/gold.jsonl`` (schema in ``eval/time_place/README.md``): one passage
per line with its publication date, a target clause (an exact substring of the text), the
gold date and precision, and the gold place and country.

Each passage is coded by the real pipeline with ``date=article_date``. Two things are scored:

* **events** — the coded events whose trigger lies (partly) inside the target clause. An item
  with several such events counts each of them for ``1/n``; an item with none counts toward
  *coverage* (events found / items) and not toward event accuracy.
* **span** — :func:`realpolitik.places.resolve_span` on the target clause itself, whether or not
  an event was found: the time and place logic measured apart from the event coder. The same
  function dates and places every coded event.

Definitions:

* **date**: the date *and* the precision equal the gold ones (``2021-03-18``/``day``; an
  article-date fallback is precision ``article``). ``date_only`` ignores the precision.
* **place**: when the gold has no place, correct iff none is predicted. Otherwise a place must
  be predicted and both its *name* and its *country* must match: the name when the gold name
  and the predicted one have the same gazetteer key (case, accents, punctuation aside) or the
  gold name looks up to the very entry predicted ("Mecca" -> Makkah, "Vatican" -> Vatican
  City); the country when the ISO3 codes are equal (both None for a sea).
* **country**: as *place* but the country alone must match (a predicted "Iraq" for a gold
  "Mosul" counts).

**Split.** The items are split deterministically into a *tune* half and a *held-out* half:
within each construction, items are ordered by the SHA-1 of their id and alternate (the 1st,
3rd, ... go to tune). Rules were tuned on the tune half only; report both.

Run ``realpolitik eval time-place eval/time_place/gold.jsonl [--split tune|heldout|all]``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from realpolitik.errors import RealpolitikError
from realpolitik.places import gazetteer, place_key, resolve_span
from realpolitik.records import Article, Event, Place

__all__ = [
    "ItemResult",
    "evaluate_time_place",
    "format_report",
    "load_gold",
    "place_matches",
    "score_items",
    "split_of",
    "summarize",
]

REQUIRED = (
    "id",
    "article_date",
    "text",
    "target",
    "gold_date",
    "gold_precision",
    "gold_place",
    "gold_country",
    "construction",
)


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Read the gold JSONL; every line must have the nine scored fields and its target must
    occur in its text."""
    items: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RealpolitikError(f"{path}:{n}: not JSON: {exc}") from None
            missing = [k for k in REQUIRED if k not in row]
            if missing:
                raise RealpolitikError(f"{path}:{n}: missing fields {missing}")
            if row["target"] not in row["text"]:
                raise RealpolitikError(f"{path}:{n}: target is not a substring of text")
            items.append(row)
    return items


def split_of(items: Sequence[dict[str, Any]]) -> dict[str, str]:
    """``id -> "tune" | "heldout"``: per construction, ordered by SHA-1 of the id, alternating."""
    groups: dict[str, list[str]] = defaultdict(list)
    for item in items:
        groups[item["construction"]].append(item["id"])
    out: dict[str, str] = {}
    for ids in groups.values():
        ordered = sorted(ids, key=lambda i: hashlib.sha1(i.encode("utf-8")).hexdigest())
        for k, item_id in enumerate(ordered):
            out[item_id] = "tune" if k % 2 == 0 else "heldout"
    return out


def place_matches(
    gold_place: str | None, gold_country: str | None, pred: Place | None, *, country_only: bool
) -> bool:
    """Whether a predicted place matches the gold one (see the module docstring)."""
    if gold_place is None:
        return pred is None
    if pred is None or pred.country != gold_country:
        return False
    if country_only:
        return True
    if place_key(gold_place) == place_key(pred.name):
        return True
    return any(
        e.name == pred.name and e.country == pred.country for e in gazetteer().lookup(gold_place)
    )


@dataclass(slots=True)
class ItemResult:
    """The outcome for one gold item."""

    id: str
    construction: str
    split: str
    gold_date: str
    gold_precision: str
    gold_place: str | None
    gold_country: str | None
    span_date: str | None
    span_precision: str
    span_place: str | None
    span_country: str | None
    span_date_ok: bool
    span_date_only_ok: bool
    span_place_ok: bool
    span_country_ok: bool
    events: int
    event_date_ok: float | None  # fraction of the target's events that are right
    event_place_ok: float | None
    event_country_ok: float | None


def _target_events(events: Iterable[Event], start: int, end: int) -> list[Event]:
    return [
        e
        for e in events
        if e.trigger is not None and e.trigger.start < end and start < e.trigger.end
    ]


def score_items(
    items: Sequence[dict[str, Any]],
    nlp: Language,
    *,
    splits: dict[str, str] | None = None,
    batch_size: int = 16,
) -> list[ItemResult]:
    """Code every passage and score its target clause (events and span).

    ``splits`` maps ids to their split; by default it is computed from ``items`` (pass the
    whole file's split when scoring a subset).
    """
    splits = splits if splits is not None else split_of(items)

    def docs() -> Iterable[Any]:
        for item in items:
            doc = nlp.make_doc(item["text"])
            doc._.rp_article = Article(id=item["id"], text=item["text"], date=item["article_date"])
            yield doc

    out: list[ItemResult] = []
    for item, doc in zip(items, nlp.pipe(docs(), batch_size=batch_size), strict=True):
        start = item["text"].index(item["target"])
        end = start + len(item["target"])
        gd, gp = item["gold_date"], item["gold_precision"]
        gplace, gcountry = item["gold_place"], item["gold_country"]
        date, precision, place = resolve_span(doc, start, end)
        events = _target_events(doc._.rp_events or [], start, end)
        n = len(events)

        def frac(ok: Iterable[bool], n: int = n) -> float | None:
            return sum(ok) / n if n else None

        out.append(
            ItemResult(
                id=item["id"],
                construction=item["construction"],
                split=splits[item["id"]],
                gold_date=gd,
                gold_precision=gp,
                gold_place=gplace,
                gold_country=gcountry,
                span_date=date,
                span_precision=precision,
                span_place=place.name if place else None,
                span_country=place.country if place else None,
                span_date_ok=date == gd and precision == gp,
                span_date_only_ok=date == gd,
                span_place_ok=place_matches(gplace, gcountry, place, country_only=False),
                span_country_ok=place_matches(gplace, gcountry, place, country_only=True),
                events=n,
                event_date_ok=frac(e.date == gd and e.date_precision == gp for e in events),
                event_place_ok=frac(
                    place_matches(gplace, gcountry, e.place, country_only=False) for e in events
                ),
                event_country_ok=frac(
                    place_matches(gplace, gcountry, e.place, country_only=True) for e in events
                ),
            )
        )
    return out


def _rates(rows: Sequence[ItemResult]) -> dict[str, Any]:
    n = len(rows)
    covered = [r for r in rows if r.events]

    def mean(values: Iterable[float | None]) -> float | None:
        vals = [v for v in values if v is not None]
        return round(sum(vals) / len(vals), 3) if vals else None

    return {
        "items": n,
        "coverage": round(len(covered) / n, 3) if n else None,
        "span_date": mean(float(r.span_date_ok) for r in rows),
        "span_date_only": mean(float(r.span_date_only_ok) for r in rows),
        "span_place": mean(float(r.span_place_ok) for r in rows),
        "span_country": mean(float(r.span_country_ok) for r in rows),
        "event_date": mean(r.event_date_ok for r in covered),
        "event_place": mean(r.event_place_ok for r in covered),
        "event_country": mean(r.event_country_ok for r in covered),
    }


def summarize(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Rates per split (tune, heldout, all) and per construction within each split."""
    out: dict[str, Any] = {}
    for split in ("tune", "heldout", "all"):
        rows = [r for r in results if split == "all" or r.split == split]
        by: dict[str, list[ItemResult]] = defaultdict(list)
        for r in rows:
            by[r.construction].append(r)
        out[split] = {
            "overall": _rates(rows),
            "constructions": {c: _rates(rs) for c, rs in sorted(by.items())},
        }
    return out


def evaluate_time_place(
    path: str | Path, *, nlp: Language | None = None, split: str = "all"
) -> dict[str, Any]:
    """Score the gold file at ``path``; ``split`` keeps "tune", "heldout" or "all" items.

    Returns ``{"summary": ..., "items": [...]}`` (items as dicts, for error analysis).
    """
    if split not in ("tune", "heldout", "all"):
        raise RealpolitikError(f"split must be tune, heldout or all, not {split!r}")
    from realpolitik.nlp import load_nlp

    items = load_gold(path)
    splits = split_of(items)
    if split != "all":
        items = [i for i in items if splits[i["id"]] == split]
    results = score_items(items, nlp or load_nlp(), splits=splits)
    return {"summary": summarize(results), "items": [asdict(r) for r in results]}


_COLUMNS = (
    ("items", "n"),
    ("coverage", "cover"),
    ("span_date", "s.date"),
    ("span_place", "s.place"),
    ("span_country", "s.ctry"),
    ("event_date", "e.date"),
    ("event_place", "e.place"),
    ("event_country", "e.ctry"),
)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_report(report: dict[str, Any], *, errors: bool = False) -> str:
    """A plain-text table per split (overall, then per construction)."""
    lines: list[str] = []
    header = f"{'':24}" + "".join(f"{label:>9}" for _k, label in _COLUMNS)
    for split, part in report["summary"].items():
        if not part["overall"]["items"]:
            continue
        lines.append(f"== {split}")
        lines.append(header)
        rows = [("OVERALL", part["overall"]), *part["constructions"].items()]
        for name, rates in rows:
            lines.append(f"{name:24}" + "".join(f"{_fmt(rates[k]):>9}" for k, _l in _COLUMNS))
        lines.append("")
    lines.append(
        "s.* = resolve_span on the target clause; e.* = coded events whose trigger is in the "
        "target (items with an event); cover = share of items with such an event."
    )
    if errors:
        lines.append("")
        lines.append("Errors (span):")
        for r in report["items"]:
            if r["span_date_ok"] and r["span_place_ok"]:
                continue
            lines.append(
                f"  {r['id']} [{r['split']}] date {r['span_date']}/{r['span_precision']} "
                f"(gold {r['gold_date']}/{r['gold_precision']}); place {r['span_place']}/"
                f"{r['span_country']} (gold {r['gold_place']}/{r['gold_country']})"
            )
    return "\n".join(lines)
