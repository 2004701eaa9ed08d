"""Dashboards: /dashboards/ and the tiles' own endpoints."""

from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.dashboard_form, name="dashboard_create"),
    path("goals/", views.goals, name="goals"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/edit/", views.dashboard_form, name="dashboard_update"),
    path("<int:pk>/delete/", views.dashboard_delete, name="dashboard_delete"),
    path("<int:pk>/tabs/new/", views.tab_create, name="tab_create"),
    path("tabs/<int:pk>/delete/", views.tab_delete, name="tab_delete"),
    path("tabs/<int:pk>/layout/", views.layout, name="layout"),
    path("tabs/<int:tab>/tiles/new/", views.tile_form, name="tile_create"),
    path("tiles/<int:pk>/", views.tile, name="tile"),
    path("tiles/<int:pk>/export/", views.tile_export, name="tile_export"),
    path("tiles/<int:pk>/edit/", views.tile_form, name="tile_update"),
    path("tiles/<int:pk>/delete/", views.tile_delete, name="tile_delete"),
]
