"""Pictures of the system: the network as PNG or as a self-contained interactive HTML page, and
dyad timelines (Goldstein over time) as PNG.

The HTML page needs no network access: its SVG and JavaScript are written here and inlined.
Layouts are seeded, so the same network gives the same picture.
"""

from __future__ import annotations

import html
import json
import textwrap
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

POSITIVE = "#2e7d32"
NEGATIVE = "#c62828"
SINGLETON = "#b0b0b0"
# Colour-blind-safe qualitative palette (Okabe-Ito).
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]


def layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Node positions in [0, 1]² (Kamada-Kawai, deterministic): parties tied by cooperation sit
    one unit apart, by hostility two, by neutral events one and a half, so blocs gather and
    adversaries stand off."""
    if len(graph) == 0:
        return {}
    if len(graph) == 1:
        return {next(iter(graph)): (0.5, 0.5)}
    g = nx.Graph()
    g.add_nodes_from(sorted(graph))
    for a, b, d in graph.edges(data=True):
        w = d["weight"]
        g.add_edge(a, b, dist=1.0 if w > 0 else 2.0 if w < 0 else 1.5)
    # Parties in separate components are laid out as if three units apart.
    dist = dict(nx.shortest_path_length(g, weight="dist"))
    full = {a: {b: dist.get(a, {}).get(b, 3.0) for b in g} for a in g}
    raw = nx.kamada_kawai_layout(g, dist=full)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        n: (float((p[0] - min(xs)) / span_x), float((p[1] - min(ys)) / span_y))
        for n, p in raw.items()
    }


def bloc_colors(graph: nx.Graph) -> dict[str, str]:
    """A colour per node: its bloc's, or grey when it stands alone."""
    sizes: dict[int, int] = defaultdict(int)
    for _, d in graph.nodes(data=True):
        sizes[d["bloc"]] += 1
    return {
        n: PALETTE[d["bloc"] % len(PALETTE)] if sizes[d["bloc"]] > 1 else SINGLETON
        for n, d in graph.nodes(data=True)
    }


def _relations_text(relations: dict[str, int]) -> str:
    return ", ".join(f"{k} ×{v}" if v > 1 else k for k, v in relations.items())


def plot_network(graph: nx.Graph, path: str | Path, *, title: str | None = None) -> None:
    """Draw the network to a PNG: nodes coloured by bloc and sized by centrality, cooperative
    edges green and solid, hostile ones red and dashed, width by the strength of the tie."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    pos = layout(graph)
    colors = bloc_colors(graph)
    fig, ax = plt.subplots(figsize=(9, 7), dpi=110)
    top = max((abs(d["weight"]) for _, _, d in graph.edges(data=True)), default=1.0) or 1.0
    for a, b, d in graph.edges(data=True):
        w = d["weight"]
        if w == 0:
            style, color = ":", SINGLETON
        else:
            style, color = ("-", POSITIVE) if w > 0 else ("--", NEGATIVE)
        (xa, ya), (xb, yb) = pos[a], pos[b]
        ax.plot(
            [xa, xb],
            [ya, yb],
            style,
            color=color,
            lw=0.8 + 5.0 * abs(w) / top,
            alpha=0.75,
            zorder=1,
        )
        note = f"{w:+.1f}"
        if d["relations"]:
            note += "\n" + _relations_text(d["relations"])
        ax.text(
            (xa + xb) / 2,
            (ya + yb) / 2,
            note,
            fontsize=7,
            color=color,
            ha="center",
            va="center",
            zorder=2,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    cmax = max((d["centrality"] for _, d in graph.nodes(data=True)), default=1.0) or 1.0
    for n, d in graph.nodes(data=True):
        x, y = pos[n]
        size = 250 + 2200 * d["centrality"] / cmax
        ax.scatter([x], [y], s=size, c=colors[n], edgecolors="#333333", linewidths=1, zorder=3)
        name = textwrap.fill(d["label"], 22)
        ax.annotate(
            f"{name}\n{d['centrality']:.2f}",
            (x, y),
            xytext=((size**0.5) / 2 + 4, 0),  # beside the node, clear of edge labels
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    handles = [
        Line2D([0], [0], color=POSITIVE, lw=2, label="cooperative tie (net)"),
        Line2D([0], [0], color=NEGATIVE, lw=2, ls="--", label="hostile tie (net)"),
    ]
    for bloc in graph.graph.get("blocs", []):
        if bloc["size"] > 1:
            handles.append(
                Line2D(
                    [0],
                    [0],
                    marker="o",
                    lw=0,
                    markersize=9,
                    color=PALETTE[bloc["bloc"] % len(PALETTE)],
                    label=f"bloc {bloc['bloc']}: {', '.join(bloc['members'])}",
                )
            )
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False)
    ax.set_title(
        title
        or f"realpolitik network ({graph.graph.get('level', 'country')} level): "
        "blocs by signed Louvain, size = PageRank",
        fontsize=10,
    )
    ax.set_xlim(-0.1, 1.3)
    ax.set_ylim(-0.22, 1.1)
    ax.axis("off")
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(str(path))
    plt.close(fig)


def plot_dyad_timelines(
    rows: list[dict[str, Any]], path: str | Path, *, top: int = 8, title: str | None = None
) -> None:
    """Draw Goldstein sums over time for the ``top`` busiest directed dyads to a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    totals: dict[tuple[str, str], int] = defaultdict(int)
    series: dict[tuple[str, str], list[tuple[date, float]]] = defaultdict(list)
    for r in rows:
        if r["period"] is None:
            continue
        key = (r["source"], r["target"])
        totals[key] += r["events"]
        series[key].append((date.fromisoformat(r["period"]), r["goldstein_sum"]))
    chosen = sorted(totals, key=lambda k: (-totals[k], k))[:top]
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    for i, key in enumerate(chosen):
        points = sorted(series[key])
        ax.plot(
            [float(mdates.date2num(p[0])) for p in points],
            [p[1] for p in points],
            marker="o",
            color=PALETTE[i % len(PALETTE)],
            ls="-" if i < len(PALETTE) else "--",
            label=f"{key[0]} → {key[1]} ({totals[key]} events)",
        )
    ax.axhline(0, color="#777777", lw=0.8)
    ax.xaxis_date()
    ax.set_ylabel("Goldstein sum")
    ax.set_title(title or "Dyad timelines: Goldstein sum per period", fontsize=10)
    if chosen:
        ax.legend(fontsize=8, frameon=False)
    else:
        ax.text(0.5, 0.5, "no dated dyads", ha="center", va="center", transform=ax.transAxes)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(str(path))
    plt.close(fig)


