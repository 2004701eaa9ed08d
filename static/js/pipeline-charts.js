/* The charts of the pipeline analytics (templates/opportunities/analytics.html), drawn with the vendored
   Chart.js from the figures the page embeds with json_script; the tables beside them hold the same figures.
   Also: the period filter's custom dates show only for "From … to …". */
(function () {
  "use strict";

  var COLOURS = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#198754", "#0dcaf0"];

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function periodForms() {
    document.querySelectorAll("[data-period-form]").forEach(function (form) {
      var period = form.querySelector("select[name=period]");
      if (!period) return;
      function toggle() {
        form.querySelectorAll("[data-custom-period]").forEach(function (node) {
          node.classList.toggle("d-none", period.value !== "custom");
        });
      }
      period.addEventListener("change", toggle);
      toggle();
    });
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return null;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    return new window.Chart(canvas, config);
  }

  function charts(data) {
    draw("funnel-chart", {
      type: "bar",
      data: {
        labels: data.funnel.labels,
        datasets: [
          { label: "Reached the stage", data: data.funnel.reached, backgroundColor: COLOURS[0] },
          { label: "Furthest at the stage", data: data.funnel.counts, backgroundColor: COLOURS[1] }
        ]
      },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    draw("days-chart", {
      type: "bar",
      data: {
        labels: data.days.labels,
        datasets: [{
          label: "Average days",
          data: data.days.average,
          backgroundColor: data.days.bottleneck.map(function (slow) { return slow ? COLOURS[4] : COLOURS[2]; })
        }]
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
    });
    if (data.forecast) draw("forecast-chart", {  // absent for who may not see amounts
      type: "bar",
      data: {
        labels: data.forecast.labels,
        datasets: [
          { label: "Weighted forecast", data: data.forecast.weighted, backgroundColor: COLOURS[0] },
          { label: "Won", data: data.forecast.won, backgroundColor: COLOURS[5] },
          { label: "Open pipeline", data: data.forecast.pipeline, type: "line", borderColor: COLOURS[3], backgroundColor: COLOURS[3] }
        ]
      },
      options: { scales: { y: { beginAtZero: true } } }
    });
    if (data.comparison) {
      draw("comparison-chart", {
        type: "bar",
        data: {
          labels: data.comparison.labels,
          datasets: data.comparison.series.map(function (series, index) {
            return { label: series.label, data: series.reached, backgroundColor: COLOURS[index % COLOURS.length] };
          })
        },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    }
  }

  onReady(function () {
    periodForms();
    var script = document.getElementById("pipeline-data");
    if (!script || !window.Chart) return;
    charts(JSON.parse(script.textContent));
  });
})();
