"""The page designer: groups, their order and tab, hidden fields on the record page and the form; a reset."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.designer import layouts, rules
from crm.designer.models import PageLayout
from crm.sections import registry
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def accounts():
    return registry.get("accounts")


def arrange(user, **values):
    values.setdefault("hidden", [])
    return layouts.save_layout(user=user, section=accounts(), **values)


@pytest.fixture
def finance_tab(ada):
    """The account's web address hidden; phone and web in a group of their own on a "Finance" tab."""
    return arrange(
        ada,
        groups=[
            {"title": "Basics", "tab": "", "fields": ["name", "type", "owner"]},
            {"title": "Reach", "tab": "Finance", "fields": ["phone"]},
        ],
        hidden=["web"],
    )


def test_the_record_page_shows_the_groups_on_their_tabs(alice_client, alice, finance_tab):
    account = AccountFactory(owner=alice, phone="+49 30 123", web="https://acme.example")

    page = alice_client.get(reverse("accounts:detail", args=[account.pk]))
    tab = alice_client.get(reverse("accounts:tab", args=[account.pk, "fields-finance"]))

    assert [title for title, _ in page.context["groups"]][0] == "Basics"
    assert "Reach" not in [title for title, _ in page.context["groups"]]
    assert ("fields-finance", "Finance") in page.context["tabs"]
    assert "+49 30 123" in tab.content.decode() and "Reach" in tab.content.decode()
    assert "acme.example" not in page.content.decode()


def test_the_form_leaves_a_hidden_field_out_and_follows_the_groups(alice_client, finance_tab):
    form = alice_client.get(reverse("accounts:create")).context["form"]
    content = alice_client.get(reverse("accounts:create")).content.decode()

    assert "web" not in form.fields
    assert list(form.fields).index("name") < list(form.fields).index("phone")
    assert "Finance: Reach" in content


def test_a_required_field_cannot_be_hidden(ada):
    with pytest.raises(ValidationError, match="Required fields cannot be hidden: Name"):
        arrange(ada, groups=[], hidden=["name"])
    assert not PageLayout.objects.exists()


def test_a_field_a_rule_can_require_cannot_be_hidden(ada):
    rules.save_rule(user=ada, section=accounts(), name="Phone needed", match="all", action="required", target="phone")

    with pytest.raises(ValidationError, match="cannot be hidden"):
        arrange(ada, groups=[], hidden=["phone"])


@pytest.mark.parametrize(
    ("groups", "reason"),
    [
        ([{"title": "", "tab": "", "fields": []}], "needs a title"),
        ([{"title": "A", "tab": "", "fields": ["nope"]}], "Unknown field"),
        (
            [{"title": "A", "tab": "", "fields": ["phone"]}, {"title": "B", "tab": "", "fields": ["phone"]}],
            "two groups",
        ),
        ([{"title": "A", "tab": "", "fields": []}, {"title": "a", "tab": "", "fields": []}], "Two groups are called"),
    ],
)
def test_a_layout_that_does_not_fit_is_refused(ada, groups, reason):
    with pytest.raises(ValidationError, match=reason):
        arrange(ada, groups=groups)


def test_fields_no_group_names_go_to_the_last_group(ada, finance_tab):
    placed = [name for group in layouts.groups_of(accounts()) for name in group.fields]

    assert "industry" in placed and "web" not in placed


def test_the_page_designers_form_moves_a_group_to_a_tab_and_resets(client, ada):
    client.force_login(ada)
    url = reverse("designer:layout", args=["accounts"])
    page = client.get(url)
    data = {}
    for index, group in page.context["groups"]:
        data[f"group-{index}-title"] = group.title
        data[f"group-{index}-tab"] = "Money" if index == 1 else group.tab
        data[f"group-{index}-order"] = str(index)
    for order, field in enumerate(page.context["placement"]):
        data[f"field-{field['name']}-group"] = str(field["group"])
        data[f"field-{field['name']}-order"] = str(order)
    data["field-web-hidden"] = "1"

    saved = client.post(url, data)
    layout = PageLayout.objects.get(section="accounts")
    second = page.context["groups"][1][1].title
    reset = client.post(reverse("designer:layout_reset", args=["accounts"]))

    assert saved.status_code == 302
    assert layout.hidden == ["web"]
    assert [g["tab"] for g in layout.groups if g["title"] == second] == ["Money"]
    assert reset.status_code == 302 and not PageLayout.objects.exists()


def test_the_page_designer_says_why_it_refused(client, ada):
    client.force_login(ada)

    response = client.post(
        reverse("designer:layout", args=["accounts"]),
        {"group-0-title": "All", "group-0-order": "1", "field-name-hidden": "1"},
    )

    assert response.status_code == 422
    assert "Required fields cannot be hidden" in response.content.decode()


def test_without_the_designer_right_the_page_designer_does_not_exist(alice_client):
    response = alice_client.post(reverse("designer:layout", args=["accounts"]), {"group-0-title": "X"})

    assert response.status_code == 404
    assert not PageLayout.objects.exists()
