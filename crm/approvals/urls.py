"""URLs of approvals, included under /approvals/ with the namespace "approvals"."""

from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("routes/", views.routes, name="routes"),
    path("routes/new/", views.route_form, name="route_create"),
    path("routes/<int:pk>/", views.route_form, name="route_update"),
    path("routes/<int:pk>/delete/", views.route_delete, name="route_delete"),
    path("send/<slug:section>/<int:pk>/", views.send, name="send"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/delegate/", views.delegate, name="delegate"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
