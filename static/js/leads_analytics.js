/* The lead analytics page: draws the charts from the data the server put in <script id="lead-charts">.
   Bars for sources and channels, horizontal bars for the funnel. No data is computed here. */
(function () {
  "use strict";

  function draw() {
    var holder = document.getElementById("lead-charts");
    if (!holder || typeof window.Chart === "undefined") return;
    var charts = JSON.parse(holder.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var data = charts[canvas.dataset.chart];
      if (!data) return;
      var funnel = canvas.dataset.chart === "funnel";
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: data.labels, datasets: [{ label: "Leads", data: data.counts }] },
        options: {
          indexAxis: funnel ? "y" : "x",
          animation: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } }
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
