"""Columns find their fields by what spreadsheets call them, not only by the fields' exact labels."""

import re

import pytest

from crm.imports import services
from crm.imports.fields import importable_fields, suggest_mapping
from crm.sections import registry

from .conftest import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def suggested(user, section_name, headers, earlier=None):
    specs = importable_fields(registry.get(section_name), user)
    mapping = suggest_mapping(headers, specs, earlier)
    return {headers[int(index)]: name for index, name in mapping.items()}


def test_common_names_of_contact_columns_find_their_fields(alice):
    headers = ["Forename", "Family name", "Company", "E-mail address", "Cell", "Telephone", "DOB", "Position"]

    assert suggested(alice, "contacts", headers) == {
        "Forename": "given_name",
        "Family name": "surname",
        "Company": "account",
        "E-mail address": "email",
        "Cell": "mobile_phone",
        "Telephone": "business_phone",
        "DOB": "birth_date",
        "Position": "job_title",
    }


def test_a_header_that_is_part_of_one_label_finds_that_field(alice):
    assert suggested(alice, "contacts", ["Mobile", "Business", "Middle"]) == {
        "Mobile": "mobile_phone",
        "Business": "business_phone",
        "Middle": "middle_name",
    }


def test_a_header_holding_a_whole_label_finds_that_field(alice):
    assert suggested(alice, "contacts", ["Contact email", "Contact type", "Department name"]) == {
        "Contact email": "email",
        "Contact type": "type",
        "Department name": "department",
    }


def test_a_header_that_fits_several_fields_is_left_for_the_user(alice):
    # "Account owner" holds both the "account" and the "owner" labels; "Name" alone is ambiguous for words
    assert suggested(alice, "contacts", ["Account owner", "Number"]) == {}


def test_the_same_words_mean_the_section_own_field(alice):
    """ "Company" is the account of a contact but the name of an account; "Phone" is each one's phone."""
    assert suggested(alice, "accounts", ["Company", "Phone", "Website", "Headcount", "Turnover"]) == {
        "Company": "name",
        "Phone": "phone",
        "Website": "web",
        "Headcount": "employees",
        "Turnover": "annual_revenue",
    }


def test_a_product_catalogue_maps_itself(alice):
    headers = ["SKU", "Product name", "List price", "UoM", "VAT", "Manufacturer", "Product group"]

    assert suggested(alice, "products", headers) == {
        "SKU": "code",
        "Product name": "name",
        "List price": "price",
        "UoM": "unit",
        "VAT": "tax",
        "Manufacturer": "brand",
        "Product group": "category",
    }


def test_an_exact_label_wins_over_a_looser_match_in_an_earlier_column(alice):
    # "Mobile" alone would mean the mobile phone, but a later column is called exactly that: "Mobile" is then
    # a further mobile number (a communication option)
    assert suggested(alice, "contacts", ["Mobile", "Mobile phone"]) == {
        "Mobile phone": "mobile_phone",
        "Mobile": "communication__mobile_phone",
    }


def test_an_earlier_import_choice_wins_over_the_synonyms(alice):
    assert suggested(alice, "contacts", ["Company", "Cell"], earlier={"Cell": "business_phone"}) == {
        "Company": "account",
        "Cell": "business_phone",
    }


def test_fields_the_user_may_not_write_are_never_suggested(alice, role_tree):
    from crm.access.models import ColumnRight, Membership

    Membership.objects.create(user=alice, role=role_tree.team_a)
    ColumnRight.objects.create(
        section="contacts", field_name="mobile_phone", role=role_tree.team_a, access=ColumnRight.Access.READ
    )

    assert "Cell" not in suggested(alice, "contacts", ["Cell", "Forename"])


def test_an_upload_maps_loosely_named_columns(alice):
    content = xlsx_bytes([["Forename", "Surname", "Company", "Mobile"], ["Ann", "Lee", "Northwind", "+1 555 0100"]])

    job = services.create_job(user=alice, section_name="contacts", upload=upload(content))

    assert job.mapping == {"0": "given_name", "1": "surname", "2": "account", "3": "mobile_phone"}


# --- the key suggested with the mapping --------------------------------------------------------------------------


def test_a_mapped_identifying_field_is_suggested_as_the_key(alice):
    content = xlsx_bytes([["First name", "Last name", "Email"], ["Ann", "Lee", "ann@x.example"]])

    job = services.create_job(user=alice, section_name="contacts", upload=upload(content))

    assert job.keys == ["email"]


def test_no_key_is_suggested_when_no_identifying_field_is_mapped(alice):
    content = xlsx_bytes([["First name", "Last name"], ["Ann", "Lee"]])

    assert services.create_job(user=alice, section_name="contacts", upload=upload(content)).keys == []


def test_a_product_catalogue_is_keyed_by_code(alice):
    content = xlsx_bytes([["SKU", "Product name"], ["A-1", "Anvil"]])

    assert services.create_job(user=alice, section_name="products", upload=upload(content)).keys == ["code"]


def test_the_keys_of_the_latest_import_come_back_when_the_file_maps_them(alice):
    from crm.imports.models import ImportJob

    header = ["First name", "Last name", "Mobile phone", "Email"]
    earlier = services.create_job(user=alice, section_name="contacts", upload=upload(xlsx_bytes([header])))
    ImportJob.objects.filter(pk=earlier.pk).update(status="completed", keys=["given_name", "surname"])

    again = services.create_job(user=alice, section_name="contacts", upload=upload(xlsx_bytes([header])))
    assert again.keys == ["given_name", "surname"]
    # a file without those columns falls back to the section's own identifying field
    other = services.create_job(user=alice, section_name="contacts", upload=upload(xlsx_bytes([["Name", "Email"]])))
    assert other.keys == ["email"]


def test_the_mapping_page_ticks_the_suggested_key(alice_client):
    from django.urls import reverse

    response = alice_client.post(
        reverse("imports:new") + "?section=contacts",
        {"section": "contacts", "file": upload(xlsx_bytes([["Name", "Email"], ["Ann Lee", "ann@x.example"]]))},
    )
    html = alice_client.get(response["Location"]).content.decode()

    ticked = re.findall(r'<input type="checkbox" name="keys" value="(\w+)"[^>]* checked>', html)
    assert ticked == ["email"]
