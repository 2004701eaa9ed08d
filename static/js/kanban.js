/* The opportunity pipeline (templates/opportunities/kanban.html): cards are dragged between stage columns with
   pointer events (a mouse anywhere on the card, a finger or pen by the card's grip, so a swipe elsewhere still
   scrolls the board), or moved with the card's "move to stage" menu, which keyboard users need too. A move posts to the opportunity's move endpoint with the card's version, the same service
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

    // Put the card in its new column at once, post the move; a refusal puts it back and says why.
    function moveTo(moving, column) {
      if (columnOf(moving.from) === column) return Promise.resolve(false);
      showMessage("");
      insertSorted(column.querySelector(".kanban-cards"), moving.card);
      return move(moving.card, column).then(function (result) {
        moving.card.classList.remove("kanban-saving");
        if (result.ok) {
          moving.card.dataset.version = result.data.version;
          refreshTotals();
        } else {
          putBack(moving);
          showMessage(result.data.error || "The opportunity could not be moved (" + result.status + ").");
        }
        return result.ok;
      });
    }

    function picked(card) { return { card: card, from: card.parentNode, next: card.nextElementSibling }; }

    // --- dragging with pointer events ----------------------------------------------------------------------
    function columnAt(x, y) {
      var under = document.elementFromPoint(x, y);
      var column = under && under.closest(".kanban-column");
      return column && root.contains(column) ? column : null;
    }

    function highlight(column) {
      root.querySelectorAll(".kanban-over").forEach(function (node) { if (node !== column) node.classList.remove("kanban-over"); });
      if (column) column.classList.add("kanban-over");
    }

    // near the board's left or right edge, the board scrolls towards the columns out of sight
    function scrollNearEdge(x) {
      var box = root.getBoundingClientRect(), edge = 40;
      if (x > box.right - edge) root.scrollLeft += 20;
      else if (x < box.left + edge) root.scrollLeft -= 20;
    }

    root.addEventListener("pointerdown", function (down) {
      var card = down.target.closest && down.target.closest(".kanban-card.kanban-movable");
      if (!card || down.button !== 0 || down.target.closest(".kanban-move-toggle, .dropdown-menu")) return;
      if (down.pointerType !== "mouse" && !down.target.closest(".kanban-grip")) return;
      if (down.pointerType === "mouse") down.preventDefault();  // no text selection while dragging
      var ghost = null, target = null;
      card.setPointerCapture(down.pointerId);

      function follow(event) {
        if (!ghost) {
          if (Math.abs(event.clientX - down.clientX) + Math.abs(event.clientY - down.clientY) < 6) return;
          var box = card.getBoundingClientRect();
          ghost = card.cloneNode(true);
          ghost.removeAttribute("id");
          ghost.classList.add("kanban-ghost");
          ghost.setAttribute("aria-hidden", "true");
          ghost.style.width = box.width + "px";
          ghost.dataset.offsetX = down.clientX - box.left;
          ghost.dataset.offsetY = down.clientY - box.top;
          document.body.appendChild(ghost);
          card.classList.add("kanban-dragging");
        }
        ghost.style.left = (event.clientX - ghost.dataset.offsetX) + "px";
        ghost.style.top = (event.clientY - ghost.dataset.offsetY) + "px";
        scrollNearEdge(event.clientX);
        target = columnAt(event.clientX, event.clientY);
        highlight(target);
      }

      function finish(event) {
        card.removeEventListener("pointermove", follow);
        card.removeEventListener("pointerup", finish);
        card.removeEventListener("pointercancel", finish);
        highlight(null);
        if (!ghost) return;  // a press without a drag: a click, which follows the card's link
        ghost.remove();
        card.classList.remove("kanban-dragging");
        // the click that ends a drag must not open the card
        card.addEventListener("click", function swallow(click) {
          click.preventDefault();
          card.removeEventListener("click", swallow, true);
        }, true);
        var column = event.type === "pointerup" ? columnAt(event.clientX, event.clientY) || target : null;
        if (column) moveTo(picked(card), column);
      }

      card.addEventListener("pointermove", follow);
      card.addEventListener("pointerup", finish);
      card.addEventListener("pointercancel", finish);
    });

    // --- the "move to stage" menu ------------------------------------------------------------------------------
    // One menu serves every card: before Bootstrap opens it, it moves next to the pressed button and marks the
    // card's own stage. (Bootstrap listens on the document in the capture phase: the window's comes first.)
    var menu = document.getElementById("kanban-move-menu");
    var menuCard = null;
    if (menu) {
      window.addEventListener("click", function (click) {
        var toggle = click.target.closest && click.target.closest(".kanban-move-toggle");
        if (!toggle || !root.contains(toggle)) return;
        var card = toggle.closest(".kanban-card");
        if (menu.previousElementSibling !== toggle) {
          var open = root.querySelector(".kanban-move-toggle.show");
          if (open && window.bootstrap) window.bootstrap.Dropdown.getOrCreateInstance(open).hide();
          var instance = window.bootstrap && window.bootstrap.Dropdown.getInstance(toggle);
          if (instance) instance.dispose();
          toggle.after(menu);
        }
        menuCard = card;
        var stage = columnOf(card).dataset.stage;
        menu.querySelectorAll("[data-stage]").forEach(function (item) {
          var current = item.dataset.stage === stage;
          item.classList.toggle("active", current);
          item.disabled = current;
          if (current) item.setAttribute("aria-current", "true"); else item.removeAttribute("aria-current");
        });
      }, true);
      menu.addEventListener("click", function (click) {
        var item = click.target.closest("[data-stage]");
        if (!item || !menuCard) return;
        var card = menuCard, toggle = card.querySelector(".kanban-move-toggle");
        if (window.bootstrap) window.bootstrap.Dropdown.getOrCreateInstance(toggle).hide();
        var column = root.querySelector('.kanban-column[data-stage="' + item.dataset.stage + '"]');
        if (!column) return;
        moveTo(picked(card), column).then(function () {
          toggle.focus();  // the keyboard stays on the card, wherever it went
          card.scrollIntoView({ block: "nearest", inline: "nearest" });
        });
      });
    }

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
