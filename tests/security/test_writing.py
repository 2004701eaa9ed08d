"""Who may read but not edit (or edit but not delete) a record changes nothing on any path: the edit form, delete,
bulk delete and change of owner, notes and attachments. Who may, does (the control)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from crm.sections.models import Attachment, Note

from .conftest import form_data, reload, text_field


def login(client, user):
    client.force_login(user)
    return client


def post_edit(client, scene, user, value: str):
    """The edit form posted back with one text field changed."""
    name = text_field(scene.section, scene.section.form_fields)
    data = form_data(scene.section, user, scene.record)
    data[name] = value
    return name, login(client, user).post(scene.section.url("update", scene.record.pk), data)


def test_who_may_not_edit_changes_nothing_through_the_form(client, scene):
    current = scene(charlie_may={"read"})

    assert login(client, current.refused).get(current.section.url("update", current.record.pk)).status_code == 404
    # charlie posts what the owner's form would post: his own form is never shown to him
    name = text_field(current.section, current.section.form_fields)
    data = form_data(current.section, current.owner, current.record) | {name: "changed by charlie"}
    response = login(client, current.refused).post(current.section.url("update", current.record.pk), data)

    assert response.status_code == 404
    assert getattr(reload(current.record), name) != "changed by charlie"
    name, response = post_edit(client, current, current.permitted, "changed by bob")
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert getattr(reload(current.record), name) == "changed by bob"


def test_who_may_not_edit_cannot_change_the_owner_in_bulk(client, scene, charlie, bob):
    current = scene(charlie_may={"read"})
    bulk = current.section.url("bulk")

    login(client, current.refused).post(
        bulk, {"ids": [current.record.pk], "action": "change_owner", "owner": charlie.pk}
    )

    assert reload(current.record).owner_id == current.owner.pk
    login(client, current.permitted).post(bulk, {"ids": [current.record.pk], "action": "change_owner", "owner": bob.pk})
    assert reload(current.record).owner_id == bob.pk


def test_who_may_not_edit_adds_no_note_and_no_attachment(client, scene):
    current = scene(charlie_may={"read"})
    refused = login(client, current.refused)

    refused.post(current.section.url("note_create", current.record.pk), {"text": "charlie was here"})
    refused.post(current.section.url("attachment_create", current.record.pk), {"url": "https://example.com/x"})

    content_type = ContentType.objects.get_for_model(current.record)
    assert not Note.objects.filter(content_type=content_type, object_id=current.record.pk).exists()
    assert not Attachment.objects.filter(content_type=content_type, object_id=current.record.pk).exists()
    login(client, current.permitted).post(current.section.url("note_create", current.record.pk), {"text": "bob"})
    assert Note.objects.filter(content_type=content_type, object_id=current.record.pk).count() == 1


def test_who_may_not_delete_deletes_nothing(client, scene):
    current = scene(charlie_may={"read", "edit"})
    url = current.section.url("delete", current.record.pk)
    refused = login(client, current.refused)

    assert refused.get(url).status_code == 404
    assert refused.post(url).status_code == 404
    refused.post(current.section.url("bulk"), {"ids": [current.record.pk], "action": "delete"})

    assert reload(current.record) is not None
    login(client, current.permitted).post(url)
    assert reload(current.record) is None


def test_who_may_not_edit_cannot_open_or_post_a_detail_editor(client, scene):
    current = scene(charlie_may={"read"})
    details = [detail for tab in current.section.detail_tabs for detail in tab.details]
    refused = login(client, current.refused)

    for detail in details:
        url = current.section.url("detail_row_create", current.record.pk, detail.name)
        assert refused.get(url).status_code == 404
        assert refused.post(url, {}).status_code == 404
    permitted = login(client, current.permitted)
    for detail in details:
        expected = 404 if detail.read_only else 200  # a read-only detail (a stage history) has no editor at all
        assert (
            permitted.get(current.section.url("detail_row_create", current.record.pk, detail.name)).status_code
            == expected
        )


def test_who_may_not_create_creates_nothing(client, section, team, alice, bob, charlie):
    """Object rights only: record rights do not govern creating."""
    from crm.access.models import ObjectRight
    from tests.factories.registry import make_record

    from .conftest import is_text

    template = make_record(section, alice)
    ObjectRight.objects.create(section=section.name, role=team.all_employees, can_read=True)
    ObjectRight.objects.create(
        section=section.name, role=team.sales, can_read=True, can_create=True, can_edit=True, can_delete=True
    )
    data = form_data(section, alice, template)
    for name in list(data):
        field = section.get_field(name) if name != "version" else None
        if field is not None and field.unique and is_text(field):
            data[name] = f"{data[name]}-2"[: field.max_length or 1000]
    count = section.model._default_manager.count()
    refused = login(client, charlie)

    assert refused.get(section.url("create")).status_code == 404
    assert refused.post(section.url("create"), data).status_code == 404
    assert section.model._default_manager.count() == count
    response = login(client, bob).post(section.url("create"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert section.model._default_manager.count() == count + 1
