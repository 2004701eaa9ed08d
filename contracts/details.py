"""The details a contract owns, edited in place on its page: its products."""

from products.details import product_lines_detail

from . import services
from .models import ContractProduct

PRODUCTS = product_lines_detail(
    ContractProduct,
    relation="contract",
    after_write=services.lines_changed,
    empty_text="No products: the amount is the one entered on the contract.",
)
