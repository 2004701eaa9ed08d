"""An import's queries per batch do not grow with its rows: defaults that look a row up (a product's unit, tax and
currency) are read once per batch, not once per record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.imports import services
from crm.imports.engine import Importer
from products.models import Product
from tests.imports.conftest import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def catalogue(rows: int) -> list[list]:
    header = ["Code", "Name", "Category", "Price"]
    return [header] + [[f"P-{i:05d}", f"Product {i}", "Hardware", 10 + i] for i in range(rows)]


def import_queries(user, rows: int) -> int:
    """The queries of importing `rows` products in one batch (the job's bookkeeping included), less the statements
    of the records' insert itself: SQLite caps a statement's parameters, so there a bulk insert takes one statement
    per ~40 rows (PostgreSQL's COPY is one whatever the rows)."""
    job = services.create_job(
        user=user, section_name="products", upload=upload(xlsx_bytes(catalogue(rows)), "catalogue.xlsx")
    )
    job = services.configure(user=user, job=job, sheet="", mapping=job.mapping, keys=["code"], lookup_mode="refuse")
    services.start(user=user, job=job)
    with CaptureQueriesContext(connection) as queries:
        job = Importer(job).run()
    assert job.created_count == rows
    return len([query for query in queries if not query["sql"].startswith('INSERT INTO "products_product" ')])


def test_a_product_import_reads_the_unit_tax_and_currency_defaults_once_per_batch_not_per_row(alice, settings):
    settings.IMPORT_BATCH_SIZE = 1000
    small = import_queries(alice, 50)
    Product.objects.all().delete()
    large = import_queries(alice, 500)

    # the job's lease, batches and counters (7), the price lists (1), the unit, tax and currency defaults when
    # the importer is made and again for the batch (6), the categories (1), the existing codes (1), the savepoints
    # and the insert, the import's changes (3): about twenty, whatever the rows
    assert large == small
    product = Product.objects.get(code="P-00499")
    assert (product.unit.name, product.tax.name, product.currency.is_base) == ("pieces", "VAT", True)
