"""vCard export and import of contacts: escaping and folding, a round trip that gives the same contact back, and
malformed or hostile files refused with a message and nothing created."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts import selectors, vcard
from contacts.models import Contact, ContactAddressType, ContactCommunicationType, Salutation
from contacts.services import import_vcards
from crm import access
from crm.sections import details, registry, services
from tests.factories import AccountFactory, ContactFactory
from tests.factories.customers import lookup


def card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n"


def exported(contact) -> str:
    contact = selectors.for_vcards(Contact.objects.filter(pk=contact.pk)).get()
    fields = access.fields_for(contact.owner, registry.get("contacts"))
    return vcard.render([selectors.to_card(contact, fields)])


# --- the format --------------------------------------------------------------------------------------------


def test_text_values_are_escaped():
    text = vcard.render_card(vcard.Card(full_name="Smith, John; Jr\\", note="line one\nline two"))

    assert "FN:Smith\\, John\\; Jr\\\\\r\n" in text
    assert "NOTE:line one\\nline two\r\n" in text


def test_long_lines_are_folded_at_75_octets_without_cutting_a_character():
    note = "Grüße aus Köln! " * 20

    text = vcard.render_card(vcard.Card(full_name="Jörg", note=note))

    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert vcard.parse(text)[0].note == note.strip()


def test_vcard_2_1_quoted_printable_and_bare_types_are_read():
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:M=C3=BCller;J=C3=B6rg\r\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BC=\r\nller\r\n"
        "TEL;CELL;PREF:+49 170 1234567\r\nEND:VCARD\r\n"
    )

    parsed = vcard.parse(text)[0]

    assert parsed.full_name == "Jörg Müller"
    assert [(o.type_name, o.value, o.preferred) for o in parsed.options] == [("Mobile phone", "+49 170 1234567", True)]


def test_vcard_4_values_with_uris_and_groups_are_read():
    text = card("FN:Ann Lee", "item1.TEL;VALUE=uri;TYPE=home:tel:+1-555-0100", "BDAY:19800229")

    parsed = vcard.parse(text)[0]

    assert [(o.type_name, o.value) for o in parsed.options] == [("Home phone", "+1-555-0100")]
    assert parsed.birthday == datetime.date(1980, 2, 29)


# --- the round trip ----------------------------------------------------------------------------------------


def profile(contact) -> dict:
    """What a vCard carries of a contact."""
    contact = Contact.objects.get(pk=contact.pk)
    return {
        "names": (contact.full_name, contact.given_name, contact.middle_name, contact.surname),
        "salutation": contact.salutation,
        "account": contact.account,
        "work": (contact.job_title, contact.department),
        "fields": (contact.email, contact.mobile_phone, contact.business_phone, contact.birth_date, contact.notes),
        "options": sorted(contact.communication_options.values_list("type__name", "value", "is_primary")),
        "addresses": sorted(
            contact.addresses.values_list("type__name", "street", "zip_code", "city", "region", "country", "is_primary")
        ),
    }


def test_a_contact_exported_then_imported_comes_back_the_same(alice):
    section = registry.get("contacts")
    account = AccountFactory(name="Smith, Jones; Partners", owner=alice)
    original = services.create_record(
        section=section,
        user=alice,
        data={
            "given_name": "Anne-Marie",
            "middle_name": "Zoë",
            "surname": "O'Brien",
            "salutation": lookup(Salutation, "Dr"),
            "account": account,
            "job_title": "Head of R&D, Europe",
            "department": "Research; Development",
            "email": "anne@smith.example",
            "mobile_phone": "+44 7700 900123",
            "business_phone": "+44 20 7946 0000",
            "birth_date": datetime.date(1984, 2, 29),
            "notes": "Prefers calls\nafter 10:00, never on Fridays",
        },
    )
    add = details.add_row
    options = section.get_detail("communication_options")
    for type_name, value in [
        ("Email", "a.obrien@home.example"),
        ("Home phone", "+44 20 7946 0999"),
        ("Web", "https://obrien.example/about"),
        ("Skype", "anne.obrien"),
        ("LinkedIn", "https://www.linkedin.com/in/anne-obrien"),
    ]:
        add(
            detail=options,
            user=alice,
            record=original,
            data={"type": lookup(ContactCommunicationType, type_name), "value": value},
        )
    addresses = section.get_detail("addresses")
    for type_name, street, city in [("Work", "1 Canada Square", "London"), ("Home", "7 Rose Lane, Flat 2", "Oxford")]:
        add(
            detail=addresses,
            user=alice,
            record=original,
            data={
                "type": lookup(ContactAddressType, type_name),
                "street": street,
                "zip_code": "E14 5AB",
                "city": city,
                "region": "England",
                "country": "United Kingdom",
            },
        )

    [copy] = import_vcards(user=alice, data=exported(original).encode())

    assert copy.pk != original.pk
    assert profile(copy) == profile(original)


def test_a_file_of_several_cards_makes_several_contacts_linked_to_the_accounts_they_name(alice):
    account = AccountFactory(name="Northwind Traders", owner=alice)
    text = card("FN:Nancy Davolio", "ORG:northwind traders;Purchasing") + card("N:Fuller;Andrew;;;", "TITLE:VP Sales")

    nancy, andrew = import_vcards(user=alice, data=text)

    assert (nancy.account, nancy.department) == (account, "Purchasing")
    assert (andrew.full_name, andrew.job_title, andrew.account) == ("Andrew Fuller", "VP Sales", None)
    assert andrew.career.count() == 0 and nancy.career.count() == 1


HOSTILE = [
    (b"", "holds no vCard"),
    (b"hello world", "is not a vCard property"),
    (card("FN:A").removesuffix("END:VCARD\r\n"), "is not closed with END:VCARD"),
    ("BEGIN:VCARD\r\nVERSION:3.0\r\nBEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n", "begins inside another card"),
    ("END:VCARD\r\n", "END without a matching BEGIN"),
    ("FN:Loose\r\n", "Content outside BEGIN:VCARD"),
    (card("FN:A").replace("VERSION:3.0", "VERSION:9.9"), "Unsupported vCard version"),
    (card("TITLE:Nobody"), "has no name"),
    (b"BEGIN:VCARD\r\nFN:\xff\xfe\r\nEND:VCARD", "not UTF-8"),
    (card("FN:Nul\x00l"), "binary data"),
    (card("FN:A", "NOTE:" + "a" * 30_000), "too long"),
    (card("FN:A", "BDAY:1990-13-45"), "is not a date"),
    (card("FN:A", *["NOTE:x"] * 301), "more than 300 properties"),
    (card("FN:A") * 501, "more than 500 cards"),
    (b"NOTE:" + b"a" * (vcard.MAX_BYTES + 1), "larger than"),
    (card("FN:A", "EMAIL:<script>alert(1)</script>"), "Enter a valid email address."),
    (card("FN:A", "URL:javascript:alert(1)"), "Enter a web address starting with http"),
    (card("FN:A", "TEL;TYPE=HOME:'; DROP TABLE contacts_contact; --"), "Enter a phone number"),
    (card("FN:" + "A" * 300), "at most 250 characters"),
    (card("FN:Good") + card("FN:Bad", "EMAIL:not-an-email"), "Card 2 (Bad, line 5)"),
]


@pytest.mark.parametrize(("data", "message"), HOSTILE, ids=[message for _, message in HOSTILE])
def test_a_malformed_or_hostile_file_is_refused_with_a_message_and_creates_nothing(alice, data, message):
    with pytest.raises(ValidationError) as refused:
        import_vcards(user=alice, data=data)

    assert message in " ".join(refused.value.messages)
    assert not Contact.objects.exists()


# --- the pages ---------------------------------------------------------------------------------------------


def test_a_contacts_vcard_is_downloaded_from_its_page(alice_client, alice):
    contact = ContactFactory(given_name="Nancy", surname="Davolio", owner=alice)

    page = alice_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    response = alice_client.get(reverse("contacts:vcard", args=[contact.pk]))

    assert f'href="{reverse("contacts:vcard", args=[contact.pk])}"' in page
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="nancy-davolio.vcf"'
    assert "FN:Nancy Davolio\r\n" in response.content.decode()


def test_the_list_selection_is_exported_as_one_file_in_a_constant_number_of_queries(alice_client, alice):
    few = [c.pk for c in ContactFactory.create_batch(2, owner=alice)]
    many = [c.pk for c in ContactFactory.create_batch(12, owner=alice)]
    url = reverse("contacts:vcard_export")
    alice_client.post(url, {"ids": few})  # warm up: the session, the access rules

    with CaptureQueriesContext(connection) as for_few:
        alice_client.post(url, {"ids": few})
    with CaptureQueriesContext(connection) as for_many:
        response = alice_client.post(url, {"ids": many})

    assert response.content.decode().count("BEGIN:VCARD") == 12
    assert len(for_many) == len(for_few)


def test_the_list_offers_the_vcard_export_and_import(alice_client, alice):
    ContactFactory(owner=alice)

    body = alice_client.get(reverse("contacts:list")).content.decode()

    assert f'formaction="{reverse("contacts:vcard_export")}"' in body
    assert f'href="{reverse("contacts:vcard_import")}"' in body


def test_importing_a_file_on_the_import_page(alice_client):
    upload = SimpleUploadedFile("people.vcf", card("FN:Nancy Davolio").encode(), content_type="text/vcard")

    response = alice_client.post(reverse("contacts:vcard_import"), {"file": upload})

    nancy = Contact.objects.get()
    assert response.url == reverse("contacts:detail", args=[nancy.pk])


def test_a_refused_file_is_explained_on_the_import_page(alice_client):
    upload = SimpleUploadedFile("people.vcf", card("FN:A", "BDAY:yesterday").encode(), content_type="text/vcard")

    response = alice_client.post(reverse("contacts:vcard_import"), {"file": upload})

    assert response.status_code == 422
    assert "Line 4: The birthday “yesterday” is not a date" in response.content.decode()
    assert not Contact.objects.exists()
