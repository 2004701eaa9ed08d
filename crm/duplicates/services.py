"""Writes of the duplicates app: the key index kept on save and rebuilt in bulk, the bulk search (run by the
Celery task and the `find_duplicates` command) and "not duplicates". The merge is in crm.duplicates.merge."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from crm import access
from crm.sections import registry
from crm.sections.registry import Section

from .attributes import compile_rules, keys_of, read_values, slots_of, values_of_instance
from .matching import find_groups, pair
from .models import DuplicateGroup, DuplicateKey, DuplicateSearch, NotDuplicatePair, content_type_of

logger = logging.getLogger(__name__)

#: records read per query, and between two progress updates
BATCH_SIZE = 5000
#: a search queued or running for longer is taken as interrupted
STALE_AFTER = datetime.timedelta(hours=6)
#: finished searches kept per section (with their groups)
SEARCHES_KEPT = 5


def section_of(name: str) -> Section:
    try:
        return registry.get(name)
    except KeyError:
        raise ValidationError(f"There is no section named {name!r}.")


def can_search(user, section: Section) -> bool:
    """Duplicate search and merge is an operation right ("merge_duplicates") on a section the user may read."""
    return access.can(user, "merge_duplicates") and access.can(user, "read", section)


# --- the key index --------------------------------------------------------------------------------------------


def index_record(obj) -> None:
    """Refresh the keys of one record after it was saved (called by the generic form view)."""
    section = registry.for_model(obj)
    if section is None:
        return
    rules = compile_rules(section)
    content_type = content_type_of(obj)
    keys = keys_of(values_of_instance(section, rules, obj), slots_of(rules)) if rules else set()
    with transaction.atomic():
        DuplicateKey.objects.filter(content_type=content_type, object_id=obj.pk).delete()
        DuplicateKey.objects.bulk_create(
            [DuplicateKey(content_type=content_type, object_id=obj.pk, key=key) for key in sorted(keys)]
        )


def forget_records(model, ids: list[int]) -> None:
    DuplicateKey.objects.filter(content_type=content_type_of(model), object_id__in=ids).delete()


def _write_keys(content_type_id: int, rows: list[tuple[int, str]]) -> None:
    """Insert index rows in bulk: COPY on PostgreSQL (a million rows in seconds), batched INSERTs elsewhere."""
    if connection.vendor == "postgresql":
        table = DuplicateKey._meta.db_table
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} (content_type_id, object_id, key) FROM STDIN") as copy:
                for object_id, key in rows:
                    copy.write_row((content_type_id, object_id, key))
        return
    DuplicateKey.objects.bulk_create(
        (DuplicateKey(content_type_id=content_type_id, object_id=pk, key=key) for pk, key in rows), batch_size=2000
    )


def rebuild_index(section: Section, values: dict, slots: dict) -> int:
    """Replace the section's keys by those of `values` (every record's normalised values). Returns the row count."""
    content_type = content_type_of(section.model)
    rows = [(pk, key) for pk, record_values in values.items() for key in sorted(keys_of(record_values, slots))]
    with transaction.atomic():
        DuplicateKey.objects.filter(content_type=content_type).delete()
        _write_keys(content_type.pk, rows)
    return len(rows)


# --- the bulk search -------------------------------------------------------------------------------------------


def _index_changed_since(section: Section, started, *, known: list[int]) -> None:
    """Records saved while the search read the others: their keys, written on save, were replaced by the rebuild."""
    queryset = section.model._default_manager.all()
    if "modified_at" in {f.name for f in section.opts.concrete_fields}:
        queryset = queryset.filter(modified_at__gte=started)
    elif known:
        queryset = queryset.filter(pk__gt=known[-1])
    for record in queryset[:10_000]:
        index_record(record)


def start_search(*, section: Section, user) -> DuplicateSearch:
    """Queue a bulk search of the section; a search already queued or running is returned instead."""
    if user is not None and not can_search(user, section):
        raise PermissionDenied("You may not search for duplicates here.")
    from .tasks import find_duplicates_async

    with transaction.atomic():
        running = (
            DuplicateSearch.objects.select_for_update()
            .filter(section=section.name, status__in=(DuplicateSearch.Status.QUEUED, DuplicateSearch.Status.RUNNING))
            .first()
        )
        if running is not None and running.created_at > timezone.now() - STALE_AFTER:
            return running
        if running is not None:
            # its worker died without the task being delivered again
            DuplicateSearch.objects.filter(pk=running.pk).update(
                status=DuplicateSearch.Status.FAILED, error="Interrupted.", finished_at=timezone.now()
            )
        search = DuplicateSearch.objects.create(section=section.name, started_by=user)
        transaction.on_commit(lambda: find_duplicates_async.delay(search.pk))
    return search


def excluded_pairs(section: Section) -> set[tuple[int, int]]:
    return set(
        NotDuplicatePair.objects.filter(content_type=content_type_of(section.model)).values_list(
            "first_id", "second_id"
        )
    )


def run_search(search: DuplicateSearch) -> DuplicateSearch:
    """Read every record of the section, rebuild its key index, find the groups and store them on the search.

    Safe to run twice: a finished search is left as it is; a search interrupted midway starts again.
    """
    if search.is_finished:
        return search
    section = section_of(search.section)
    started = timezone.now()
    DuplicateSearch.objects.filter(pk=search.pk).update(
        status=DuplicateSearch.Status.RUNNING, started_at=started, done=0, error=""
    )
    try:
        rules = compile_rules(section)
        ids = list(section.model._default_manager.order_by("pk").values_list("pk", flat=True))
        # a step per record read, and one per rule compared
        total = len(ids) + len(rules)
        DuplicateSearch.objects.filter(pk=search.pk).update(total=total)
        values: dict = {}
        done = 0
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            queryset = section.model._default_manager.filter(pk__gte=batch[0], pk__lte=batch[-1])
            values.update(read_values(section, rules, queryset))
            done += len(batch)
            DuplicateSearch.objects.filter(pk=search.pk).update(done=done)

        def advance(step: int) -> None:
            nonlocal done
            done += step
            DuplicateSearch.objects.filter(pk=search.pk).update(done=done)

        groups = find_groups(rules, values, excluded=excluded_pairs(section), progress=advance)
        rebuild_index(section, values, slots_of(rules))
        _index_changed_since(section, started, known=ids)
        with transaction.atomic():
            DuplicateGroup.objects.bulk_create(
                [
                    DuplicateGroup(
                        search_id=search.pk,
                        rule_id=group.rules[0].id if group.rules else None,
                        rule_name=", ".join(rule.name for rule in group.rules)[:150],
                        score=round(group.score, 1),
                        record_ids=group.record_ids,
                    )
                    for group in groups
                ],
                batch_size=2000,
            )
            DuplicateSearch.objects.filter(pk=search.pk).update(
                status=DuplicateSearch.Status.DONE, done=total, group_count=len(groups), finished_at=timezone.now()
            )
    except Exception as error:
        logger.exception("Duplicate search %s failed", search.pk)
        DuplicateSearch.objects.filter(pk=search.pk).update(
            status=DuplicateSearch.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    search.refresh_from_db()
    kept = DuplicateSearch.objects.filter(section=section.name).values_list("pk", flat=True)[:SEARCHES_KEPT]
    DuplicateSearch.objects.filter(section=section.name, created_at__lt=search.created_at).exclude(
        pk__in=list(kept)
    ).delete()
    _notify_finished(search)
    return search


def _notify_finished(search: DuplicateSearch) -> None:
    from django.urls import reverse

    from crm.core.services import notify

    from .selectors import reviewable

    if search.started_by is None:
        return
    section = section_of(search.section)
    count = reviewable(section=section, user=search.started_by, search=search)
    notify(
        recipient=search.started_by,
        kind="duplicates",
        title=f"Duplicate search of {section.title.lower()} done: {count} group{'s' if count != '1' else ''} to review",
        url=reverse("duplicates:review", args=[search.section]),
    )


def latest_search(section: Section) -> DuplicateSearch | None:
    return DuplicateSearch.objects.filter(section=section.name).first()


# --- not duplicates --------------------------------------------------------------------------------------------


def mark_not_duplicates(*, user, section: Section, ids: list[int]) -> int:
    """Remember that the records of `ids` (those the user may see) are not duplicates of each other; later
    searches leave each pair apart. Returns the number of pairs remembered."""
    if not can_search(user, section):
        raise PermissionDenied("You may not search for duplicates here.")
    visible_ids = sorted(
        access.visible(user, section.model._default_manager.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    if len(visible_ids) < 2:
        raise ValidationError("Choose at least two records.")
    content_type = content_type_of(section.model)
    pairs = {pair(left, right) for index, left in enumerate(visible_ids) for right in visible_ids[index + 1 :]}
    with transaction.atomic():
        created = NotDuplicatePair.objects.bulk_create(
            [
                NotDuplicatePair(content_type=content_type, first_id=left, second_id=right, decided_by=user)
                for left, right in sorted(pairs)
            ],
            ignore_conflicts=True,
        )
        search = latest_search(section)
        for group in DuplicateGroup.objects.filter(search=search, is_resolved=False) if search else []:
            if _all_pairs_apart(group.record_ids, pairs):
                group.is_resolved = True
                group.save(update_fields=["is_resolved"])
    return len(created)


def _all_pairs_apart(record_ids: list[int], pairs: set[tuple[int, int]]) -> bool:
    ids = sorted(record_ids)
    return all(pair(a, b) in pairs for index, a in enumerate(ids) for b in ids[index + 1 :])


def resolve_groups_with(*, section: Section, ids: set[int]) -> None:
    """Groups holding records merged away are settled: the review page no longer offers them."""
    search = latest_search(section)
    groups = DuplicateGroup.objects.filter(search=search, is_resolved=False) if search else []
    for group in groups:
        if ids & set(group.record_ids):
            group.is_resolved = True
            group.save(update_fields=["is_resolved"])
