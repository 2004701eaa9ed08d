"""The opportunities' own pages, merged into the "opportunities" namespace (under /opportunities/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("pipeline/", views.kanban, name="kanban"),
    path("pipeline/<int:stage>/", views.kanban_column, name="kanban_column"),
    path("analytics/", views.analytics, name="analytics"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/products/select/", views.select_products, name="select_products"),
]
