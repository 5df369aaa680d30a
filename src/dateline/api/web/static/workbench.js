// The analyst's workbench on the analyst page: a map of events by place (offline: world
// geometry from Natural Earth via world-atlas, drawn as SVG here), the quad-class series
// with article volume, review of the selected event, and downloads of the current filter.
// Reads the same filter form as analyst.js; all data goes in through textContent.
(function () {
  "use strict";
  const { SVG, el, svg, TYPES } = window.DatelineDom;
  const QUADS = { verbal_cooperation: "#1565c0", material_cooperation: "#2e7d32",
                  verbal_conflict: "#ef6c00", material_conflict: "#b71c1c", other: "#607d8b" };
  const $ = (id) => document.getElementById(id);
  const state = { event: null, world: null };

  function filters() {
    const out = {};
    for (const [k, v] of new FormData($("filters")).entries()) if (String(v).trim()) out[k] = String(v).trim();
    return out;
  }
  function qs(params) {
    const usp = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") usp.append(k, v);
    return usp.toString();
  }
  async function api(path, params, options) {
    const url = "/api/" + path + (params ? "?" + qs(params) : "");
    const response = await fetch(url, { headers: { Accept: "application/json", "Content-Type": "application/json" }, ...(options || {}) });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.detail ? String(typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail)) : path + ": " + response.status);
    return body;
  }
  const legend = (box, entries) => {
    box.replaceChildren();
    for (const [label, colour] of entries) {
      const item = el("span", {}, label.replace("_", " "));
      item.style.setProperty("--swatch", colour);
      box.appendChild(item);
    }
  };

  // -- map ---------------------------------------------------------------------------------
  // Equirectangular projection onto the 960x480 viewBox.
  const project = (lon, lat) => [(lon + 180) * 960 / 360, (90 - lat) * 480 / 180];

  // TopoJSON arcs are quantised and delta-encoded; decode each once.
  function decodeArcs(topology) {
    const [sx, sy] = topology.transform.scale, [tx, ty] = topology.transform.translate;
    return topology.arcs.map((arc) => {
      let x = 0, y = 0;
      return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
    });
  }
  function ringPath(arcs, ring) {
    const points = [];
    for (const index of ring) {
      const arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
      points.push(...(points.length ? arc.slice(1) : arc));
    }
    // A ring crossing the antimeridian (Fiji, Chukotka) would draw a line across the world: lift the pen.
    let d = "", previous = null;
    for (const [lon, lat] of points) {
      d += (previous === null || Math.abs(lon - previous) > 180 ? "M" : "L") + project(lon, lat).map((v) => v.toFixed(1)).join(",");
      previous = lon;
    }
    return d + "Z";
  }
  async function loadWorld() {
    if (state.world) return state.world;
    const topology = await (await fetch("/static/vendor/world-atlas/countries-110m.json")).json();
    const arcs = decodeArcs(topology);
    state.world = topology.objects.countries.geometries.map((g) => {
      const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
      return { name: (g.properties || {}).name || "", d: polygons.map((p) => p.map((r) => ringPath(arcs, r)).join("")).join("") };
    });
    return state.world;
  }

  async function loadMap() {
    const f = filters();
    const [world, data] = await Promise.all([loadWorld(), api("map", { date_from: f.date_from, date_to: f.date_to, country: f.country, type: f.type })]);
    const box = $("map");
    box.replaceChildren();
    box.appendChild(svg("rect", { x: 0, y: 0, width: 960, height: 480, class: "sea" }));
    for (const country of world) box.appendChild(svg("path", { d: country.d, class: "land" })).appendChild(svg("title", {}, country.name));
    const biggest = Math.max(1, ...data.places.map((p) => p.events));
    const zoom = zoomToPlaces(box, data.places);
    for (const place of data.places.slice().reverse()) {
      const [x, y] = project(place.lon, place.lat);
      const dot = svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: ((3 + 9 * Math.sqrt(place.events / biggest)) * zoom).toFixed(2),
                                  fill: QUADS[place.quad] || QUADS.other, class: "place", tabindex: 0, "data-place": place.name });
      dot.appendChild(svg("title", {}, place.name + ": " + place.events + " events, " + place.mentions + " mentions"));
      dot.addEventListener("click", () => listPlace(place.name));
      dot.addEventListener("keydown", (e) => { if (e.key === "Enter") listPlace(place.name); });
      box.appendChild(dot);
    }
    $("map-note").textContent = data.places.length + " places";
    legend($("map-legend"), Object.entries(QUADS).filter(([k]) => k !== "other"));
  }
  // Frame the places (with a margin) so a regional story is not a few dots on a world.
  function zoomToPlaces(box, places) {
    if (!places.length) { box.setAttribute("viewBox", "0 0 960 480"); return 1; }
    const xy = places.map((p) => project(p.lon, p.lat));
    let [x0, x1] = [Math.min(...xy.map((p) => p[0])), Math.max(...xy.map((p) => p[0]))];
    let [y0, y1] = [Math.min(...xy.map((p) => p[1])), Math.max(...xy.map((p) => p[1]))];
    const w = Math.max(240, (x1 - x0) * 1.8), h = Math.max(120, w / 2, (y1 - y0) * 1.8);
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, width = Math.min(960, Math.max(w, h * 2));
    const height = width / 2;
    const left = Math.max(0, Math.min(960 - width, cx - width / 2)), top = Math.max(0, Math.min(480 - height, cy - height / 2));
    box.setAttribute("viewBox", [left, top, width, height].map((v) => v.toFixed(1)).join(" "));
    return width / 960;  // dots keep their on-screen size whatever the zoom
  }
  async function listPlace(name) {
    const f = filters();
    const data = await api("map", { date_from: f.date_from, date_to: f.date_to, country: f.country, type: f.type, place: name });
    const box = $("map-events");
    box.replaceChildren(el("h3", {}, name + " (" + data.events.length + ")"));
    const list = el("ul", { class: "place-events" });
    for (const ev of data.events) {
      list.appendChild(el("li", {}, (ev.date || ev.date_lo || "") + " · " + ev.type + " · " + [ev.source_country, ev.target_country].filter(Boolean).join(" → ")
        + " · " + ev.mentions + " mention" + (ev.mentions === 1 ? "" : "s") + (ev.review_status ? " · " + ev.review_status : "")));
    }
    box.appendChild(list);
  }

  // -- aggregates chart ------------------------------------------------------------------
  // The series is per dyad: the filter form's dyad, else the one picked among the busiest.
  async function loadDyads() {
    const f = filters();
    const data = await api("aggregates", { by: "dyad", per: "month", top: 12, date_from: f.date_from, date_to: f.date_to, country: f.country });
    const totals = {};
    for (const row of data.items) totals[row.key] = (totals[row.key] || 0) + row.events;
    const select = $("aggregates-dyad"), chosen = select.value;
    const keys = Object.keys(totals).sort((a, b) => totals[b] - totals[a] || a.localeCompare(b));
    select.replaceChildren(el("option", { value: "" }, "all dyads"),
      ...keys.map((k) => el("option", { value: k }, k.replace("-", " – ") + " (" + totals[k] + ")")));
    if (keys.includes(chosen)) select.value = chosen;
  }

  async function loadAggregates() {
    const f = filters();
    const dyad = f.dyad || $("aggregates-dyad").value;
    const params = { by: "quad", per: "month", date_from: f.date_from, date_to: f.date_to, country: f.country, type: f.type, dyad: dyad };
    const data = await api("aggregates", params);
    const periods = [...new Set(data.items.map((r) => r.period))].sort().slice(-24);
    const box = $("aggregates");
    box.replaceChildren();
    const W = 640, H = 260, left = 40, right = 40, top = 14, bottom = 36;
    const byPeriod = Object.fromEntries(periods.map((p) => [p, { total: 0, quads: {}, articles: 0, score: 0, n: 0 }]));
    for (const row of data.items) {
      const slot = byPeriod[row.period]; if (!slot) continue;
      slot.quads[row.key] = row.events; slot.total += row.events; slot.articles = row.articles_period;
      if (row.score !== null) { slot.score += row.score * row.events; slot.n += row.events; }
    }
    const maxCount = Math.max(1, ...periods.map((p) => byPeriod[p].total));
    const maxArticles = Math.max(1, ...periods.map((p) => byPeriod[p].articles));
    const slotW = (W - left - right) / Math.max(1, periods.length);
    const y = (v) => top + (H - top - bottom) * (1 - v / maxCount);
    box.appendChild(svg("line", { x1: left, x2: W - right, y1: y(0), y2: y(0), class: "axis" }));
    box.appendChild(svg("text", { x: left - 6, y: y(maxCount) + 4, class: "tick", "text-anchor": "end" }, maxCount));
    box.appendChild(svg("text", { x: W - right + 6, y: top + 4, class: "tick" }, maxArticles + " art."));
    const volume = [];
    periods.forEach((period, i) => {
      const slot = byPeriod[period];
      let base = 0;
      const w = Math.min(slotW * 0.7, 36), x = left + i * slotW + (slotW - w) / 2;
      for (const quad of Object.keys(QUADS)) {
        const count = slot.quads[quad] || 0; if (!count) continue;
        const rect = svg("rect", { x: x.toFixed(1), y: y(base + count).toFixed(1), width: w.toFixed(1), height: (y(base) - y(base + count)).toFixed(1), fill: QUADS[quad], class: "bar" });
        rect.appendChild(svg("title", {}, period + " · " + quad.replace("_", " ") + ": " + count + " events"));
        box.appendChild(rect);
        base += count;
      }
      volume.push([x + w / 2, top + (H - top - bottom) * (1 - slot.articles / maxArticles)]);
      if (slot.n) box.appendChild(svg("text", { x: (x + w / 2).toFixed(1), y: (y(base) - 4).toFixed(1), class: "score", "text-anchor": "middle" }, (slot.score / slot.n).toFixed(1)));
      if (periods.length <= 12 || i % Math.ceil(periods.length / 12) === 0) box.appendChild(svg("text", { x: (x + w / 2).toFixed(1), y: H - bottom + 16, class: "tick", "text-anchor": "middle" }, period));
    });
    if (volume.length) box.appendChild(svg("polyline", { points: volume.map((p) => p.map((v) => v.toFixed(1)).join(",")).join(" "), class: "volume" }));
    $("aggregates-note").textContent = (dyad ? dyad.replace("-", " – ") + ": " : "all dyads: ") + (periods.length ? "merged events per month; number on a bar = cooperation–conflict score; line = articles" : "no dated events");
    legend($("aggregates-legend"), [...Object.entries(QUADS).filter(([k]) => k !== "other"), ["articles (volume)", "#555"]]);
  }

  function updateDownloads() {
    const f = filters();
    $("download-csv").href = "/api/events/download?" + qs({ ...f, format: "csv" });
    $("download-json").href = "/api/events/download?" + qs({ ...f, format: "json" });
  }

  // -- review ----------------------------------------------------------------------------
  function selectForReview(eventId, label, type, date) {
    state.event = eventId;
    $("review-panel").hidden = false;
    $("review-event").textContent = eventId + " · " + label;
    $("review-type").value = type || "";
    $("review-date").value = date || "";
    showReview().catch(reportReview);
  }
  async function showReview() {
    const data = await api("events/" + encodeURIComponent(state.event) + "/review");
    const r = data.review;
    $("review-status").textContent = r ? r.status + " by " + r.reviewer + " at " + r.at + (Object.keys(r.changes || {}).length ? " · " + JSON.stringify(r.changes) : "") : "not reviewed yet";
    $("review-note").textContent = state.event;
  }
  async function send(method, body) {
    await api("events/" + encodeURIComponent(state.event) + "/review", null, { method, body: body ? JSON.stringify(body) : undefined });
    await showReview();
    refreshAll();
  }
  function reportReview(err) { $("review-status").textContent = "error: " + err.message; }
  $("review-confirm").addEventListener("click", () => send("POST", { action: "confirm" }).catch(reportReview));
  $("review-reject").addEventListener("click", () => send("POST", { action: "reject" }).catch(reportReview));
  $("review-undo").addEventListener("click", () => send("DELETE").catch(reportReview));
  $("review-edit").addEventListener("click", () => {
    const changes = { type: $("review-type").value };
    if ($("review-date").value.trim()) changes.date = $("review-date").value.trim();
    send("POST", { action: "edit", changes }).catch(reportReview);
  });
  const typeSelect = $("review-type");
  typeSelect.replaceChildren(...TYPES.map((t) => el("option", { value: t }, t)));

  async function loadQueue() {
    const data = await api("reviews/queue", { limit: 8 });
    const box = $("review-queue");
    box.replaceChildren(el("h3", {}, "To review (least confident first)"));
    const list = el("ol", { class: "review-queue" });
    for (const ev of data.items) {
      const item = el("li");
      const button = el("button", { type: "button", class: "link", "data-event": ev.event_id },
        (ev.confidence == null ? "" : Number(ev.confidence).toFixed(2) + " · ") + ev.type + " · " + (ev.evidence || "").slice(0, 110));
      button.addEventListener("click", () => selectForReview(ev.event_id, ev.type + " · " + (ev.title || ""), ev.type, ev.date));
      item.appendChild(button);
      list.appendChild(item);
    }
    if (!data.items.length) list.appendChild(el("li", { class: "empty" }, "Every event has been reviewed."));
    box.appendChild(list);
  }
  // Rows of the events table (analyst.js) carry their document and index.
  $("events-table").addEventListener("click", (e) => {
    const row = e.target.closest("tr[data-doc]");
    if (!row) return;
    const cells = row.querySelectorAll("td");
    selectForReview(row.dataset.doc + "-" + row.dataset.idx, cells[2] ? cells[2].textContent : "", row.dataset.type, cells[0] ? cells[0].textContent : "");
  });

  // -- corrections of merging and stories (kept apart, undoable) ---------------------------
  async function correct(body) {
    const status = $("correct-status");
    try {
      const done = await api("corrections", null, { method: "POST", body: JSON.stringify(body) });
      status.textContent = "stored correction " + done.id + " (" + done.kind + ")";
      loadCorrections().catch(report);
    } catch (err) { status.textContent = "error: " + err.message; }
  }
  $("correct-split-event").addEventListener("click", () => state.event && correct({ kind: "split-event", event: state.event }));
  $("correct-merge-event").addEventListener("click", () => {
    const other = $("correct-other-event").value.trim();
    if (state.event && other) correct({ kind: "merge-events", event: state.event, other_event: other });
  });
  $("correct-split-story").addEventListener("click", () => {
    if (state.event) correct({ kind: "split-story", doc_id: state.event.replace(/-\d+$/, "") });
  });

  $("correct-merge-story").addEventListener("click", () => {
    const story = $("correct-story").value.trim();
    if (state.event && story) correct({ kind: "merge-stories", story: story, doc_id: state.event.replace(/-\d+$/, "") });
  });

  async function loadCorrections() {
    const data = await api("corrections");
    const list = $("corrections-list");
    list.replaceChildren();
    for (const c of data.items.slice(-8).reverse()) {
      const item = el("li", {}, c.kind + " · " + (c.detail.mentions || c.detail.docs).map((m) => [].concat(m).join("-")).join(", ") + " · " + (c.author || "") + " ");
      const undo = el("button", { type: "button", class: "link" }, "undo");
      undo.addEventListener("click", () => api("corrections/" + c.id, null, { method: "DELETE" })
        .then(() => { $("correct-status").textContent = "undid correction " + c.id; loadCorrections().catch(report); })
        .catch((err) => { $("correct-status").textContent = "error: " + err.message; }));
      item.appendChild(undo);
      list.appendChild(item);
    }
    if (!data.items.length) list.appendChild(el("li", { class: "empty" }, "No corrections yet."));
  }

  function report(err) { console.error(err); }
  function refreshAll() {
    loadMap().catch(report);
    loadDyads().then(loadAggregates).catch(report);
    loadCorrections().catch(report);
    loadQueue().catch(report);
    updateDownloads();
  }
  $("aggregates-dyad").addEventListener("change", () => loadAggregates().catch(report));
  $("filters").addEventListener("submit", () => setTimeout(refreshAll, 0));
  $("f-reset").addEventListener("click", () => setTimeout(refreshAll, 0));
  refreshAll();
})();
