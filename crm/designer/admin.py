"""Custom fields are defined in the admin until the section wizard of the system designer is built (roadmap 9)."""

from django import forms
from django.contrib import admin

from .models import FieldDefinition


def _section_choices():
    from crm.sections import registry

    return [(s.name, s.title) for s in registry.all_sections()]


class FieldDefinitionForm(forms.ModelForm):
    section = forms.ChoiceField(choices=_section_choices)
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For a choice: one value per line.",
    )

    class Meta:
        model = FieldDefinition
        fields = ("section", "code", "label", "kind", "options", "required", "help_text", "position", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["options"] = "\n".join(self.instance.options or [])
            self.fields["code"].disabled = True  # values are kept under the code
            self.fields["section"].disabled = True

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


@admin.register(FieldDefinition)
class FieldDefinitionAdmin(admin.ModelAdmin):
    form = FieldDefinitionForm
    list_display = ("label", "section", "code", "kind", "required", "position", "is_active")
    list_filter = ("section", "kind", "is_active")
    search_fields = ("label", "code")
    ordering = ("section", "position", "id")

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
