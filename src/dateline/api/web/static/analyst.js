// The analyst page: events table with filters, the article with its evidence highlighted,
// a timeline, an actor network, the negotiation tracker and the stories list.
// Plain DOM and SVG; all data (article text included) goes in through textContent.
(function () {
  "use strict";
  const { SVG, el, svg, TYPES } = window.DatelineDom;
  const PAGE = 50;
  const state = { filters: {}, offset: 0, selected: null };
  const $ = (id) => document.getElementById(id);
  const css = getComputedStyle(document.documentElement);
  const colour = (type) => (css.getPropertyValue("--" + type) || "").trim() || "#607d8b";

  function query(params) {
    const usp = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") usp.append(k, v);
    return usp.toString();
  }
  async function api(path, params) {
    const response = await fetch("/api/" + path + (params ? "?" + query(params) : ""), { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(path + ": " + response.status);
    return response.json();
  }
  function chip(type) { return el("span", { class: "type-chip type-" + type }, type); }
  function actorText(name, country) { return (name || "?") + (country ? " (" + country + ")" : ""); }

  // -- tooltip -------------------------------------------------------------------------
  const tip = $("tooltip");
  function showTip(evt, text) { tip.textContent = text; tip.hidden = false; tip.style.left = evt.clientX + 12 + "px"; tip.style.top = evt.clientY + 12 + "px"; }
  function hideTip() { tip.hidden = true; }
  function withTip(node, text) {
    node.addEventListener("mousemove", (e) => showTip(e, text));
    node.addEventListener("mouseleave", hideTip);
    return node;
  }

  // -- events table --------------------------------------------------------------------
  async function loadEvents() {
    const data = await api("events", { ...state.filters, limit: PAGE, offset: state.offset });
    const body = $("events-table").tBodies[0];
    body.replaceChildren();
    for (const ev of data.items) {
      const tr = el("tr", { "data-doc": ev.doc_id, "data-idx": ev.idx, "data-type": ev.type });
      tr.appendChild(el("td", {}, ev.date || ""));
      const typeCell = el("td"); typeCell.appendChild(chip(ev.type)); tr.appendChild(typeCell);
      tr.appendChild(el("td", {}, actorText(ev.source_name, ev.source_country) + " → " + actorText(ev.target_name, ev.target_country)));
      tr.appendChild(el("td", {}, ev.place_name || ""));
      tr.appendChild(el("td", {}, ev.factuality || ""));
      tr.appendChild(el("td", {}, ev.confidence == null ? "" : Number(ev.confidence).toFixed(2)));
      const evidence = el("td", { class: "evidence" });
      evidence.appendChild(el("span", { class: "clamp", title: ev.evidence || "" }, ev.evidence || ""));
      tr.appendChild(evidence);
      tr.addEventListener("click", () => selectEvent(tr, ev));
      body.appendChild(tr);
    }
    if (!data.items.length) {
      const tr = el("tr"); tr.appendChild(el("td", { colspan: 7, class: "empty" }, "No events match these filters.")); body.appendChild(tr);
    }
    $("events-total").textContent = data.total + " event" + (data.total === 1 ? "" : "s");
    const last = Math.min(data.offset + data.items.length, data.total);
    $("page-info").textContent = data.total ? (data.offset + 1) + "–" + last + " of " + data.total : "";
    $("prev-page").disabled = data.offset === 0;
    $("next-page").disabled = last >= data.total;
  }

  function selectEvent(row, ev) {
    document.querySelectorAll("#events-table tr.selected").forEach((r) => r.classList.remove("selected"));
    row.classList.add("selected");
    openArticle(ev.doc_id, "e" + ev.idx);
  }

  // -- article view --------------------------------------------------------------------
  function segments(text, start, anns) {
    const cuts = new Set([0, text.length]);
    for (const a of anns) { cuts.add(Math.max(0, a.start - start)); cuts.add(Math.min(text.length, a.end - start)); }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const l = points[i], r = points[i + 1];
      out.push({ text: text.slice(l, r), anns: anns.filter((a) => a.start - start < r && a.end - start > l) });
    }
    return out;
  }

  async function openArticle(docId, focusKey) {
    const view = $("article-view");
    const doc = await api("documents/" + encodeURIComponent(docId), { annotations: "true" });
    const art = doc.article || {};
    const anns = Object.entries(doc.annotations || {}).map(([key, a]) => ({ key, ...a }));
    view.replaceChildren();
    const kicker = el("div", { class: "kicker" });
    if (art.outlet) kicker.appendChild(el("span", { class: "outlet" }, art.outlet));
    if (art.published || art.page_date) kicker.appendChild(el("span", {}, art.published || art.page_date));
    view.appendChild(kicker);
    view.appendChild(el("h3", { class: "headline" }, art.title || "(untitled)"));
    if ((art.authors || []).length) view.appendChild(el("p", { class: "byline" }, "By " + art.authors.join(", ")));
    const body = el("div", { class: "body", id: "article-body" });
    let offset = 0;
    for (const para of art.body || []) {
      const p = el("p");
      const mine = anns.filter((a) => a.start < offset + para.length && a.end > offset);
      for (const seg of segments(para, offset, mine)) {
        if (!seg.anns.length) { p.appendChild(document.createTextNode(seg.text)); continue; }
        const span = el("span", { class: "hl " + Array.from(new Set(seg.anns.map((a) => "hl-" + a.kind))).join(" "),
                                   "data-keys": seg.anns.map((a) => a.key).join(" ") }, seg.text);
        withTip(span, seg.anns.map((a) => a.title).join("\n"));
        span.addEventListener("click", () => markEvidence(seg.anns.find((a) => a.kind === "event")?.key || seg.anns[0].key));
        p.appendChild(span);
      }
      body.appendChild(p);
      offset += para.length + 2;
    }
    view.appendChild(body);
    const link = $("article-link");
    link.replaceChildren(el("a", { href: "/read/" + encodeURIComponent(doc.id) }, "open in the reader"));
    if (focusKey) markEvidence(focusKey, true);
  }

  function markEvidence(key, scroll) {
    const view = $("article-view");
    view.querySelectorAll(".hl.evidence").forEach((s) => s.classList.remove("evidence"));
    const spans = Array.from(view.querySelectorAll(".hl[data-keys]")).filter((s) => s.dataset.keys.split(" ").includes(key));
    spans.forEach((s) => s.classList.add("evidence"));
    if (scroll && spans.length) {
      const box = view.getBoundingClientRect(), target = spans[0].getBoundingClientRect();
      view.scrollTop += target.top - box.top - box.height / 3;
    }
  }

  // -- timeline ------------------------------------------------------------------------
  async function loadTimeline() {
    let data = await api("events/timeline", { ...state.filters, granularity: "day" });
    // Without a date filter, a few stray dates (a background event years back) would stretch
    // the axis until the data is one spike: show the central 96% of events and say so.
    const chosen = state.filters.date_from || state.filters.date_to;
    let kept = chosen ? { items: data.items, hidden: 0 } : trimOutliers(data.items);
    if (continuous(Array.from(new Set(kept.items.map((d) => d.period))).sort(), "day").length > 62) {
      data = await api("events/timeline", { ...state.filters, granularity: "month" });
      kept = chosen ? { items: data.items, hidden: 0 } : trimOutliers(data.items);
    }
    drawTimeline(kept.items, data.granularity);
    if (kept.hidden) $("timeline-note").textContent += " · " + kept.hidden + " outlying event" + (kept.hidden === 1 ? "" : "s") + " not shown (set From/To to see them)";
  }

  // The core is the 5th..95th percentile of events; periods further from it than the
  // core's own width (at least a month) are outliers.
  function trimOutliers(items) {
    const byPeriod = new Map();
    for (const d of items) byPeriod.set(d.period, (byPeriod.get(d.period) || 0) + d.count);
    const periods = Array.from(byPeriod.keys()).sort();
    const total = periods.reduce((sum, p) => sum + byPeriod.get(p), 0);
    if (total < 10) return { items, hidden: 0 };
    const ordinal = (p) => p.length === 7 ? Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) : Date.parse(p) / 86400000;
    let cumulative = 0, lo = null, hi = periods[periods.length - 1];
    for (const p of periods) {
      cumulative += byPeriod.get(p);
      if (lo === null && cumulative > total * 0.05) lo = p;
      if (cumulative >= total * 0.95) { hi = p; break; }
    }
    const width = Math.max(ordinal(hi) - ordinal(lo), periods[0].length === 7 ? 1 : 31);
    const first = ordinal(lo) - width, last = ordinal(hi) + width;
    const kept = items.filter((d) => ordinal(d.period) >= first && ordinal(d.period) <= last);
    return { items: kept, hidden: total - kept.reduce((sum, d) => sum + d.count, 0) };
  }

  function drawTimeline(items, granularity) {
    const chart = $("timeline");
    chart.replaceChildren();
    const periods = continuous(Array.from(new Set(items.map((d) => d.period))).sort(), granularity);
    const types = TYPES.filter((t) => items.some((d) => d.type === t)).concat(Array.from(new Set(items.map((d) => d.type))).filter((t) => !TYPES.includes(t)));
    $("timeline-note").textContent = periods.length ? "per " + granularity + ", " + periods[0] + " to " + periods[periods.length - 1] : "no dated events";
    legend($("timeline-legend"), types);
    if (!periods.length) return;
    const W = chart.clientWidth || 600, H = chart.clientHeight || 300, m = { l: 34, r: 8, t: 10, b: 38 };
    chart.setAttribute("viewBox", "0 0 " + W + " " + H);
    const totals = periods.map((p) => items.filter((d) => d.period === p).reduce((s, d) => s + d.count, 0));
    const max = Math.max(1, ...totals);
    const bw = (W - m.l - m.r) / periods.length;
    const y = (v) => H - m.b - (v / max) * (H - m.t - m.b);
    const axis = svg("g", { class: "axis" });
    axis.appendChild(svg("line", { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b }));
    for (const v of [0, Math.round(max / 2), max]) {
      axis.appendChild(svg("text", { x: m.l - 6, y: y(v) + 4, "text-anchor": "end" }, v));
      axis.appendChild(svg("line", { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), "stroke-dasharray": "2 3", opacity: 0.5 }));
    }
    chart.appendChild(axis);
    const every = Math.ceil(periods.length / Math.max(1, Math.floor((W - m.l) / 70)));
    periods.forEach((period, i) => {
      let base = 0;
      const x = m.l + i * bw + Math.min(2, bw * 0.1);
      for (const type of types) {
        const d = items.find((it) => it.period === period && it.type === type);
        if (!d) continue;
        const width = Math.min(28, Math.max(1, bw - Math.min(4, bw * 0.2)));
        const rect = svg("rect", { class: "bar", x: x + (bw - width) / 2 - Math.min(2, bw * 0.1), width: width, y: y(base + d.count), height: y(base) - y(base + d.count), fill: colour(type), "data-type": type });
        withTip(rect, period + " · " + type + ": " + d.count);
        chart.appendChild(rect);
        base += d.count;
      }
      if (i % every === 0) chart.appendChild(svg("text", { x: m.l + i * bw + bw / 2, y: H - m.b + 14, "text-anchor": "middle" }, period));
    });
  }

  // Every period between the first and the last, so quiet days show as gaps on a true time axis.
  function continuous(periods, granularity) {
    if (periods.length < 2 || granularity === "year") return periods;
    const out = [];
    if (granularity === "day") {
      const end = new Date(periods[periods.length - 1] + "T00:00:00Z");
      for (let d = new Date(periods[0] + "T00:00:00Z"); d <= end && out.length < 400; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
    } else {
      let [y, m] = periods[0].split("-").map(Number);
      const last = periods[periods.length - 1];
      while (out.length < 400) {
        const p = y + "-" + String(m).padStart(2, "0");
        out.push(p);
        if (p >= last) break;
        m += 1; if (m > 12) { m = 1; y += 1; }
      }
    }
    return out;
  }

  function legend(node, types) {
    node.replaceChildren();
    for (const t of types) { const s = el("span", {}, t); s.style.setProperty("--swatch", colour(t)); node.appendChild(s); }
  }

  // -- network -------------------------------------------------------------------------
  async function loadNetwork() {
    const data = await api("events/network", { ...state.filters, max_edges: 200 });
    drawNetwork(data);
  }

  // Fruchterman-Reingold (one spring per linked pair, a weak pull to the centre, a cooling
  // bound on each move), then the drawing is scaled to fit the box, leaving room for labels.
  function layout(nodes, edges, W, H) {
    const n = nodes.length;
    nodes.forEach((node, i) => { node.x = Math.cos((2 * Math.PI * i) / n); node.y = Math.sin((2 * Math.PI * i) / n); });
    const index = new Map(nodes.map((d) => [d.id, d]));
    const pairs = new Map();
    for (const e of edges) {
      const a = index.get(e.source), b = index.get(e.target);
      if (a && b && a !== b) pairs.set([a.id, b.id].sort().join("\u0000"), [a, b]);
    }
    const k = 1 / Math.sqrt(Math.max(1, n)), steps = 300;
    for (let step = 0; step < steps; step++) {
      const heat = 0.1 * (1 - step / steps) + 0.002;
      for (const a of nodes) { a.dx = -a.x * 0.3 * k; a.dy = -a.y * 0.3 * k; }
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
        const a = nodes[i], b = nodes[j];
        const dx = a.x - b.x, dy = a.y - b.y, d = Math.max(1e-3, Math.sqrt(dx * dx + dy * dy));
        if (d > 2.5 * k) continue;  // near pairs only: separate clusters are not flung apart
        const f = (k * k) / d;
        a.dx += (dx / d) * f; a.dy += (dy / d) * f; b.dx -= (dx / d) * f; b.dy -= (dy / d) * f;
      }
      for (const [a, b] of pairs.values()) {
        const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(1e-3, Math.sqrt(dx * dx + dy * dy)), f = (d * d) / k;
        a.dx += (dx / d) * f; a.dy += (dy / d) * f; b.dx -= (dx / d) * f; b.dy -= (dy / d) * f;
      }
      for (const a of nodes) {
        const len = Math.max(1e-6, Math.sqrt(a.dx * a.dx + a.dy * a.dy)), move = Math.min(len, heat);
        a.x += (a.dx / len) * move; a.y += (a.dy / len) * move;
      }
    }
    const xs = nodes.map((d) => d.x), ys = nodes.map((d) => d.y);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const left = 24, right = W - 120, top = 18, bottom = H - 18;
    for (const d of nodes) {
      d.x = x1 > x0 ? left + ((d.x - x0) / (x1 - x0)) * (right - left) : W / 2;
      d.y = y1 > y0 ? top + ((d.y - y0) / (y1 - y0)) * (bottom - top) : H / 2;
    }
  }

  function drawNetwork(data) {
    const chart = $("network");
    chart.replaceChildren();
    const nodes = data.nodes.slice(0, 40);
    const keep = new Set(nodes.map((d) => d.id));
    const edges = data.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
    $("network-note").textContent = nodes.length + " heaviest actors, " + edges.length + " links · wheel to zoom, drag to pan";
    const types = TYPES.filter((t) => edges.some((e) => e.type === t));
    legend($("network-legend"), types);
    if (!nodes.length) return;
    const W = chart.clientWidth || 600, H = chart.clientHeight || 300;
    chart.setAttribute("viewBox", "0 0 " + W + " " + H);
    layout(nodes, edges, W, H);
    const defs = svg("defs");
    for (const t of types) {
      const marker = svg("marker", { id: "arrow-" + t, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" });
      marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: colour(t) }));
      defs.appendChild(marker);
    }
    chart.appendChild(defs);
    const index = new Map(nodes.map((d) => [d.id, d]));
    const maxCount = Math.max(1, ...edges.map((e) => e.count));
    const seenPairs = new Map();
    for (const e of edges) {
      const a = index.get(e.source), b = index.get(e.target);
      if (!a || !b || a === b) continue;
      const pair = [e.source, e.target].sort().join("\u0000");
      const k = (seenPairs.get(pair) || 0) + 1; seenPairs.set(pair, k);
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      const bend = 18 * k * (e.source < e.target ? 1 : -1);
      const mx = (a.x + b.x) / 2 - (dy / d) * bend, my = (a.y + b.y) / 2 + (dx / d) * bend;
      const r = 6 + Math.sqrt(b.degree);
      const ex = b.x - (dx / d) * r, ey = b.y - (dy / d) * r;
      const path = svg("path", { class: "edge", d: "M" + a.x + "," + a.y + " Q" + mx + "," + my + " " + ex + "," + ey, fill: "none",
                                 stroke: colour(e.type), "stroke-width": 1 + 3 * (e.count / maxCount), "stroke-opacity": 0.8,
                                 "marker-end": "url(#arrow-" + e.type + ")", "data-type": e.type });
      withTip(path, a.label + " → " + b.label + " · " + e.type + " × " + e.count);
      chart.appendChild(path);
    }
    const placed = [];
    for (const node of nodes) {  // heaviest first: they get their labels where they want them
      const g = svg("g", { class: "node" });
      const r = 5 + Math.sqrt(node.degree);
      g.appendChild(svg("circle", { cx: node.x, cy: node.y, r: r, fill: "#1d3557", stroke: "#fff", "stroke-width": 1.5 }));
      const spot = labelSpot(node, r, node.label, placed, W, H);
      if (spot) g.appendChild(svg("text", { x: spot.x, y: spot.y, "text-anchor": spot.anchor }, node.label));
      withTip(g, node.label + (node.country ? " · " + node.country : "") + " · " + node.degree + " events");
      g.addEventListener("click", () => filterOnNode(node));
      chart.appendChild(g);
    }
    enableZoom(chart, W, H);
  }

  // A label goes right, left, above or below its node, wherever it collides with no label
  // placed before; a node with no free spot keeps its name in the tooltip only.
  function labelSpot(node, r, text, placed, W, H) {
    const w = 6.2 * text.length, h = 12;
    const spots = [
      { x: node.x + r + 3, y: node.y + 4, anchor: "start", box: [node.x + r + 3, node.y - 8, w, h] },
      { x: node.x - r - 3, y: node.y + 4, anchor: "end", box: [node.x - r - 3 - w, node.y - 8, w, h] },
      { x: node.x, y: node.y - r - 4, anchor: "middle", box: [node.x - w / 2, node.y - r - 15, w, h] },
      { x: node.x, y: node.y + r + 12, anchor: "middle", box: [node.x - w / 2, node.y + r + 2, w, h] }];
    const free = (b) => b[0] >= 0 && b[0] + b[2] <= W && b[1] >= 0 && b[1] + b[3] <= H &&
      !placed.some((p) => b[0] < p[0] + p[2] && p[0] < b[0] + b[2] && b[1] < p[1] + p[3] && p[1] < b[1] + b[3]);
    const spot = spots.find((s) => free(s.box));
    if (spot) placed.push(spot.box);
    return spot;
  }

  function filterOnNode(node) {
    if (node.kind === "person" || !node.country) { $("f-actor").value = node.label; $("f-country").value = ""; }
    else { $("f-country").value = node.country; $("f-actor").value = ""; }
    applyFilters();
  }

  // Wheel zooms about the pointer, dragging pans; a double click shows the whole network again.
  function enableZoom(chart, W, H) {
    let view = [0, 0, W, H], drag = null;
    const set = () => chart.setAttribute("viewBox", view.map((v) => v.toFixed(1)).join(" "));
    chart.onwheel = (ev) => {
      ev.preventDefault();
      const box = chart.getBoundingClientRect(), f = ev.deltaY < 0 ? 0.8 : 1.25;
      const px = view[0] + ((ev.clientX - box.left) / box.width) * view[2];
      const py = view[1] + ((ev.clientY - box.top) / box.height) * view[3];
      const w = Math.min(W, Math.max(W / 8, view[2] * f)), h = w * H / W;
      view = [px - (px - view[0]) * (w / view[2]), py - (py - view[1]) * (h / view[3]), w, h];
      set();
    };
    chart.onmousedown = (ev) => { drag = [ev.clientX, ev.clientY, view[0], view[1]]; };
    chart.onmousemove = (ev) => {
      if (!drag) return;
      const box = chart.getBoundingClientRect();
      view[0] = drag[2] - ((ev.clientX - drag[0]) / box.width) * view[2];
      view[1] = drag[3] - ((ev.clientY - drag[1]) / box.height) * view[3];
      set();
    };
    chart.onmouseup = chart.onmouseleave = () => { drag = null; };
    chart.ondblclick = () => { view = [0, 0, W, H]; set(); };
  }

  // -- negotiations and stories --------------------------------------------------------
  async function loadNegotiations() {
    const params = {};
    if (state.filters.dyad) params.dyad = state.filters.dyad;
    const data = await api("negotiations", { ...params, limit: 20 });
    const box = $("negotiations");
    box.replaceChildren();
    $("negotiations-note").textContent = data.total + " dyad–issue track" + (data.total === 1 ? "" : "s");
    if (!data.items.length) { box.appendChild(el("p", { class: "empty" }, "No negotiation moves coded yet.")); return; }
    for (const track of data.items) {
      const div = el("div", { class: "negotiation" });
      const head = el("h3", {}, track.dyad.replace(/-/g, " – ") + " · " + (track.title || track.issue));
      if (track.agreement) head.appendChild(el("span", { class: "agreed" }, " agreed"));
      div.appendChild(head);
      const pos = el("div", { class: "positions" });
      for (const p of track.positions || []) {
        const line = el("div");
        line.appendChild(el("strong", {}, p.party + (p.role && p.role !== "party" ? " (" + p.role + ")" : "") + ": "));
        line.appendChild(stanceChip(p.stance));
        line.appendChild(el("span", { class: "meta" }, " since " + (p.since || "?") + " "));
        line.appendChild(el("span", { class: "evidence" }, p.evidence ? "— " + p.evidence : ""));
        const other = track.dyad.split("-").find((code) => code !== p.party);
        if (p.position_id != null && other && p.role === "party") {
          // The analyst's correction: this stance is the other party's (kept apart, undoable).
          const move = el("button", { type: "button", class: "link move-position", title: "This stance is held by " + other }, " belongs to " + other);
          move.addEventListener("click", () => fetch("/api/corrections", {
            method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify({ kind: "move-position", position: p.position_id, to: other }),
          }).then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return loadNegotiations(); }).catch(report));
          line.appendChild(move);
        }
        pos.appendChild(line);
      }
      div.appendChild(pos);
      const moves = el("div", { class: "moves" });
      moves.appendChild(el("span", { class: "meta" }, "moves:"));
      for (const m of track.moves || []) {
        const c = stanceChip(m.stance, m.party);
        withTip(c, (m.date || "undated") + " · " + m.party + " " + m.stance + ": " + (m.evidence || ""));
        moves.appendChild(c);
      }
      div.appendChild(moves);
      box.appendChild(div);
    }
  }

  function stanceChip(stance, party) {
    const node = el("span", { class: "type-chip type-" + stance + " stance-" + stance }, (party ? party + " " : "") + stance);
    return node;
  }

  async function loadStories() {
    const data = await api("stories", { limit: 15 });
    const box = $("stories");
    box.replaceChildren();
    $("stories-note").textContent = data.total + " stor" + (data.total === 1 ? "y" : "ies");
    if (!data.items.length) { box.appendChild(el("p", { class: "empty" }, "No story clusters yet.")); return; }
    const ul = el("ul", { class: "story-list" });
    for (const s of data.items) {
      const li = el("li");
      const a = el("a", { href: "#", class: "headline-link" }, s.title || s.story_id);
      a.addEventListener("click", (e) => { e.preventDefault(); state.filters.story = s.story_id; state.offset = 0; refresh(); });
      li.appendChild(a);
      li.appendChild(el("div", { class: "meta" }, (s.documents || 0) + " articles · " + (s.first_date || "") + (s.last_date && s.last_date !== s.first_date ? " – " + s.last_date : "") + " · id " + s.story_id));
      ul.appendChild(li);
    }
    box.appendChild(ul);
  }

  // -- wiring ----------------------------------------------------------------------------
  function readFilters() {
    const form = $("filters");
    const filters = {};
    for (const [k, v] of new FormData(form).entries()) if (String(v).trim()) filters[k] = String(v).trim();
    return filters;
  }
  function applyFilters() { state.filters = readFilters(); state.offset = 0; refresh(); }
  function report(err) { console.error(err); }
  function refresh() {
    loadEvents().catch(report);
    loadTimeline().catch(report);
    loadNetwork().catch(report);
    loadNegotiations().catch(report);
  }
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
  $("f-reset").addEventListener("click", () => setTimeout(applyFilters, 0));
  $("prev-page").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadEvents().catch(report); });
  $("next-page").addEventListener("click", () => { state.offset += PAGE; loadEvents().catch(report); });
  const initial = new URLSearchParams(location.search);
  for (const [k, v] of initial.entries()) { const input = $("filters").elements.namedItem(k); if (input) input.value = v; }
  state.filters = readFilters();
  refresh();
  loadStories().catch(report);
  if (initial.get("doc")) openArticle(initial.get("doc"), initial.get("event") ? "e" + initial.get("event") : null).catch(report);
})();
