from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/map/", views.map_columns, name="map"),
    path("<int:pk>/refused.xlsx", views.refused_rows, name="refused"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/rollback/", views.rollback, name="rollback"),
]
