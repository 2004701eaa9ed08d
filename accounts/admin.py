from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from crm.core.admin import CommunicationTypeAdmin, CompletenessWeightAdmin, LookupAdmin, RecordAdmin

from . import services
from .models import (
    Account,
    AccountAddressType,
    AccountCategory,
    AccountCommunicationType,
    AccountCompletenessWeight,
    AccountEventType,
    AccountType,
    AnnualRevenue,
    BusinessEntity,
    EmployeesRange,
    Industry,
    RelationshipType,
)

for lookup in (
    AccountType,
    AccountCategory,
    Industry,
    EmployeesRange,
    BusinessEntity,
    AnnualRevenue,
    AccountAddressType,
    AccountEventType,
):
    admin.site.register(lookup, LookupAdmin)
admin.site.register(AccountCommunicationType, CommunicationTypeAdmin)
admin.site.register(AccountCompletenessWeight, CompletenessWeightAdmin)


@admin.register(RelationshipType)
class RelationshipTypeAdmin(LookupAdmin):
    """Relationship types come in pairs: choosing the inverse pairs both ways."""

    list_display = ("name", "inverse", "position", "is_active")
    list_select_related = ("inverse",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.save_relationship_type(type=obj, inverse=obj.inverse)


@admin.register(Account)
class AccountAdmin(ImportExportModelAdmin, RecordAdmin):
    list_display = ("name", "code", "type", "category", "industry", "city", "owner", "created_at")
    list_filter = ("type", "category", "industry")
    search_fields = ("name", "code", "phone", "email")
    list_select_related = ("owner", "type", "category", "industry")
    raw_id_fields = ("owner", "primary_contact", "parent")
