"""The page designer: how a section's record page and form are arranged (field groups in order, the tab each
stands on, hidden fields), kept as a PageLayout row and used by the generic views. Without a row, a section
shows its declared layout; a reset deletes the row.

A group on the main tab ("") stands in the record page's left column; a group on another tab makes a tab of the
record page of that name (a RecordTab provided to the registry) and a titled part of the form."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.shortcuts import render
from django.utils.text import slugify

from crm.sections import registry

from . import rules
from .fields import _local
from .models import PageLayout

MAIN = ""
MAX_GROUPS = 30
TAB_PREFIX = "fields-"


@dataclass(frozen=True)
class Group:
    title: str
    tab: str
    fields: tuple[str, ...]


def all_layouts() -> dict[str, PageLayout]:
    cached = getattr(_local, "layouts", None)
    if cached is None:
        try:
            cached = {row.section: row for row in PageLayout.objects.all()}
        except DatabaseError:  # before the designer's tables are migrated
            return {}
        _local.layouts = cached
    return cached


def layout_of(section_name: str) -> PageLayout | None:
    return all_layouts().get(section_name)


def default_groups(section) -> list[Group]:
    """The section's declared arrangement: its detail groups (or one of its form), the form fields no group
    holds, and the custom fields."""
    declared = section.detail_fields or (("General", section.form_fields),)
    groups, placed = [], set()
    for title, names in declared:
        names = tuple(n for n in names if n not in placed and _exists(section, n))
        placed.update(names)
        if names:
            groups.append(Group(str(title), MAIN, names))
    rest = tuple(n for n in section.form_fields if n not in placed and _exists(section, n))
    if rest:
        groups.append(Group("More", MAIN, rest))
    custom = tuple(f.name for f in section.custom_fields())
    if custom:
        groups.append(Group("Additional information", MAIN, custom))
    return groups


def _exists(section, name: str) -> bool:
    try:
        section.field(name)
    except FieldDoesNotExist:
        return False
    return True


def groups_of(section) -> list[Group]:
    """The section's groups as the page designer left them (fields that no longer exist dropped; fields added
    since, such as a new custom field, in the last group), hidden fields left out."""
    layout = layout_of(section.name)
    if layout is None:
        return default_groups(section)
    hidden = set(layout.hidden or ())
    groups, placed = [], set()
    for data in layout.groups or ():
        names = tuple(n for n in data.get("fields", ()) if _exists(section, n) and n not in hidden)
        placed.update(names)
        groups.append(Group(data.get("title", ""), data.get("tab", MAIN), names))
    known = [n for group in default_groups(section) for n in group.fields]
    new = tuple(n for n in known if n not in placed and n not in hidden)
    if new:
        if groups:
            last = groups[-1]
            groups[-1] = Group(last.title, last.tab, last.fields + new)
        else:
            groups.append(Group("General", MAIN, new))
    return [group for group in groups if group.fields]


def hidden_of(section) -> set[str]:
    layout = layout_of(section.name)
    return set(layout.hidden or ()) if layout is not None else set()


def tabs_of(section) -> list[str]:
    """The tabs other than the main one that groups stand on, in order."""
    return list(dict.fromkeys(group.tab for group in groups_of(section) if group.tab != MAIN))


# --- the generic views use these -------------------------------------------------------------------------------


def record_groups(section, readable, tab: str = MAIN) -> list[tuple[str, list]] | None:
    """(title, fields) of the groups on `tab` the reader may see; None when the section has no layout of its own
    (the generic view shows the declared one)."""
    if layout_of(section.name) is None:
        return None
    result = []
    for group in groups_of(section):
        if group.tab != tab:
            continue
        fields = [section.field(n) for n in group.fields if n in readable]
        if fields:
            result.append((group.title, fields))
    return result


def record_tabs(section) -> list[registry.RecordTab]:
    """A record page tab per tab the page designer put groups on."""
    return [
        registry.RecordTab(TAB_PREFIX + (slugify(tab) or "tab"), tab, _tab_view(tab), position=5)
        for tab in tabs_of(section)
    ]


def _tab_view(tab: str):
    def view(request, section, record):
        groups = record_groups(section, section.readable_fields(request.user), tab) or []
        return render(request, "designer/_field_tab.html", {"object": record, "groups": groups})

    return view


def form_order(section, names: list[str]) -> list[str]:
    """`names` (a form's fields) without the hidden ones, in the layout's order (those it does not place last)."""
    layout = layout_of(section.name)
    if layout is None:
        return names
    hidden = hidden_of(section)
    order = {name: index for index, name in enumerate(n for group in groups_of(section) for n in group.fields)}
    kept = [name for name in names if name not in hidden]
    return sorted(kept, key=lambda name: order.get(name, len(order)))


def form_layout(section, form):
    """The crispy layout of a section's form: a titled part per group (the tab's name before the group's on
    other tabs); None when the section has no layout of its own."""
    if section is None or layout_of(section.name) is None:
        return None
    from crispy_forms.layout import Div, Fieldset, Layout
    from django import forms

    def column(name):
        wide = isinstance(form.fields[name].widget, forms.Textarea)
        return Div(name, css_class="col-12" if wide else "col-md-6")

    parts, placed = ["version"], {"version"}
    groups = sorted(groups_of(section), key=lambda g: (g.tab != MAIN, tabs_of(section).index(g.tab) if g.tab else 0))
    for group in groups:
        names = [n for n in group.fields if n in form.fields and n not in placed]
        placed.update(names)
        if names:
            legend = f"{group.tab}: {group.title}" if group.tab else group.title
            parts.append(Fieldset(legend, Div(*map(column, names), css_class="row"), css_class="layout-group mb-2"))
    rest = [n for n in form.fields if n not in placed]
    if rest:
        parts.append(Div(*map(column, rest), css_class="row"))
    return Layout(*parts)


# --- services ---------------------------------------------------------------------------------------------------


def cannot_hide(section) -> set[str]:
    """Fields that must stay on the form: required by the model, or by a business rule."""
    return rules.model_required(section) | rules.required_fields(section.name)


def save_layout(*, user, section, groups: list[dict], hidden: list[str]) -> PageLayout:
    """Keep the section's arrangement. `groups`: [{"title", "tab", "fields"}] in order; every field the section
    has must be in one group or hidden; a required one cannot be hidden."""
    rules.authorise(user)
    known = {n for group in default_groups(section) for n in group.fields}
    errors = []
    cleaned, seen_titles, placed = [], set(), set()
    if len(groups) > MAX_GROUPS:
        errors.append(f"A page has at most {MAX_GROUPS} groups.")
    for data in groups:
        title = str(data.get("title", "")).strip()[:100]
        tab = str(data.get("tab", "")).strip()[:60]
        fields = [str(n) for n in data.get("fields", ())]
        if not title:
            errors.append("Every group needs a title.")
            continue
        key = (tab.casefold(), title.casefold())
        if key in seen_titles:
            errors.append(f"Two groups are called “{title}” on the same tab.")
        seen_titles.add(key)
        unknown = [n for n in fields if n not in known]
        if unknown:
            errors.append(f"Unknown field “{unknown[0]}”.")
        twice = [n for n in fields if n in placed]
        if twice:
            errors.append(f"“{section.label_for(twice[0])}” stands in two groups.")
        placed.update(fields)
        cleaned.append({"title": title, "tab": tab, "fields": [n for n in fields if n in known]})
    hidden = [str(n) for n in hidden]
    unknown = [n for n in hidden if n not in known]
    if unknown:
        errors.append(f"Unknown field “{unknown[0]}”.")
    required = [n for n in hidden if n in cannot_hide(section)]
    if required:
        labels = ", ".join(section.label_for(n) for n in required)
        errors.append(f"Required fields cannot be hidden: {labels}.")
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    with transaction.atomic():
        layout, _ = PageLayout.objects.select_for_update().get_or_create(section=section.name)
        layout.groups = cleaned
        layout.hidden = [n for n in hidden if n in known]
        layout.save()
    return layout


def reset_layout(*, user, section) -> None:
    """Back to the section's declared layout."""
    rules.authorise(user)
    PageLayout.objects.filter(section=section.name).delete()
