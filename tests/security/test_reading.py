"""Who may not read a record sees nothing of it on any path: list rows and count, detail page, tabs, export,
global search, type-ahead lookups, attachment downloads. Who may, does (the control)."""

from __future__ import annotations

import csv
import io

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from crm.sections import export
from crm.sections.models import Attachment
from crm.sections.views.records import record_tabs


def login(client, user):
    client.force_login(user)
    return client


def list_shows(client, scene) -> bool:
    response = client.get(scene.section.url("list"))
    if response.status_code == 404:
        return False
    assert response.status_code == 200
    shown = any(row.pk == scene.record.pk for row in response.context["rows"])
    if not shown:
        assert f'name="ids" value="{scene.record.pk}"' not in response.content.decode()
    return shown


def list_count(client, scene) -> int | None:
    response = client.get(scene.section.url("list"))
    return response.context["count"] if response.status_code == 200 else None


def export_shows(client, scene) -> bool:
    response = client.get(scene.section.url("export"), {"format": "csv"})
    if response.status_code == 404:
        return False
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    marker = str(export.neutralise(export.cell_value(scene.record, scene.section.columns[0])))
    return any(row and row[0] == marker for row in rows)


def search_text(section, record) -> str:
    value = record
    for part in section.search_fields[0].split("__"):
        value = getattr(value, part)
    return str(value)


def search_finds(client, scene) -> bool:
    response = client.get(reverse("search"), {"q": search_text(scene.section, scene.record)})
    assert response.status_code == 200
    return any(hit.section == scene.section and hit.obj.pk == scene.record.pk for hit in response.context["hits"])


def lookup_finds(client, scene) -> bool:
    response = client.get(scene.section.url("lookup"), {"q": search_text(scene.section, scene.record)})
    if response.status_code == 404:
        return False
    assert response.status_code == 200
    return scene.record.pk in [result["id"] for result in response.json()["results"]]


def test_who_may_not_read_sees_no_row_and_no_count(client, scene, mode):
    current = scene(charlie_may=set())

    assert list_shows(login(client, current.refused), current) is False
    assert list_count(client, current) in (None, 0)
    assert list_shows(login(client, current.permitted), current) is True
    assert list_count(client, current) >= 1


def test_who_may_not_read_gets_404_for_the_detail_page(client, scene):
    current = scene(charlie_may=set())
    url = current.section.url("detail", current.record.pk)

    assert login(client, current.refused).get(url).status_code == 404
    assert login(client, current.permitted).get(url).status_code == 200


def test_who_may_not_read_gets_404_for_every_tab(client, scene, ada):
    current = scene(charlie_may=set())
    tabs = [name for name, _ in record_tabs(current.section, ada)]
    assert tabs

    refused = login(client, current.refused)
    assert {name: refused.get(current.section.url("tab", current.record.pk, name)).status_code for name in tabs} == {
        name: 404 for name in tabs
    }
    permitted = login(client, current.permitted)
    for name, _ in record_tabs(current.section, current.permitted):
        assert permitted.get(current.section.url("tab", current.record.pk, name)).status_code == 200, name


def test_who_may_not_read_exports_no_row(client, scene):
    current = scene(charlie_may=set())

    assert export_shows(login(client, current.refused), current) is False
    assert export_shows(login(client, current.permitted), current) is True


def test_who_may_not_read_finds_nothing_in_the_global_search(client, scene):
    current = scene(charlie_may=set())

    assert search_finds(login(client, current.refused), current) is False
    assert search_finds(login(client, current.permitted), current) is True


def test_who_may_not_read_gets_nothing_from_the_lookup(client, scene):
    current = scene(charlie_may=set())

    assert lookup_finds(login(client, current.refused), current) is False
    assert lookup_finds(login(client, current.permitted), current) is True


def test_who_may_not_read_cannot_download_an_attachment(client, scene):
    current = scene(charlie_may=set())
    attachment = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(current.record),
        object_id=current.record.pk,
        kind=Attachment.Kind.LINK,
        name="Contract",
        url="https://example.com/contract.pdf",
    )
    url = reverse("attachment_download", args=[attachment.pk])

    assert login(client, current.refused).get(url).status_code == 404
    assert login(client, current.permitted).get(url).status_code == 302


def test_who_may_read_but_not_export_gets_no_export(client, scene, team):
    from crm.access.models import OperationRight

    current = scene(charlie_may={"read"})
    OperationRight.objects.create(operation="export", role=team.all_employees, allowed=False, priority=2)
    OperationRight.objects.create(operation="export", role=team.team_a, allowed=True, priority=1)

    assert login(client, current.refused).get(current.section.url("export"), {"format": "csv"}).status_code == 404
    assert export_shows(login(client, current.permitted), current) is True
