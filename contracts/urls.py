"""The contracts' own pages, merged into the "contracts" namespace (under /contracts/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("from-order/<int:order>/", views.from_order, name="from_order"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/products/select/", views.select_products, name="select_products"),
]
