"""Duplicate rules are edited in the admin: attributes inline, with their kind and similarity threshold."""

from django.contrib import admin

from crm.sections import registry

from . import services
from .models import DuplicateRule, DuplicateSearch, MergedRecord, NotDuplicatePair, RuleAttribute


class RuleAttributeInline(admin.TabularInline):
    model = RuleAttribute
    extra = 1


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
