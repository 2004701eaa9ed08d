"""Career history: the contact services keep a job per account the contact worked at, and the current job and the
contact's account, title and department follow each other."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact, JobExperience
from crm.sections import details, registry, services
from crm.sections.timeline import items_for
from tests.factories import AccountFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def section():
    return registry.get("contacts")


@pytest.fixture
def northwind(alice):
    return AccountFactory(name="Northwind Traders", owner=alice)


@pytest.fixture
def contoso(alice):
    return AccountFactory(name="Contoso", owner=alice)


@pytest.fixture
def nancy(alice, section, northwind):
    return services.create_record(
        section=section,
        user=alice,
        data={"given_name": "Nancy", "surname": "Davolio", "account": northwind, "job_title": "Buyer"},
    )


def career(contact) -> list[tuple]:
    return list(
        JobExperience.objects.filter(contact=contact)
        .order_by("pk")
        .values_list("account__name", "job_title", "is_current", "end_date")
    )


def save_job(user, contact, row=None, **data):
    return details.save_row(
        detail=registry.get("contacts").get_detail("career"), user=user, record=contact, row=row, data=data
    )


def test_a_contact_created_at_an_account_starts_a_current_job_there(nancy):
    job = nancy.career.get()

    assert (job.account.name, job.job_title, job.is_current, job.start_date) == (
        "Northwind Traders",
        "Buyer",
        True,
        timezone.localdate(),
    )


def test_moving_to_another_account_ends_the_job_and_starts_one_there(alice, section, nancy, contoso):
    services.update_record(section=section, user=alice, obj=nancy, data={"account": contoso}, expected_version=1)

    today = timezone.localdate()
    assert career(nancy) == [("Northwind Traders", "Buyer", False, today), ("Contoso", "Buyer", True, None)]


def test_leaving_the_account_ends_the_job(alice, section, nancy):
    services.update_record(section=section, user=alice, obj=nancy, data={"account": None}, expected_version=1)

    assert career(nancy) == [("Northwind Traders", "Buyer", False, timezone.localdate())]


def test_a_new_title_at_the_same_account_is_written_on_the_current_job(alice, section, nancy):
    services.update_record(
        section=section, user=alice, obj=nancy, data={"job_title": "Head of Procurement"}, expected_version=1
    )

    assert career(nancy) == [("Northwind Traders", "Head of Procurement", True, None)]


def test_adding_a_current_job_ends_the_former_one_and_moves_the_contact(alice, nancy, contoso):
    save_job(alice, nancy, account=contoso, job_title="CFO", start_date=datetime.date(2020, 1, 1), is_current=True)

    contact = Contact.objects.get(pk=nancy.pk)
    assert (contact.account, contact.job_title) == (contoso, "CFO")
    assert [(name, current) for name, _, current, _ in career(nancy)] == [
        ("Northwind Traders", False),
        ("Contoso", True),
    ]


def test_a_past_job_leaves_the_contact_where_they_are(alice, nancy, contoso):
    save_job(
        alice,
        nancy,
        account=contoso,
        job_title="Intern",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2011, 1, 1),
        is_current=False,
    )

    contact = Contact.objects.get(pk=nancy.pk)
    assert (contact.account.name, contact.job_title) == ("Northwind Traders", "Buyer")


def test_a_job_cannot_end_before_it_starts(alice, nancy, contoso):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        save_job(
            alice, nancy, account=contoso, start_date=datetime.date(2011, 1, 1), end_date=datetime.date(2010, 1, 1)
        )


def test_a_contact_added_from_the_accounts_contacts_tab_gets_the_account_and_the_job(alice_client, alice, northwind):
    tab = alice_client.get(reverse("accounts:tab", args=[northwind.pk, "contacts"]), **HTMX).content.decode()
    new_url = reverse("contacts:create") + f"?account={northwind.pk}"
    assert new_url in tab

    form = alice_client.get(new_url).context["form"]
    assert str(form.initial["account"]) == str(northwind.pk)
    alice_client.post(
        new_url, {"given_name": "Andrew", "surname": "Fuller", "account": northwind.pk, "owner": alice.pk}
    )

    andrew = Contact.objects.get(full_name="Andrew Fuller")
    assert career(andrew) == [("Northwind Traders", "", True, None)]


def test_the_timelines_show_when_the_contact_joined_and_left(alice, section, nancy, northwind, contoso):
    services.update_record(section=section, user=alice, obj=nancy, data={"account": contoso}, expected_version=1)

    on_contact = [item.title for item in items_for(alice, nancy, only={"career"})]
    on_account = [item.title for item in items_for(alice, northwind, only={"career"})]

    assert sorted(on_contact) == [
        "Joined Contoso as Buyer",
        "Joined Northwind Traders as Buyer",
        "Left Northwind Traders",
    ]
    assert sorted(on_account) == ["Nancy Davolio joined as Buyer", "Nancy Davolio left"]


def test_the_job_experience_tab_lists_the_career(alice_client, nancy):
    body = alice_client.get(reverse("contacts:tab", args=[nancy.pk, "career"]), **HTMX).content.decode()

    assert 'id="detail-career"' in body
    assert "Northwind Traders" in body
