"""Sections made at runtime by the section wizard, served by the same generic machinery as built-in ones.

A `CustomSection` row becomes a model class (`designer.usr_<code>`, a table of its own: see storage), a `Section`
in the registry and a URL include under /<code>/. Every process keeps the version of the custom sections it
loaded and compares it with the shared one when a request or a task starts (no query when the version is in the
shared cache, as crm.access does with its rules): a section made in one process is served by all of them on
their next request, without a migration or a restart.
"""

from __future__ import annotations

import threading
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.db.models.functions import Upper

from crm.sections import registry
from crm.sections.registry import Section

from .section_models import CustomRecord, CustomSection, SectionRegistryState

VERSION_KEY = "crm.designer:sections-version"
LOOKUP_PREFIX = "lookup:"

_lock = threading.RLock()
_state = {
    "version": None,  # the version this process loaded
    #: sections declared in code the way the wizard makes them (the tests' section): never dropped by a reload
    "pinned": set(),
}


class RuntimeSection(Section):
    """A section made by the section wizard: the generic URLs only (its model's app is the designer's), and its
    custom fields shown in the list by default (they are all the fields it has)."""

    shows_custom_columns = True
    is_runtime = True

    def get_urls(self) -> list:
        from crm.sections.urls import section_urlpatterns

        return section_urlpatterns(self)


# --- models -------------------------------------------------------------------------------------------------


def model_name_for(code: str) -> str:
    return f"usr_{code}"


def model_for(code: str) -> type[models.Model]:
    """The model of the custom section `code`: made once per process, and the same class afterwards (its
    columns never change; the values of its fields are in `custom`)."""
    name = model_name_for(code)
    with _lock:
        existing = apps.all_models["designer"].get(name)
        if existing is not None:
            return existing
        meta = type(
            "Meta",
            (),
            {
                "app_label": "designer",
                "db_table": f"designer_usr_{code}",
                "ordering": ("name",),
                "verbose_name": code.replace("_", " "),
                "indexes": [
                    models.Index(fields=["name", "id"], name=f"usr_{code}_name"[:30]),
                    models.Index(fields=["-created_at"], name=f"usr_{code}_created"[:30]),
                    models.Index(Upper("name"), name=f"usr_{code}_uname"[:30]),
                ],
            },
        )
        attributes = {"__module__": __name__, "__qualname__": f"Usr_{code}", "Meta": meta}
        return type(f"Usr_{code}", (CustomRecord,), attributes)


def section_for(row: CustomSection) -> RuntimeSection:
    model = model_for(row.code)
    model._meta.verbose_name = row.title_singular
    model._meta.verbose_name_plural = row.title
    numbered = bool(row.number_mask)
    number = ("number",) if numbered else ()
    name_field = model._meta.get_field("name")
    name_field.verbose_name = row.name_label
    return RuntimeSection(
        name=row.code,
        model=model,
        title=row.title,
        title_singular=row.title_singular,
        icon=row.icon,
        position=row.position,
        list_columns=("name", *number, "owner", "created_at"),
        default_sort="-created_at",
        search_fields=("name", *number),
        filter_fields=("owner", "created_at", "modified_at"),
        form_fields=("name", "owner"),
        detail_fields=(("Profile", ("name", *number, "owner")),),
        number_field="number" if numbered else None,
        number_sequence=sequence_name(row.code) if numbered else None,
        duplicate_keys=("name",),
        import_keys=("name",),
        import_creatable_by_name="name",
        import_columns=("name", "owner"),
        analytics_fields=("owner", "created_at"),
    )


def sequence_name(code: str) -> str:
    return f"designer_usr_{code}"


def is_runtime(section: Section) -> bool:
    return getattr(section, "is_runtime", False)


# --- the version and the registry -------------------------------------------------------------------------------


def _version_in_cache() -> bool:
    return getattr(settings, "ACCESS_VERSION_SOURCE", "cache") == "cache"


def current_version() -> str:
    if not _version_in_cache():
        return SectionRegistryState.objects.filter(pk=1).values_list("version", flat=True).first() or "none"
    version = cache.get(VERSION_KEY)
    if version is None:
        version = SectionRegistryState.objects.filter(pk=1).values_list("version", flat=True).first() or "none"
        cache.add(VERSION_KEY, version, None)
    return version


def bump() -> None:
    """The custom sections changed: every process reloads them on its next request (this one at once)."""
    token = uuid.uuid4().hex
    if not SectionRegistryState.objects.filter(pk=1).update(version=token):
        SectionRegistryState.objects.create(pk=1, version=token)
    cache.set(VERSION_KEY, token, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, token, None))
    load()
    _state["version"] = token


def refresh(*args, **kwargs) -> None:
    """On each request and task: reload the custom sections when another process (or a rolled-back
    transaction) changed them since this one loaded them."""
    try:
        version = current_version()
    except DatabaseError:  # before the designer's tables are migrated
        return
    if version != _state["version"]:
        load()
        _state["version"] = version


