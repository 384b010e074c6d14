// Date fields: typed the French way (JJ/MM/AAAA) whatever the browser's language — a text field that the
// server reads (``ipm.forms.DateInput``), so that it works without JavaScript — with, beside it, a button
// opening a calendar (vanillajs-datepicker, from node_modules) in the page's language. Choosing a day
// writes it into the field as JJ/MM/AAAA; the calendar never rewrites what was typed.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Datepicker === "undefined") { return; }
  var language = document.documentElement.lang || "fr";
  if (!Datepicker.locales[language]) { language = "fr"; }

  // JJ/MM/AAAA, JJ/MM/AA (as the server reads them: 00-68 → 20xx) or AAAA-MM-JJ; null if not a real day.
  function parse(text) {
    var french = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4}|\d{2})\s*$/.exec(text);
    var iso = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
    var year, month, day;
    if (iso) {
      year = +iso[1]; month = +iso[2]; day = +iso[3];
    } else if (french) {
      day = +french[1]; month = +french[2]; year = +french[3];
      if (french[3].length === 2) { year += year < 69 ? 2000 : 1900; }
    } else {
      return null;
    }
    var date = new Date(year, month - 1, day);
    return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
  }
  function twoDigits(number) { return (number < 10 ? "0" : "") + number; }

  document.querySelectorAll("[data-date-picker-for]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-date-picker-for"));
    var box = document.getElementById(button.getAttribute("aria-controls"));
    if (!input || !box) { return; }
    var picker = new Datepicker(box, {
      language: language, weekStart: 1, todayHighlight: true, buttonClass: "btn", format: "dd/mm/yyyy",
    });
    var syncing = false;

    function close(focusField) {
      box.hidden = true;
      button.setAttribute("aria-expanded", "false");
      if (focusField) { input.focus(); }
    }
    box.addEventListener("changeDate", function (event) {
      var date = event.detail.date;
      if (syncing || !date) { return; }
      input.value = twoDigits(date.getDate()) + "/" + twoDigits(date.getMonth() + 1) + "/" + date.getFullYear();
      input.dispatchEvent(new Event("change", {bubbles: true}));
      close(true);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(true); }
    });
    button.addEventListener("click", function () {
      if (!box.hidden) { close(true); return; }
      var typed = parse(input.value);
      syncing = true;
      if (typed) { picker.setDate(typed); } else { picker.setDate({clear: true}); }
      syncing = false;
      box.hidden = false;
      button.setAttribute("aria-expanded", "true");
    });
    button.hidden = false;
  });
});
