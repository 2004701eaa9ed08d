/* The activities calendar (templates/activities/calendar.html). It draws the events of the shown period from
   the JSON endpoint and lets the user drag over empty time to schedule, drag an event to move it and its lower
   edge to change its length. Moves go through the same update service as the form, with the version the
   calendar drew: a stale move is refused, the reason shown and the event snaps back.

   Times travel as "YYYY-MM-DDTHH:MM" in the server's time zone; here they are counted in minutes with UTC
   arithmetic, so the browser's own time zone never shifts anything. */
(function () {
  "use strict";

  var DAY = 1440;
  var STRIP_LIMIT = 3;   // due items a day shows above the time grid before "+N more"
  var MONTH_LIMIT = 3;   // items a month cell shows before "+N more" (a link to the day)
  var MAX_LANES = 4;     // events side by side in a day column; more overlapping ones collapse into "+N"

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // --- times ------------------------------------------------------------------------------------------------
  function toMinutes(text) {
    var d = text.slice(0, 10).split("-"), t = text.slice(11, 16).split(":");
    return Date.UTC(+d[0], +d[1] - 1, +d[2], +(t[0] || 0), +(t[1] || 0)) / 60000;
  }
  function fromMinutes(minutes) { return new Date(minutes * 60000).toISOString().slice(0, 16); }
  function clock(minutes) { return fromMinutes(minutes).slice(11, 16); }
  function dateOf(minutes) { return fromMinutes(minutes).slice(0, 10); }

  // --- the server ---------------------------------------------------------------------------------------------
  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (error) { /* fall through to the form field */ }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(url, data) {
    return fetch(url, {
      method: "POST",
      body: new URLSearchParams(data),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { ok: response.ok, status: response.status, data: json };
      });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function Calendar(root) {
    var view = root.dataset.view;
    var scale = parseInt(root.dataset.scale, 10) || 30;
    var firstDay = toMinutes(root.dataset.rangeStart + "T00:00");
    var lastDay = toMinutes(root.dataset.rangeEnd + "T00:00");
    var canCreate = root.dataset.canCreate === "1";
    var message = document.getElementById("calendar-message");
    var body = root.querySelector(".calendar-body");
    var events = [];

    function showMessage(text) {
      if (!message) return;
      message.textContent = text;
      message.classList.toggle("d-none", !text);
    }

    function pixelsPerMinute() {
      var slot = root.querySelector(".calendar-slot");
      return slot ? slot.getBoundingClientRect().height / scale : 1;
    }

    function dayColumns() { return Array.prototype.slice.call(root.querySelectorAll(".calendar-day")); }
    function monthCells() { return Array.prototype.slice.call(root.querySelectorAll(".calendar-month-day")); }

    function columnAt(columns, clientX, clientY) {
      return columns.find(function (column) {
        var box = column.getBoundingClientRect();
        return clientX >= box.left && clientX < box.right && (clientY === undefined || (clientY >= box.top && clientY < box.bottom));
      });
    }

    function minuteIn(column, clientY) {
      var minute = (clientY - column.getBoundingClientRect().top) / pixelsPerMinute();
      return Math.max(0, Math.min(DAY - 1, minute));
    }

    function snapDown(minute) { return Math.floor(minute / scale) * scale; }
    function snap(minute) { return Math.round(minute / scale) * scale; }

    // --- loading and drawing -------------------------------------------------------------------------------
    function load() {
      var params = new URLSearchParams({
        start: root.dataset.rangeStart,
        end: dateOf(lastDay + DAY),
        user: root.dataset.user
      });
      if (root.dataset.final === "1") params.set("final", "1");
      return fetch(root.dataset.eventsUrl + "?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("The calendar could not be loaded.");
          return response.json();
        })
        .then(function (data) {
          events = data.events.map(function (event) {
            event.startMinutes = toMinutes(event.start);
            event.endMinutes = toMinutes(event.end);
            return event;
          });
          draw();
        })
        .catch(function (error) { showMessage(error.message); });
    }

    function clear() {
      root.querySelectorAll(".calendar-event, .calendar-chip, .calendar-more").forEach(function (node) { node.remove(); });
    }

    function label(event) {
      return (event.account ? event.account + " · " : "") + event.title;
    }

    function tooltip(event) {
      return label(event) + "\n" + event.start.replace("T", " ") + " – " + event.end.replace("T", " ") + "\n" + event.status;
    }

    function chip(event) {
      var node = el("a", "calendar-chip state-" + event.state + (event.editable ? " editable" : ""));
      node.href = event.url;
      node.draggable = false;
      node.title = tooltip(event);
      node.dataset.eventId = event.id;
      node.textContent = (event.kind === "due" ? "due " + clock(event.endMinutes) : clock(event.startMinutes)) + " " + label(event);
      return node;
    }

    function draw() {
      clear();
      if (view === "month") drawMonth(); else drawGrid();
    }

    // A few items per day, then "+N more": a day with four hundred due tasks stays one line high.
    function more(count, href) {
      var node = el(href ? "a" : "button", "calendar-more", "+" + count + " more");
      if (href) node.href = href; else node.type = "button";
      return node;
    }

    function dayHref(date) {
      var params = new URLSearchParams(window.location.search);
      params.set("view", "day");
      params.set("date", date);
      return "?" + params.toString();
    }

    function drawMonth() {
      var cells = {};
      monthCells().forEach(function (cell) { cells[cell.dataset.date] = { box: cell.querySelector(".calendar-month-events"), timed: [], due: [] }; });
      events.forEach(function (event) {
        if (event.kind === "due") {
          if (cells[event.day]) cells[event.day].due.push(event);
          return;
        }
        var last = Math.max(event.endMinutes - 1, event.startMinutes);
        for (var day = Math.floor(event.startMinutes / DAY) * DAY; day <= last; day += DAY) {
          if (cells[dateOf(day)]) cells[dateOf(day)].timed.push(event);
        }
      });
      Object.keys(cells).forEach(function (date) {
        var cell = cells[date], items = cell.timed.concat(cell.due);
        items.slice(0, MONTH_LIMIT).forEach(function (event) {
          var node = chip(event);
          if (event.editable && event.kind !== "due") makeMovableInMonth(node, event);
          cell.box.appendChild(node);
        });
        if (items.length > MONTH_LIMIT) cell.box.appendChild(more(items.length - MONTH_LIMIT, dayHref(date)));
      });
    }

    function drawStrip() {
      var strip = {};
      root.querySelectorAll(".calendar-allday-cell").forEach(function (cell) { strip[cell.dataset.date] = []; });
      events.forEach(function (event) {
        if (event.kind === "due" && strip[event.day]) strip[event.day].push(event);
      });
      root.querySelectorAll(".calendar-allday-cell").forEach(function (cell) {
        var items = strip[cell.dataset.date];
        items.forEach(function (event, index) {
          var node = chip(event);
          if (index >= STRIP_LIMIT) node.classList.add("calendar-overflow");
          cell.appendChild(node);
        });
        if (items.length > STRIP_LIMIT) {
          var button = more(items.length - STRIP_LIMIT);
          button.setAttribute("aria-expanded", "false");
          button.addEventListener("click", function () {
            var open = cell.classList.toggle("expanded");
            button.setAttribute("aria-expanded", open ? "true" : "false");
            button.textContent = open ? "Fewer" : "+" + (items.length - STRIP_LIMIT) + " more";
          });
          cell.appendChild(button);
        }
      });
    }

    function drawGrid() {
      drawStrip();
      var columns = {};
      dayColumns().forEach(function (column) { columns[column.dataset.date] = column; });
      var perDay = {};
      var perMinute = pixelsPerMinute();
      events.forEach(function (event) {
        if (event.kind === "due") return;
        // an activity crossing midnight is drawn in each day it touches
        var end = Math.max(event.endMinutes, event.startMinutes + 1);
        for (var dayStart = Math.floor(event.startMinutes / DAY) * DAY; dayStart < end; dayStart += DAY) {
          var column = columns[dateOf(dayStart)];
          if (!column) continue;
          var from = Math.max(event.startMinutes, dayStart) - dayStart;
          var to = Math.min(end, dayStart + DAY) - dayStart;
          (perDay[column.dataset.date] = perDay[column.dataset.date] || []).push({
            event: event, column: column, from: from, to: to, last: end <= dayStart + DAY
          });
        }
      });
      Object.keys(perDay).forEach(function (date) { layOut(perDay[date], perMinute); });
    }

    // Overlapping events share their column side by side.
    function layOut(segments, perMinute) {
      segments.sort(function (a, b) { return a.from - b.from || b.to - a.to; });
      var cluster = [], clusterEnd = -1;
      function flush() {
        var lanes = [];
        cluster.forEach(function (segment) {
          var lane = lanes.findIndex(function (laneEnd) { return laneEnd <= segment.from; });
          if (lane === -1) { lane = lanes.length; lanes.push(0); }
          lanes[lane] = Math.max(segment.to, segment.from + scale / 2);
          segment.lane = lane;
        });
        // as many lanes as the column has room for (about 45 px each), two at least
        var width = cluster[0].column.getBoundingClientRect().width;
        var limit = Math.max(2, Math.min(view === "day" ? 2 * MAX_LANES : MAX_LANES, Math.floor(width / 45)));
        if (lanes.length <= limit) {
          cluster.forEach(function (segment) { place(segment, lanes.length, perMinute); });
        } else {
          // too many at once to read side by side: the first lanes, then one "+N" for the rest
          var hidden = cluster.filter(function (segment) { return segment.lane >= limit - 1; });
          cluster.forEach(function (segment) { if (segment.lane < limit - 1) place(segment, limit, perMinute); });
          placeMore(hidden, limit, perMinute);
        }
        cluster = [];
      }
      segments.forEach(function (segment) {
        if (cluster.length && segment.from >= clusterEnd) flush();
        cluster.push(segment);
        clusterEnd = Math.max(clusterEnd, segment.to, segment.from + scale / 2);
      });
      if (cluster.length) flush();
    }

    function place(segment, lanes, perMinute) {
      var event = segment.event;
      var node = el("a", "calendar-event state-" + event.state + (event.editable ? " editable" : ""));
      node.href = event.url;
      node.draggable = false;
      node.title = tooltip(event);
      node.dataset.eventId = event.id;
      node.appendChild(el("div", "calendar-event-time", clock(event.startMinutes) + "–" + clock(event.endMinutes)));
      node.appendChild(el("div", "calendar-event-title", label(event)));
      setBox(node, segment.from, segment.to, perMinute);
      if ((segment.to - segment.from) * perMinute < 30) node.classList.add("short");  // one line: time and title
      node.style.left = "calc(" + (100 * segment.lane / lanes) + "% + 2px)";
      node.style.width = "calc(" + (100 / lanes) + "% - 4px)";
      node.style.right = "auto";
      if (event.editable) {
        var handle = null;
        if (segment.last) {
          handle = el("div", "calendar-event-resize");
          handle.setAttribute("aria-hidden", "true");
          node.appendChild(handle);
          makeResizable(handle, node, event);
        }
        makeMovable(node, event, segment.column);
      }
      segment.column.appendChild(node);
    }

    function placeMore(hidden, lanes, perMinute) {
      var column = hidden[0].column;
      var node = more(hidden.length, view === "day" ? null : dayHref(column.dataset.date));
      node.classList.add("calendar-more-events");
      node.textContent = "+" + hidden.length;
      node.title = hidden.map(function (segment) { return clock(segment.event.startMinutes) + " " + label(segment.event); }).join("\n");
      node.setAttribute("aria-label", hidden.length + " more activities at this time");
      var from = Math.min.apply(null, hidden.map(function (segment) { return segment.from; }));
      setBox(node, from, from + scale, perMinute);
      node.style.left = "calc(" + (100 * (lanes - 1) / lanes) + "% + 2px)";
      node.style.width = "calc(" + (100 / lanes) + "% - 4px)";
      column.appendChild(node);
    }

    function setBox(node, from, to, perMinute) {
      node.style.top = (from * perMinute) + "px";
      node.style.height = Math.max((to - from) * perMinute, perMinute * scale / 2) + "px";
    }

    // --- saving a move or resize ---------------------------------------------------------------------------
    function reschedule(event, start, end) {
      showMessage("");
      return send(root.dataset.moveUrl.replace(/\/0\/move\/$/, "/" + event.id + "/move/"), {
        start: fromMinutes(start),
        due: fromMinutes(end),
        version: event.version
      }).then(function (result) {
        if (!result.ok) showMessage(result.data.error || "The activity could not be moved.");
        return load();  // a refused move snaps back; a saved one shows its new version
      }).catch(function () {
        showMessage("The activity could not be moved: the server did not answer.");
        return load();
      });
    }

    // Dragging: a press that moves more than a few pixels is a drag; otherwise the click follows the link.
    function track(node, onMove, onDrop) {
      node.addEventListener("pointerdown", function (down) {
        if (down.button !== 0) return;
        down.preventDefault();
        down.stopPropagation();
        var dragged = false;
        node.setPointerCapture(down.pointerId);
        function move(event) {
          if (!dragged && Math.abs(event.clientX - down.clientX) + Math.abs(event.clientY - down.clientY) < 5) return;
          dragged = true;
          node.classList.add("dragging");
          onMove(event, down);
        }
        function up(event) {
          node.removeEventListener("pointermove", move);
          node.removeEventListener("pointerup", up);
          node.removeEventListener("pointercancel", up);
          node.classList.remove("dragging");
          if (dragged) {
            // the click that ends a drag must not follow the link
            node.addEventListener("click", function swallow(click) {
              click.preventDefault();
              node.removeEventListener("click", swallow, true);
            }, true);
            onDrop(event, down);
          }
        }
        node.addEventListener("pointermove", move);
        node.addEventListener("pointerup", up);
        node.addEventListener("pointercancel", up);
      });
    }

    function makeMovable(node, event, column) {
      var columns = dayColumns();
      var length = event.endMinutes - event.startMinutes;
      var grabbed = event.startMinutes - toMinutes(column.dataset.date + "T00:00");
      var target = null;
      track(node, function (pointer, down) {
        var perMinute = pixelsPerMinute();
        var column = columnAt(columns, pointer.clientX) || node.parentNode;
        var offset = snap((pointer.clientY - down.clientY) / perMinute);
        var from = Math.max(0, Math.min(DAY - scale, snap(grabbed + offset)));
        var day = toMinutes(column.dataset.date + "T00:00");
        target = day + from;
        if (node.parentNode !== column) column.appendChild(node);
        setBox(node, from, from + length, perMinute);
        node.querySelector(".calendar-event-time").textContent = clock(target) + "–" + clock(target + length);
      }, function () {
        if (target !== null && target !== event.startMinutes) reschedule(event, target, target + length);
        else draw();
      });
    }

    function makeResizable(handle, node, event) {
      var end = null;
      track(handle, function (pointer) {
        var column = node.parentNode;
        var day = toMinutes(column.dataset.date + "T00:00");
        var minute = snap(minuteIn(column, pointer.clientY));
        end = Math.max(day + minute, event.startMinutes + scale);
        var perMinute = pixelsPerMinute();
        setBox(node, Math.max(event.startMinutes - day, 0), end - day, perMinute);
        node.querySelector(".calendar-event-time").textContent = clock(event.startMinutes) + "–" + clock(end);
      }, function () {
        if (end !== null && end !== event.endMinutes) reschedule(event, event.startMinutes, end);
        else draw();
      });
    }

    function makeMovableInMonth(node, event) {
      var cells = monthCells();
      var target = null;
      track(node, function (pointer) {
        cells.forEach(function (cell) { cell.classList.remove("drop-target"); });
        target = columnAt(cells, pointer.clientX, pointer.clientY) || null;
        if (target) target.classList.add("drop-target");
      }, function () {
        cells.forEach(function (cell) { cell.classList.remove("drop-target"); });
        if (!target) return draw();
        var shift = toMinutes(target.dataset.date + "T00:00") - Math.floor(event.startMinutes / DAY) * DAY;
        if (shift) reschedule(event, event.startMinutes + shift, event.endMinutes + shift); else draw();
      });
    }

    // --- creating by dragging over empty time --------------------------------------------------------------
    var modalElement = document.getElementById("quick-create");
    var form = document.getElementById("quick-create-form");
    var selection = null;

    function openQuickCreate(start, end) {
      if (!modalElement || !window.bootstrap) return;
      form.reset();
      form.querySelector("[name=start]").value = fromMinutes(start);
      form.querySelector("[name=due]").value = fromMinutes(end);
      var errors = document.getElementById("quick-create-errors");
      errors.classList.add("d-none");
      errors.textContent = "";
      window.bootstrap.Modal.getOrCreateInstance(modalElement).show();
    }

    function dropSelection() {
      if (selection) selection.remove();
      selection = null;
    }

    if (modalElement) {
      modalElement.addEventListener("shown.bs.modal", function () { form.querySelector("[name=title]").focus(); });
      modalElement.addEventListener("hidden.bs.modal", dropSelection);
      form.addEventListener("submit", function (submit) {
        submit.preventDefault();
        var button = document.getElementById("quick-create-save");
        button.disabled = true;
        send(form.action, new FormData(form)).then(function (result) {
          button.disabled = false;
          if (!result.ok) {
            var errors = document.getElementById("quick-create-errors");
            errors.textContent = result.data.error || "The activity could not be saved.";
            errors.classList.remove("d-none");
            return;
          }
          window.bootstrap.Modal.getOrCreateInstance(modalElement).hide();
          showMessage("");
          load();
        }).catch(function () { button.disabled = false; });
      });
    }

    if (canCreate && view !== "month") {
      dayColumns().forEach(function (column) {
        column.addEventListener("pointerdown", function (down) {
          if (down.button !== 0 || down.target.closest(".calendar-event, .calendar-more")) return;
          down.preventDefault();
          dropSelection();
          column.setPointerCapture(down.pointerId);
          var day = toMinutes(column.dataset.date + "T00:00");
          var anchor = snapDown(minuteIn(column, down.clientY));
          var range = [anchor, anchor + scale];
          selection = el("div", "calendar-selection");
          column.appendChild(selection);
          function update(pointer) {
            var minute = snapDown(minuteIn(column, pointer.clientY));
            range = [Math.min(anchor, minute), Math.max(anchor, minute) + scale];
            setBox(selection, range[0], range[1], pixelsPerMinute());
          }
          function up() {
            column.removeEventListener("pointermove", update);
            column.removeEventListener("pointerup", up);
            column.removeEventListener("pointercancel", cancel);
            openQuickCreate(day + range[0], day + range[1]);
          }
          function cancel() {
            column.removeEventListener("pointermove", update);
            column.removeEventListener("pointerup", up);
            column.removeEventListener("pointercancel", cancel);
            dropSelection();
          }
          update(down);
          column.addEventListener("pointermove", update);
          column.addEventListener("pointerup", up);
          column.addEventListener("pointercancel", cancel);
        });
      });
    }

    if (canCreate && view === "month") {
      monthCells().forEach(function (cell) {
        cell.addEventListener("click", function (click) {
          if (click.target.closest("a")) return;
          var day = toMinutes(cell.dataset.date + "T09:00");
          openQuickCreate(day, day + 30);
        });
      });
    }

    if (body) body.scrollTop = 7 * 60 * pixelsPerMinute();  // the working day in view
    load();
  }

  onReady(function () {
    document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    var root = document.getElementById("calendar");
    if (root && phoneWeek(root)) return;
    if (root) Calendar(root);
  });

  // On a phone seven columns are 45 px each, too narrow to read or to tap: a week asked for without a view
  // (from the menu, a bookmark) opens as the day, today if it is in that week, which the view links can change.
  function phoneWeek(root) {
    var params = new URLSearchParams(window.location.search);
    if (root.dataset.view !== "week" || params.has("view")) return false;
    if (!window.matchMedia("(max-width: 575.98px)").matches) return false;
    var today = root.dataset.today;
    var inWeek = today >= root.dataset.rangeStart && today <= root.dataset.rangeEnd;
    params.set("view", "day");
    params.set("date", inWeek ? today : root.dataset.rangeStart);
    window.location.replace("?" + params.toString());
    return true;
  }
})();
