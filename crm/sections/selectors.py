"""Reading a section's list: parse the query string (search, filters, folder, sort, page) into a queryset
the user may see. The list page and the export share it, so an export is exactly what the list shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qs, urlencode

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, Sum
from django.http import QueryDict

from crm import access
from crm.core.money import quantize

from . import tags
from .filters import filterset_for
from .models import Folder, ListPreference
from .registry import Column, Section
from .text_search import text_condition


@dataclass
class ListQuery:
    section: Section
    user: object
    params: QueryDict
    warnings: list[str] = field(default_factory=list)
    #: parts already parsed: each is parsed once, so its warning is given once
    _parsed: dict = field(default_factory=dict, repr=False)

    # --- the parts -----------------------------------------------------------------------------------------

    @property
    def search(self) -> str:
        return self.params.get("q", "").strip()[:200]

    def folder(self) -> Folder | None:
        if "folder" not in self._parsed:
            self._parsed["folder"] = self._folder()
        return self._parsed["folder"]

    def _folder(self) -> Folder | None:
        raw = self.params.get("folder", "")
        if not raw:
            return None
        if not raw.isdigit():
            self.warnings.append("Unknown folder ignored.")
            return None
        folder = visible_folders(self.section, self.user).filter(pk=int(raw)).first()
        if folder is None:
            self.warnings.append("Unknown folder ignored.")
        return folder

    def tag_ids(self) -> list[int]:
        """The tags the list is filtered by (`?tags=3&tags=5`); one the user may not see matches nothing."""
        return tag_ids(self.params)

    def tag_mode(self) -> str:
        """Whether a record needs any of the chosen tags or all of them (`?tags_mode=all`)."""
        return tag_mode(self.params)

    def preference(self) -> ListPreference | None:
        """The user's saved columns and last query for this list (read once)."""
        if "preference" not in self._parsed:
            self._parsed["preference"] = ListPreference.objects.filter(
                user=self.user, section=self.section.name
            ).first()
        return self._parsed["preference"]

    def columns(self) -> list[Column]:
        readable = self.section.readable_fields(self.user)
        allowed = [c for c in self.section.all_columns() if c.path == "__str__" or c.name in readable]
        preference = self.preference()
        if preference and preference.columns:
            chosen = [c for c in allowed if c.path in preference.columns]
            if chosen:
                return chosen
        if getattr(self.section, "shows_custom_columns", False):  # a runtime section: they are all its fields
            return allowed
        return [c for c in allowed if not c.is_custom]  # custom columns are shown once chosen

    def page_size(self) -> int:
        sizes = settings.LIST_PAGE_SIZES
        raw = self.params.get("per_page", "")
        if raw:
            if raw.isdigit() and int(raw) in sizes:
                return int(raw)
            self.warnings.append(f"Page size must be one of {', '.join(map(str, sizes))}.")
        return settings.LIST_DEFAULT_PAGE_SIZE

    def page(self) -> int:
        raw = self.params.get("page", "1")
        if raw.isdigit() and int(raw) >= 1:
            return min(int(raw), 100_000)
        self.warnings.append("Unknown page ignored.")
        return 1

    def sort(self) -> tuple[str, list[str]]:
        """The sort the user asked for (validated) and the ORM ordering, always ending on the primary key."""
        if "sort" not in self._parsed:
            self._parsed["sort"] = self._sort()
        return self._parsed["sort"]

    def _sort(self) -> tuple[str, list[str]]:
        raw = self.params.get("sort", "")
        sortable = self.section.sortable()
        readable = self.section.readable_fields(self.user)
        name = raw.lstrip("-")
        custom = self.section.custom_field(name)
        if raw and (name not in sortable or (name if custom else name.split("__")[0]) not in readable):
            self.warnings.append(f"Cannot sort by “{name}”; the default order is used.")
            raw = ""
        if not raw:
            raw = self.section.default_sort
            name = raw.lstrip("-")
            key = sortable.get(name, name)
            custom = None
        else:
            key = sortable[name]
        descending = raw.startswith("-")
        if custom is not None and key == name:
            # a custom value is read from the JSON as the type it holds; records without one come last
            expression = custom.expression()
            first = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            return raw, [first, "-pk" if descending else "pk"]
        order = [f"-{key}" if descending else key, "-pk" if descending else "pk"]
        return raw, order

    def filterset_class(self):
        if "filterset_class" not in self._parsed:
            self._parsed["filterset_class"] = filterset_for(self.section, self.user)
        return self._parsed["filterset_class"]

    def filterset(self):
        """The filter form as the user filled it in (for display)."""
        return self.filterset_class()(self.params or None, queryset=self.section.model._default_manager.none())

    # --- the queryset ----------------------------------------------------------------------------------------

    def queryset(self) -> models.QuerySet:
        """The records of the list, in its order."""
        _, order = self.sort()
        return self.tag_filter().apply(self._filtered()).order_by(*order)

    def count_queryset(self) -> models.QuerySet:
        """The same records, unordered, in the form a count bounded by a limit reads fastest (`TagFilter.apply`)."""
        return self.tag_filter().apply(self._filtered(), counting=True).order_by()

    def tag_filter(self) -> tags.TagFilter:
        if "tag_filter" not in self._parsed:
            self._parsed["tag_filter"] = tags.tag_filter(
                user=self.user, section=self.section, tag_ids=self.tag_ids(), mode=self.tag_mode()
            )
        return self._parsed["tag_filter"]

    def _filtered(self) -> models.QuerySet:
        """The records the user may see in the folder, by the filters and the search: all but the tags."""
        if "filtered" in self._parsed:
            return self._parsed["filtered"]
        queryset = access.visible(self.user, self.section.get_queryset())
        folder = self.folder()
        if folder is not None:
            queryset = apply_folder(queryset, folder, self.section, self.user)
        filterset = self.filterset_class()(self.params, queryset=queryset)
        if filterset.is_bound and not filterset.is_valid():
            for name, errors in filterset.errors.items():
                label = filterset.filters[name].label if name in filterset.filters else name
                self.warnings.append(f"Filter “{label}” ignored: {' '.join(errors)}")
        queryset = filterset.qs
        if self.search:
            queryset = queryset.filter(search_q(self.section, self.search, self.user))
        self._parsed["filtered"] = queryset
        return queryset


