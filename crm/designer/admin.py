"""Custom fields in the admin too (the system designer's pages are the everyday place), through the same services."""

from django.contrib import admin

from . import services
from .forms import FieldDefinitionForm
from .models import FieldDefinition


@admin.register(FieldDefinition)
class FieldDefinitionAdmin(admin.ModelAdmin):
    form = FieldDefinitionForm
    list_display = ("label", "section", "code", "kind", "required", "position", "is_active")
    list_filter = ("section", "kind", "is_active")
    search_fields = ("label", "code")
    ordering = ("section", "position", "id")

    def save_model(self, request, obj, form, change) -> None:
        """Through the same services as the designer's pages."""
        values = {name: form.cleaned_data[name] for name in services.CHANGEABLE if name in form.cleaned_data}
        if change:
            services.change_field(user=request.user, definition=obj, **values)
        else:
            obj.pk = services.add_field(user=request.user, section=obj.section, code=obj.code, **values).pk

    def has_module_permission(self, request) -> bool:
        from crm import access

        return access.can(request.user, "designer")

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)
