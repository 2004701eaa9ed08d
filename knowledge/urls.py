"""The knowledge base's own pages, merged into the "knowledge" namespace (under /knowledge/); the create and edit
pages are the generic ones with the editor's page."""

from django.urls import path

from . import views
from .section import section

urlpatterns = [
    path("browse/", views.browse, name="browse"),
    path("search/", views.search_page, name="search"),
    path("new/", views.ArticleFormView.as_view(section=section), name="create"),
    path("<int:pk>/edit/", views.ArticleFormView.as_view(section=section), name="update"),
    path("<int:pk>/read/", views.read, name="read"),
    path("<int:pk>/helpful/", views.helpful, name="helpful"),
    path("<int:pk>/history/", views.article_history, name="history"),
    path("<int:pk>/history/<int:number>/restore/", views.restore, name="restore"),
    path("images/", views.image_upload, name="image_upload"),
    path("images/<int:pk>/", views.image, name="image"),
    path("groups/", views.group_create, name="group_create"),
    path("links/<slug:section>/<int:pk>/", views.link_create, name="link_create"),
    path("links/<slug:section>/<int:pk>/<int:link>/delete/", views.link_delete, name="link_delete"),
]
