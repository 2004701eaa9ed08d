"""Contacts: the people at accounts, their classifications and the details they own (communication options,
addresses, noteworthy events, career history)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse

from crm.core.communication import AddressBase, AddressTypeBase, CommunicationOptionBase, CommunicationTypeBase
from crm.core.completeness import CompletenessWeightBase
from crm.core.events import NoteworthyEventBase, years_since
from crm.core.models import Lookup, Record

#: the noteworthy event type kept in sync with a contact's birthdate
BIRTHDAY = "Birthday"


class ContactType(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "contact type"


class Salutation(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "title"


class DecisionRole(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "decision role"


class Language(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "language"


class Contact(Record):
    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"

    full_name = models.CharField("full name", max_length=250, blank=True)
    #: an employee's contact is linked to the user who logs in as that employee
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee_contact",
        verbose_name="CRM user",
        help_text="For employees: the user account of this person.",
    )
    given_name = models.CharField("first name", max_length=100, blank=True)
    middle_name = models.CharField("middle name", max_length=100, blank=True)
    surname = models.CharField("last name", max_length=100, blank=True)
    salutation = models.ForeignKey(
        Salutation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="title"
    )
    type = models.ForeignKey(ContactType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    job_title = models.CharField("job title", max_length=150, blank=True)
    department = models.CharField(max_length=150, blank=True)
    decision_role = models.ForeignKey(DecisionRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    email = models.EmailField(blank=True)
    mobile_phone = models.CharField("mobile phone", max_length=40, blank=True)
    business_phone = models.CharField("business phone", max_length=40, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField("birthdate", null=True, blank=True)
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="preferred language"
    )
    # Communication channels: derived from the communication options and addresses, never typed in.
    do_not_use_email = models.BooleanField("do not use email", default=False, editable=False)
    do_not_use_phone = models.BooleanField("do not use phone", default=False, editable=False)
    do_not_use_sms = models.BooleanField("do not use SMS", default=False, editable=False)
    do_not_use_mail = models.BooleanField("do not use mail", default=False, editable=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("full_name",)
        indexes = [
            models.Index(fields=["full_name", "id"], name="contact_list_name_idx"),
            models.Index(fields=["owner", "full_name"], name="contact_owner_name_idx"),
            models.Index(fields=["-created_at", "-id"], name="contact_created_idx"),
            models.Index(fields=["email"], name="contact_email_idx"),
            models.Index(fields=["mobile_phone"], name="contact_mobile_idx"),
            # imports find contacts by email whatever its case
            models.Index(Upper("email"), name="contact_email_upper_idx"),
            # the global search's best ranks (the name is the text, or starts with it), read by this index
            models.Index(Upper("full_name"), name="contact_name_upper_idx"),
            # record rights read by id alone (PostgreSQL): a count of the contacts with some tags probes the ids,
            # and checks the owner and the author in the index, not on the table (bench/tags.py)
            models.Index(fields=["id"], include=["owner", "created_by"], name="contact_rights_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(full_name=""), name="contact_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def age(self) -> int | None:
        return years_since(self.birth_date) if self.birth_date else None

    def compose_full_name(self) -> None:
        """The full name follows its parts when they are given; it stays free text otherwise."""
        parts = " ".join(p.strip() for p in (self.given_name, self.middle_name, self.surname) if p.strip())
        if parts:
            self.full_name = parts[:250]

    def save(self, *args, **kwargs):
        self.compose_full_name()
        super().save(*args, **kwargs)

    def clean(self):
        self.compose_full_name()
        if not self.full_name.strip():
            raise ValidationError({"full_name": "Give the contact a name."})

    def get_absolute_url(self) -> str:
        return reverse("contacts:detail", args=[self.pk])


# --- communication options and addresses ------------------------------------------------------------------


class ContactCommunicationType(CommunicationTypeBase):
    class Meta(CommunicationTypeBase.Meta):
        verbose_name = "contact communication type"


class ContactCommunication(CommunicationOptionBase):
    OWNER_FIELD = "contact"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="communication_options")
    type = models.ForeignKey(ContactCommunicationType, on_delete=models.PROTECT, related_name="+")

    class Meta(CommunicationOptionBase.Meta):
        verbose_name = "communication option"


class ContactAddressType(AddressTypeBase):
    class Meta(AddressTypeBase.Meta):
        verbose_name = "contact address type"


class ContactAddress(AddressBase):
    OWNER_FIELD = "contact"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="addresses")
    type = models.ForeignKey(ContactAddressType, on_delete=models.PROTECT, related_name="+", verbose_name="type")

    class Meta(AddressBase.Meta):
        verbose_name = "address"
        verbose_name_plural = "addresses"


# --- noteworthy events and career ----------------------------------------------------------------------


class ContactEventType(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "contact event type"


class ContactEvent(NoteworthyEventBase):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="noteworthy_events")
    type = models.ForeignKey(ContactEventType, on_delete=models.PROTECT, related_name="+")

    class Meta(NoteworthyEventBase.Meta):
        verbose_name = "noteworthy event"

    def clean(self) -> None:
        if self.type_id and self.type.name == BIRTHDAY and self.contact_id:
            others = ContactEvent.objects.filter(contact_id=self.contact_id, type=self.type).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"type": "The contact already has a birthday: change that one instead."})


class JobExperience(models.Model):
    """A job the contact held or holds; the current one follows the contact's account, title and department."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="career")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    job_title = models.CharField("job title", max_length=150, blank=True)
    department = models.CharField(max_length=150, blank=True)
    start_date = models.DateField("from", null=True, blank=True)
    end_date = models.DateField("to", null=True, blank=True)
    is_current = models.BooleanField("current", default=False)

    class Meta:
        ordering = ("-is_current", "-start_date", "-pk")
        verbose_name = "job experience"
        verbose_name_plural = "job experience"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="job_experience_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["contact"], condition=models.Q(is_current=True), name="job_experience_one_current_job"
            ),
        ]

    def __str__(self) -> str:
        title = f"{self.job_title} at " if self.job_title else ""
        return f"{title}{self.account}" if self.account_id else title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The job cannot end before it starts."})
        if self.is_current and self.end_date:
            raise ValidationError({"end_date": "A current job has no end date yet."})


class ContactCompletenessWeight(CompletenessWeightBase):
    RECORD_MODEL = "contacts.Contact"

    class Meta(CompletenessWeightBase.Meta):
        verbose_name = "contact completeness weight"
