from django.urls import path

from . import views

app_name = "designer"

urlpatterns = [
    path("", views.index, name="index"),
    path("sections/<slug:section_name>/", views.section_fields, name="section"),
    path("sections/<slug:section_name>/new/", views.field_form, name="field_create"),
    path("fields/<int:pk>/", views.field_form, name="field_update"),
]
