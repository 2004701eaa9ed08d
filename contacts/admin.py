from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from crm.core.admin import CommunicationTypeAdmin, CompletenessWeightAdmin, LookupAdmin, RecordAdmin

from .models import (
    Contact,
    ContactAddressType,
    ContactCommunicationType,
    ContactCompletenessWeight,
    ContactEventType,
    ContactType,
    DecisionRole,
    Language,
    Salutation,
)

for lookup in (ContactType, Salutation, DecisionRole, Language, ContactAddressType, ContactEventType):
    admin.site.register(lookup, LookupAdmin)
admin.site.register(ContactCommunicationType, CommunicationTypeAdmin)
admin.site.register(ContactCompletenessWeight, CompletenessWeightAdmin)


@admin.register(Contact)
class ContactAdmin(ImportExportModelAdmin, RecordAdmin):
    list_display = ("full_name", "account", "job_title", "email", "mobile_phone", "owner", "created_at")
    list_filter = ("type", "gender")
    search_fields = ("full_name", "email", "mobile_phone", "account__name")
    list_select_related = ("owner", "account", "type")
    raw_id_fields = ("owner", "account")
