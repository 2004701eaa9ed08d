"""Detail rows come in with the record: a contacts or accounts file brings addresses by type and several
communication options per type (the primary mirrored in the record's own fields), a contact's photo and a
birthday without a year; a second import of the same file changes nothing, a rollback puts back what was there,
and a contacts export goes back in without loss."""

import base64
import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from accounts.models import Account
from contacts.models import Contact, ContactEvent, ContactType
from crm.imports import services
from crm.imports.fields import importable_fields
from crm.sections import registry
from crm.sections.models import Attachment
from tests.factories import AccountFactory, ContactFactory

from .conftest import csv_bytes, upload

pytestmark = pytest.mark.django_db

CONTACT_COLUMNS = {
    "First name": "given_name",
    "Last name": "surname",
    "Email": "email",
    "Home Street": "address__home__street",
    "Home House": "address__home__house_number",
    "Home Line 2": "address__home__street_line2",
    "Home City": "address__home__city",
    "Home Postcode": "address__home__zip_code",
    "Business City": "address__work__city",
    "Business Country": "address__work__country",
    "E-mail 2": "communication__email__2",
    "Mobile": "communication__mobile_phone",
}
CONTACT_ROW = [
    "Ann",
    "Lee",
    "ann@x.example",
    "Main Street",
    "12",
    "Back house",
    "Springfield",
    "12345",
    "Berlin",
    "Germany",
    "ann.lee@y.example",
    "+49 171 5550100",
]


def run(user, section, columns: dict, rows: list[list], *, keys=()):
    """Import `rows` under the headers of `columns` (header -> spec name), mapped by those spec names."""
    content = csv_bytes([list(columns), *rows])
    job = services.create_job(user=user, section_name=section, upload=upload(content, f"{section}.csv"))
    mapping = {str(index): name for index, name in enumerate(columns.values())}
    job = services.configure(user=user, job=job, sheet="", mapping=mapping, keys=list(keys), lookup_mode="refuse")
    services.start(user=user, job=job)
    return services.run(job.pk)


def addresses(record) -> dict[str, tuple]:
    return {
        a.type.name: (a.street, a.zip_code, a.city, a.country, a.is_primary)
        for a in record.addresses.select_related("type")
    }


def options(record) -> set[tuple]:
    return {(o.type.name, o.value, o.is_primary) for o in record.communication_options.select_related("type")}


def image_bytes(kind: str = "JPEG") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(output, kind)
    return output.getvalue()


def test_the_detail_columns_are_named_by_type_and_part(alice):
    specs = {spec.name: spec.label for spec in importable_fields(registry.get("contacts"), alice) if spec.extra}

    assert specs["address__home__street"] == "Home address: street"
    assert specs["address__work__street_line2"] == "Work address: address line 2"
    assert specs["address__work__zip_code"] == "Work address: ZIP/postal code"
    assert specs["communication__mobile_phone"] == "Mobile phone"
    assert specs["communication__home_phone__3"] == "Home phone 3"
    assert (specs["photo"], specs["birthday_day_month"]) == ("Photo", "Birthday (day and month)")
    accounts = {spec.name for spec in importable_fields(registry.get("accounts"), alice) if spec.extra}
    assert {"address__legal__city", "address__delivery__country", "communication__fax__2"} <= accounts


def test_a_contact_comes_in_with_its_addresses_and_options_the_primary_mirrored(alice):
    job = run(alice, "contacts", CONTACT_COLUMNS, [CONTACT_ROW])

    assert (job.created_count, job.refused_count) == (1, 0)
    contact = Contact.objects.get()
    assert addresses(contact) == {
        "Home": ("Main Street 12\nBack house", "12345", "Springfield", "", True),
        "Work": ("", "", "Berlin", "Germany", False),
    }
    assert options(contact) == {
        ("Email", "ann@x.example", True),
        ("Email", "ann.lee@y.example", False),
        ("Mobile phone", "+49 171 5550100", True),
    }
    assert (contact.email, contact.mobile_phone) == ("ann@x.example", "+49 171 5550100")


def test_the_same_file_again_changes_nothing(alice):
    run(alice, "contacts", CONTACT_COLUMNS, [CONTACT_ROW], keys=["email"])
    contact = Contact.objects.get()
    before = (addresses(contact), options(contact))

    again = run(alice, "contacts", CONTACT_COLUMNS, [CONTACT_ROW], keys=["email"])

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    assert (addresses(contact), options(contact)) == before


def test_a_rollback_removes_the_details_it_made_and_restores_the_changed_ones(alice):
    contact = ContactFactory(owner=alice, given_name="Ann", surname="Lee", email="ann@x.example")
    contact.addresses.create(
        type_id=_type(contact.addresses, "Home"), street="Old Road 1", city="Oldtown", is_primary=True
    )
    contact.communication_options.create(
        type_id=_type(contact.communication_options, "Email"),
        value="ann@x.example",
        normalized="ann@x.example",
        is_primary=True,
    )
    before = (addresses(contact), options(contact))

    job = run(alice, "contacts", CONTACT_COLUMNS, [CONTACT_ROW], keys=["email"])
    assert job.updated_count == 1
    assert addresses(contact)["Home"][2] == "Springfield"
    assert ("Mobile phone", "+49 171 5550100", True) in options(contact)

    services.rollback(user=alice, job=job)

    contact.refresh_from_db()
    assert (addresses(contact), options(contact)) == before
    assert (contact.email, contact.mobile_phone) == ("ann@x.example", "")


