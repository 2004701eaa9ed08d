"""The activities' own pages, merged into the "activities" namespace by Section.get_urls (under /activities/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/events/", views.calendar_events, name="calendar_events"),
    path("calendar/new/", views.calendar_create, name="calendar_create"),
    path("calendar/<int:pk>/move/", views.calendar_move, name="calendar_move"),
    path("calendar/feed/", views.calendar_feed_regenerate, name="calendar_feed"),
    path("ical/<slug:token>.ics", views.ical_feed, name="ical"),
    path("<int:pk>/outcome/<slug:outcome>/", views.process_outcome, name="process_outcome"),
    path("<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("records/<slug:section>/<int:pk>/new/", views.record_activity, name="record_activity"),
    path("<int:pk>/participants/<int:participant>/remove/", views.participant_remove, name="participant_remove"),
]
