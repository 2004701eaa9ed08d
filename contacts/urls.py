"""The Contacts section's own URLs (the generic ones come from crm.sections), in the `contacts` namespace."""

from django.urls import path

from . import views
from .section import section

urlpatterns = [
    path("<int:pk>/vcard/", views.VCardView.as_view(section=section), name="vcard"),
    path("vcard/export/", views.VCardExportView.as_view(section=section), name="vcard_export"),
    path("vcard/import/", views.VCardImportView.as_view(section=section), name="vcard_import"),
]
