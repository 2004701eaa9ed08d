from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "section",
        "status",
        "created_by",
        "created_at",
        "created_count",
        "updated_count",
        "unchanged_count",
        "refused_count",
    )
    list_filter = ("section", "status")
    readonly_fields = [f.name for f in ImportJob._meta.fields]
