/* The Gantt chart (templates/projects/gantt.html), our own SVG: the task tree on the left, bars over time on the
   right, finish-to-start dependencies as arrows, today's line, zoom by day / week / month, completion inside the
   bar, the critical path in red. The server computes everything (dates, the critical path, who may move what).

   Dragging a bar moves its task, dragging its right end changes the due date: the drop posts the new dates with
   the task's version to the task's reschedule endpoint, the same service as the task's form. On success the tasks
   the server moved (the task and those depending on it) take their new dates; on refusal the bar snaps back and
   the reason is shown; a stale version (someone else moved it) reloads the chart as it now is.

   A summary bar (a task with subtasks) spans its subtree: dragging it moves the task with all its subtasks by
   whole days ("Shift timeframe", same endpoint with `shift`); it has no end to drag.

   From the keyboard: a bar takes the focus (Tab); ArrowLeft / ArrowRight move it by a day, Shift+Arrow changes
   its due date by a day, through the same save and version check; the new dates are announced (aria-live). */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var ROW = 28;
  var HEAD = 40;
  var DAY_MS = 86400000;
  var ZOOM = { day: 26, week: 10, month: 3.2 };

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (error) { /* no token */ }
    return "";
  }

  function parse(iso) {
    var parts = iso.split("-");
    return Date.UTC(+parts[0], +parts[1] - 1, +parts[2]) / DAY_MS;
  }

  function iso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function node(name, attributes, parent) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(element);
    return element;
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function Chart(root) {
    var message = document.getElementById("gantt-message");
    var live = document.getElementById("gantt-live");
    var zoom = "week";
    var data = null;
    // the task whose bar had the focus when the chart was redrawn (a keyboard move): it gets it back
    var focused = null;
    var saving = false;

    function announce(text) {
      if (live) live.textContent = text;
    }

    function say(text, kind) {
      if (!message) return;
      message.textContent = text || "";
      message.classList.toggle("d-none", !text);
      message.classList.toggle("alert-danger", kind === "error");
      message.classList.toggle("alert-warning", kind === "warning");
      message.classList.toggle("alert-success", kind === "success");
    }

    function load() {
      return fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (json) { data = json; draw(); });
    }

    function address(kind, task) {
      return data.urls[kind].replace("{id}", String(task.id));
    }

    function rows() {
      // one header row per project when the chart shows several, then its tasks in tree order
      var result = [];
      var several = data.projects.length > 1;
      data.projects.forEach(function (project) {
        if (several) result.push({ project: project });
        data.tasks.forEach(function (task) { if (task.project === project.id) result.push({ task: task }); });
      });
      return result;
    }

    function range() {
      var days = [parse(data.today)];
      data.tasks.forEach(function (task) { days.push(parse(task.start), parse(task.due)); });
      data.projects.forEach(function (project) {
        days.push(parse(project.start));
        if (project.due) days.push(parse(project.due));
      });
      return { first: Math.min.apply(null, days) - 3, last: Math.max.apply(null, days) + 7 };
    }

    function draw() {
      root.innerHTML = "";
      var list = rows();
      var span = range();
      var px = ZOOM[zoom];
      var width = Math.ceil((span.last - span.first + 1) * px);
      var height = HEAD + Math.max(list.length, 1) * ROW;
      var body = document.createElement("div");
      body.className = "gantt-body";
      var tree = document.createElement("div");
      tree.className = "gantt-tree";
      var head = document.createElement("div");
      head.className = "gantt-head";
      head.textContent = "Task";
      tree.appendChild(head);
      var scroller = document.createElement("div");
      scroller.className = "gantt-chart";
      body.appendChild(tree);
      body.appendChild(scroller);
      root.appendChild(body);
      var svg = node("svg", { width: width, height: height, role: "img", "aria-label": "Gantt chart" }, scroller);
      var defs = node("defs", {}, svg);
      var marker = node("marker", { id: "gantt-arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse" }, defs);
      node("path", { d: "M0,0 L10,5 L0,10 z", "class": "gantt-arrow" }, marker);

      function x(day) { return (day - span.first) * px; }

      // the time scale
      for (var day = span.first; day <= span.last; day++) {
        var date = new Date(day * DAY_MS);
        var weekday = date.getUTCDay();
        if (zoom !== "month" && (weekday === 0 || weekday === 6)) {
          node("rect", { x: x(day), y: HEAD, width: px, height: height - HEAD, "class": "gantt-weekend" }, svg);
        }
        var tick = zoom === "day" || (zoom === "week" && weekday === 1) || (zoom === "month" && date.getUTCDate() === 1);
        if (!tick) continue;
        node("line", { x1: x(day), x2: x(day), y1: 20, y2: height, "class": "gantt-grid" }, svg);
        var text = zoom === "month" ? MONTHS[date.getUTCMonth()] + " " + date.getUTCFullYear()
          : zoom === "week" ? date.getUTCDate() + " " + MONTHS[date.getUTCMonth()] : String(date.getUTCDate());
        node("text", { x: x(day) + 2, y: 34, "class": "gantt-label" }, svg).textContent = text;
        // the month above the days: on each 1st, and at the left edge unless a 1st comes within a few days
        var firstShown = day === span.first && date.getUTCDate() < 25;
        if (zoom === "day" && (date.getUTCDate() === 1 || firstShown)) {
          node("text", { x: x(day) + 2, y: 14, "class": "gantt-label" }, svg).textContent = MONTHS[date.getUTCMonth()] + " " + date.getUTCFullYear();
        }
      }
      node("line", { x1: 0, x2: width, y1: HEAD, y2: HEAD, "class": "gantt-grid" }, svg);

      var place = {};
      list.forEach(function (item, index) {
        var y = HEAD + index * ROW;
        var label = document.createElement("div");
        label.className = "gantt-row";
        if (item.project) {
          label.classList.add("gantt-project");
          var link = document.createElement("a");
          link.href = item.project.url;
          link.textContent = item.project.name;
          label.appendChild(link);
          label.style.paddingLeft = ".5rem";
          tree.appendChild(label);
          var end = item.project.due ? parse(item.project.due) : span.last;
          node("rect", { x: x(parse(item.project.start)), y: y + 11, width: (end - parse(item.project.start) + 1) * px, height: 6, "class": "gantt-bracket" }, svg);
          return;
        }
        var task = item.task;
        if (task.summary) label.classList.add("gantt-summary");
        label.style.paddingLeft = (0.5 + task.depth * 1) + "rem";
        var anchor = document.createElement("a");
        anchor.href = address("task", task);
        anchor.textContent = task.name;
        label.title = task.name + " · " + task.start + " – " + task.due + (task.critical ? " · critical" : "");
        label.appendChild(anchor);
        tree.appendChild(label);
        var start = parse(task.start), due = parse(task.due);
        var group = node("g", { "data-task": task.id }, svg);
        var classes = "gantt-bar" + (task.summary ? " gantt-summary-bar" : "") + (task.critical ? " gantt-critical" : "") + (task.editable ? "" : " gantt-readonly");
        var barY = y + (task.summary ? 9 : 5), barHeight = task.summary ? 10 : ROW - 10;
        var bar = node("rect", { x: x(start), y: barY, width: (due - start + 1) * px, height: barHeight, rx: 3, "class": classes, "data-bar": task.id }, group);
        node("title", {}, bar).textContent = task.name + ": " + task.start + " – " + task.due + ", " + task.completion + "% done" + (task.critical ? ", on the critical path" : "");
        if (task.completion && !task.summary) {
          node("rect", { x: x(start), y: barY + barHeight - 4, width: (due - start + 1) * px * task.completion / 100, height: 4, "class": "gantt-done" + (task.critical ? " gantt-critical-done" : "") }, group);
        }
        if (task.deadline) {
          var deadline = x(parse(task.deadline) + 1);
          node("line", { x1: deadline, x2: deadline, y1: y + 2, y2: y + ROW - 2, "class": "gantt-deadline" }, group);
        }
        var handle = null;
        if (task.editable) {
          if (!task.summary) handle = node("rect", { x: x(due + 1) - 6, y: barY, width: 8, height: barHeight, "class": "gantt-handle", "data-handle": "end" }, group);
          makeDraggable(task, bar, handle, px);
          bar.setAttribute("tabindex", "0");
          bar.setAttribute("role", "button");
          bar.setAttribute("aria-label", describe(task) + (task.summary
            ? ". Left and right arrows move it with its subtasks by a day."
            : ". Left and right arrows move it by a day; with Shift, they change its due date."));
          bar.addEventListener("keydown", function (event) { keyMove(event, task); });
        }
        place[task.id] = { y: y + ROW / 2, start: x(start), end: x(due + 1) };
      });

      data.links.forEach(function (link) {
        var from = place[link.from], to = place[link.to];
        if (!from || !to) return;
        var turn = Math.max(from.end + 6, Math.min(to.start - 6, from.end + 6));
        var d = "M" + from.end + "," + from.y + " H" + turn + " V" + to.y + " H" + (to.start - 1);
        if (to.start - 6 < from.end + 6) {
          var middle = to.y - ROW / 2 + 2;
          d = "M" + from.end + "," + from.y + " H" + (from.end + 6) + " V" + middle + " H" + (to.start - 8) + " V" + to.y + " H" + (to.start - 1);
        }
        node("path", { d: d, "class": "gantt-link", "marker-end": "url(#gantt-arrow)" }, svg);
      });

      var today = x(parse(data.today)) + px / 2;
      node("line", { x1: today, x2: today, y1: 20, y2: height, "class": "gantt-today" }, svg);
      // open near today, unless a bar is to get the focus back (it scrolls itself into view)
      scroller.scrollLeft = Math.max(0, today - scroller.clientWidth / 3);
      var active = document.activeElement;
      if (focused !== null && (!active || active === document.body || root.contains(active))) {
        var again = svg.querySelector('[data-bar="' + focused + '"]');
        if (again) {
          scroller.scrollLeft = Math.max(0, parseFloat(again.getAttribute("x")) - scroller.clientWidth / 3);
          again.focus({ preventScroll: true });
        }
      }
    }

    function describe(task) {
      return task.name + (task.summary ? " (summary)" : "") + ", " + task.start + " to " + task.due;
    }

    function keyMove(event, task) {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      event.preventDefault();
      if (saving) return;  // one move at a time: the next starts from the saved dates and version
      var days = event.key === "ArrowLeft" ? -1 : 1;
      focused = task.id;
      if (task.summary) {
        if (event.shiftKey) { announce("A summary bar spans its subtasks: change the subtasks' dates instead."); return; }
        save(task, { shift: days });
        return;
      }
      var startDay = parse(task.start), dueDay = parse(task.due);
      if (event.shiftKey) {
        if (dueDay + days < startDay) { announce("“" + task.name + "” cannot end before it starts."); return; }
        dueDay += days;
      } else { startDay += days; dueDay += days; }
      save(task, { start: iso(startDay), due: iso(dueDay) });
    }

    function makeDraggable(task, bar, handle, px) {
      function start(event, mode) {
        event.preventDefault();
        event.stopPropagation();
        var originX = event.clientX;
        var x0 = parseFloat(bar.getAttribute("x")), w0 = parseFloat(bar.getAttribute("width"));
        var days = 0;
        bar.classList.add("gantt-dragging");
        var target = event.target;
        if (target.setPointerCapture) target.setPointerCapture(event.pointerId);
        function move(moveEvent) {
          days = Math.round((moveEvent.clientX - originX) / px);
          if (mode === "move") bar.setAttribute("x", x0 + days * px);
          else bar.setAttribute("width", Math.max(px, w0 + days * px));
        }
        function end() {
          target.removeEventListener("pointermove", move);
          target.removeEventListener("pointerup", end);
          target.removeEventListener("pointercancel", end);
          bar.classList.remove("gantt-dragging");
          if (!days) { draw(); return; }
          if (task.summary) { save(task, { shift: days }); return; }
          var startDay = parse(task.start), dueDay = parse(task.due);
          if (mode === "move") { startDay += days; dueDay += days; } else { dueDay = Math.max(startDay, dueDay + days); }
          save(task, { start: iso(startDay), due: iso(dueDay) });
        }
        target.addEventListener("pointermove", move);
        target.addEventListener("pointerup", end);
        target.addEventListener("pointercancel", end);
      }
      bar.addEventListener("pointerdown", function (event) { start(event, "move"); });
      if (handle) handle.addEventListener("pointerdown", function (event) { start(event, "end"); });
    }

    function save(task, change) {
      var fields = { version: task.version };
      Object.keys(change).forEach(function (key) { fields[key] = change[key]; });
      var body = new URLSearchParams(fields);
      saving = true;
      fetch(address("move", task), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: body
      }).then(function (response) {
        return response.json().then(function (json) { return { status: response.status, json: json }; });
      }).then(function (answer) {
        if (answer.json.ok) {
          var moved = {};
          answer.json.tasks.forEach(function (item) { moved[item.id] = item; });
          data.tasks.forEach(function (item) {
            var fresh = moved[item.id];
            if (fresh) { item.start = fresh.start; item.due = fresh.due; item.version = fresh.version; }
          });
          var others = answer.json.tasks.length - 1;
          var text = task.summary
            ? "“" + task.name + "” moved with its subtasks: " + (others + 1) + " tasks in all."
            : "“" + task.name + "” moved" + (others ? ", and " + others + " task" + (others > 1 ? "s" : "") + " depending on it." : ".");
          say([text].concat(answer.json.messages || []).join(" "), answer.json.messages && answer.json.messages.length ? "warning" : "success");
          root.dataset.lastMove = task.id;
          draw();
          // the critical path and the summary bars may have changed: read them again
          return load().then(function () {
            var fresh = null;
            data.tasks.forEach(function (item) { if (item.id === task.id) fresh = item; });
            announce((fresh ? "“" + fresh.name + "” now runs from " + fresh.start + " to " + fresh.due + "." : text) +
              (others ? " " + others + " other task" + (others > 1 ? "s" : "") + " moved with it." : ""));
          });
        }
        say(answer.json.message || "The move was refused.", "error");
        announce(answer.json.message || "The move was refused.");
        return answer.status === 409 ? load() : draw();
      }).catch(function () {
        say("The move could not be saved: check the connection and try again.", "error");
        draw();
      }).then(function () { saving = false; });
    }

    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        zoom = button.dataset.zoom;
        document.querySelectorAll("[data-zoom]").forEach(function (other) { other.classList.toggle("active", other === button); });
        if (data) draw();
      });
    });
    load().catch(function () { say("The chart could not be loaded.", "error"); });
  }

  function start() {
    var root = document.getElementById("gantt");
    if (root) Chart(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
