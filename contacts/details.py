"""The details a contact owns, edited in place on its page (relationships are shared with accounts)."""

from accounts.details import RELATIONSHIPS
from crm.sections.details import Detail

from . import services

COMMUNICATION_OPTIONS = Detail(
    name="communication_options",
    title="Communication options",
    model="contacts.ContactCommunication",
    relation="contact",
    fields=("type", "value", "is_primary", "do_not_use"),
    select_related=("type",),
    after_write=services.communication_options_changed,
)

ADDRESSES = Detail(
    name="addresses",
    title="Addresses",
    model="contacts.ContactAddress",
    relation="contact",
    fields=("type", "street", "zip_code", "city", "region", "country", "is_primary", "do_not_use"),
    columns=("type", ("address", "Address"), "is_primary", "do_not_use"),
    select_related=("type",),
    after_write=services.addresses_changed,
)

NOTEWORTHY_EVENTS = Detail(
    name="noteworthy_events",
    title="Noteworthy events",
    model="contacts.ContactEvent",
    relation="contact",
    fields=("type", "date", "notes"),
    select_related=("type",),
    after_write=services.noteworthy_events_changed,
)

CAREER = Detail(
    name="career",
    title="Job experience",
    model="contacts.JobExperience",
    relation="contact",
    fields=("account", "job_title", "department", "start_date", "end_date", "is_current"),
    select_related=("account",),
    add=services.add_job,
    change=services.change_job,
    after_write=services.career_changed,
    empty_text="No career history yet.",
)

__all__ = ["ADDRESSES", "CAREER", "COMMUNICATION_OPTIONS", "NOTEWORTHY_EVENTS", "RELATIONSHIPS"]
