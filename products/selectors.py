"""Reads of the Products section: the catalogue tree and the products under one of its nodes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count

from .models import CatalogueLevel, Product


@dataclass
class CatalogueNode:
    """A node of the catalogue tree: a value of the level's product field, with how many products lie under it."""

    field: str
    id: int
    name: str
    path: str
    count: int = 0
    selected: bool = False
    open: bool = False
    children: list[CatalogueNode] = field(default_factory=list)


def catalogue_levels() -> list[str]:
    return list(CatalogueLevel.objects.order_by("position").values_list("field", flat=True))


def parse_node(raw: str, levels: list[str]) -> list[tuple[str, int]]:
    """A node path "category:3,type:5" as [(field, id)], keeping only a valid prefix of the configured levels."""
    path = []
    for index, part in enumerate((raw or "").split(",")[: len(levels)]):
        name, _, value = part.partition(":")
        if name != levels[index] or not value.isdigit():
            break
        path.append((name, int(value)))
    return path


def catalogue_tree(queryset: models.QuerySet, selected: list[tuple[str, int]] | None = None) -> list[CatalogueNode]:
    """The tree of the configured levels over `queryset`, in one query. Only values some product has appear, so
    empty categories, types and brands are hidden; a product without a value at a level sits at the level above."""
    levels = catalogue_levels()
    if not levels:
        return []
    columns = []
    for name in levels:
        columns += [f"{name}_id", f"{name}__name"]
    rows = queryset.order_by().values(*columns).annotate(products=Count("pk"))
    chosen = [f"{name}:{value}" for name, value in selected or []]
    roots: dict[int, CatalogueNode] = {}
    for row in rows:
        siblings, path = roots, []
        for depth, name in enumerate(levels):
            value = row[f"{name}_id"]
            if value is None:
                break
            path.append(f"{name}:{value}")
            node = siblings.get(value)
            if node is None:
                node = CatalogueNode(field=name, id=value, name=row[f"{name}__name"], path=",".join(path))
                node.children = {}  # type: ignore[assignment]  # a dict while building
                on_path = depth < len(chosen) and path == chosen[: depth + 1]
                node.open = on_path
                node.selected = on_path and depth == len(chosen) - 1
                siblings[value] = node
            node.count += row["products"]
            siblings = node.children  # type: ignore[assignment]
    return _sorted(roots)


def _sorted(nodes: dict[int, CatalogueNode]) -> list[CatalogueNode]:
    result = sorted(nodes.values(), key=lambda n: n.name.lower())
    for node in result:
        node.children = _sorted(node.children)  # type: ignore[arg-type]
    return result


def under_node(queryset: models.QuerySet, path: list[tuple[str, int]]) -> models.QuerySet:
    return queryset.filter(**{f"{name}_id": value for name, value in path})


def catalogue_queryset(queryset: models.QuerySet | None = None) -> models.QuerySet:
    """Active products with what the catalogue and selection pages show."""
    queryset = queryset if queryset is not None else Product.objects.all()
    return queryset.active().select_related("category", "type", "brand", "unit", "tax", "currency")
