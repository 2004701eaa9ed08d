"""Roles: the organisational tree with its members and the functional roles; one role's page (rename, move,
members, linked roles, delete)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..forms import LinkedRolesForm, MemberForm, RoleChangeForm, RoleForm
from ..models import ColumnRight, DefaultGrantRule, Membership, ObjectRight, OperationRight, Role
from .common import form_errors, manage_users_required, run


def tree(roles: list[Role]) -> list[tuple[Role, int]]:
    """The roles in tree order with their depth: units, each followed by its management role and sub-units."""
    children: dict[int | None, list[Role]] = {}
    for role in roles:
        children.setdefault(role.parent_id, []).append(role)
    for siblings in children.values():
        siblings.sort(key=lambda r: (r.kind != Role.Kind.MANAGEMENT, r.name.lower()))
    result: list[tuple[Role, int]] = []

    def walk(parent_id, depth):
        for role in children.get(parent_id, ()):
            result.append((role, depth))
            walk(role.pk, depth + 1)

    walk(None, 0)
    return result


@manage_users_required
def role_list(request):
    if request.method == "POST":
        form = RoleForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect("access:roles")
        return run(
            request,
            services.create_role,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            parent=form.cleaned_data["parent"],
            description=form.cleaned_data["description"],
            success=f"Role “{form.cleaned_data['name']}” created.",
            back=reverse("access:roles"),
        )
    members = Prefetch("memberships", queryset=Membership.objects.select_related("user").order_by("user__username"))
    roles = list(Role.objects.prefetch_related(members, "linked_roles"))
    organisation = tree([r for r in roles if r.kind in (*Role.UNIT_KINDS, Role.Kind.MANAGEMENT)])
    context = {
        "tree": organisation,
        "functional": [r for r in roles if r.kind == Role.Kind.FUNCTIONAL],
        "all_employees": next((r for r in roles if r.kind == Role.Kind.ALL_EMPLOYEES), None),
        "form": RoleForm(),
        "screen": "access:roles",
    }
    return render(request, "access/roles.html", context)


@manage_users_required
def role_detail(request, pk: int):
    role = get_object_or_404(Role.objects.select_related("parent"), pk=pk)
    if request.method == "POST":
        form = RoleChangeForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect("access:role", pk=pk)
        return run(
            request,
            services.update_role,
            role=role,
            name=form.cleaned_data["name"],
            parent=form.cleaned_data["parent"],
            description=form.cleaned_data["description"],
            success="Role saved.",
            back=reverse("access:role", args=[pk]),
        )
    context = {
        "role": role,
        "change_form": RoleChangeForm(
            initial={"name": role.name, "parent": role.parent_id, "description": role.description}
        ),
        "member_form": MemberForm(),
        "links_form": LinkedRolesForm(initial={"linked": list(role.linked_roles.values_list("pk", flat=True))}),
        "members": Membership.objects.filter(role=role).select_related("user").order_by("user__username"),
        "children": role.children.order_by("name"),
        "object_rights": ObjectRight.objects.filter(role=role),
        "operation_rights": OperationRight.objects.filter(role=role),
        "column_rights": ColumnRight.objects.filter(role=role),
        "default_rules": DefaultGrantRule.objects.filter(grantee_role=role).select_related("author_role"),
        "screen": "access:roles",
    }
    return render(request, "access/role_detail.html", context)


@require_POST
@manage_users_required
def role_add_member(request, pk: int):
    role = get_object_or_404(Role, pk=pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("access:role", pk=pk)
    member = form.cleaned_data["user"]
    return run(
        request,
        services.add_member,
        role=role,
        member=member,
        success=f"{member.get_username()} added to “{role}”.",
        back=reverse("access:role", args=[pk]),
    )


@require_POST
@manage_users_required
def role_remove_member(request, pk: int, user: int):
    role = get_object_or_404(Role, pk=pk)
    member = get_object_or_404(get_user_model(), pk=user)
    return run(
        request,
        services.remove_member,
        role=role,
        member=member,
        success=f"{member.get_username()} removed from “{role}”.",
        back=reverse("access:role", args=[pk]),
    )


@require_POST
@manage_users_required
def role_links(request, pk: int):
    role = get_object_or_404(Role, pk=pk)
    form = LinkedRolesForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("access:role", pk=pk)
    return run(
        request,
        services.set_linked_roles,
        role=role,
        linked=list(form.cleaned_data["linked"]),
        success="Linked roles saved.",
        back=reverse("access:role", args=[pk]),
    )


@require_POST
@manage_users_required
def role_delete(request, pk: int):
    role = get_object_or_404(Role, pk=pk)
    return run(
        request,
        services.delete_role,
        role=role,
        success=f"Role “{role}” deleted.",
        back=reverse("access:roles"),
        back_on_error=reverse("access:role", args=[pk]),
    )
