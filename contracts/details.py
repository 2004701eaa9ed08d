"""The details a contract owns, edited in place on its page: its products."""

from crm.sections.details import Detail, DetailForm, add_row, change_row

from . import services
from .models import ContractProduct


class ContractProductForm(DetailForm):
    """A line edited by hand: the amounts are computed on the server (`services.lines_changed`)."""

    class Meta:
        model = ContractProduct
        fields = ("product", "quantity", "unit", "price", "discount_percent", "tax")

    def setup(self, record) -> None:
        self.fields["product"].queryset = self.fields["product"].queryset.filter(is_inactive=False)


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
    model="contracts.ContractProduct",
    relation="contract",
    fields=ContractProductForm.Meta.fields,
    columns=("product", "quantity", "unit", "price", "discount_percent", "tax_amount", "total"),
    form_class=ContractProductForm,
    add=_add_line,
    change=_change_line,
    select_related=("product", "unit"),
    after_write=services.lines_changed,
    empty_text="No products: the amount is the one entered on the contract.",
)
