"""The demo's custom fields: defined once, with values the record pages show."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Account
from crm.designer.models import FieldDefinition
from crm.sections import registry


def test_the_demo_defines_custom_fields_once_and_fills_them(client, seeded_demo):
    call_command("seed_demo", stdout=StringIO())  # again, on top of the seeded demo

    assert FieldDefinition.objects.filter(section="accounts").count() == 2
    account = Account.objects.order_by("pk").first()
    assert set(account.custom) >= {"credit_limit", "customer_since"}
    client.force_login(get_user_model().objects.get(username="admin"))
    body = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert "Credit limit" in body and "Customer since" in body


def test_the_demo_has_a_section_made_with_the_wizard_with_records_a_rep_sees(client, seeded_demo):
    client.force_login(get_user_model().objects.get(username="alice"))
    body = client.get("/competitor_analysis/").content.decode()
    assert "Competitor analysis" in body and "CA-0001" in body
    names = list(registry.get("competitor_analysis").model.objects.values_list("name", flat=True))
    assert len(names) == 12 and len(set(names)) == 12  # each analysis of another competitor
