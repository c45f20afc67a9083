// realpolitik explorer: one page over the read-only JSON API. No libraries, no network access
// beyond this server. All text from the store is inserted as text nodes, never as HTML.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const FILTER_NAMES = ["q", "actor", "country", "root", "quad_class", "since", "until"];
const FILTER_LABELS = {
  q: "sentence contains", actor: "actor", country: "country", root: "CAMEO root",
  quad_class: "quad class", since: "from", until: "to", dyad: "dyad",
};

const state = {
  filters: {},
  offset: 0,
  limit: 50,
  total: 0,
  summary: null,
  network: null,
  dyads: [],
  level: "country", // how the network groups actors: country or actor
  selected: null, // actor key chosen in the network
  partner: null, // second actor key (dyad)
  period: "month",
};

// -- small helpers -------------------------------------------------------------------------

function el(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    node.append(kid instanceof Node ? kid : String(kid));
  }
  return node;
}

function svgEl(tag, attrs, ...kids) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const kid of kids.flat()) if (kid) node.append(kid);
  return node;
}

const $ = (sel) => document.querySelector(sel);

async function api(path, params) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
  }
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body = {};
  try { body = await response.json(); } catch (_) { /* keep {} */ }
  if (!response.ok) throw new Error(body.detail || `${response.status} ${response.statusText}`);
  return body;
}

function showError(err) {
  const box = $("#error");
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = String(err.message || err);
  box.hidden = false;
}

function fmtG(value) {
  if (value === null || value === undefined) return "";
  const v = Number(value);
  return (v > 0 ? "+" : "") + v.toFixed(1);
}

function sentenceCase(text) {
  const lower = (text || "").toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

function shorten(text, n) {
  if (!text) return "";
  return text.length > n ? text.slice(0, n - 1) + "…" : text;
}

function actorName(key) {
  const node = state.network && state.network.nodes.find((d) => d.id === key);
  return node ? node.label : key;
}

// -- start ---------------------------------------------------------------------------------

async function start() {
  bindControls();
  try {
    const summary = await api("/api/summary");
    state.summary = summary;
    state.limit = Math.min(50, summary.max_page);
    renderSummary(summary);
  } catch (err) {
    showError(err);
    return;
  }
  loadActorList();
  if (state.summary.network) {
    await loadNetwork();
    await loadDyads();
  } else {
    for (const id of ["#network-panel", "#timeline-panel"]) {
      const panel = $(id);
      panel.replaceChildren(
        el("h2", { text: panel.querySelector("h2").textContent }),
        el("p", { class: "caption", text: "Not available: this installation has no network analysis." }),
      );
    }
  }
  renderTimeline(null);
  await loadEvents();
  openFromHash();
}

function renderSummary(s) {
  const c = s.counts;
  const range = s.first_date ? ` · ${s.first_date} to ${s.last_date}` : "";
  $("#store-summary").textContent =
    `${c.articles} articles · ${c.events} events · ${c.actors} actor mentions · ` +
    `${c.quotes} quotations${range}`;
  const root = $('#filters select[name="root"]');
  for (const [code, name] of Object.entries(s.roots)) {
    root.append(el("option", { value: code, text: `${code} ${sentenceCase(name)}` }));
  }
  const quad = $('#filters select[name="quad_class"]');
  for (const [code, name] of Object.entries(s.quad_classes)) {
    quad.append(el("option", { value: code, text: `${code} ${name}` }));
  }
  for (const name of ["since", "until"]) {
    const input = $(`#filters input[name="${name}"]`);
    if (s.first_date) input.min = s.first_date;
    if (s.last_date) input.max = s.last_date;
  }
}

async function loadActorList() {
  try {
    const page = await api("/api/actors", { limit: state.summary.max_page });
    const list = $("#actor-list");
    list.replaceChildren(...page.items.map((a) =>
      el("option", { value: a.key, label: a.name && a.name !== a.key ? `${a.name} (${a.mentions})` : `${a.mentions} mentions` })));
  } catch (err) { showError(err); }
}

function bindControls() {
  $("#filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const form = new FormData(ev.target);
    const filters = {};
    for (const name of FILTER_NAMES) {
      let v = (form.get(name) || "").toString().trim();
      if (name === "country") v = v.toUpperCase();
      if (v) filters[name] = v;
    }
    if (state.filters.dyad) filters.dyad = state.filters.dyad;
    // a network pick matches at the network's level; a typed actor matches codes and names
    if (state.filters.level && (filters.dyad || filters.actor === state.filters.actor)) {
      filters.level = state.filters.level;
    }
    state.filters = filters;
    state.offset = 0;
    syncSelectionFromFilters();
    loadEvents();
  });
  $("#clear-filters").addEventListener("click", () => {
    $("#filters").reset();
    state.filters = {};
    state.offset = 0;
    state.selected = null;
    state.partner = null;
    $("#dyad-select").value = "";
    drawSelection();
    renderTimeline(null);
    loadEvents();
  });
  $("#prev-page").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - state.limit);
    loadEvents();
  });
  $("#next-page").addEventListener("click", () => {
    if (state.offset + state.limit < state.total) state.offset += state.limit;
    loadEvents();
  });
  $("#dyad-select").addEventListener("change", (ev) => {
    const value = ev.target.value;
    if (!value) { setDyad(null, null); return; }
    const [a, b] = JSON.parse(value);
    setDyad(a, b);
  });
  $("#level-select").addEventListener("change", async (ev) => {
    state.level = ev.target.value;
    state.selected = null;
    state.partner = null;
    for (const name of ["actor", "dyad", "level"]) setFilter(name, null);
    renderTimeline(null);
    await loadNetwork();
    await loadDyads();
    loadEvents();
  });
  $("#period-select").addEventListener("change", (ev) => {
    state.period = ev.target.value;
    if (state.filters.dyad) loadSeries();
  });
  $("#close-article").addEventListener("click", () => $("#article-dialog").close());
  $("#article-dialog").addEventListener("close", () => {
    if (window.location.hash.startsWith("#article=")) {
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  });
  window.addEventListener("hashchange", openFromHash);
}