def tag_ids(params) -> list[int]:
    return sorted({int(v) for v in params.getlist("tags") if v.isdigit()})[:50]


def tag_mode(params) -> str:
    return tags.Mode.ALL if params.get("tags_mode") == tags.Mode.ALL else tags.Mode.ANY


#: list parameters that are not part of the remembered query: the page, a one-off action
NOT_REMEMBERED = ("page", "reset", "format", "view")


def remembered_query(params: QueryDict) -> str:
    """The part of a list's query string that is remembered for the user: filters, search, sort, page size."""
    return urlencode([(k, v) for k, values in params.lists() if k not in NOT_REMEMBERED for v in values if v != ""])


@dataclass(frozen=True)
class Total:
    """The sum of one money column over every record the list's filter selects, per currency."""

    column: Column
    #: [(currency code, or "" for a section without currencies, sum)]
    amounts: list[tuple[str, Decimal]]


def money_columns(section: Section, columns: list[Column], user) -> list[Column]:
    """The shown columns that hold money (a record's own `DecimalField` with cents) and the user may add up:
    a column whose value, or a value it derives from, is hidden from the user gets no total."""
    chosen = section.total_columns
    money = [
        c
        for c in columns
        if not c.is_custom
        and "__" not in c.path
        and isinstance(c.field, models.DecimalField)
        and c.field.decimal_places == 2
        and (chosen is None or c.path in chosen)
    ]
    if not money:
        return []
    rights = access.fields_for(user, section, "read")
    if _currency_field(section) and not rights.can_read_value("currency"):
        return []  # a sum of several currencies would say nothing, and a sum per currency would show them
    return [c for c in money if rights.can_read_value(c.name)]


def _currency_field(section: Section) -> bool:
    try:
        return section.opts.get_field("currency").is_relation
    except FieldDoesNotExist:
        return False


