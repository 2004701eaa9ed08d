"""The details a lead owns, edited in place on its page: the products asked for, and the stage history the
process writes."""

from crm.sections.details import Detail, add_row, change_row

from . import services
from .forms import LeadProductForm


def _with_tax_rate(data: dict) -> dict:
    """The line keeps the rate of its tax as it is today (a later change of the tax does not rewrite it)."""
    tax = data.get("tax")
    return {**data, "tax_rate": tax.rate if tax else 0}


def _add_line(*, detail, user, record, data):
    return add_row(detail=detail, user=user, record=record, data=_with_tax_rate(data))


def _change_line(*, detail, user, record, row, data):
    return change_row(detail=detail, user=user, record=record, row=row, data=_with_tax_rate(data))


PRODUCTS = Detail(
    name="products",
    title="Products",
    model="leads.LeadProduct",
    relation="lead",
    fields=LeadProductForm.Meta.fields,
    columns=("product", "quantity", "unit", "price", "discount_percent", "tax_amount", "total"),
    form_class=LeadProductForm,
    add=_add_line,
    change=_change_line,
    select_related=("product", "unit"),
    after_write=services.lines_changed,
    empty_text="No products yet: they are copied to the opportunity.",
)

STAGES = Detail(
    name="stages",
    title="Stages",
    model="leads.LeadStageHistory",
    relation="lead",
    columns=("stage", "started_at", "ended_at", "moved_by"),
    select_related=("moved_by",),
    read_only=True,
)