function setFilter(name, value) {
  if (value) state.filters[name] = value;
  else delete state.filters[name];
  const input = $(`#filters [name="${name}"]`);
  if (input) input.value = value || "";
  state.offset = 0;
}

// -- network -------------------------------------------------------------------------------

async function loadNetwork() {
  try {
    state.network = await api("/api/network", { nodes: 60, level: state.level });
  } catch (err) {
    showError(err);
    state.network = { nodes: [], edges: [] };
  }
  drawNetwork();
}

// Fruchterman-Reingold layout from a circle (deterministic: the same data gives the same
// picture), with gravity so that unconnected actors stay in view.
function layout(nodes, edges, width, height) {
  const n = nodes.length;
  const index = new Map(nodes.map((d, i) => [d.id, i]));
  nodes.forEach((d, i) => {
    const angle = (2 * Math.PI * i) / Math.max(n, 1);
    const r = Math.min(width, height) * 0.38;
    d.x = width / 2 + r * Math.cos(angle);
    d.y = height / 2 + r * Math.sin(angle);
  });
  const links = edges
    .map((e) => [index.get(e.source), index.get(e.target)])
    .filter(([s, t]) => s !== undefined && t !== undefined && s !== t);
  const k = 0.8 * Math.sqrt((width * height) / Math.max(n, 1));
  let temperature = width / 6;
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let iter = 0; iter < 300; iter++) {
    dx.fill(0); dy.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const ddx = nodes[i].x - nodes[j].x;
        const ddy = nodes[i].y - nodes[j].y;
        const dist = Math.max(Math.hypot(ddx, ddy), 0.5);
        const force = (k * k) / dist;
        dx[i] += (ddx / dist) * force; dy[i] += (ddy / dist) * force;
        dx[j] -= (ddx / dist) * force; dy[j] -= (ddy / dist) * force;
      }
    }
    for (const [s, t] of links) {
      const ddx = nodes[s].x - nodes[t].x;
      const ddy = nodes[s].y - nodes[t].y;
      const dist = Math.max(Math.hypot(ddx, ddy), 0.5);
      const force = (dist * dist) / k;
      dx[s] -= (ddx / dist) * force; dy[s] -= (ddy / dist) * force;
      dx[t] += (ddx / dist) * force; dy[t] += (ddy / dist) * force;
    }
    for (let i = 0; i < n; i++) {
      dx[i] -= (nodes[i].x - width / 2) * 0.6 * (k / 40);
      dy[i] -= (nodes[i].y - height / 2) * 0.6 * (k / 40);
      const len = Math.max(Math.hypot(dx[i], dy[i]), 1e-9);
      const step = Math.min(len, temperature);
      nodes[i].x += (dx[i] / len) * step;
      nodes[i].y += (dy[i] / len) * step;
    }
    temperature = Math.max(temperature * 0.97, 0.5);
  }
  // Fit the drawing into the box afterwards (clamping during the run piles nodes on the edges).
  const xs = nodes.map((d) => d.x);
  const ys = nodes.map((d) => d.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const mx = 45;
  const my = 25;
  for (const d of nodes) {
    d.x = x1 > x0 ? mx + ((d.x - x0) / (x1 - x0)) * (width - 2 * mx) : width / 2;
    d.y = y1 > y0 ? my + ((d.y - y0) / (y1 - y0)) * (height - 2 * my) : height / 2;
  }
  // Then push overlapping circles apart, so that every node can be seen and clicked.
  const maxNode = Math.max(...nodes.map((d) => d.centrality), 1e-9);
  const radius = nodes.map((d) => nodeRadius(d, maxNode));
  for (let round = 0; round < 300; round++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const ddx = nodes[j].x - nodes[i].x;
        const ddy = nodes[j].y - nodes[i].y;
        const dist = Math.hypot(ddx, ddy);
        const need = radius[i] + radius[j] + 4;
        if (dist >= need) continue;
        const ux = dist > 1e-6 ? ddx / dist : Math.cos(i + j);
        const uy = dist > 1e-6 ? ddy / dist : Math.sin(i + j);
        const push = (need - dist) / 2;
        nodes[i].x -= ux * push; nodes[i].y -= uy * push;
        nodes[j].x += ux * push; nodes[j].y += uy * push;
        moved = true;
      }
    }
    for (const d of nodes) {
      d.x = Math.min(Math.max(d.x, mx), width - mx);
      d.y = Math.min(Math.max(d.y, my), height - my);
    }
    if (!moved) break;
  }
}

