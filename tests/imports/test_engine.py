"""The import engine: mapping, lookups by name, keys that update instead of duplicating, dry run, refused rows
with their reasons, rollback, resume after a stop, and the rights of the person importing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from accounts.models import Account, Industry
from contacts.models import Contact
from crm.imports import services
from crm.imports.engine import Importer
from crm.imports.fields import importable_fields
from crm.imports.models import ImportChange, ImportJob
from crm.sections import registry
from tests.factories import AccountFactory, ContactFactory

from .conftest import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["First name", "Last name", "Account", "Email", "Mobile phone"]


def contacts_job(user, rows, *, name="contacts.xlsx", content=None, keys=(), create=False, mapping=None):
    content = content if content is not None else xlsx_bytes([HEADER, *rows])
    job = services.create_job(user=user, section_name="contacts", upload=upload(content, name))
    mode = ImportJob.LookupMode.CREATE if create else ImportJob.LookupMode.REFUSE
    return services.configure(
        user=user, job=job, sheet="", mapping=mapping or job.mapping, keys=list(keys), lookup_mode=mode
    )


def run(job):
    """Start the import and run its task's body (the task itself is queued on commit, which tests do not reach)."""
    services.start(user=job.created_by, job=job)
    return services.run(job.pk)


def test_columns_are_matched_to_fields_by_their_headers(alice):
    job = contacts_job(alice, [])

    assert job.mapping == {"0": "given_name", "1": "surname", "2": "account", "3": "email", "4": "mobile_phone"}


def test_an_import_creates_contacts_with_their_account_found_by_name(alice):
    account = AccountFactory(owner=alice, name="Northwind Traders")

    job = run(contacts_job(alice, [["Ann", "Lee", "northwind  TRADERS", "ANN@x.example", "+1 555 0100"]]))

    assert (job.status, job.created_count, job.refused_count) == (ImportJob.Status.COMPLETED, 1, 0)
    contact = Contact.objects.get(surname="Lee")
    assert (contact.full_name, contact.account, contact.email, contact.owner) == (
        "Ann Lee",
        account,
        "ann@x.example",
        alice,
    )


def test_a_row_naming_an_unknown_account_is_kept_without_it_and_warned_with_the_reason(alice):
    job = run(contacts_job(alice, [["Ann", "Lee", "Nobody Ltd", "", ""], ["Bo", "Ma", "", "not-an-email", ""]]))

    assert (job.created_count, job.refused_count, job.warning_count) == (2, 0, 2)
    assert Contact.objects.get(surname="Lee").account is None
    warnings = list(job.row_warnings.values_list("row_number", "message"))
    assert warnings[0] == (2, "Account: There is no account “Nobody Ltd” that you may see; left empty.")
    assert warnings[1] == (3, "Email: “not-an-email” is not an email address; left empty.")


def test_a_row_with_several_bad_values_names_each_in_its_own_sentence(alice):
    job = run(contacts_job(alice, [["Ann", "Lee", "Nobody Ltd", "not-an-email"]]))

    assert job.row_warnings.get().message == (
        "Account: There is no account “Nobody Ltd” that you may see; left empty. "
        "Email: “not-an-email” is not an email address; left empty."
    )


def test_the_refused_rows_come_back_as_a_workbook_with_the_reason_last(alice, tmp_path):
    job = run(contacts_job(alice, [["Ann", "Lee", "Nobody Ltd", "", ""], ["", "", "", "ann", ""]]))

    path = tmp_path / "refused.xlsx"
    path.write_bytes(services.refused_workbook(job))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == (*HEADER, "Reason")
    assert rows[1][3] == "ann"
    assert rows[1][-1].startswith("Email: “ann” is not an email address; left empty.")


