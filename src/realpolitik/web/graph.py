"""Dyad and network endpoints, computed by :mod:`realpolitik.analysis`.

The network (blocs, centrality) and the dyad table are computed once per level (and period)
and kept: the store is opened read-only, so they cannot go stale while the server runs. When
the store's serving tables are current (:func:`realpolitik.store.prepare_serving`, which
``serve`` runs before it listens), both are read from there instead of computed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query

from .. import store as st
from ..analysis.dyads import COLUMNS, dyads_from_store
from ..analysis.network import build_network, network_to_dict

Level = Literal["country", "actor"]
Period = Literal["day", "week", "month"]
MAX_NODES = 500
MAX_POINTS = 400  # gaps in a longer series are left out rather than filled

LEVEL_HELP = (
    "country: a party is a state (officials and ministries count for their country) or an "
    "organization's code; actor: each resolved actor by name"
)
PARTY_HELP = "a party: an ISO country or organization code at level country, a name at level actor"

# Parameter types (module-level, so that FastAPI can resolve the postponed annotations).
LevelParam = Annotated[Level, Query(description=LEVEL_HELP)]
PartyParam = Annotated[str, Query(min_length=1, max_length=200, description=PARTY_HELP)]
NodesParam = Annotated[
    int, Query(ge=1, le=MAX_NODES, description=f"the most central parties to return, 1-{MAX_NODES}")
]


def available() -> bool:
    """Whether the network and dyad endpoints can answer (the analysis library is present)."""
    return True


def network_data(store: st.Store, level: str) -> dict[str, Any]:
    """The network of a level as ``/api/network`` serves it (every node, with event counts)."""
    data = network_to_dict(build_network(st.iter_analysis_results(store), level=level))
    events: dict[str, int] = {}
    for edge in data["edges"]:
        for end in (edge["source"], edge["target"]):
            events[end] = events.get(end, 0) + int(edge["events"])
    for node in data["nodes"]:
        node["events"] = events.get(node["id"], 0)
    return data


def networks(store: st.Store) -> dict[str, dict[str, Any]]:
    """The network of every level, for :func:`realpolitik.store.prepare_serving` to keep."""
    return {level: network_data(store, level) for level in st.DYAD_LEVELS}


class GraphCache:
    """Networks per level and dyad tables per (period, level), computed or read on first use.

    ``saved``: the store's serving tables are current, so both are read from them.
    """

    def __init__(self, get_store: Callable[[], st.Store], *, saved: bool = False) -> None:
        self._get_store = get_store
        self.saved = saved
        self._lock = threading.Lock()
        self._networks: dict[str, dict[str, Any]] = {}
        self._dyads: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._pairs: dict[str, list[dict[str, Any]]] = {}
        self._by_pair: dict[tuple[str, str], dict[tuple[str, str], list[Any]]] = {}

    def network(self, level: str) -> dict[str, Any]:
        with self._lock:
            if level not in self._networks:
                kept = st.saved_network(self._get_store(), level) if self.saved else None
                self._networks[level] = kept or network_data(self._get_store(), level)
            return self._networks[level]

    def dyads(self, period: str, level: str) -> list[dict[str, Any]]:
        with self._lock:
            key = (period, level)
            if key not in self._dyads:
                if self.saved:
                    rows = st.saved_dyads(self._get_store(), by=period, level=level)
                    self._dyads[key] = [_dyad_row(r) for r in rows]
                else:
                    self._dyads[key] = dyads_from_store(self._get_store(), by=period, level=level)
            return self._dyads[key]

    def labels(self, level: str) -> dict[str, str]:
        return {n["id"]: n["label"] for n in self.network(level)["nodes"]}

    def pairs(self, level: str) -> list[dict[str, Any]]:
        """Every pair of parties with its totals over all months, most events first; kept
        (do not change the rows)."""
        with self._lock:
            kept = self._pairs.get(level)
        if kept is None:
            kept = _pairs(self.dyads("month", level), self.labels(level))
            with self._lock:
                self._pairs[level] = kept
        return kept

    def between(self, period: str, level: str, a: str, b: str) -> list[dict[str, Any]]:
        """The dyad rows from ``a`` to ``b`` and from ``b`` to ``a``, in table order."""
        key = (period, level)
        with self._lock:
            index = self._by_pair.get(key)
        if index is None:
            index = {}
            for n, row in enumerate(self.dyads(period, level)):
                index.setdefault((row["source"], row["target"]), []).append((n, row))
            with self._lock:
                self._by_pair[key] = index
        found = index.get((a, b), []) + index.get((b, a), [])
        return [row for _, row in sorted(found, key=lambda x: x[0])]


def _pairs(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[dict[str, Any]]:
    """Directed dyad rows summed per pair of parties (either direction), most events first,
    the more active party named first."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        a, b = sorted((row["source"], row["target"]))
        pair = pairs.setdefault(
            (a, b), {"a": a, "b": b, "events": 0, "a_to_b": 0, "b_to_a": 0, "g": 0.0}
        )
        pair["events"] += row["events"]
        pair["a_to_b" if row["source"] == a else "b_to_a"] += row["events"]
        pair["g"] += row["goldstein_sum"]
    items = []
    for pair in pairs.values():
        if pair["b_to_a"] > pair["a_to_b"]:  # name the more active party first
            pair["a"], pair["b"] = pair["b"], pair["a"]
            pair["a_to_b"], pair["b_to_a"] = pair["b_to_a"], pair["a_to_b"]
        g = pair.pop("g")
        pair["goldstein_mean"] = g / pair["events"] if pair["events"] else None
        pair["a_name"] = labels.get(pair["a"], pair["a"])
        pair["b_name"] = labels.get(pair["b"], pair["b"])
        items.append(pair)
    items.sort(key=lambda p: (-p["events"], p["a"], p["b"]))
    return items


