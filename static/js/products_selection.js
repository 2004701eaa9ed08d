/* The product selection page: after a product goes into the cart, its row says so and its quantity resets.
   Prices and totals are never computed here: the server answers the cart with them. */
(function () {
  "use strict";

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-offer]") || !event.detail.successful) return;
    if (document.getElementById("cart-error")) return;
    var quantity = form.querySelector(".offer-quantity");
    if (quantity) quantity.value = "1";
    var title = form.querySelector(".offer-name");
    if (title && !title.querySelector(".in-cart-badge")) {
      var badge = document.createElement("span");
      badge.className = "badge text-bg-success in-cart-badge ms-1";
      badge.textContent = "in cart";
      title.appendChild(badge);
    }
  });
})();
