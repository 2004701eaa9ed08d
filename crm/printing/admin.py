"""Print forms are edited in the admin; a template with a syntax error is refused on save (PrintForm.clean)."""

from django.contrib import admin

from .models import PrintForm


@admin.register(PrintForm)
class PrintFormAdmin(admin.ModelAdmin):
    list_display = ("name", "section", "is_default", "is_active", "modified_at")
    list_filter = ("section", "is_active")
    search_fields = ("name", "section")
    readonly_fields = ("created_at", "modified_at")

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        obj.modified_at = timezone.now()
        super().save_model(request, obj, form, change)
