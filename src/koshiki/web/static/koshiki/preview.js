// Platform preview beside the composer (issue #13 R): how the post will look on X, Bluesky, Threads,
// Instagram, Facebook and LINE. The counting is done on the server (koshiki.checks.preview); this script
// asks for it ~400 ms after typing stops (not during IME composition) and draws it with textContent only.
// Tabs follow the ARIA tabs pattern (arrow keys, Home/End); the account's platform picks the default tab.
(function () {
  "use strict";
  const root = document.getElementById("platform-preview");
  const text = document.getElementById("post-text");
  if (!root || !text) return;
  const platformInput = document.getElementById("post-platform");
  const csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  const csrf = csrfInput ? csrfInput.value : "";
  const L = root.dataset;
  const tabs = Array.from(root.querySelectorAll("[role=tab]"));
  let timer = null;
  let sequence = 0;
  let composing = false;

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function select(platform, focus) {
    tabs.forEach((tab) => {
      const on = tab.dataset.platform === platform;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
      if (on && focus) tab.focus();
    });
  }

  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab.dataset.platform, false));
    tab.addEventListener("keydown", (event) => {
      let next = null;
      if (event.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
      else if (event.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (event.key === "Home") next = tabs[0];
      else if (event.key === "End") next = tabs[tabs.length - 1];
      if (!next) return;
      event.preventDefault();
      select(next.dataset.platform, true);
    });
  });

  function defaultTab() {
    const wanted = platformInput ? platformInput.value : "";
    const known = tabs.some((t) => t.dataset.platform === wanted);
    select(known ? wanted : tabs[0].dataset.platform, false);
  }

  // Text [from, to) with hashtags, mentions and URLs highlighted (each with a text label, not colour only).
  function appendMarked(parent, value, from, to, spans) {
    let at = from;
    spans.forEach((s) => {
      const start = Math.max(s.start, from), end = Math.min(s.end, to);
      if (end <= start || start < at) return;
      if (start > at) parent.appendChild(document.createTextNode(value.slice(at, start)));
      const mark = el("span", "pv-" + s.kind, value.slice(start, end));
      mark.title = L["l" + s.kind.charAt(0).toUpperCase() + s.kind.slice(1)] || s.kind;
      parent.appendChild(mark);
      at = end;
    });
    if (to > at) parent.appendChild(document.createTextNode(value.slice(at, to)));
  }

  function drawPost(box, value, p) {
    box.textContent = "";
    if (!value.trim()) { box.appendChild(el("p", "muted", L.lEmpty)); return; }
    if (p.platform === "line") {
      let offset = 0;
      p.bubbles.forEach((bubble, n) => {
        const b = el("div", "pv-bubble");
        b.setAttribute("aria-label", L.lBubble + " " + (n + 1));
        appendMarked(b, value, offset, offset + bubble.length, p.spans);
        offset += bubble.length;
        box.appendChild(b);
      });
      if (p.bubbles.length > 1) box.appendChild(el("p", "pv-cut-label", L.lBubblesNote));
      return;
    }
    const body = el("div", "pv-text");
    const shownTo = p.fold !== null ? Math.min(p.fold, p.cut_at) : p.cut_at;
    appendMarked(body, value, 0, shownTo, p.spans);
    if (p.fold !== null && p.fold < p.cut_at) {
      body.appendChild(el("span", "pv-more", " " + L.lMore));
      const rest = el("div", "pv-folded");
      rest.appendChild(el("span", "pv-cut-label", L.lMoreNote));
      const inner = el("div");
      appendMarked(inner, value, p.fold, p.cut_at, p.spans);
      rest.appendChild(inner);
      body.appendChild(rest);
    }
    box.appendChild(body);
    if (p.cut) {
      const cut = el("div", "pv-cut");
      cut.appendChild(el("span", "pv-cut-label", "✂ " + L.lCut));
      const del = el("del");
      appendMarked(del, value, p.cut_at, value.length, p.spans);
      cut.appendChild(del);
      box.appendChild(cut);
    }
  }

  function drawCard(slot, p) {
    slot.textContent = "";
    if (!p.card) return;
    const card = el("div", "pv-linkcard");
    card.appendChild(el("strong", "pv-domain", p.card.domain));
    card.appendChild(el("span", "pv-path", p.card.path));
    card.appendChild(el("small", "muted", L.lCardNote));
    slot.appendChild(card);
  }

  function render(value, data) {
    data.previews.forEach((p) => {
      const panel = document.getElementById("pv-panel-" + p.platform);
      if (!panel) return;
      const status = panel.querySelector(".pv-status");
      const line = L.lCount + ": " + p.length.toLocaleString() + " / " + p.limit.toLocaleString();
      status.textContent = line + " — " + (p.over ? L.lOver.replace("{n}", (p.length - p.limit).toLocaleString()) : L.lWithin);
      status.className = "pv-status " + (p.over ? "error" : "muted");
      panel.dataset.over = p.over ? "1" : "0";
      drawPost(panel.querySelector(".pv-post"), value, p);
      drawCard(panel.querySelector(".pv-card-slot"), p);
      panel.querySelector(".pv-rule").textContent =
        p.platform === "x" ? L.lXRule : p.platform === "bluesky" ? L.lBlueskyRule : L.lRule;
    });
    root.dataset.ready = "1";
  }

  async function run() {
    const mine = ++sequence;
    const value = text.value;
    let response;
    try {
      response = await fetch(root.dataset.api, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ text: value }),
      });
    } catch (e) { return; }
    const data = await response.json();
    if (mine !== sequence || !response.ok) return; // a newer request is on its way, or a refusal
    render(value, data);
  }

  function schedule() {
    if (composing) return; // IME: wait for the converted text
    clearTimeout(timer);
    timer = setTimeout(run, 400);
  }

  text.addEventListener("compositionstart", () => { composing = true; });
  text.addEventListener("compositionend", () => { composing = false; schedule(); });
  text.addEventListener("input", schedule);
  if (platformInput) platformInput.addEventListener("change", defaultTab); // the account picks the tab
  defaultTab();
  run();
})();
