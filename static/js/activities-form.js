/* The activity form: the result and its details can be filled in only once the status is final (completed or
   canceled), and only the results of the chosen category are offered. The server checks the same rules. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function refresh(form) {
    var status = form.querySelector("[data-final-statuses]");
    var category = form.querySelector("[data-activity-category]");
    var isFinal = !status || status.dataset.finalStatuses.split(",").indexOf(status.value) !== -1;
    form.querySelectorAll("[data-result-field]").forEach(function (field) {
      field.disabled = !isFinal;
    });
    var result = form.querySelector("select[data-result-field]");
    if (!result || !category) return;
    Array.prototype.forEach.call(result.options, function (option) {
      var fits = !option.dataset.category || !category.value || option.dataset.category === category.value;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) result.value = "";
    });
  }

  onReady(function () {
    var status = document.querySelector("[data-final-statuses]");
    if (!status || !status.form) return;
    var form = status.form;
    form.addEventListener("change", function (event) {
      if (event.target.matches("[data-final-statuses], [data-activity-category]")) refresh(form);
    });
    refresh(form);
  });
})();
