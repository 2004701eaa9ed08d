"""Validity: the "Expired" quick filter, the daily check that marks contracts whose end date passed, and the
reminder to the owner N days before the end, sent once."""

import datetime

import pytest
from django.urls import reverse

from contracts import services, tasks
from contracts.models import Contract
from crm.core.models import Notification
from tests.factories.contracts import ContractFactory

pytestmark = pytest.mark.django_db

days = datetime.timedelta


def list_numbers(client, **params) -> set[str]:
    response = client.get(reverse("contracts:list"), params)
    assert response.status_code == 200
    return {row.number for row in response.context["rows"]}


def test_the_expired_filter_lists_contracts_ended_before_today_and_not_cancelled(alice_client, alice, today):
    expired = ContractFactory(owner=alice, start_date=today - days(400), end_date=today - days(1))
    ContractFactory(owner=alice, start_date=today - days(400), end_date=today)  # ends today: still in force
    ContractFactory(owner=alice)
    ContractFactory(
        owner=alice, start_date=today - days(400), end_date=today - days(5), status=Contract.Status.CANCELLED
    )

    assert list_numbers(alice_client, validity="expired") == {expired.number}
    assert set(Contract.objects.expired(today)) == {expired}


def test_the_daily_check_marks_a_contract_whose_end_date_has_passed(alice_client, alice, today):
    contract = ContractFactory(owner=alice, start_date=today - days(30), end_date=today)
    Contract.objects.filter(pk=contract.pk).update(end_date=today - days(1))  # a day went by

    assert list_numbers(alice_client, validity="expired") == set()
    tasks.check_validity.delay()

    assert list_numbers(alice_client, validity="expired") == {contract.number}


def reminders(user):
    return list(Notification.objects.filter(recipient=user, kind="reminder").values_list("title", flat=True))


def test_the_owner_is_reminded_once_of_a_contract_ending_within_the_lead_time(alice, bob, today, settings):
    settings.CONTRACT_REMINDER_DAYS = 30
    contract = ContractFactory(owner=alice, end_date=today + days(14), created_by=bob)

    tasks.check_validity.delay()
    tasks.check_validity.delay()  # a second run (or a second beat) reminds nobody again

    assert reminders(alice) == [f"Contract {contract.number} ends in 14 days"]
    assert reminders(bob) == []
    contract.refresh_from_db()
    assert contract.reminded_at is not None


def test_the_reminder_waits_until_n_days_before_the_end(alice, today, settings):
    settings.CONTRACT_REMINDER_DAYS = 10
    ContractFactory(owner=alice, end_date=today + days(11))

    assert services.remind_of_ending_contracts(today=today) == 0
    assert services.remind_of_ending_contracts(today=today + days(1)) == 1
    assert len(reminders(alice)) == 1


def test_a_contract_s_own_lead_time_overrides_the_default(alice, today, settings):
    settings.CONTRACT_REMINDER_DAYS = 30
    early = ContractFactory(owner=alice, end_date=today + days(60), reminder_days=90)
    ContractFactory(owner=alice, end_date=today + days(20), reminder_days=5)

    services.remind_of_ending_contracts(today=today)

    assert reminders(alice) == [f"Contract {early.number} ends in 60 days"]


def test_cancelled_and_ended_contracts_are_not_reminded(alice, today):
    ContractFactory(owner=alice, end_date=today + days(3), status=Contract.Status.CANCELLED)
    ContractFactory(owner=alice, start_date=today - days(10), end_date=today - days(1))

    assert services.remind_of_ending_contracts(today=today) == 0


def test_a_new_end_date_rearms_the_reminder(alice, today):
    from crm.sections import registry
    from crm.sections.services import update_record

    contract = ContractFactory(owner=alice, end_date=today + days(3))
    services.remind_of_ending_contracts(today=today)

    contract = update_record(
        section=registry.get("contracts"),
        user=alice,
        obj=contract,
        data={"end_date": today + days(5)},
        expected_version=contract.version,
    )
    services.remind_of_ending_contracts(today=today)

    assert reminders(alice) == [
        f"Contract {contract.number} ends in 5 days",
        f"Contract {contract.number} ends in 3 days",
    ]