def _type(manager, name: str) -> int:
    return manager.model._meta.get_field("type").related_model.objects.get(name=name).pk


def test_the_mobile_phone_column_and_its_field_make_one_option(alice):
    columns = {"First name": "given_name", "Mobile phone": "mobile_phone", "Mobile 2": "communication__mobile_phone"}

    run(alice, "contacts", columns, [["Ann", "+1 555 0100", "+1 555 0100"]])

    assert options(Contact.objects.get()) == {("Mobile phone", "+1 555 0100", True)}


def test_an_account_comes_in_with_its_addresses_and_phones(alice):
    columns = {
        "Name": "name",
        "Legal street": "address__legal__street",
        "Legal city": "address__legal__city",
        "Delivery country": "address__delivery__country",
        "Phone": "communication__primary_phone",
        "Fax": "communication__fax",
    }

    job = run(alice, "accounts", columns, [["Northwind", "Dock Road 5", "Hamburg", "Germany", "+49 40 555", "040 556"]])

    assert (job.created_count, job.refused_count) == (1, 0)
    account = Account.objects.get()
    assert addresses(account) == {
        "Legal": ("Dock Road 5", "", "Hamburg", "", True),
        "Delivery": ("", "", "", "Germany", False),
    }
    assert options(account) == {("Primary phone", "+49 40 555", True), ("Fax", "040 556", True)}
    assert account.phone == "+49 40 555"


def test_a_phone_that_is_no_phone_number_is_left_out_with_the_reason(alice):
    job = run(
        alice, "contacts", {"First name": "given_name", "Home phone": "communication__home_phone"}, [["Ann", "call me"]]
    )

    assert job.row_warnings.get().message == (
        "Home phone: Enter a phone number: digits, spaces, +, -, ( ) and an optional extension; left empty."
    )
    assert not Contact.objects.get(given_name="Ann").communication_options.exists()


def test_a_photo_is_kept_as_an_attachment_and_a_non_image_is_left_out(alice):
    columns = {"First name": "given_name", "Photo": "photo"}
    photo = "data:image/jpeg;base64," + base64.b64encode(image_bytes()).decode()
    not_an_image = base64.b64encode(b"just some text, not a picture").decode()

    job = run(alice, "contacts", columns, [["Ann", photo], ["Bob", not_an_image]])

    assert job.row_warnings.get().message == "Photo: The photo is not an image; left empty."
    attachment = Attachment.objects.get()
    assert (attachment.record, attachment.name) == (Contact.objects.get(given_name="Ann"), "photo.jpg")
    with attachment.file.open("rb") as file:
        assert file.read() == image_bytes()


def test_a_birthday_without_a_year_becomes_a_birthday_event(alice):
    columns = {"First name": "given_name", "Birthday": "birthday_day_month"}

    job = run(alice, "contacts", columns, [["Ann", "--04-15"], ["Bea", "29.02."], ["Cy", "0415"]])

    events = {e.contact.given_name: e.date for e in ContactEvent.objects.select_related("contact")}
    assert events == {"Ann": datetime.date(2000, 4, 15), "Bea": datetime.date(2000, 2, 29)}
    assert (
        job.row_warnings.get().message
        == "Birthday (day and month): “0415” is not a day and month (use --04-15 or 15.04.); left empty."
    )


def test_a_contacts_export_goes_back_in_without_loss(alice, alice_client):
    account = AccountFactory(owner=alice, name="Northwind Traders")
    ContactFactory(
        owner=alice,
        full_name="Ann Lee",
        account=account,
        type=ContactType.objects.order_by("pk").first(),
        email="ann@x.example",
        mobile_phone="+1 555 0100",  # exported as '+1 555 0100 so that no spreadsheet runs it as a formula
        job_title="Buyer",
    )
    exported = b"".join(alice_client.get(reverse("contacts:export"), {"format": "csv"}).streaming_content)
    fields = ("full_name", "account", "job_title", "email", "mobile_phone", "type", "owner")
    before = list(Contact.objects.values(*fields))
    Contact.objects.all().delete()

    job = services.create_job(user=alice, section_name="contacts", upload=upload(exported, "contacts.csv"))
    exported_columns = {"Full name", "Account", "Job title", "Email", "Mobile phone", "Type", "Owner", "Created on"}
    assert set(job.headers) == exported_columns | {"Tags"}
    # every exported field maps back, by its label, and the tags too
    assert sorted(job.mapping.values()) == sorted([*fields, "tags"])
    job = services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse")
    services.start(user=alice, job=job)
    services.run(job.pk)

    assert list(Contact.objects.values(*fields)) == before
