"""Accounts: the companies the business deals with, their classifications and the details they own
(communication options, addresses, banking details, noteworthy events, organisation structure), and the
relationships between accounts and contacts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from crm.core.communication import AddressBase, AddressTypeBase, CommunicationOptionBase, CommunicationTypeBase
from crm.core.completeness import CompletenessWeightBase
from crm.core.events import NoteworthyEventBase
from crm.core.models import Lookup, Record, validate_image_upload

from .validators import looks_like_iban, validate_iban, validate_swift


class AccountType(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "account type"


class AccountCategory(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "account category"
        verbose_name_plural = "account categories"


class Industry(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "industry"
        verbose_name_plural = "industries"


class EmployeesRange(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "number of employees"
        verbose_name_plural = "numbers of employees"


class BusinessEntity(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "business entity"
        verbose_name_plural = "business entities"


class AnnualRevenue(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "annual revenue"
        verbose_name_plural = "annual revenues"


class AccountQuerySet(models.QuerySet):
    def of_type(self, name: str):
        return self.filter(type__name=name)


class Account(Record):
    name = models.CharField(max_length=250)
    logo = models.ImageField(upload_to="logos/%Y/%m/", blank=True, validators=[validate_image_upload])
    code = models.CharField(max_length=40, unique=True, blank=True, editable=False)
    type = models.ForeignKey(AccountType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    category = models.ForeignKey(AccountCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    web = models.URLField("web", max_length=300, blank=True)
    phone = models.CharField("primary phone", max_length=40, blank=True)
    email = models.EmailField(blank=True)
    city = models.CharField(max_length=120, blank=True, help_text="From the primary address.")
    country = models.CharField(max_length=120, blank=True, help_text="From the primary address.")
    also_known_as = models.CharField("also known as", max_length=250, blank=True)
    primary_contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        verbose_name="parent account",
    )
    employees = models.ForeignKey(
        EmployeesRange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="number of employees",
    )
    business_entity = models.ForeignKey(
        BusinessEntity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    annual_revenue = models.ForeignKey(AnnualRevenue, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    price_list = models.ForeignKey(
        "products.PriceList",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The prices this customer gets; the base price list when empty.",
    )
    notes = models.TextField(blank=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        indexes = [
            models.Index(fields=["name", "id"], name="account_list_name_idx"),
            models.Index(fields=["owner", "name"], name="account_owner_name_idx"),
            models.Index(fields=["-created_at", "-id"], name="account_created_idx"),
            models.Index(fields=["phone"], name="account_phone_idx"),
            # imports find accounts named in a file whatever the case
            models.Index(Upper("name"), name="account_name_upper_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.pk])

    def clean(self) -> None:
        # a holding cannot be its own subsidiary, however deep the chain
        ancestor_id, seen = self.parent_id, set()
        while ancestor_id is not None and ancestor_id not in seen:
            if self.pk is not None and ancestor_id == self.pk:
                raise ValidationError({"parent": "An account cannot be part of its own holding."})
            seen.add(ancestor_id)
            ancestor_id = Account.objects.filter(pk=ancestor_id).values_list("parent_id", flat=True).first()


# --- communication options and addresses ------------------------------------------------------------------


class AccountCommunicationType(CommunicationTypeBase):
    class Meta(CommunicationTypeBase.Meta):
        verbose_name = "account communication type"


class AccountCommunication(CommunicationOptionBase):
    OWNER_FIELD = "account"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="communication_options")
    type = models.ForeignKey(AccountCommunicationType, on_delete=models.PROTECT, related_name="+")

    class Meta(CommunicationOptionBase.Meta):
        verbose_name = "communication option"


class AccountAddressType(AddressTypeBase):
    class Meta(AddressTypeBase.Meta):
        verbose_name = "account address type"


class AccountAddress(AddressBase):
    OWNER_FIELD = "account"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="addresses")
    type = models.ForeignKey(AccountAddressType, on_delete=models.PROTECT, related_name="+", verbose_name="type")

    class Meta(AddressBase.Meta):
        verbose_name = "address"
        verbose_name_plural = "addresses"


# --- banking details, noteworthy events, organisation structure ----------------------------------------


class BankingDetails(models.Model):
    """A bank account of the company, as printed on invoices."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="banking_details")
    name = models.CharField(max_length=150, help_text='e.g. "Main EUR account"')
    bank = models.CharField(max_length=150, blank=True)
    account_number = models.CharField("account number/IBAN", max_length=64)
    swift = models.CharField("SWIFT/BIC", max_length=11, blank=True)
    manager = models.CharField(max_length=150, blank=True)
    chief_accountant = models.CharField(max_length=150, blank=True)
    country = models.CharField(max_length=120, blank=True)
    details = models.TextField("banking details", blank=True, help_text="The full text for invoices.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("name", "pk")
        verbose_name = "banking details"
        verbose_name_plural = "banking details"

    def __str__(self) -> str:
        return f"{self.name}: {self.account_number}"

    def clean(self) -> None:
        errors = {}
        if looks_like_iban(self.account_number):
            try:
                self.account_number = validate_iban(self.account_number)
            except ValidationError as error:
                errors["account_number"] = error.messages
        if self.swift:
            try:
                self.swift = validate_swift(self.swift)
            except ValidationError as error:
                errors["swift"] = error.messages
        if errors:
            raise ValidationError(errors)


class AccountEventType(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "account event type"


class AccountEvent(NoteworthyEventBase):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="noteworthy_events")
    type = models.ForeignKey(AccountEventType, on_delete=models.PROTECT, related_name="+")

    class Meta(NoteworthyEventBase.Meta):
        verbose_name = "noteworthy event"


class OrganisationUnit(models.Model):
    """A division or department of an account; units form a tree through "part of"."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="organisation_units")
    name = models.CharField("division or department", max_length=150)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="part of"
    )
    manager = models.ForeignKey("contacts.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    notes = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ("name", "pk")
        verbose_name = "organisation unit"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent.account_id != self.account_id:
            raise ValidationError({"parent": "Choose a unit of the same account."})
        ancestor = self.parent
        for _ in range(100):
            if ancestor is None:
                return
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "A unit cannot be part of itself."})
            ancestor = ancestor.parent
        raise ValidationError({"parent": "The structure is too deep."})


# --- relationships -------------------------------------------------------------------------------------


class RelationshipType(Lookup):
    """A kind of relationship, always paired with its inverse: Employer/Employee, Holding/Affiliate company.
    A symmetric kind (Partner) is its own inverse."""

    inverse = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="inverse type"
    )

    class Meta(Lookup.Meta):
        verbose_name = "relationship type"

    def inverse_or_self(self) -> "RelationshipType":
        return self.inverse if self.inverse_id else self


class RelationshipQuerySet(models.QuerySet):
    def involving(self, record):
        """Relationships with `record` (an account or a contact) on either side."""
        side = "account" if isinstance(record, Account) else "contact"
        return self.filter(models.Q(**{f"{side}_a": record}) | models.Q(**{f"{side}_b": record}))


class Relationship(models.Model):
    """ "B is A's `type`": seen from A the other party is B in the role `type`; seen from B, A is in the role of
    the inverse type. Each side is an account or a contact."""

    account_a = models.ForeignKey(Account, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    contact_a = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    account_b = models.ForeignKey(Account, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    contact_b = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    type = models.ForeignKey(RelationshipType, on_delete=models.PROTECT, related_name="+")
    notes = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account_a__isnull=False, contact_a__isnull=True)
                | models.Q(account_a__isnull=True, contact_a__isnull=False),
                name="relationship_one_party_a",
            ),
            models.CheckConstraint(
                condition=models.Q(account_b__isnull=False, contact_b__isnull=True)
                | models.Q(account_b__isnull=True, contact_b__isnull=False),
                name="relationship_one_party_b",
            ),
        ]
        indexes = [
            models.Index(fields=["account_b"], name="relationship_account_b_idx"),
            models.Index(fields=["contact_b"], name="relationship_contact_b_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.party_b} is {self.party_a}'s {self.type}"

    @property
    def party_a(self):
        return self.account_a or self.contact_a

    @property
    def party_b(self):
        return self.account_b or self.contact_b

    def is_side_a(self, record) -> bool:
        side = "account" if isinstance(record, Account) else "contact"
        return getattr(self, f"{side}_a_id") == record.pk

    def seen_from(self, record) -> tuple[object, RelationshipType]:
        """(the other party, its role) as `record` sees it."""
        if self.is_side_a(record):
            return self.party_b, self.type
        return self.party_a, self.type.inverse_or_self()


class AccountCompletenessWeight(CompletenessWeightBase):
    RECORD_MODEL = "accounts.Account"

    class Meta(CompletenessWeightBase.Meta):
        verbose_name = "account completeness weight"
