"""Directed dyads over time: who did what to whom, per day, week or month.

A dyad row counts the events one party directed at another in one period: how many, how many
in each QuadClass (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material
conflict), and the sum and mean of their Goldstein scores. Two sources give the same rows:
a store (:func:`dyads_from_store`, SQL in :mod:`realpolitik.store`) and coded results in
memory (:func:`dyads_from_results`, for JSONL output or articles coded on the fly).

Which events count, and who a party is, is decided here once for both:

* only events the text says happened: not negated, modality ``asserted`` or ``reported``;
* at the country level a party is its ISO country, so persons map to their country; an
  organization without a country (an IGO) is its actor code; a person without one is left out;
* at the actor level a party is the resolved actor's name, else its code, else its text;
* a party acting on itself is left out; an event's period comes from its date, else the
  article's; undated events fall in period ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from ..records import Actor, Event, Participant, Result
from ..store import DYAD_LEVELS, DYAD_PERIODS, Store

Period = Literal["day", "week", "month"]
Level = Literal["country", "actor"]

#: Columns of a dyad row, in order.
COLUMNS = [
    "period",
    "source",
    "target",
    "events",
    "quad1",
    "quad2",
    "quad3",
    "quad4",
    "goldstein_sum",
    "goldstein_mean",
]
_HAPPENED = frozenset({"asserted", "reported"})


def check_options(by: str, level: str) -> None:
    """Raise ``ValueError`` for an unknown period or level."""
    if by not in DYAD_PERIODS:
        raise ValueError(f"by must be one of {', '.join(DYAD_PERIODS)}, not {by!r}")
    if level not in DYAD_LEVELS:
        raise ValueError(f"level must be one of {', '.join(DYAD_LEVELS)}, not {level!r}")


def period_start(day: str | date | None, by: str) -> str | None:
    """The first day (ISO) of the day, week (Monday) or month that ``day`` falls in."""
    if day is None:
        return None
    d = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
    if by == "week":
        d = d - timedelta(days=d.weekday())
    elif by == "month":
        d = d.replace(day=1)
    return d.isoformat()


def counts_as_happened(event: Event) -> bool:
    """Whether an event enters dyads and networks: it has a target and the text says it
    happened (not negated; asserted, or reported inside a quotation)."""
    return event.target is not None and not event.negated and event.modality in _HAPPENED


def party(p: Participant, actor: Actor | None, level: str) -> str | None:
    """Who a participant is at a level (see the module docstring); None leaves it out."""
    if level == "country":
        if p.country:
            return p.country
        kind = actor.kind if actor is not None else None
        return p.code if p.code and kind != "person" else None
    if actor is not None and actor.name:
        return actor.name
    return p.code or p.text or None


@dataclass(slots=True)
class _Cell:
    events: int = 0
    quads: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    goldstein: float = 0.0


def dyads_from_results(
    results: Iterable[Result], *, by: str = "month", level: str = "country"
) -> list[dict[str, Any]]:
    """Dyad rows (see :data:`COLUMNS`) from coded results, ordered by period, source, target."""
    check_options(by, level)
    cells: dict[tuple[str | None, str, str], _Cell] = {}
    for result in results:
        actors = {a.id: a for a in result.actors}
        for event in result.events:
            if not counts_as_happened(event) or event.target is None:
                continue
            src = party(event.source, actors.get(event.source.actor or ""), level)
            tgt = party(event.target, actors.get(event.target.actor or ""), level)
            if src is None or tgt is None or src == tgt:
                continue
            key = (period_start(event.date or result.article.date, by), src, tgt)
            cell = cells.setdefault(key, _Cell())
            cell.events += 1
            if 1 <= event.quad_class <= 4:
                cell.quads[event.quad_class - 1] += 1
            cell.goldstein += event.goldstein
    rows = []
    for (period, src, tgt), cell in sorted(
        cells.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or "", kv[0][1], kv[0][2])
    ):
        rows.append(
            {
                "period": period,
                "source": src,
                "target": tgt,
                "events": cell.events,
                "quad1": cell.quads[0],
                "quad2": cell.quads[1],
                "quad3": cell.quads[2],
                "quad4": cell.quads[3],
                "goldstein_sum": cell.goldstein,
                "goldstein_mean": cell.goldstein / cell.events,
            }
        )
    return rows


def dyads_from_store(
    store: Store, *, by: str = "month", level: str = "country"
) -> list[dict[str, Any]]:
    """Dyad rows (see :data:`COLUMNS`) computed in DuckDB from a store."""
    check_options(by, level)
    rows = store.dyads(by=by, level=level)
    for r in rows:
        r["events"] = int(r["events"])
        for q in ("quad1", "quad2", "quad3", "quad4"):
            r[q] = int(r[q])
        r["goldstein_sum"] = float(r["goldstein_sum"] or 0.0)
        r["goldstein_mean"] = float(r["goldstein_mean"] or 0.0)
    return [{c: r[c] for c in COLUMNS} for r in rows]


def dyads(db: str, *, by: str = "month", level: str = "country") -> list[dict[str, Any]]:
    """Dyad rows of the store at path ``db`` (what ``realpolitik dyads`` prints)."""
    check_options(by, level)
    with Store(db, read_only=True) as store:
        return dyads_from_store(store, by=by, level=level)