def test_a_key_match_updates_the_record_with_non_empty_values_only(alice):
    existing = ContactFactory(owner=alice, given_name="Ann", surname="Lee", email="ann@x.example", job_title="CEO")
    mapping = {"0": "given_name", "1": "surname", "3": "email", "4": "mobile_phone"}

    job = run(
        contacts_job(alice, [["", "Lee-Smith", "", "ANN@x.example", "+1 555 0199"]], keys=["email"], mapping=mapping)
    )

    assert (job.created_count, job.updated_count) == (0, 1)
    existing.refresh_from_db()
    assert (existing.given_name, existing.surname, existing.mobile_phone, existing.job_title) == (
        "Ann",
        "Lee-Smith",
        "+1 555 0199",
        "CEO",
    )
    assert existing.version == 2


def test_importing_the_same_file_again_changes_nothing_and_says_so(alice):
    rows = [["Ann", "Lee", "", "ann@x.example", "+1 555 0100"], ["Bo", "Ma", "", "bo@x.example", ""]]
    run(contacts_job(alice, rows, keys=["email"]))
    versions = dict(Contact.objects.values_list("email", "version"))

    again = run(contacts_job(alice, [*rows, ["Cy", "Li", "", "BO@x.example", "+1 555 0101"]], keys=["email"]))

    # Ann and the first Bo row say what the records say; the third row changes Bo
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 2)
    assert dict(Contact.objects.values_list("email", "version")) == {
        **versions,
        "bo@x.example": versions["bo@x.example"] + 1,
    }
    assert "2 unchanged" in alice.notifications.order_by("-pk").first().body


def test_the_same_key_twice_in_a_file_makes_one_record(alice):
    rows = [["Ann", "Lee", "", "ann@x.example", ""], ["", "", "", "ann@x.example", "+1 555 0100"]]

    job = run(contacts_job(alice, rows, keys=["email"]))

    assert Contact.objects.filter(email="ann@x.example").count() == 1
    assert Contact.objects.get(email="ann@x.example").mobile_phone == "+1 555 0100"
    assert job.created_count == 1


def test_missing_lookup_values_are_created_or_refused_as_chosen(alice):
    header = ["Name", "Industry"]
    content = xlsx_bytes([header, ["Acme", "Space mining"]])

    def job_for(create):
        job = services.create_job(user=alice, section_name="accounts", upload=upload(content, "a.xlsx"))
        mode = ImportJob.LookupMode.CREATE if create else ImportJob.LookupMode.REFUSE
        return services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode=mode)

    refused = run(job_for(create=False))
    assert refused.warning_count == 1 and "no industry “Space mining”" in refused.row_warnings.get().message
    assert Account.objects.get(name="Acme").industry is None
    Account.objects.all().delete()
    created = run(job_for(create=True))
    assert created.created_count == 1
    assert Account.objects.get(name="Acme").industry == Industry.objects.get(name="Space mining")


def test_a_dry_run_shows_what_would_happen_and_changes_nothing(alice):
    ContactFactory(owner=alice, email="ann@x.example")
    job = contacts_job(
        alice,
        [["Ann", "Lee", "", "ann@x.example", ""], ["Bo", "Ma", "", "", ""], ["", "", "", "bad", ""]],
        keys=["email"],
    )
    before = Contact.objects.count()

    result = services.dry_run(user=alice, job=job)

    assert (result.created, result.updated, len(result.refused)) == (1, 1, 1)
    assert [kind for _, kind, _ in result.samples] == ["update", "create"]
    assert Contact.objects.count() == before
    assert not ImportChange.objects.exists()


def test_a_rollback_deletes_what_the_import_created_and_restores_what_it_changed(alice):
    existing = ContactFactory(owner=alice, given_name="Ann", surname="Lee", email="ann@x.example")
    rows = [["Ann", "Changed", "", "ann@x.example", ""], ["Bo", "Ma", "", "bo@x.example", ""]]
    job = run(contacts_job(alice, rows, keys=["email"]))
    assert Contact.objects.filter(email="bo@x.example").exists()

    services.rollback(user=alice, job=job)

    existing.refresh_from_db()
    assert existing.surname == "Lee" and existing.full_name == "Ann Lee"
    assert not Contact.objects.filter(email="bo@x.example").exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.ROLLED_BACK
    with pytest.raises(ValidationError):
        services.rollback(user=alice, job=job)


