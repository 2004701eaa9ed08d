"""The export files of tests/imports/files/exports (written from the documented formats of Google Contacts, Outlook,
Thunderbird, phones, Salesforce, HubSpot, Pipedrive and Zoho), what each column that carries contact data should map
to, and the contacts' import columns with the detail-row columns the details' import extras add (built here from
the address and communication models, named as those extras name them), for tests/imports/test_export_files.py and
bench/mapping.py."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import models

from crm.imports.fields import FieldSpec, importable_fields, suggest_mapping
from crm.sections import registry

FILES = Path(__file__).parent / "files" / "exports"

CONTACT_ADDRESS_TYPES = ("home", "work")
ADDRESS_PARTS = ("street", "street_line2", "house_number", "city", "zip_code", "region", "country")
CONTACT_COMMUNICATION_TYPES = (
    "business_phone",
    "mobile_phone",
    "home_phone",
    "email",
    "web",
    "skype",
    "facebook",
    "twitter",
    "linkedin",
)


def detail_specs(address_types=CONTACT_ADDRESS_TYPES, communication_types=CONTACT_COMMUNICATION_TYPES) -> list:
    """The detail columns as the details' import extras name them: addresses by type and part, communication
    options by type (three of each), a contact's photo and birthday without a year."""
    specs = []
    for kind in address_types:
        for part in ADDRESS_PARTS:
            label = f"{kind.capitalize()} address: {part.replace('_', ' ')}"
            specs.append(
                FieldSpec(f"address__{kind}__{part}", label, models.CharField(max_length=250), "text", extra=True)
            )
    for kind in communication_types:
        for number in ("", "__2", "__3"):
            label = f"{kind.replace('_', ' ').capitalize()}{' ' + number[2:] if number else ''}"
            specs.append(
                FieldSpec(f"communication__{kind}{number}", label, models.CharField(max_length=250), "text", extra=True)
            )
    specs.append(FieldSpec("photo", "Photo", models.TextField(), "text", extra=True))
    specs.append(
        FieldSpec("birthday_day_month", "Birthday (day and month)", models.CharField(max_length=5), "text", extra=True)
    )
    return specs


def contact_specs(user) -> list:
    """The contacts' import columns for `user`, with the detail columns (those already offered are not added
    twice)."""
    specs = importable_fields(registry.get("contacts"), user)
    names = {spec.name for spec in specs}
    return specs + [spec for spec in detail_specs() if spec.name not in names]


