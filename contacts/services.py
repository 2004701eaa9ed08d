"""Contacts' business rules: what follows when a contact or its details change. The contact's email and phones
follow its primary communication options (and back), its birthdate its Birthday event (and back), its career
history its account, and its do-not-contact flags the options' and addresses' do-not-use flags."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account
from crm import access
from crm.core.communication import CommunicationKind, Mirrors
from crm.sections import details

from . import vcard
from .models import (
    BIRTHDAY,
    Contact,
    ContactAddressType,
    ContactCommunication,
    ContactCommunicationType,
    ContactEventType,
    JobExperience,
    Salutation,
)

#: the contact's own fields that show its primary options of these types
MIRRORS = Mirrors(
    option_model=ContactCommunication,
    type_model=ContactCommunicationType,
    fields={"email": "Email", "mobile_phone": "Mobile phone", "business_phone": "Business phone"},
)


def contact_saved(*, user, obj: Contact, previous: dict | None) -> None:
    """After a contact is created or changed (Section.after_save, inside its transaction)."""
    created = previous is None
    changed = set() if created else set(previous)
    if created or changed & {"account", "job_title", "department"}:
        follow_account(obj, account_changed=created or "account" in changed)
    if (created and obj.birth_date) or "birth_date" in changed:
        sync_birthday_event(obj)
    names = MIRRORS.fields.keys() if created else MIRRORS.fields.keys() & changed
    if names:
        rewritten = MIRRORS.push_fields(obj, names)
        details.update_record_fields(obj, {**rewritten, **channel_flags(obj)}, bump_version=False)


# --- career --------------------------------------------------------------------------------------------


def follow_account(contact: Contact, *, account_changed: bool) -> None:
    """The career history follows the contact: joining an account opens a current job there, leaving it ends
    that job; a new title or department while staying is written on the current job."""
    today = timezone.localdate()
    current = contact.career.filter(is_current=True).first()
    if current is not None and not account_changed and current.account_id == contact.account_id:
        JobExperience.objects.filter(pk=current.pk).update(job_title=contact.job_title, department=contact.department)
        return
    if current is not None and current.account_id != contact.account_id:
        end = max(today, current.start_date) if current.start_date else today
        JobExperience.objects.filter(pk=current.pk).update(is_current=False, end_date=end)
        current = None
    if contact.account_id and current is None:
        JobExperience.objects.create(
            contact=contact,
            account_id=contact.account_id,
            job_title=contact.job_title,
            department=contact.department,
            start_date=today,
            is_current=True,
        )


def _end_other_current_jobs(record: Contact, row: JobExperience | None, data: dict) -> None:
    if not data.get("is_current"):
        return
    others = record.career.filter(is_current=True).exclude(pk=getattr(row, "pk", None))
    today = timezone.localdate()
    others.filter(Q(start_date__isnull=True) | Q(start_date__lte=today)).update(is_current=False, end_date=today)
    others.update(is_current=False)


def add_job(*, detail, user, record: Contact, data: dict) -> JobExperience:
    """Add a job to the career history; a new current job ends the one before."""
    details.authorise(user, record)
    with transaction.atomic():
        _end_other_current_jobs(record, None, data)
        return details.add_row(detail=detail, user=user, record=record, data=data)


def change_job(*, detail, user, record: Contact, row: JobExperience, data: dict) -> JobExperience:
    details.authorise(user, record)
    with transaction.atomic():
        _end_other_current_jobs(record, row, data)
        return details.change_row(detail=detail, user=user, record=record, row=row, data=data)


def career_changed(*, user, record: Contact) -> None:
    """After a job is written: the contact's account, title and department are those of the current job."""
    current = record.career.filter(is_current=True).first()
    if current is not None:
        details.update_record_fields(
            record,
            {"account_id": current.account_id, "job_title": current.job_title, "department": current.department},
        )


# --- birthday ------------------------------------------------------------------------------------------


