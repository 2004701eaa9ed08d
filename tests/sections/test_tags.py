"""Tags on every section: private and corporate tags, the record page, the form, the list's filter, badges and
bulk bar, the management screen, the change log, merging, the global search and bad input."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.duplicates.merge import merge_records
from crm.sections import registry, search, tags
from crm.sections.models import ChangeLogEntry, Tag, TaggedRecord
from crm.sections.services import delete_record
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts():
    return registry.get("contacts")


def private(user, section, name, **extra):
    return tags.create_tag(user=user, section=section, name=name, **extra)


def corporate(user, section, name, **extra):
    return tags.create_tag(user=user, section=section, name=name, corporate=True, **extra)


def names(found) -> list[str]:
    return [tag.name for tag in found]


# --- the tags themselves ---------------------------------------------------------------------------------------


def test_a_private_tag_is_seen_by_its_author_alone_and_a_corporate_one_by_everyone(alice, tag_manager, contacts):
    private(alice, contacts, "Golf partner")
    corporate(tag_manager, contacts, "VIP")

    assert names(tags.visible_tags(alice, contacts)) == ["Golf partner", "VIP"]
    assert names(tags.visible_tags(tag_manager, contacts)) == ["VIP"]


def test_tags_belong_to_their_section(alice, contacts):
    private(alice, contacts, "Golf partner")

    assert names(tags.visible_tags(alice, registry.get("accounts"))) == []


def test_creating_a_corporate_tag_needs_the_right(alice, contacts):
    with pytest.raises(PermissionDenied, match="Corporate tag management"):
        corporate(alice, contacts, "VIP")

    assert not Tag.objects.exists()


def test_renaming_or_deleting_a_corporate_tag_needs_the_right(alice, tag_manager, contacts):
    vip = corporate(tag_manager, contacts, "VIP")

    with pytest.raises(PermissionDenied):
        tags.rename_tag(user=alice, tag=vip, name="Very important")
    with pytest.raises(PermissionDenied):
        tags.delete_tag(user=alice, tag=vip)
    tags.rename_tag(user=tag_manager, tag=vip, name="Very important", colour=Tag.Colour.RED)

    vip.refresh_from_db()
    assert (vip.name, vip.colour) == ("Very important", "red")


def test_a_private_tag_is_managed_by_its_author_only(alice, bob, contacts):
    golf = private(alice, contacts, "Golf partner")

    with pytest.raises(PermissionDenied):
        tags.delete_tag(user=bob, tag=golf)
    tags.delete_tag(user=alice, tag=golf)

    assert not Tag.objects.exists()


def test_a_name_is_taken_once_per_kind_whatever_its_case(alice, bob, contacts):
    private(alice, contacts, "Golf partner")

    with pytest.raises(ValidationError, match="already"):
        private(alice, contacts, "GOLF  partner")
    private(bob, contacts, "Golf partner")  # bob's private tags are his own

    assert Tag.objects.count() == 2


def test_new_tags_take_the_reference_colours_green_private_and_blue_corporate(alice, tag_manager, contacts):
    assert private(alice, contacts, "Golf partner").colour == "green"
    assert corporate(tag_manager, contacts, "VIP").colour == "blue"


# --- bad names -------------------------------------------------------------------------------------------------


def test_a_name_of_ten_thousand_characters_is_refused_with_the_limit(alice, contacts):
    with pytest.raises(ValidationError, match="at most 40 characters; this one has 10,000"):
        private(alice, contacts, "x" * 10_000)

    assert not Tag.objects.exists()


@pytest.mark.parametrize(
    ("hostile", "kept"),
    [
        ("<script>alert(1)</script>VIP", "VIP"),
        ('<img src=x onerror="alert(1)">VIP', "VIP"),
        ("<b>VIP</b>", "VIP"),
        ("&lt;script&gt;VIP", "script VIP"),
        ("VIP\x00\u202e\u200b", "VIP"),
        ("  Hot \n\t lead ", "Hot lead"),
    ],
)
def test_markup_and_invisible_characters_are_taken_out_of_a_name(hostile, kept):
    assert tags.clean_name(hostile) == kept


@pytest.mark.parametrize("empty", ["", "   ", "<script>alert(1)</script>", "<p></p>"])
def test_a_name_that_is_nothing_once_cleaned_is_refused(empty):
    with pytest.raises(ValidationError, match="name"):
        tags.clean_name(empty)


def test_a_comma_is_refused_in_a_name_since_it_separates_tags():
    with pytest.raises(ValidationError, match="comma"):
        tags.clean_name("Smith, John")


# --- resolving names -------------------------------------------------------------------------------------------


def test_names_resolve_to_the_corporate_tag_before_the_private_one(alice, tag_manager, contacts):
    private(alice, contacts, "VIP")
    vip = corporate(tag_manager, contacts, "VIP")

    resolved = tags.resolve_tags(user=alice, section=contacts, names=["vip"])

    assert resolved.tags == [vip]


def test_unknown_names_are_refused_or_created_as_private_tags(alice, contacts):
    refused = tags.resolve_tags(user=alice, section=contacts, names=["New one"])
    created = tags.resolve_tags(user=alice, section=contacts, names=["New one", "x" * 41], create=True)

    assert (refused.tags, refused.refused) == ([], ["There is no tag “New one”."])
    assert [(t.name, t.author) for t in created.tags] == [("New one", alice)]
    assert "at most 40 characters" in created.refused[0]


def test_a_name_of_another_users_private_tag_resolves_to_a_tag_of_ones_own(alice, bob, contacts):
    theirs = private(bob, contacts, "Secret")

    resolved = tags.resolve_tags(user=alice, section=contacts, names=["Secret"], create=True)

    assert resolved.tags[0] != theirs
    assert resolved.tags[0].author == alice


# --- tagging records -------------------------------------------------------------------------------------------


def test_set_tags_gives_the_record_exactly_the_tags_and_leaves_other_users_private_ones(alice, bob, contacts):
    contact = ContactFactory(owner=alice)
    golf, hot = private(alice, contacts, "Golf partner"), private(alice, contacts, "Hot")
    bobs = private(bob, contacts, "Bob's")
    tags.set_tags(user=bob, section=contacts, obj=contact, tags=[bobs])

    tags.set_tags(user=alice, section=contacts, obj=contact, tags=[golf, hot])
    tags.set_tags(user=alice, section=contacts, obj=contact, tags=[hot])

    assert names(tags.tags_of(alice, contacts, contact)) == ["Hot"]
    assert names(tags.tags_of(bob, contacts, contact)) == ["Bob's"]


def test_another_users_private_tag_is_refused_and_nothing_is_written(alice, bob, contacts):
    contact = ContactFactory(owner=alice)
    secret = private(bob, contacts, "Secret")

    with pytest.raises(PermissionDenied, match="no such tag"):
        tags.set_tags(user=alice, section=contacts, obj=contact, tags=[secret])
    with pytest.raises(PermissionDenied):
        tags.add_tags(user=alice, section=contacts, ids=[contact.pk], tags=[secret])

    assert not TaggedRecord.objects.exists()


def test_a_tag_of_another_section_is_refused(alice, contacts):
    contact = ContactFactory(owner=alice)
    account_tag = private(alice, registry.get("accounts"), "Partner")

    with pytest.raises(PermissionDenied):
        tags.set_tags(user=alice, section=contacts, obj=contact, tags=[account_tag])


def test_only_corporate_tag_changes_are_written_to_the_change_log(alice, tag_manager, contacts):
    contact = ContactFactory(owner=alice)
    vip = corporate(tag_manager, contacts, "VIP")
    golf = private(alice, contacts, "Golf partner")

    tags.set_tags(user=alice, section=contacts, obj=contact, tags=[golf])
    tags.set_tags(user=alice, section=contacts, obj=contact, tags=[golf, vip])

    entries = ChangeLogEntry.objects.for_record(contact)
    assert [entry.changes for entry in entries] == [[{"field": "tags", "label": "Tags", "old": "", "new": "VIP"}]]


def test_bulk_adding_and_removing_tags_changes_only_what_the_user_may_see(alice, bob, record_rights, contacts):
    record_rights("contacts")
    mine = ContactFactory.create_batch(3, owner=alice)
    hidden = ContactFactory(owner=bob)
    golf = private(alice, contacts, "Golf partner")
    ids = [c.pk for c in mine] + [hidden.pk]

    added = tags.add_tags(user=alice, section=contacts, ids=ids, tags=[golf])
    again = tags.add_tags(user=alice, section=contacts, ids=ids, tags=[golf])
    removed = tags.remove_tags(user=alice, section=contacts, ids=[mine[0].pk], tags=[golf])

    assert (added.done, added.refused) == (3, 1)
    assert again.done == 0
    assert removed.done == 1
    assert sorted(TaggedRecord.objects.values_list("object_id", flat=True)) == sorted(c.pk for c in mine[1:])


def test_a_corporate_tag_needs_the_right_to_edit_the_record_a_private_one_only_to_read_it(
    alice, bob, tag_manager, contacts, role_tree
):
    from crm.access.models import ObjectRight

    contact = ContactFactory(owner=bob)
    ObjectRight.objects.create(
        section="contacts", role=role_tree.all_employees, can_read=True, can_create=False, can_edit=False
    )
    vip = corporate(tag_manager, contacts, "VIP")
    golf = private(alice, contacts, "Golf partner")

    refused = tags.add_tags(user=alice, section=contacts, ids=[contact.pk], tags=[vip])
    tagged = tags.add_tags(user=alice, section=contacts, ids=[contact.pk], tags=[golf])

    assert (refused.done, refused.refused) == (0, 1)
    assert "may not edit" in refused.reasons[0]
    assert tagged.done == 1


def test_filter_by_tags_any_or_all(alice, contacts):
    both, golf_only, none = ContactFactory.create_batch(3, owner=alice)
    golf, hot = private(alice, contacts, "Golf partner"), private(alice, contacts, "Hot")
    tags.add_tags(user=alice, section=contacts, ids=[both.pk, golf_only.pk], tags=[golf])
    tags.add_tags(user=alice, section=contacts, ids=[both.pk], tags=[hot])
    records = contacts.model.objects.all()

    def chosen(mode):
        found = tags.filter_by_tags(records, user=alice, section=contacts, tag_ids=[golf.pk, hot.pk], mode=mode)
        return set(found)

    assert chosen("any") == {both, golf_only}
    assert chosen("all") == {both}


@pytest.fixture(params=["sparse", "dense"])
def tag_density(request, monkeypatch):
    """Both forms of the tag filter (crm.sections.tags.TagFilter.apply): "dense" as if every tag had many records."""
    if request.param == "dense":
        monkeypatch.setattr(tags, "SPARSE", 0)
    return request.param


@pytest.mark.parametrize("mode", ["any", "all"])
@pytest.mark.parametrize("counting", [False, True])
def test_every_form_of_the_tag_filter_selects_the_same_records(alice, contacts, tag_density, mode, counting):
    people = ContactFactory.create_batch(6, owner=alice)
    golf, hot, fair = (private(alice, contacts, name) for name in ("Golf partner", "Hot", "Fair"))
    tags.add_tags(user=alice, section=contacts, ids=[p.pk for p in people[:4]], tags=[golf])
    tags.add_tags(user=alice, section=contacts, ids=[p.pk for p in people[1:5]], tags=[hot])
    tags.add_tags(user=alice, section=contacts, ids=[p.pk for p in people[2:]], tags=[fair])
    chosen = tags.tag_filter(user=alice, section=contacts, tag_ids=[golf.pk, hot.pk, fair.pk], mode=mode)

    found = set(chosen.apply(contacts.model.objects.all(), counting=counting))

    assert chosen.sparse is (tag_density == "sparse")
    assert found == (set(people) if mode == "any" else {people[2], people[3]})


def test_the_list_counts_the_records_with_all_the_tags_that_the_user_may_see(
    alice, bob, client, contacts, only_owners_read_records, tag_density
):
    hers, his = ContactFactory.create_batch(3, owner=alice), ContactFactory.create_batch(2, owner=bob)
    vip = corporate(_tag_manager(), contacts, "VIP")
    partner = corporate(_tag_manager(), contacts, "Partner")
    TaggedRecord.objects.bulk_create(
        [TaggedRecord(tag=tag, object_id=c.pk) for c in [*hers[:2], *his] for tag in (vip, partner)]
        + [TaggedRecord(tag=vip, object_id=hers[2].pk)]
    )
    client.force_login(alice)

    response = client.get(reverse("contacts:list"), {"tags": [vip.pk, partner.pk], "tags_mode": "all"})

    assert sorted(r.pk for r in response.context["rows"]) == sorted(c.pk for c in hers[:2])
    assert (response.context["count"], response.context["count_more"]) == (2, False)


def _tag_manager():
    """A superuser: corporate tags made without the fixtures of roles."""
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True)


@pytest.mark.parametrize("size", [25, 100])
def test_a_list_filtered_by_tags_runs_as_many_queries_whatever_the_page_size(alice, contacts, size, client):
    people = ContactFactory.create_batch(size + 5, owner=alice)
    golf, hot = private(alice, contacts, "Golf partner"), private(alice, contacts, "Hot")
    TaggedRecord.objects.bulk_create([TaggedRecord(tag=t, object_id=p.pk) for p in people for t in (golf, hot)])
    client.force_login(alice)
    url = reverse("contacts:list")
    params = {"tags": [golf.pk, hot.pk], "tags_mode": "all", "per_page": size}
    client.get(url, params)  # the query string remembered once
    plain = {"per_page": size}
    client.get(url, plain)

    with CaptureQueriesContext(connection) as unfiltered:
        client.get(url, plain)
    client.get(url, params)
    with CaptureQueriesContext(connection) as filtered:
        response = client.get(url, params)

    assert len(response.context["rows"]) == size
    # the tags the user sees among those chosen: one query more, at any size (whether their records are few was
    # counted by the first request, and is kept in the cache)
    assert len(filtered) == len(unfiltered) + 1


def test_on_postgresql_a_count_of_all_tags_reads_the_tagged_ids_first_and_the_page_walks_its_order(
    alice, contacts, client, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("the array form is PostgreSQL's; elsewhere the ids are a plain IN")
    monkeypatch.setattr(tags, "SPARSE", 0)  # as if both tags were on many records
    people = ContactFactory.create_batch(3, owner=alice)
    golf, hot = private(alice, contacts, "Golf partner"), private(alice, contacts, "Hot")
    TaggedRecord.objects.bulk_create([TaggedRecord(tag=t, object_id=p.pk) for p in people for t in (golf, hot)])
    client.force_login(alice)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("contacts:list"), {"tags": [golf.pk, hot.pk], "tags_mode": "all"})

    on_contacts = [q["sql"] for q in queries if 'FROM "contacts_contact"' in q["sql"]]
    counts = [sql for sql in on_contacts if sql.startswith("SELECT COUNT(*)")]
    pages = [sql for sql in on_contacts if "ORDER BY" in sql]
    tagged_array = re.compile(r'= ANY\(ARRAY\(SELECT [^()]* FROM "sections_taggedrecord"')
    assert len(response.context["rows"]) == 3
    assert counts and all(tagged_array.search(sql) for sql in counts)
    assert pages and not any(tagged_array.search(sql) for sql in pages)


def test_another_users_private_tag_filters_nothing_in(alice, bob, contacts):
    contact = ContactFactory(owner=alice)
    secret = private(bob, contacts, "Secret")
    tags.set_tags(user=bob, section=contacts, obj=contact, tags=[secret])
    records = contacts.model.objects.all()

    assert not tags.filter_by_tags(records, user=alice, section=contacts, tag_ids=[secret.pk]).exists()
    assert not tags.filter_by_tags(records, user=alice, section=contacts, tag_ids=[secret.pk], mode="all").exists()


def test_tags_by_record_reads_a_page_in_one_query(alice, contacts, django_assert_num_queries):
    records = ContactFactory.create_batch(30, owner=alice)
    golf = private(alice, contacts, "Golf partner")
    tags.add_tags(user=alice, section=contacts, ids=[c.pk for c in records[:10]], tags=[golf])

    with django_assert_num_queries(1):
        page = tags.page_tags(alice, contacts, [c.pk for c in records])

    assert names(page.tags) == ["Golf partner"]
    assert sorted(page.by_record) == sorted(c.pk for c in records[:10])


def test_deleting_a_record_takes_its_tags_off(alice, contacts):
    contact = ContactFactory(owner=alice)
    tags.tag_record(user=alice, section=contacts, obj=contact, names="Golf partner")

    delete_record(user=alice, obj=contact)

    assert not TaggedRecord.objects.exists()


def test_a_merge_unites_the_tags_and_logs_the_corporate_ones(alice, tag_manager, contacts, ada):
    survivor, other = ContactFactory(owner=alice, surname="Lee"), ContactFactory(owner=alice, surname="Lee")
    vip = corporate(tag_manager, contacts, "VIP")
    partner = corporate(tag_manager, contacts, "Partner")
    golf = private(alice, contacts, "Golf partner")
    tags.set_tags(user=alice, section=contacts, obj=survivor, tags=[partner])
    tags.set_tags(user=alice, section=contacts, obj=other, tags=[vip, golf, partner])

    merge_records(section=contacts, user=ada, survivor=survivor, others=[other])

    assert names(tags.tags_of(alice, contacts, survivor)) == ["Golf partner", "Partner", "VIP"]
    merge_entry = ChangeLogEntry.objects.for_record(survivor).filter(action="merge").get()
    assert {"field": "tags", "label": "Tags", "old": "Partner", "new": "Partner, VIP"} in merge_entry.changes


def test_the_global_search_finds_a_record_by_its_tag_and_never_by_another_users(alice, bob, contacts):
    tagged = ContactFactory(owner=alice, given_name="Ann", surname="Lee")
    tags.tag_record(user=alice, section=contacts, obj=tagged, names="Golfpartner")

    assert [hit.obj for hit in search.search(alice, "golfpartner")] == [tagged]
    assert search.search(bob, "golfpartner") == []


# --- the pages -------------------------------------------------------------------------------------------------


def test_the_list_filters_by_a_tag_and_shows_badges(alice_client, alice, contacts):
    tagged, untagged = ContactFactory(owner=alice, surname="Tagged"), ContactFactory(owner=alice, surname="Plain")
    golf = private(alice, contacts, "Golf partner")
    tags.set_tags(user=alice, section=contacts, obj=tagged, tags=[golf])

    response = alice_client.get(reverse("contacts:list"), {"tags": golf.pk})

    assert list(response.context["rows"]) == [tagged]
    assert f'data-tag="{golf.pk}"' in response.content.decode()
    assert untagged not in response.context["rows"]


def test_another_users_private_tag_shows_nowhere_on_the_list(alice, bob, client, contacts):
    contact = ContactFactory(owner=alice)
    secret = private(alice, contacts, "Alices secret")
    tags.set_tags(user=alice, section=contacts, obj=contact, tags=[secret])
    client.force_login(bob)

    page = client.get(reverse("contacts:list")).content.decode()
    filtered = client.get(reverse("contacts:list"), {"tags": secret.pk})

    assert "Alices secret" not in page
    assert list(filtered.context["rows"]) == []
    assert "Alices secret" not in filtered.content.decode()


def test_the_bulk_bar_tags_the_selection_creating_a_private_tag(alice_client, alice, contacts):
    chosen = ContactFactory.create_batch(2, owner=alice)

    response = alice_client.post(
        reverse("contacts:bulk"), {"ids": [c.pk for c in chosen], "action": "add_tags", "tag_names": "Fair 2026"}
    )

    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.author) == ("Fair 2026", alice)
    assert set(TaggedRecord.objects.values_list("object_id", flat=True)) == {c.pk for c in chosen}


def test_the_bulk_bar_refuses_another_users_private_tag_by_id(alice_client, alice, bob, contacts):
    contact = ContactFactory(owner=alice)
    secret = private(bob, contacts, "Secret")

    alice_client.post(reverse("contacts:bulk"), {"ids": [contact.pk], "action": "add_tags", "tag_ids": [secret.pk]})

    assert not TaggedRecord.objects.exists()


def test_the_record_page_adds_and_removes_tags_in_place(alice_client, alice, contacts):
    contact = ContactFactory(owner=alice)
    url = reverse("contacts:record_tags", args=[contact.pk])

    added = alice_client.post(url, {"action": "add", "names": "Golf partner, Hot"}, HTTP_HX_REQUEST="true")
    hot = Tag.objects.get(name="Hot")
    removed = alice_client.post(url, {"action": "remove", "tag": hot.pk}, HTTP_HX_REQUEST="true")

    assert 'id="record-tags"' in added.content.decode() and "Hot" in added.content.decode()
    assert names(tags.tags_of(alice, contacts, contact)) == ["Golf partner"]
    assert "Hot" not in removed.content.decode().split('id="record-tag-choices"')[0]
    detail = alice_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "Golf partner" in detail


def test_the_record_page_says_why_a_name_is_refused(alice_client, alice):
    contact = ContactFactory(owner=alice)

    response = alice_client.post(
        reverse("contacts:record_tags", args=[contact.pk]),
        {"action": "add", "names": "y" * 10_000},
        HTTP_HX_REQUEST="true",
    )

    assert "at most 40 characters" in response.content.decode()
    assert not Tag.objects.exists()


def test_the_record_page_refuses_removing_another_users_private_tag(alice, bob, client, contacts):
    contact = ContactFactory(owner=alice)
    secret = private(alice, contacts, "Secret")
    tags.set_tags(user=alice, section=contacts, obj=contact, tags=[secret])
    client.force_login(bob)

    client.post(reverse("contacts:record_tags", args=[contact.pk]), {"action": "remove", "tag": secret.pk})

    assert names(tags.tags_of(alice, contacts, contact)) == ["Secret"]


def test_a_form_with_no_tags_to_tick_says_where_to_type_one(alice_client, alice, bob, contacts):
    # bob's private tag is not alice's to tick: her form has none
    private(bob, contacts, "Bob's own")
    hint = "None in this section yet"
    assert hint in alice_client.get(reverse("contacts:create")).content.decode()
    private(alice, contacts, "Golf partner")
    assert hint not in alice_client.get(reverse("contacts:create")).content.decode()


def test_the_form_saves_ticked_and_typed_tags_with_the_record(alice_client, alice, contacts):
    golf = private(alice, contacts, "Golf partner")
    account = AccountFactory(owner=alice)

    response = alice_client.post(
        reverse("contacts:create"),
        {
            "given_name": "Ann",
            "surname": "Lee",
            "account": account.pk,
            "owner": alice.pk,
            "tags": [golf.pk],
            "new_tags": "Fair 2026",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    contact = contacts.model.objects.get(surname="Lee")
    assert names(tags.tags_of(alice, contacts, contact)) == ["Fair 2026", "Golf partner"]


def test_the_form_refuses_another_users_private_tag_and_saves_nothing(alice_client, alice, bob, contacts):
    secret = private(bob, contacts, "Secret")

    response = alice_client.post(
        reverse("contacts:create"), {"given_name": "Ann", "surname": "Lee", "owner": alice.pk, "tags": [secret.pk]}
    )

    assert response.status_code == 422
    assert not contacts.model.objects.filter(surname="Lee").exists()


def test_the_form_refuses_a_new_tag_of_ten_thousand_characters_and_saves_nothing(alice_client, alice, contacts):
    response = alice_client.post(
        reverse("contacts:create"), {"given_name": "Ann", "surname": "Lee", "owner": alice.pk, "new_tags": "z" * 10_000}
    )

    assert response.status_code == 422
    assert not contacts.model.objects.filter(surname="Lee").exists()
    assert not Tag.objects.exists()


def test_the_management_screen_creates_renames_and_deletes(alice_client, alice, contacts):
    url = reverse("contacts:tags")

    alice_client.post(url, {"name": "Golf partner", "colour": "purple", "kind": "private"})
    tag = Tag.objects.get()
    alice_client.post(reverse("contacts:tag", args=[tag.pk]), {"action": "change", "name": "Golf", "colour": "red"})
    page = alice_client.get(url).content.decode()
    tag.refresh_from_db()

    assert (tag.name, tag.colour, tag.author) == ("Golf", "red", alice)
    assert "tag-red" in page
    alice_client.post(reverse("contacts:tag", args=[tag.pk]), {"action": "delete"})
    assert not Tag.objects.exists()


def test_the_management_screen_refuses_a_corporate_tag_without_the_right(alice_client):
    response = alice_client.post(reverse("contacts:tags"), {"name": "VIP", "kind": "corporate"})

    assert response.status_code == 422
    assert "Corporate tag management" in response.content.decode()
    assert not Tag.objects.exists()


def test_the_management_screen_does_not_find_another_users_private_tag(alice, bob, client, contacts):
    secret = private(alice, contacts, "Secret")
    client.force_login(bob)

    response = client.post(reverse("contacts:tag", args=[secret.pk]), {"action": "delete"})

    assert response.status_code == 404
    assert Tag.objects.filter(pk=secret.pk).exists()
    assert "Secret" not in client.get(reverse("contacts:tags")).content.decode()