def _dyad_row(r: dict[str, Any]) -> dict[str, Any]:
    """A saved dyad row typed as :func:`dyads_from_store` types it."""
    for name in ("events", "quad1", "quad2", "quad3", "quad4"):
        r[name] = int(r[name])
    r["goldstein_sum"] = float(r["goldstein_sum"] or 0.0)
    r["goldstein_mean"] = float(r["goldstein_mean"] or 0.0)
    return {c: r[c] for c in COLUMNS}


def _next_period(day: date, period: str) -> date:
    if period == "day":
        return day + timedelta(days=1)
    if period == "week":
        return day + timedelta(days=7)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _fill(points: list[dict[str, Any]], period: str) -> list[dict[str, Any]]:
    """Add empty periods between the first and the last, so bars stand on a time axis."""
    dated = [p for p in points if p["period"] is not None]
    if len(dated) < 2:
        return points
    have = {p["period"]: p for p in dated}
    day, last = date.fromisoformat(dated[0]["period"]), date.fromisoformat(dated[-1]["period"])
    out: list[dict[str, Any]] = []
    while day <= last and len(out) <= MAX_POINTS:
        iso = day.isoformat()
        out.append(have.get(iso) or _empty(iso))
        day = _next_period(day, period)
    if len(out) > MAX_POINTS:
        return points
    return out + [p for p in points if p["period"] is None]


def _empty(period: str | None) -> dict[str, Any]:
    return {
        "period": period,
        "events": 0,
        "a_to_b": 0,
        "b_to_a": 0,
        "quad": {"1": 0, "2": 0, "3": 0, "4": 0},
        "goldstein": None,
        "goldstein_sum": 0.0,
    }


def add_routes(
    app: FastAPI,
    get_store: Callable[[], st.Store],
    api: dict[str, Any],
    *,
    saved: bool = False,
) -> GraphCache:
    """Register ``/api/network``, ``/api/dyads`` and ``/api/dyads/series``."""
    cache = GraphCache(get_store, saved=saved)

    @app.get("/api/network", tags=["network"], **api)
    def network(
        level: LevelParam = "country",
        nodes: NodesParam = 60,
    ) -> dict[str, Any]:
        """The signed actor network: nodes (with bloc, centrality and event count) and edges
        (net ``weight`` from -: conflict to +: cooperation, ``volume``, ``events``); the most
        central ``nodes`` actors and the edges among them. Filter events by a node with
        ``/api/events?actor=ID&level=LEVEL``."""
        data = cache.network(level)
        kept = data["nodes"][:nodes]
        ids = {n["id"] for n in kept}
        return {
            "level": level,
            "nodes": kept,
            "edges": [e for e in data["edges"] if e["source"] in ids and e["target"] in ids],
            "total_nodes": len(data["nodes"]),
            "blocs": data["blocs"],
            "modularity": data["modularity"],
            "frustration": data["frustration"],
        }

    @app.get("/api/dyads", tags=["dyads"], **api)
    def dyads(
        level: LevelParam = "country",
        actor: Annotated[
            str | None, Query(min_length=1, max_length=200, description=PARTY_HELP)
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500, description="pairs to return, 1-500")] = 100,
    ) -> dict[str, Any]:
        """Pairs of parties with events between them (either direction), most events first."""
        items = cache.pairs(level)
        if actor:
            items = [p for p in items if actor in (p["a"], p["b"])]
        return {"level": level, "total": len(items), "items": items[:limit]}

    @app.get("/api/dyads/series", tags=["dyads"], **api)
    def series(
        a: PartyParam,
        b: PartyParam,
        level: LevelParam = "country",
        period: Annotated[Period, Query(description="day, week or month")] = "month",
        directed: Annotated[bool, Query(description="true: only events from a to b")] = False,
    ) -> dict[str, Any]:
        """Events between two parties per period: counts by QuadClass, by direction, and the
        mean Goldstein score; empty periods between the first and last are included."""
        if a == b:
            raise HTTPException(422, "a and b are the same party; allowed: two different parties")
        points: dict[str | None, dict[str, Any]] = {}
        for row in cache.between(period, level, a, b):
            forward = row["source"] == a
            if directed and not forward:
                continue
            point = points.setdefault(row["period"], _empty(row["period"]))
            point["events"] += row["events"]
            point["a_to_b" if forward else "b_to_a"] += row["events"]
            for q in ("1", "2", "3", "4"):
                point["quad"][q] += row[f"quad{q}"]
            point["goldstein_sum"] += row["goldstein_sum"]
        ordered = sorted(points.values(), key=lambda p: (p["period"] is None, p["period"] or ""))
        for p in ordered:
            p["goldstein"] = p["goldstein_sum"] / p["events"] if p["events"] else None
        labels = cache.labels(level)
        return {
            "a": a,
            "b": b,
            "a_name": labels.get(a, a),
            "b_name": labels.get(b, b),
            "level": level,
            "period": period,
            "directed": directed,
            "total": sum(p["events"] for p in ordered),
            "points": _fill(ordered, period),
        }

    return cache
