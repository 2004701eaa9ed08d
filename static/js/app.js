/* OpenCRM behaviour: confirmations, list selection, type-ahead lookups, the search dropdown.
   No inline scripts anywhere (Content-Security-Policy); everything hooks in through data- attributes. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // Buttons and links with data-confirm ask first.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // List selection: select all, the count, and the bulk bar.
  function refreshSelection(form) {
    if (!form) return;
    var boxes = form.querySelectorAll("input[name=ids]");
    var checked = form.querySelectorAll("input[name=ids]:checked").length;
    var bar = form.querySelector("#bulk-bar");
    var counter = form.querySelector("[data-selected-count]");
    if (counter) counter.textContent = String(checked);
    if (bar) bar.classList.toggle("has-selection", checked > 0);
    var all = form.querySelector("[data-select-all]");
    if (all) all.checked = boxes.length > 0 && checked === boxes.length;
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("[data-select-all]")) {
      var form = el.closest("form");
      form.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = el.checked; });
      refreshSelection(form);
    } else if (el.matches("input[name=ids]")) {
      refreshSelection(el.closest("form"));
    }
  });

  // Type-ahead lookups: <select data-lookup-url> gets a search box; only chosen rows are ever rendered.
  function enhanceLookup(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    var wrapper = document.createElement("div");
    wrapper.className = "lookup-wrapper";
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(select);
    select.classList.add("lookup-hidden");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control lookup-input";
    input.autocomplete = "off";
    input.placeholder = "Type to search…";
    input.setAttribute("aria-label", (select.labels && select.labels[0] ? select.labels[0].textContent : "Search"));
    input.id = select.id + "-search";
    var chosen = select.options[select.selectedIndex];
    input.value = chosen && chosen.value ? chosen.textContent : "";
    var results = document.createElement("div");
    results.className = "list-group shadow-sm lookup-results";
    wrapper.insertBefore(input, select);
    wrapper.appendChild(results);
    var timer = null;
    var controller = null;

    function choose(id, text) {
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(id); });
      if (!option) {
        option = new Option(text, id);
        select.add(option);
      }
      select.value = String(id);
      input.value = id ? text : "";
      results.replaceChildren();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function search() {
      if (controller) controller.abort();
      controller = new AbortController();
      // the address may carry the asking form's values already (static/js/rules.js: a rule filters the lookup)
      var base = select.dataset.lookupUrl;
      var url = base + (base.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(input.value.trim());
      fetch(url, { signal: controller.signal, headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          results.replaceChildren();
          data.results.forEach(function (item) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "list-group-item list-group-item-action py-1 small";
            button.textContent = item.text;
            button.dataset.id = item.id;
            button.addEventListener("click", function () { choose(item.id, item.text); });
            results.appendChild(button);
          });
          if (!data.results.length) {
            var none = document.createElement("div");
            none.className = "list-group-item small text-secondary py-1";
            none.textContent = "Nothing found";
            results.appendChild(none);
          }
        })
        .catch(function () { /* aborted or offline: keep the current list */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (!input.value.trim()) { choose("", ""); return; }
      timer = setTimeout(search, 200);
    });
    input.addEventListener("focus", function () {
      // a lookup that holds its chosen record does not search for that record's own name again
      var current = select.options[select.selectedIndex];
      if (current && current.value && input.value === current.textContent) return;
      if (!results.children.length) search();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") results.replaceChildren();
      if (event.key === "Enter") {
        var first = results.querySelector("button");
        if (first) { event.preventDefault(); first.click(); }
      }
    });
    document.addEventListener("click", function (event) {
      if (!wrapper.contains(event.target)) results.replaceChildren();
    });
  }

  function enhance(root) {
    (root || document).querySelectorAll("select[data-lookup-url]").forEach(function (select) {
      if (select.dataset.lookupUrl) enhanceLookup(select);
    });
    (root || document).querySelectorAll("#bulk-form").forEach(refreshSelection);
  }

  // The global search dropdown closes on Escape or a click elsewhere.
  document.addEventListener("click", function (event) {
    var dropdown = document.getElementById("search-dropdown");
    if (dropdown && !event.target.closest(".topbar-search")) dropdown.replaceChildren();
  });
  document.addEventListener("keydown", function (event) {
    var dropdown = document.getElementById("search-dropdown");
    if (event.key === "Escape" && dropdown) dropdown.replaceChildren();
  });

  // List updates keep a short URL that can be bookmarked: empty filter fields are left out of GET requests.
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (event.detail.verb !== "get" || !data) return;
    var empty = [];
    data.forEach(function (value, key) {
      if (empty.indexOf(key) < 0 && data.getAll(key).every(function (v) { return v === ""; })) empty.push(key);
    });
    empty.forEach(function (key) { data.delete(key); });
  });

  onReady(function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
  // Tabs: mark the clicked tab active.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var tab = event.target.closest && event.target.closest("[data-tab]");
    if (!tab) return;
    var nav = tab.closest(".nav");
    nav.querySelectorAll(".nav-link, .dropdown-item").forEach(function (link) { link.classList.remove("active"); });
    tab.classList.add("active");
    // a tab of the "More" menu: the menu's button shows that the open tab is in it
    var menu = tab.closest(".dropdown");
    if (menu) menu.querySelector(".dropdown-toggle").classList.add("active");
  });
})();
