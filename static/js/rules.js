/* Business rules in the record form, live: a form with data-rules="<id of a json_script>" gets the section's
   rules (crm.designer.rules.client_rules) and, whenever a field changes, hides or shows fields, locks them,
   marks them required, limits the options a select offers and sets values from formulas. The server enforces
   the same rules on save (crm.designer.rules.enforce); this only spares the user a refused save.
   Values compare as on the server: a reference by its id, a choice by its code, numbers as numbers, dates as
   ISO text. */
(function () {
  "use strict";

  var NUMBER = /^-?\d+(\.\d+)?$/;

  function isNumber(text) { return NUMBER.test(String(text).trim()); }

  function same(left, right) {
    left = String(left === null || left === undefined ? "" : left).trim();
    right = String(right === null || right === undefined ? "" : right).trim();
    if (isNumber(left) && isNumber(right)) return Number(left) === Number(right);
    return left.toLowerCase() === right.toLowerCase();
  }

  function compare(value, operator, expected) {
    var text = String(value === null || value === undefined ? "" : value).trim();
    if (operator === "filled") return text !== "" && text !== "false";
    if (operator === "empty") return text === "" || text === "false";
    if (operator === "in") return (expected || []).some(function (option) { return same(text, option); });
    if (operator === "equals") return same(text, expected);
    if (operator === "not_equals") return !same(text, expected);
    if (text === "") return false;
    var a = text, b = String(expected);
    if (isNumber(a) && isNumber(b)) { a = Number(a); b = Number(b); }
    return operator === "greater" ? a > b : a < b;
  }

  function holds(rule, valueOf) {
    if (!rule.conditions.length) return true;
    var results = rule.conditions.map(function (c) { return compare(valueOf(c.field), c.operator, c.value); });
    return rule.match === "any" ? results.indexOf(true) !== -1 : results.indexOf(false) === -1;
  }

  // --- formulas: the tree the server parsed -------------------------------------------------------------
  function toDate(value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
    return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
  }
  function isoDate(time) { return new Date(time).toISOString().slice(0, 10); }
  var DAY = 86400000;

  function evaluate(tree, valueOf) {
    var kind = tree[0];
    if (kind === "num") return Number(tree[1]);
    if (kind === "text" || kind === "date") return tree[1];
    if (kind === "field") { var v = valueOf(tree[1]); return v === "" ? null : v; }
    if (kind === "neg") { var n = evaluate(tree[1], valueOf); return n === null ? null : -Number(n); }
    if (kind === "call") {
      if (tree[1] === "today") return isoDate(Date.now());
      var args = tree[2].map(function (argument) { return evaluate(argument, valueOf); });
      if (args.some(function (a) { return a === null; })) return null;
      if (tree[1] === "add_days") {
        var start = toDate(args[0]);
        return start === null ? null : isoDate(start + Math.trunc(Number(args[1])) * DAY);
      }
      if (tree[1] === "days_between") {
        var from = toDate(args[0]), to = toDate(args[1]);
        return from === null || to === null ? null : Math.round((to - from) / DAY);
      }
      return null;
    }
    var left = evaluate(tree[2], valueOf), right = evaluate(tree[3], valueOf);
    if (left === null || right === null) return null;
    var operator = tree[1];
    if (operator === "+" && !(isNumber(left) && isNumber(right))) return String(left) + String(right);
    left = Number(left); right = Number(right);
    if (isNaN(left) || isNaN(right)) return null;
    if (operator === "+") return left + right;
    if (operator === "-") return left - right;
    if (operator === "*") return left * right;
    return right === 0 ? null : left / right;
  }

  function shown(result) {
    if (result === null || result === undefined) return "";
    if (typeof result === "number") return String(Math.round(result * 100) / 100);
    return String(result);
  }

  // --- the form ------------------------------------------------------------------------------------------
  function setUp(form) {
    var source = document.getElementById(form.getAttribute("data-rules"));
    if (!source) return;
    var rules = JSON.parse(source.textContent);

    function input(name) { return form.elements.namedItem(name); }
    function wrapper(name) {
      var el = input(name);
      if (!el || el.length !== undefined && !el.tagName) return null;
      return form.querySelector("#div_id_" + name) || el.closest(".mb-3") || el.parentElement;
    }
    function valueOf(name) {
      var el = input(name);
      if (!el) return "";
      if (el.type === "checkbox") return el.checked ? "true" : "false";
      return String(el.value || "").trim();
    }
    function feedback(name) {
      var box = wrapper(name);
      if (!box) return null;
      var note = box.querySelector(".rule-feedback");
      if (!note) {
        note = document.createElement("div");
        note.className = "invalid-feedback d-block rule-feedback";
        box.appendChild(note);
      }
      return note;
    }

    // the type-ahead of a lookup a filter rule limits sends the rule's section and field and the values its
    // conditions read (crm.designer.rules.lookup_limit); static/js/app.js adds what the user typed
    function lookupAsks(el, name) {
      if (el.dataset.lookupBase === undefined) el.dataset.lookupBase = el.dataset.lookupUrl;
      if (!el.dataset.lookupBase) return;
      var params = new URLSearchParams(), section = "";
      rules.forEach(function (rule) {
        if (rule.action !== "filter" || rule.target !== name) return;
        section = rule.section;
        rule.conditions.forEach(function (c) { params.set(c.field, valueOf(c.field)); });
      });
      if (!section) return;
      params.set("rules_section", section);
      params.set("rules_field", name);
      el.dataset.lookupUrl = el.dataset.lookupBase + "?" + params.toString();
    }

    // a field a rule hides or locks goes back to what it held when the form opened (a new record's default):
    // the server refuses any other value there; what the user had typed comes back when the rule lets go
    function current(el) { return el.type === "checkbox" ? (el.checked ? "true" : "false") : el.value; }
    function put(el, value) {
      if (el.type === "checkbox") el.checked = value === "true";
      else el.value = value;
      var search = el.tagName === "SELECT" && document.getElementById(el.id + "-search");
      if (search) {  // a type-ahead (static/js/app.js) shows the chosen option's text
        var chosen = el.options[el.selectedIndex];
        search.value = chosen && chosen.value ? chosen.textContent : "";
      }
    }
    function initial(el) {
      if (el.type === "checkbox") return el.defaultChecked ? "true" : "false";
      if (el.tagName !== "SELECT") return el.defaultValue;
      var chosen = Array.prototype.find.call(el.options, function (option) { return option.defaultSelected; });
      return chosen ? chosen.value : (el.options.length ? el.options[0].value : "");
    }
    function hold(el, held) {
      if (held && el.dataset.ruleHeld === undefined) {
        el.dataset.ruleHeld = current(el);
        if (current(el) !== initial(el)) put(el, initial(el));
      } else if (!held && el.dataset.ruleHeld !== undefined) {
        if (current(el) === initial(el)) put(el, el.dataset.ruleHeld);
        delete el.dataset.ruleHeld;
      }
    }

    function apply() {
      var computed = {};
      rules.forEach(function (rule) {
        if (rule.action !== "set_value" || !rule.formula || !holds(rule, valueOf)) return;
        var el = input(rule.target);
        var value = shown(evaluate(rule.formula, valueOf));
        computed[rule.target] = true;
        if (el && el.tagName && el.value !== value) el.value = value;
      });
      var state = { hidden: {}, locked: {}, required: {}, filters: {} };
      rules.forEach(function (rule) {
        var on = holds(rule, valueOf), a = rule.action, t = rule.target;
        if ((a === "hide" && on) || (a === "show" && !on)) state.hidden[t] = state.hidden[t] || rule;
        else if ((a === "read_only" && on) || (a === "editable" && !on)) state.locked[t] = state.locked[t] || rule;
        else if ((a === "required" && on) || (a === "optional" && !on)) state.required[t] = state.required[t] || rule;
        else if (a === "filter" && on) state.filters[t] = state.filters[t] || rule;
      });
      var touched = {};
      rules.forEach(function (rule) { touched[rule.target] = true; });
      Object.keys(touched).forEach(function (name) {
        var el = input(name), box = wrapper(name);
        if (!el || !el.tagName || !box) return;
        box.hidden = Boolean(state.hidden[name]);
        var locked = Boolean(state.locked[name]);
        if (!computed[name]) hold(el, box.hidden || locked);
        if (el.tagName === "SELECT" || el.type === "checkbox") {
          el.classList.toggle("rule-locked", locked);
          if (locked) { el.setAttribute("aria-disabled", "true"); el.setAttribute("tabindex", "-1"); }
          else { el.removeAttribute("aria-disabled"); el.removeAttribute("tabindex"); }
          if (locked && el.dataset.ruleValue === undefined) el.dataset.ruleValue = valueOf(name);
          if (!locked) delete el.dataset.ruleValue;
        } else {
          el.readOnly = locked;
        }
        var required = Boolean(state.required[name]) && !state.hidden[name];
        el.setAttribute("aria-required", required ? "true" : "false");
        box.classList.toggle("rule-required", required);
        if (!required) { var note = box.querySelector(".rule-feedback"); if (note) note.remove(); el.classList.remove("is-invalid"); }
        if (el.tagName === "SELECT" && el.dataset.lookupUrl !== undefined) {
          // a type-ahead over a big table: the server offers what the rule allows, given the form's values
          lookupAsks(el, name);
        } else if (el.tagName === "SELECT") {
          var filter = state.filters[name];
          Array.prototype.forEach.call(el.options, function (option) {
            var allowed = !filter || option.value === "" || filter.values.some(function (v) { return same(v, option.value); });
            option.hidden = !allowed;
            option.disabled = !allowed;
          });
        }
      });
      return state;
    }

    form.addEventListener("change", function (event) {
      var el = event.target;
      if (el.classList && el.classList.contains("rule-locked") && el.dataset.ruleValue !== undefined) {
        if (el.type === "checkbox") el.checked = el.dataset.ruleValue === "true";
        else el.value = el.dataset.ruleValue;
      }
      apply();
    });
    form.addEventListener("input", function (event) {
      if (event.target.tagName === "INPUT") apply();
    });
    form.addEventListener("submit", function (event) {
      var state = apply(), missing = false;
      Object.keys(state.required).forEach(function (name) {
        if (state.hidden[name] || valueOf(name) !== "") return;
        var el = input(name), note = feedback(name);
        if (!el || !note) return;
        el.classList.add("is-invalid");
        note.textContent = "Required by the rule “" + state.required[name].name + "”.";
        if (!missing) el.focus();
        missing = true;
      });
      if (missing) event.preventDefault();
    });
    apply();
  }

  function start() {
    document.querySelectorAll("form[data-rules]").forEach(setUp);
  }
  if (document.readyState !== "loading") start(); else document.addEventListener("DOMContentLoaded", start);
})();
