"""Dashboards: /dashboards/ and the tiles' own endpoints."""

app_name = "analytics"
urlpatterns: list = []
