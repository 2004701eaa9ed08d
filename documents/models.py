"""Documents: the document with its type and status lookups, its file versions (every soft copy kept), the
records it is connected to, and the documents related to it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crm.core.models import Lookup, LookupQuerySet, Record


class DocumentType(Lookup):
    """What the document is: "Letter", "Act", "Proposal", ..."""

    class Meta(Lookup.Meta):
        verbose_name = "document type"


class DocumentStatusQuerySet(LookupQuerySet):
    def by_code(self, code: str) -> DocumentStatus:
        return self.get(code=code)


class DocumentStatus(Lookup):
    """Where the document stands. Code (an approval, the services) finds the built-in statuses by `code`; an admin
    may rename them and add others."""

    class Code(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"

    code = models.CharField(max_length=20, choices=Code.choices, blank=True, help_text="Which built-in status this is.")

    objects = DocumentStatusQuerySet.as_manager()

    class Meta(Lookup.Meta):
        verbose_name = "document status"
        verbose_name_plural = "document statuses"
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="document_status_unique_code"),
        ]


class Document(Record):
    number = models.CharField(max_length=40, unique=True, blank=True)
    subject = models.CharField(max_length=250)
    type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    status = models.ForeignKey(DocumentStatus, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(default=timezone.localdate)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="document_created_idx"),
            models.Index(fields=["date"], name="document_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}".strip()

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def latest_file(self) -> DocumentFile | None:
        """ "The" file of the document: its latest version."""
        return self.files.order_by("-version").first()


def _file_path(instance: DocumentFile, filename: str) -> str:
    return f"documents/{instance.document_id}/v{instance.version}/{filename}"


class DocumentFile(models.Model):
    """A version of the document's soft copy. Uploading adds a version and keeps the earlier ones."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=_file_path, max_length=500)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    comment = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "file version"
        ordering = ("-version",)
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="document_file_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("documents:file_download", args=[self.document_id, self.version])


class DocumentLink(models.Model):
    """The Connected to detail: the document is about a record of any section (an order, a contract, ...)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", verbose_name="section")
    object_id = models.PositiveBigIntegerField("record id")

    class Meta:
        verbose_name = "connected record"
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["document", "content_type", "object_id"], name="document_link_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_link_target_idx")]

    def __str__(self) -> str:
        record = getattr(self, "target", None)
        return str(record) if record is not None else f"{self.content_type.name} #{self.object_id}"


class DocumentRelation(models.Model):
    """The Related documents detail: two documents that go together (a letter and its act). Shown on both."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations")
    related = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="related_from", verbose_name="related document"
    )
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        verbose_name = "related document"
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["document", "related"], name="document_relation_unique"),
            models.CheckConstraint(condition=~Q(document=models.F("related")), name="document_not_related_to_self"),
        ]

    def __str__(self) -> str:
        return str(getattr(self, "other", None) or self.related)
