"""What files call the fields: the headers of the common exports (Google Contacts old and new, Outlook, Thunderbird,
Apple Contacts through the vCard reader, phones, Salesforce, HubSpot, Zoho, Pipedrive) and of spreadsheets in
general, by header key (`fields.header_key`: "E-mail 2 Address" -> "email2address").

A header names fields in order of preference; the first the section has and the user may write, and that no other
column took, is chosen. Detail-row columns are named as the sections' import extras name them:
`address__<type>__<part>` and `communication__<type>[__2|__3]` (type: the type's name lower-cased, other characters
"_"), so a header only ever matches a column some section really offers.
"""

from __future__ import annotations

import re

#: the address parts as exports name them (header key) -> the part's name in `address__<type>__<part>`
ADDRESS_PARTS: dict[str, str] = {
    "street": "street",
    "address": "street",
    "streetaddress": "street",
    "addressline1": "street",
    "street1": "street",
    "street2": "street_line2",
    "address2": "street_line2",
    "addressline2": "street_line2",
    "extendedaddress": "street_line2",
    "housenumber": "house_number",
    "houseno": "house_number",
    "city": "city",
    "town": "city",
    "suburb": "city",
    "locality": "city",
    "postalcode": "zip_code",
    "postcode": "zip_code",
    "zip": "zip_code",
    "zipcode": "zip_code",
    "zippostalcode": "zip_code",
    "state": "region",
    "region": "region",
    "province": "region",
    "stateprovince": "region",
    "stateregion": "region",
    "country": "country",
    "countryregion": "country",
}

#: what an export's prefix of an address part means: the address types it fills, in order of preference
#: (contacts have home and work addresses; accounts legal, actual and delivery ones)
ADDRESS_PREFIXES: dict[str, tuple[str, ...]] = {
    "home": ("home",),
    "private": ("home",),
    "personal": ("home",),
    "business": ("work", "actual"),
    "work": ("work", "actual"),
    "office": ("work", "actual"),
    "company": ("work", "actual"),
    "mailing": ("work", "legal"),  # Salesforce: a contact's mailing address is where they work
    "billing": ("legal",),
    "legal": ("legal",),
    "registered": ("legal",),
    "shipping": ("delivery",),
    "delivery": ("delivery",),
    "actual": ("actual",),
    "address1": ("home", "legal"),  # Google: the first address is mostly the home one
    "address2": ("work", "actual"),
}
#: an address part without a type ("City", "Postal Code" in HubSpot): the record's own field first, then the
#: address where a contact works or an account is registered
UNTYPED_ADDRESS = ("work", "legal")


def _address_headers() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for part_key, part in ADDRESS_PARTS.items():
        own = (part,) if part in ("city", "country") else ()  # an account's own city and country
        table[part_key] = (*own, *(f"address__{kind}__{part}" for kind in UNTYPED_ADDRESS))
        for prefix, kinds in ADDRESS_PREFIXES.items():  # "Home Street", "Business Street 2", "Work ZipCode"
            table[f"{prefix}{part_key}"] = tuple(f"address__{kind}__{part}" for kind in kinds)
    return table


