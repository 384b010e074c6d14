// Ipm — report charts (Chart.js, fed by the JSON of a json_script tag) and the import progress bar.
// No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  var PALETTE = ["#1f4e79", "#e07b39", "#3a9d5d", "#c0392b", "#8e6bbf", "#b5a642", "#2aa1b3", "#7f7f7f",
                 "#d35d90", "#5b8c2a"];

  function colour(index) { return PALETTE[index % PALETTE.length]; }

  function drawChart(container, spec, title) {
    var figure = document.createElement("figure");
    figure.className = "mb-4";
    if (title) {
      var caption = document.createElement("figcaption");
      caption.className = "fw-semibold small";
      caption.textContent = title;
      figure.appendChild(caption);
    }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", (title || "Graphique") + " : les mêmes chiffres que le tableau.");
    figure.appendChild(canvas);
    container.appendChild(figure);
    var type = spec.type || "bar";
    var datasets = (spec.datasets || []).map(function (dataset, index) {
      var item = { label: dataset.label, data: dataset.data };
      if (type === "doughnut") {
        item.backgroundColor = dataset.data.map(function (_v, i) { return colour(i); });
      } else {
        item.backgroundColor = colour(index);
      }
      return item;
    });
    var options = { responsive: true, plugins: { legend: { position: "bottom" } } };
    if (type === "bar") {
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = {
        x: { stacked: !!spec.stacked, beginAtZero: true },
        y: { stacked: !!spec.stacked, beginAtZero: true }
      };
    }
    return new window.Chart(canvas, { type: type, data: { labels: spec.labels, datasets: datasets }, options: options });
  }

  function drawReportCharts() {
    var source = document.getElementById("report-chart-data");
    var container = document.getElementById("report-charts");
    if (!source || !container || !window.Chart) { return; }
    var spec = JSON.parse(source.textContent);
    if (!spec) { return; }
    if (spec.multiple) {
      container.classList.add("row");
      spec.multiple.forEach(function (part) {
        part.type = part.type || spec.type;
        var cell = document.createElement("div");
        cell.className = "col-md-6";
        container.appendChild(cell);
        drawChart(cell, part, part.title);
      });
    } else {
      drawChart(container, spec, "");
    }
  }

  // Progress bars carry their width in data-width (a style attribute would need an inline style).
  function sizeProgressBars(root) {
    (root || document).querySelectorAll(".progress-bar[data-width]").forEach(function (bar) {
      bar.style.width = bar.getAttribute("data-width") + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawReportCharts();
    sizeProgressBars(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) { sizeProgressBars(event.target.parentNode || document); });
  document.addEventListener("htmx:afterSettle", function () { sizeProgressBars(document); });
})();
