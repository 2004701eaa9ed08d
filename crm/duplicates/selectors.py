"""Reads of the duplicates app: the candidates shown before a save, the groups of the review page and the
survivor of a merged-away id. Every record shown passes `crm.access.visible`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from crm import access
from crm.sections.registry import Section

from .attributes import compile_rules, keys_of, read_values, values_of_instance
from .matching import best_rule
from .models import DuplicateGroup, DuplicateKey, DuplicateSearch, MergedRecord, content_type_of

#: candidates the index may return before scoring: enough for any real duplicate, bounded for a placeholder value
MAX_CANDIDATES = 200


@dataclass
class Candidate:
    record: models.Model
    score: float
    rule_name: str


def candidates_for(*, section: Section, user, instance, limit: int = 10) -> list[Candidate]:
    """Existing records that `instance` (unsaved or edited) duplicates by a rule used on save, best first.

    One indexed lookup of the instance's keys finds the candidates; those the user may not see are dropped in
    the same query (they are neither shown nor counted); the rest are scored with the rules.
    """
    rules = compile_rules(section, on_save=True)
    if not rules:
        return []
    values = values_of_instance(section, rules, instance)
    keys = lookup_keys(rules, values)
    if not keys:
        return []
    content_type = content_type_of(section.model)
    matches = DuplicateKey.objects.filter(content_type=content_type, key__in=sorted(keys))
    if instance.pk:
        matches = matches.exclude(object_id=instance.pk)
    ids = matches.values("object_id").distinct()[:MAX_CANDIDATES]
    visible = access.visible(user, section.get_queryset()).filter(pk__in=models.Subquery(ids))
    records = {record.pk: record for record in visible}
    if not records:
        return []
    candidate_values = read_values(section, rules, section.model._default_manager.filter(pk__in=list(records)))
    found = []
    for pk, record in records.items():
        score, rule = best_rule(rules, values, candidate_values.get(pk, {}))
        if rule is not None:
            found.append(Candidate(record, score, rule.name))
    found.sort(key=lambda c: (-c.score, c.record.pk))
    return found[:limit]


def lookup_keys(rules, values) -> set[str]:
    """The index keys a match by any rule must share with the record: a rule with an exact attribute is matched
    only by records with that exact value, so its fuzzy attributes' blocking keys (shared by many) are not
    looked up; a rule of fuzzy attributes only looks up their blocking keys."""
    keys = set()
    for rule in rules:
        exact = [part for part in rule.parts if part.is_exact]
        slots = {part.slot: part for part in (exact or rule.parts)}
        keys |= keys_of({slot: values.get(slot, frozenset()) for slot in slots}, slots)
    return keys


@dataclass
class ReviewGroup:
    group: DuplicateGroup
    records: list[models.Model]


@dataclass
class ReviewPage:
    groups: list[ReviewGroup]
    #: where the next page starts ("score:pk" of the last group shown), or "" when no group is left
    next_cursor: str = ""


def parse_cursor(value: str) -> tuple[float, int] | None:
    score, _, pk = (value or "").partition(":")
    try:
        return float(score), int(pk)
    except ValueError:
        return None


def review_groups(
    *, section: Section, user, search: DuplicateSearch | None, limit: int = 50, after: str = ""
) -> ReviewPage:
    """A page of the unresolved groups of a search, best score first, with the records the user may see; a group
    with fewer than two of them is left out (and not counted). Paged by keyset (`after` is the previous page's
    `next_cursor`), so a page costs the same whatever its place; a page reads at most ten chunks of groups, and
    a user who may see few of them gets a shorter page with a link on."""
    if search is None or search.status != DuplicateSearch.Status.DONE:
        return ReviewPage([])
    groups = search.groups.filter(is_resolved=False).order_by("-score", "pk")
    position = parse_cursor(after)
    result: list[ReviewGroup] = []
    last = None
    for _chunk in range(10):
        remaining = groups
        if position is not None:
            score, pk = position
            remaining = groups.filter(models.Q(score__lt=score) | models.Q(score=score, pk__gt=pk))
        chunk = list(remaining[: limit * 3])
        if not chunk:
            return ReviewPage(result)
        ids = {pk for group in chunk for pk in group.record_ids}
        records = {r.pk: r for r in access.visible(user, section.get_queryset()).filter(pk__in=ids)}
        for group in chunk:
            last = group
            shown = [records[pk] for pk in group.record_ids if pk in records]
            if len(shown) >= 2:
                result.append(ReviewGroup(group, shown))
            if len(result) > limit:  # one more than the page: there is a next page, after the page's last group
                end = result[limit - 1].group
                return ReviewPage(result[:limit], f"{end.score!r}:{end.pk}")
        if len(chunk) < limit * 3:  # that was the last of them
            return ReviewPage(result)
        position = (last.score, last.pk)
    return ReviewPage(result, f"{last.score!r}:{last.pk}")


def reviewable(*, section: Section, user, search: DuplicateSearch | None) -> str:
    """How many groups of `search` the user may review, as shown to them: "3", or "50+" past a page. The search's
    own count includes groups of records the user may not see, which must not be counted to them."""
    page = review_groups(section=section, user=user, search=search)
    return f"{len(page.groups)}{'+' if page.next_cursor else ''}"


def survivor_of(section: Section, old_id: int) -> int | None:
    """The record `old_id` was merged into (following later merges), or None."""
    content_type = content_type_of(section.model)
    survivor = None
    seen = set()
    current = old_id
    while current not in seen:
        seen.add(current)
        row = MergedRecord.objects.filter(content_type=content_type, old_id=current).values_list(
            "survivor_id", flat=True
        )
        next_id = row.first()
        if next_id is None:
            break
        survivor = current = next_id
    return survivor


def survivor_url(*, section: Section, user, old_id: int) -> str | None:
    """Where a merged-away id leads: the survivor's page, if the user may see it."""
    survivor = survivor_of(section, old_id)
    if survivor is None or not access.visible(user, section.model._default_manager.filter(pk=survivor)).exists():
        return None
    return section.url("detail", survivor)