// A node's circle grows with its centrality (the most central: 18 px).
function nodeRadius(d, maxNode) {
  return 5 + 13 * Math.sqrt(d.centrality / maxNode);
}

function drawNetwork() {
  const svg = $("#network");
  const width = 600;
  const height = 430;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const { nodes, edges } = state.network;
  if (!nodes.length) {
    svg.append(svgEl("text", { x: 20, y: 40, text: "No actors with events in this store." }));
    return;
  }
  layout(nodes, edges, width, height);
  const pos = new Map(nodes.map((d) => [d.id, d]));
  const maxVolume = Math.max(...edges.map((e) => e.volume), 1e-9);
  const edgeLayer = svgEl("g", { class: "edges" });
  for (const e of edges) {
    const s = pos.get(e.source);
    const t = pos.get(e.target);
    if (!s || !t) continue;
    const sign = e.weight > 0.05 ? "coop" : e.weight < -0.05 ? "conflict" : "mixed";
    const line = svgEl("line", {
      class: `edge ${sign}`,
      x1: s.x.toFixed(1), y1: s.y.toFixed(1), x2: t.x.toFixed(1), y2: t.y.toFixed(1),
      "stroke-width": (1 + 5 * Math.sqrt(e.volume / maxVolume)).toFixed(1),
      "data-source": e.source, "data-target": e.target,
    }, svgEl("title", {
      text: `${actorName(e.source)} – ${actorName(e.target)}: ${e.events} events ` +
        `(${e.cooperation} cooperative, ${e.conflict} conflictual), net tie ${fmtG(e.weight)}`,
    }));
    line.addEventListener("click", () => setDyad(e.source, e.target));
    edgeLayer.append(line);
  }
  svg.append(edgeLayer);
  const maxNode = Math.max(...nodes.map((d) => d.centrality), 1e-9);
  const nodeLayer = svgEl("g", { class: "nodes" });
  // Tab order follows importance: the DOM order is by weight.
  const ordered = [...nodes].sort((a, b) => b.centrality - a.centrality || a.id.localeCompare(b.id));
  for (const d of ordered) {
    const r = nodeRadius(d, maxNode);
    const label = `${d.label}${d.label !== d.id ? ` (${d.id})` : ""}: ${d.events} events, bloc ${d.bloc + 1}`;
    const g = svgEl("g", {
      class: `node ${d.kind || "state"} ${d.bloc < 8 ? `bloc${d.bloc}` : "blocx"}`,
      transform: `translate(${d.x.toFixed(1)},${d.y.toFixed(1)})`,
      tabindex: "0", role: "button", "aria-label": label, "aria-pressed": "false",
      "data-key": d.id,
    },
    svgEl("title", { text: label }),
    svgEl("circle", { r: r.toFixed(1) }),
    // labels of nodes near the right edge go on their left, so that they stay in view
    d.x > width * 0.7
      ? svgEl("text", { x: (-r - 3).toFixed(1), y: "4", "text-anchor": "end", text: shorten(d.label, 22) })
      : svgEl("text", { x: (r + 3).toFixed(1), y: "4", text: shorten(d.label, 22) }));
    g.addEventListener("click", (ev) => pickNode(d.id, ev.shiftKey));
    g.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pickNode(d.id, ev.shiftKey); }
      if (ev.key === "Escape") pickNode(null, false);
    });
    nodeLayer.append(g);
  }
  svg.append(nodeLayer);
  drawSelection();
}

