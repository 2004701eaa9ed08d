"""The review page (bulk search with its progress bar, groups, "not duplicates") and the merge page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from crm import access
from crm.designer.fields import is_custom
from crm.sections import registry

from . import merge, selectors, services
from .attributes import attributes_for, describe
from .models import DuplicateGroup, DuplicateRule, DuplicateSearch


def _section_for(user, name: str):
    """The section, if the user may search it for duplicates; else the same 404 as a missing page."""
    section = registry.get_or_404(name)
    if not services.can_search(user, section):
        raise Http404("No such page.")
    return section


def _ids(values) -> list[int]:
    return sorted({int(v) for v in values if str(v).isdigit()})[:50]


@login_required
def index(request):
    if not access.can(request.user, "merge_duplicates"):
        raise Http404("No such page.")
    names = set(DuplicateRule.objects.filter(is_active=True).values_list("section", flat=True))
    sections = [s for s in registry.all_sections() if s.name in names and services.can_search(request.user, s)]
    rows = []
    for section in sections:  # each with its latest search and the groups this user may review
        search = services.latest_search(section)
        rows.append((section, search, selectors.reviewable(section=section, user=request.user, search=search)))
    return render(request, "duplicates/index.html", {"rows": rows})


@login_required
def review(request, section_name: str):
    section = _section_for(request.user, section_name)
    search = services.latest_search(section)
    after = request.GET.get("after", "")
    page = selectors.review_groups(section=section, user=request.user, search=search, after=after)
    rules = DuplicateRule.objects.filter(section=section.name, is_active=True).prefetch_related("attributes")
    named = {attribute.attribute for rule in rules for attribute in rule.attributes.all()}
    available = attributes_for(section, custom=any(is_custom(name) for name in named))
    rule_lines = [(rule, " and ".join(describe(a, available) for a in rule.attributes.all())) for rule in rules]
    return render(
        request,
        "duplicates/review.html",
        {
            "section": section,
            "search": search,
            "groups": page.groups,
            "next_cursor": page.next_cursor,
            "paged": bool(after),
            "rules": rule_lines,
            # what this user may review (the search's own count includes groups of records hidden from them)
            "groups_shown": None if after else f"{len(page.groups)}{'+' if page.next_cursor else ''}",
        },
    )


@login_required
@require_POST
def start(request, section_name: str):
    section = _section_for(request.user, section_name)
    services.start_search(section=section, user=request.user)
    return redirect("duplicates:review", section.name)


@login_required
def progress(request, pk: int):
    search = get_object_or_404(DuplicateSearch, pk=pk)
    section = _section_for(request.user, search.section)
    response = render(request, "duplicates/_progress.html", {"search": search, "section": section})
    if search.is_finished and request.htmx and request.GET.get("polling"):
        # the groups are on the full page: reload it once the search is over
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def not_duplicates(request, section_name: str, pk: int):
    section = _section_for(request.user, section_name)
    group = get_object_or_404(DuplicateGroup, pk=pk, search__section=section.name)
    try:
        services.mark_not_duplicates(user=request.user, section=section, ids=group.record_ids)
        messages.success(request, "Marked as not duplicates: later searches keep them apart.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("duplicates:review", section.name)


@login_required
@require_http_methods(["GET", "POST"])
def merge_view(request, section_name: str):
    """GET ?ids=1&ids=2 (or a POST of the list's selection): the merge page; POST with `merge`: the merge."""
    section = _section_for(request.user, section_name)
    data = request.POST if request.method == "POST" else request.GET
    ids = _ids(data.getlist("ids"))
    records = merge.merge_order(list(access.visible(request.user, section.get_queryset()).filter(pk__in=ids)))
    if len(records) < 2:
        messages.error(request, "Choose at least two records you may see to merge.")
        return redirect("duplicates:review", section.name)
    by_id = {r.pk: r for r in records}
    survivor_id = int(data["survivor"]) if str(data.get("survivor", "")).isdigit() else records[0].pk
    survivor = by_id.get(survivor_id, records[0])
    others = [r for r in records if r.pk != survivor.pk]
    choices = merge.field_choices(section=section, user=request.user, survivor=survivor, others=others)
    error = ""
    if request.method == "POST" and "merge" in request.POST:
        chosen = {
            c.name: int(request.POST[f"field_{c.name}"])
            for c in choices
            if request.POST.get(f"field_{c.name}", "").isdigit()
        }
        try:
            merged = merge.merge_records(
                section=section, user=request.user, survivor=survivor, others=others, choices=chosen
            )
        except (PermissionDenied, ValidationError) as problem:
            error = " ".join(getattr(problem, "messages", [str(problem)]))
        else:
            messages.success(request, f"{len(others) + 1} records merged into “{merged}”.")
            return redirect(section.url("detail", merged.pk))
    try:
        merge.check_merge_rights(user=request.user, section=section, survivor=survivor, others=others)
    except PermissionDenied as problem:
        error = error or str(problem)
    context = {
        "section": section,
        "records": records,
        "survivor": survivor,
        "choices": choices,
        "error": error,
    }
    return render(request, "duplicates/merge.html", context, status=403 if error and request.method == "POST" else 200)
