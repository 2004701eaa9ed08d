"""The section declaration and the registry that holds every section, built-in or custom."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst

from .details import Card, Detail, DetailTab

#: who made a record and when: shown to anyone who may see the record (column rights cover the other fields)
AUDIT_FIELDS = frozenset({"created_at", "created_by", "modified_at", "modified_by"})


@dataclass(frozen=True)
class Column:
    """A list column: a field path such as `name` or `account__name`, with its label and sort key."""

    path: str
    label: str
    sort_key: str | None
    field: models.Field | None
    is_relation: bool = False

    @property
    def name(self) -> str:
        """The field whose column rights decide whether the column is shown (a custom field is its own)."""
        if self.is_custom:
            return self.path
        return self.path.split("__")[0]

    @property
    def is_custom(self) -> bool:
        return self.path.startswith("custom__")


@dataclass(frozen=True)
class Tab:
    """A detail tab: a related list of another model, e.g. an account's contacts.

    `relation` is the name of the foreign key on `model` that points at the record shown.
    """

    name: str
    title: str
    model: type[models.Model] | str
    relation: str
    columns: Sequence[str] = ()

    def resolved_model(self) -> type[models.Model]:
        if isinstance(self.model, str):
            from django.apps import apps

            return apps.get_model(self.model)
        return self.model


@dataclass
class Section:
    """Everything the generic views need to know about one section."""

    name: str
    model: type[models.Model]
    title: str
    title_singular: str = ""
    icon: str = "bi-folder"
    list_columns: Sequence[str] = ()
    default_sort: str = "-created_at"
    search_fields: Sequence[str] = ()
    filter_fields: Sequence[str] = ()
    form_fields: Sequence[str] = ()
    detail_fields: Sequence[tuple[str, Sequence[str]]] = ()
    tabs: Sequence[Tab] = ()
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()
    number_field: str | None = None
    number_sequence: str | None = None
    form_class: type | None = None
    duplicate_keys: Sequence[str] = ()
    import_columns: Sequence[str] = ()
    #: fields that identify a record in a file, most telling first (a contact's email, a product's code): an
    #: import with one of them mapped suggests the first as its key, so importing a file again updates instead of
    #: duplicating. Text keys are matched by UPPER(field): the model indexes that.
    import_keys: Sequence[str] = ()
    #: columns a file may hold beyond the record's own fields, written to rows of the record's details (a product's
    #: price in each price list): an object with `specs(user)`, `owns(name)`, `current(objs)`, `write(rows)` and
    #: `restore(obj, previous)`; see crm.imports.fields.ImportExtras
    import_extras: object | None = None
    #: fields the process derives and no form edits (an opportunity's amount, a record's creation date) that an
    #: import may still take from a file, as the system the file comes from recorded them; the section's
    #: `after_import` makes what depends on them whole
    import_derived_fields: Sequence[str] = ()
    #: values other systems write for ours, per lookup or choice field, used when no name or code matches:
    #: {field name: {their value ("Closed Won"): our value's name or code ("won")}}; case, spaces and punctuation
    #: do not count
    import_value_aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: `import_complete(values, *, name_from_email: bool) -> str`: completes one converted row of an import before
    #: it becomes a record ({field name: value}, changed in place: a contact's name split into its parts, or made
    #: from the email when the user asked); returns why the row is refused, or ""
    import_complete: Callable[..., str] | None = None
    #: a field naming the record (an account's name): an import into another section that names a record of this
    #: one that does not exist yet creates it, when the user asks to create missing values and may create here;
    #: found first by name and by the section's duplicate rules for that field ("ACME GmbH" is "Acme")
    import_creatable_by_name: str = ""
    analytics_fields: Sequence[str] = ()
    #: values derived from a field, per field, that its column rights cover too: other fields (an amount in the
    #: base currency), a detail's columns ("products.total"), a print form's names ("totals", "paid") and a
    #: view's figures ("kanban.total"). Whoever may not see the field sees none of them: crm.access hides the
    #: derived fields with it and answers `can_read_value` for the others
    derived_values: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: the money columns a list adds up over what its filter selects; None: every money column shown
    total_columns: Sequence[str] | None = None
    position: int = 100
    #: detail rows owned by the record (deleted with it, merged with it), e.g. addresses
    detail_models: Sequence[str] = ()
    extra_actions: Sequence[tuple[str, str]] = field(default_factory=tuple)
    #: the section's other views of its records, beside "List" in the list's "Show as" toggle: (URL name,
    #: label, Bootstrap icon), e.g. the pipeline, the calendar, the Gantt chart, the analytics page
    views: Sequence[tuple[str, str, str]] = field(default_factory=tuple)
    queryset_hook: Callable[[models.QuerySet], models.QuerySet] | None = None
    #: details edited in place on the record page, grouped in tabs (see crm.sections.details)
    detail_tabs: Sequence[DetailTab] = ()
    #: cards of the record page's left column: connected records' mini-profiles, completeness, ...
    cards: Sequence[Card] = ()
    #: full-width panels above the record page's columns: a process's stage bar and action panel
    panels: Sequence[Card] = ()
    #: links on the record page's toolbar: (URL name taking the record's pk, label[, the operation right it needs])
    record_actions: Sequence[tuple[str, ...]] = ()
    #: {URL name of a record action: `available(user, record) -> bool`}: the toolbar shows that action only where
    #: the record's process allows it (a lead is qualified once); the action's service refuses it elsewhere too
    record_action_rules: Mapping[str, Callable[..., bool]] = field(default_factory=dict)
    #: buttons of the list's bulk bar that post the selected ids to a URL: (URL name, label[, operation right])
    bulk_actions: Sequence[tuple[str, ...]] = ()
    #: JS modules (static paths, e.g. "js/gantt.js") the record page loads for what its tabs draw or drag: a tab
    #: is swapped in by htmx, which runs no script of its own
    scripts: Sequence[str] = ()
    #: stylesheets (static paths) the record page loads for what its panels and tabs show (an article's text)
    styles: Sequence[str] = ()
    #: `after_save(user=, obj=, previous=)` runs inside the create/update transaction for the section's own side
    #: effects (a contact's career history); `previous` is None on create, else the changed fields' old values
    after_save: Callable[..., None] | None = None
    #: `after_import(user=, created=, updated=)`: an import bypasses per-record hooks and calls this once per batch,
    #: inside its transaction, for the rows the section derives (a contact's communication options)
    after_import: Callable[..., None] | None = None
    #: `search_hits(user, records, text, limit) -> {id: rank}`: the global search's matches among `records` (what
    #: the user may see), ranked on crm.sections.search's scale, for a section that searches its own way (the
    #: knowledge base's full text); None: the search fields' match
    search_hits: Callable[..., dict[int, int]] | None = None
    #: `search_passages(user, records, ids, text) -> {id: safe html}`: the passage of each hit that holds the text,
    #: for the global search's page (an article's body around the words found); None: the hit's name alone
    search_passages: Callable[..., dict[int, str]] | None = None

    def __post_init__(self) -> None:
        if not self.title_singular:
            self.title_singular = str(self.model._meta.verbose_name)
        if not self.list_columns:
            self.list_columns = ("__str__",)
        # the rows of editable details belong to the record: deleted and merged with it
        labels = [detail.label for tab in self.detail_tabs for detail in tab.details]
        self.detail_models = tuple(dict.fromkeys([*self.detail_models, *labels]))
        for name in self.derived_values:
            self.opts.get_field(name)  # a value derives from a field the model has: a typo fails at start-up

    def derived_from(self) -> dict[str, frozenset[str]]:
        """{derived value: the fields it derives from}, `derived_values` turned around."""
        sources: dict[str, set[str]] = {}
        for name, values in self.derived_values.items():
            for value in values:
                sources.setdefault(value, set()).add(name)
        return {value: frozenset(names) for value, names in sources.items()}

    def available_record_actions(self, user, record) -> list[tuple[str, str]]:
        """The record actions the toolbar offers on `record` to `user`: those its rules allow."""
        from crm.access import api as access

        rules = self.record_action_rules
        return [
            (action[0], action[1])
            for action in self.record_actions
            if (len(action) < 3 or access.can(user, action[2]))
            and (action[0] not in rules or rules[action[0]](user, record))
        ]

    def get_detail(self, name: str) -> Detail | None:
        return next((d for tab in self.detail_tabs for d in tab.details if d.name == name), None)

    # --- model introspection -------------------------------------------------------------------------

    @property
    def opts(self):
        return self.model._meta

    def field_names(self) -> list[str]:
        """Concrete, non-system fields, then the custom fields: what column rights and forms are about."""
        system = set(getattr(self.model, "SYSTEM_FIELDS", ()))
        names = [f.name for f in self.opts.concrete_fields if f.name not in system]
        return names + [f.name for f in self.custom_fields()]

    def custom_fields(self):
        """The active custom fields the system designer added to the section (`custom__<code>`), in order."""
        from crm.designer.fields import fields_of

        return fields_of(self.name)

    def custom_field(self, name: str):
        """The custom field named `name` (`custom__<code>`), or None."""
        return next((f for f in self.custom_fields() if f.name == name), None)

    def field(self, name: str):
        """A field by name: the model's field, or a custom field (which answers the same questions: name,
        verbose_name, choices, formfield, value_from_object). Raises FieldDoesNotExist."""
        from crm.designer.fields import is_custom

        if is_custom(name):
            custom = self.custom_field(name)
            if custom is None:
                raise FieldDoesNotExist(f"{self.name} has no custom field {name!r}")
            return custom
        return self.opts.get_field(name)

    def readable_fields(self, user) -> frozenset[str]:
        """The fields `user` may see in lists, filters and detail pages: their column rights plus the audit fields."""
        from crm import access

        audit = AUDIT_FIELDS & {f.name for f in self.opts.concrete_fields}
        return access.fields_for(user, self, "read").readable | audit

    def get_field(self, path: str) -> models.Field | None:
        model = self.model
        field_ = None
        for part in path.split("__"):
            try:
                field_ = model._meta.get_field(part)
            except FieldDoesNotExist:
                return None
            if field_.is_relation and field_.related_model is not None:
                model = field_.related_model
        return field_

    def label_for(self, path: str) -> str:
        if path == "__str__":
            return capfirst(self.title_singular)
        custom = self.custom_field(path)
        if custom is not None:
            return capfirst(custom.label)
        first = self.opts.get_field(path.split("__")[0])
        return capfirst(str(getattr(first, "verbose_name", path)))

    @cached_property
    def columns(self) -> list[Column]:
        columns = []
        for path in self.list_columns:
            if path == "__str__":
                columns.append(Column(path, self.label_for(path), None, None))
                continue
            field_ = self.get_field(path)
            if field_ is None:
                raise ValueError(f"Section {self.name}: unknown list column {path!r}")
            sort_key = path
            is_relation = bool(field_.is_relation)
            if is_relation:
                ordering = field_.related_model._meta.ordering or ["pk"]
                sort_key = f"{path}__{ordering[0].lstrip('-')}"
            columns.append(Column(path, self.label_for(path), sort_key, field_, is_relation))
        return columns

    def all_columns(self) -> list[Column]:
        """The declared columns, then one per custom field: what the user may choose to show."""
        custom = [Column(f.name, capfirst(f.label), f.name, f) for f in self.custom_fields()]
        return [*self.columns, *custom]

    def choosable_columns(self, user) -> list[Column]:
        """The columns `user` may choose to show: those of fields they may read."""
        readable = self.readable_fields(user)
        return [c for c in self.all_columns() if c.path == "__str__" or c.name in readable]

    def sortable(self) -> dict[str, str]:
        """URL sort names to ORM order_by keys."""
        return {c.path: c.sort_key for c in self.all_columns() if c.sort_key}

    def relation_columns(self) -> list[str]:
        return [c.path for c in self.columns if c.is_relation]

    # --- querysets -------------------------------------------------------------------------------------

    def get_queryset(self) -> models.QuerySet:
        """The queryset every page of the section starts from; it declares its joins once."""
        queryset = self.model._default_manager.all()
        related = set(self.select_related) | {
            p for p in self.relation_columns() if self.get_field(p).many_to_one or self.get_field(p).one_to_one
        }
        if related:
            queryset = queryset.select_related(*sorted(related))
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        if self.queryset_hook:
            queryset = self.queryset_hook(queryset)
        return queryset

    # --- urls ----------------------------------------------------------------------------------------------

    def url(self, view: str, *args) -> str:
        return reverse(f"{self.name}:{view}", args=args)

    def get_urls(self) -> list:
        """The generic patterns, then the app's own (kanban, calendar, ...) from its urls.py."""
        from importlib import import_module
        from importlib.util import find_spec

        from .urls import section_urlpatterns

        patterns = []
        module_name = f"{self.model._meta.app_config.name}.urls"
        if find_spec(module_name) is not None:
            patterns += list(getattr(import_module(module_name), "urlpatterns", []))
        return patterns + section_urlpatterns(self)

    def __str__(self) -> str:
        return self.title

    def __hash__(self) -> int:
        return hash(self.name)