def test_a_stopped_run_resumes_after_its_last_committed_batch(alice, settings):
    settings.IMPORT_BATCH_SIZE = 2
    rows = [[f"Person{i}", "Lee", "", f"p{i}@x.example", ""] for i in range(5)]
    job = contacts_job(alice, rows, keys=["email"])
    job.status, job.total_rows = ImportJob.Status.RUNNING, 5
    job.save()
    seen = []

    def stop_after_first_batch(current):
        seen.append(current.rows_done)
        ImportJob.objects.filter(pk=current.pk).update(lease="another-run")  # as if the worker died here

    Importer(job, progress=stop_after_first_batch).run()
    job.refresh_from_db()
    assert (job.rows_done, Contact.objects.count()) == (2, 2)

    job = services.run(job.pk)

    assert (job.status, job.rows_done, job.created_count) == (ImportJob.Status.COMPLETED, 5, 5)
    assert Contact.objects.count() == 5
    # what a rollback would delete: exactly the contacts there are, each once
    logged = [pk for change in ImportChange.objects.filter(job=job) for pk in change.object_ids]
    assert sorted(logged) == sorted(Contact.objects.values_list("pk", flat=True))


def test_a_cancelled_import_keeps_its_committed_batches_only(alice, settings):
    settings.IMPORT_BATCH_SIZE = 2
    rows = [[f"Person{i}", "Lee", "", "", ""] for i in range(6)]
    job = contacts_job(alice, rows)
    job.status = ImportJob.Status.RUNNING
    job.save()

    def cancel_after_first(current):
        ImportJob.objects.filter(pk=current.pk).update(cancel_requested=True)

    job = Importer(job, progress=cancel_after_first).run()

    assert (job.status, job.created_count, Contact.objects.count()) == (ImportJob.Status.CANCELLED, 2, 2)


def test_records_the_importer_may_not_change_are_refused_and_unseen_ones_are_not_revealed(alice, bob, record_rights):
    record_rights("contacts")
    ContactFactory(owner=bob, email="bobs@x.example")
    job = run(contacts_job(alice, [["Ann", "Lee", "", "bobs@x.example", ""]], keys=["email"]))

    # bob's contact is invisible to alice: no match, so a new contact of hers, and nothing about bob's
    assert (job.created_count, job.updated_count, job.refused_count) == (1, 0, 0)
    assert Contact.objects.filter(email="bobs@x.example").count() == 2


def test_a_read_only_column_cannot_be_mapped(alice, role_tree):
    from crm.access.models import ColumnRight, Membership

    Membership.objects.create(user=alice, role=role_tree.team_a)
    ColumnRight.objects.create(
        section="contacts", field_name="job_title", role=role_tree.team_a, access=ColumnRight.Access.READ
    )
    job = services.create_job(user=alice, section_name="contacts", upload=upload(xlsx_bytes([["Job title"]])))

    assert "job_title" not in job.mapping.values()
    with pytest.raises(ValidationError, match="cannot be imported by you: job_title"):
        services.configure(user=alice, job=job, sheet="", mapping={"0": "job_title"}, keys=[], lookup_mode="refuse")


def test_a_semicolon_csv_in_windows_1252_is_read(alice):
    content = csv_bytes([["Given name", "Surname"], ["Renée", "Müller"]], encoding="cp1252", delimiter=";")
    job = services.create_job(user=alice, section_name="contacts", upload=upload(content, "people.csv"))
    job = services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse")

    run(job)

    assert (job.encoding, job.delimiter) == ("cp1252", ";")
    assert Contact.objects.get(surname="Müller").given_name == "Renée"


