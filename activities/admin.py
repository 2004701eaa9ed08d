from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from crm.core.admin import LookupAdmin, RecordAdmin

from .models import Activity, ActivityCategory, ActivityResult, CalendarFeed, Participant

admin.site.register(ActivityCategory, LookupAdmin)


@admin.register(ActivityResult)
class ActivityResultAdmin(LookupAdmin):
    list_display = ("name", "category", "position", "is_active", "description")
    list_filter = ("is_active", "category")


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ("user", "contact")


@admin.register(Activity)
class ActivityAdmin(ImportExportModelAdmin, RecordAdmin):
    list_display = ("title", "type", "status", "priority", "start", "due", "account", "contact", "owner")
    list_filter = ("type", "status", "priority", "category")
    search_fields = ("title", "account__name", "contact__full_name")
    list_select_related = ("owner", "account", "contact")
    raw_id_fields = ("owner", "account", "contact")
    readonly_fields = (*RecordAdmin.readonly_fields, "duration", "reminded_at")
    date_hierarchy = "start"
    inlines = [ParticipantInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Only to revoke an address (delete the row); the token itself is not shown."""

    list_display = ("user", "created_at")
    search_fields = ("user__username",)
    exclude = ("token",)
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request):
        return False
