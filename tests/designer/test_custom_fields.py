"""Custom fields on a section: the form, the record page, the change log, types, column rights, retiring a field."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Account
from crm.access.models import ColumnRight, OperationRight
from crm.designer.models import FieldDefinition
from crm.sections import registry, services
from crm.sections.models import ChangeLogEntry
from tests.factories import AccountFactory
from tests.forms import form_data


@pytest.fixture
def tier(db):
    return FieldDefinition.objects.create(
        section="accounts", code="tier", label="Customer tier", kind="choice", options=["Gold", "Silver"], position=1
    )


@pytest.fixture
def credit(db):
    return FieldDefinition.objects.create(
        section="accounts", code="credit_limit", label="Credit limit", kind="decimal", position=2
    )


@pytest.fixture
def audited(db):
    return FieldDefinition.objects.create(section="accounts", code="audited_on", label="Audited on", kind="date")


def edit_credit_limit(account, user, limit):
    """The account's credit limit set by `user` through the section services, as the form would."""
    return services.update_record(
        section=registry.get("accounts"),
        user=user,
        obj=account,
        data={"custom__credit_limit": limit},
        expected_version=account.version,
    )


def new_account(client, owner, **custom):
    return client.post(reverse("accounts:create"), {"name": "Contoso", "owner": owner.pk, **custom})


def test_the_form_offers_the_custom_fields_after_the_sections_own(alice_client, tier, credit):
    form = alice_client.get(reverse("accounts:create")).context["form"]

    names = [name for name in form.fields if name not in ("tags", "new_tags")]  # the tags close every form
    assert names[-2:] == ["custom__tier", "custom__credit_limit"]
    assert form.fields["custom__tier"].label == "Customer tier"
    assert [value for value, _ in form.fields["custom__tier"].choices] == ["", "Gold", "Silver"]


def test_a_new_record_keeps_typed_values_in_its_custom_json(alice_client, alice, tier, credit, audited):
    response = new_account(
        alice_client,
        alice,
        custom__tier="Gold",
        custom__credit_limit="1500.5",
        custom__audited_on="2026-11-02",
    )

    account = Account.objects.get(name="Contoso")
    assert response.status_code == 302
    assert account.custom == {"tier": "Gold", "credit_limit": "1500.50", "audited_on": "2026-11-02"}
    field = registry.get("accounts").custom_field("custom__credit_limit")
    assert field.value_from_object(account) == Decimal("1500.50")
    entry = ChangeLogEntry.objects.get(object_id=account.pk, action="create")
    assert {"field": "custom__tier", "label": "Customer tier", "old": "", "new": "Gold"} in entry.changes


def test_the_record_page_shows_the_custom_values(alice_client, alice, tier, credit):
    account = AccountFactory(owner=alice, custom={"tier": "Silver", "credit_limit": "20000.00"})

    body = alice_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()

    assert "Customer tier" in body and "Silver" in body
    assert "20,000.00" in body


def test_a_value_of_the_wrong_type_is_refused_next_to_its_field(alice_client, alice, credit, tier):
    response = new_account(alice_client, alice, custom__credit_limit="lots", custom__tier="Bronze")

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["custom__credit_limit"] == ["Enter a number."]
    assert "Bronze is not one of the available choices" in errors["custom__tier"][0]
    assert not Account.objects.exists()


def test_a_required_custom_field_must_be_filled_in(alice_client, alice, db):
    FieldDefinition.objects.create(section="accounts", code="vat", label="VAT number", kind="text", required=True)

    response = new_account(alice_client, alice)

    assert response.status_code == 422
    assert response.context["form"].errors["custom__vat"] == ["This field is required."]
    with pytest.raises(ValidationError) as refused:
        services.create_record(section=registry.get("accounts"), user=alice, data={"name": "Fabrikam"})
    assert refused.value.message_dict == {"custom__vat": ["This field is required."]}


def test_editing_changes_one_value_keeps_the_others_and_logs_the_change(alice, tier, credit):
    account = AccountFactory(owner=alice, custom={"tier": "Gold", "credit_limit": "10.00", "legacy": "kept"})

    updated = edit_credit_limit(account, alice, Decimal("100"))

    assert updated.custom == {"tier": "Gold", "credit_limit": "100.00", "legacy": "kept"}
    assert updated.version == account.version + 1
    entry = ChangeLogEntry.objects.get(object_id=account.pk, action="update")
    change = {"field": "custom__credit_limit", "label": "Credit limit", "old": "10.00", "new": "100.00"}
    assert entry.changes == [change]


def test_saving_an_unchanged_custom_value_changes_nothing(alice, credit):
    account = AccountFactory(owner=alice, custom={"credit_limit": "10.00"})

    edit_credit_limit(account, alice, Decimal("10"))

    account.refresh_from_db()
    assert account.version == 1
    assert not ChangeLogEntry.objects.filter(object_id=account.pk, action="update").exists()


def test_emptying_a_value_removes_it(alice_client, alice, tier):
    account = AccountFactory(owner=alice, custom={"tier": "Gold"})
    url = reverse("accounts:update", args=[account.pk])
    assert alice_client.get(url).context["form"]["custom__tier"].value() == "Gold"

    response = alice_client.post(url, form_data(alice_client, url, custom__tier=""))

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.custom == {}


def test_a_stale_edit_lists_the_custom_field_among_the_conflicts(alice_client, alice, credit):
    account = AccountFactory(owner=alice, custom={"credit_limit": "10.00"})
    url = reverse("accounts:update", args=[account.pk])
    data = form_data(alice_client, url)
    edit_credit_limit(account, alice, Decimal("20"))

    response = alice_client.post(url, {**data, "custom__credit_limit": "30"})

    assert response.status_code == 409
    assert ("Credit limit", "30.00", "20.00") in response.context["conflicts"]
    account.refresh_from_db()
    assert account.custom == {"credit_limit": "20.00"}