def _numbered(template: str, fields: list[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """ "email{n}value" with n = 1, 2, 3 -> the fields of the first, second and third column."""
    return {template.format(n=n): choice for n, choice in enumerate(fields, start=1)}


FIRST_EMAIL = ("email", "communication__email")
SECOND_EMAIL = ("communication__email__2",)
THIRD_EMAIL = ("communication__email__3",)
MOBILE = ("mobile_phone", "communication__mobile_phone")
BUSINESS_PHONE = ("business_phone", "phone", "communication__business_phone", "communication__primary_phone")
HOME_PHONE = ("communication__home_phone",)
OTHER_PHONE = ("communication__business_phone__2", "communication__additional_phone")
FAX = ("communication__fax",)
WEB = ("web", "communication__web")
COMPANY = ("account", "name", "account_name")

#: header key -> the fields it names, first choice first
HEADERS: dict[str, tuple[str, ...]] = {
    **_address_headers(),
    # names
    "name": ("full_name", "contact_name", "name"),
    "fullname": ("full_name", "contact_name"),
    "contactname": ("full_name", "contact_name"),
    "contactfullname": ("full_name", "contact_name"),
    "displayname": ("full_name", "contact_name"),
    "personname": ("full_name", "contact_name"),
    "contact": ("contact", "full_name", "contact_name"),
    "firstname": ("given_name",),
    "givenname": ("given_name",),
    "forename": ("given_name",),
    "christianname": ("given_name",),
    "personfirstname": ("given_name",),
    "middlename": ("middle_name",),
    "additionalname": ("middle_name",),
    "lastname": ("surname",),
    "familyname": ("surname",),
    "personlastname": ("surname",),
    "nameprefix": ("salutation",),
    "salutation": ("salutation",),
    "prefix": ("salutation",),
    # the organisation
    "company": COMPANY,
    "companyname": COMPANY,
    "organisation": COMPANY,
    "organization": COMPANY,
    "organisationname": COMPANY,
    "organizationname": COMPANY,
    "organization1name": COMPANY,
    "personorganization": COMPANY,
    "personorganisation": COMPANY,
    "accountname": COMPANY,
    "account": COMPANY,
    "customer": ("account",),
    "client": ("account",),
    "jobtitle": ("job_title",),
    "organizationtitle": ("job_title",),
    "organization1title": ("job_title",),
    "position": ("job_title",),
    "role": ("job_title",),
    "designation": ("job_title",),
    "department": ("department",),
    "organizationdepartment": ("department",),
    "organization1department": ("department",),
    # e-mail
    "mail": FIRST_EMAIL,
    "email": FIRST_EMAIL,
    "emailaddress": FIRST_EMAIL,
    "primaryemail": FIRST_EMAIL,
    "workemail": FIRST_EMAIL,
    "businessemail": FIRST_EMAIL,
    "personemail": FIRST_EMAIL,
    "secondaryemail": SECOND_EMAIL,
    "homeemail": SECOND_EMAIL,
    "personalemail": SECOND_EMAIL,
    "privateemail": SECOND_EMAIL,
    "otheremail": THIRD_EMAIL,
    **_numbered("email{n}value", [FIRST_EMAIL, SECOND_EMAIL, THIRD_EMAIL]),
    **_numbered("email{n}address", [FIRST_EMAIL, SECOND_EMAIL, THIRD_EMAIL]),
    **_numbered("email{n}", [FIRST_EMAIL, SECOND_EMAIL, THIRD_EMAIL]),
    # phones
    "mobile": MOBILE,
    "mobilephone": MOBILE,
    "mobilenumber": MOBILE,
    "mobilephonenumber": MOBILE,
    "cell": MOBILE,
    "cellphone": MOBILE,
    "cellular": MOBILE,
    "iphone": MOBILE,
    "phone": BUSINESS_PHONE,
    "telephone": BUSINESS_PHONE,
    "tel": BUSINESS_PHONE,
    "phonenumber": BUSINESS_PHONE,
    "personphone": BUSINESS_PHONE,
    "workphone": BUSINESS_PHONE,
    "officephone": BUSINESS_PHONE,
    "businessphone": BUSINESS_PHONE,
    "work": BUSINESS_PHONE,  # phone exports: a column per kind of number
    "primaryphone": ("communication__primary_phone", "business_phone", "phone"),
    "businessphone2": ("communication__business_phone__2", "communication__additional_phone"),
    "companymainphone": ("phone", "communication__primary_phone"),
    "homephone": HOME_PHONE,
    "home": HOME_PHONE,
    "privatephone": HOME_PHONE,
    "homephone2": ("communication__home_phone__2",),
    "otherphone": OTHER_PHONE,
    "other": OTHER_PHONE,
    "additionalphone": ("communication__additional_phone", "communication__business_phone__2"),
    "fax": FAX,
    "faxnumber": FAX,
    "businessfax": FAX,
    "workfax": FAX,
    # Google numbers its phones without saying which kind in the header: the first is mostly the mobile
    **_numbered("phone{n}value", [MOBILE, BUSINESS_PHONE, HOME_PHONE]),
    # the web
    "web": WEB,
    "webpage": WEB,
    "webpage1": WEB,
    "website": WEB,
    "website1value": WEB,
    "site": WEB,
    "homepage": WEB,
    "websiteurl": WEB,
    "url": ("web", "url", "communication__web"),
    "webpage2": ("communication__web__2",),
    "website2value": ("communication__web__2",),
    "personalwebpage": ("communication__web__2",),
    "skype": ("communication__skype",),
    "facebook": ("communication__facebook",),
    "twitter": ("communication__twitter",),
    "linkedin": ("communication__linkedin",),
    # personal
    "birthday": ("birth_date",),
    "birthdate": ("birth_date",),
    "dob": ("birth_date",),
    "dateofbirth": ("birth_date",),
    "birthdaydayandmonth": ("birthday_day_month",),
    "photo": ("photo",),
    "picture": ("photo",),
    "sex": ("gender",),
    "language": ("language",),
    "note": ("notes", "comment", "description"),
    "comments": ("notes", "comment", "description"),
    "remarks": ("notes", "comment", "description"),
    "description": ("description", "notes", "comment"),
    # accounts
    "headcount": ("employees",),
    "staff": ("employees",),
    "revenue": ("annual_revenue",),
    "turnover": ("annual_revenue",),
    # products
    "sku": ("code",),
    "article": ("code",),
    "articlenumber": ("code",),
    "itemcode": ("code",),
    "productcode": ("code",),
    "partnumber": ("code",),
    "productname": ("name",),
    "product": ("name",),
    "item": ("name",),
    "listprice": ("price",),
    "unitprice": ("price",),
    "uom": ("unit",),
    "unitofmeasure": ("unit",),
    "vat": ("tax",),
    "manufacturer": ("brand",),
    "group": ("category",),
    "productgroup": ("category",),
}

#: headers whose meaning depends on another column of the file: key -> (the other column's key, the fields when
#: it is there, the fields when it is not). Outlook's "Title" is the title before a name ("Dr.") because Outlook
#: also writes "Job Title"; Salesforce's "Title" alone is the job title. Outlook's "Account" is an Outlook field
#: beside "Company", which names the organisation.
CONTEXTUAL: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "title": ("jobtitle", ("salutation",), ("job_title", "salutation")),
    "account": ("company", (), COMPANY),
}

#: headers, as words, that look like a field and are not: Thunderbird's "Birth Day" holds a day number, not the
#: birthdate (nor do its "Birth Month" and "Birth Year")
NOT_FIELDS = frozenset({"birth day", "birth month", "birth year", "birth date day", "address 1 formatted"})

#: the words before a qualifier that show what it qualifies ("E-mail Type", "Phone 2 - Label")
QUALIFIED = frozenset(
    "e mail email phone address website web organization organisation im relation event custom field".split()
)


def is_qualifier(header: str, words: list[str]) -> bool:
    """Whether the column says what kind another column's value is ("E-mail 1 - Type" = Work, "Phone 2 - Label" =
    Mobile, Outlook's "E-mail Type" = SMTP or "E-mail Display Name"): never a field itself. A column named "Type"
    or "Contact type" alone is the record's own type."""
    if len(words) < 2:
        return False
    if words[-1] in ("type", "label", "labels"):
        qualified = words[:-1]
    elif words[-2:] == ["display", "name"]:
        qualified = words[:-2]
    else:
        return False
    return bool(qualified) and (
        any(word.isdigit() for word in qualified) or " - " in header or bool(QUALIFIED & set(qualified))
    )


def contextual(key: str, file_keys: set[str]) -> tuple[str, ...] | None:
    """The fields a header of `CONTEXTUAL` names in this file, or None when its meaning does not depend on it."""
    rule = CONTEXTUAL.get(key)
    if rule is None:
        return None
    other, present, absent = rule
    return present if other in file_keys else absent


def not_a_field(words: list[str]) -> bool:
    return " ".join(words) in NOT_FIELDS or bool(re.fullmatch(r"address \d+ (formatted|po box)", " ".join(words)))