# -- interactive HTML ----------------------------------------------------------------------------

_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>__TITLE__</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 16px; margin: 0 0 4px; }
#wrap { display: flex; height: calc(100vh - 70px); }
svg { flex: 1; background: #fcfcfc; cursor: default; overflow: visible; }
aside { width: 320px; overflow: auto; padding: 8px 12px; border-left: 1px solid #ddd; }
.edge { fill: none; stroke-linecap: round; opacity: .7; }
.edge.neg { stroke-dasharray: 6 4; }
.edge.dim, .node.dim { opacity: .12; }
.node circle { stroke: #333; stroke-width: 1.2; cursor: grab; }
.node text { font-size: 12px; pointer-events: none; text-anchor: middle; }
.elabel { font-size: 10px; pointer-events: none; text-anchor: middle; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 2px 4px; border-bottom: 1px solid #eee; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 4px; }
</style>
</head>
<body>
<header><h1>__TITLE__</h1>
<label><input type="checkbox" id="showPos" checked> cooperative ties</label>
<label><input type="checkbox" id="showNeg" checked> hostile ties</label>
<label><input type="checkbox" id="showLabels" checked> edge labels</label>
<span id="stats"></span></header>
<div id="wrap"><svg id="net" viewBox="0 0 1000 760" role="img"></svg>
<aside id="info"></aside></div>
<script>
"use strict";
const DATA = __DATA__;
const W = 1000, H = 760, PAD = 70, NS = "http://www.w3.org/2000/svg";
const svg = document.getElementById("net"), info = document.getElementById("info");
const showPos = document.getElementById("showPos"), showNeg = document.getElementById("showNeg");
const showLabels = document.getElementById("showLabels");
const byId = {}; DATA.nodes.forEach(n => { byId[n.id] = n; n.x = PAD + n.px * (W - 2 * PAD);
  n.y = PAD + (1 - n.py) * (H - 2 * PAD); });
const maxW = Math.max(1e-9, ...DATA.edges.map(e => Math.abs(e.weight)));
const maxC = Math.max(1e-9, ...DATA.nodes.map(n => n.centrality));
function el(tag, attrs, parent) { const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]); parent.appendChild(e); return e; }
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;",
  ">": "&gt;", '"': "&quot;"}[c])); }
const gEdges = el("g", {}, svg), gLabels = el("g", {}, svg), gNodes = el("g", {}, svg);
DATA.edges.forEach(e => {
  const color = e.weight > 0 ? "__POS__" : e.weight < 0 ? "__NEG__" : "#999";
  e.line = el("line", {"class": "edge" + (e.weight < 0 ? " neg" : ""), stroke: color,
    "stroke-width": 1 + 7 * Math.abs(e.weight) / maxW}, gEdges);
  e.label = el("text", {"class": "elabel", fill: color}, gLabels);
  e.label.textContent = (e.weight > 0 ? "+" : "") + e.weight.toFixed(1);
  e.line.addEventListener("mouseenter", () => showEdge(e));
});
DATA.nodes.forEach(n => {
  n.r = 10 + 26 * n.centrality / maxC;
  n.g = el("g", {"class": "node"}, gNodes);
  el("circle", {r: n.r, fill: n.color}, n.g);
  const t = el("text", {y: n.r + 14}, n.g); t.textContent = n.label;
  n.g.addEventListener("mouseenter", () => focus(n));
  n.g.addEventListener("mouseleave", () => focus(null));
  n.g.addEventListener("pointerdown", ev => startDrag(ev, n));
});
function draw() {
  DATA.nodes.forEach(n => n.g.setAttribute("transform", `translate(${n.x},${n.y})`));
  DATA.edges.forEach(e => { const a = byId[e.source], b = byId[e.target];
    e.line.setAttribute("x1", a.x); e.line.setAttribute("y1", a.y);
    e.line.setAttribute("x2", b.x); e.line.setAttribute("y2", b.y);
    e.label.setAttribute("x", (a.x + b.x) / 2); e.label.setAttribute("y", (a.y + b.y) / 2 - 3); });
}
function visible(e) {
  return (e.weight >= 0 && showPos.checked) || (e.weight < 0 && showNeg.checked); }