def sync_birthday_event(contact: Contact) -> None:
    """The Birthday noteworthy event says what the birthdate says (made, moved or removed)."""
    birthday = ContactEventType.objects.filter(name=BIRTHDAY).first()
    if birthday is None:
        return  # renamed by an administrator: nothing to keep in sync
    events = contact.noteworthy_events.filter(type=birthday)
    if contact.birth_date is None:
        events.delete()
    elif not events.update(date=contact.birth_date):
        contact.noteworthy_events.create(type=birthday, date=contact.birth_date)


def noteworthy_events_changed(*, user, record: Contact) -> None:
    """After a noteworthy event is written: the birthdate is that of the Birthday event."""
    event = record.noteworthy_events.filter(type__name=BIRTHDAY).first()
    details.update_record_fields(record, {"birth_date": event.date if event else None})


# --- communication options, addresses and do-not-contact flags -------------------------------------------


def channel_flags(contact: Contact) -> dict[str, bool]:
    """A channel is closed when the contact has options for it and every one is marked "do not use"."""
    options = list(contact.communication_options.values_list("type__kind", "type__accepts_sms", "do_not_use"))
    mail = list(contact.addresses.values_list("do_not_use", flat=True))

    def closed(flags: list[bool]) -> bool:
        return bool(flags) and all(flags)

    return {
        "do_not_use_email": closed([dnu for kind, _, dnu in options if kind == CommunicationKind.EMAIL]),
        "do_not_use_phone": closed([dnu for kind, _, dnu in options if kind == CommunicationKind.PHONE]),
        "do_not_use_sms": closed([dnu for kind, sms, dnu in options if kind == CommunicationKind.PHONE and sms]),
        "do_not_use_mail": closed(mail),
    }


def communication_options_changed(*, user, record: Contact) -> None:
    """After a communication option is written: the email and phones follow the primary options, and the
    do-not-contact flags the options' flags."""
    details.update_record_fields(record, {**MIRRORS.values_from_options(record), **channel_flags(record)})


def addresses_changed(*, user, record: Contact) -> None:
    details.update_record_fields(record, channel_flags(record))


# --- vCard import --------------------------------------------------------------------------------------


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def import_vcards(*, user, data: bytes | str) -> list[Contact]:
    """Create a contact for every card of a .vcf file, through the contact services: all or none. A malformed
    file, or a card the contact rules refuse, creates nothing and says which card and why."""
    from crm.sections import registry

    section = registry.get("contacts")
    if not (access.can(user, "create", section) and access.can(user, "import")):
        raise PermissionDenied("You may not import contacts.")
    try:
        cards = vcard.parse(data)
    except vcard.VCardError as error:
        raise ValidationError(str(error))
    created = []
    with transaction.atomic():
        for index, card in enumerate(cards, start=1):
            try:
                created.append(_contact_from_card(user=user, section=section, card=card))
            except ValidationError as error:
                who = card.full_name or " ".join(p for p in (card.given_name, card.surname) if p)
                raise ValidationError(f"Card {index} ({who}, line {card.line}): {_messages(error)}")
    return created


