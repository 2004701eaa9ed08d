"""The Tags column of an import: comma-separated names added to the records' tags, created or refused as lookups
are, bad names warned with the reason, another user's private tag never touched, and the rollback."""

import pytest
from django.urls import reverse

from contacts.models import Contact
from crm.access.models import Membership, OperationRight
from crm.imports import services
from crm.imports.models import ImportJob
from crm.sections import registry, tags
from crm.sections.models import Tag
from tests.factories import ContactFactory

from .conftest import csv_bytes, upload

pytestmark = pytest.mark.django_db

HEADER = ["First name", "Last name", "Email", "Tags"]


def tags_job(user, rows, *, create=False, keys=()):
    content = csv_bytes([HEADER, *rows])
    job = services.create_job(user=user, section_name="contacts", upload=upload(content, "contacts.csv"))
    mode = ImportJob.LookupMode.CREATE if create else ImportJob.LookupMode.REFUSE
    job = services.configure(user=user, job=job, sheet="", mapping=job.mapping, keys=list(keys), lookup_mode=mode)
    services.start(user=user, job=job)
    return services.run(job.pk)


def tag_names(user, contact) -> list[str]:
    return [tag.name for tag in tags.tags_of(user, registry.get("contacts"), contact)]


def test_the_tags_header_maps_to_the_tags_column(alice):
    job = services.create_job(user=alice, section_name="contacts", upload=upload(csv_bytes([HEADER]), "c.csv"))

    assert job.mapping["3"] == "tags"


def test_known_tags_are_put_on_the_imported_records(alice):
    tags.create_tag(user=alice, section=registry.get("contacts"), name="Golf partner")

    job = tags_job(alice, [["Ann", "Lee", "ann@x.example", "golf PARTNER"]])

    assert (job.created_count, job.warning_count) == (1, 0)
    assert tag_names(alice, Contact.objects.get(surname="Lee")) == ["Golf partner"]


def test_unknown_tags_are_left_off_with_the_reason_unless_the_import_creates_missing_values(alice):
    refused = tags_job(alice, [["Ann", "Lee", "ann@x.example", "Fair 2026, Golf"]])

    warning = refused.row_warnings.get().message
    assert warning == "Tags: There is no tag “Fair 2026” (allow creating missing values to add it); left empty."
    assert tag_names(alice, Contact.objects.get(surname="Lee")) == []
    assert not Tag.objects.exists()

    tags_job(alice, [["Bo", "Ma", "bo@x.example", "Fair 2026, Golf"]], create=True)

    assert tag_names(alice, Contact.objects.get(surname="Ma")) == ["Fair 2026", "Golf"]
    assert set(Tag.objects.values_list("author", flat=True)) == {alice.pk}  # the importer's private tags


def test_an_importer_with_the_right_creates_corporate_tags(bob, role_tree):
    Membership.objects.create(user=bob, role=role_tree.administrators)
    OperationRight.objects.create(operation="manage_corporate_tags", role=role_tree.administrators, allowed=True)

    tags_job(bob, [["Ann", "Lee", "ann@x.example", "VIP"]], create=True)

    assert Tag.objects.get().private is False


def test_a_tag_name_of_ten_thousand_characters_is_warned_with_the_limit(alice):
    job = tags_job(alice, [["Ann", "Lee", "ann@x.example", "x" * 10_000]], create=True)

    assert "at most 40 characters; this one has 10,000" in job.row_warnings.get().message
    assert not Tag.objects.exists()


def test_hostile_markup_in_a_tag_cell_is_taken_out(alice):
    tags_job(
        alice,
        [["Ann", "Lee", "ann@x.example", "<script>alert(1)</script>VIP<img src=x onerror=alert(1)>"]],
        create=True,
    )

    assert list(Tag.objects.values_list("name", flat=True)) == ["VIP"]


def test_a_name_of_another_users_private_tag_gives_the_importer_a_tag_of_their_own(alice, bob):
    contacts = registry.get("contacts")
    theirs = tags.create_tag(user=bob, section=contacts, name="Secret")

    tags_job(alice, [["Ann", "Lee", "ann@x.example", "Secret"]], create=True)
    contact = Contact.objects.get(surname="Lee")

    assert tag_names(alice, contact) == ["Secret"]
    assert tag_names(bob, contact) == []
    assert not theirs.records.exists()


def test_updating_a_record_adds_tags_and_the_rollback_takes_them_off(alice):
    contacts = registry.get("contacts")
    contact = ContactFactory(owner=alice, given_name="Ann", surname="Lee", email="ann@x.example")
    tags.tag_record(user=alice, section=contacts, obj=contact, names="Golf")

    job = tags_job(alice, [["Ann", "Lee", "ann@x.example", "Fair 2026"]], create=True, keys=["email"])
    assert (job.updated_count, tag_names(alice, contact)) == (1, ["Fair 2026", "Golf"])

    services.rollback(user=alice, job=job)

    assert tag_names(alice, contact) == ["Golf"]


def test_a_row_with_tags_the_record_has_already_is_unchanged(alice):
    contacts = registry.get("contacts")
    contact = ContactFactory(owner=alice, given_name="Ann", surname="Lee", email="ann@x.example")
    tags.tag_record(user=alice, section=contacts, obj=contact, names="Golf, Fair")

    job = tags_job(alice, [["Ann", "Lee", "ann@x.example", "golf"]], keys=["email"])

    assert (job.updated_count, job.unchanged_count) == (0, 1)


def test_an_export_with_tags_goes_back_in_with_them(alice, alice_client):
    contacts = registry.get("contacts")
    contact = ContactFactory(owner=alice, given_name="Ann", surname="Lee", email="ann@x.example")
    tags.tag_record(user=alice, section=contacts, obj=contact, names="Golf, Fair 2026")
    exported = b"".join(alice_client.get(reverse("contacts:export"), {"format": "csv"}).streaming_content)
    Contact.objects.all().delete()

    job = services.create_job(user=alice, section_name="contacts", upload=upload(exported, "contacts.csv"))
    job = services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse")
    services.start(user=alice, job=job)
    services.run(job.pk)

    assert tag_names(alice, Contact.objects.get(surname="Lee")) == ["Fair 2026", "Golf"]
