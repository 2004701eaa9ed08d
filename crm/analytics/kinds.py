"""The registry of tile kinds. crm.analytics registers the generic ones (chart, metric, gauge, list, goal); a
section app registers its own in `<app>/tiles.py` (found at start-up), e.g. the sales pipeline of opportunities.

A kind is a form (which validates the settings against the registry and the author's rights) and a `compute`
that turns the settings into what the tile shows for the person looking at it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import QueryDict


@dataclass
class TileRequest:
    """What a tile is computed for: its settings, the viewer, and the page it is on."""

    settings: dict
    viewer: object
    title: str = ""
    #: the filters of the list the tile is shown over (a section's Dashboards view), for tiles of that section
    page_section: str = ""
    page_params: QueryDict | None = None
    #: the record whose page shows the tile: a tile of a section pointing at it reads that record's rows only
    record: object = None

    def params_for(self, section_name: str) -> QueryDict | None:
        return self.page_params if self.page_params is not None and section_name == self.page_section else None


@dataclass
class TileResult:
    """A tile's figures: the template that draws them with its context, and the same figures as a table (the
    .xlsx download, "show as a table")."""

    template: str
    context: dict = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    #: the data the chart script draws (json_script), or None
    chart: dict | None = None


@dataclass(frozen=True)
class TileKind:
    name: str
    label: str
    icon: str
    form: type
    compute: Callable[[TileRequest], TileResult]
    position: int = 50
    default_size: tuple[int, int] = (4, 3)
    #: the operation or section a user needs to add the kind (None: anyone may)
    available: Callable[[object], bool] | None = None
    #: for a funnel: `stages(request) -> [(label, count, list URL)]`, which another section's kind may chain
    #: (the full pipeline: the lead funnel's stages, then the opportunities')
    stages: Callable[[TileRequest], list[tuple[str, int, str]]] | None = None


_kinds: dict[str, TileKind] = {}


def register(kind: TileKind) -> TileKind:
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> TileKind | None:
    return _kinds.get(name)


def all_kinds(user=None) -> list[TileKind]:
    kinds = sorted(_kinds.values(), key=lambda k: (k.position, k.label))
    if user is None:
        return kinds
    return [k for k in kinds if k.available is None or k.available(user)]