def _contact_from_card(*, user, section, card: vcard.Card) -> Contact:
    from crm.sections.services import create_record

    from . import details as contact_details

    account = None
    if card.organisation:
        account = access.visible(user, Account.objects.filter(name__iexact=card.organisation)).order_by("pk").first()
    mirrored: dict[str, vcard.Option] = {}
    for field_name, type_name in MIRRORS.fields.items():
        candidates = [option for option in card.options if option.type_name == type_name]
        chosen = next((option for option in candidates if option.preferred), candidates[0] if candidates else None)
        if chosen is not None:
            mirrored[field_name] = chosen
    data = {
        "given_name": card.given_name,
        "middle_name": card.middle_name,
        "surname": card.surname,
        "full_name": card.full_name,
        "salutation": Salutation.objects.filter(name__iexact=card.prefix).first() if card.prefix else None,
        "account": account,
        "job_title": card.title,
        "department": card.department,
        "birth_date": card.birthday,
        "notes": card.note,
        **{name: option.value for name, option in mirrored.items()},
    }
    contact = create_record(section=section, user=user, data=data)
    types = list(ContactCommunicationType.objects.active())
    for option in card.options:
        if any(option is chosen for chosen in mirrored.values()):
            continue
        type_ = next((t for t in types if t.name.lower() == option.type_name.lower()), None)
        type_ = type_ or next((t for t in types if t.kind == option.kind), None)
        if type_ is None:
            continue  # a kind of option nobody uses here
        details.add_row(
            detail=contact_details.COMMUNICATION_OPTIONS,
            user=user,
            record=contact,
            data={"type": type_, "value": option.value, "is_primary": option.preferred},
        )
    address_types = list(ContactAddressType.objects.active())
    for address in card.addresses:
        type_ = next(
            (t for t in address_types if t.name == address.type_name), address_types[0] if address_types else None
        )
        if type_ is None:
            continue
        details.add_row(
            detail=contact_details.ADDRESSES,
            user=user,
            record=contact,
            data={
                "type": type_,
                "street": address.street,
                "zip_code": address.zip_code,
                "city": address.city,
                "region": address.region,
                "country": address.country,
                "is_primary": address.preferred,
            },
        )
    return contact


def contacts_imported(*, user, created: list, updated: list) -> None:
    """The section's after_import hook (one call per import batch): new records get their primary communication
    options in bulk, and updated ones have theirs changed (or made) to say the same, in bulk too."""
    MIRRORS.push_created(created)
    MIRRORS.push_updated(updated)


#: words before a name that are no part of it ("Dr. Anna Schmidt")
NAME_PREFIXES = frozenset("mr mrs ms miss dr prof herr frau mme mlle sr sra".split())
NAME_PARTS = ("given_name", "middle_name", "surname")


def split_full_name(full_name: str) -> dict[str, str]:
    """A name as one text in its parts: "Anna Maria Schmidt" -> given Anna, middle Maria, surname Schmidt;
    "Schmidt, Anna" -> given Anna, surname Schmidt; one word is the given name. A title before it is left out."""
    surname, comma, rest = full_name.partition(",")
    if comma and surname.strip() and rest.strip():
        words = [*rest.split(), surname.strip()]
    else:
        words = full_name.split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in NAME_PREFIXES:
        words = words[1:]
    if not words:
        return {}
    if len(words) == 1:
        return {"given_name": words[0][:100]}
    if comma and surname.strip() and rest.strip():  # "Schmidt, Anna Maria": the surname is all before the comma
        given, *middle = rest.split()
        return {"given_name": given[:100], "middle_name": " ".join(middle)[:100], "surname": surname.strip()[:100]}
    return {"given_name": words[0][:100], "middle_name": " ".join(words[1:-1])[:100], "surname": words[-1][:100]}


def person_name_from_email(email: str) -> str:
    """A person's name read from their address: "anna.schmidt@example.com" -> "Anna Schmidt" ("" when the part
    before the "@" holds no letters)."""
    local = email.partition("@")[0].partition("+")[0]
    words = [w for w in re.split(r"[._\-\s]+", re.sub(r"\d+", " ", local)) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def complete_imported_row(values: dict, *, name_from_email: bool) -> str:
    """The section's import_complete hook: a row naming the contact in one column ("Name", "Display Name") gets
    the name's parts too when it has none (the full name follows its parts, as on the form); a row with an email
    and no name is named from the email when the user asked, else refused with the option named."""
    has_parts = any(values.get(part) for part in NAME_PARTS)
    if not values.get("full_name") and not has_parts and values.get("email"):
        if not name_from_email:
            return (
                "The row has an email but no name: tick “Name contacts from their email” "
                "(--name-from-email on the command line) to import it."
            )
        values["full_name"] = person_name_from_email(values["email"]) or values["email"]
    if values.get("full_name") and not has_parts:
        values.update({part: value for part, value in split_full_name(values["full_name"]).items() if value})
    return ""
