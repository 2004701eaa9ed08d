"""Tags on every registered section: a private tag never shows to another user (list, filter, badges, record
page, form, export, global search, the tag screen), a request naming another user's private tag changes nothing,
and who may not read a record can neither tag it nor learn of it by filtering on a tag."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from crm.sections import tags
from crm.sections.models import Tag, TaggedRecord
from tests.factories.registry import make_record

from .conftest import form_data, reload

SECRET = "Zq secret label"


@pytest.fixture
def secret_tag(section, alice):
    """alice's private tag of the section, on a record of hers that everyone may read."""
    record = make_record(section, alice)
    tag = tags.create_tag(user=alice, section=section, name=SECRET)
    tags.set_tags(user=alice, section=section, obj=record, tags=[tag])
    return record, tag


def pages_bob_sees(client, section, record, tag) -> dict[str, str]:
    export = client.get(section.url("export"), {"format": "csv"})
    return {
        "list": client.get(section.url("list")).content.decode(),
        "list filtered by the tag": client.get(section.url("list"), {"tags": tag.pk}).content.decode(),
        "record page": client.get(section.url("detail", record.pk)).content.decode(),
        "record's tags": client.get(section.url("record_tags", record.pk)).content.decode(),
        "form": client.get(section.url("update", record.pk)).content.decode(),
        "tag screen": client.get(section.url("tags")).content.decode(),
        "export": b"".join(export.streaming_content).decode("utf-8-sig"),
    }


def test_a_private_tag_shows_to_its_author_and_to_nobody_else(client, section, alice, bob, secret_tag):
    record, tag = secret_tag
    client.force_login(alice)
    shown_to_alice = pages_bob_sees(client, section, record, tag)
    client.force_login(bob)
    shown_to_bob = pages_bob_sees(client, section, record, tag)

    # the control: alice sees it everywhere (the global search is tested below: its page repeats the words asked)
    assert [page for page, html in shown_to_alice.items() if SECRET not in html] == []
    assert [page for page, html in shown_to_bob.items() if SECRET in html] == []
    assert list(client.get(section.url("list"), {"tags": tag.pk}).context["rows"]) == []


def test_the_global_search_finds_a_record_by_its_private_tag_for_its_author_only(client, section, alice, bob):
    record = make_record(section, alice)
    tags.tag_record(user=alice, section=section, obj=record, names="Zqtagonly")

    def found(user) -> bool:
        client.force_login(user)
        hits = client.get(reverse("search"), {"q": "Zqtagonly"}).context["hits"]
        return any(hit.section == section and hit.obj.pk == record.pk for hit in hits)

    assert (found(alice), found(bob)) == (True, False)


def test_another_users_private_tag_in_a_crafted_request_changes_nothing(client, section, alice, bob, secret_tag):
    record, tag = secret_tag
    mine = make_record(section, bob)
    client.force_login(bob)

    client.post(section.url("record_tags", mine.pk), {"action": "remove", "tag": tag.pk})
    client.post(section.url("record_tags", record.pk), {"action": "remove", "tag": tag.pk})
    client.post(section.url("bulk"), {"ids": [mine.pk], "action": "add_tags", "tag_ids": [tag.pk]})
    client.post(section.url("tag", tag.pk), {"action": "change", "name": "Taken over"})
    client.post(section.url("tag", tag.pk), {"action": "delete"})

    assert list(TaggedRecord.objects.values_list("tag_id", "object_id")) == [(tag.pk, record.pk)]
    assert Tag.objects.get(pk=tag.pk).name == SECRET


def test_the_form_refuses_another_users_private_tag_and_saves_nothing(client, section, alice, bob, secret_tag):
    _, tag = secret_tag
    mine = make_record(section, bob)
    own = tags.create_tag(user=bob, section=section, name="Bob's own")
    client.force_login(bob)
    data = form_data(section, bob, mine)

    refused = client.post(section.url("update", mine.pk), {**data, "tags": [tag.pk]})
    saved = client.post(section.url("update", mine.pk), {**data, "tags": [own.pk]})

    assert refused.status_code == 422
    assert saved.status_code == 302  # the control: the same post with a tag of bob's own is saved
    assert [t.name for t in tags.tags_of(bob, section, reload(mine))] == ["Bob's own"]
    assert not tag.records.filter(object_id=mine.pk).exists()


def test_who_may_not_read_a_record_cannot_tag_it_nor_find_it_by_a_tag(client, scene, section, alice, bob, charlie):
    setting = scene()  # charlie may not read alice's record
    record = setting.record
    shared = tags.create_tag(user=alice, section=section, name="Zq shared")
    tags.add_tags(user=alice, section=section, ids=[record.pk], tags=[shared])
    Tag.objects.filter(pk=shared.pk).update(author=None)  # corporate now: charlie sees the tag itself
    own = Tag.objects.create(section=section.name, name="Charlie's", author=charlie)
    client.force_login(charlie)

    tagging = client.post(section.url("record_tags", record.pk), {"action": "add", "names": "Charlie's"})
    client.post(section.url("bulk"), {"ids": [record.pk], "action": "add_tags", "tag_ids": [own.pk]})
    filtered = client.get(section.url("list"), {"tags": shared.pk})

    assert tagging.status_code == 404
    assert not own.records.exists()
    if filtered.status_code == 200:
        assert list(filtered.context["rows"]) == []
        assert filtered.context["count"] == 0


def test_a_corporate_tag_on_a_record_needs_the_right_to_edit_it(client, scene, section, alice, charlie):
    setting = scene(charlie_may={"read"})
    record = setting.record
    corporate = Tag.objects.create(section=section.name, name="Zq corporate", author=None)
    private = tags.create_tag(user=charlie, section=section, name="Charlie's")
    client.force_login(charlie)

    client.post(section.url("bulk"), {"ids": [record.pk], "action": "add_tags", "tag_ids": [corporate.pk]})
    client.post(section.url("bulk"), {"ids": [record.pk], "action": "add_tags", "tag_ids": [private.pk]})

    assert not corporate.records.exists()
    assert private.records.filter(object_id=record.pk).exists()  # the control: a label of his own he may put


def test_an_export_writes_only_the_tags_the_exporter_sees(client, section, alice, bob, secret_tag):
    record, _ = secret_tag
    tags.tag_record(user=bob, section=section, obj=record, names="Bobs view")
    client.force_login(bob)

    response = client.get(section.url("export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert rows[0][-1] == "Tags"
    assert [row[-1] for row in rows[1:]] == ["Bobs view"]