function pickNode(key, asPartner, fromNetwork = true) {
  if (asPartner && state.selected && key && key !== state.selected) {
    setDyad(state.selected, key);
    return;
  }
  if (!key || key === state.selected) {
    state.selected = null;
    setFilter("actor", null);
  } else {
    state.selected = key;
    setFilter("actor", key);
  }
  state.partner = null;
  setFilter("dyad", null);
  setFilter("level", state.filters.actor && fromNetwork ? state.level : null);
  $("#dyad-select").value = "";
  renderTimeline(null);
  drawSelection();
  fillDyadSelect();
  loadEvents();
}

function syncSelectionFromFilters() {
  const key = state.filters.actor || null;
  state.selected = state.network && state.network.nodes.some((d) => d.id === key) ? key : null;
  drawSelection();
  fillDyadSelect();
}

function drawSelection() {
  const svg = $("#network");
  const sel = state.selected;
  const partner = state.partner;
  svg.classList.toggle("has-selection", Boolean(sel));
  const neighbours = new Set();
  if (state.network && sel) {
    for (const e of state.network.edges) {
      if (e.source === sel) neighbours.add(e.target);
      if (e.target === sel) neighbours.add(e.source);
    }
  }
  for (const g of svg.querySelectorAll(".node")) {
    const key = g.getAttribute("data-key");
    g.classList.toggle("selected", key === sel);
    g.classList.toggle("partner", key === partner);
    g.classList.toggle("dim", Boolean(sel) && key !== sel && !neighbours.has(key));
    g.setAttribute("aria-pressed", key === sel ? "true" : "false");
  }
  for (const line of svg.querySelectorAll(".edge")) {
    const s = line.getAttribute("data-source");
    const t = line.getAttribute("data-target");
    line.classList.toggle("dim", Boolean(sel) && s !== sel && t !== sel);
  }
}

// -- dyads and the timeline ----------------------------------------------------------------

async function loadDyads() {
  try {
    const page = await api("/api/dyads", { limit: 100, level: state.level });
    state.dyads = page.items;
  } catch (err) {
    showError(err);
    state.dyads = [];
  }
  fillDyadSelect();
}

function fillDyadSelect() {
  const select = $("#dyad-select");
  const current = select.value;
  const sel = state.selected;
  const rows = state.dyads.filter((d) => !sel || d.a === sel || d.b === sel);
  select.replaceChildren(
    el("option", { value: "", text: sel ? `pairs with ${actorName(sel)}` : "choose a pair of actors" }),
    ...rows.map((d) => el("option", {
      value: JSON.stringify([d.a, d.b]),
      text: `${d.a_name || d.a} – ${d.b_name || d.b} (${d.events})`,
    })),
  );
  if ([...select.options].some((o) => o.value === current)) select.value = current;
}

function setDyad(a, b) {
  if (!a || !b) {
    state.partner = null;
    setFilter("dyad", null);
    renderTimeline(null);
    drawSelection();
    loadEvents();
    return;
  }
  state.selected = a;
  state.partner = b;
  setFilter("actor", null);
  setFilter("dyad", `${a},${b}`);
  setFilter("level", state.level);
  fillDyadSelect();
  const select = $("#dyad-select");
  const want = [JSON.stringify([a, b]), JSON.stringify([b, a])];
  const option = [...select.options].find((o) => want.includes(o.value));
  select.value = option ? option.value : "";
  drawSelection();
  loadSeries();
  loadEvents();
}

