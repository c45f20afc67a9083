"""The system picture: a signed, weighted network of actors, its blocs and its centres.

Two kinds of evidence tie two parties (countries, or actors at ``level="actor"``):

* **events** (those that happened, see :func:`realpolitik.analysis.dyads.counts_as_happened`),
  each adding its Goldstein score / 10 to the pair's weight -- cooperation pulls the weight up,
  conflict down;
* **standing relations** the text states (not negated), each adding a fixed weight
  (:data:`RELATION_WEIGHTS`): an alliance +1, a partnership or membership +0.5 (a looser tie
  than an alliance), a rivalry or threat -1.

The graph is undirected: an edge's ``weight`` is the net of all its evidence, ``volume`` the sum
of its magnitudes. **Blocs** are found by signed community detection: Louvain modularity
(networkx) on the positive part of the graph -- the pairs whose net tie is cooperative -- then,
as structural balance asks, a member whose net tie to the rest of its bloc is hostile is set
apart; so a party that the text calls both partner and threat, or whose events with one member
are friendly but with the others hostile, is not pulled into their bloc. How the edges fall
(negative ones between blocs, as balance expects, or inside them) is reported as the
partition's ``frustration``. **Centrality** is PageRank over the volume of ties, positive and
negative alike: how much of the system's interaction runs through a party.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import InputError
from ..records import (
    Actor,
    Participant,
    Result,
)
from .dyads import check_options, counts_as_happened, party

#: What one stated relation adds to the weight of the tie between its parties.
RELATION_WEIGHTS: dict[str, float] = {
    "alliance": 1.0,
    "partnership": 0.5,
    "membership": 0.5,
    "rivalry": -1.0,
    "threat": -1.0,
}
#: Events weigh their Goldstein score divided by this (so a +10 event weighs as an alliance).
GOLDSTEIN_SCALE = 10.0
#: Louvain's resolution. News networks are small and dense, and at the textbook 1.0 modularity
#: splits even a closed triangle of allies as soon as one of them has a tie elsewhere; at 0.5
#: such a triangle stays one bloc while groups joined only by a weak bridge still come apart.
RESOLUTION = 0.5
_DUCKDB_MAGIC = b"DUCK"


@dataclass(slots=True)
class _Tie:
    weight: float = 0.0
    volume: float = 0.0
    events: int = 0
    cooperation: int = 0
    conflict: int = 0
    relations: Counter[str] = field(default_factory=Counter)


def relation_party(actor: Actor | None, level: str) -> str | None:
    """Who a relation's actor is at a level: its country (persons too), an organization's
    code where it has no country, or at the actor level its name."""
    if actor is None:
        return None
    p = Participant(actor=actor.id, code=actor.code, country=actor.country, text=actor.name)
    return party(p, actor, level)


def build_network(
    results: Iterable[Result],
    *,
    level: str = "country",
    resolution: float = RESOLUTION,
    seed: int = 0,
) -> nx.Graph:
    """The signed network of ``results`` with blocs and centrality on its nodes.

    Node attributes: ``label``, ``kind``, ``bloc`` (0 is the largest), ``centrality``
    (PageRank, sums to 1). Edge attributes: ``weight`` (net, signed), ``volume``, ``events``,
    ``cooperation`` / ``conflict`` (events with a positive / negative Goldstein score) and
    ``relations`` (kind -> how many stated). ``graph["blocs"]`` lists each bloc's members and
    ``graph["frustration"]`` counts the edges that go against the partition. ``resolution``
    is Louvain's: below 1 gives fewer, larger blocs (see :data:`RESOLUTION`).
    """
    check_options("month", level)
    ties: dict[tuple[str, str], _Tie] = {}
    labels: dict[str, Counter[str]] = {}
    kinds: dict[str, Counter[str]] = {}

    def note(key: str, actor: Actor | None, fallback: str) -> None:
        # a country is labelled by its state's name, not by an official or a ministry
        if actor is None:
            name, kind = key, "unknown"
        elif level == "country" and actor.country:
            # the country table's name: an agent ("Oman (GOV)") or a place acted upon
            # ("Darfur (CVL)") is no name for its state
            name, kind = (
                _country_names().get(key, actor.name if actor.kind == "state" else key),
                "state",
            )
        else:
            name, kind = actor.name or fallback, actor.kind
        labels.setdefault(key, Counter())[name] += 1
        kinds.setdefault(key, Counter())[kind] += 1

    def tie(a: str, b: str) -> _Tie:
        return ties.setdefault((a, b) if a < b else (b, a), _Tie())

    for result in results:
        actors = {a.id: a for a in result.actors}
        for event in result.events:
            if not counts_as_happened(event) or event.target is None:
                continue
            sa, ta = actors.get(event.source.actor or ""), actors.get(event.target.actor or "")
            src, tgt = party(event.source, sa, level), party(event.target, ta, level)
            if src is None or tgt is None or src == tgt:
                continue
            note(src, sa, event.source.text or src)
            note(tgt, ta, event.target.text or tgt)
            t = tie(src, tgt)
            w = event.goldstein / GOLDSTEIN_SCALE
            t.weight += w
            t.volume += abs(w)
            t.events += 1
            t.cooperation += event.goldstein > 0
            t.conflict += event.goldstein < 0
        for rel in result.relations:
            weight = RELATION_WEIGHTS.get(rel.kind)
            if rel.negated or weight is None:
                continue
            aa, ba = actors.get(rel.a), actors.get(rel.b)
            a, b = relation_party(aa, level), relation_party(ba, level)
            if a is None or b is None or a == b:
                continue
            note(a, aa, a)
            note(b, ba, b)
            t = tie(a, b)
            t.weight += weight
            t.volume += abs(weight)
            t.relations[rel.kind] += 1

    graph = nx.Graph(level=level)
    for key in sorted(labels):
        graph.add_node(
            key,
            label=_label(key, labels[key], level),
            kind=kinds[key].most_common(1)[0][0],
        )
    for (a, b), t in sorted(ties.items()):
        graph.add_edge(
            a,
            b,
            weight=t.weight,
            volume=t.volume,
            events=t.events,
            cooperation=t.cooperation,
            conflict=t.conflict,
            relations=dict(sorted(t.relations.items())),
        )
    _analyse(graph, resolution=resolution, seed=seed)
    return graph


@cache
def _country_names() -> dict[str, str]:
    """ISO3 -> the country table's name."""
    from ..actors.gazetteer import countries

    return {row.iso3: row.name for row in countries()}


