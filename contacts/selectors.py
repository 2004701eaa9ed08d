"""Read helpers of the Contacts section: the age card and the queryset vCards are written from."""

from __future__ import annotations

from django.db import models

from crm.core.events import next_occurrence

from . import vcard
from .models import Contact, ContactAddress, ContactCommunication


def age_card(user, contact: Contact) -> dict | None:
    """The contact's age and next birthday (no card without a birthdate)."""
    if contact.birth_date is None:
        return None
    next_birthday = next_occurrence(contact.birth_date)
    return {"age": contact.age, "next_birthday": next_birthday, "turns": next_birthday.year - contact.birth_date.year}


def for_vcards(queryset: models.QuerySet) -> models.QuerySet:
    """Contacts with everything a vCard holds, in a constant number of queries."""
    return queryset.select_related("account", "salutation").prefetch_related(
        models.Prefetch("communication_options", queryset=ContactCommunication.objects.select_related("type")),
        models.Prefetch("addresses", queryset=ContactAddress.objects.select_related("type")),
    )


def to_card(contact: Contact) -> vcard.Card:
    """What a contact's vCard says (the contact comes from `for_vcards`)."""
    return vcard.Card(
        full_name=contact.full_name,
        surname=contact.surname,
        given_name=contact.given_name,
        middle_name=contact.middle_name,
        prefix=contact.salutation.name if contact.salutation_id else "",
        organisation=contact.account.name if contact.account_id else "",
        department=contact.department,
        title=contact.job_title,
        note=contact.notes,
        birthday=contact.birth_date,
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
