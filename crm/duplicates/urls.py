from django.urls import path

from . import views

app_name = "duplicates"

urlpatterns = [
    path("", views.index, name="index"),
    path("searches/<int:pk>/progress/", views.progress, name="progress"),
    path("<str:section_name>/", views.review, name="review"),
    path("<str:section_name>/search/", views.start, name="start"),
    path("<str:section_name>/groups/<int:pk>/not-duplicates/", views.not_duplicates, name="not_duplicates"),
    path("<str:section_name>/merge/", views.merge_view, name="merge"),
]