_registry: dict[str, Section] = {}


@dataclass(frozen=True)
class RecordTab:
    """A tab that every section's detail page gets (feed, timeline, approvals, ...), contributed by an app.

    `view(request, section, record)` returns the tab's HTML response; it is called after the record passed the
    access check for reading.
    """

    name: str
    title: str
    view: Callable
    position: int = 50
    applies_to: Callable[[Section], bool] | None = None


_record_tabs: dict[str, RecordTab] = {}


def register_record_tab(tab: RecordTab) -> RecordTab:
    _record_tabs[tab.name] = tab
    return tab


#: providers of tabs kept as data (the page designer's field tabs, the detail wizard's details):
#: `provider(section) -> list[RecordTab]`, asked on each call
_record_tab_providers: list[Callable[[Section], list[RecordTab]]] = []


def register_record_tab_provider(provider: Callable[[Section], list[RecordTab]]) -> None:
    if provider not in _record_tab_providers:
        _record_tab_providers.append(provider)


def record_tabs_for(section: Section) -> list[RecordTab]:
    tabs = [t for t in _record_tabs.values() if t.applies_to is None or t.applies_to(section)]
    for provider in _record_tab_providers:
        tabs += provider(section)
    return sorted(tabs, key=lambda t: t.position)


@dataclass(frozen=True)
class ListMode:
    """Another way to show a section's list (`?view=<name>`), contributed by an app: a section's Dashboards.
    `view(request, section, params)` answers the page, over the same filters and folder as the list."""

    name: str
    label: str
    icon: str
    view: Callable


