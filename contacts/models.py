"""Contacts: the people at accounts, and their classifications."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from crm.core.models import Lookup, Record


class ContactType(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "contact type"


class Contact(Record):
    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"

    full_name = models.CharField("full name", max_length=250, blank=True)
    given_name = models.CharField("first name", max_length=100, blank=True)
    middle_name = models.CharField("middle name", max_length=100, blank=True)
    surname = models.CharField("last name", max_length=100, blank=True)
    type = models.ForeignKey(ContactType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    job_title = models.CharField("job title", max_length=150, blank=True)
    department = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    mobile_phone = models.CharField("mobile phone", max_length=40, blank=True)
    business_phone = models.CharField("business phone", max_length=40, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField("birthdate", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("full_name",)
        indexes = [
            models.Index(fields=["full_name", "id"], name="contact_list_name_idx"),
            models.Index(fields=["owner", "full_name"], name="contact_owner_name_idx"),
            models.Index(fields=["-created_at", "-id"], name="contact_created_idx"),
            models.Index(fields=["email"], name="contact_email_idx"),
            models.Index(fields=["mobile_phone"], name="contact_mobile_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(full_name=""), name="contact_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

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
