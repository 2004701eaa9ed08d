from django.urls import path

from . import lookup_views, rule_views, views, views_sections

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
    path("sections/<slug:section_name>/rules/", rule_views.rule_list, name="rules"),
    path("sections/<slug:section_name>/rules/new/", rule_views.rule_form, name="rule_create"),
    path("sections/<slug:section_name>/rules/<int:pk>/", rule_views.rule_form, name="rule_update"),
    path("sections/<slug:section_name>/rules/<int:pk>/delete/", rule_views.rule_delete, name="rule_delete"),
    path("sections/<slug:section_name>/layout/", rule_views.layout_view, name="layout"),
    path("sections/<slug:section_name>/layout/reset/", rule_views.layout_reset, name="layout_reset"),
    path("sections/<slug:section_name>/details/", rule_views.detail_list, name="details"),
    path("sections/<slug:section_name>/details/new/", rule_views.detail_form, name="detail_create"),
    path("sections/<slug:section_name>/details/<int:pk>/", rule_views.detail_form, name="detail_update"),
    path("sections/<slug:section_name>/details/<int:pk>/delete/", rule_views.detail_delete, name="detail_delete"),
    path("details/<int:pk>/<int:record>/rows/<int:row>/", rule_views.detail_row, name="detail_row"),
    path("lookups/", lookup_views.lookup_list, name="lookups"),
    path("lookups/new/", lookup_views.lookup_table_create, name="lookup_table_create"),
    path("lookups/<str:key>/", lookup_views.lookup_values, name="lookup"),
    path("configuration/", lookup_views.configuration, name="configuration"),
]
