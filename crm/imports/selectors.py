"""What the mapping page's value step shows: for each mapped lookup or choice column, the file's distinct values
(counted, read from the stored file) beside the values of ours they may mean, with the likely meaning chosen."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm import access

from . import reader
from .fields import CREATE, EMPTY, FieldSpec, _code_field, header_key, normalise_name
from .models import ImportJob

#: distinct values listed per column; more are counted and said to be there, not listed
MAX_VALUES = 200
#: data rows read for the distinct values: a bigger file's values are those of its first rows (the page says so)
MAX_ROWS = 100_000
#: values of ours offered per lookup column (lookup tables are small; a bigger one is cut, like the defaults)
MAX_OURS = 500


@dataclass
class FileValue:
    text: str  # as the file first writes it
    count: int  # rows holding it (in the rows read)
    #: what it is taken to mean: one of ours (a pk or a choice value), CREATE, EMPTY, or "" (no match)
    meaning: str = ""


@dataclass
class ValueColumn:
    index: str  # the column's position, as `ImportJob.mapping` keys it
    header: str
    spec: FieldSpec
    ours: list[tuple[str, str]]  # (value as posted, label)
    may_create: bool  # "create it" is offered
    values: list[FileValue] = field(default_factory=list)
    #: distinct values beyond MAX_VALUES (in the rows read), not listed
    more: int = 0
    #: by what ours are matched: name, code or label, normalised and as written -> ours
    names: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def options(self) -> list[tuple[str, str]]:
        return [
            ("", "— no match —"),
            *self.ours,
            *([(CREATE, f"Create it as a new {self.noun}")] if self.may_create else []),
            (EMPTY, "Leave empty"),
        ]

    def unmatched_fate(self, count: int, *, create: bool, keys: list[str]) -> str:
        """What the import does with the `count` values of this column that have no meaning chosen."""
        one = count == 1
        if self.spec.kind == "lookup" and create and getattr(self.spec.related_model, "created_by_imports", True):
            return f"{'it is' if one else 'each is'} created as a new {self.noun}."
        holding = f"the rows holding {'it' if one else 'them'}"
        if self.spec.required or self.spec.name in keys:
            return f"{holding} are refused."
        return f"{holding} are imported without a {self.spec.label.lower()}, with a warning."

    @property
    def more_text(self) -> str:
        """How many distinct values are not listed ("over 2000" past what is counted)."""
        return f"over {10 * MAX_VALUES}" if self.more > 10 * MAX_VALUES else str(self.more)

    @property
    def noun(self) -> str:
        return str(self.spec.related_model._meta.verbose_name) if self.spec.kind == "lookup" else "value"


@dataclass
class ValueStep:
    columns: list[ValueColumn]
    rows_read: int
    #: the file has more data rows than were read
    cut: bool
    #: the import creates missing lookup values
    create: bool = False


def value_step(*, user, job: ImportJob, mapping: dict[str, str], specs: list[FieldSpec], create: bool) -> ValueStep:
    """The value step for `mapping` (column index -> field name): its lookup and choice columns, their distinct
    values and what each is taken to mean: the job's value map (remembered from the user's previous import), else
    ours of that name or code (case and spaces aside), else ours that the section's aliases name. `create`: the
    import creates missing values (then "create it" is offered wherever the lookup may be created by imports).
    One query per lookup column, whatever the number of values."""
    by_name = {spec.name: spec for spec in specs}
    columns = []
    for index, name in sorted(mapping.items(), key=lambda item: int(item[0])):
        spec = by_name.get(name)
        if spec is None or spec.kind not in ("lookup", "choice") or int(index) >= len(job.headers):
            continue
        ours, names = _ours(user, spec)
        may_create = spec.kind == "lookup" and _may_create(user, spec, create)
        header = reader.as_text(job.headers[int(index)])
        columns.append(ValueColumn(index, header, spec, ours, may_create, names=names))
    if not columns:
        return ValueStep([], 0, False, create)
    rows_read, cut = _read_values(job, columns)
    for column in columns:
        allowed = {value for value, _ in column.options if value}
        earlier = job.value_map.get(column.index, {})
        remembered = {normalise_name(text): str(meaning) for text, meaning in earlier.items()}
        for value in column.values:
            key = normalise_name(value.text)
            meaning = remembered.get(key)
            if meaning is None or meaning not in allowed:
                meaning = (
                    column.names.get(key)
                    or column.names.get(header_key(value.text))  # "Dr." for our "Dr": punctuation aside
                    or column.names.get(column.spec.aliases.get(header_key(value.text)))
                )
            value.meaning = meaning or ""
        column.values.sort(key=lambda value: (-value.count, normalise_name(value.text)))
    return ValueStep(columns, rows_read, cut, create)


def _ours(user, spec: FieldSpec) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The values of ours `user` may pick for `spec` (label order), and by what they are matched: their name,
    code or label, normalised (and as written, for the section's aliases, which name a code or a name), and
    their name without punctuation."""
    names: dict[str, str] = {}
    if spec.kind == "choice":
        ours = [(str(value), str(label)) for value, label in spec.field.flatchoices]
        for value, label in ours:
            for text in (value, label):
                names.setdefault(normalise_name(text), value)
                names.setdefault(text, value)
        return ours, names
    model = spec.related_model
    code = _code_field(model)
    queryset = access.visible(user, model._default_manager.filter(is_active=True))
    ours = []
    for pk, name, *codes in queryset.values_list("pk", "name", *([code] if code else []))[:MAX_OURS]:
        ours.append((str(pk), name))
        for text in (name, *[c for c in codes if c]):
            names.setdefault(normalise_name(text), str(pk))
            names.setdefault(text, str(pk))
        names.setdefault(header_key(name), str(pk))
    return ours, names


def _may_create(user, spec: FieldSpec, create: bool) -> bool:
    model = spec.related_model
    if not getattr(model, "created_by_imports", True):
        return False
    return create or access.can(user, "create", model)


def _read_values(job: ImportJob, columns: list[ValueColumn]) -> tuple[int, bool]:
    """Count the distinct values of `columns` in the file's first MAX_ROWS data rows (one pass): the first
    MAX_VALUES of each are listed, the others only counted as `more`. Values that differ in case or spacing
    only are one (the value map matches them so)."""
    from .services import source_of

    positions = [(int(column.index), column, {}, set()) for column in columns]
    rows = reader.rows(job.file.path, source_of(job), job.sheet)
    read, header_seen, cut = 0, False, False
    for cells in rows:
        if not header_seen:
            header_seen = bool(cells)
            continue
        if read >= MAX_ROWS:
            cut = True
            break
        read += 1
        if isinstance(cells, reader.BadRow):
            continue
        for position, column, listed, others in positions:
            text = reader.as_text(cells[position]) if position < len(cells) else ""
            if not text:
                continue
            key = normalise_name(text)
            value = listed.get(key)
            if value is not None:
                value.count += 1
            elif len(listed) < MAX_VALUES:
                listed[key] = FileValue(text, 1)
                column.values.append(listed[key])
            elif len(others) <= 10 * MAX_VALUES:  # enough to say how many more; memory stays bounded
                others.add(key)
    for _, column, _, others in positions:
        column.more = len(others)
    return read, cut
