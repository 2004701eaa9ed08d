/* The feed: @mention suggestions in the composer and comment boxes, and a fresh composer after posting.
   Hooks in through data- attributes and delegated events, so it works in htmx-loaded tabs too. */
(function () {
  "use strict";

  // "@" at the start or after a space or bracket, then what is typed so far (a user name, or "First Last").
  var MENTION = /(^|[\s(])@([\w.+-]{0,30}(?: [\w-]{0,30})?)$/;
  var menu = null;
  var timer = null;
  var controller = null;

  function closeMenu() {
    if (menu) menu.remove();
    menu = null;
  }

  function typedMention(field) {
    var before = field.value.slice(0, field.selectionStart);
    var match = MENTION.exec(before);
    if (!match) return null;
    return { query: match[2], start: before.length - match[2].length - 1, end: field.selectionStart };
  }

  function insert(field, found, username) {
    var text = "@" + username + " ";
    field.value = field.value.slice(0, found.start) + text + field.value.slice(found.end);
    var caret = found.start + text.length;
    field.focus();
    field.setSelectionRange(caret, caret);
    closeMenu();
  }

  function activeItem() {
    return menu ? menu.querySelector(".dropdown-item.active") : null;
  }

  function move(step) {
    var items = Array.prototype.slice.call(menu.querySelectorAll(".dropdown-item"));
    var index = items.indexOf(activeItem());
    items[index].classList.remove("active");
    items[(index + step + items.length) % items.length].classList.add("active");
  }

  function showMenu(field, found, results) {
    closeMenu();
    if (!results.length) return;
    menu = document.createElement("ul");
    menu.className = "dropdown-menu show shadow-sm mention-menu";
    menu.setAttribute("role", "listbox");
    menu.setAttribute("aria-label", "People to mention");
    results.forEach(function (person, index) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dropdown-item small" + (index === 0 ? " active" : "");
      button.setAttribute("role", "option");
      button.dataset.username = person.username;
      button.textContent = person.name + " ";
      var handle = document.createElement("span");
      handle.className = "opacity-75";
      handle.textContent = "@" + person.username;
      button.appendChild(handle);
      // mousedown, not click: the field keeps its focus and caret
      button.addEventListener("mousedown", function (event) {
        event.preventDefault();
        insert(field, found, person.username);
      });
      item.appendChild(button);
      menu.appendChild(item);
    });
    menu.field = field;
    menu.found = found;
    (field.closest(".position-relative") || field.parentNode).appendChild(menu);
  }

  function suggest(field) {
    var found = typedMention(field);
    if (!found) { closeMenu(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    var url = field.dataset.mentionUrl + "?q=" + encodeURIComponent(found.query);
    fetch(url, { signal: controller.signal, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { showMenu(field, found, data.results); })
      .catch(function () { /* aborted by the next keystroke, or offline */ });
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-mention-url]")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(field); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    if (!menu || event.target !== menu.field) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" || event.key === "Tab") {
      var item = activeItem();
      if (item) {
        event.preventDefault();
        insert(menu.field, menu.found, item.dataset.username);
      }
    } else if (event.key === "Escape") {
      closeMenu();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (menu && event.target === menu.field) setTimeout(closeMenu, 150);
  });

  // The server says "feed-posted" (HX-Trigger) when a post was written: empty the composer.
  document.addEventListener("feed-posted", function (event) {
    var form = event.target.closest ? event.target.closest("form") : null;
    if (form) form.reset();
    var errors = document.getElementById("composer-errors");
    if (errors) errors.replaceChildren();
    var empty = document.getElementById("feed-empty");
    if (empty) empty.remove();
  });
})();
