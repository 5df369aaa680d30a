// Reader enhancements: click (or Enter on) a highlighted span or a coding row to see
// Dateline's coding. Article text is only ever set through textContent.
(function () {
  "use strict";
  const dataNode = document.getElementById("coding-data");
  const panel = document.getElementById("coding-panel");
  if (!dataNode || !panel) return;
  let coding = {};
  try { coding = JSON.parse(dataNode.textContent || "{}"); } catch (e) { coding = {}; }

  const FIELDS = {
    event: [["type", "Type"], ["source", "Source"], ["target", "Target"], ["date", "Date"], ["date_text", "Date as written"],
            ["place", "Place"], ["factuality", "Factuality"], ["confidence", "Confidence"], ["trigger", "Trigger"], ["issues", "Issues"]],
    quote: [["quote_kind", "Kind"], ["speaker", "Speaker"], ["cue", "Cue"]],
    actor: [["name", "Actor"], ["code", "Code"], ["actor_kind", "Kind"], ["role", "Role"]],
  };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function describe(key) {
    const c = coding[key];
    if (!c) return null;
    const box = el("div", "coding-item coding-" + c.kind);
    box.appendChild(el("div", "coding-kind", c.kind));
    const dl = el("dl");
    for (const [field, label] of FIELDS[c.kind] || []) {
      let value = c[field];
      if (Array.isArray(value)) value = value.join(", ");
      if (value === null || value === undefined || value === "") continue;
      dl.appendChild(el("dt", null, label));
      dl.appendChild(el("dd", field === "type" ? "type-chip type-" + value : null, value));
    }
    box.appendChild(dl);
    return box;
  }

  function clearActive() {
    document.querySelectorAll(".hl.active, .event-row.active").forEach((n) => n.classList.remove("active"));
  }

  function show(keys, anchor) {
    panel.replaceChildren();
    const close = el("button", "coding-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", hide);
    panel.appendChild(close);
    keys.forEach((k) => { const d = describe(k); if (d) panel.appendChild(d); });
    panel.hidden = false;
    const rect = anchor.getBoundingClientRect();
    const top = window.scrollY + rect.bottom + 8;
    const left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - panel.offsetWidth - 8));
    panel.style.top = top + "px";
    panel.style.left = left + "px";
  }

  function hide() { panel.hidden = true; clearActive(); }

  function highlightKey(key) {
    clearActive();
    const spans = Array.from(document.querySelectorAll(".hl[data-keys]")).filter((s) => s.dataset.keys.split(" ").includes(key));
    spans.forEach((s) => s.classList.add("active"));
    document.querySelectorAll('.event-row[data-key="' + CSS.escape(key) + '"]').forEach((r) => r.classList.add("active"));
    return spans;
  }

  function onSpan(span) {
    const keys = span.dataset.keys.split(" ");
    const events = keys.filter((k) => k.startsWith("e"));
    highlightKey(events[0] || keys[0]);
    show(keys, span);
  }

  document.addEventListener("click", (ev) => {
    const span = ev.target.closest(".hl[data-keys]");
    const row = ev.target.closest(".event-row[data-key]");
    if (span) { onSpan(span); return; }
    if (row) {
      const toggle = document.getElementById("hl-toggle");
      if (toggle) toggle.checked = true;
      const spans = highlightKey(row.dataset.key);
      if (spans.length) { spans[0].scrollIntoView({ block: "center" }); show([row.dataset.key], spans[0]); }
      return;
    }
    if (!panel.contains(ev.target)) hide();
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") hide();
    if (ev.key === "Enter" && ev.target.matches && ev.target.matches(".hl[data-keys], .event-row")) ev.target.click();
  });
})();