def test_a_hidden_custom_field_is_neither_shown_nor_written(client, bob, restrict, credit):
    restrict("custom__credit_limit")
    account = AccountFactory(owner=bob, custom={"credit_limit": "777.00"})
    client.force_login(bob)

    detail = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    form = client.get(reverse("accounts:update", args=[account.pk])).context["form"]

    assert "Credit limit" not in detail and "777" not in detail
    assert "custom__credit_limit" not in form.fields
    with pytest.raises(PermissionDenied):
        edit_credit_limit(account, bob, Decimal("1"))


def test_a_read_only_custom_field_is_shown_but_not_on_the_form(client, bob, restrict, credit):
    restrict("custom__credit_limit", ColumnRight.Access.READ)
    account = AccountFactory(owner=bob, custom={"credit_limit": "777.00"})
    client.force_login(bob)

    detail = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    form = client.get(reverse("accounts:update", args=[account.pk])).context["form"]

    assert "Credit limit" in detail and "777.00" in detail
    assert "custom__credit_limit" not in form.fields


def test_a_retired_field_is_shown_nowhere_but_keeps_its_values(alice_client, alice, credit):
    account = AccountFactory(owner=alice, custom={"credit_limit": "5.00"})
    credit.is_active = False
    credit.save()

    detail = alice_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    form = alice_client.get(reverse("accounts:update", args=[account.pk])).context["form"]

    assert "Credit limit" not in detail
    assert "custom__credit_limit" not in form.fields
    account.refresh_from_db()
    assert account.custom == {"credit_limit": "5.00"}


def test_a_value_for_a_field_that_does_not_exist_is_refused(alice):
    with pytest.raises(PermissionDenied):
        services.create_record(section=registry.get("accounts"), user=alice, data={"name": "X", "custom__nope": "1"})


def test_a_new_definition_is_seen_by_the_next_request(alice_client):
    assert "custom__region" not in alice_client.get(reverse("accounts:create")).context["form"].fields

    FieldDefinition.objects.create(section="accounts", code="region", label="Region", kind="text")

    assert "custom__region" in alice_client.get(reverse("accounts:create")).context["form"].fields


@pytest.mark.parametrize(
    ("kind", "typed", "stored", "read_back"),
    [
        ("integer", "42", 42, 42),
        ("boolean", "on", True, True),
        ("datetime", "2026-11-02T09:30", "2026-11-02T09:30:00+00:00", None),
        ("email", "Ana@Example.com", "Ana@Example.com", "Ana@Example.com"),
        ("url", "example.com", "https://example.com", "https://example.com"),
        ("long_text", "line one\nline two", "line one\nline two", "line one\nline two"),
    ],
)
def test_each_kind_is_kept_in_json_and_read_back(alice_client, alice, settings, kind, typed, stored, read_back):
    settings.TIME_ZONE = "UTC"
    FieldDefinition.objects.create(section="accounts", code="value", label="Value", kind=kind)

    response = new_account(alice_client, alice, custom__value=typed)

    assert response.status_code == 302, response.context["form"].errors
    account = Account.objects.get(name="Contoso")
    assert account.custom == {"value": stored}
    value = registry.get("accounts").custom_field("custom__value").value_from_object(account)
    if kind == "datetime":
        assert value == datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
    else:
        assert value == read_back


@pytest.mark.parametrize(
    ("changes", "error_field"),
    [
        ({"code": "name"}, "code"),
        ({"code": "custom"}, "code"),
        ({"section": "nowhere"}, "section"),
        ({"kind": "choice", "options": []}, "options"),
        ({"kind": "choice", "options": ["Gold", "gold"]}, "options"),
        ({"kind": "choice", "options": ["x" * 101]}, "options"),
        ({"kind": "choice", "options": [str(n) for n in range(201)]}, "options"),
        ({"code": "Bad Code"}, "code"),
        ({"code": "double__underscore"}, "code"),
    ],
)
def test_a_definition_that_cannot_work_is_refused(db, changes, error_field):
    definition = FieldDefinition(**{"section": "accounts", "code": "ok", "label": "Label", "kind": "text", **changes})

    with pytest.raises(ValidationError) as refused:
        definition.full_clean()

    assert error_field in refused.value.message_dict


def test_the_change_log_does_not_show_a_hidden_fields_values(client, alice, bob, restrict, credit):
    team = restrict("custom__credit_limit").role
    account = services.create_record(
        section=registry.get("accounts"),
        user=alice,
        data={"name": "Contoso", "city": "Basel", "custom__credit_limit": Decimal("777")},
    )
    client.force_login(bob)
    OperationRight.objects.create(role=team, operation="view_change_log", allowed=True)

    body = client.get(reverse("accounts:tab", args=[account.pk, "history"])).content.decode()

    assert "Basel" in body
    assert "777" not in body and "Credit limit" not in body


def test_a_label_with_markup_is_shown_as_text(alice_client, alice):
    FieldDefinition.objects.create(section="accounts", code="evil", label="<script>alert(1)</script>", kind="text")
    account = AccountFactory(owner=alice, custom={"evil": "<b>bold</b>"})

    form_page = alice_client.get(reverse("accounts:update", args=[account.pk])).content.decode()
    detail = alice_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()

    for body in (form_page, detail):
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>bold</b>" not in detail


def test_the_column_rights_screen_offers_custom_fields(db, credit):
    from crm.access.forms import ColumnRightForm

    choices = dict(ColumnRightForm().fields["column"].choices)

    assert ("accounts:custom__credit_limit", "Credit limit") in choices["Accounts"]
