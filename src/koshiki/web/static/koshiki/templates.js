// 「テンプレートから作成」 (issue #13 R): copy a post template's text into the composer. Only the templates of
// the selected account (and the organization-wide ones) are offered. The textarea's "input" event makes the
// live check and the preview run as for typed text.
(function () {
  "use strict";
  const data = document.getElementById("post-templates");
  const picker = document.getElementById("template-picker");
  const use = document.getElementById("template-use");
  const text = document.getElementById("post-text");
  if (!data || !picker || !use || !text) return;
  const templates = JSON.parse(data.textContent);
  const account = document.getElementById("id_account");
  const category = document.getElementById("id_category");
  const status = document.getElementById("template-status");

  function filter() {
    const current = account ? account.value : "";
    Array.from(picker.options).forEach((option) => {
      const owner = option.dataset.account;
      const fits = !option.value || !owner || owner === current;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) picker.value = "";
    });
  }

  use.addEventListener("click", () => {
    const chosen = templates.find((t) => String(t.id) === picker.value);
    if (!chosen) { picker.focus(); return; }
    if (text.value.trim() && text.value !== chosen.text && !window.confirm(status.dataset.confirm)) return;
    text.value = chosen.text;
    if (category && chosen.category) category.value = chosen.category;
    text.dispatchEvent(new Event("input", { bubbles: true }));
    status.textContent = status.dataset.filled;
    text.focus();
  });
  if (account) account.addEventListener("change", filter);
  filter();
})();
