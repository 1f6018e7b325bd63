// Results of actions take the focus (issue #13, JIS X 8341-3 / WCAG 3.3.1, 4.1.3): after a refused submit the
// form's error summary, else the messages the action left (saved, submitted, approved, refused).
(function () {
  "use strict";
  function focusResult() {
    const target = document.querySelector(".error-summary[data-autofocus]") || document.getElementById("messages");
    if (target) target.focus();
  }
  // A link in the summary moves the focus to its field (not only the scroll position).
  document.addEventListener("click", function (event) {
    const link = event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) { event.preventDefault(); field.focus(); }
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusResult);
  else focusResult();
})();
