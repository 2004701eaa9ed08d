"""The leads' own pages, merged into the "leads" namespace (under /leads/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("quick/", views.quick, name="quick"),
    path("capture/", views.capture, name="capture"),
    path("analytics/", views.analytics, name="analytics"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/qualify/", views.qualify, name="qualify"),
    path("<int:pk>/distribute/", views.distribute, name="distribute"),
    path("<int:pk>/products/select/", views.select_products, name="select_products"),
]