def load() -> None:
    """Register the active custom sections from the database and drop those retired or gone; then the URLs."""
    from crm.approvals import registry as approvals

    try:
        rows = list(CustomSection.objects.filter(is_active=True))
    except DatabaseError:
        return
    with _lock:
        wanted = {row.code for row in rows}
        for name in _runtime_names() - wanted - _state["pinned"]:
            registry.unregister(name)
            approvals.unregister(name)
        for row in rows:
            registry.register(section_for(row))
            if row.approvals:
                approvals.register(row.code)
        sync_urls()


def _runtime_names() -> set[str]:
    """The runtime sections the registry holds now (registered by a load, or by a change in this process)."""
    return {section.name for section in registry.all_sections() if is_runtime(section)}


def pin(section: RuntimeSection) -> RuntimeSection:
    """Register a section declared in code the way the wizard makes them (the tests' own): kept by reloads."""
    registry.register(section)
    _state["pinned"].add(section.name)
    sync_urls()
    return section


def runtime_patterns() -> list:
    """The URL includes of the runtime sections the registry has now (marked, to be replaced on a reload)."""
    from django.urls import include, path

    patterns = []
    for section in registry.all_sections():
        if is_runtime(section):
            pattern = path(f"{section.name}/", include((section.get_urls(), section.name)))
            pattern.runtime_section = True
            patterns.append(pattern)
    return patterns


def sync_urls() -> None:
    """Replace the runtime sections' includes in the root URLconf with those of the registry now."""
    import sys

    from django.urls import clear_url_caches

    root = sys.modules.get("crm.urls")
    if root is None:  # not imported yet: it adds them itself when it is
        return
    patterns = root.urlpatterns
    patterns[:] = [p for p in patterns if not getattr(p, "runtime_section", False)] + runtime_patterns()
    clear_url_caches()


def forget_unpinned() -> set[str]:
    """Drop every runtime section but the pinned ones (tests: a rolled-back test leaves none behind)."""
    with _lock:
        dropped = _runtime_names() - _state["pinned"]
        for name in dropped:
            registry.unregister(name)
        if dropped:
            sync_urls()
    return dropped


# --- lookups ------------------------------------------------------------------------------------------------


def lookup_tables() -> list[tuple[str, str]]:
    """(target, title) of every lookup table a lookup field may point to."""
    from crm.core.models import Lookup

    found = [
        (f"{LOOKUP_PREFIX}{model._meta.label}", f"{model._meta.verbose_name_plural} ({model._meta.app_label})")
        for model in apps.get_models()
        if issubclass(model, Lookup)
    ]
    return sorted(found, key=lambda item: item[1].lower())


def target_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    sections = [(section.name, section.title) for section in registry.all_sections()]
    return [("Sections", sections), ("Lookups", lookup_tables())]


def target_model(target: str) -> type[models.Model] | None:
    """The model a lookup field's target names, or None."""
    if target.startswith(LOOKUP_PREFIX):
        from crm.core.models import Lookup

        try:
            model = apps.get_model(target.removeprefix(LOOKUP_PREFIX))
        except (LookupError, ValueError):
            return None
        return model if issubclass(model, Lookup) else None
    try:
        return registry.get(target).model
    except KeyError:
        return None


def target_section(target: str) -> Section | None:
    if target.startswith(LOOKUP_PREFIX):
        return None
    try:
        return registry.get(target)
    except KeyError:
        return None


def lookup_target_error(definition) -> str:
    """Why a lookup field's target is refused, or "": it must exist, and a required lookup must not make a
    section require a record of itself, directly or through other required lookups (no record could ever be
    the first)."""
    if not definition.target:
        return "Choose the section or lookup the field points to."
    if target_model(definition.target) is None:
        return "No such section or lookup."
    if definition.required and definition.is_active and _requires(definition.target, definition.section, definition):
        return (
            "A required lookup here would make the section require a record of itself: no first record could "
            "be saved. Make it optional."
        )
    return ""


def _requires(start: str, goal: str, changed) -> bool:
    """Does section `start` require (through required lookups, with `changed` as it will be) a record of `goal`?"""
    from .models import FieldDefinition

    edges: dict[str, set[str]] = {}
    rows = FieldDefinition.objects.filter(kind="lookup", required=True, is_active=True)
    for section, target, pk in rows.values_list("section", "target", "pk"):
        if pk != changed.pk:
            edges.setdefault(section, set()).add(target)
    edges.setdefault(changed.section, set()).add(changed.target)
    seen, stack = set(), [start]
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        if current in seen:
            continue
        seen.add(current)
        stack.extend(edges.get(current, ()))
    return False


def lookup_references(section_name: str) -> list[tuple[Section, object]]:
    """(section, custom field) of every active lookup field, of any section, that points to `section_name`:
    what deleting or merging one of its records re-points."""
    from .fields import all_fields

    found = []
    for name, fields in all_fields().items():
        for field in fields:
            if field.kind == "lookup" and field.target == section_name:
                try:
                    found.append((registry.get(name), field))
                except KeyError:
                    continue
    return found
