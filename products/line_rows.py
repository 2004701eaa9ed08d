"""Writing the product lines of a record, for every selling section (opportunities, leads, orders, invoices,
contracts): lines copied from another record, lines from the selection page's cart, and the amounts recomputed
after a hand edit. Amounts always come from `ProductLine.recompute()`, never from a form or the source row."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from .selection import build_line

#: what a line is made of; the amounts are derived from these
LINE_FIELDS = ("product", "quantity", "unit", "price", "discount_percent", "tax", "tax_rate", "tax_included")
AMOUNT_FIELDS = ("subtotal", "discount_amount", "tax_amount", "total")


def _relation(model: type[models.Model], record: models.Model) -> str:
    """The name of the foreign key of `model` (a ProductLine subclass) that points at `record`'s model."""
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is type(record):
            return field.name
    raise LookupError(f"{model.__name__} has no foreign key to {type(record).__name__}")


def _next_position(model, relation: str, record) -> int:
    return model._default_manager.filter(**{relation: record}).count() + 1


def append_copies(model: type[models.Model], record: models.Model, lines: Iterable) -> list:
    """Copy product lines (rows of any ProductLine model) to the end of `record`'s lines."""
    relation = _relation(model, record)
    start = _next_position(model, relation, record)
    rows = []
    for position, line in enumerate(lines, start=start):
        row = model(**{relation: record}, position=position, **{name: getattr(line, name) for name in LINE_FIELDS})
        row.recompute()
        rows.append(row)
    model._default_manager.bulk_create(rows)
    return rows


def append_cart(model: type[models.Model], record: models.Model, cart_lines: Iterable) -> list:
    """The selection page's cart lines (products.selection.CartLine) to the end of `record`'s lines."""
    relation = _relation(model, record)
    start = _next_position(model, relation, record)
    rows = [
        build_line(model, line, **{relation: record}, position=position)
        for position, line in enumerate(cart_lines, start=start)
    ]
    model._default_manager.bulk_create(rows)
    return rows


def recompute_all(model: type[models.Model], record: models.Model) -> list:
    """After a line was added, changed or removed by hand: every line's amounts from its own fields."""
    lines = list(model._default_manager.filter(**{_relation(model, record): record}))
    for line in lines:
        line.recompute()
    model._default_manager.bulk_update(lines, AMOUNT_FIELDS)
    return lines


def document_totals(lines: Iterable, currency) -> dict:
    """The stored totals of a document (order, invoice) from its lines: amount, discount, tax, and the amount in
    the base currency that analytics add up."""
    from crm.core.money import quantize

    from .lines import compute_totals
    from .pricing import to_base

    totals = compute_totals(lines)
    amount = quantize(totals.total)
    return {
        "amount": amount,
        "discount_amount": quantize(totals.discount_amount),
        "tax_amount": quantize(totals.tax_amount),
        "amount_base": quantize(to_base(amount, currency)),
    }
