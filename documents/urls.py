"""The documents' own pages, merged into the "documents" namespace (under /documents/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/files/", views.file_upload, name="file_upload"),
    path("<int:pk>/files/<int:version>/", views.file_download, name="file_download"),
]
