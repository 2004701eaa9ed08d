"""The system designer's pages for one section beyond its custom fields: business rules, the page designer and
the detail wizard, and the row of a wizard's detail edited in place. The designer pages need the `designer`
operation right (without it they do not exist); a row edited in place needs the right to edit that record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm import access
from crm.sections import registry
from crm.sections.services import StaleRecordError

from . import details_wizard, layouts, rules
from .models import BusinessRule, DetailDefinition
from .rule_forms import DetailForm, RuleForm
from .views import _authorise


def _refused(form, error) -> None:
    """A service's refusal on the form: by field where it names one."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, getattr(error, "messages", None) or str(error))


def _section_and_row(request, section_name: str, model, pk: int | None):
    """The section a designer page is about and, given a pk, its row of `model` (404 when it has none)."""
    _authorise(request)
    section = registry.get_or_404(section_name)
    row = None
    if pk is not None:
        row = model.objects.filter(pk=pk, section=section.name).first()
        if row is None:
            raise Http404("No such page.")
    return section, row


# --- business rules ---------------------------------------------------------------------------------------------


def rule_list(request, section_name: str):
    _authorise(request)
    section = registry.get_or_404(section_name)
    rows = BusinessRule.objects.filter(section=section.name).order_by("position", "id")
    described = []
    for row in rows:
        rule = rules.compile_rule(row)
        when = [c.describe(section.label_for(c.field)) for c in rule.conditions]
        joiner = " and " if row.match == "all" else " or "
        described.append((row, joiner.join(when) or "always", section.label_for(row.target)))
    return render(request, "designer/rules.html", {"section": section, "rules": described})


def rule_form(request, section_name: str, pk: int | None = None):
    section, rule = _section_and_row(request, section_name, BusinessRule, pk)
    form = RuleForm(request.POST or None, instance=rule or BusinessRule(section=section.name), section=section)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                saved = rules.save_rule(user=request.user, section=section, rule=rule, **form.rule_values())
            except (ValidationError, PermissionDenied) as error:
                _refused(form, error)
                status = 403 if isinstance(error, PermissionDenied) else 422
            else:
                messages.success(request, f"Rule “{saved.name}” saved.")
                return redirect("designer:rules", section.name)
    context = {"section": section, "form": form, "rule": rule}
    return render(request, "designer/rule_form.html", context, status=status)


@require_POST
def rule_delete(request, section_name: str, pk: int):
    section, rule = _section_and_row(request, section_name, BusinessRule, pk)
    rules.delete_rule(user=request.user, rule=rule)
    messages.success(request, f"Rule “{rule.name}” deleted.")
    return redirect("designer:rules", section.name)


# --- the page designer ------------------------------------------------------------------------------------------

NEW_GROUPS = 2


def _posted_layout(request, section) -> tuple[list[dict], list[str]]:
    """The groups and hidden fields the page designer's form posted: groups by their order, each field in the
    group it names at its own order."""
    groups = []
    for index in range(layouts.MAX_GROUPS + NEW_GROUPS):
        title = request.POST.get(f"group-{index}-title")
        if title is None:
            continue
        if not title.strip():
            continue
        order = request.POST.get(f"group-{index}-order", "")
        groups.append(
            {
                "key": str(index),
                "title": title,
                "tab": request.POST.get(f"group-{index}-tab", ""),
                "order": int(order) if order.lstrip("-").isdigit() else index,
                "fields": [],
            }
        )
    groups.sort(key=lambda g: g["order"])
    by_key = {g["key"]: g for g in groups}
    hidden, placed = [], []
    for group in layouts.default_groups(section):
        for name in group.fields:
            if request.POST.get(f"field-{name}-hidden"):
                hidden.append(name)
            order = request.POST.get(f"field-{name}-order", "")
            placed.append(
                (
                    int(order) if order.lstrip("-").isdigit() else 0,
                    name,
                    request.POST.get(f"field-{name}-group", ""),
                )
            )
    placed.sort(key=lambda item: item[0])
    for _, name, key in placed:
        target = by_key.get(key) or (groups[-1] if groups else None)
        if target is not None:
            target["fields"].append(name)
    return [{"title": g["title"], "tab": g["tab"], "fields": g["fields"]} for g in groups], hidden