_list_modes: dict[str, ListMode] = {}


def register_list_mode(mode: ListMode) -> ListMode:
    _list_modes[mode.name] = mode
    return mode


def list_modes() -> list[ListMode]:
    return list(_list_modes.values())


def get_list_mode(name: str) -> ListMode | None:
    return _list_modes.get(name)


@dataclass(frozen=True)
class RecordAction:
    """A part of the action panel every record page gets (log a call, schedule a task, post to the feed),
    contributed by an app. `context(user, section, record)` returns the template's context, or None when the user
    may not do it there; the template posts to the app's own view, which calls the app's service."""

    name: str
    label: str
    icon: str
    template: str
    context: Callable
    position: int = 50
    applies_to: Callable[[Section], bool] | None = None


_record_actions: dict[str, RecordAction] = {}


def register_record_action(action: RecordAction) -> RecordAction:
    _record_actions[action.name] = action
    return action


def record_actions_for(section: Section) -> list[RecordAction]:
    actions = [a for a in _record_actions.values() if a.applies_to is None or a.applies_to(section)]
    return sorted(actions, key=lambda a: a.position)


def related_tabs(section: Section) -> list[Tab]:
    """The section's declared related lists, then one for every foreign key of another section's model that points
    at this section's model (an account's opportunities, orders, invoices, ...), found in the registry: a section
    added later, built-in or custom, is listed on the records it points at without either declaring it.

    A discovered list is named after its section (and the foreign key, when a section points here more than once);
    one whose name a tab every section gets already has (the activities tab) is left to that tab.
    """
    declared = {(tab.resolved_model(), tab.relation) for tab in section.tabs}
    taken = {tab.name for tab in section.tabs} | {tab.name for tab in section.detail_tabs}
    contributed = set(_record_tabs)
    found = []
    for other in all_sections():
        keys = [
            f
            for f in other.opts.concrete_fields
            if f.many_to_one and f.related_model is not None and f.related_model._meta.concrete_model is section.model
        ]
        for key in keys:
            if (other.model, key.name) in declared:
                continue
            # of several keys, the one named after this section's model is the plain list (an account's invoices,
            # then the invoices where it is the supplier)
            plain = len(keys) == 1 or key.name == section.opts.model_name
            name = other.name if plain else f"{other.name}_{key.name}"
            if name in taken or other.name in contributed:
                continue
            title = other.title if plain else f"{other.title} ({key.verbose_name})"
            columns = [c for c in other.list_columns if c.split("__")[0] != key.name][:5]
            found.append(Tab(name, title, other.model, key.name, tuple(columns)))
            taken.add(name)
    return [*section.tabs, *found]


