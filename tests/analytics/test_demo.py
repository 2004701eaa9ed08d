"""The demo dashboards, made of the tiles the section apps offer: the managers' and the reps' home dashboards show
real figures (the reps' overdue tasks through the activities' overdue filter); and crm.analytics itself names no
section."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from activities.models import Activity
from crm.analytics import demo, render
from crm.analytics.kinds import TileRequest
from crm.analytics.models import Dashboard, Tile
from crm.sections import registry

ANALYTICS = Path(__file__).resolve().parents[2] / "crm" / "analytics"


def test_the_demo_dashboards_show_real_figures_and_the_reps_their_overdue_tasks(seeded_demo):
    admin, alice = seeded_demo["admin"], seeded_demo["alice"]
    rep_tiles = Tile.objects.filter(tab__dashboard__name=demo.REPS)

    overdue = rep_tiles.get(title="My overdue tasks")
    shown = render.compute(overdue, TileRequest(settings=overdue.settings, viewer=alice), use_cache=False)

    expected = Activity.objects.overdue().filter(owner=alice, type=Activity.Type.TASK).order_by("due", "pk")[:8]
    assert [row.pk for row in shown.context["objects"]] == [activity.pk for activity in expected]
    assert {d.name for d in Dashboard.objects.all()} >= {demo.MANAGERS, demo.REPS}
    assert list(rep_tiles.order_by("pk").values_list("title", flat=True)) == [
        "My pipeline",
        "My activities this week",
        "My won deals this quarter",
        "My overdue tasks",
        "My goals",
    ]
    for tile in Tile.objects.all():  # every demo tile computes for the administrator, none says it cannot
        result = render.compute(tile, TileRequest(settings=tile.settings, viewer=admin), use_cache=False)
        assert result.template != "analytics/tiles/_problem.html", (tile.title, result.context)


def _strings_and_names(tree: ast.AST) -> list[str]:
    """The string constants and identifiers of a module, leaving out its docstrings (prose may give examples)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append(node.value)
        elif isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.Attribute):
            found.append(node.attr)
    return found


def test_crm_analytics_names_no_section(db):
    names = [section.name for section in registry.all_sections()]
    pattern = re.compile(rf"\b({'|'.join(map(re.escape, names))})\b")

    named = {
        (path.name, match.group(0))
        for path in ANALYTICS.glob("*.py")
        for text in _strings_and_names(ast.parse(path.read_text()))
        for match in pattern.finditer(text)
    }

    assert named == set()
