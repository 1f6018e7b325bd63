// Live check: send the text as staff type, highlight the spans the checker found, show the clause.
// For screen readers (issue #13, JIS X 8341-3): checks run 400 ms after the last key and never on kana still
// being converted (IME composition); one polite live region says what the check found, and only when that
// differs from what it said last; the findings list and the counter are not live (the counter speaks only
// when the text crosses the platform's limit, through the same region).
(function () {
  "use strict";
  const text = document.getElementById("post-text");
  const platform = document.getElementById("post-platform");
  const preview = document.getElementById("post-preview");
  const list = document.getElementById("post-findings");
  const clean = document.getElementById("post-clean");
  const count = document.getElementById("post-count");
  const summary = document.getElementById("post-check-summary");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const order = { info: 0, warn: 1, block: 2 };
  const DEBOUNCE_MS = 400;
  let timer = null;
  let sequence = 0;
  let composing = false;
  let announced = "";

  function segments(value, findings) {
    const cuts = new Set([0, value.length]);
    findings.forEach((f) => { if (f.end > f.start) { cuts.add(f.start); cuts.add(f.end); } });
    const points = Array.from(cuts).sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i < points.length - 1; i++) {
      const s = points[i], e = points[i + 1];
      const covering = findings.map((f, n) => [f, n]).filter(([f]) => f.start <= s && e <= f.end && f.end > f.start
        && !(f.start === 0 && f.end === value.length && f.category === "platform_limit"));
      out.push({ text: value.slice(s, e), covering });
    }
    return out;
  }

  // The severity in words (禁止・注意・参考) before the highlighted text: never colour alone (WCAG 1.4.1).
  function tag(finding) {
    const label = document.createElement("span");
    label.className = "sev-tag sev-tag-" + finding.severity;
    label.textContent = finding.severity_label;
    return label;
  }

  function announce(message) {
    if (!summary || message === announced) return;
    announced = message;
    summary.textContent = message;
  }

  function summarize(value, data) {
    if (!summary || !value.trim()) return "";
    const counts = { block: 0, warn: 0, info: 0 };
    const labels = {};
    data.findings.forEach((f) => { counts[f.severity] += 1; labels[f.severity] = f.severity_label; });
    const parts = ["block", "warn", "info"].filter((s) => counts[s]).map((s) =>
      summary.dataset.item.replace("{severity}", labels[s]).replace("{count}", counts[s]));
    let message = parts.length ? parts.join(summary.dataset.separator) : summary.dataset.clean;
    if (data.length > data.limit) message += " " + summary.dataset.over;
    return message;
  }

  function render(value, data) {
    preview.textContent = "";
    segments(value, data.findings).forEach((seg) => {
      if (!seg.covering.length) { preview.appendChild(document.createTextNode(seg.text)); return; }
      const worst = seg.covering.reduce((a, b) => (order[b[0].severity] > order[a[0].severity] ? b : a));
      const mark = document.createElement("mark");
      mark.className = "sev-" + worst[0].severity;
      mark.tabIndex = 0;
      mark.textContent = seg.text;
      mark.title = seg.covering.map(([f]) => f.label + " " + f.clauses.join(" ") + "：" + f.message).join("\n");
      mark.setAttribute("aria-describedby", seg.covering.map(([, n]) => "finding-" + n).join(" "));
      preview.appendChild(tag(worst[0]));
      preview.appendChild(mark);
    });
    list.textContent = "";
    data.findings.forEach((f, n) => {
      const item = document.createElement("li");
      item.id = "finding-" + n;
      item.className = "sev-" + f.severity;
      item.appendChild(tag(f));
      item.appendChild(document.createTextNode(" "));
      const head = document.createElement("strong");
      head.textContent = f.label;
      item.appendChild(head);
      if (f.clauses.length) {
        const clause = document.createElement("span");
        clause.className = "clause";
        clause.lang = "ja";
        clause.textContent = f.clauses.join(" ");
        item.appendChild(document.createTextNode(" "));
        item.appendChild(clause);
      }
      const msg = document.createElement("div");
      const quote = document.createElement("span");
      quote.lang = "ja";
      quote.textContent = "「" + value.slice(f.start, f.end).slice(0, 40) + "」";
      msg.appendChild(quote);
      msg.appendChild(document.createTextNode(" " + f.message + (f.suggestion ? " → " + f.suggestion : "")));
      item.appendChild(msg);
      list.appendChild(item);
    });
    clean.hidden = data.findings.length > 0 || !value.trim();
    count.textContent = data.length + " / " + data.limit;
    count.className = data.length > data.limit ? "error" : "muted";
    announce(summarize(value, data));
  }

  async function run() {
    if (composing) return;
    const mine = ++sequence;
    const value = text.value;
    const response = await fetch(text.dataset.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ text: value, platform: platform.value, is_correction: text.dataset.correction === "1" }),
    });
    const data = await response.json();
    if (mine !== sequence) return; // a newer request is on its way
    if (!response.ok) { count.textContent = data.error; count.className = "error"; announce(data.error); return; }
    render(value, data);
    text.dataset.checks = String(Number(text.dataset.checks || "0") + 1); // read by the browser tests
  }

  function schedule() {
    clearTimeout(timer);
    if (composing) return;
    timer = setTimeout(run, DEBOUNCE_MS);
  }
  text.addEventListener("compositionstart", () => { composing = true; clearTimeout(timer); });
  text.addEventListener("compositionend", () => { composing = false; schedule(); });
  text.addEventListener("input", (event) => { if (!event.isComposing) schedule(); });
  platform.addEventListener("change", schedule);
  if (text.value.trim()) schedule(); // typed before this script loaded
  text.dataset.ready = "1";
})();
