"""Importing into custom lookup fields: a cell names a record of the target section (found by name among the
records the importing user may see) or a value of a lookup table, resolved per batch like a built-in foreign key;
an unknown or ambiguous name is refused with the reason."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Industry
from contacts.models import Contact
from crm.designer.models import FieldDefinition
from crm.imports import services
from tests.factories import AccountFactory

from .conftest import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["Last name", "Partner", "Sector"]


@pytest.fixture
def lookups(db):
    return [
        FieldDefinition.objects.create(
            section="contacts", code="partner", label="Partner", kind="lookup", target="accounts"
        ),
        FieldDefinition.objects.create(
            section="contacts", code="sector", label="Sector", kind="lookup", target="lookup:accounts.industry"
        ),
    ]


def run(user, rows):
    job = services.create_job(user=user, section_name="contacts", upload=upload(xlsx_bytes([HEADER, *rows])))
    job = services.configure(user=user, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse")
    services.start(user=user, job=job)
    return services.run(job.pk)


def test_a_custom_lookup_cell_names_an_account_the_importer_may_see(alice, lookups):
    northwind = AccountFactory(owner=alice, name="Northwind Traders")
    energy = Industry.objects.create(name="Space travel")

    job = run(alice, [["Lee", "northwind  TRADERS", "space TRAVEL"]])

    assert job.mapping == {"0": "surname", "1": "custom__partner", "2": "custom__sector"}
    assert (job.created_count, job.refused_count, job.warning_count) == (1, 0, 0)
    assert Contact.objects.get(surname="Lee").custom == {"partner": northwind.pk, "sector": energy.pk}


def test_an_account_the_importer_may_not_see_is_not_found(alice, charlie, lookups, record_rights):
    record_rights("accounts")
    AccountFactory(owner=charlie, name="Hidden Holdings")

    job = run(alice, [["Lee", "Hidden Holdings", ""]])

    assert job.row_warnings.get().message == (
        "Partner: There is no account “Hidden Holdings” that you may see; left empty."
    )
    assert Contact.objects.get(surname="Lee").custom == {}


def test_an_unknown_or_ambiguous_name_in_a_required_lookup_refuses_the_row_with_the_reason(alice, lookups):
    FieldDefinition.objects.filter(code="partner").update(required=True)
    AccountFactory.create_batch(2, owner=alice, name="Twin Ltd")
    AccountFactory(owner=alice, name="Solo Ltd")

    job = run(alice, [["Lee", "Nobody Ltd", ""], ["Ma", "Twin Ltd", ""], ["Li", "Solo Ltd", ""]])

    assert (job.created_count, job.refused_count) == (1, 2)
    reasons = list(job.refused_rows.order_by("row_number").values_list("reason", flat=True))
    assert "There is no account “Nobody Ltd” that you may see" in reasons[0]
    assert "2 accounts are named “twin ltd”: which one is meant?" in reasons[1]
    assert Contact.objects.filter(custom__partner__isnull=False).get().surname == "Li"


def test_custom_lookups_are_resolved_once_per_batch_not_once_per_row(alice, lookups):
    accounts = AccountFactory.create_batch(30, owner=alice)
    rows = [[f"Person {i}", account.name, ""] for i, account in enumerate(accounts)]

    with CaptureQueriesContext(connection) as queries:
        job = run(alice, rows)

    assert job.created_count == 30
    by_name = [
        q["sql"] for q in queries.captured_queries if 'FROM "accounts_account"' in q["sql"] and '"name"' in q["sql"]
    ]
    assert len(by_name) <= 3


def test_a_column_named_as_a_custom_field_is_mapped_to_it_before_what_the_header_usually_means(alice):
    FieldDefinition.objects.create(
        section="accounts", code="account", label="Account", kind="lookup", target="accounts"
    )
    job = services.create_job(user=alice, section_name="accounts", upload=upload(xlsx_bytes([["Name", "Account"]])))

    assert job.mapping == {"0": "name", "1": "custom__account"}