def column_totals(queryset: models.QuerySet, section: Section, columns: list[Column]) -> list[Total]:
    """One aggregate query: the sums of the money `columns` over `queryset`, grouped by currency where the
    section's records have one (adding euros to dollars would be a number of nothing)."""
    if not columns:
        return []
    sums = {f"total_{index}": Sum(column.path) for index, column in enumerate(columns)}
    records = queryset.order_by()
    if _currency_field(section):
        rows = list(records.values("currency__code").annotate(**sums).order_by("currency__code"))
    else:
        rows = [records.aggregate(**sums)]
    return [
        Total(
            column=column,
            amounts=[
                (row.get("currency__code") or "", quantize(row[f"total_{index}"]))
                for row in rows
                if row[f"total_{index}"] is not None
            ],
        )
        for index, column in enumerate(columns)
    ]


def search_q(section: Section, text: str, user) -> Q:
    """Records of `section` with every word of `text`, in any order, in one of the user's readable search fields
    (or whose id it is): see crm.sections.text_search for the shapes it takes, and why."""
    return text_condition(section, text, user)


def visible_folders(section: Section, user) -> models.QuerySet:
    return Folder.objects.filter(section=section.name).filter(Q(owner=user) | Q(shared=True))


def apply_folder(queryset, folder: Folder, section: Section, user):
    if folder.kind == Folder.Kind.STATIC:
        return queryset.filter(pk__in=folder.items.values("object_id"))
    params = QueryDict(mutable=True)
    for key, values in parse_qs(folder.query).items():
        params.setlist(key, values)
    filterset = filterset_for(section, user)(params, queryset=queryset)
    queryset = filterset.qs
    queryset = tags.filter_by_tags(queryset, user=user, section=section, tag_ids=tag_ids(params), mode=tag_mode(params))
    search = params.get("q", "").strip()
    if search:
        queryset = queryset.filter(search_q(section, search, user))
    return queryset


def page_rows(queryset, offset: int, limit: int, *, rows_from: models.QuerySet) -> list:
    """The rows of one page: the page's ids are found by a narrow query of their own (the subquery), and only
    those rows are read from `rows_from` with its joins. Sorting and filtering then read only the columns they
    need, not every joined column of every match, which keeps a quick search matching thousands of rows fast."""
    ids = queryset.values("pk")[offset : offset + limit]
    return list(rows_from.filter(pk__in=ids).order_by(*queryset.query.order_by))


def last_page(count: int, more: bool, page_size: int) -> int | None:
    """The number of the last page, or None when the count was cut off at its limit (the last page is unknown)."""
    return None if more else max(1, -(-count // page_size))


def page_window(page: int, page_size: int, *, count: int, more: bool, has_next: bool) -> list[int | None]:
    """The page numbers the pager links to: the first, two either side of the current one and the last, with
    None where numbers are left out ("…"). Past a cut-off count the last page is unknown: the window reaches as
    far as pages are known to exist (every page of the counted rows, and the next one when there is one) and
    ends on a gap."""
    last = last_page(count, more, page_size)
    if last is None:
        known = max(-(-count // page_size), page + 1 if has_next else page)
        numbers = {1, *range(max(1, page - 2), min(page + 2, known) + 1)}
    else:
        numbers = {1, last, *range(max(1, page - 2), min(page + 2, last) + 1)}
    window: list[int | None] = []
    for number in sorted(numbers):
        if window and number - window[-1] == 2:
            window.append(number - 1)  # a gap of one page shows the page, not "…"
        elif window and number - window[-1] > 2:
            window.append(None)
        window.append(number)
    if last is None:
        window.append(None)
    return window


def bounded_count(queryset, limit: int | None = None) -> tuple[int, bool]:
    """Count up to `limit` rows: a list shows "10,000+" rather than scanning a million rows on every page."""
    limit = limit or settings.LIST_EXACT_COUNT_LIMIT
    count = queryset.order_by()[: limit + 1].count()
    return min(count, limit), count > limit
