"""The feed's pages, under /feed/ (the feed is not a record section: it has its own pages)."""

from django.urls import path

from . import views

app_name = "feed"

urlpatterns = [
    path("", views.index, name="index"),
    path("channels/", views.channels, name="channels"),
    path("channels/<int:pk>/", views.channel, name="channel"),
    path("channels/<int:pk>/subscription/", views.subscription, name="subscription"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:pk>/like/", views.post_like, name="post_like"),
    path("posts/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("comments/<int:pk>/like/", views.comment_like, name="comment_like"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("records/<slug:section>/<int:pk>/posts/", views.record_post, name="record_post"),
    path("records/<slug:section>/<int:pk>/follow/", views.record_follow, name="record_follow"),
    path("mentions/", views.mention_suggestions, name="mentions"),
]
