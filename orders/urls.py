"""The orders' own pages, merged into the "orders" namespace (under /orders/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("from-opportunity/<int:opportunity>/", views.from_opportunity, name="from_opportunity"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/products/select/", views.select_products, name="select_products"),
    path("<int:pk>/plan/template/", views.apply_template, name="apply_template"),
]
