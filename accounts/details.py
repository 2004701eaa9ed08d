"""The details an account owns, edited in place on its page; the relationships detail is shared with contacts."""

from crm.sections.details import Detail

from . import services
from .forms import OrganisationUnitForm, RelationshipForm

COMMUNICATION_OPTIONS = Detail(
    name="communication_options",
    title="Communication options",
    model="accounts.AccountCommunication",
    relation="account",
    fields=("type", "value", "is_primary", "do_not_use"),
    select_related=("type",),
    after_write=services.communication_options_changed,
)

ADDRESSES = Detail(
    name="addresses",
    title="Addresses",
    model="accounts.AccountAddress",
    relation="account",
    fields=("type", "street", "zip_code", "city", "region", "country", "is_primary"),
    columns=("type", ("address", "Address"), "is_primary"),
    select_related=("type",),
    after_write=services.addresses_changed,
)

BANKING_DETAILS = Detail(
    name="banking_details",
    title="Banking details",
    model="accounts.BankingDetails",
    relation="account",
    fields=(
        "name",
        "bank",
        "account_number",
        "swift",
        "manager",
        "chief_accountant",
        "country",
        "details",
        "description",
    ),
    columns=("name", "bank", "account_number", "swift", "country"),
)

NOTEWORTHY_EVENTS = Detail(
    name="noteworthy_events",
    title="Noteworthy events",
    model="accounts.AccountEvent",
    relation="account",
    fields=("type", "date", "notes"),
    select_related=("type",),
)

ORGANISATION_STRUCTURE = Detail(
    name="organisation",
    title="Organisation structure",
    model="accounts.OrganisationUnit",
    relation="account",
    fields=("name", "parent", "manager", "notes"),
    columns=("name", "manager", "notes"),
    form_class=OrganisationUnitForm,
    select_related=("manager",),
    prepare=services.organisation_tree,
    empty_text="No divisions or departments yet.",
)

RELATIONSHIPS = Detail(
    name="relationships",
    title="Connected to",
    model="accounts.Relationship",
    columns=(("other", "Account or contact"), ("role", "Role"), "notes"),
    form_class=RelationshipForm,
    rows=services.relationship_rows,
    prepare=services.as_seen_from,
    add=services.add_relationship,
    change=services.change_relationship,
    empty_text="No relationships yet.",
)
