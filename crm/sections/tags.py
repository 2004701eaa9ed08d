"""Tags on every section's records: private tags (their author alone sees them) and corporate tags (everyone sees
them; creating, renaming and deleting one needs the operation right "manage_corporate_tags").

A private tag never shows to another user: every read here starts from `visible_tags`, and a tag named by id or
by name that the user may not see is treated as one that does not exist. Putting a private tag on a record needs
only the right to read the record (nobody else sees it); a corporate tag changes the record as everyone sees it,
so it needs the right to edit it, and only corporate tags are written to the record's change log."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import nh3
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, FilteredRelation, Q
from django.db.models.functions import Lower
from django.dispatch import Signal

from crm import access
from crm.core.bulk import pk_among

from .models import ChangeLogEntry, Tag, TaggedRecord
from .registry import Section

NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length
#: names are written one after another with a comma between them (a form's field, a file's cell)
SEPARATOR = ","
#: the change log's field and the edit guards' part for a record's tags
TAGS = "tags"
TAGS_LABEL = "Tags"
#: how many ids one statement names at most (SQLite's variable limit)
CHUNK = 900

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f<>\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


#: sent (sender = the section's model, ids = the records) when the corporate tags of records changed: what
#: keeps a copy of them (the knowledge base's search vector) refreshes it. A renamed or deleted tag is the model's
#: post_save / post_delete.
corporate_tags_changed = Signal()


class Mode(models.TextChoices):
    ANY = "any", "Any of them"
    ALL = "all", "All of them"


# --- reading ----------------------------------------------------------------------------------------------------


def visible_tags(user, section: Section) -> models.QuerySet:
    """The tags of `section` that `user` sees: the corporate ones and their own private ones."""
    if not (user and user.is_authenticated):
        return Tag.objects.none()
    return Tag.objects.filter(section=section.name).filter(Q(author__isnull=True) | Q(author=user))


def may_manage(user, tag: Tag) -> bool:
    """May `user` rename, recolour or delete `tag`? Their own private tag, or a corporate one with the right."""
    if tag.private:
        return tag.author_id == user.pk
    return access.can(user, "manage_corporate_tags")


def tags_of(user, section: Section, obj) -> list[Tag]:
    """The tags `user` sees on `obj`, by name (one query)."""
    return list(visible_tags(user, section).filter(records__object_id=obj.pk))


@dataclass
class PageTags:
    """Every tag the user sees in a section (the filter's and the bulk bar's choices) and those on each record
    of a page of rows (their badges): read in one query."""

    tags: list[Tag]
    by_record: dict[int, list[Tag]] = field(default_factory=dict)


def page_tags(user, section: Section, ids: Iterable[int]) -> PageTags:
    """The tags `user` sees in `section`, each with the records among `ids` that carry it: one query, whatever the
    page's size (the tagged rows are joined on the page's ids only, so a tag on a million records costs nothing)."""
    ids = sorted({int(pk) for pk in ids})
    rows = visible_tags(user, section)
    if ids:
        rows = rows.annotate(_on_page=FilteredRelation("records", condition=Q(records__object_id__in=ids))).annotate(
            page_record=F("_on_page__object_id")
        )
    else:
        rows = rows.annotate(page_record=models.Value(None, output_field=models.BigIntegerField()))
    tags: dict[int, Tag] = {}
    by_record: dict[int, list[Tag]] = {}
    for row in rows.order_by("name", "pk"):
        tag = tags.setdefault(row.pk, row)
        if row.page_record is not None:
            by_record.setdefault(row.page_record, []).append(tag)
    return PageTags(tags=list(tags.values()), by_record=by_record)


def tags_by_record(user, section: Section, ids: Iterable[int]) -> dict[int, list[Tag]]:
    """{record id: the tags `user` sees on it} for a page of rows, in one query."""
    return page_tags(user, section, ids).by_record


def names_by_record(user, section: Section, ids: Iterable[int]) -> dict[int, str]:
    """{record id: "VIP, Hot lead"}, the tags `user` sees on each of `ids` as an export writes them."""
    ids = sorted({int(pk) for pk in ids})
    names: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        for pk, tags in tags_by_record(user, section, ids[start : start + CHUNK]).items():
            names[pk] = f"{SEPARATOR} ".join(tag.name for tag in tags)
    return names


#: a tag filter whose records are at most this many reads them first, by id (`TagFilter.apply`)
SPARSE = 5_000
#: seconds the answer is kept
SPARSE_KEPT = 300


@dataclass(frozen=True)
class TagFilter:
    """A list's tag filter: the tags the user sees among those chosen, and whether their records are few, each
    read once (`tag_filter`)."""

    tag_ids: tuple[int, ...]
    mode: str
    matches_nothing: bool = False
    #: the records with the tags are at most SPARSE
    sparse: bool = False

    def apply(self, queryset: models.QuerySet, *, counting: bool = False) -> models.QuerySet:
        """The records of `queryset` with any (or all) of the tags.

        Two forms of one condition, for PostgreSQL's planner:
        - one semi-join per tag, which lets it walk the sort's index and stop once the page is full: the form of
          a page whose tags have many records;
        - the ids of the records with the tags read first from the tags' index, into one array the primary key's
          index probes in id order (`pk_among`). A page whose tags have few records reads them and sorts them,
          where walking the sort's index could pass most of the table before it finds a page (a private tag on
          a thousand contacts of a million: 700 ms, now 10 ms). A count bounded by a limit under record rights
          reads only the records it counts (a rep's count of the contacts with two tags: 750 ms, now 120 ms)."""
        if not self.tag_ids:
            return queryset
        if self.matches_nothing:
            return queryset.none()
        if self.sparse or (counting and self.mode == Mode.ALL):
            return queryset.filter(pk_among(_tagged_ids(self.tag_ids, self.mode)))
        if self.mode == Mode.ALL:
            for tag_id in self.tag_ids:
                queryset = queryset.filter(pk__in=TaggedRecord.objects.filter(tag_id=tag_id).values("object_id"))
            return queryset
        return queryset.filter(pk__in=_tagged_ids(self.tag_ids, self.mode))


def _tagged_ids(tag_ids: tuple[int, ...], mode: str) -> models.QuerySet:
    """The ids of the records with any (or all) of the tags; "all": the first tag's, narrowed by each next."""
    if mode != Mode.ALL:
        return TaggedRecord.objects.filter(tag_id__in=tag_ids).values("object_id")
    first, *others = tag_ids
    records = TaggedRecord.objects.filter(tag_id=first)
    for tag_id in others:
        records = records.filter(object_id__in=TaggedRecord.objects.filter(tag_id=tag_id).values("object_id"))
    return records.values("object_id")


def tag_filter(*, user, section: Section, tag_ids: Iterable[int], mode: str = Mode.ANY) -> TagFilter:
    """The filter by the tags `tag_ids`. A tag the user does not see matches nothing, as a tag that does not exist:
    "all" with one of them selects nothing, "any" ignores it.

    The tags the user sees among them are read first, so the condition names them as constants: the planner then
    knows from its statistics how many records each tag has, which a subquery would hide from it. Then whether
    their records are few (`_sparse`). A query or two, only when the list is filtered by tags."""
    tag_ids = sorted({int(pk) for pk in tag_ids})
    if not tag_ids:
        return TagFilter((), mode)
    seen = tuple(sorted(visible_tags(user, section).filter(pk__in=tag_ids).values_list("pk", flat=True)))
    if not seen or (mode == Mode.ALL and len(seen) < len(tag_ids)):
        return TagFilter(tuple(tag_ids), mode, matches_nothing=True)
    return TagFilter(seen, mode, sparse=_sparse(section, seen, mode))


def _sparse(section: Section, tag_ids: tuple[int, ...], mode: str) -> bool:
    """Whether the records with the tags are at most SPARSE: counted up to SPARSE + 1, and kept a few minutes in
    the cache (both forms select the same records, so an answer a little out of date costs speed, never a row)."""
    key = f"tags:sparse:{section.name}:{mode}:{SPARSE}:{','.join(map(str, tag_ids))}"
    sparse = cache.get(key)
    if sparse is None:
        sparse = _tagged_ids(tag_ids, mode).order_by()[: SPARSE + 1].count() <= SPARSE
        cache.set(key, sparse, SPARSE_KEPT)
    return sparse


def filter_by_tags(queryset: models.QuerySet, *, user, section: Section, tag_ids: Iterable[int], mode: str = Mode.ANY):
    """The records of `queryset` with any (or all) of the tags `tag_ids` (see `tag_filter`)."""
    return tag_filter(user=user, section=section, tag_ids=tag_ids, mode=mode).apply(queryset)


def tagged_records(*, user, section: Section, text: str, records: models.QuerySet, limit: int) -> list[int]:
    """For the global search: the ids of `records` (those the user may see) that carry a tag the user sees whose
    name holds `text`, the first `limit` by id."""
    text = " ".join(text.split())
    if len(text) < 2:
        return []
    matching = visible_tags(user, section).filter(name__icontains=text)
    tagged = TaggedRecord.objects.filter(tag__in=matching).values("object_id")
    return list(records.filter(pk__in=tagged).order_by("pk").values_list("pk", flat=True)[:limit])


# --- names ------------------------------------------------------------------------------------------------------


def clean_name(name) -> str:
    """A tag's name as it is kept: plain text (markup taken out, control and invisible characters dropped),
    spaces collapsed; refused with the reason when empty, too long or holding the separator."""
    text = unicodedata.normalize("NFC", str(name or ""))
    if len(text) > NAME_MAX_LENGTH * 10:  # not worth parsing: no markup makes it short enough
        raise ValidationError(f"A tag name has at most {NAME_MAX_LENGTH} characters; this one has {len(text):,}.")
    # markup goes with what it holds (a script's text too); entities are read as the characters they stand for
    text = html.unescape(nh3.clean(text, tags=set()))
    text = " ".join(_UNSAFE.sub(" ", text).split())
    if not text:
        raise ValidationError("Give the tag a name.")
    if SEPARATOR in text:
        raise ValidationError("A tag name cannot hold a comma: commas separate tags.")
    if len(text) > NAME_MAX_LENGTH:
        raise ValidationError(f"A tag name has at most {NAME_MAX_LENGTH} characters; this one has {len(text):,}.")
    return text


def split_names(text: str) -> list[str]:
    """The names in `text` ("VIP, Hot lead"), each once (case aside), in their order; not yet cleaned."""
    names: dict[str, str] = {}
    for part in str(text or "").split(SEPARATOR):
        part = " ".join(part.split())
        if part:
            names.setdefault(part.casefold(), part)
    return list(names.values())


@dataclass
class Resolved:
    """What a list of names came to: the tags (found or created), and the names refused with the reason."""

    tags: list[Tag] = field(default_factory=list)
    created: list[Tag] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def resolve_tags(*, user, section: Section, names: Iterable[str], create: bool = False, corporate: bool = False):
    """Names to the tags `user` sees (a corporate tag before their private one of the same name). A name no tag
    has is created when `create` (a private tag, or a corporate one when `corporate` and the user holds the
    right), else refused, as an import treats lookups; a name that is no valid name is refused with the reason."""
    cleaned: dict[str, str] = {}
    result = Resolved()
    for name in names:
        try:
            name = clean_name(name)
        except ValidationError as error:
            shown = str(name)[:NAME_MAX_LENGTH] + ("…" if len(str(name)) > NAME_MAX_LENGTH else "")
            result.refused.append(f"“{shown}”: {' '.join(error.messages)}")
            continue
        cleaned.setdefault(name.casefold(), name)
    if not cleaned:
        return result
    found: dict[str, Tag] = {}
    candidates = visible_tags(user, section).annotate(_lower=Lower("name")).filter(_lower__in=sorted(cleaned))
    for tag in candidates.order_by(F("author").asc(nulls_first=True), "pk"):
        found.setdefault(tag.name.casefold(), tag)
    corporate = corporate and access.can(user, "manage_corporate_tags")
    for key, name in cleaned.items():
        tag = found.get(key)
        if tag is None and create:
            tag = create_tag(user=user, section=section, name=name, corporate=corporate)
            result.created.append(tag)
        if tag is None:
            result.refused.append(f"There is no tag “{name}”.")
        else:
            result.tags.append(tag)
    return result


# --- the tags themselves ----------------------------------------------------------------------------------------


def _colour(colour: str, *, corporate: bool) -> str:
    if colour in Tag.Colour.values:
        return colour
    # as the reference shows them: corporate tags blue, private ones green
    return Tag.Colour.BLUE if corporate else Tag.Colour.GREEN


def _check_name_free(*, section_name: str, name: str, author_id: int | None, exclude: int | None = None) -> None:
    same = Tag.objects.filter(section=section_name, name__iexact=name, author_id=author_id)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        kind = "private" if author_id else "corporate"
        raise ValidationError({"name": f"There is already a {kind} tag “{name}”."})


def create_tag(*, user, section: Section, name: str, colour: str = "", corporate: bool = False) -> Tag:
    """A new tag of `section`: the user's own private one, or a corporate one (with the right)."""
    if not access.can(user, "read", section):
        raise PermissionDenied("You may not use this section.")
    if corporate and not access.can(user, "manage_corporate_tags"):
        raise PermissionDenied("Creating corporate tags needs the right “Corporate tag management”.")
    try:
        name = clean_name(name)
    except ValidationError as error:
        raise ValidationError({"name": error.messages})
    author_id = None if corporate else user.pk
    _check_name_free(section_name=section.name, name=name, author_id=author_id)
    try:
        with transaction.atomic():
            return Tag.objects.create(
                section=section.name, name=name, colour=_colour(colour, corporate=corporate), author_id=author_id
            )
    except IntegrityError:  # made at the same moment by another request
        raise ValidationError({"name": f"There is already a tag “{name}”."})


def rename_tag(*, user, tag: Tag, name: str, colour: str = "") -> Tag:
    """Give `tag` a new name and (when given) colour."""
    if not may_manage(user, tag):
        raise PermissionDenied("Changing corporate tags needs the right “Corporate tag management”.")
    try:
        name = clean_name(name)
    except ValidationError as error:
        raise ValidationError({"name": error.messages})
    _check_name_free(section_name=tag.section, name=name, author_id=tag.author_id, exclude=tag.pk)
    tag.name = name
    if colour:
        if colour not in Tag.Colour.values:
            raise ValidationError({"colour": "Choose one of the colours offered."})
        tag.colour = colour
    try:
        with transaction.atomic():
            tag.save(update_fields=["name", "colour"])
    except IntegrityError:
        raise ValidationError({"name": f"There is already a tag “{name}”."})
    return tag


def delete_tag(*, user, tag: Tag) -> None:
    """Delete `tag`; the records it was on stay as they are otherwise."""
    if not may_manage(user, tag):
        raise PermissionDenied("Deleting corporate tags needs the right “Corporate tag management”.")
    with transaction.atomic():
        tag.delete()


# --- tagging records --------------------------------------------------------------------------------------------


@dataclass
class Tagged:
    """What a bulk tagging did: how many records changed, how many were refused, and why."""

    done: int = 0
    refused: int = 0
    reasons: list[str] = field(default_factory=list)
    #: the tags that were added or taken off
    tags: list[Tag] = field(default_factory=list)


def _visible_by_id(user, section: Section, tags: Iterable[Tag]) -> dict[int, Tag]:
    """The tags asked for, each checked against those the user sees now: one the user may not see (another
    user's private tag in a crafted request) refuses the whole write."""
    wanted = {int(getattr(tag, "pk", tag)) for tag in tags}
    if not wanted:
        return {}
    seen = {tag.pk: tag for tag in visible_tags(user, section).filter(pk__in=sorted(wanted))}
    if set(seen) != wanted:
        raise PermissionDenied("There is no such tag.")
    return seen


def _names(tags: Iterable[Tag]) -> str:
    return ", ".join(sorted((tag.name for tag in tags), key=str.casefold))


def _refusal(user, obj, tags: list[Tag]) -> str:
    """Why `user` may not put `tags` on (or take them off) `obj`, or ""."""
    from .services import check_edit_guards

    if any(not tag.private for tag in tags):
        if not access.can(user, "edit", obj):
            return "You may not edit this record, so not change its corporate tags."
        try:
            check_edit_guards(user=user, obj=obj, fields=frozenset({TAGS}))
        except (ValidationError, PermissionDenied) as refusal:
            return " ".join(getattr(refusal, "messages", None) or [str(refusal)])
    elif not access.can(user, "read", obj):
        return "You may not see this record."
    return ""


def _log_entries(user, content_type, changes: dict[int, tuple[list[Tag], list[Tag]]]) -> None:
    """A change log entry per record whose corporate tags changed: {id: (tags before, tags after)}."""
    entries = []
    for pk, (before, after) in changes.items():
        old, new = _names(t for t in before if not t.private), _names(t for t in after if not t.private)
        if old != new:
            entries.append(
                ChangeLogEntry(
                    content_type=content_type,
                    object_id=pk,
                    action=ChangeLogEntry.Action.UPDATE,
                    user=user,
                    changes=[{"field": TAGS, "label": TAGS_LABEL, "old": old, "new": new}],
                )
            )
    ChangeLogEntry.objects.bulk_create(entries)
    if entries:
        corporate_tags_changed.send(content_type.model_class(), ids=[entry.object_id for entry in entries])


def set_tags(*, user, section: Section, obj, tags: Iterable[Tag]) -> list[Tag]:
    """Give `obj` exactly `tags` of those the user sees (other users' private tags on it are not touched).
    Returns the tags the user sees on it afterwards."""
    wanted = _visible_by_id(user, section, tags)
    with transaction.atomic():
        seen = visible_tags(user, section)
        current = {t.pk: t for t in seen.filter(records__object_id=obj.pk)}
        added = [tag for pk, tag in wanted.items() if pk not in current]
        removed = [tag for pk, tag in current.items() if pk not in wanted]
        if not added and not removed:
            return sorted(current.values(), key=lambda t: (t.name, t.pk))
        reason = _refusal(user, obj, [*added, *removed])
        if reason:
            raise PermissionDenied(reason)
        TaggedRecord.objects.bulk_create([TaggedRecord(tag=tag, object_id=obj.pk) for tag in added])
        TaggedRecord.objects.filter(object_id=obj.pk, tag__in=removed).delete()
        after = sorted(wanted.values(), key=lambda t: (t.name, t.pk))
        content_type = ContentType.objects.get_for_model(obj)
        _log_entries(user, content_type, {obj.pk: (list(current.values()), after)})
    return after


def tag_record(*, user, section: Section, obj, names: str) -> list[Tag]:
    """Put the tags named in `names` ("VIP, Hot lead") on `obj`; a name no tag the user sees has becomes their
    private tag. All or nothing: one name refused refuses them all."""
    names = split_names(names)
    if not names:
        raise ValidationError("Type a tag's name.")
    with transaction.atomic():
        resolved = resolve_tags(user=user, section=section, names=names, create=True)
        if resolved.refused:
            raise ValidationError(resolved.refused)
        current = tags_of(user, section, obj)
        return set_tags(user=user, section=section, obj=obj, tags=[*current, *resolved.tags])


def untag_record(*, user, section: Section, obj, tag) -> list[Tag]:
    """Take one tag (a Tag or its id, as a request names it) off `obj`."""
    tag_id = str(getattr(tag, "pk", tag))
    if not tag_id.isdigit():
        raise PermissionDenied("There is no such tag.")
    _visible_by_id(user, section, [int(tag_id)])
    current = tags_of(user, section, obj)
    return set_tags(user=user, section=section, obj=obj, tags=[t for t in current if t.pk != int(tag_id)])


def bulk_tag(
    *, user, section: Section, ids: Iterable[int], names: str = "", tag_ids: Iterable[int] = (), adding: bool
) -> Tagged:
    """The list's bulk bar: add (or take off) the tags named in `names` and those of `tag_ids` on the records of
    `ids`. Adding, a name no tag the user sees has becomes their private tag; taking off, it is refused."""
    names = split_names(names)
    tag_ids = list(tag_ids)
    if not names and not tag_ids:
        raise ValidationError("Type or choose a tag first.")
    with transaction.atomic():
        chosen = list(_visible_by_id(user, section, tag_ids).values())
        resolved = resolve_tags(user=user, section=section, names=names, create=adding)
        if resolved.refused:
            raise ValidationError(resolved.refused)
        chosen += [tag for tag in resolved.tags if tag not in chosen]
        result = _bulk(user=user, section=section, ids=ids, tags=chosen, adding=adding)
        result.tags = chosen
        return result


def save_form_tags(*, user, section: Section, obj, chosen: Iterable[Tag], new_names: Iterable[str]) -> list[Tag]:
    """The record form's tags: exactly the ticked ones and the typed ones (made the user's private tags)."""
    with transaction.atomic():
        resolved = resolve_tags(user=user, section=section, names=new_names, create=True)
        if resolved.refused:
            raise ValidationError({"new_tags": resolved.refused})
        return set_tags(user=user, section=section, obj=obj, tags=[*chosen, *resolved.tags])


def add_tags(*, user, section: Section, ids: Iterable[int], tags: Iterable[Tag]) -> Tagged:
    """Put `tags` on the records of `ids` the user may (see `_refusal`)."""
    return _bulk(user=user, section=section, ids=ids, tags=tags, adding=True)


def remove_tags(*, user, section: Section, ids: Iterable[int], tags: Iterable[Tag]) -> Tagged:
    """Take `tags` off the records of `ids` the user may."""
    return _bulk(user=user, section=section, ids=ids, tags=tags, adding=False)


def _bulk(*, user, section: Section, ids: Iterable[int], tags: Iterable[Tag], adding: bool) -> Tagged:
    wanted = _visible_by_id(user, section, tags)
    ids = sorted({int(pk) for pk in ids})
    result = Tagged()
    if not wanted or not ids:
        return result
    tags = list(wanted.values())
    with transaction.atomic():
        records = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            records += list(access.visible(user, section.model._default_manager.filter(pk__in=chunk)))
        result.refused = len(ids) - len(records)
        if result.refused:
            result.reasons.append(f"{result.refused} record(s) are not there or not yours to see.")
        allowed = []
        for obj in records:
            reason = _refusal(user, obj, tags)
            if reason:
                result.refused += 1
                result.reasons.append(f"{obj}: {reason}")
            else:
                allowed.append(obj)
        seen = visible_tags(user, section)
        before: dict[int, list[Tag]] = {obj.pk: [] for obj in allowed}
        pks = sorted(before)
        for start in range(0, len(pks), CHUNK):
            rows = TaggedRecord.objects.filter(object_id__in=pks[start : start + CHUNK], tag__in=seen)
            for row in rows.select_related("tag"):
                before[row.object_id].append(row.tag)
        changes = {}
        for pk, held in before.items():
            held_ids = {t.pk for t in held}
            if adding:
                after = held + [t for t in tags if t.pk not in held_ids]
            else:
                after = [t for t in held if t.pk not in wanted]
            if len(after) != len(held):
                changes[pk] = (held, after)
        if adding:
            TaggedRecord.objects.bulk_create(
                [TaggedRecord(tag=t, object_id=pk) for pk in changes for t in tags],
                ignore_conflicts=True,
                batch_size=CHUNK,
            )
        else:
            changed = sorted(changes)
            for start in range(0, len(changed), CHUNK):
                TaggedRecord.objects.filter(object_id__in=changed[start : start + CHUNK], tag__in=tags).delete()
        _log_entries(user, ContentType.objects.get_for_model(section.model), changes)
        result.done = len(changes)
    return result


# --- what other writes do with tags -----------------------------------------------------------------------------


def forget_records(*, section: Section, ids: Iterable[int]) -> None:
    """Deleted records lose their tags (an id that comes back must not find them)."""
    ids = sorted({int(pk) for pk in ids})
    for start in range(0, len(ids), CHUNK):
        TaggedRecord.objects.filter(tag__section=section.name, object_id__in=ids[start : start + CHUNK]).delete()


def unite_records(*, section: Section, survivor, loser_ids: Iterable[int]) -> dict | None:
    """A merge: the survivor carries every tag any merged record had (everyone's: a private tag stays its
    author's). Returns the change log's change of the corporate tags, or None when they did not change."""
    loser_ids = sorted({int(pk) for pk in loser_ids})
    rows = TaggedRecord.objects.filter(tag__section=section.name)
    before = {row.tag for row in rows.filter(object_id=survivor.pk).select_related("tag")}
    held = {tag.pk for tag in before}
    theirs = {row.tag for row in rows.filter(object_id__in=loser_ids).select_related("tag")}
    new = [tag for tag in theirs if tag.pk not in held]
    rows.filter(object_id__in=loser_ids).delete()
    TaggedRecord.objects.bulk_create([TaggedRecord(tag=tag, object_id=survivor.pk) for tag in new])
    old_names = _names(t for t in before if not t.private)
    new_names = _names(t for t in [*before, *new] if not t.private)
    if old_names == new_names:
        return None
    corporate_tags_changed.send(section.model, ids=[survivor.pk])
    return {"field": TAGS, "label": TAGS_LABEL, "old": old_names, "new": new_names}
