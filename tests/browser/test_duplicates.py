"""Duplicates in a real browser: a rep finds two Ann Lees on the review page, merges them keeping the newer job
title, and lands on the surviving contact, which has both phone numbers; the other one's page leads there."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts.models import Contact, ContactCommunication, ContactCommunicationType
from crm.duplicates.models import DuplicateRule
from tests.factories import ContactFactory, UserFactory
from tests.factories.core import PASSWORD
from tests.factories.customers import ensure_customer_lookups, lookup

pytestmark = pytest.mark.browser


@pytest.fixture
def alice(transactional_db):
    ensure_customer_lookups()  # a transactional test before may have flushed them
    if not DuplicateRule.objects.exists():
        _seed_rules()  # the preset rules, flushed the same way
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


def _seed_rules() -> None:
    from importlib import import_module

    from django.apps import apps

    import_module("crm.duplicates.migrations.0002_preset_rules").seed(apps, None)


def option(contact, type_name: str, value: str) -> None:
    ContactCommunication.objects.create(
        contact=contact,
        type=lookup(ContactCommunicationType, type_name),
        value=value,
        normalized="+" + "".join(c for c in value if c.isdigit()),
    )


def log_in(page) -> None:
    page.goto("/auth/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Good to see you, Alice")).to_be_visible()


def test_a_rep_merges_two_contacts_from_the_review_page(page, live_server, alice):
    older = ContactFactory(owner=alice, account=None, given_name="Ann", surname="Lee", job_title="Buyer", email="")
    newer = ContactFactory(
        owner=alice, account=None, given_name="Anne", surname="Lee", job_title="Head of purchasing", email=""
    )
    Contact.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    option(older, "Mobile phone", "+1 415 555 0100")
    option(newer, "Home phone", "+1 415 555 0100")  # the same number: kept once
    option(newer, "Business phone", "+1 212 555 0199")
    Contact.objects.filter(pk=older.pk).update(mobile_phone="+1 415 555 0100")
    Contact.objects.filter(pk=newer.pk).update(business_phone="+1 415 555 0100")
    log_in(page)

    # the review page: a search finds the pair
    page.goto("/contacts/")
    page.locator("#list-actions").click()
    page.locator("#find-duplicates").click()
    page.locator("#start-search").click()
    expect(page.locator("[data-search-status]")).to_contain_text("Done · 1 group")
    group = page.locator(".duplicate-group")
    expect(group).to_contain_text("Ann Lee")
    expect(group).to_contain_text("Anne Lee")

    # the merge page: keep the older record, with the newer one's job title
    group.get_by_role("link", name="Merge").click()
    expect(page.locator(f"#survivor-{older.pk}")).to_be_checked()
    page.locator(f"#field-job_title-{newer.pk}").check()
    page.locator("#merge-records").click()

    # the survivor's page: the chosen title, both numbers once each
    expect(page).to_have_url(f"{live_server.url}/contacts/{older.pk}/")
    expect(page.locator('[data-field="job_title"]')).to_have_text("Head of purchasing")
    options = page.locator("#detail-communication_options tbody tr")
    expect(options).to_have_count(2)
    expect(page.locator("#detail-communication_options")).to_contain_text("+1 212 555 0199")

    # the other contact's old address leads to the survivor
    page.goto(f"/contacts/{newer.pk}/")
    expect(page).to_have_url(f"{live_server.url}/contacts/{older.pk}/")
    expect(page.locator("#record-title")).to_have_text("Ann Lee")