def _label(key: str, names: Counter[str], level: str) -> str:
    if level == "country":
        named = [n for n, _ in names.most_common() if n != key]
        return named[0] if named else key
    return key


def _analyse(graph: nx.Graph, *, resolution: float, seed: int) -> None:
    """Put blocs (Louvain on the positive part) and PageRank centrality on the nodes."""
    positive = nx.Graph()
    positive.add_nodes_from(graph)
    positive.add_weighted_edges_from(
        (a, b, d["weight"]) for a, b, d in graph.edges(data=True) if d["weight"] > 0
    )
    communities = (
        nx.community.louvain_communities(
            positive, weight="weight", resolution=resolution, seed=seed
        )
        if positive.number_of_edges()
        else [{n} for n in graph]
    )
    volume = nx.Graph()
    volume.add_nodes_from(graph)
    volume.add_weighted_edges_from(
        (a, b, d["volume"]) for a, b, d in graph.edges(data=True) if d["volume"] > 0
    )
    centrality = nx.pagerank(volume, weight="weight") if len(volume) else {}
    communities = _set_apart_hostile(graph, [set(c) for c in communities])
    ranked = sorted(
        (sorted(c) for c in communities),
        key=lambda c: (-len(c), -sum(centrality.get(n, 0.0) for n in c), c),
    )
    bloc_of = {n: i for i, members in enumerate(ranked) for n in members}
    for n in graph:
        graph.nodes[n]["bloc"] = bloc_of[n]
        graph.nodes[n]["centrality"] = float(centrality.get(n, 0.0))
    frustration = Counter[str]()
    for a, b, d in graph.edges(data=True):
        same = bloc_of[a] == bloc_of[b]
        if d["weight"] > 0:
            frustration["positive_within" if same else "positive_between"] += 1
        elif d["weight"] < 0:
            frustration["negative_within" if same else "negative_between"] += 1
    graph.graph["blocs"] = [
        {"bloc": i, "members": members, "size": len(members)} for i, members in enumerate(ranked)
    ]
    graph.graph["frustration"] = {
        k: frustration.get(k, 0)
        for k in ("positive_within", "positive_between", "negative_within", "negative_between")
    }
    graph.graph["modularity"] = (
        float(nx.community.modularity(positive, ranked, weight="weight", resolution=resolution))
        if positive.number_of_edges()
        else 0.0
    )


def _set_apart_hostile(graph: nx.Graph, communities: list[set[str]]) -> list[set[str]]:
    """Structural balance on top of Louvain: a member whose net signed tie to the rest of its
    bloc is not positive (its hostility to some members outweighs its cooperation with others)
    leaves the bloc and stands alone; repeated until no member does."""
    changed = True
    while changed:
        changed = False
        for community in communities:
            if len(community) < 2:
                continue
            net = {
                n: sum(d["weight"] for m, d in graph[n].items() if m in community and m != n)
                for n in community
            }
            worst = min(sorted(community), key=lambda n: net[n])
            if net[worst] <= 0:
                community.discard(worst)
                communities.append({worst})
                changed = True
                break
    return communities


# -- output --------------------------------------------------------------------------------------


