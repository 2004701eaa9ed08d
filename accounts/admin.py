from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from crm.core.admin import LookupAdmin, RecordAdmin

from .models import Account, AccountCategory, AccountType, Industry

admin.site.register(AccountType, LookupAdmin)
admin.site.register(AccountCategory, LookupAdmin)
admin.site.register(Industry, LookupAdmin)


@admin.register(Account)
class AccountAdmin(ImportExportModelAdmin, RecordAdmin):
    list_display = ("name", "code", "type", "category", "industry", "city", "owner", "created_at")
    list_filter = ("type", "category", "industry")
    search_fields = ("name", "code", "phone", "email")
    list_select_related = ("owner", "type", "category", "industry")
    raw_id_fields = ("owner", "primary_contact", "parent")
