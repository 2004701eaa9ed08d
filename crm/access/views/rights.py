"""The four kinds of rights: object rights per section, operation rights, record rights (the per-section switch
and the default grant rules) and column rights."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.sections import registry

from .. import services
from ..forms import ColumnRightForm, DefaultRuleForm, ObjectRightForm, OperationRightForm, RecordRightsSwitchForm
from ..models import OPERATIONS, ColumnRight, DefaultGrantRule, ObjectRight, OperationRight, SectionAccess
from .common import form_errors, manage_users_required, run, submit


def _by_section(rules) -> list[tuple[object, list]]:
    grouped: dict[str, list] = {}
    for rule in rules:
        grouped.setdefault(rule.section, []).append(rule)
    return [(section, grouped.get(section.name, [])) for section in registry.all_sections()]


# --- object rights ----------------------------------------------------------------------------------------------


@manage_users_required
def object_rights(request):
    back = reverse("access:object_rights")
    if request.method == "POST":
        return submit(
            request,
            ObjectRightForm,
            services.set_object_right,
            success=lambda data: f"{data['section']}: the rights of “{data['role']}” are saved.",
            back=back,
        )
    rules = ObjectRight.objects.select_related("role")
    context = {"sections": _by_section(rules), "form": ObjectRightForm(), "screen": "access:object_rights"}
    return render(request, "access/object_rights.html", context)


def _remove_right(request, model, pk: int, service, back: str):
    """Remove one rule of a rights screen (object, operation or column rights) through its service."""
    right = get_object_or_404(model.objects.select_related("role"), pk=pk)
    return run(request, service, right=right, success="Rule removed.", back=reverse(back))


@require_POST
@manage_users_required
def object_right_delete(request, pk: int):
    return _remove_right(request, ObjectRight, pk, services.remove_object_right, "access:object_rights")


# --- operation rights -------------------------------------------------------------------------------------------


@manage_users_required
def operation_rights(request):
    back = reverse("access:operation_rights")
    if request.method == "POST":
        return submit(
            request, OperationRightForm, services.set_operation_right, success="Operation right saved.", back=back
        )
    rules: dict[str, list] = {}
    for rule in OperationRight.objects.select_related("role"):
        rules.setdefault(rule.operation, []).append(rule)
    defaults = getattr(settings, "ACCESS_DEFAULT_OPERATIONS", {})
    context = {
        "operations": [(code, label, defaults.get(code, False), rules.get(code, [])) for code, label in OPERATIONS],
        "form": OperationRightForm(),
        "screen": "access:operation_rights",
    }
    return render(request, "access/operation_rights.html", context)


@require_POST
@manage_users_required
def operation_right_delete(request, pk: int):
    return _remove_right(request, OperationRight, pk, services.remove_operation_right, "access:operation_rights")


# --- record rights ----------------------------------------------------------------------------------------------


@manage_users_required
def record_rights(request):
    back = reverse("access:record_rights")
    if request.method == "POST":
        return submit(
            request,
            DefaultRuleForm,
            services.add_default_rule,
            success="Default grant rule saved; it applies at once to every record of an owner in the role.",
            back=back,
        )
    switched_on = set(SectionAccess.objects.filter(use_record_rights=True).values_list("section", flat=True))
    rules = DefaultGrantRule.objects.select_related("author_role", "grantee_role")
    context = {
        "sections": [(section, section.name in switched_on, items) for section, items in _by_section(rules)],
        "form": DefaultRuleForm(),
        "screen": "access:record_rights",
    }
    return render(request, "access/record_rights.html", context)


@require_POST
@manage_users_required
def record_rights_switch(request):
    form = RecordRightsSwitchForm(request.POST)
    back = reverse("access:record_rights")
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    section, enabled = form.cleaned_data["section"], form.cleaned_data["enabled"]
    return run(
        request,
        services.set_record_rights,
        section=section,
        enabled=enabled,
        success=f"{section}: record rights {'on' if enabled else 'off'}.",
        back=back,
    )


@require_POST
@manage_users_required
def default_rule_delete(request, pk: int):
    rule = get_object_or_404(DefaultGrantRule, pk=pk)
    return run(
        request,
        services.remove_default_rule,
        rule=rule,
        success="Rule removed, with the grants it made.",
        back=reverse("access:record_rights"),
    )


# --- column rights ----------------------------------------------------------------------------------------------


@manage_users_required
def column_rights(request):
    back = reverse("access:column_rights")
    if request.method == "POST":
        form = ColumnRightForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect(back)
        section, field_name = form.cleaned_data["column"]
        return run(
            request,
            services.set_column_right,
            section=section,
            field_name=field_name,
            role=form.cleaned_data["role"],
            access=form.cleaned_data["access"],
            success="Column right saved.",
            back=back,
        )
    rules = ColumnRight.objects.select_related("role")
    context = {"sections": _by_section(rules), "form": ColumnRightForm(), "screen": "access:column_rights"}
    return render(request, "access/column_rights.html", context)


@require_POST
@manage_users_required
def column_right_delete(request, pk: int):
    return _remove_right(request, ColumnRight, pk, services.remove_column_right, "access:column_rights")