def test_numbers_and_dates_are_read_in_the_ways_people_write_them(alice):
    header = ["Name", "Annual revenue"]
    content = xlsx_bytes([["Given name", "Surname", "Birth date"], ["Ann", "Lee", "29.11.1980"]])
    job = services.create_job(user=alice, section_name="contacts", upload=upload(content))
    run(services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse"))

    assert str(Contact.objects.get(surname="Lee").birth_date) == "1980-11-29"
    assert header and Decimal("1.5")  # the decimal converter is tested with products below


def test_an_account_number_comes_from_its_sequence(alice):
    content = xlsx_bytes([["Name"], ["Acme"], ["Globex"]])
    job = services.create_job(user=alice, section_name="accounts", upload=upload(content, "a.xlsx"))
    run(services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse"))

    codes = list(Account.objects.filter(name__in=["Acme", "Globex"]).order_by("name").values_list("code", flat=True))
    assert all(codes) and len(set(codes)) == 2


def test_imported_contacts_get_their_communication_options(alice):
    from contacts.models import ContactCommunication

    run(contacts_job(alice, [["Ann", "Lee", "", "ann@x.example", "+1 555 0100"]]))

    contact = Contact.objects.get(surname="Lee")
    options = {(o.type.name, o.value, o.is_primary) for o in ContactCommunication.objects.filter(contact=contact)}
    assert options == {("Email", "ann@x.example", True), ("Mobile phone", "+1 555 0100", True)}


def test_updated_contacts_get_their_primary_options_changed_or_made_in_bulk(
    alice, django_assert_max_num_queries, settings
):
    from contacts.models import ContactCommunication, ContactCommunicationType
    from contacts.services import contacts_imported

    mobile = ContactCommunicationType.objects.get(name="Mobile phone")
    with_phone = ContactFactory(owner=alice, email="ann@x.example", mobile_phone="+1 555 0100")
    ContactCommunication.objects.create(contact=with_phone, type=mobile, value="+1 555 0100", is_primary=True)
    other = ContactCommunication.objects.create(contact=with_phone, type=mobile, value="+1 555 0999")
    rows = [["", "", "", "ann@x.example", "+1 555 0199"], ["Bo", "Ma", "", "bo@x.example", ""]]
    job = run(contacts_job(alice, rows, keys=["email"]))
    assert (job.created_count, job.updated_count) == (1, 1)
    bo = Contact.objects.get(email="bo@x.example")

    ann_options = {
        (o.type.name, o.value, o.is_primary) for o in ContactCommunication.objects.filter(contact=with_phone)
    }
    assert ann_options == {
        ("Mobile phone", "+1 555 0199", True),  # the primary one changed
        ("Mobile phone", "+1 555 0999", False),  # the other one left alone
        ("Email", "ann@x.example", True),  # made: there was none
    }
    assert ContactCommunication.objects.get(pk=other.pk).is_primary is False

    # the same queries for one updated record or fifty: types, current options, the update, the new rows
    records = [
        ContactFactory(owner=alice, email=f"p{i}@x.example", mobile_phone=f"+1 555 01{i:02d}") for i in range(50)
    ]
    with django_assert_max_num_queries(5):
        contacts_imported(user=alice, created=[], updated=[bo, *records])
    assert ContactCommunication.objects.filter(contact__in=records, is_primary=True).count() == 100


def test_an_import_is_followed_by_a_duplicate_search_of_its_section(alice):
    from crm.duplicates.models import DuplicateSearch

    run(contacts_job(alice, [["Ann", "Lee", "", "ann@x.example", ""]]))

    assert DuplicateSearch.objects.filter(section="contacts").exists()


def test_a_record_named_by_its_code_is_found(alice):
    """A file names a currency by its ISO code and an account by its code, as other systems export them."""
    from products.models import Product

    job = services.create_job(
        user=alice,
        section_name="products",
        upload=upload(xlsx_bytes([["Code", "Name", "Currency"], ["A-1", "Anvil", "EUR"], ["A-2", "Axe", "gbp"]])),
    )
    job = run(services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse"))

    assert (job.created_count, job.refused_count) == (2, 0)
    assert dict(Product.objects.values_list("code", "currency__code")) == {"A-1": "EUR", "A-2": "GBP"}

    account = AccountFactory(owner=alice, name="Northwind Traders")
    job = run(contacts_job(alice, [["Ann", "Lee", account.code, "", ""]]))
    assert job.created_count == 1 and Contact.objects.get(surname="Lee").account == account


def test_a_name_wins_over_another_record_code(alice):
    named = AccountFactory(owner=alice, name="ZX-1")
    AccountFactory(owner=alice, name="Coded", code="ZX-1")

    run(contacts_job(alice, [["Ann", "Lee", "ZX-1", "", ""]]))

    assert Contact.objects.get(surname="Lee").account == named


def products_job(user, rows, *, keys=()):
    content = xlsx_bytes([["Code", "Name", "Base price"], *rows])
    job = services.create_job(user=user, section_name="products", upload=upload(content, "catalogue.xlsx"))
    return services.configure(user=user, job=job, sheet="", mapping=job.mapping, keys=list(keys), lookup_mode="refuse")


def test_a_value_against_the_field_rules_is_refused_with_the_rule(alice):
    from products.models import Product

    job = run(products_job(alice, [["A-1", "Anvil", -3], ["A-2", "Axe", 10]]))

    assert (job.created_count, job.refused_count) == (2, 0)
    assert job.row_warnings.get().message == "Base price: Ensure this value is greater than or equal to 0; left empty."
    assert Product.objects.get(code="A-1").price == 0


def test_rows_the_database_refuses_are_refused_one_by_one_and_the_others_kept(alice):
    """Without a key, two rows with one product code: the database takes the first only. The batch does not
    fail: the second row is refused with the reason, the rest of the batch is written."""
    from products.models import Product

    rows = [["A-1", "Anvil", 5], ["A-1", "Anvil again", 6], ["A-2", "Axe", 7]]

    preview = services.dry_run(user=alice, job=products_job(alice, rows))
    assert (preview.created, [r[0] for r in preview.refused]) == (2, [3])
    assert [sample[0] for sample in preview.samples] == [2, 4]
    assert not Product.objects.exists()

    job = run(products_job(alice, rows))
    assert (job.status, job.created_count, job.refused_count) == (ImportJob.Status.COMPLETED, 2, 1)
    assert job.refused_rows.get().reason == "Another product already has the code “A-1”."
    assert dict(Product.objects.values_list("code", "name")) == {"A-1": "Anvil", "A-2": "Axe"}
    assert ImportChange.objects.filter(job=job, action=ImportChange.Action.CREATED).exists()


def test_an_update_the_database_refuses_leaves_that_record_as_it_was(alice):
    from products.models import Product

    run(products_job(alice, [["A-1", "Anvil", 5], ["A-2", "Axe", 7]]))
    # keyed by name: the axe would take the anvil's code, the anvil gets a new price
    job = run(products_job(alice, [["A-1", "Axe", 8], ["A-1", "Anvil", 9]], keys=["name"]))

    assert (job.updated_count, job.refused_count) == (1, 1)
    assert job.refused_rows.get().reason == "Another product already has the code “A-1”."
    assert sorted(Product.objects.values_list("code", "name", "price")) == [
        ("A-1", "Anvil", Decimal("9.00")),
        ("A-2", "Axe", Decimal("7.00")),
    ]


def test_a_tax_is_never_made_from_a_name_alone(alice):
    """Told to create missing values, an import adds a brand or a unit, but not a tax: its rate would be 0."""
    from products.models import Brand, Tax

    content = xlsx_bytes(
        [["Code", "Name", "Brand", "Tax"], ["A-1", "Anvil", "Acme", "VAT 21%"], ["A-2", "Axe", "Acme", ""]]
    )
    job = services.create_job(user=alice, section_name="products", upload=upload(content))
    job = services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="create")

    preview = services.dry_run(user=alice, job=job)  # the preview shows the values it would create
    assert preview.created == 2 and "Acme" in str(preview.samples)
    job = run(job)

    assert (job.created_count, job.refused_count) == (2, 0)
    assert job.row_warnings.get().message == (
        "Tax: There is no tax “VAT 21%” (new taxes are added by an administrator); left empty."
    )
    assert not Tax.objects.filter(name="VAT 21%").exists()
    assert Brand.objects.filter(name="Acme").exists()


def test_the_dry_run_names_the_values_it_found_or_would_make(alice):
    from products.models import Brand

    content = xlsx_bytes([["Code", "Name", "Brand", "Tax", "Currency"], ["A-1", "Anvil", "Acme", "vat", "eur"]])
    job = services.create_job(user=alice, section_name="products", upload=upload(content))
    job = services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="create")

    [(_, _, values)] = services.dry_run(user=alice, job=job).samples

    assert {name: str(value) for name, value in values.items() if name in ("Brand", "Tax", "Currency")} == {
        "Brand": "Acme",  # made for the dry run, and gone with it
        "Tax": "VAT (20%)",
        "Currency": "EUR",
    }
    assert not Brand.objects.filter(name="Acme").exists()


def test_the_database_reasons_read_as_the_user_would_say_them():
    from django.db import IntegrityError

    from crm.imports.engine import refusal
    from products.models import PriceList, Product

    class Cause(Exception):
        def __init__(self, constraint_name):
            self.diag = type("Diag", (), {"constraint_name": constraint_name})()

    def error(text, constraint_name=None):
        failure = IntegrityError(text)
        failure.__cause__ = Cause(constraint_name) if constraint_name else None
        return failure

    product = Product(code="A-1")
    # PostgreSQL names the constraint; SQLite says it in its message
    assert refusal(Product, product, error("duplicate key", "products_product_code_key")) == (
        "Another product already has the code “A-1”."
    )
    assert refusal(Product, product, error("UNIQUE constraint failed: products_product.code")) == (
        "Another product already has the code “A-1”."
    )
    assert refusal(PriceList, PriceList(), error("duplicate key", "pricelist_one_base")) == (
        "Another price list already has the same base price list."
    )
    assert refusal(Product, product, error("CHECK constraint failed: product_price_not_negative\nmore")) == (
        "The database refused the row: CHECK constraint failed: product_price_not_negative"
    )


def test_numbers_beyond_what_a_column_holds_are_refused_not_crashed_on(alice):
    from crm.imports.fields import Converter, RefusedValue
    from products.models import Product

    job = run(products_job(alice, [["A-1", "Rich", "1e30"], ["A-2", "Ok", 10]]))

    assert job.row_warnings.get().message == "Base price: “1e30” is too large; left empty."
    assert Product.objects.get(code="A-1").price == 0
    # an integer beyond its column is refused by the column's own limit, before the database sees it
    spec = next(s for s in importable_fields(registry.get("opportunities"), alice) if s.name == "probability")
    with pytest.raises(RefusedValue, match="less than or equal to"):
        Converter(spec, user=alice, create_lookups=False)("1e30")


def test_the_refused_rows_workbook_writes_no_header_or_cell_as_a_formula(alice, tmp_path):
    hostile = ['=HYPERLINK("http://evil.example","click")', "@SUM(1)", "+1 555", "-cmd"]
    content = csv_bytes([[*HEADER, *hostile], ["", "", "", "ann", "", *hostile]])
    job = run(contacts_job(alice, [], name="contacts.csv", content=content))
    assert job.refused_count == 1

    path = tmp_path / "refused.xlsx"
    path.write_bytes(services.refused_workbook(job))
    cells = [cell for row in load_workbook(path).active.iter_rows() for cell in row]
    assert [cell.value for cell in cells[5:9]] == ["'" + text for text in hostile]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not [cell.value for cell in cells if str(cell.value or "").startswith(("=", "+", "-", "@"))]
