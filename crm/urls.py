"""URLs: the shell, auth, health, search, and one include per registered section."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from crm.core import views as core_views
from crm.designer import custom_sections
from crm.sections import registry
from crm.sections.views import records as record_views
from crm.sections.views.search import global_search

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # what a browser asks for where a page names no icon (a PDF, a JSON answer)
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("search/", global_search, name="search"),
    path("notifications/", core_views.notifications, name="notifications"),
    path("notifications/count/", core_views.notifications_count, name="notifications_count"),
    path("notifications/<int:pk>/done/", core_views.notification_done, name="notification_done"),
    path("feed/", include("feed.urls")),
    path("access/", include("crm.access.urls")),
    path("duplicates/", include("crm.duplicates.urls")),
    path("imports/", include("crm.imports.urls")),
    path("designer/", include("crm.designer.urls")),
    path("approvals/", include("crm.approvals.urls")),
    path("print/", include("crm.printing.urls")),
    path("dashboards/", include("crm.analytics.urls")),
    path("attachments/<int:pk>/", record_views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", record_views.attachment_delete, name="attachment_delete"),
    path("auth/login/", core_views.LoginView.as_view(), name="login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("auth/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("auth/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("auth/password/reset/", core_views.PasswordResetView.as_view(), name="password_reset"),
    path("auth/password/reset/done/", core_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "auth/password/reset/<uidb64>/<token>/",
        core_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "auth/password/reset/complete/",
        core_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
]

for _section in registry.all_sections():
    if not getattr(_section, "is_runtime", False):
        urlpatterns.append(path(f"{_section.name}/", include((_section.get_urls(), _section.name))))
# sections made at runtime by the section wizard: replaced in this list whenever they change
urlpatterns += custom_sections.runtime_patterns()