async function loadSeries() {
  const [a, b] = state.filters.dyad.split(",");
  try {
    const series = await api("/api/dyads/series", { a, b, period: state.period, level: state.level });
    renderTimeline(series);
  } catch (err) {
    showError(err);
  }
}

function renderTimeline(series) {
  const svg = $("#timeline");
  const caption = $("#timeline-caption");
  svg.replaceChildren();
  const width = 600;
  const height = 190;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  if (!series) {
    caption.textContent = "Pick a pair of actors to see their events over time.";
    return;
  }
  const points = series.points;
  const total = points.reduce((n, p) => n + p.events, 0);
  const name = (k) => actorName(k);
  caption.textContent = total
    ? `${name(series.a)} – ${name(series.b)}: ${total} events. Bars: events per ` +
      `${series.period} by quad class (light green verbal cooperation, dark green material ` +
      `cooperation, orange verbal conflict, red material conflict); dots and line: mean ` +
      `Goldstein score (right axis).`
    : `${name(series.a)} – ${name(series.b)}: no events.`;
  if (!points.length) return;
  const left = 30;
  const right = 30;
  const top = 10;
  const bottom = 30;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxCount = Math.max(...points.map((p) => p.events), 1);
  const slot = plotW / points.length;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  svg.append(svgEl("line", { class: "axis", x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH }));
  svg.append(svgEl("text", { x: 2, y: top + 8, text: String(maxCount) }));
  svg.append(svgEl("text", { x: 2, y: top + plotH, text: "0" }));
  svg.append(svgEl("text", { x: width - right + 4, y: top + 8, text: "+10" }));
  svg.append(svgEl("text", { x: width - right + 4, y: top + plotH, text: "−10" }));
  const labelEvery = Math.ceil(points.length / 8);
  const line = [];
  points.forEach((p, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let y = top + plotH;
    for (const q of [1, 2, 3, 4]) {
      const n = p.quad[String(q)] || 0;
      if (!n) continue;
      const h = (n / maxCount) * plotH;
      y -= h;
      svg.append(svgEl("rect", { class: `bar q${q}`, x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1), height: h.toFixed(1) },
        svgEl("title", { text: `${p.period}: ${n} ${state.summary.quad_classes[String(q)]}` })));
    }
    if (i % labelEvery === 0) {
      svg.append(svgEl("text", { x: (x + barW / 2).toFixed(1), y: height - 12, "text-anchor": "middle", text: p.period }));
    }
    if (p.events && p.goldstein !== null) {
      line.push([x + barW / 2, top + plotH * (1 - (p.goldstein + 10) / 20), p]);
    }
  });
  if (line.length > 1) {
    svg.append(svgEl("polyline", { class: "goldstein", points: line.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ") }));
  }
  for (const [x, y, p] of line) {
    svg.append(svgEl("circle", { class: "goldstein-dot", cx: x.toFixed(1), cy: y.toFixed(1), r: 3 },
      svgEl("title", { text: `${p.period}: mean Goldstein ${fmtG(p.goldstein)} over ${p.events} events` })));
  }
}

// -- events table --------------------------------------------------------------------------

async function loadEvents() {
  renderChips();
  let page;
  try {
    page = await api("/api/events", { ...state.filters, offset: state.offset, limit: state.limit });
    showError(null);
  } catch (err) {
    showError(err);
    return;
  }
  state.total = page.total;
  const body = $("#event-table tbody");
  body.replaceChildren(...page.items.map(eventRow));
  if (!page.items.length) {
    body.append(el("tr", {}, el("td", { colspan: "6", class: "empty", text: "No events match these filters." })));
  }
  $("#event-count").textContent = `(${page.total})`;
  const first = page.total ? page.offset + 1 : 0;
  const last = page.offset + page.items.length;
  $("#page-info").textContent = `${first}–${last} of ${page.total}`;
  $("#prev-page").disabled = page.offset === 0;
  $("#next-page").disabled = last >= page.total;
  $("#event-table").setAttribute("data-total", String(page.total));
}

function renderChips() {
  const box = $("#active-filters");
  box.replaceChildren();
  for (const [name, value] of Object.entries(state.filters)) {
    if (name === "level") continue;
    const shown = name === "dyad" ? value.split(",").map(actorName).join(" – ")
      : name === "actor" ? actorName(value) : value;
    box.append(el("span", { class: "chip" }, `${FILTER_LABELS[name]}: ${shown}`,
      el("button", {
        type: "button", "aria-label": `Remove the ${FILTER_LABELS[name]} filter`, text: "✕",
        onclick: () => {
          setFilter(name, null);
          if (name === "actor" || name === "dyad") {
            setFilter("level", null);
            state.selected = null; state.partner = null;
            $("#dyad-select").value = "";
            renderTimeline(null); drawSelection(); fillDyadSelect();
          }
          loadEvents();
        },
      })));
  }
}

function actorCell(key, name, text, code) {
  if (!key && !text) return el("td", { text: "—" });
  const label = name || text || key;
  return el("td", {},
    el("button", {
      type: "button", class: "linkish", title: `Show the events of ${label}`, text: label,
      onclick: () => { state.selected = null; pickNode(key, false, false); },
    }),
    code ? el("span", { class: "code", text: code }) : null);
}

// The sentence with the source and target mentions and the trigger marked.
function highlightSentence(e) {
  const text = e.text || "";
  const ranges = [];
  const find = (needle, cls) => {
    if (!needle) return;
    let at = text.indexOf(needle);
    while (at >= 0 && ranges.some(([s, t]) => at < t && at + needle.length > s)) {
      at = text.indexOf(needle, at + 1);
    }
    if (at >= 0) ranges.push([at, at + needle.length, cls]);
  };
  if (e.trigger_start !== null && e.trigger_start !== undefined) {
    const s = e.trigger_start - e.start;
    const t = e.trigger_end - e.start;
    if (s >= 0 && t <= text.length && s < t) ranges.push([s, t, "trig"]);
  }
  find(e.source_text, "src");
  if (e.has_target) find(e.target_text, "tgt");
  ranges.sort((x, y) => x[0] - y[0]);
  const out = [];
  let pos = 0;
  for (const [s, t, cls] of ranges) {
    if (s < pos) continue;
    out.push(text.slice(pos, s));
    const piece = text.slice(s, t);
    out.push(cls === "trig" ? el("span", { class: "trig", text: piece })
      : el("mark", { class: cls, title: cls === "src" ? "source" : "target", text: piece }));
    pos = t;
  }
  out.push(text.slice(pos));
  return out;
}

function eventRow(e) {
  const flags = [];
  if (e.negated) flags.push("negated");
  if (e.modality && e.modality !== "asserted") flags.push(e.modality);
  return el("tr", { "data-event": e.id },
    el("td", { class: "date" }, e.date || "",
      el("button", {
        type: "button", class: "linkish open-article",
        title: `Open the article: ${e.article_title || e.article_id}`,
        text: "article",
        onclick: () => openArticle(e.article_id, e.id),
      })),
    actorCell(e.source_key, e.source_name, e.source_text, e.source_code),
    el("td", {},
      el("span", { text: e.cameo_name || e.cameo }),
      el("span", { class: "code", text: `${e.cameo}${e.plover ? " · " + e.plover : ""}` }),
      flags.length ? el("span", { class: "flag", text: flags.join(", ") }) : null),
    e.has_target ? actorCell(e.target_key, e.target_name, e.target_text, e.target_code)
      : el("td", { text: "—" }),
    el("td", { class: `num ${e.goldstein > 0 ? "g-pos" : e.goldstein < 0 ? "g-neg" : ""}`, text: fmtG(e.goldstein) }),
    el("td", { class: "sentence" }, highlightSentence(e)));
}

// -- article view --------------------------------------------------------------------------

function openFromHash() {
  const hash = window.location.hash;
  if (!hash.startsWith("#article=")) return;
  const [id, event] = decodeURIComponent(hash.slice("#article=".length)).split("|");
  openArticle(id, event || null, false);
}

async function openArticle(id, eventId, push = true) {
  let doc;
  try {
    doc = await api(`/api/articles/${encodeURIComponent(id)}`);
  } catch (err) {
    showError(err);
    return;
  }
  if (push) {
    history.replaceState(null, "", `#article=${encodeURIComponent(eventId ? `${id}|${eventId}` : id)}`);
  }
  renderArticle(doc, eventId);
  const dialog = $("#article-dialog");
  if (!dialog.open) dialog.showModal();
  const target = eventId && dialog.querySelector(".current-event");
  if (target) target.scrollIntoView({ block: "center" });
  $("#article-text").focus({ preventScroll: Boolean(target) });
}

function renderArticle(doc, eventId) {
  const art = doc.article;
  $("#article-title").textContent = art.title || art.id;
  $("#article-meta").textContent = [art.date, art.source, `${doc.events.length} events`,
    `${doc.quotes.length} quotations`, `${doc.actors.length} actors`].filter(Boolean).join(" · ");
  const actors = new Map(doc.actors.map((a) => [a.id, a]));
  // One colour per speaker in order of first appearance; quotes without a speaker are grey.
  const speakers = new Map();
  for (const q of doc.quotes) {
    const key = q.speaker || "";
    if (!speakers.has(key)) speakers.set(key, { quotes: [], cls: key ? `sp${(speakers.size - (speakers.has("") ? 1 : 0)) % 8}` : "spx" });
    speakers.get(key).quotes.push(q);
  }
  const spans = [];
  for (const q of doc.quotes) spans.push({ kind: "quote", start: q.start, end: q.end, q });
  for (const a of doc.actors) {
    for (const m of a.mentions) spans.push({ kind: "mention", start: m.start, end: m.end, a });
  }
  const current = doc.events.find((e) => e.id === eventId);
  if (current) spans.push({ kind: "event", start: current.start, end: current.end });
  $("#article-text").replaceChildren(...markText(doc.text, spans, speakers));

  const legend = $("#speaker-legend");
  legend.replaceChildren();
  for (const [key, info] of speakers) {
    const a = actors.get(key);
    const name = a ? a.name : "speaker not found";
    legend.append(el("li", { "data-speaker": key || "none" },
      el("span", { class: `swatch ${info.cls}`, "aria-hidden": "true" }),
      el("strong", { text: name }), a && a.role ? ` (${a.role})` : "", ` — ${info.quotes.length}`,
      el("ol", {}, info.quotes.map((q) => el("li", {},
        el("button", {
          type: "button", class: "linkish", text: `“${shorten(q.text, 70)}”`,
          title: `${q.kind}, cue “${q.cue}”`,
          onclick: () => flashQuote(q.id),
        }))))));
  }
  const list = $("#article-events");
  list.replaceChildren(...doc.events.map((e) => {
    const src = (e.source.actor && actors.get(e.source.actor)) ? actors.get(e.source.actor).name : e.source.text;
    const tgt = e.target ? ((e.target.actor && actors.get(e.target.actor)) ? actors.get(e.target.actor).name : e.target.text) : null;
    return el("li", { class: e.id === eventId ? "current" : null },
      `${src} → ${e.cameo_name || e.cameo}${tgt ? " → " + tgt : ""} `,
      el("span", { class: e.goldstein > 0 ? "g-pos" : e.goldstein < 0 ? "g-neg" : "", text: `(${fmtG(e.goldstein)})` }));
  }));
}

// Split the text at every span boundary; each piece carries the innermost quote and mention
// that cover it, so overlapping spans never produce broken markup.
function markText(text, spans, speakers) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    if (s.start >= 0 && s.end <= text.length && s.start < s.end) { cuts.add(s.start); cuts.add(s.end); }
  }
  const points = [...cuts].sort((x, y) => x - y);
  const innermost = (kind, a, b) => {
    let best = null;
    for (const s of spans) {
      if (s.kind === kind && s.start <= a && s.end >= b && (!best || s.end - s.start < best.end - best.start)) best = s;
    }
    return best;
  };
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    let node = document.createTextNode(text.slice(a, b));
    const mention = innermost("mention", a, b);
    if (mention) {
      const who = mention.a;
      node = el("span", { class: "mention", title: `${who.name}${who.code ? " · " + who.code : ""}`, "data-actor": who.id }, node);
    }
    const quote = innermost("quote", a, b);
    if (quote) {
      const q = quote.q;
      const info = speakers.get(q.speaker || "");
      node = el("mark", {
        class: `quote ${info.cls}`, "data-quote": q.id, "data-speaker": q.speaker || "none",
        title: `${q.speaker_text || "unknown speaker"} (${q.kind}, “${q.cue}”)`,
      }, node);
    }
    if (innermost("event", a, b)) node = el("span", { class: "current-event" }, node);
    out.push(node);
  }
  return out;
}

function flashQuote(id) {
  const parts = document.querySelectorAll(`#article-text [data-quote="${CSS.escape(id)}"]`);
  if (!parts.length) return;
  parts[0].scrollIntoView({ block: "center" });
  for (const p of parts) p.classList.add("flash");
  setTimeout(() => { for (const p of parts) p.classList.remove("flash"); }, 1600);
}

document.addEventListener("DOMContentLoaded", start);