def layout_view(request, section_name: str):
    _authorise(request)
    section = registry.get_or_404(section_name)
    errors = []
    status = 200
    if request.method == "POST":
        groups, hidden = _posted_layout(request, section)
        try:
            layouts.save_layout(user=request.user, section=section, groups=groups, hidden=hidden)
        except (ValidationError, PermissionDenied) as error:
            errors = getattr(error, "messages", None) or [str(error)]
            status = 422
        else:
            messages.success(request, f"The layout of {section.title} is saved.")
            return redirect("designer:layout", section.name)
    groups = layouts.groups_of(section)
    hidden = layouts.hidden_of(section)
    placement, group_of = [], {}
    for index, group in enumerate(groups):
        for order, name in enumerate(group.fields):
            group_of[name] = (index, order)
    position = 0
    for group in layouts.default_groups(section):
        for name in group.fields:
            index, order = group_of.get(name, (len(groups) - 1, 99))
            position += 1
            placement.append(
                {
                    "name": name,
                    "label": section.label_for(name),
                    "group": index,
                    "order": index * 100 + order,
                    "hidden": name in hidden,
                    "locked": name in layouts.cannot_hide(section),
                }
            )
    placement.sort(key=lambda p: p["order"])
    group_rows = [(index, group) for index, group in enumerate(groups)]
    new_rows = list(range(len(groups), len(groups) + NEW_GROUPS))
    context = {
        "section": section,
        "groups": group_rows,
        "new_groups": new_rows,
        "placement": placement,
        "errors": errors,
        "customised": layouts.layout_of(section.name) is not None,
    }
    return render(request, "designer/layout.html", context, status=status)


@require_POST
def layout_reset(request, section_name: str):
    _authorise(request)
    section = registry.get_or_404(section_name)
    layouts.reset_layout(user=request.user, section=section)
    messages.success(request, f"{section.title} is back to its default layout.")
    return redirect("designer:layout", section.name)


# --- the detail wizard ------------------------------------------------------------------------------------------


def detail_list(request, section_name: str):
    _authorise(request)
    section = registry.get_or_404(section_name)
    rows = DetailDefinition.objects.filter(section=section.name).order_by("position", "id")
    return render(request, "designer/details.html", {"section": section, "details": rows})


def detail_form(request, section_name: str, pk: int | None = None):
    section, detail = _section_and_row(request, section_name, DetailDefinition, pk)
    form = DetailForm(request.POST or None, instance=detail or DetailDefinition(section=section.name), section=section)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                saved = details_wizard.save_detail(
                    user=request.user, section=section, detail=detail, **form.detail_values()
                )
            except (ValidationError, PermissionDenied) as error:
                _refused(form, error)
            else:
                messages.success(
                    request, f"Detail “{saved.title}” saved: it is a tab of every {section.title_singular}."
                )
                return redirect("designer:details", section.name)
    return render(
        request, "designer/detail_form.html", {"section": section, "form": form, "detail": detail}, status=status
    )


@require_POST
def detail_delete(request, section_name: str, pk: int):
    section, detail = _section_and_row(request, section_name, DetailDefinition, pk)
    details_wizard.delete_detail(user=request.user, detail=detail)
    messages.success(request, f"Detail “{detail.title}” removed.")
    return redirect("designer:details", section.name)


def detail_row(request, pk: int, record: int, row: int):
    """A row of a wizard's detail edited in place: GET the row as a form, POST it saved (or its errors)."""
    definition = DetailDefinition.objects.filter(pk=pk, editable=True).first()
    host = registry._registry.get(definition.section) if definition else None
    source = details_wizard.source_of(definition) if definition else None
    if host is None or source is None:
        raise Http404("No such detail.")
    host_record = access.get_object_or_404(request.user, host.get_queryset(), "read", pk=record)
    queryset = details_wizard.rows_of(definition, source, request.user, host_record)
    obj = access.get_object_or_404(request.user, queryset, "edit", pk=row)
    context = {
        "definition": definition,
        "source": source,
        "object": host_record,
        "row": obj,
        "columns": details_wizard.columns_of(definition, source, request.user),
        "editable_ids": {obj.pk},
    }
    if request.method == "POST" and "cancel" not in request.POST:
        form = details_wizard.edit_form(request.user, definition, source, obj, request.POST)
        if form.is_valid():
            try:
                obj = details_wizard.save_row(
                    user=request.user, definition=definition, source=source, row=obj, form=form
                )
            except StaleRecordError:
                form.add_error(None, "Someone else saved this record after you opened it; reload and try again.")
            except (ValidationError, PermissionDenied) as error:
                _refused(form, error)
            else:
                return render(request, "designer/_detail_row.html", {**context, "row": obj})
        # htmx swaps only successful answers: the row comes back with its errors
        return render(request, "designer/_detail_row_form.html", {**context, "form": form})
    if request.method == "POST" or request.GET.get("cancel"):
        return render(request, "designer/_detail_row.html", context)
    form = details_wizard.edit_form(request.user, definition, source, obj)
    return render(request, "designer/_detail_row_form.html", {**context, "form": form})
