"""The Products detail that every selling section (opportunities, leads, orders, invoices, contracts) shows on its
records: lines edited in place, priced on the server.

    PRODUCTS = product_lines_detail(OpportunityProduct, relation="opportunity", after_write=services.lines_changed)

The form takes product, quantity, unit, price, discount and tax; the line keeps its tax's rate as it is today,
and the section's `after_write` hook recomputes the amounts (never taken from the form)."""

from __future__ import annotations

from collections.abc import Callable

from crm.sections.details import Detail, DetailForm, add_row, change_row

LINE_FIELDS = ("product", "quantity", "unit", "price", "discount_percent", "tax")
LINE_COLUMNS = ("product", "quantity", "unit", "price", "discount_percent", "tax_amount", "total")
#: what a record's product lines show of its amount (the detail's columns, a print form's lines and their totals):
#: a section whose amount the lines make declares them in `Section.derived_values`, hidden with the amount
LINE_AMOUNTS = (
    "products.price",
    "products.subtotal",
    "products.discount_amount",
    "products.tax_amount",
    "products.total",
    "totals",
)


class ProductLineForm(DetailForm):
    """Only active products can be put on a line."""

    def setup(self, record) -> None:
        self.fields["product"].queryset = self.fields["product"].queryset.filter(is_inactive=False)


def line_form(model) -> type[ProductLineForm]:
    meta = type("Meta", (), {"model": model, "fields": LINE_FIELDS})
    return type(f"{model.__name__}Form", (ProductLineForm,), {"Meta": meta})


def with_tax_rate(data: dict) -> dict:
    """The line keeps the rate of its tax as it is today (a later change of the tax does not rewrite it)."""
    tax = data.get("tax")
    return {**data, "tax_rate": tax.rate if tax else 0}


def _add_line(*, detail, user, record, data):
    return add_row(detail=detail, user=user, record=record, data=with_tax_rate(data))


def _change_line(*, detail, user, record, row, data):
    return change_row(detail=detail, user=user, record=record, row=row, data=with_tax_rate(data))


def product_lines_detail(
    model,
    *,
    relation: str,
    after_write: Callable,
    empty_text: str = "No products yet: add them from the catalogue.",
    form_class: type[DetailForm] | None = None,
) -> Detail:
    return Detail(
        name="products",
        title="Products",
        model=model._meta.label,
        relation=relation,
        fields=LINE_FIELDS,
        columns=LINE_COLUMNS,
        form_class=form_class or line_form(model),
        add=_add_line,
        change=_change_line,
        select_related=("product", "unit"),
        after_write=after_write,
        empty_text=empty_text,
    )
