/* The project analytics page: draws the charts from the data the server put in <script id="project-charts">
   (planned against actual hours per project and per task, projects by status, margin by project). No figure is
   computed here. */
(function () {
  "use strict";

  function draw() {
    var holder = document.getElementById("project-charts");
    if (!holder || typeof window.Chart === "undefined") return;
    var charts = JSON.parse(holder.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var data = charts[canvas.dataset.chart];
      if (!data) return;
      var datasets = data.counts
        ? [{ label: "Projects", data: data.counts }]
        : [{ label: "Planned", data: data.planned }, { label: "Actual", data: data.actual }];
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: data.labels, datasets: datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: !data.counts } },
          scales: { y: { beginAtZero: true } }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
