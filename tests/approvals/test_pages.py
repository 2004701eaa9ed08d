"""The Approvals tab, the decision buttons and "Approvals waiting for me"."""

import pytest
from django.urls import reverse

from crm.access.models import Membership
from crm.approvals import services
from crm.approvals.models import Approval
from tests.factories import OpportunityFactory, UserFactory


def tab_url(opportunity):
    return reverse("opportunities:tab", args=[opportunity.pk, "approvals"])


@pytest.fixture
def organised(role_tree, alice, bob, charlie, record_rights):
    """Record rights on: alice in Sales team A, bob manages Sales (and sees alice's deals), charlie in team B."""
    Membership.objects.create(user=alice, role=role_tree.team_a)
    Membership.objects.create(user=bob, role=role_tree.sales_managers)
    Membership.objects.create(user=charlie, role=role_tree.team_b)
    record_rights("opportunities")


def test_the_owner_sends_for_approval_from_the_tab(client, alice, hooks, route, opportunity):
    client.force_login(alice)
    assert b"Send for approval" in client.get(tab_url(opportunity)).content

    response = client.post(reverse("approvals:send", args=["opportunities", opportunity.pk]))

    assert response.status_code == 302
    assert Approval.objects.for_record(opportunity).get().is_pending
    page = client.get(tab_url(opportunity)).content.decode()
    assert "Waiting for approval by" in page and "Bob Baker" in page
    assert 'id="approve-button"' not in page


def test_the_approver_approves_from_the_tab(client, alice, bob, hooks, route, opportunity):
    approval = services.send_for_approval(user=alice, record=opportunity)
    client.force_login(bob)
    assert 'id="approve-button"' in client.get(tab_url(opportunity)).content.decode()

    response = client.post(reverse("approvals:approve", args=[approval.pk]), {"comment": "OK"})

    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.current_position == 2


def test_rejecting_from_the_tab_without_a_comment_is_refused_with_a_message(
    client, alice, bob, hooks, route, opportunity
):
    approval = services.send_for_approval(user=alice, record=opportunity)
    client.force_login(bob)

    response = client.post(reverse("approvals:reject", args=[approval.pk]), {"comment": ""}, follow=True)

    assert "Say why the record is rejected." in response.content.decode()
    approval.refresh_from_db()
    assert approval.is_pending


def test_an_outsider_gets_404_on_the_tab_and_the_decision_urls(
    client, organised, alice, bob, charlie, hooks, route, opportunity
):
    approval = services.send_for_approval(user=alice, record=opportunity)
    client.force_login(charlie)

    assert client.get(tab_url(opportunity)).status_code == 404
    for name in ("approve", "reject", "delegate", "cancel"):
        assert client.post(reverse(f"approvals:{name}", args=[approval.pk]), {"comment": "x"}).status_code == 404
    assert client.post(reverse("approvals:send", args=["opportunities", opportunity.pk])).status_code == 404
    approval.refresh_from_db()
    assert approval.is_pending and not approval.decisions.exists()


def test_the_inbox_lists_what_waits_for_me_on_records_i_may_see(
    client, organised, alice, bob, charlie, hooks, route, opportunity
):
    services.send_for_approval(user=alice, record=opportunity)
    # frank's deal waits for bob too, but frank is in no unit bob manages, so bob may not see it
    frank = UserFactory(username="frank")
    hidden = OpportunityFactory(owner=frank, name="Hidden deal")
    services.send_for_approval(user=frank, record=hidden)
    client.force_login(bob)

    page = client.get(reverse("approvals:inbox")).content.decode()

    assert "Laptops for Northwind" in page
    assert "Hidden deal" not in page


def test_the_inbox_of_someone_with_nothing_to_decide_is_empty(client, alice, charlie, hooks, route, opportunity):
    services.send_for_approval(user=alice, record=opportunity)
    client.force_login(charlie)

    page = client.get(reverse("approvals:inbox")).content.decode()

    assert "Nothing is waiting for you." in page


@pytest.mark.parametrize("count", [2, 10])
def test_the_inbox_reads_a_fixed_number_of_queries(
    client, alice, bob, hooks, route, django_assert_max_num_queries, count
):
    for number in range(count):
        services.send_for_approval(user=alice, record=OpportunityFactory(owner=alice, name=f"Deal {number}"))
    client.force_login(bob)

    # session, user, the approvals (with route, requester and content type), the access rules' snapshot on a cold
    # cache (linked roles, roles, object, operation and column rights, default grants, record-rights switches,
    # delegations, bob's memberships: 9), the records of the one section, the bell's unread count
    with django_assert_max_num_queries(14):
        response = client.get(reverse("approvals:inbox"))
    assert response.content.decode().count("data-approval=") == count


def test_the_tab_is_only_on_sections_that_use_approvals(client, alice, route, opportunity):
    client.force_login(alice)

    assert client.get(tab_url(opportunity)).status_code == 404


def test_an_admin_edits_routes_with_their_steps_inline(client, ada, route):
    client.force_login(ada)

    assert client.get(reverse("admin:approvals_approvalroute_change", args=[route.pk])).status_code == 200
    assert client.get(reverse("admin:approvals_approval_changelist")).status_code == 200
