/* The opportunity pipeline (templates/opportunities/kanban.html): cards are dragged between stage columns with
   HTML5 drag and drop. A drop posts to the opportunity's move endpoint with the card's version, the same service
   and rules as the stage bar: on success the card stays in its new column and the columns' counts and sums are
   fetched again; on refusal (a closed deal reopened by a non-admin, a stale version, ...) the card goes back
   where it was and the reason is shown. Also: the period filter's custom dates show only for "From … to …". */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (error) { /* fall through to the form field */ }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- the period filter ------------------------------------------------------------------------------------
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

  // --- the board --------------------------------------------------------------------------------------------
  function Board(root) {
    var message = document.getElementById("kanban-message");
    var dragged = null;  // {card, from, next}

    function showMessage(text) {
      if (!message) return;
      message.textContent = text || "";
      message.classList.toggle("d-none", !text);
    }

    function columnOf(node) { return node.closest(".kanban-column"); }

    // Cards stay sorted by closing date (undated last), then id, like the server sends them.
    function insertSorted(list, card) {
      var key = card.dataset.closeDate || "9999-99-99";
      var id = parseInt(card.dataset.id, 10);
      var before = Array.prototype.find.call(list.querySelectorAll(".kanban-card"), function (other) {
        if (other === card) return false;
        var otherKey = other.dataset.closeDate || "9999-99-99";
        return otherKey > key || (otherKey === key && parseInt(other.dataset.id, 10) > id);
      });
      list.insertBefore(card, before || list.querySelector(".kanban-more"));
    }

    function putBack(moving) {
      var next = moving.next && moving.next.parentNode === moving.from ? moving.next : null;
      moving.from.insertBefore(moving.card, next);
    }

    function refreshTotals() {
      return fetch(root.dataset.totalsUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("The column totals could not be refreshed: reload the page.");
          return response.json();
        })
        .then(function (data) {
          root.querySelectorAll(".kanban-column").forEach(function (column) {
            var figures = data.columns[column.dataset.stage] || { count: 0, total: "0.00" };
            column.querySelector("[data-count]").textContent = String(figures.count);
            var total = column.querySelector("[data-total]");  // absent for who may not see amounts
            if (total && figures.total !== undefined) total.textContent = figures.total;
          });
        })
        .catch(function (error) { showMessage(error.message); });
    }

    function move(card, column) {
      var body = new URLSearchParams({ stage: column.dataset.stage, version: card.dataset.version });
      card.classList.add("kanban-saving");
      return fetch(card.dataset.moveUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { ok: response.ok && data.ok, status: response.status, data: data };
        });
      }).catch(function () {
        return { ok: false, status: 0, data: { error: "The server could not be reached: try again." } };
      });
    }

    root.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest(".kanban-card[draggable=true]");
      if (!card) return;
      dragged = { card: card, from: card.parentNode, next: card.nextElementSibling };
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.id);
      card.classList.add("kanban-dragging");
    });

    root.addEventListener("dragend", function (event) {
      var card = event.target.closest && event.target.closest(".kanban-card");
      if (card) card.classList.remove("kanban-dragging");
      dragged = null;  // dropped outside the board: nothing moves
      root.querySelectorAll(".kanban-over").forEach(function (node) { node.classList.remove("kanban-over"); });
    });

    root.addEventListener("dragover", function (event) {
      var column = dragged && columnOf(event.target);
      if (!column) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      root.querySelectorAll(".kanban-over").forEach(function (node) { if (node !== column) node.classList.remove("kanban-over"); });
      column.classList.add("kanban-over");
    });

    root.addEventListener("drop", function (event) {
      var column = dragged && columnOf(event.target);
      if (!column) return;
      event.preventDefault();
      column.classList.remove("kanban-over");
      var moving = dragged;
      dragged = null;
      if (columnOf(moving.from) === column) return;
      showMessage("");
      insertSorted(column.querySelector(".kanban-cards"), moving.card);
      move(moving.card, column).then(function (result) {
        moving.card.classList.remove("kanban-saving");
        if (result.ok) {
          moving.card.dataset.version = result.data.version;
          refreshTotals();
        } else {
          putBack(moving);
          showMessage(result.data.error || "The opportunity could not be moved (" + result.status + ").");
        }
      });
    });

    // A column's next page may bring a card that was dropped into it earlier: the copy in its place in the
    // order stays, the dropped one goes.
    root.addEventListener("htmx:load", function (event) {
      var card = event.target;
      if (!card.classList || !card.classList.contains("kanban-card")) return;
      root.querySelectorAll('.kanban-card[data-id="' + card.dataset.id + '"]').forEach(function (other) {
        if (other !== card) other.remove();
      });
    });
  }

  onReady(function () {
    periodForms();
    var root = document.getElementById("kanban");
    if (root) Board(root);
  });
})();
