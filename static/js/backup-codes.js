// The backup codes page: print them, or copy them (the codes stay selectable text without scripts).
document.addEventListener("DOMContentLoaded", function () {
  var list = document.getElementById("backup-codes");
  if (!list) { return; }
  var status = document.getElementById("backup-codes-status");
  document.querySelectorAll("[data-print-codes]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-copy-codes]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var codes = Array.prototype.map.call(list.querySelectorAll("li"), function (li) { return li.textContent.trim(); });
      navigator.clipboard.writeText(codes.join("\n")).then(function () {
        status.textContent = "Codes copiés : collez-les dans votre gestionnaire de mots de passe.";
      }, function () {
        status.textContent = "La copie n'a pas fonctionné : sélectionnez les codes et copiez-les.";
      });
    });
  });
});
