"""URLs of print forms, included under /print/ with the namespace "printing"."""

from django.urls import path

from . import views

app_name = "printing"

urlpatterns = [
    path("<slug:section>/<int:pk>/<int:form>/", views.pdf, name="pdf"),
]