def network_to_dict(graph: nx.Graph) -> dict[str, Any]:
    """The JSON form: ``{"nodes": [{"id", "label", "bloc", "centrality", "kind"}],
    "edges": [{"source", "target", "weight", "cooperation", "conflict", "relations", "events",
    "volume"}], "blocs", "frustration", "modularity", "level"}``; nodes by centrality."""
    nodes = sorted(graph.nodes(data=True), key=lambda nd: (-nd[1]["centrality"], nd[0]))
    return {
        "level": graph.graph.get("level"),
        "nodes": [
            {
                "id": n,
                "label": d["label"],
                "bloc": d["bloc"],
                "centrality": round(d["centrality"], 6),
                "kind": d["kind"],
            }
            for n, d in nodes
        ],
        "edges": [
            {
                "source": a,
                "target": b,
                "weight": round(d["weight"], 6),
                "cooperation": d["cooperation"],
                "conflict": d["conflict"],
                "relations": dict(d["relations"]),
                "events": d["events"],
                "volume": round(d["volume"], 6),
            }
            for a, b, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))
        ],
        "blocs": graph.graph.get("blocs", []),
        "frustration": graph.graph.get("frustration", {}),
        "modularity": round(graph.graph.get("modularity", 0.0), 6),
    }


def network_graphml(graph: nx.Graph) -> str:
    """GraphML text; an edge's ``relations`` become ``relations_<kind>`` counts."""
    flat = nx.Graph()
    for n, d in graph.nodes(data=True):
        flat.add_node(n, **d)
    for a, b, d in graph.edges(data=True):
        attrs = {k: v for k, v in d.items() if k != "relations"}
        attrs.update({f"relations_{k}": v for k, v in d["relations"].items()})
        flat.add_edge(a, b, **attrs)
    return "\n".join(nx.generate_graphml(flat)) + "\n"


# -- input ---------------------------------------------------------------------------------------


def load_results(
    paths: Sequence[str],
    *,
    code: Callable[[list[str]], Iterable[Result]] | None = None,
) -> list[Result]:
    """Results from each path: a DuckDB store, JSONL/JSON output of ``realpolitik code``, or
    article files (text, article JSONL, directories) handed to ``code`` to be coded (without
    ``code`` they are refused: this package never runs the NLP pipeline itself)."""
    results: list[Result] = []
    to_code: list[str] = []
    for path in paths:
        kind = _input_kind(path)
        if kind == "duckdb":
            from ..store import Store

            with Store(path, read_only=True) as store:
                results.extend(store.results())
        elif kind == "results":
            results.extend(_read_results(path))
        else:
            to_code.append(path)
    if to_code:
        if code is None:
            # analysis works on records and stores; coding is the caller's (the CLI passes
            # realpolitik.batch.code_paths)
            raise InputError(
                f"{to_code[0]} holds articles, not coded results",
                path=to_code[0],
                hint="code them first (`realpolitik ingest` or `realpolitik code`), or pass "
                "code=realpolitik.batch.code_paths",
            )
        results.extend(code(to_code))
    return results


def _input_kind(path: str) -> str:
    p = Path(path)
    if p.suffix == ".duckdb":
        return "duckdb"
    if not p.is_file():
        return "articles"
    with p.open("rb") as fh:
        head = fh.read(4096)
    if head[8:12] == _DUCKDB_MAGIC:
        return "duckdb"
    text = head.decode("utf-8", errors="replace").lstrip()
    if text.startswith("{") or text.startswith("["):
        first = _first_json_value(p)
        if isinstance(first, dict) and "article" in first and "events" in first:
            return "results"
    return "articles"


def _first_json_value(path: Path) -> Any:
    text = path.read_text(encoding="utf-8", errors="replace")
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            value = json.loads(stripped)
            return value[0] if isinstance(value, list) and value else None
        line = stripped.split("\n", 1)[0]
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def _read_results(path: str) -> Iterator[Result]:
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON: {exc.msg}", path=path, hint="give JSONL or a JSON list"
            ) from None
        for n, obj in enumerate(items, start=1):
            yield _result_or_error(obj, path, n)
        return
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON: {exc.msg}",
                path=path,
                line=n,
                hint="each line must be one result object from `realpolitik code`",
            ) from None
        yield _result_or_error(obj, path, n)


def _result_or_error(obj: Any, path: str, line: int) -> Result:
    # lenient: results written by hand or by older versions may lack fields the network
    # does not need; a missing id or event source still raises MissingField (an InputError)
    return Result.from_dict(obj, lenient=True, path=path, line=line)


def result_from_dict(obj: dict[str, Any]) -> Result:
    """Rebuild a :class:`Result` from its JSON form (``Result.to_dict()``, docs/output.md),
    filling missing fields with defaults: :meth:`Result.from_dict` with ``lenient=True``."""
    return Result.from_dict(obj, lenient=True)


def network(
    paths: Sequence[str],
    *,
    level: str = "country",
    resolution: float = RESOLUTION,
    code: Callable[[list[str]], Iterable[Result]] | None = None,
) -> nx.Graph:
    """The network of a store, JSONL results or article files (what ``realpolitik network``
    draws)."""
    return build_network(load_results(paths, code=code), level=level, resolution=resolution)
