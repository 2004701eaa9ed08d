"""What every section shares: folders, favourites, list preferences, attachments, notes, the change log and tags."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class Folder(models.Model):
    """A static folder holds chosen records; a dynamic folder is a saved filter (a query string)."""

    class Kind(models.TextChoices):
        STATIC = "static", "Static (chosen records)"
        DYNAMIC = "dynamic", "Dynamic (saved filter)"

    section = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATIC)
    query = models.TextField(blank=True, help_text="The saved filter of a dynamic folder, as a query string.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crm_folders")
    shared = models.BooleanField(default=False, help_text="Shared folders are listed for every user.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)
        indexes = [models.Index(fields=["section", "owner"], name="folder_section_owner_idx")]

    def __str__(self) -> str:
        return self.name


class FolderItem(models.Model):
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="items")
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["folder", "object_id"], name="folder_item_unique")]

    def __str__(self) -> str:
        return f"{self.folder} #{self.object_id}"


class FavouriteFolder(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="favourites")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "folder"], name="favourite_folder_unique")]

    def __str__(self) -> str:
        return f"{self.folder} (favourite)"


class ListPreference(models.Model):
    """A user's chosen columns and last filters, sort and page size (`query`) for one section's list: opening
    the list bare restores them; a URL with its own query string wins."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    section = models.CharField(max_length=64)
    columns = models.JSONField(default=list)
    page_size = models.PositiveSmallIntegerField(null=True, blank=True)
    query = models.TextField(blank=True, help_text="The list's last query string (filters, sort, page size).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "section"], name="list_preference_unique")]

    def __str__(self) -> str:
        return f"{self.section} list of {self.user}"


class RecordAttachmentQuerySet(models.QuerySet):
    def for_record(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Attachment(models.Model):
    """A file or a link attached to any record. Files are downloaded only through a permission check."""

    class Kind(models.TextChoices):
        FILE = "file", "File"
        LINK = "link", "Link"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.FILE)
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="attachments/%Y/%m/", blank=True)
    url = models.URLField(max_length=1000, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content_type_header = models.CharField(max_length=150, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RecordAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]

    def __str__(self) -> str:
        return self.name


class Note(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RecordAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["content_type", "object_id"], name="note_record_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class ChangeLogEntry(models.Model):
    """Who changed which fields of a record from what to what, and when."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        MERGE = "merge", "Merged"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(max_length=10, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    #: [{"field": name, "label": verbose name, "old": display value, "new": display value}, ...]
    changes = models.JSONField(default=list)

    objects = RecordAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="changelog_record_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type} #{self.object_id}"


class Tag(models.Model):
    """A label of one section's records: private (its author alone sees it) or corporate (everyone sees it;
    creating, renaming and deleting one is the operation right "manage_corporate_tags")."""

    class Colour(models.TextChoices):
        BLUE = "blue", "Blue"
        GREEN = "green", "Green"
        RED = "red", "Red"
        ORANGE = "orange", "Orange"
        YELLOW = "yellow", "Yellow"
        PURPLE = "purple", "Purple"
        TEAL = "teal", "Teal"
        GREY = "grey", "Grey"

    section = models.CharField(max_length=64)
    name = models.CharField(max_length=40)
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.BLUE)
    #: the one user who sees a private tag; empty for a corporate tag
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="crm_tags"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "section", condition=Q(author__isnull=True), name="tag_corporate_name_unique"
            ),
            models.UniqueConstraint(
                Lower("name"), "section", "author", condition=Q(author__isnull=False), name="tag_private_name_unique"
            ),
        ]
        indexes = [models.Index(fields=["section", "author"], name="tag_section_author_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def private(self) -> bool:
        return self.author_id is not None


class TaggedRecord(models.Model):
    """One tag on one record of the tag's section."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="records")
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "object_id"], name="tagged_record_unique")]
        # the unique pair serves "records with this tag" (the list's filter); this one "the tags of these
        # records" (the badges of a page of rows, a record page)
        indexes = [models.Index(fields=["object_id", "tag"], name="tagged_record_object_idx")]

    def __str__(self) -> str:
        return f"{self.tag} #{self.object_id}"
