/* Dashboards: the grid of tiles (Gridstack: drag and resize, the layout posted after each change), each tile's
   chart (Chart.js, from the figures the tile puts on its canvas; a click on a bar or slice opens the list of
   exactly its records), "show as a table", and the chart's PNG. Loaded on every page: the libraries are fetched
   only when a page holds a dashboard grid. No inline script (CSP). */
(function () {
  "use strict";

  var me = document.currentScript;
  var COLOURS = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#198754", "#0dcaf0", "#ffc107", "#6c757d", "#d63384"];
  var loading = {};
  var charts = {};

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function load(name, attribute) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var url = me && me.getAttribute(attribute);
        if (!url) { resolve(); return; }
        var script = document.createElement("script");
        script.src = url;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }

  function stylesheet(attribute) {
    var url = me && me.getAttribute(attribute);
    if (!url || document.querySelector('link[href="' + url + '"]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.appendChild(link);
  }

  function csrfToken() {
    var body = document.body.getAttribute("hx-headers");
    try { return JSON.parse(body)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // --- the grid ---------------------------------------------------------------------------------------------

  function initGrid(element) {
    if (element.gridstack || element.dataset.gridReady) return;
    element.dataset.gridReady = "1";
    var editable = element.hasAttribute("data-editable");
    var grid = window.GridStack.init({
      column: 12,
      cellHeight: 90,
      margin: 6,
      float: false,
      disableDrag: !editable,
      disableResize: !editable,
      animate: false,
      draggable: { handle: ".card-header" },
      columnOpts: { breakpoints: [{ w: 768, c: 1 }] }
    }, element);
    if (!editable) return;
    grid.on("change", function () {
      // the layout in 12 columns, as saved (a phone's single column is only how it is shown)
      if (grid.getColumn() !== 12) return;
      var items = grid.getGridItems().map(function (item) {
        var node = item.gridstackNode;
        return { id: item.getAttribute("gs-id"), x: node.x, y: node.y, w: node.w, h: node.h };
      });
      var body = new URLSearchParams();
      body.set("layout", JSON.stringify(items));
      fetch(element.dataset.layoutUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
        body: body
      }).then(function (response) {
        element.dataset.layoutSaved = response.ok ? "1" : "0";
        element.dispatchEvent(new CustomEvent("dashboards:layout-saved", { bubbles: true }));
      });
    });
    grid.on("resizestop", function (event, item) {
      var canvas = item.querySelector("canvas[data-tile-chart]");
      if (canvas && charts[canvas.id]) charts[canvas.id].resize();
    });
  }

  function grids(root) {
    var found = (root || document).querySelectorAll("[data-dashboard-grid]");
    if (!found.length) return;
    stylesheet("data-gridstack-css");
    stylesheet("data-dashboards-css");
    load("gridstack", "data-gridstack-src").then(function () {
      found.forEach(initGrid);
    });
  }

  // --- the charts -------------------------------------------------------------------------------------------

  var TYPES = { bar: "bar", column: "bar", funnel: "bar", line: "line", area: "line", pie: "pie", doughnut: "doughnut", scatter: "scatter" };

  function config(data) {
    var round = data.type === "pie" || data.type === "doughnut";
    var horizontal = data.type === "bar" || data.type === "funnel";
    var datasets = data.datasets.map(function (set, index) {
      var colour = COLOURS[index % COLOURS.length];
      var values = set.data;
      if (data.type === "scatter") {
        var ys = data.datasets[1] ? data.datasets[1].data : null;
        values = set.data.map(function (value, i) { return { x: value, y: ys ? ys[i] : i + 1 }; });
      }
      var axis = {};
      // a count beside an amount: on an axis of its own (the server says which series go there)
      if (set.axis === "second") axis[horizontal ? "xAxisID" : "yAxisID"] = "second";
      return Object.assign(axis, {
        label: set.label,
        data: values,
        backgroundColor: round ? data.labels.map(function (_, i) { return COLOURS[i % COLOURS.length]; }) : colour,
        borderColor: colour,
        fill: data.type === "area",
        tension: 0.2
      });
    });
    if (data.type === "scatter") datasets = datasets.slice(0, 1);
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: data.legend } },
      onHover: function (event, elements) {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      }
    };
    if (!round) {
      options.indexAxis = horizontal ? "y" : "x";
      options.scales = {
        x: { stacked: data.stacked, beginAtZero: true },
        y: { stacked: data.stacked, beginAtZero: true }
      };
      if (data.datasets.some(function (set) { return set.axis === "second"; })) {
        options.scales.second = {
          axis: horizontal ? "x" : "y",
          position: horizontal ? "top" : "right",
          beginAtZero: true,
          grid: { drawOnChartArea: false }
        };
      }
    }
    return { type: TYPES[data.type] || "bar", data: { labels: data.labels, datasets: datasets }, options: options };
  }

  function drawCharts(root) {
    var canvases = (root || document).querySelectorAll("canvas[data-tile-chart]");
    if (!canvases.length) return;
    load("chart", "data-chart-src").then(function () {
      canvases.forEach(function (canvas) {
        // the figures ride on the canvas (htmx inserts no script element, not even a JSON one)
        if (!window.Chart) return;
        var data = JSON.parse(canvas.getAttribute("data-tile-chart"));
        if (charts[canvas.id]) charts[canvas.id].destroy();
        var settings = config(data);
        settings.options.onClick = function (event, elements) {
          if (!elements.length) return;
          var link = data.links[elements[0].index];
          if (link) window.location.assign(link);
        };
        charts[canvas.id] = new window.Chart(canvas, settings);
        canvas.setAttribute("data-chart-ready", "1");
      });
    });
  }

  // --- the tiles' buttons -----------------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-toggle-table]");
    if (toggle) {
      var body = toggle.closest("[data-tile-body]");
      var box = body.querySelector("[data-chart-box]");
      var table = body.querySelector("[data-chart-table]");
      var showingTable = table.classList.contains("d-none");
      table.classList.toggle("d-none", !showingTable);
      box.classList.toggle("d-none", showingTable);
      toggle.textContent = showingTable ? "Show the chart" : "Show as a table";
      return;
    }
    var png = event.target.closest("[data-tile-png]");
    if (png) {
      var canvas = document.getElementById("tile-chart-" + png.getAttribute("data-tile-png"));
      if (!canvas) { window.alert("This tile has no chart."); return; }
      var link = document.createElement("a");
      link.href = canvas.toDataURL("image/png");
      link.download = "tile-" + png.getAttribute("data-tile-png") + ".png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    }
  });

  // the tile editor: a new section redraws the form with that section's fields
  document.addEventListener("change", function (event) {
    var select = event.target.closest("#tile-form [data-section-select]");
    if (!select) return;
    var refresh = select.form.querySelector("#refresh-tile-form");
    if (refresh) refresh.click();
  });

  onReady(function () { grids(document); drawCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    grids(event.target);
    drawCharts(event.target);
  });
})();
