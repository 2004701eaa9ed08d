"""The kanban pipeline: a column per active stage with the count and sum of what the user may see, filters in the
URL, the first cards of each column and the next ones by keyset, and a constant number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities import selectors
from opportunities.models import NeedType, Opportunity, OpportunityStage
from tests.factories import UserFactory
from tests.factories.opportunities import OpportunityFactory, stage

KANBAN = reverse("opportunities:kanban")


def make(owner, code="qualification", amount="100.00", close_date=None, **fields):
    return OpportunityFactory(
        owner=owner,
        stage=stage(code),
        amount=Decimal(amount),
        amount_base=Decimal(amount),
        close_date=close_date,
        **fields,
    )


def column_header(response, code) -> tuple[int, str]:
    """(count, sum) as the column of the stage `code` shows them."""
    html = response.content.decode()
    pk = OpportunityStage.objects.get(code=code).pk
    match = re.search(
        rf'data-stage="{pk}" aria-labelledby.*?data-count>(\d+)</span>.*?data-total>([^<]*)</span>', html, re.S
    )
    assert match, f"no column for {code}"
    return int(match.group(1)), match.group(2)


def card_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="opportunity-(\d+)"', response.content.decode())]


def test_each_active_stage_is_a_column_with_its_count_and_sum(alice_client, alice):
    make(alice, "qualification", "1000.50")
    make(alice, "qualification", "2000.25")
    make(alice, "proposal", "300.00")
    make(alice, "lost", "50.00")

    response = alice_client.get(KANBAN)

    assert response.status_code == 200
    assert column_header(response, "qualification") == (2, "3,000.75")
    assert column_header(response, "proposal") == (1, "300.00")
    assert column_header(response, "presentation") == (0, "0.00")
    assert column_header(response, "lost") == (1, "50.00")
    stage_order = [
        int(pk)
        for pk in re.findall(r'<section class="kanban-column[^"]*"\s+data-stage="(\d+)"', response.content.decode())
    ]
    assert stage_order == list(
        OpportunityStage.objects.active().order_by("position", "pk").values_list("pk", flat=True)
    )


def test_the_owner_filter_mine_and_the_period_of_closing_dates_are_in_the_url(alice_client, alice, bob):
    today = timezone.localdate()
    far = today.replace(year=today.year - 3)
    mine_this_month = make(alice, close_date=today, amount="10.00")
    make(alice, close_date=far, amount="20.00")
    make(bob, close_date=today, amount="40.00")

    mine = alice_client.get(KANBAN, {"owner": "me"})
    this_month = alice_client.get(KANBAN, {"owner": "me", "period": "this_month"})
    everyone_this_month = alice_client.get(KANBAN, {"period": "this_month", "date_field": "close_date"})

    assert column_header(mine, "qualification") == (2, "30.00")
    assert column_header(this_month, "qualification") == (1, "10.00")
    assert card_ids(this_month) == [mine_this_month.pk]
    assert column_header(everyone_this_month, "qualification") == (2, "50.00")


def test_a_custom_period_of_creation_dates_and_a_need_type_narrow_the_board(alice_client, alice):
    consulting, support = NeedType.objects.order_by("position")[:2]
    old = make(alice, need_type=consulting, amount="1.00")
    recent = make(alice, need_type=consulting, amount="2.00")
    make(alice, need_type=support, amount="4.00")
    created = timezone.make_aware(datetime.datetime(2024, 3, 10, 12))
    Opportunity.objects.filter(pk=old.pk).update(created_at=created)

    march = alice_client.get(
        KANBAN, {"period": "custom", "start": "2024-03-01", "end": "2024-03-31", "date_field": "created_at"}
    )
    consulting_only = alice_client.get(KANBAN, {"need_type": consulting.pk})

    assert card_ids(march) == [old.pk]
    assert column_header(consulting_only, "qualification") == (2, "3.00")
    assert sorted(card_ids(consulting_only)) == sorted([old.pk, recent.pk])


def test_an_invalid_filter_is_dropped_not_a_server_error(alice_client, alice):
    make(alice)

    response = alice_client.get(KANBAN, {"owner": "nobody", "period": "someday", "need_type": "x", "start": "soon"})

    assert response.status_code == 200
    assert column_header(response, "qualification") == (1, "100.00")


def test_a_column_shows_its_first_cards_and_the_next_ones_follow_by_keyset(alice_client, alice):
    today = timezone.localdate()
    dated = [make(alice, close_date=today + datetime.timedelta(days=i)) for i in range(30)]
    undated = [make(alice) for _ in range(5)]
    expected = [o.pk for o in dated] + sorted(o.pk for o in undated)
    qualification = OpportunityStage.objects.get(code="qualification")

    first = alice_client.get(KANBAN)
    shown = card_ids(first)
    assert shown == expected[: selectors.KANBAN_PAGE_SIZE]
    next_url = re.search(r'class="kanban-more[^"]*" hx-get="([^"]+)"', first.content.decode()).group(1)
    assert next_url.startswith(reverse("opportunities:kanban_column", args=[qualification.pk]))

    second = alice_client.get(next_url.replace("&amp;", "&"), headers={"HX-Request": "true"})

    assert card_ids(second) == expected[selectors.KANBAN_PAGE_SIZE :]
    assert "kanban-more" not in second.content.decode()


def test_the_next_page_of_a_column_keeps_the_filters(alice_client, alice, bob):
    for _ in range(selectors.KANBAN_PAGE_SIZE + 2):
        make(alice)
        make(bob)
    qualification = OpportunityStage.objects.get(code="qualification")

    first = alice_client.get(KANBAN, {"owner": "me"})
    next_url = re.search(r'class="kanban-more[^"]*" hx-get="([^"]+)"', first.content.decode()).group(1)
    next_url = next_url.replace("&amp;", "&")
    second = alice_client.get(next_url)

    assert "owner=me" in next_url
    assert len(card_ids(second)) == 2
    assert set(Opportunity.objects.filter(pk__in=card_ids(second)).values_list("owner", flat=True)) == {alice.pk}
    assert qualification.pk == int(re.search(r"/pipeline/(\d+)/", next_url).group(1))


def test_the_board_answers_its_column_totals_as_json_for_the_drop(alice_client, alice):
    make(alice, "proposal", "12.50")
    proposal = OpportunityStage.objects.get(code="proposal")

    response = alice_client.get(KANBAN, headers={"Accept": "application/json"})

    assert response.json() == {"columns": {str(proposal.pk): {"count": 1, "total": "12.50"}}}


def test_a_drop_moves_the_card_through_the_move_endpoint(alice_client, alice):
    from opportunities import services
    from tests.factories import AccountFactory

    opportunity = services.create_opportunity(
        user=alice, data={"name": "Deal", "account": AccountFactory(owner=alice), "need_type": NeedType.objects.first()}
    )
    presentation = OpportunityStage.objects.get(code="presentation")

    response = alice_client.post(
        reverse("opportunities:move", args=[opportunity.pk]),
        {"stage": presentation.pk, "version": opportunity.version},
        headers={"Accept": "application/json"},
    )
    board = alice_client.get(KANBAN)

    assert response.json()["ok"] is True
    assert column_header(board, "presentation") == (1, "0.00")
    assert column_header(board, "qualification") == (0, "0.00")


@pytest.mark.parametrize("per_stage", [1, 12])
def test_the_board_runs_a_constant_number_of_queries(client, alice, bob, per_stage, django_assert_max_num_queries):
    owners = [alice, bob, UserFactory()]
    for code in ("qualification", "presentation", "proposal", "contracting", "won", "lost"):
        for index in range(per_stage):
            make(owners[index % 3], code, close_date=timezone.localdate())
    client.force_login(alice)
    client.get(KANBAN)  # the access rules are read once, then cached
    stage_id = OpportunityStage.objects.get(code="qualification").pk

    # 1 session, 2 user, 3 the users of the owner filter, 4 the stages, 5 the counts and sums of every column,
    # 6 the first cards of every column (customer, owner and currency joined), 7 which cards the user may move,
    # 8 the base currency, 9 the unread notifications (the bell), 10 the need types of the filter
    with django_assert_max_num_queries(10):
        response = client.get(KANBAN)
    # 1 session, 2 user, 3 the stage, 4 the users of the owner filter, 5 the cards, 6 which ones may be moved,
    # 7 the unread notifications (a context processor)
    with django_assert_max_num_queries(7):
        column = client.get(reverse("opportunities:kanban_column", args=[stage_id]))

    assert len(card_ids(response)) == 6 * per_stage
    assert len(card_ids(column)) == per_stage


def test_an_unknown_stage_column_is_404(alice_client):
    assert alice_client.get(reverse("opportunities:kanban_column", args=[999999])).status_code == 404


def test_a_rep_under_record_rights_counts_and_sums_only_their_own(client, alice, bob, only_owners_read_records):
    make(alice, "proposal", "100.00")
    make(bob, "proposal", "7000.00")
    client.force_login(alice)

    response = client.get(KANBAN)
    totals = client.get(KANBAN, headers={"Accept": "application/json"}).json()

    assert column_header(response, "proposal") == (1, "100.00")
    assert len(card_ids(response)) == 1
    assert [column["total"] for column in totals["columns"].values()] == ["100.00"]


def test_every_card_the_user_may_move_has_a_move_to_stage_menu_of_every_stage(alice_client, alice):
    """Touch and keyboard users move a card with its menu: one shared list of the board's stages, and a button and
    a grip on each movable card (pointer events, no HTML5 drag, which does not work by touch)."""
    mine = make(alice, "proposal")

    html = alice_client.get(KANBAN).content.decode()

    menu = html.split('id="kanban-move-menu"')[1].split("</ul>")[0]
    stages = [stage.pk for stage in selectors.kanban_stages()]
    assert [int(pk) for pk in re.findall(r'data-stage="(\d+)"', menu)] == stages
    card = html.split(f'id="opportunity-{mine.pk}"')[1].split("</article>")[0]
    assert f"Move “{mine.name}” to a stage" in card
    assert 'class="kanban-grip' in card
    assert 'draggable="true"' not in html
