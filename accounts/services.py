"""Accounts' business rules: what follows when an account or its details change, and the relationships between
accounts and contacts (paired types: what A is to B, B sees as the inverse)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from crm import access
from crm.core.communication import Mirrors, promote_a_primary
from crm.sections import details

from .models import (
    Account,
    AccountAddress,
    AccountAddressType,
    AccountCommunication,
    AccountCommunicationType,
    OrganisationUnit,
    Relationship,
    RelationshipType,
)

#: the account's own fields that show its primary options of these types
MIRRORS = Mirrors(
    option_model=AccountCommunication,
    type_model=AccountCommunicationType,
    fields={"phone": "Primary phone", "email": "Email", "web": "Web"},
)


#: the account's own fields that show its primary address
ADDRESS_FIELDS = ("city", "country")


def account_saved(*, user, obj: Account, previous: dict | None) -> None:
    """After an account is created or changed (Section.after_save): its primary phone, email and web go into
    its communication options, its city and country into its primary address."""
    names = MIRRORS.fields.keys() if previous is None else MIRRORS.fields.keys() & previous.keys()
    rewritten = MIRRORS.push_fields(obj, names)
    if rewritten:
        details.update_record_fields(obj, rewritten, bump_version=False)
    if previous is None and (obj.city or obj.country) or previous and set(ADDRESS_FIELDS) & previous.keys():
        push_address_fields(obj)


def push_address_fields(account: Account) -> None:
    """The account's city and country were typed in: the primary address says the same. Without an address, an
    "Actual" one is made; an address left empty is removed."""
    address = account.addresses.filter(is_primary=True).first()
    if address is None:
        if not (account.city or account.country):
            return
        type_ = AccountAddressType.objects.filter(name="Actual").first() or AccountAddressType.objects.first()
        address = AccountAddress(account=account, type=type_, is_primary=True)
    address.city, address.country = account.city, account.country
    if not (address.street or address.city or address.country):
        if address.pk:
            address.delete()
            promote_a_primary(account.addresses.all())
            addresses_changed(user=None, record=account)
        return
    address.full_clean()
    address.save()


def communication_options_changed(*, user, record: Account) -> None:
    """After a communication option is written: the primary phone, email and web follow the primary options."""
    details.update_record_fields(record, MIRRORS.values_from_options(record))


def addresses_changed(*, user, record: Account) -> None:
    """After an address is written: the account's city and country are those of its primary address."""
    primary = record.addresses.filter(is_primary=True).first()
    values = {"city": primary.city, "country": primary.country} if primary else {"city": "", "country": ""}
    details.update_record_fields(record, values)


# --- organisation structure ----------------------------------------------------------------------------


def organisation_tree(record: Account, units: list[OrganisationUnit]) -> list[OrganisationUnit]:
    """The units in tree order (each unit under the one it is part of), each with `tree_indent` for its depth."""
    children: dict[int | None, list[OrganisationUnit]] = {}
    ids = {unit.pk for unit in units}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    ordered: list[OrganisationUnit] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            unit.tree_indent = range(depth)
            ordered.append(unit)
            if depth < 20:
                walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


# --- relationships -------------------------------------------------------------------------------------


def _side(record) -> str:
    return "account" if isinstance(record, Account) else "contact"


def _check_other(user, record, other) -> None:
    if other is None:
        raise ValidationError("Choose the account or the contact this one is related to.")
    if type(other) is type(record) and other.pk == record.pk:
        raise ValidationError("A record cannot be related to itself.")
    if not access.visible(user, type(other)._default_manager.filter(pk=other.pk)).exists():
        raise PermissionDenied("You may not see the record you chose.")


def relate(*, user, record, other, type: RelationshipType, notes: str = "", row: Relationship | None = None):
    """Record that `other` is `record`'s `type` (e.g. record Holding, other Affiliate, type "Affiliate company").
    Seen from `other`, `record` appears in the inverse role. With `row`, that relationship is rewritten so."""
    details.authorise(user, record)
    _check_other(user, record, other)
    with transaction.atomic():
        if row is not None:
            row = Relationship.objects.involving(record).select_for_update().get(pk=row.pk)
        else:
            row = Relationship()
        for side in ("a", "b"):
            setattr(row, f"account_{side}", None)
            setattr(row, f"contact_{side}", None)
        setattr(row, f"{_side(record)}_a", record)
        setattr(row, f"{_side(other)}_b", other)
        row.type = type
        row.notes = notes
        row.full_clean()
        row.save()
        details.record_detail_change(user=user, record=record, label="Connected to", old="", new=f"{other}: {type}")
    return row


def add_relationship(*, detail, user, record, data: dict) -> Relationship:
    other = data.get("account") or data.get("contact")
    return relate(user=user, record=record, other=other, type=data["type"], notes=data.get("notes", ""))


def change_relationship(*, detail, user, record, row: Relationship, data: dict) -> Relationship:
    other = data.get("account") or data.get("contact")
    return relate(user=user, record=record, other=other, type=data["type"], notes=data.get("notes", ""), row=row)


def relationship_rows(record) -> models.QuerySet:
    return Relationship.objects.involving(record).select_related(
        "account_a", "contact_a", "account_b", "contact_b", "type__inverse"
    )


def as_seen_from(record, rows: list[Relationship]) -> list[Relationship]:
    """Each relationship with `other` and `role` as `record` sees them."""
    for row in rows:
        row.other, row.role = row.seen_from(record)
    return rows


def save_relationship_type(*, type: RelationshipType, inverse: RelationshipType | None) -> None:
    """Pair `type` with `inverse` both ways; the types they were paired with before lose their pairing."""
    with transaction.atomic():
        RelationshipType.objects.filter(inverse=type).exclude(pk=getattr(inverse, "pk", None)).update(inverse=None)
        if inverse is not None:
            RelationshipType.objects.filter(inverse=inverse).exclude(pk=type.pk).update(inverse=None)
            RelationshipType.objects.filter(pk=inverse.pk).update(inverse=type)
        RelationshipType.objects.filter(pk=type.pk).update(inverse=inverse)


def accounts_imported(*, user, created: list, updated: list) -> None:
    """The section's after_import hook (one call per import batch): new records get their primary communication
    options in bulk, and updated ones have theirs changed (or made) to say the same, in bulk too."""
    MIRRORS.push_created(created)
    MIRRORS.push_updated(updated)
