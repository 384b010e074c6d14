// Dossier lists: "check all" box for the bulk invitation (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-check-all]").forEach(function (master) {
    var name = master.getAttribute("data-check-all");
    master.addEventListener("change", function () {
      var form = master.closest("form") || document;
      form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });
});
