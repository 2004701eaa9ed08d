"""The public web-to-lead endpoint: the form key, anonymous posts, the honeypot, the rate limit, the source
rules on the posted URLs, and CSRF exempted there only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from leads.models import Lead, LeadSource
from leads.views import HONEYPOT

URL = "/leads/capture/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous():
    return Client(enforce_csrf_checks=True)


def post(client, web_form, json=True, **fields):
    data = {
        "key": web_form.key,
        "contact_name": "Paul Park",
        "account_name": "Park Logistics",
        "email": "paul@park.example",
        "need": "Fleet tracking",
        **fields,
    }
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(URL, data, **headers)


def test_the_capture_url_is_the_leads_capture_view():
    assert reverse("leads:capture") == URL


def test_an_anonymous_post_with_a_valid_key_creates_a_lead_for_the_form_owner(anonymous, web_form, alice):
    response = post(
        anonymous,
        web_form,
        landing="https://shop.example/fleet?utm_source=linkedin&utm_medium=social&utm_campaign=spring",
        referrer="https://www.linkedin.com/",
        company_size="50-100",
    )

    assert response.status_code == 201, response.content
    assert response.json() == {"ok": True}
    lead = Lead.objects.get()
    assert (lead.owner, lead.web_form, lead.stage) == (alice, web_form, Lead.Stage.QUALIFICATION)
    assert (lead.contact_name, lead.account_name, lead.email, lead.need) == (
        "Paul Park",
        "Park Logistics",
        "paul@park.example",
        "Fleet tracking",
    )
    assert lead.source == LeadSource.objects.get(name="LinkedIn")
    assert (lead.utm_source, lead.utm_medium, lead.utm_campaign) == ("linkedin", "social", "spring")
    assert lead.referrer == "linkedin.com"
    assert lead.registration_info["company_size"] == "50-100"
    assert lead.registration_info["email"] == "paul@park.example"
    assert "key" not in lead.registration_info
    assert lead.contact is None


def test_a_form_post_is_redirected_to_the_thank_you_page(anonymous, web_form):
    response = post(anonymous, web_form, json=False)

    assert response.status_code == 303
    assert response["Location"] == "https://example.com/thanks"


def test_a_form_that_creates_contacts_links_one(anonymous, web_form):
    web_form.create_contact = True
    web_form.save()

    post(anonymous, web_form, mobile_phone="+44 7700 900123")

    lead = Lead.objects.get()
    contact = Contact.objects.get()
    assert lead.contact == contact
    assert (contact.full_name, contact.email, contact.mobile_phone) == (
        "Paul Park",
        "paul@park.example",
        "+44 7700 900123",
    )


@pytest.mark.parametrize("key", ["", "no-such-key"])
def test_an_unknown_key_is_404(anonymous, web_form, key):
    response = anonymous.post(URL, {"key": key, "email": "a@b.example", "contact_name": "A"})

    assert response.status_code == 404
    assert Lead.objects.count() == 0


def test_an_inactive_form_is_404(anonymous, web_form):
    web_form.is_active = False
    web_form.save()

    assert post(anonymous, web_form).status_code == 404
    assert Lead.objects.count() == 0


def test_bad_input_is_a_400_saying_what_is_wrong(anonymous, web_form):
    response = post(anonymous, web_form, email="not-an-email")

    assert response.status_code == 400
    assert "email" in response.json()["errors"]

    response = post(anonymous, web_form, email="", contact_name="")
    assert response.status_code == 400
    assert "__all__" in response.json()["errors"]
    assert Lead.objects.count() == 0


def test_the_honeypot_is_accepted_silently_and_creates_nothing(anonymous, web_form):
    response = post(anonymous, web_form, **{HONEYPOT: "http://spam.example"})

    assert response.status_code == 201
    assert Lead.objects.count() == 0


def test_posting_too_often_from_one_address_is_429(anonymous, web_form, settings):
    settings.LEADS_CAPTURE_RATE = (3, 60)

    statuses = [post(anonymous, web_form, email=f"p{i}@park.example").status_code for i in range(5)]

    assert statuses == [201, 201, 201, 429, 429]
    assert Lead.objects.count() == 3


def test_the_limit_counts_per_address(web_form, settings):
    settings.LEADS_CAPTURE_RATE = (1, 60)

    first = post(Client(REMOTE_ADDR="10.0.0.1"), web_form)
    second = post(Client(REMOTE_ADDR="10.0.0.2"), web_form)

    assert (first.status_code, second.status_code) == (201, 201)


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    login = f"{database['USER']}:{database['PASSWORD']}"
    return f"postgres://{login}@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{database['NAME']}"


def post_from_another_process(web_form, limit: int) -> int:
    """The status a second web process (as a second gunicorn worker would be) answers to one post."""
    script = (
        "from django.conf import settings; from django.test import Client; "
        f"settings.LEADS_CAPTURE_RATE = ({limit}, 60); "
        "client = Client(REMOTE_ADDR='192.0.2.9', HTTP_HOST='localhost'); "
        f"response = client.post('{URL}', {{'key': '{web_form.key}', 'contact_name': 'Paul Park', "
        "'email': 'paul@park.example', 'need': 'Fleet'}, HTTP_ACCEPT='application/json'); "
        "print('STATUS', response.status_code)"
    )
    env = {**os.environ, "DATABASE_URL": _database_url(), "CRM_TESTING": "1"}
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "STATUS" in result.stdout, result.stderr
    return int(result.stdout.split("STATUS")[-1].split()[0])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_limit_is_counted_by_all_web_processes_together(web_form, settings):
    """Without Redis too: three posts here use the limit up, and another process refuses the fourth."""
    settings.LEADS_CAPTURE_RATE = (3, 60)
    here = Client(REMOTE_ADDR="192.0.2.9")

    statuses = [post(here, web_form, email=f"p{i}@park.example").status_code for i in range(3)]

    assert statuses == [201, 201, 201]
    try:
        assert post_from_another_process(web_form, limit=3) == 429
        assert Lead.objects.count() == 3
    finally:
        caches["shared"].clear()  # the cache table is no model: the test database's flush leaves it as it is


def test_only_a_post_is_taken(anonymous, web_form):
    assert anonymous.get(URL, {"key": web_form.key}).status_code == 405


def test_csrf_is_still_checked_on_the_other_leads_pages(alice, web_form):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post(reverse("leads:quick"), {"need": "Servers"})

    assert response.status_code == 403
    assert Lead.objects.count() == 0


@pytest.mark.django_db  # each request checks the version of the runtime sections
def test_the_other_leads_pages_still_need_a_login(anonymous):
    response = anonymous.get(reverse("leads:quick"))

    assert response.status_code == 302
    assert "/auth/login/" in response["Location"]


def test_without_a_posted_landing_the_page_posting_is_the_landing(anonymous, web_form):
    anonymous.post(
        URL,
        {"key": web_form.key, "contact_name": "Paul Park", "email": "paul@park.example"},
        HTTP_REFERER="https://shop.example/contact?utm_source=newsletter&utm_medium=email",
    )

    lead = Lead.objects.get()
    assert lead.source == LeadSource.objects.get(name="Newsletter")
    assert lead.landing.startswith("https://shop.example/contact")
    assert lead.need == "Request from “Spring campaign”"


def test_the_capture_view_is_the_only_leads_page_exempt_from_csrf():
    from django.urls import get_resolver

    leads_patterns = get_resolver().url_patterns
    section_include = next(p for p in leads_patterns if getattr(p, "namespace", None) == "leads")
    exempt = [p.name for p in section_include.url_patterns if getattr(p.callback, "csrf_exempt", False)]

    assert exempt == ["capture"]
