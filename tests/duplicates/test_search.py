"""The bulk search: groups with their score and rule, "not duplicates" remembered, the command, the review page
with its progress, and the task on a real Celery worker."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from contacts.models import Contact
from crm.duplicates import services
from crm.duplicates.models import DuplicateKey, DuplicateRule, DuplicateSearch, NotDuplicatePair

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_contact):
    """Ann twice (typo and reversed name, same phone written two ways), Bob three times by email, Cleo alone."""
    return {
        "ann": make_contact("Ann Lee", mobile_phone="+1 415 555 0100"),
        "ann_copy": make_contact("Lee Anne", business_phone="(415) 555-0100"),
        "bob": make_contact("Bob Stone", email="bob@example.com"),
        "bob_copy": make_contact("Robert Stone", email="BOB@example.com"),
        "bob_third": make_contact("B. Stone", email="bob@example.com "),
        "cleo": make_contact("Cleo Park", email="cleo@example.com", mobile_phone="+1 212 555 0101"),
    }


def search(section, user=None) -> DuplicateSearch:
    return services.run_search(DuplicateSearch.objects.create(section=section.name, started_by=user))


def test_the_search_groups_similar_records_with_the_score_and_the_rule(contacts_section, people):
    result = search(contacts_section)

    groups = {tuple(g.record_ids): g for g in result.groups.all()}
    ann = (people["ann"].pk, people["ann_copy"].pk)
    bob = (people["bob"].pk, people["bob_copy"].pk, people["bob_third"].pk)
    assert set(groups) == {ann, bob}
    assert groups[bob].score == 100.0 and "Email" in groups[bob].rule_name
    assert 85 <= groups[ann].score < 100 and groups[ann].rule_name == "Similar full name + phone"
    # a step per record read and one per active rule compared
    active_rules = DuplicateRule.objects.filter(section="contacts", is_active=True).count()
    assert (result.status, result.group_count, result.done, result.total) == ("done", 2, result.total, 6 + active_rules)


def test_the_search_rebuilds_the_key_index(contacts_section, people):
    DuplicateKey.objects.all().delete()

    search(contacts_section)

    assert DuplicateKey.objects.filter(object_id=people["cleo"].pk, key="any_email/email=cleo@example.com").exists()


def test_records_marked_not_duplicates_are_left_apart_by_later_searches(alice, contacts_section, people):
    first = search(contacts_section)
    bob_group = next(g for g in first.groups.all() if people["bob"].pk in g.record_ids)

    services.mark_not_duplicates(user=alice, section=contacts_section, ids=bob_group.record_ids)
    again = search(contacts_section)

    assert NotDuplicatePair.objects.count() == 3
    assert [g.record_ids for g in again.groups.all()] == [[people["ann"].pk, people["ann_copy"].pk]]


def test_the_review_page_shows_the_groups_and_not_duplicates_resolves_one(alice_client, contacts_section, people):
    search(contacts_section)
    url = reverse("duplicates:review", args=["contacts"])

    page = alice_client.get(url)
    groups = page.context["groups"]
    assert len(groups) == 2
    assert "Lee Anne" in page.content.decode()

    alice_client.post(reverse("duplicates:not_duplicates", args=["contacts", groups[0].group.pk]))

    assert len(alice_client.get(url).context["groups"]) == 1


def test_the_review_page_hides_records_the_user_may_not_see(
    client, bob, contacts_section, people, only_owners_read_records
):
    search(contacts_section)
    client.force_login(bob)

    page = client.get(reverse("duplicates:review", args=["contacts"]))

    assert page.context["groups"] == []
    assert "Lee Anne" not in page.content.decode()


def test_the_search_counts_shown_are_those_of_the_user(
    client, alice, bob, contacts_section, people, only_owners_read_records
):
    """alice's two groups are neither shown nor counted to bob: not in the progress box, not as the number of
    records the search went through, not in the notice of the search he started."""
    from crm.core.models import Notification

    done = search(contacts_section, user=bob)
    assert done.group_count == 2  # the search itself found them

    client.force_login(bob)
    body = client.get(reverse("duplicates:review", args=["contacts"])).content.decode()
    assert "· 0 groups to review" in body and "2 groups" not in body
    assert f"{done.total} steps" not in body and f"of {done.total}" not in body
    notice = Notification.objects.get(recipient=bob, kind="duplicates")
    assert notice.title == "Duplicate search of contacts done: 0 groups to review"

    client.force_login(alice)
    body = client.get(reverse("duplicates:review", args=["contacts"])).content.decode()
    assert "· 2 groups to review" in body


def test_the_duplicates_page_shows_each_section_with_what_the_user_may_review(
    client, alice, bob, contacts_section, people, only_owners_read_records
):
    search(contacts_section)

    client.force_login(alice)
    body = client.get(reverse("duplicates:index")).content.decode()
    assert 'data-groups="2"' in body and "2 to review" in body and "No search yet" in body  # accounts: none yet
    client.force_login(bob)  # alice's records: nothing for bob, not even a count
    body = client.get(reverse("duplicates:index")).content.decode()
    assert 'data-groups="0"' in body and "Nothing to review" in body and "2 to review" not in body


def test_starting_a_search_from_the_page_runs_it_and_the_progress_is_polled(
    alice_client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("duplicates:start", args=["contacts"]))

    assert response.status_code == 302
    done = DuplicateSearch.objects.get()
    assert (done.status, done.group_count, done.percent) == ("done", 2, 100)
    progress = alice_client.get(reverse("duplicates:progress", args=[done.pk]), {"polling": 1}, HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"


def test_a_running_search_is_polled_every_second(alice_client, alice):
    running = DuplicateSearch.objects.create(section="contacts", status="running", total=200, done=50, started_by=alice)

    body = alice_client.get(reverse("duplicates:review", args=["contacts"])).content.decode()

    assert 'hx-trigger="every 1s"' in body
    assert reverse("duplicates:progress", args=[running.pk]) in body
    assert 'value="25"' in body


def test_the_operation_right_gates_the_review_page(alice_client, alice, role_tree):
    from crm.access.models import Membership, OperationRight

    Membership.objects.create(user=alice, role=role_tree.team_a)
    OperationRight.objects.create(operation="merge_duplicates", role=role_tree.team_a, allowed=False, priority=1)

    assert alice_client.get(reverse("duplicates:review", args=["contacts"])).status_code == 404
    assert alice_client.post(reverse("duplicates:start", args=["contacts"])).status_code == 404
    assert not DuplicateSearch.objects.exists()


def test_the_command_prints_the_groups_as_json(people, capsys):
    call_command("find_duplicates", "contacts", "--json")

    groups = json.loads(capsys.readouterr().out)
    assert sorted(g["ids"] for g in groups) == sorted(
        [
            [people["ann"].pk, people["ann_copy"].pk],
            [people["bob"].pk, people["bob_copy"].pk, people["bob_third"].pk],
        ]
    )
    assert all(isinstance(g["score"], float) for g in groups)


def test_the_command_prints_the_groups_as_text(people, capsys):
    call_command("find_duplicates", "contacts")

    out = capsys.readouterr().out
    assert "Robert Stone" in out and "2 group(s) in contacts." in out


@pytest.mark.broker
def test_the_search_runs_on_a_real_celery_worker(celery_worker_on_redis, alice, contacts_section, make_contact):
    import time

    make_contact("Ann Lee", email="ann@example.com")
    make_contact("Anne Lee", email="ann@example.com")

    started = services.start_search(section=contacts_section, user=alice)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        started.refresh_from_db()
        if started.is_finished:
            break
        time.sleep(0.2)

    assert (started.status, started.group_count) == ("done", 1)
    assert alice.notifications.filter(kind="duplicates").exists()


def test_the_scheduled_task_searches_every_section_with_rules(people, django_capture_on_commit_callbacks):
    from crm.duplicates.tasks import search_all_sections

    with django_capture_on_commit_callbacks(execute=True):
        started = search_all_sections()

    searches = dict(DuplicateSearch.objects.values_list("section", "status"))
    assert started == len(searches) and {"contacts", "accounts"} <= set(searches)
    assert set(searches.values()) == {"done"}


def test_the_list_offers_find_duplicates_and_merge_selected(alice_client):
    body = alice_client.get(reverse("contacts:list")).content.decode()

    assert reverse("duplicates:review", args=["contacts"]) in body
    assert f'formaction="{reverse("duplicates:merge", args=["contacts"])}"' in body


def test_urls_reverse_and_resolve():
    from django.urls import resolve

    for name, args in [
        ("duplicates:index", []),
        ("duplicates:review", ["contacts"]),
        ("duplicates:start", ["contacts"]),
        ("duplicates:progress", [1]),
        ("duplicates:not_duplicates", ["contacts", 1]),
        ("duplicates:merge", ["contacts"]),
    ]:
        assert resolve(reverse(name, args=args)).view_name == name


@pytest.mark.parametrize("pairs", [2, 20])
def test_the_review_page_needs_the_same_queries_for_few_or_many_groups(
    alice_client, contacts_section, make_contact, django_assert_max_num_queries, pairs
):
    for index in range(pairs):
        make_contact(f"Person{index} Lee", email=f"p{index}@example.com")
        make_contact(f"Person{index} Leigh", email=f"p{index}@example.com")
    search(contacts_section)
    alice_client.get(reverse("duplicates:review", args=["contacts"]))  # warm the access rules' cache

    # session, user, the latest search, its groups, their records (one query), the notification badge, the rules
    # and their attributes
    with django_assert_max_num_queries(8):
        page = alice_client.get(reverse("duplicates:review", args=["contacts"]))

    assert len(page.context["groups"]) == pairs


def test_the_review_page_pages_the_groups_best_first_skipping_groups_the_user_cannot_see(
    client, alice, bob, contacts_section, make_contact, only_owners_read_records
):
    from crm.duplicates import selectors

    for index in range(7):
        owner = bob if index % 3 else alice  # groups 0, 3, 6 are alice's: bob sees only the others
        make_contact(f"Person{index} Lee", email=f"p{index}@example.com", owner=owner)
        make_contact(f"Person{index} Leigh", email=f"p{index}@example.com", owner=owner)
    done = search(contacts_section)
    assert done.group_count == 7

    seen, after, pages = [], "", 0
    while True:
        page = selectors.review_groups(section=contacts_section, user=bob, search=done, limit=2, after=after)
        pages += 1
        seen += [item.group.pk for item in page.groups]
        assert all(record.owner == bob for item in page.groups for record in item.records)
        if not page.next_cursor:
            break
        after = page.next_cursor
    expected = [
        g.pk for g in done.groups.order_by("-score", "pk") if Contact.objects.get(pk=g.record_ids[0]).owner == bob
    ]
    assert seen == expected and len(seen) == 4
    assert pages == 2

    client.force_login(bob)
    first = client.get(reverse("duplicates:review", args=["contacts"]))
    assert len(first.context["groups"]) == 4 and not first.context["next_cursor"]


@pytest.mark.parametrize("after", ["garbage", "nan:1", "inf:-5", "1e999:x", ":", "9" * 400 + ":1"])
def test_a_malformed_page_cursor_gives_a_page_not_an_error(alice_client, contacts_section, people, after):
    search(contacts_section)

    page = alice_client.get(reverse("duplicates:review", args=["contacts"]), {"after": after})

    assert page.status_code == 200
    assert len(page.context["groups"]) <= 2
