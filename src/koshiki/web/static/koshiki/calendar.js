// Calendar drag-and-drop (#13): drop a post on another day to move it there, keeping its time of day.
// The drop submits the same form as 「日時を変更」 (POST /posts/<id>/reschedule/ with the page's version),
// so the service checks and audits it exactly like the keyboard path, which is that form.
(function () {
  "use strict";
  var cal = document.getElementById("calendar");
  var form = document.getElementById("cal-drop-form");
  if (!cal || !form) return;
  var dragged = null;
  cal.addEventListener("dragstart", function (event) {
    var entry = event.target.closest && event.target.closest(".cal-entry[data-reschedule]");
    if (!entry) return;
    dragged = entry;
    entry.classList.add("cal-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.getAttribute("data-post"));
  });
  cal.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("cal-dragging");
    dragged = null;
    cal.querySelectorAll(".cal-drop-target").forEach(function (el) { el.classList.remove("cal-drop-target"); });
  });
  function dayOf(event) {
    return event.target.closest && event.target.closest(".cal-day[data-date]");
  }
  cal.addEventListener("dragover", function (event) {
    var day = dayOf(event);
    if (!dragged || !day) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    cal.querySelectorAll(".cal-drop-target").forEach(function (el) { if (el !== day) el.classList.remove("cal-drop-target"); });
    day.classList.add("cal-drop-target");
  });
  cal.addEventListener("drop", function (event) {
    var day = dayOf(event);
    if (!dragged || !day) return;
    event.preventDefault();
    if (dragged.closest(".cal-day") === day) return;
    // #13 review: an approved post moved by its writer goes back to approval; ask first (cancel = no move).
    var reapproval = dragged.getAttribute("data-reapproval"), target = day.getAttribute("data-date");
    var leaves = reapproval === "always" || (reapproval === "outside_standing" &&
      (target < dragged.getAttribute("data-standing-from") || target > dragged.getAttribute("data-standing-to")));
    if (leaves && !window.confirm(form.getAttribute("data-confirm-reapproval"))) { dragged = null; return; }
    form.action = dragged.getAttribute("data-reschedule");
    form.elements.date.value = day.getAttribute("data-date");
    form.elements.time.value = dragged.getAttribute("data-time");
    form.elements.version.value = dragged.getAttribute("data-version");
    dragged = null;
    form.submit();
  });
})();