function filter() { DATA.edges.forEach(e => { const v = visible(e);
  e.line.style.display = v ? "" : "none";
  e.label.style.display = v && showLabels.checked ? "" : "none"; }); }
function focus(n) {
  const near = new Set(n ? [n.id] : []);
  DATA.edges.forEach(e => { const on = !n || e.source === n.id || e.target === n.id;
    if (on && n) { near.add(e.source); near.add(e.target); }
    e.line.classList.toggle("dim", !on); });
  DATA.nodes.forEach(m => m.g.classList.toggle("dim", !!n && !near.has(m.id)));
  if (n) showNode(n);
}
function rel(r) {
  return Object.entries(r).map(([k, v]) => v > 1 ? `${k} ×${v}` : k).join(", ") || "–"; }
function showNode(n) {
  const rows = DATA.edges.filter(e => e.source === n.id || e.target === n.id)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).map(e => {
      const o = byId[e.source === n.id ? e.target : e.source];
      return `<tr><td>${esc(o.label)}</td><td>${e.weight.toFixed(2)}</td>` +
        `<td>${e.cooperation}/${e.conflict}</td><td>${esc(rel(e.relations))}</td></tr>`; });
  info.innerHTML = `<h2>${esc(n.label)} <small>${esc(n.id)}</small></h2>
    <p>bloc ${n.bloc} · centrality ${n.centrality.toFixed(3)} · ${esc(n.kind)}</p>
    <table><tr><th>with</th><th>weight</th><th>coop/confl</th><th>relations</th></tr>${rows.join("")}</table>`;
}
function showEdge(e) {
  info.innerHTML = `<h2>${esc(byId[e.source].label)} – ${esc(byId[e.target].label)}</h2>
    <p>net weight ${e.weight.toFixed(2)} · ${e.events} events (${e.cooperation} cooperative,
    ${e.conflict} conflictual)</p><p>stated relations: ${esc(rel(e.relations))}</p>`;
}
let drag = null;
function point(ev) { const p = svg.createSVGPoint(); p.x = ev.clientX; p.y = ev.clientY;
  return p.matrixTransform(svg.getScreenCTM().inverse()); }
function startDrag(ev, n) { drag = n; svg.setPointerCapture(ev.pointerId); ev.preventDefault(); }
svg.addEventListener("pointermove", ev => { if (!drag) return; const p = point(ev);
  drag.x = p.x; drag.y = p.y; draw(); });
svg.addEventListener("pointerup", () => { drag = null; });
[showPos, showNeg, showLabels].forEach(c => c.addEventListener("change", filter));
const blocs = DATA.blocs.filter(b => b.size > 1).map(b =>
  `<span class="swatch" style="background:${byId[b.members[0]].color}"></span>` +
  `bloc ${b.bloc}: ${b.members.map(m => esc(byId[m].label)).join(", ")}`);
document.getElementById("stats").innerHTML = " · " + (blocs.join(" · ") || "no bloc");
info.innerHTML = "<p>Hover a node or an edge for details; drag nodes to move them.</p>" +
  "<p>Edges against the blocs: " + Object.entries(DATA.frustration)
    .map(([k, v]) => `${esc(k.replace("_", " "))} ${v}`).join(", ") + "</p>";
draw(); filter();
</script>
</body>
</html>
"""


def network_html(graph: nx.Graph, *, title: str | None = None) -> str:
    """A self-contained HTML page (inline SVG and JavaScript, no external files) showing the
    network: hover for a party's ties or an edge's evidence, drag nodes, filter ties by sign."""
    from .network import network_to_dict

    data = network_to_dict(graph)
    pos = layout(graph)
    colors = bloc_colors(graph)
    for node in data["nodes"]:
        node["px"], node["py"] = pos[node["id"]]
        node["color"] = colors[node["id"]]
    heading = title or f"realpolitik network ({graph.graph.get('level', 'country')} level)"
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        _HTML.replace("__TITLE__", html.escape(heading))
        .replace("__POS__", POSITIVE)
        .replace("__NEG__", NEGATIVE)
        .replace("__DATA__", payload)
    )
