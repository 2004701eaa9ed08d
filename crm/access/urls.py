"""URLs of the access screens, under /access/ and the namespace "access"."""

from django.urls import path
from django.views.generic import RedirectView

from .views import audit, delegations, records, rights, roles, users

app_name = "access"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="access:users"), name="index"),
    path("users/", users.user_list, name="users"),
    path("users/<int:pk>/", users.user_detail, name="user"),
    path("users/<int:pk>/roles/<int:membership>/leave/", users.user_leave_role, name="user_leave_role"),
    path("users/<int:pk>/<slug:action>/", users.user_action, name="user_action"),
    path("roles/", roles.role_list, name="roles"),
    path("roles/<int:pk>/", roles.role_detail, name="role"),
    path("roles/<int:pk>/members/", roles.role_add_member, name="role_add_member"),
    path("roles/<int:pk>/members/<int:user>/remove/", roles.role_remove_member, name="role_remove_member"),
    path("roles/<int:pk>/links/", roles.role_links, name="role_links"),
    path("roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
    path("object-rights/", rights.object_rights, name="object_rights"),
    path("object-rights/<int:pk>/delete/", rights.object_right_delete, name="object_right_delete"),
    path("operation-rights/", rights.operation_rights, name="operation_rights"),
    path("operation-rights/<int:pk>/delete/", rights.operation_right_delete, name="operation_right_delete"),
    path("record-rights/", rights.record_rights, name="record_rights"),
    path("record-rights/switch/", rights.record_rights_switch, name="record_rights_switch"),
    path("record-rights/rules/<int:pk>/delete/", rights.default_rule_delete, name="default_rule_delete"),
    path("column-rights/", rights.column_rights, name="column_rights"),
    path("column-rights/<int:pk>/delete/", rights.column_right_delete, name="column_right_delete"),
    path("delegations/", delegations.delegation_list, name="delegations"),
    path("delegations/<int:pk>/revoke/", delegations.delegation_revoke, name="delegation_revoke"),
    path("audit/", audit.audit_log, name="audit"),
    path("records/<slug:section>/<int:pk>/share/", records.share, name="share"),
    path("records/<slug:section>/<int:pk>/grants/<int:grant>/revoke/", records.revoke, name="revoke"),
]