def headers_of(name: str) -> list[str]:
    with open(FILES / name, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


#: per file: header -> the field it must map to; None: a column carrying no contact data we keep (a qualifier,
#: a nickname, an owner), which must map to nothing
EXPECTED: dict[str, dict[str, str | None]] = {
    "google_old.csv": {
        "Name": "full_name",
        "Given Name": "given_name",
        "Additional Name": "middle_name",
        "Family Name": "surname",
        "Name Prefix": "salutation",
        "Nickname": None,
        "Birthday": "birth_date",
        "Notes": "notes",
        "Group Membership": None,
        "E-mail 1 - Type": None,
        "E-mail 1 - Value": "email",
        "E-mail 2 - Type": None,
        "E-mail 2 - Value": "communication__email__2",
        "Phone 1 - Type": None,
        "Phone 1 - Value": "mobile_phone",
        "Phone 2 - Type": None,
        "Phone 2 - Value": "business_phone",
        "Address 1 - Type": None,
        "Address 1 - Formatted": None,
        "Address 1 - Street": "address__home__street",
        "Address 1 - City": "address__home__city",
        "Address 1 - Postal Code": "address__home__zip_code",
        "Address 1 - Region": "address__home__region",
        "Address 1 - Country": "address__home__country",
        "Organization 1 - Type": None,
        "Organization 1 - Name": "account",
        "Organization 1 - Title": "job_title",
        "Organization 1 - Department": "department",
        "Website 1 - Type": None,
        "Website 1 - Value": "communication__web",
    },
    "google_new.csv": {
        "First Name": "given_name",
        "Middle Name": "middle_name",
        "Last Name": "surname",
        "Phonetic First Name": None,
        "Name Prefix": "salutation",
        "Name Suffix": None,
        "Nickname": None,
        "File As": None,
        "Organization Name": "account",
        "Organization Title": "job_title",
        "Organization Department": "department",
        "Birthday": "birth_date",
        "Notes": "notes",
        "Photo": "photo",
        "Labels": None,
        "E-mail 1 - Label": None,
        "E-mail 1 - Value": "email",
        "E-mail 2 - Label": None,
        "E-mail 2 - Value": "communication__email__2",
        "Phone 1 - Label": None,
        "Phone 1 - Value": "mobile_phone",
        "Phone 2 - Label": None,
        "Phone 2 - Value": "business_phone",
        "Address 1 - Label": None,
        "Address 1 - Formatted": None,
        "Address 1 - Street": "address__home__street",
        "Address 1 - City": "address__home__city",
        "Address 1 - PO Box": None,
        "Address 1 - Region": "address__home__region",
        "Address 1 - Postal Code": "address__home__zip_code",
        "Address 1 - Country": "address__home__country",
        "Address 1 - Extended Address": "address__home__street_line2",
        "Website 1 - Label": None,
        "Website 1 - Value": "communication__web",
    },
    "outlook.csv": {
        "Title": "salutation",
        "First Name": "given_name",
        "Middle Name": "middle_name",
        "Last Name": "surname",
        "Suffix": None,
        "Company": "account",
        "Department": "department",
        "Job Title": "job_title",
        "Business Street": "address__work__street",
        "Business Street 2": "address__work__street_line2",
        "Business City": "address__work__city",
        "Business State": "address__work__region",
        "Business Postal Code": "address__work__zip_code",
        "Business Country/Region": "address__work__country",
        "Home Street": "address__home__street",
        "Home City": "address__home__city",
        "Home State": "address__home__region",
        "Home Postal Code": "address__home__zip_code",
        "Home Country/Region": "address__home__country",
        "Business Fax": None,
        "Business Phone": "business_phone",
        "Home Phone": "communication__home_phone",
        "Mobile Phone": "mobile_phone",
        "Other Phone": "communication__business_phone__2",
        "Pager": None,
        "Account": None,
        "Birthday": "birth_date",
        "Categories": None,
        "E-mail Address": "email",
        "E-mail Type": None,
        "E-mail Display Name": None,
        "E-mail 2 Address": "communication__email__2",
        "E-mail 2 Type": None,
        "E-mail 3 Address": "communication__email__3",
        "Notes": "notes",
        "Web Page": "communication__web",
    },
    "thunderbird.csv": {
        "First Name": "given_name",
        "Last Name": "surname",
        "Display Name": "full_name",
        "Nickname": None,
        "Primary Email": "email",
        "Secondary Email": "communication__email__2",
        "Screen Name": None,
        "Work Phone": "business_phone",
        "Home Phone": "communication__home_phone",
        "Fax Number": None,
        "Pager Number": None,
        "Mobile Number": "mobile_phone",
        "Home Address": "address__home__street",
        "Home Address 2": "address__home__street_line2",
        "Home City": "address__home__city",
        "Home State": "address__home__region",
        "Home ZipCode": "address__home__zip_code",
        "Home Country": "address__home__country",
        "Work Address": "address__work__street",
        "Work Address 2": "address__work__street_line2",
        "Work City": "address__work__city",
        "Work State": "address__work__region",
        "Work ZipCode": "address__work__zip_code",
        "Work Country": "address__work__country",
        "Job Title": "job_title",
        "Department": "department",
        "Organization": "account",
        "Web Page 1": "communication__web",
        "Web Page 2": "communication__web__2",
        "Birth Year": None,
        "Birth Month": None,
        "Birth Day": None,
        "Custom 1": None,
        "Custom 2": None,
        "Custom 3": None,
        "Custom 4": None,
        "Notes": "notes",
    },
    "phone.csv": {
        "First name": "given_name",
        "Last name": "surname",
        "Company": "account",
        "Mobile": "mobile_phone",
        "Home": "communication__home_phone",
        "Work": "business_phone",
        "Email": "email",
        "Home Email": "communication__email__2",
        "Work Email": "communication__email",
        "Home Street": "address__home__street",
        "Home City": "address__home__city",
        "Home ZIP": "address__home__zip_code",
        "Home Country": "address__home__country",
        "Birthday": "birth_date",
        "Note": "notes",
    },
    "salesforce.csv": {
        "Salutation": "salutation",
        "First Name": "given_name",
        "Last Name": "surname",
        "Title": "job_title",
        "Account Name": "account",
        "Email": "email",
        "Phone": "business_phone",
        "Mobile": "mobile_phone",
        "Fax": None,
        "Mailing Street": "address__work__street",
        "Mailing City": "address__work__city",
        "Mailing State/Province": "address__work__region",
        "Mailing Zip/Postal Code": "address__work__zip_code",
        "Mailing Country": "address__work__country",
        "Birthdate": "birth_date",
        "Department": "department",
        "Description": "notes",
        "Contact Owner": "owner",
        "Lead Source": None,
    },
    "hubspot.csv": {
        "Record ID": None,
        "First Name": "given_name",
        "Last Name": "surname",
        "Email": "email",
        "Phone Number": "business_phone",
        "Mobile Phone Number": "mobile_phone",
        "Company Name": "account",
        "Job Title": "job_title",
        "Street Address": "address__work__street",
        "City": "address__work__city",
        "State/Region": "address__work__region",
        "Postal Code": "address__work__zip_code",
        "Country/Region": "address__work__country",
        "Website URL": "communication__web",
        "Contact owner": "owner",
        "Lifecycle Stage": None,
        "Create Date": None,
    },
    "pipedrive.csv": {
        "Person - Name": "full_name",
        "Person - Email": "email",
        "Person - Phone": "business_phone",
        "Person - Organization": "account",
        "Person - Owner": "owner",
        "Person - Label": None,
    },
    "zoho.csv": {
        "Contact Name": "full_name",
        "First Name": "given_name",
        "Last Name": "surname",
        "Account Name": "account",
        "Email": "email",
        "Secondary Email": "communication__email__2",
        "Phone": "business_phone",
        "Mobile": "mobile_phone",
        "Home Phone": "communication__home_phone",
        "Title": "job_title",
        "Department": "department",
        "Mailing Street": "address__work__street",
        "Mailing City": "address__work__city",
        "Mailing State": "address__work__region",
        "Mailing Zip": "address__work__zip_code",
        "Mailing Country": "address__work__country",
        "Date of Birth": "birth_date",
        "Description": "notes",
        "Contact Owner": "owner",
    },
}


def measure(user) -> dict[str, tuple[int, int, list[str]]]:
    """Per file: (data columns mapped to the right field, data columns, what went wrong)."""
    specs = contact_specs(user)
    results = {}
    for name, expected in EXPECTED.items():
        headers = headers_of(name)
        mapping = {headers[int(i)]: field for i, field in suggest_mapping(headers, specs).items()}
        right, wrong = 0, []
        for header in headers:
            want, got = expected[header], mapping.get(header)
            if want is not None and got == want:
                right += 1
            elif want != got:
                wrong.append(f"{header}: {got or '—'} (expected {want or '—'})")
        data = sum(1 for want in expected.values() if want is not None)
        results[name] = (right, data, wrong)
    return results
