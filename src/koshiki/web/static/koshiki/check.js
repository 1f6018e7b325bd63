// Live check: send the text as staff type, highlight the spans the checker found, show the clause.
(function () {
  "use strict";
  const text = document.getElementById("post-text");
  const platform = document.getElementById("post-platform");
  const preview = document.getElementById("post-preview");
  const list = document.getElementById("post-findings");
  const clean = document.getElementById("post-clean");
  const count = document.getElementById("post-count");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const order = { info: 0, warn: 1, block: 2 };
  let timer = null;
  let sequence = 0;

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
      preview.appendChild(mark);
    });
    list.textContent = "";
    data.findings.forEach((f, n) => {
      const item = document.createElement("li");
      item.id = "finding-" + n;
      item.className = "sev-" + f.severity;
      const head = document.createElement("strong");
      head.textContent = f.label + "（" + f.severity_label + "）";
      item.appendChild(head);
      if (f.clauses.length) {
        const clause = document.createElement("span");
        clause.className = "clause";
        clause.textContent = f.clauses.join(" ");
        item.appendChild(document.createTextNode(" "));
        item.appendChild(clause);
      }
      const msg = document.createElement("div");
      msg.textContent = "「" + value.slice(f.start, f.end).slice(0, 40) + "」 " + f.message + (f.suggestion ? " → " + f.suggestion : "");
      item.appendChild(msg);
      list.appendChild(item);
    });
    clean.hidden = data.findings.length > 0 || !value.trim();
    count.textContent = data.length + " / " + data.limit;
    count.className = data.length > data.limit ? "error" : "muted";
  }

  async function run() {
    const mine = ++sequence;
    const value = text.value;
    const response = await fetch(text.dataset.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ text: value, platform: platform.value, is_correction: text.dataset.correction === "1" }),
    });
    const data = await response.json();
    if (mine !== sequence) return; // a newer request is on its way
    if (!response.ok) { count.textContent = data.error; count.className = "error"; return; }
    render(value, data);
  }

  function schedule() { clearTimeout(timer); timer = setTimeout(run, 200); }
  text.addEventListener("input", schedule);
  platform.addEventListener("change", schedule);
  if (text.value.trim()) schedule(); // typed before this script loaded
  text.dataset.ready = "1";
})();
