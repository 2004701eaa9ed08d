"""The section wizard: a section made at runtime is served at once by the generic machinery, bad input makes
nothing, renaming keeps the data, retiring keeps it too, and lookups are re-pointed by deletes and merges."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.access.models import Membership, OperationRight
from crm.designer import custom_sections, section_services, services, storage
from crm.designer.models import CustomSection, FieldDefinition
from crm.sections import deletion, registry
from crm.sections import services as record_services
from tests.factories import AccountFactory, SiteVisitFactory
from tests.factories.custom_sections import ensure_site_visits

COMPETITOR_FIELDS = [
    {"code": "account", "label": "Account", "kind": "lookup", "target": "accounts"},
    {"code": "strength", "label": "Strength", "kind": "choice", "options": ["Weak", "Strong"]},
    {"code": "budget", "label": "Budget", "kind": "decimal"},
]


@pytest.fixture
def designer(bob, role_tree):
    """bob holds the designer right (and nothing else of an administrator's)."""
    Membership.objects.create(user=bob, role=role_tree.administrators)
    OperationRight.objects.create(role=role_tree.administrators, operation="designer", allowed=True)
    return bob


def make_competitors(user, **extra):
    return section_services.create_section(
        user=user,
        code="competitors",
        title="Competitor analysis",
        title_singular="competitor analysis",
        number_mask="CA-{number:03d}",
        fields=COMPETITOR_FIELDS,
        **extra,
    )


def test_a_section_made_in_the_wizard_is_served_at_once_by_the_generic_pages(client, designer, alice):
    client.force_login(designer)
    response = client.post(
        reverse("designer:custom_section_create"),
        {
            "title": "Competitor analysis",
            "code": "competitors",
            "icon": "bi-trophy",
            "position": 300,
            "name_label": "Competitor",
            "number_mask": "CA-{number:03d}",
        },
    )
    assert response.status_code == 302
    for definition in COMPETITOR_FIELDS:
        services.add_field(user=designer, section="competitors", **definition)
    account = AccountFactory(owner=alice, name="Acme")

    client.force_login(alice)
    response = client.post(
        "/competitors/new/",
        {
            "name": "Initech",
            "owner": alice.pk,
            "custom__account": account.pk,
            "custom__strength": "Strong",
            "custom__budget": "1200.50",
        },
    )

    record = registry.get("competitors").model._default_manager.get()
    assert response.status_code == 302 and record.number == "CA-001"
    assert record.custom == {"account": account.pk, "strength": "Strong", "budget": "1200.50"}
    page = client.get("/competitors/", {"custom__strength": "Strong", "sort": "-custom__budget"}).content.decode()
    assert "Initech" in page and "Acme" in page
    assert client.get(f"/competitors/{record.pk}/").status_code == 200
    assert 'id="menu-competitors"' in page or "Competitor analysis" in page


def test_another_process_serves_the_section_from_its_next_request(client, designer, alice):
    make_competitors(designer)
    # another process: its registry and URLs know nothing of the section yet
    custom_sections.forget_unpinned()
    custom_sections._state["version"] = "an older one"
    assert "competitors" not in {s.name for s in registry.all_sections()}

    client.force_login(alice)

    assert client.get("/competitors/").status_code == 200
    assert "competitors" in {s.name for s in registry.all_sections()}


@pytest.mark.parametrize("code", ["accounts", "search", "admin", "designer", "new"])
def test_a_code_taken_by_a_section_or_an_address_is_refused_and_nothing_is_made(designer, code):
    with pytest.raises(ValidationError) as refused:
        section_services.create_section(user=designer, code=code, title="Clash")

    assert "code" in refused.value.message_dict
    assert not CustomSection.objects.exists()


def test_a_bad_field_makes_nothing_neither_section_nor_table(designer):
    fields = [*COMPETITOR_FIELDS, {"code": "tier", "label": "Tier", "kind": "choice", "options": []}]

    with pytest.raises(ValidationError):
        section_services.create_section(user=designer, code="competitors", title="Competitors", fields=fields)

    assert not CustomSection.objects.exists() and not FieldDefinition.objects.filter(section="competitors").exists()
    assert "competitors" not in {s.name for s in registry.all_sections()}
    assert not storage.table_exists(custom_sections.model_for("competitors"))


def test_a_user_without_the_designer_right_makes_no_section_even_by_a_crafted_post(client, charlie):
    client.force_login(charlie)

    response = client.post(reverse("designer:custom_section_create"), {"title": "X", "code": "crafted"})

    assert response.status_code == 404 and not CustomSection.objects.exists()
    with pytest.raises(Exception, match="may not"):
        section_services.create_section(user=charlie, code="crafted", title="Crafted")


def add_lookup(user, section: str, code: str, target: str, *, required: bool = True):
    return services.add_field(
        user=user, section=section, code=code, label=code.title(), kind="lookup", target=target, required=required
    )


def test_a_required_lookup_that_would_make_a_section_require_itself_is_refused(designer):
    make_competitors(designer)
    add_lookup(designer, "site_visits", "rival", "competitors")

    with pytest.raises(ValidationError, match="require a record of itself"):
        add_lookup(designer, "competitors", "visit", "site_visits")
    with pytest.raises(ValidationError, match="require a record of itself"):
        add_lookup(designer, "competitors", "parent", "competitors")
    add_lookup(designer, "competitors", "parent", "competitors", required=False)  # optional, it is fine


def test_a_fields_type_cannot_change_once_records_hold_values(designer, alice):
    ensure_site_visits()
    SiteVisitFactory(owner=alice, custom={"cost": "10.00"})
    definition = FieldDefinition.objects.get(section="site_visits", code="cost")

    with pytest.raises(ValidationError, match="type cannot change"):
        services.change_field(user=designer, definition=definition, kind="text")


def test_renaming_a_section_and_a_field_keeps_the_records_and_their_values(designer, alice):
    row = make_competitors(designer)
    model = registry.get("competitors").model
    model._default_manager.create(name="Initech", owner=alice, custom={"budget": "5.00"})
    definition = FieldDefinition.objects.get(section="competitors", code="budget")

    section_services.change_section(user=designer, section=row, title="Rivals", title_singular="rival")
    services.change_field(user=designer, definition=definition, label="Yearly budget")

    section = registry.get("competitors")
    assert section.title == "Rivals" and section.custom_field("custom__budget").label == "Yearly budget"
    assert section.custom_field("custom__budget").value_from_object(model._default_manager.get()) == Decimal("5.00")


def test_a_retired_section_is_gone_from_the_site_and_restored_with_its_records(client, designer, alice):
    row = make_competitors(designer)
    model = registry.get("competitors").model
    model._default_manager.create(name="Initech", owner=alice)
    client.force_login(alice)

    section_services.set_section_active(user=designer, section=row, active=False)
    assert client.get("/competitors/").status_code == 404

    section_services.set_section_active(user=designer, section=row, active=True)
    assert "Initech" in client.get("/competitors/").content.decode()


def test_approvals_once_on_stay_on(designer):
    from crm.approvals import registry as approvals

    row = make_competitors(designer, approvals=True)

    assert approvals.is_registered("competitors")
    with pytest.raises(ValidationError, match="stay on"):
        section_services.change_section(user=designer, section=row, approvals=False)


def test_a_unique_field_refuses_a_second_record_with_the_same_value(designer, alice):
    make_competitors(designer)
    services.add_field(user=designer, section="competitors", code="vat", label="VAT id", kind="text", unique=True)
    section = registry.get("competitors")
    record_services.create_record(section=section, user=alice, data={"name": "A", "custom__vat": "DE1"})

    with pytest.raises(ValidationError, match="already has this VAT id"):
        record_services.create_record(section=section, user=alice, data={"name": "B", "custom__vat": "DE1"})


def test_a_field_gets_the_index_its_list_filters_by(designer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_competitors(designer)

    model = registry.get("competitors").model
    names = storage.existing_indexes(model)
    for field in registry.get("competitors").custom_fields():
        assert {index.name for index in storage.field_indexes(model, field)} <= names


def test_deleting_a_record_a_built_in_sections_lookup_points_to_moves_the_references(designer, alice):
    ensure_site_visits()
    services.add_field(
        user=designer, section="accounts", code="last_visit", label="Last visit", kind="lookup", target="site_visits"
    )
    visit, other = SiteVisitFactory(owner=alice), SiteVisitFactory(owner=alice)
    account = AccountFactory(owner=alice, custom={"last_visit": visit.pk})

    with pytest.raises(record_services.DependentRecordsError):
        record_services.delete_record(user=alice, obj=visit)
    deletion.delete_reassigning(user=alice, obj=visit, target=other)

    account.refresh_from_db()
    assert account.custom["last_visit"] == other.pk


def test_merging_accounts_repoints_a_runtime_sections_lookup(designer, alice, ada):
    from crm.duplicates.merge import merge_records

    ensure_site_visits()
    survivor, loser = AccountFactory(owner=alice, name="Acme"), AccountFactory(owner=alice, name="ACME")
    visit = SiteVisitFactory(owner=alice, custom={"account": loser.pk})

    merge_records(section=registry.get("accounts"), user=ada, survivor=survivor, others=[loser])

    visit.refresh_from_db()
    assert visit.custom["account"] == survivor.pk


def test_a_list_filters_by_a_lookup_to_an_account_the_user_may_see(client, alice):
    ensure_site_visits()
    acme, other = AccountFactory(owner=alice, name="Acme"), AccountFactory(owner=alice, name="Other")
    SiteVisitFactory(owner=alice, name="At Acme", custom={"account": acme.pk})
    SiteVisitFactory(owner=alice, name="Elsewhere", custom={"account": other.pk})
    client.force_login(alice)

    page = client.get("/site_visits/", {"custom__account": acme.pk}).content.decode()

    assert "At Acme" in page and "Elsewhere" not in page
