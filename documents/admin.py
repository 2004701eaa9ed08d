from django.contrib import admin

from crm.core.admin import LookupAdmin, RecordAdmin

from .models import Document, DocumentFile, DocumentLink, DocumentRelation, DocumentStatus, DocumentType

admin.site.register(DocumentType, LookupAdmin)


@admin.register(DocumentStatus)
class DocumentStatusAdmin(LookupAdmin):
    list_display = ("name", "code", "position", "is_active")


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    extra = 0
    fields = ("version", "name", "size", "comment", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False


class DocumentLinkInline(admin.TabularInline):
    model = DocumentLink
    extra = 0


class DocumentRelationInline(admin.TabularInline):
    model = DocumentRelation
    fk_name = "document"
    extra = 0
    raw_id_fields = ("related",)


@admin.register(Document)
class DocumentAdmin(RecordAdmin):
    list_display = ("number", "subject", "type", "status", "date", "account", "owner")
    list_filter = ("type", "status")
    search_fields = ("number", "subject", "account__name")
    list_select_related = ("owner", "type", "status", "account")
    raw_id_fields = ("owner", "account", "contact")
    inlines = (DocumentFileInline, DocumentLinkInline, DocumentRelationInline)
