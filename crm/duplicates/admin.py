"""Duplicate rules are edited in the admin: attributes inline (chosen from the section's, custom fields
included), with their kind and similarity threshold."""

from django import forms
from django.contrib import admin

from crm.sections import registry

from . import services
from .attributes import attributes_for
from .models import DuplicateRule, DuplicateSearch, MergedRecord, NotDuplicatePair, RuleAttribute
from .normalisation import Kind


def attribute_choices(rule: DuplicateRule | None) -> list:
    """The attributes of the rule's section (of every section for a new rule, grouped), and those the rule
    still names although its section no longer has them (a deleted custom field), so that the page shows them."""
    if rule is None:
        return [
            (section.title, [(name, a.label) for name, a in attributes_for(section).items()])
            for section in registry.all_sections()
        ]
    section = next((s for s in registry.all_sections() if s.name == rule.section), None)
    available = attributes_for(section) if section else {}
    choices = [(name, attribute.label) for name, attribute in available.items()]
    for name in rule.attributes.exclude(attribute__in=list(available)).values_list("attribute", flat=True):
        choices.append((name, f"{name} (no longer exists)"))
    return choices


class RuleAttributeForm(forms.ModelForm):
    attribute = forms.ChoiceField()
    kind = forms.ChoiceField(
        choices=[("", "the attribute's own"), *Kind.choices], required=False, help_text="How values are compared."
    )

    class Meta:
        model = RuleAttribute
        fields = ("attribute", "kind", "threshold")

    def __init__(self, *args, attribute_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attribute"].choices = [("", "---------"), *attribute_choices]

    def clean(self):
        cleaned = super().clean()
        rule, name = cleaned.get("rule"), cleaned.get("attribute")
        section = next((s for s in registry.all_sections() if rule and s.name == rule.section), None)
        if section is None or not name:
            return cleaned  # the rule's own form tells what is wrong with its section
        attribute = attributes_for(section).get(name)
        if attribute is None and "attribute" in self.changed_data:
            self.add_error("attribute", f"{section.title} has no attribute “{name}”.")
        elif not cleaned.get("kind"):
            cleaned["kind"] = attribute.kind if attribute else (self.instance.kind or Kind.TEXT)
        return cleaned


class RuleAttributeInline(admin.TabularInline):
    model = RuleAttribute
    form = RuleAttributeForm
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        choices = attribute_choices(obj)

        class AttributeFormSet(formset):
            def get_form_kwargs(self, index):
                return {**super().get_form_kwargs(index), "attribute_choices": choices}

        return AttributeFormSet


@admin.register(DuplicateRule)
class DuplicateRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "section", "is_active", "use_on_save", "is_preset", "position")
    list_filter = ("section", "is_active", "use_on_save")
    list_editable = ("is_active", "use_on_save", "position")
    inlines = [RuleAttributeInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # keys of a new attribute are missing from the index until a search of the section rebuilds it
        section = next((s for s in registry.all_sections() if s.name == form.instance.section), None)
        if section is not None:
            services.start_search(section=section, user=request.user)

    def has_delete_permission(self, request, obj=None):
        # presets can be switched off, not deleted
        return super().has_delete_permission(request, obj) and not (obj and obj.is_preset)


@admin.register(DuplicateSearch)
class DuplicateSearchAdmin(admin.ModelAdmin):
    list_display = ("section", "status", "done", "total", "group_count", "created_at", "finished_at")
    list_filter = ("section", "status")
    readonly_fields = [f.name for f in DuplicateSearch._meta.fields]


@admin.register(NotDuplicatePair)
class NotDuplicatePairAdmin(admin.ModelAdmin):
    list_display = ("content_type", "first_id", "second_id", "decided_by", "decided_at")


@admin.register(MergedRecord)
class MergedRecordAdmin(admin.ModelAdmin):
    list_display = ("content_type", "old_id", "survivor_id", "merged_by", "merged_at")
    list_filter = ("content_type",)
