// Ipm — small behaviours, no inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // A refused form: bring the summary of what to fix into view and focus, for keyboard and screen readers.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // Ask before any destructive or irreversible action: <button data-confirm="Question ?">.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
  // Prevent double submission: disable submit buttons once a form is sent.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
});
