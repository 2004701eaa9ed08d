"""The details an invoice owns, edited in place on its page: its products (priced on the server) and the
payments registered against it."""

from crm.sections.details import Detail
from orders.details import ProductLineForm as OrderProductLineForm
from orders.details import with_tax_rate

from . import services
from .models import InvoiceProduct


class ProductLineForm(OrderProductLineForm):
    class Meta(OrderProductLineForm.Meta):
        model = InvoiceProduct


def _add_line(*, detail, user, record, data):
    from crm.sections.details import add_row

    return add_row(detail=detail, user=user, record=record, data=with_tax_rate(data))


def _change_line(*, detail, user, record, row, data):
    from crm.sections.details import change_row

    return change_row(detail=detail, user=user, record=record, row=row, data=with_tax_rate(data))


PRODUCTS = Detail(
    name="products",
    title="Products",
    model="invoices.InvoiceProduct",
    relation="invoice",
    fields=ProductLineForm.Meta.fields,
    columns=("product", "quantity", "unit", "price", "discount_percent", "tax_amount", "total"),
    form_class=ProductLineForm,
    add=_add_line,
    change=_change_line,
    select_related=("product", "unit"),
    after_write=services.lines_changed,
    empty_text="No products: the invoice's amount is the one it was made with.",
)

PAYMENTS = Detail(
    name="payments",
    title="Payments",
    model="invoices.Payment",
    relation="invoice",
    fields=("date", "amount", "reference"),
    after_write=services.payments_changed,
    empty_text="No payments yet.",
)
