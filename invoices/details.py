"""The details an invoice owns, edited in place on its page: its products (priced on the server) and the
payments registered against it."""

from crm.sections.details import Detail
from products.details import product_lines_detail

from . import services
from .models import InvoiceProduct

PRODUCTS = product_lines_detail(
    InvoiceProduct,
    relation="invoice",
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
