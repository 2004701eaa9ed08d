from django.contrib import admin

from .models import Notification, Sequence


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    list_display = ("name", "mask", "next_value")
    search_fields = ("name",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind", "read_at")
    search_fields = ("title", "recipient__username")
    raw_id_fields = ("recipient",)


class LookupAdmin(admin.ModelAdmin):
    """For every lookup table: name, order, active."""

    list_display = ("name", "position", "is_active", "description")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "description")


class RecordAdmin(admin.ModelAdmin):
    """For every section record: who owns it and when it changed; system fields read-only."""

    readonly_fields = ("created_by", "modified_by", "created_at", "modified_at", "version")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False


class CommunicationTypeAdmin(LookupAdmin):
    """For the communication option types of any party: the base kind each maps to."""

    list_display = ("name", "kind", "accepts_sms", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("kind", "is_active")


class CompletenessWeightAdmin(admin.ModelAdmin):
    """For the profile completeness weights of any section: what counts, how much, and the hint while missing."""

    list_display = ("item", "weight", "hint", "is_active")
    list_editable = ("weight", "hint", "is_active")
    list_filter = ("is_active",)
    search_fields = ("item", "hint")
