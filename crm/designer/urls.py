from django.urls import path

from . import views, views_sections

app_name = "designer"

urlpatterns = [
    path("", views.index, name="index"),
    path("sections/<slug:section_name>/", views.section_fields, name="section"),
    path("sections/<slug:section_name>/new/", views.field_form, name="field_create"),
    path("fields/<int:pk>/", views.field_form, name="field_update"),
    # the section wizard
    path("custom-sections/", views_sections.sections_list, name="custom_sections"),
    path("custom-sections/new/", views_sections.section_form, name="custom_section_create"),
    path("custom-sections/<int:pk>/", views_sections.section_form, name="custom_section_update"),
    path("custom-sections/<int:pk>/active/", views_sections.section_active, name="custom_section_active"),
]
