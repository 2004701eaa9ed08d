"""Read helpers of the Contacts section: the age card and the queryset vCards are written from."""

from __future__ import annotations

from django.db import models

from crm import access
from crm.core.events import next_occurrence
from crm.sections import registry

from . import vcard
from .models import Contact, ContactAddress, ContactCommunication


def age_card(user, contact: Contact) -> dict | None:
    """The contact's age and next birthday (no card without a birthdate, nor for who may not see it)."""
    if contact.birth_date is None or not access.can_read_value(user, registry.for_model(Contact), "age"):
        return None
    next_birthday = next_occurrence(contact.birth_date)
    return {"age": contact.age, "next_birthday": next_birthday, "turns": next_birthday.year - contact.birth_date.year}


def for_vcards(queryset: models.QuerySet) -> models.QuerySet:
    """Contacts with everything a vCard holds, in a constant number of queries."""
    return queryset.select_related("account", "salutation").prefetch_related(
        models.Prefetch("communication_options", queryset=ContactCommunication.objects.select_related("type")),
        models.Prefetch("addresses", queryset=ContactAddress.objects.select_related("type")),
    )


def to_card(contact: Contact, fields: access.FieldAccess) -> vcard.Card:
    """What a contact's vCard says (the contact comes from `for_vcards`): of its fields, those `fields` (the
    reader's column rights) allow."""

    def shown(name: str, value, hidden=""):
        return value if fields.can_read_value(name) else hidden

    return vcard.Card(
        full_name=contact.full_name,
        surname=contact.surname,
        given_name=contact.given_name,
        middle_name=contact.middle_name,
        prefix=contact.salutation.name if contact.salutation_id else "",
        organisation=contact.account.name if contact.account_id else "",
        department=shown("department", contact.department),
        title=shown("job_title", contact.job_title),
        note=shown("notes", contact.notes),
        birthday=shown("birth_date", contact.birth_date, None),
        options=[
            vcard.Option(option.type.kind, option.type.name, option.value, option.is_primary)
            for option in contact.communication_options.all()
        ],
        addresses=[
            vcard.Address(
                type_name=address.type.name,
                street=address.street,
                city=address.city,
                region=address.region,
                zip_code=address.zip_code,
                country=address.country,
                preferred=address.is_primary,
            )
            for address in contact.addresses.all()
        ],
    )
