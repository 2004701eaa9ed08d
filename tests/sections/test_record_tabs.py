"""A record page with many tabs shows the first few in a row and folds the rest into a "More" menu; the lists
that hold nothing come after those with records."""

from django.urls import reverse

from crm.sections.views.records import MAX_TABS, SHOWN_TABS
from tests.factories import AccountFactory, OpportunityFactory


def test_an_account_shows_a_few_tabs_and_the_rest_under_more(alice_client, alice):
    account = AccountFactory(owner=alice)

    response = alice_client.get(reverse("accounts:detail", args=[account.pk]))

    shown, more = response.context["shown_tabs"], response.context["more_tabs"]
    assert len(shown) + len(more) > MAX_TABS  # the premise: an account has many tabs
    assert len(shown) == SHOWN_TABS
    body = response.content.decode()
    assert 'id="record-tabs-more"' in body
    assert all(f'data-tab="{name}"' in body for name, _ in more)


def test_lists_with_records_come_before_empty_ones(alice_client, alice):
    account = AccountFactory(owner=alice)
    OpportunityFactory(account=account, owner=alice)

    response = alice_client.get(reverse("accounts:detail", args=[account.pk]))

    names = [name for name, _ in response.context["tabs"]]
    assert response.context["shown_tabs"] + response.context["more_tabs"] == response.context["tabs"]
    counts = response.context["tab_counts"]
    empty = [name for name in names if counts.get(name) == 0]
    assert empty  # the premise: the account's contacts and orders are declared and empty
    assert names.index("opportunities") < min(names.index(name) for name in empty)
    assert names[-len(empty) :] == empty


def test_a_folded_tab_opened_by_its_url_marks_the_more_menu(alice_client, alice):
    account = AccountFactory(owner=alice)
    folded = alice_client.get(reverse("accounts:detail", args=[account.pk])).context["more_tabs"][-1][0]

    response = alice_client.get(reverse("accounts:detail", args=[account.pk]), {"tab": folded})

    assert response.context["active_tab"] == folded
    assert 'class="nav-link dropdown-toggle active"' in response.content.decode()
