"""An import's queries per batch do not grow with its rows: defaults that look a row up (a product's unit, tax and
currency) are read once per batch, not once per record, and so are the lookup values the records' own rules read (a
product type's category, a stage's probability)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.imports import services
from crm.imports.engine import Importer
from opportunities.models import Opportunity
from products.models import Currency, Product
from tests.factories import AccountFactory
from tests.factories.opportunities import stage
from tests.imports.conftest import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def catalogue(rows: int, *, types: bool = False) -> list[list]:
    """A catalogue of `rows` products; `types`: each with a type of its category (Laptops, Monitors: Hardware)."""
    if types:
        header = ["Code", "Name", "Category", "Type", "Price"]
        kinds = ("Laptops", "Monitors")
        return [header] + [[f"P-{i:05d}", f"Product {i}", "Hardware", kinds[i % 2], 10 + i] for i in range(rows)]
    header = ["Code", "Name", "Category", "Price"]
    return [header] + [[f"P-{i:05d}", f"Product {i}", "Hardware", 10 + i] for i in range(rows)]


def run_import(user, section: str, rows: list[list], keys: list[str], mapping: dict | None = None) -> list[str]:
    """The SQL of importing `rows` (a header and the records' rows) in one batch, the job's bookkeeping included."""
    job = services.create_job(user=user, section_name=section, upload=upload(xlsx_bytes(rows), "file.xlsx"))
    job = services.configure(
        user=user, job=job, sheet="", mapping=mapping or job.mapping, keys=keys, lookup_mode="refuse"
    )
    services.start(user=user, job=job)
    with CaptureQueriesContext(connection) as queries:
        job = Importer(job).run()
    assert (job.created_count, job.refused_count) == (len(rows) - 1, 0), list(job.refused_rows.values("reason"))
    return [query["sql"] for query in queries]


def import_queries(user, rows: int, *, types: bool = False) -> int:
    """The queries of importing `rows` products, less the statements of the records' insert itself: SQLite caps a
    statement's parameters, so there a bulk insert takes one statement per ~40 rows (PostgreSQL's COPY is one
    whatever the rows)."""
    statements = run_import(user, "products", catalogue(rows, types=types), ["code"])
    return len([sql for sql in statements if not sql.startswith('INSERT INTO "products_product" ')])


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


def test_a_product_import_reads_the_types_once_not_per_row_for_the_rule_that_a_type_is_of_the_category(alice, settings):
    settings.IMPORT_BATCH_SIZE = 1000
    small = import_queries(alice, 50, types=True)
    Product.objects.all().delete()
    large = import_queries(alice, 500, types=True)

    # as above, and the types (the names, then the whole rows once): Product.clean() compares the type's category
    # with the product's from the row the converter keeps, where it read one query per product before
    assert large == small
    product = Product.objects.get(code="P-00499")
    assert (product.type.name, product.category.name) == ("Monitors", "Hardware")


def pipeline(rows: int) -> list[list]:
    stages = ("Qualification", "Proposal")
    header = ["Name", "Account", "Stage", "Amount", "Type", "Currency"]
    currency = Currency.objects.base().code
    return [header] + [
        [f"Deal {i}", "Northwind Traders", stages[i % 2], 100 + i, "Consulting", currency] for i in range(rows)
    ]


def opportunity_reads(user, rows: int) -> int:
    """The reads of importing `rows` deals. Their writes are bulk statements (the deals, their stage history, their
    closing dates) that SQLite, capping a statement's parameters, splits in chunks of rows."""
    mapping = {"0": "name", "1": "account", "2": "stage", "3": "amount", "4": "need_type", "5": "currency"}
    return len(
        [sql for sql in run_import(user, "opportunities", pipeline(rows), [], mapping) if sql.startswith("SELECT")]
    )


def test_an_opportunity_import_reads_the_stages_once_not_per_row_for_the_probability_of_the_stage(alice, settings):
    AccountFactory(owner=alice, name="Northwind Traders")
    settings.IMPORT_BATCH_SIZE = 1000
    small = opportunity_reads(alice, 50)
    Opportunity.objects.all().delete()
    large = opportunity_reads(alice, 500)

    # the job's state, the account, stage, type and currency names, the whole stages, types and currencies once,
    # the base currency: Opportunity.clean() sets each deal's probability from its stage as the converter keeps
    # it, where it read the stage once per deal before
    assert large == small
    deal = Opportunity.objects.get(name="Deal 499")
    assert (deal.stage, deal.probability) == (stage("proposal"), stage("proposal").max_probability)
