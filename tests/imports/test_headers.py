"""Headers as exports name them: every header the vCard reader and the common exports write maps to its field,
the contact's own fields first; qualifier columns, Thunderbird's Birth Day and a column fitting two fields map to
nothing; Outlook's Title and Account are read beside Job Title and Company; accounts read Account as the name."""

import pytest

from crm.imports.fields import importable_fields, suggest_mapping
from crm.sections import registry

from .export_files import contact_specs, detail_specs

pytestmark = pytest.mark.django_db

VCARD_HEADERS = {
    "First Name": "given_name",
    "Middle Name": "middle_name",
    "Last Name": "surname",
    "Title": "salutation",
    "Full Name": "full_name",
    "Company": "account",
    "Department": "department",
    "Job Title": "job_title",
    "E-mail Address": "email",
    "E-mail 2 Address": "communication__email__2",
    "E-mail 3 Address": "communication__email__3",
    "Mobile Phone": "mobile_phone",
    "Home Phone": "communication__home_phone",
    "Business Phone": "business_phone",
    "Business Fax": "communication__fax",
    "Other Phone": "communication__business_phone__2",
    "Home Street": "address__home__street",
    "Home City": "address__home__city",
    "Home State": "address__home__region",
    "Home Postal Code": "address__home__zip_code",
    "Home Country/Region": "address__home__country",
    "Business Street": "address__work__street",
    "Business City": "address__work__city",
    "Business State": "address__work__region",
    "Business Postal Code": "address__work__zip_code",
    "Business Country/Region": "address__work__country",
    "Web Page": "communication__web",
    "Birthday": "birth_date",
    "Birthday (day and month)": "birthday_day_month",
    "Notes": "notes",
    "Photo": "photo",
}


def mapped(headers, specs) -> dict[str, str]:
    return {headers[int(index)]: name for index, name in suggest_mapping(headers, specs).items()}


def test_every_header_the_vcard_reader_writes_maps_to_its_field(alice):
    # contacts have no fax type among the seeded ones: an installation that adds "Fax" gets its column
    specs = contact_specs(alice) + detail_specs(address_types=(), communication_types=("fax",))

    assert mapped(list(VCARD_HEADERS), specs) == VCARD_HEADERS


def test_qualifier_columns_are_never_taken_for_a_field(alice):
    headers = ["E-mail 1 - Type", "E-mail 1 - Value", "Phone 2 - Label", "Address 1 - Type", "E-mail Type", "Type"]

    assert mapped(headers, contact_specs(alice)) == {"E-mail 1 - Value": "email", "Type": "type"}


def test_thunderbirds_birth_day_is_not_the_birthdate(alice):
    assert mapped(["Birth Year", "Birth Month", "Birth Day", "Birthday"], contact_specs(alice)) == {
        "Birthday": "birth_date"
    }


def test_a_column_that_fits_two_fields_is_left_for_the_user(alice):
    # its words are in both the home and the work address's street
    assert mapped(["Address street"], contact_specs(alice)) == {}


def test_a_title_alone_is_the_job_title_as_salesforce_writes_it(alice):
    assert mapped(["Title", "Account Name"], contact_specs(alice)) == {"Title": "job_title", "Account Name": "account"}


def test_outlooks_account_column_beside_company_maps_to_nothing(alice):
    assert mapped(["Account", "Company"], contact_specs(alice)) == {"Company": "account"}


def test_in_accounts_an_account_column_is_the_name_not_the_parent(alice):
    specs = importable_fields(registry.get("accounts"), alice)

    assert mapped(["Account", "Phone", "City"], specs) == {"Account": "name", "Phone": "phone", "City": "city"}


def test_the_contacts_own_fields_come_before_its_detail_rows(alice):
    headers = ["E-mail 1 - Value", "Primary Email", "Work Phone", "Mobile Phone", "Home Phone", "Work City"]

    assert mapped(headers, contact_specs(alice)) == {
        "E-mail 1 - Value": "email",
        "Primary Email": "communication__email",
        "Work Phone": "business_phone",
        "Mobile Phone": "mobile_phone",
        "Home Phone": "communication__home_phone",
        "Work City": "address__work__city",
    }


@pytest.mark.parametrize("header", ["Name", "Contact name", "ContactName", "Display Name", "Full Name"])
def test_a_name_in_one_column_is_the_full_name(alice, header):
    assert mapped([header], contact_specs(alice)) == {header: "full_name"}
