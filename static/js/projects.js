/* A project's record page (Structure tab): indents the task tree by depth, fills the "Under" choice when a row's
   "add a subtask" button is pressed, and lets a task be dragged onto another task (to go under it) or onto the
   "top level" strip. A drop posts to the task's parent endpoint with the task's version, the same service as the
   form: the answer is the tab again, with the reason when the move was refused (a cycle, a stale version). */
(function () {
  "use strict";

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (error) { /* fall through */ }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function indent(root) {
    root.querySelectorAll("[data-indent]").forEach(function (cell) {
      cell.style.paddingLeft = (0.25 + 1.25 * parseInt(cell.dataset.indent || "0", 10)) + "rem";
    });
  }

  function reparent(structure, taskId, version, parentId) {
    var url = structure.dataset.parentUrlTemplate.replace("/0/", "/" + taskId + "/");
    var body = new URLSearchParams({ parent: parentId, version: version });
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
      credentials: "same-origin"
    }).then(function (response) { return response.text(); }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.firstElementChild;
      if (!fresh) return;
      structure.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
      setup(fresh);
    });
  }

  function clearTargets(structure) {
    structure.querySelectorAll(".drop-target").forEach(function (node) {
      node.classList.remove("drop-target", "table-primary", "border-primary");
    });
  }

  function setup(structure) {
    if (!structure || structure.dataset.ready) return;
    structure.dataset.ready = "1";
    indent(structure);
    structure.addEventListener("click", function (event) {
      var button = event.target.closest("[data-add-under]");
      if (!button) return;
      var select = structure.querySelector("#task-parent");
      var name = structure.querySelector("#task-name");
      if (select) select.value = button.dataset.addUnder;
      var shown = structure.querySelector("#task-parent-name");
      var row = button.closest("tr[data-task]");
      if (shown && row) shown.textContent = "under “" + row.querySelector("a").textContent + "”";
      if (name) { name.focus(); name.scrollIntoView({ block: "center" }); }
    });
    var dragged = null;
    structure.addEventListener("dragstart", function (event) {
      var row = event.target.closest("tr[data-task]");
      if (!row) return;
      dragged = row;
      row.classList.add("opacity-50");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.task);
    });
    structure.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("opacity-50");
      clearTargets(structure);
      dragged = null;
    });
    function target(event) {
      return event.target.closest("tr[data-task], [data-drop-root]");
    }
    structure.addEventListener("dragover", function (event) {
      var over = target(event);
      if (!dragged || !over || over === dragged) return;
      event.preventDefault();
      clearTargets(structure);
      over.classList.add("drop-target", "table-primary", "border-primary");
    });
    structure.addEventListener("drop", function (event) {
      var over = target(event);
      if (!dragged || !over || over === dragged) return;
      event.preventDefault();
      var parentId = over.hasAttribute("data-drop-root") ? "" : over.dataset.task;
      reparent(structure, dragged.dataset.task, dragged.dataset.version, parentId);
    });
  }

  function scan() {
    document.querySelectorAll("[data-structure]").forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan); else scan();
  document.addEventListener("htmx:load", scan);
  document.addEventListener("htmx:afterSwap", scan);
})();
