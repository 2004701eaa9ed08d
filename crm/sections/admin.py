from django.contrib import admin

from .models import Attachment, ChangeLogEntry, Folder, Note


@admin.register(Folder)
class FolderAdmin(admin.ModelAdmin):
    list_display = ("name", "section", "kind", "owner", "shared")
    list_filter = ("section", "kind", "shared")
    search_fields = ("name",)


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "content_type", "object_id", "size", "uploaded_by", "created_at")
    list_filter = ("kind", "content_type")
    search_fields = ("name",)


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("__str__", "content_type", "object_id", "author", "created_at")
    list_filter = ("content_type",)


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "content_type", "object_id", "user")
    list_filter = ("action", "content_type")
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
