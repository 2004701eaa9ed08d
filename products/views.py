"""The Products section's own pages: the catalogue, the product selection page, feature values and the photo."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from crm import access
from crm.sections import registry
from crm.sections.views.records import serve_field_file

from . import selection, services
from .models import Currency, Feature, PriceList, ProductFeatureValue, UnitOfMeasure
from .pricing import MissingRateError, prices_for
from .selectors import catalogue_levels, catalogue_queryset, catalogue_tree, parse_node, under_node

PAGE_SIZE = 25


def _section():
    return registry.get("products")


def _readable_products(user):
    section = _section()
    if not access.can(user, "read", section):
        raise Http404("No such page.")
    return access.visible(user, catalogue_queryset(section.get_queryset()))


def _browse(request, queryset):
    """The tree, the chosen node and the page of products under it (and matching the search)."""
    levels = catalogue_levels()
    node = parse_node(request.GET.get("node", ""), levels)
    search = request.GET.get("q", "").strip()[:100]
    products = under_node(queryset, node)
    if search:
        products = products.matching(search)
    page = Paginator(products.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "tree": catalogue_tree(queryset, node),
        "node": ",".join(f"{name}:{value}" for name, value in node),
        "search": search,
        "page": page,
    }


def catalogue(request):
    """/products/catalogue/: the catalogue tree and the active products under the chosen node."""
    context = _browse(request, _readable_products(request.user))
    context["section"] = _section()
    context["leaf"] = "Catalogue"
    template = (
        "products/_catalogue_results.html"
        if request.htmx and request.htmx.target == "catalogue-results"
        else "products/catalogue.html"
    )
    return render(request, template, context)


# --- the product selection page ---------------------------------------------------------------------------


def _target(request, data):
    section_name = data.get("for", "")
    record = selection.target_record(request.user, section_name, data.get("pk", ""))
    return section_name, record, selection.Cart(request.session, section_name, record.pk, user=request.user)


def _cart_context(section_name, record, cart) -> dict:
    pricing = selection.pricing_for(record)
    lines = cart.lines(pricing)
    return {
        "target_section": registry.get(section_name),
        "target": record,
        "target_query": urlencode({"for": section_name, "pk": record.pk}),
        "pricing": pricing,
        "lines": lines,
        "totals": selection.cart_totals(lines),
    }


def select(request):
    """/products/select/?for=<section>&pk=<id>: search or browse, price, quantity, unit, and the cart."""
    section_name, record, cart = _target(request, request.GET)
    queryset = _readable_products(request.user)
    context = {**_browse(request, queryset), **_cart_context(section_name, record, cart), "section": _section()}
    products = list(context["page"].object_list.prefetch_related("units__unit"))
    pricing = context["pricing"]
    try:
        prices = prices_for(products, currency=pricing.currency, customer_account=pricing.customer_account)
    except MissingRateError as error:
        prices, context["price_error"] = {}, error.messages[0]
    units = selection.unit_choices(products)
    in_cart = cart.items
    context["offers"] = [
        {"product": p, "price": prices.get(p.pk), "units": units[p.pk], "in_cart": in_cart.get(str(p.pk))}
        for p in products
    ]
    if request.htmx and request.htmx.target == "selection-results":
        return render(request, "products/_selection_results.html", context)
    return render(request, "products/selection.html", context)


@require_POST
def cart(request):
    """Put a quantity of a product (in one of its units) in the cart; zero takes it out. Prices are not taken."""
    section_name, record, cart = _target(request, request.POST)
    error = ""
    product = request.POST.get("product", "")
    unit = request.POST.get("unit", "")
    try:
        if not product.isdigit():
            raise ValidationError("Choose a product.")
        cart.set(
            product_id=int(product),
            quantity=request.POST.get("quantity", ""),
            unit_id=int(unit) if unit.isdigit() else None,
        )
    except ValidationError as invalid:
        error = " ".join(invalid.messages)
    context = {**_cart_context(section_name, record, cart), "cart_error": error}
    if request.htmx:
        return render(request, "products/_cart.html", context)  # htmx swaps only 2xx: the error is in the cart
    if error:
        messages.error(request, error)
    return redirect(reverse("products:select") + "?" + context["target_query"])


@require_POST
def select_save(request):
    """Add the cart's lines to the target record through its section's hook."""
    section_name, record, cart = _target(request, request.POST)
    try:
        lines = selection.save_cart(user=request.user, section_name=section_name, record=record, cart=cart)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(reverse("products:select") + "?" + urlencode({"for": section_name, "pk": record.pk}))
    messages.success(request, f"{len(lines)} product line{'s' if len(lines) != 1 else ''} added.")
    response = redirect(registry.get(section_name).url("detail", record.pk))
    if request.htmx:
        response["HX-Redirect"] = response["Location"]
    return response


# --- the product page ----------------------------------------------------------------------------------------


def _prices_context(user, product, errors=()) -> dict:
    return {
        "object": product,
        "prices": product.prices.select_related("price_list", "currency").order_by("price_list__position", "currency"),
        "units": product.units.select_related("unit"),
        "price_lists": PriceList.objects.active(),
        "currencies": Currency.objects.active(),
        "unit_choices": UnitOfMeasure.objects.active().exclude(pk=product.unit_id),
        "can_edit": access.can(user, "edit", product),
        "errors": errors,
    }


def prices_tab(request, section, product):
    return render(request, "products/_prices_tab.html", _prices_context(request.user, product))


def _lookup(queryset, raw):
    return queryset.filter(pk=int(raw)).first() if str(raw).isdigit() else None


@require_POST
def prices_update(request, pk: int):
    """Set or remove a list price, or set an alternative unit, from the Prices tab."""
    product = access.get_object_or_404(request.user, _section().get_queryset(), "edit", pk=pk)
    data = request.POST
    try:
        if "remove_price" in data:
            price = _lookup(product.prices.select_related("price_list", "currency"), data["remove_price"])
            if price is None:
                raise ValidationError("No such price.")
            services.remove_product_price(user=request.user, product=product, price=price)
        elif "unit" in data:
            unit = _lookup(UnitOfMeasure.objects.active(), data["unit"])
            if unit is None:
                raise ValidationError("Choose a unit.")
            services.set_product_unit(user=request.user, product=product, unit=unit, factor=data.get("factor", ""))
        else:
            price_list = _lookup(PriceList.objects.active(), data.get("price_list", ""))
            currency = _lookup(Currency.objects.active(), data.get("currency", ""))
            if price_list is None or currency is None:
                raise ValidationError("Choose a price list and a currency.")
            services.set_product_price(
                user=request.user,
                product=product,
                price_list=price_list,
                currency=currency,
                price=data.get("price", ""),
            )
    except ValidationError as error:
        context = _prices_context(request.user, product, errors=error.messages)
        return render(request, "products/_prices_tab.html", context, status=200 if request.htmx else 422)
    if request.htmx:
        return render(request, "products/_prices_tab.html", _prices_context(request.user, product))
    return redirect(_section().url("detail", product.pk) + "?tab=prices")


def _features_context(user, product, errors=None, submitted=None) -> dict:
    values = {v.feature_id: v for v in ProductFeatureValue.objects.filter(product=product).select_related("option")}
    rows = []
    for feature in Feature.objects.prefetch_related("options"):
        current = values.get(feature.pk)
        raw = submitted.get(f"feature_{feature.pk}", "") if submitted is not None else ""
        if submitted is None and current is not None:
            raw = current.option_id if feature.value_type == Feature.ValueType.LIST else current.display
            if feature.value_type == Feature.ValueType.BOOLEAN:
                raw = "true" if current.boolean_value else "false"
        rows.append({"feature": feature, "value": current, "raw": "" if raw is None else str(raw)})
    return {
        "object": product,
        "rows": rows,
        "errors": errors or [],
        "can_edit": access.can(user, "edit", product),
        "Type": Feature.ValueType,
    }


def features_tab(request, section, product):
    return render(request, "products/_features_tab.html", _features_context(request.user, product))


@require_POST
def features_update(request, pk: int):
    product = access.get_object_or_404(request.user, _section().get_queryset(), "edit", pk=pk)
    features = {
        f: request.POST.get(f"feature_{f.pk}", "") for f in Feature.objects.all() if f"feature_{f.pk}" in request.POST
    }
    try:
        services.set_feature_values(user=request.user, product=product, values=features)
    except ValidationError as error:
        context = _features_context(request.user, product, errors=error.messages, submitted=request.POST)
        # htmx swaps only 2xx answers: the errors show in the tab
        return render(request, "products/_features_tab.html", context, status=200 if request.htmx else 422)
    if request.htmx:
        context = _features_context(request.user, product)
        context["saved"] = True
        return render(request, "products/_features_tab.html", context)
    messages.success(request, "Features saved.")
    return redirect(_section().url("detail", product.pk) + "?tab=features")


def photo(request, pk: int):
    """The product photo, through the product's access check (media is never served directly)."""
    return serve_field_file(request.user, _section(), pk, "photo", images_only=True)
