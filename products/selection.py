"""The product selection page's model: line targets and the cart.

A section whose records take product lines (opportunities, orders, invoices, contracts) registers a *line
target* once, in its AppConfig.ready():

    from products.selection import register_line_target

    def add_lines(user, record, lines: list[CartLine]) -> None:
        # the section's own service creates its ProductLine rows, e.g. with
        # build_line(OpportunityProduct, line, opportunity=record), and updates the record's amount
        opportunities.services.add_products(user=user, opportunity=record, lines=lines)

    register_line_target("opportunities", add_lines)

Its records then link to `/products/select/?for=opportunities&pk=<id>`. The page prices products for the target:
a record may offer `customer_account` (an Account, whose `price_list` is used) and `currency` (a Currency or an
ISO code); without them the base price list and the base currency are used. The user must be allowed to edit the
record, or the page answers 404.

The cart lives in the session, keyed by target, and holds only product ids, quantities and units: prices and
totals are computed on the server each time, never read from a request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from crm import access
from crm.sections import registry
from crm.sections.services import check_edit_guards, detail_part

from .lines import LineAmounts, compute_line, compute_totals, prices_include_tax
from .models import Currency, Product, ProductLine, Tax, UnitOfMeasure
from .pricing import prices_for, resolve_currency, unit_price
from .selectors import catalogue_queryset

#: add_lines(user, record, lines) -> None
LineTargetHook = Callable[[object, object, list["CartLine"]], object]

_targets: dict[str, LineTargetHook] = {}

MAX_QUANTITY = Decimal("1000000000")
MAX_CART_LINES = 200


def register_line_target(section_name: str, add_lines: LineTargetHook) -> None:
    _targets[section_name] = add_lines


def unregister_line_target(section_name: str) -> None:
    _targets.pop(section_name, None)


def line_targets() -> dict[str, LineTargetHook]:
    return dict(_targets)


def target_record(user, section_name: str, pk) -> object:
    """The record products are being selected for: 404 unless its section takes lines and the user may edit it."""
    if section_name not in _targets:
        raise Http404("No such page.")
    try:
        section = registry.get(section_name)
    except KeyError:
        raise Http404("No such page.")
    return access.get_object_or_404(user, section.get_queryset(), "edit", pk=pk)


@dataclass(frozen=True)
class Pricing:
    """Whom and in what currency products are priced for."""

    customer_account: object | None
    currency: Currency


def pricing_for(record) -> Pricing:
    currency = getattr(record, "currency", None)
    return Pricing(
        customer_account=getattr(record, "customer_account", None),
        currency=resolve_currency(currency) if currency else Currency.objects.base(),
    )


def unit_choices(products: list[Product]) -> dict[int, list[tuple[UnitOfMeasure, Decimal]]]:
    """Product id -> [(unit, factor)]: the base unit first, then the alternative units (units prefetched)."""
    return {
        p.pk: [(p.unit, Decimal(1))] + [(u.unit, u.factor) for u in p.units.all() if u.unit_id != p.unit_id]
        for p in products
    }


@dataclass(frozen=True)
class CartLine:
    """A line the user picked: what a line target turns into its own ProductLine rows."""

    product: Product
    quantity: Decimal
    unit: UnitOfMeasure
    factor: Decimal  # base units per `unit`
    price: Decimal  # per `unit`, in the target's currency
    currency: Currency
    discount_percent: Decimal
    tax: Tax | None
    tax_rate: Decimal
    tax_included: bool
    amounts: LineAmounts


class Cart:
    """The session cart of one target: {product id: {"quantity": "2", "unit": unit id}}."""

    def __init__(self, session, section_name: str, pk: int, *, user):
        self.session = session
        self.key = f"products.cart.{section_name}.{pk}"
        self.user = user

    def _products(self):
        """Only active products the user may see can be in the cart."""
        return access.visible(self.user, catalogue_queryset())

    @property
    def items(self) -> dict[str, dict]:
        return self.session.get(self.key, {})

    def _store(self, items: dict) -> None:
        self.session[self.key] = items
        self.session.modified = True

    def set(self, *, product_id: int, quantity, unit_id: int | None = None) -> None:
        """Put `quantity` of a product in the cart (replacing what was there); zero takes it out.

        The product must be active and the unit one of its units. Raises ValidationError.
        """
        try:
            quantity = Decimal(str(quantity).strip().replace(",", "."))
        except InvalidOperation:
            raise ValidationError("Enter a quantity.")
        if not quantity.is_finite() or quantity < 0 or quantity >= MAX_QUANTITY:
            raise ValidationError("Enter a quantity from 0 up.")
        if quantity != quantity.quantize(Decimal("0.001")):
            raise ValidationError("A quantity has at most 3 decimal places.")
        items = dict(self.items)
        if quantity == 0:
            items.pop(str(product_id), None)
            self._store(items)
            return
        product = self._products().prefetch_related("units").filter(pk=product_id).first()
        if product is None:
            raise ValidationError("This product cannot be selected.")
        allowed = {product.unit_id} | {u.unit_id for u in product.units.all()}
        unit_id = unit_id or product.unit_id
        if unit_id not in allowed:
            raise ValidationError("Choose one of the product's units.")
        if str(product_id) not in items and len(items) >= MAX_CART_LINES:
            raise ValidationError(f"A cart holds at most {MAX_CART_LINES} products.")
        items[str(product_id)] = {"quantity": f"{quantity.normalize():f}", "unit": unit_id}
        self._store(items)

    def clear(self) -> None:
        self.session.pop(self.key, None)

    def lines(self, pricing: Pricing) -> list[CartLine]:
        """The cart priced now for `pricing`; products that became inactive or lost a unit drop out."""
        items = self.items
        if not items:
            return []
        products = list(
            self._products()
            .filter(pk__in=[int(pk) for pk in items])
            .prefetch_related("units__unit")
            .order_by("name", "pk")
        )
        prices = prices_for(products, currency=pricing.currency, customer_account=pricing.customer_account)
        units = unit_choices(products)
        include_tax = prices_include_tax()
        result = []
        for product in products:
            item = items[str(product.pk)]
            unit, factor = next(((u, f) for u, f in units[product.pk] if u.pk == item["unit"]), (None, None))
            if unit is None:
                continue
            quantity = Decimal(item["quantity"])
            price = unit_price(prices[product.pk], factor)
            tax_rate = product.tax.rate if product.tax else Decimal(0)
            result.append(
                CartLine(
                    product=product,
                    quantity=quantity,
                    unit=unit,
                    factor=factor,
                    price=price,
                    currency=pricing.currency,
                    discount_percent=Decimal(0),
                    tax=product.tax,
                    tax_rate=tax_rate,
                    tax_included=include_tax,
                    amounts=compute_line(quantity=quantity, price=price, tax_rate=tax_rate, tax_included=include_tax),
                )
            )
        return result


def build_line(model: type[ProductLine], cart_line: CartLine, **fields) -> ProductLine:
    """An unsaved `model` row (a ProductLine subclass) for `cart_line`, amounts computed; pass the owning record
    and any other field in `fields`. Line targets use it in their hook before `bulk_create` or `save`."""
    line = model(
        product=cart_line.product,
        quantity=cart_line.quantity,
        unit=cart_line.unit,
        price=cart_line.price,
        discount_percent=cart_line.discount_percent,
        tax=cart_line.tax,
        tax_rate=cart_line.tax_rate,
        tax_included=cart_line.tax_included,
        **fields,
    )
    line.recompute()
    return line


def cart_totals(lines: list[CartLine]) -> LineAmounts:
    return compute_totals(line.amounts for line in lines)


def save_cart(*, user, section_name: str, record, cart: Cart) -> list[CartLine]:
    """Add the cart's lines to `record` through its section's hook, in one transaction, then empty the cart."""
    if not access.can(user, "edit", record):
        raise PermissionDenied("You may not edit this record.")
    hook = _targets.get(section_name)
    if hook is None:
        raise PermissionDenied("Products cannot be added here.")
    # the lines are the record's Products detail: locked where it is (waiting for approval, a paid invoice)
    check_edit_guards(user=user, obj=record, fields=frozenset({detail_part("products")}))
    lines = cart.lines(pricing_for(record))
    if not lines:
        raise ValidationError("The cart is empty.")
    with transaction.atomic():
        hook(user, record, lines)
    cart.clear()
    return lines
