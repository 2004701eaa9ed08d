"""Column rights on every path: a hidden column is not in the list, the detail page, the export or the search;
a hidden or read-only column cannot be written by a crafted POST; nor can the owner (mass assignment)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.access.models import ColumnRight
from crm.sections import registry

from .conftest import column_to_hide, form_data, is_text, reload, text_field
from .test_reading import login

MARKER = "zq-secret-zq"


@pytest.fixture
def hidden(team, section, alice, bob, charlie):
    """alice's record with a column hidden from "All employees" but shown to Sales team A (alice and bob)."""
    from tests.factories.registry import make_record

    record = make_record(section, alice)
    name = column_to_hide(section, record)
    if is_text(section.opts.get_field(name)):
        type(record)._default_manager.filter(pk=record.pk).update(**{name: MARKER})
        record.refresh_from_db()
    for role, level in ((team.all_employees, ColumnRight.Access.HIDDEN), (team.team_a, ColumnRight.Access.EDIT)):
        ColumnRight.objects.create(section=section.name, field_name=name, role=role, access=level)
    return record, name


def test_a_hidden_column_is_not_in_the_list(client, section, hidden, charlie, bob):
    record, name = hidden

    page = login(client, charlie).get(section.url("list")).content.decode()
    assert f'data-sort="{name}"' not in page and MARKER not in page
    page = login(client, bob).get(section.url("list")).content.decode()
    assert f'data-sort="{name}"' in page


def test_a_hidden_column_is_not_on_the_detail_page(client, section, hidden, charlie, bob):
    record, name = hidden

    page = login(client, charlie).get(section.url("detail", record.pk)).content.decode()
    assert f'data-field="{name}"' not in page and MARKER not in page
    page = login(client, bob).get(section.url("detail", record.pk)).content.decode()
    assert f'data-field="{name}"' in page


def test_a_hidden_column_is_not_exported(client, section, hidden, charlie, bob):
    record, name = hidden
    label = str(section.label_for(name))

    exported = b"".join(login(client, charlie).get(section.url("export"), {"format": "csv"}).streaming_content)
    assert label not in exported.decode("utf-8-sig").splitlines()[0] and MARKER not in exported.decode("utf-8-sig")
    exported = b"".join(login(client, bob).get(section.url("export"), {"format": "csv"}).streaming_content)
    assert label in exported.decode("utf-8-sig").splitlines()[0]


def test_a_hidden_column_cannot_be_sorted_or_searched_on(client, section, hidden, charlie):
    record, name = hidden
    response = login(client, charlie).get(section.url("list"), {"sort": name, "q": MARKER})

    assert response.context["sort"] != name
    if name in section.search_fields:
        assert list(response.context["rows"]) == []
        assert not login(client, charlie).get(reverse("search"), {"q": MARKER}).context["hits"]


@pytest.mark.parametrize("access", [ColumnRight.Access.HIDDEN, ColumnRight.Access.READ])
def test_a_crafted_post_does_not_write_a_hidden_or_read_only_column(client, section, team, alice, charlie, access):
    from tests.factories.registry import make_record

    record = make_record(section, alice)
    name = text_field(section, section.form_fields)
    ColumnRight.objects.create(section=section.name, field_name=name, role=team.all_employees, access=access)
    before = getattr(record, name)
    # everything the owner's form holds, the protected column included, posted by charlie (who may edit)
    data = form_data(section, alice, record) | {name: "crafted value"}

    login(client, charlie).post(section.url("update", record.pk), data)

    assert getattr(reload(record), name) == before


def test_a_crafted_post_does_not_change_a_read_only_owner(client, section, team, alice, charlie):
    from tests.factories.registry import make_record

    if "owner" not in section.form_fields:
        pytest.skip("the section's form has no owner")
    record = make_record(section, alice)
    ColumnRight.objects.create(section=section.name, field_name="owner", role=team.all_employees, access=1)
    data = form_data(section, alice, record) | {"owner": str(charlie.pk)}

    login(client, charlie).post(section.url("update", record.pk), data)
    login(client, charlie).post(
        section.url("bulk"), {"ids": [record.pk], "action": "change_owner", "owner": charlie.pk}
    )

    assert reload(record).owner_id == alice.pk


def test_a_crafted_create_cannot_give_the_record_to_someone_else(client, section, team, alice, bob, charlie):
    from tests.factories.registry import make_record

    if "owner" not in section.form_fields:
        pytest.skip("the section's form has no owner")
    template = make_record(section, alice)
    ColumnRight.objects.create(section=section.name, field_name="owner", role=team.all_employees, access=1)
    data = form_data(section, alice, template) | {"owner": str(bob.pk)}
    for name in data:
        field = section.get_field(name) if name != "version" else None  # None too for a form's own (tags)
        if field is not None and field.unique and is_text(field):
            data[name] = f"{data[name]}-2"[: field.max_length or 1000]
    model = section.model

    response = login(client, charlie).post(section.url("create"), data)

    created = model._default_manager.exclude(pk=template.pk).filter(created_by=charlie).first()
    assert created is not None, response.context and response.context["form"].errors
    assert created.owner_id == charlie.pk
    assert not model._default_manager.filter(created_by=charlie, owner=bob).exists()


def test_the_services_refuse_a_protected_column_whatever_the_caller(section, team, alice, charlie):
    from django.core.exceptions import PermissionDenied

    from crm.sections import services
    from tests.factories.registry import make_record

    record = make_record(section, alice)
    name = text_field(section, section.form_fields)
    ColumnRight.objects.create(section=section.name, field_name=name, role=team.all_employees, access=1)

    with pytest.raises(PermissionDenied):
        services.update_record(
            section=registry.get(section.name),
            user=charlie,
            obj=record,
            data={name: "through the service"},
            expected_version=record.version,
        )
    assert getattr(reload(record), name) != "through the service"


def test_the_create_service_refuses_to_give_a_record_away_past_a_read_only_owner(section, team, bob, charlie):
    from django.core.exceptions import PermissionDenied

    from crm.sections import services

    ColumnRight.objects.create(section=section.name, field_name="owner", role=team.all_employees, access=1)
    count = section.model._default_manager.count()

    with pytest.raises(PermissionDenied):
        services.create_record(section=section, user=charlie, data={"owner": bob})
    assert section.model._default_manager.count() == count