def register(section: Section) -> Section:
    existing = _registry.get(section.name)
    if existing is not None and existing.model is not section.model:
        raise ValueError(f"A section named {section.name!r} is already registered")
    _registry[section.name] = section
    return section


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get(name: str) -> Section:
    return _registry[name]


def get_or_404(name: str) -> Section:
    """The section a URL names, or the 404 of a missing page."""
    from django.http import Http404

    try:
        return _registry[name]
    except KeyError:
        raise Http404("No such section.")


def choices() -> list[tuple[str, str]]:
    """(name, title) of every section, in navigation order: the choices of a form field that names a section."""
    return [(section.name, section.title) for section in all_sections()]


def all_sections() -> list[Section]:
    return sorted(_registry.values(), key=lambda s: (s.position, s.title))


def for_model(model) -> Section | None:
    model = model if isinstance(model, type) else type(model)
    concrete = model._meta.concrete_model
    for section in _registry.values():
        if section.model is concrete:
            return section
    return None


@dataclass(frozen=True)
class GenericReference:
    """Rows of some app that point at a record of any section by content type and id (feed posts, follows, an
    activity's connected record, ...). Deleting (and later merging) a record consults these:

    - ``on_delete="cascade"``: the rows belong to the record and are deleted with it (feed posts, follows);
    - ``on_delete="protect"``: the rows are records in their own right, and the record cannot be deleted while
      they point at it (an activity connected to an opportunity).
    """

    model: str  # "app_label.ModelName"
    content_type_field: str
    object_id_field: str
    on_delete: str = "cascade"
    label: str = ""

    def resolved_model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model)

    def rows_for(self, record) -> models.QuerySet:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(record)
        return self.resolved_model()._default_manager.filter(
            **{f"{self.content_type_field}": content_type, self.object_id_field: record.pk}
        )


_generic_references: list[GenericReference] = []


def register_generic_reference(reference: GenericReference) -> GenericReference:
    if reference.on_delete not in ("cascade", "protect"):
        raise ValueError("on_delete must be 'cascade' or 'protect'")
    if reference not in _generic_references:
        _generic_references.append(reference)
    return reference


def generic_references() -> list[GenericReference]:
    return list(_generic_references)
