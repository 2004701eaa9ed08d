"""Configuration as data: the designer's configuration exported as one JSON file and imported elsewhere, with a
dry run listing what would change, in one transaction."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Industry
from crm.designer import config, layouts
from crm.designer import lookup_tables as lookups
from crm.designer.models import BusinessRule, FieldDefinition, LookupTable, LookupValue, PageLayout
from crm.sections import registry
from tests.factories.opportunities import stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(ada, budget_at_proposal):
    """A custom field, a layout, a rule on a lookup value, a runtime lookup table."""
    FieldDefinition.objects.create(
        section="opportunities", code="threat", label="Threat", kind="choice", options=["Weak", "Strong"]
    )
    layouts.save_layout(
        user=ada,
        section=registry.get("accounts"),
        groups=[{"title": "All", "tab": "", "fields": ["name"]}],
        hidden=["web"],
    )
    table = lookups.create_table(user=ada, code="regions", title="Regions")
    LookupValue.objects.create(table=table, name="North", position=1)
    return config.export()


def test_the_file_names_lookup_values_by_name_not_by_this_installations_ids(configured):
    rule = configured["rules"][0]

    assert rule["conditions"][0]["value"] == "Proposal"
    assert configured["lookup_values"] == [
        {"table": "regions", "name": "North", "description": "", "position": 1, "is_active": True}
    ]
    assert json.loads(json.dumps(configured, default=str))["format"] == "opencrm-designer"


def test_a_dry_run_lists_what_would_change_and_changes_nothing(ada, configured):
    BusinessRule.objects.all().delete()
    FieldDefinition.objects.filter(code="threat").update(label="Danger")

    changes = config.import_configuration(user=ada, data=configured, dry_run=True)

    assert {str(c) for c in changes} == {
        "fields: change opportunities/threat (label)",
        "rules: add opportunities/Budget at proposal",
    }
    assert not BusinessRule.objects.exists()
    assert FieldDefinition.objects.get(code="threat").label == "Danger"


def test_importing_brings_the_configuration_in(ada, configured):
    BusinessRule.objects.all().delete()
    PageLayout.objects.all().delete()
    LookupTable.objects.all().delete()

    changes = config.import_configuration(user=ada, data=configured, dry_run=False)

    assert len(changes) == 4
    rule = BusinessRule.objects.get()
    assert rule.conditions[0]["value"] == str(stage("proposal").pk)
    assert PageLayout.objects.get().hidden == ["web"]
    assert LookupValue.objects.get().table.code == "regions"
    assert config.import_configuration(user=ada, data=configured, dry_run=True) == []


def test_a_file_refused_anywhere_changes_nothing(ada, configured):
    FieldDefinition.objects.all().delete()
    BusinessRule.objects.all().delete()
    configured["rules"][0]["formula"] = "budget / 0"
    configured["rules"][0]["action"] = "set_value"
    configured["rules"][0]["target"] = "probability"

    with pytest.raises(ValidationError, match="rules “opportunities/Budget at proposal”: .*divides by zero"):
        config.import_configuration(user=ada, data=configured, dry_run=False)
    assert not FieldDefinition.objects.exists()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"format": "something else"}, "not a configuration file"),
        ({"format": "opencrm-designer", "version": 99}, "version 99"),
        ({"format": "opencrm-designer", "version": 1, "fields": "x"}, "must be a list"),
        ({"format": "opencrm-designer", "version": 1, "layouts": [{"section": "nowhere"}]}, "No section"),
        ({"format": "opencrm-designer", "version": 1, "lookup_values": [{"table": "nope", "name": "X"}]}, "No lookup"),
        ({"format": "opencrm-designer", "version": 1, "builtin_lookups": [{"table": "x.y", "name": "X"}]}, "no lookup"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(ada, data, reason):
    with pytest.raises(ValidationError, match=reason):
        config.import_configuration(user=ada, data=data, dry_run=False)


def test_builtin_lookup_values_travel_too(ada):
    data = config.export()
    data["builtin_lookups"].append({"table": "accounts.industry", "name": "Space", "position": 99, "is_active": True})

    config.import_configuration(user=ada, data=data, dry_run=False)

    assert Industry.objects.filter(name="Space").exists()


def test_the_page_downloads_and_dry_runs_a_file(client, ada, configured):
    client.force_login(ada)
    url = reverse("designer:configuration")

    download = client.get(url, {"download": "1"})
    BusinessRule.objects.all().delete()
    upload = SimpleUploadedFile("configuration.json", download.content, content_type="application/json")
    dry_run = client.post(url, {"file": upload, "apply": "0"})

    assert download["Content-Disposition"].startswith("attachment")
    assert "rules: add opportunities/Budget at proposal" in dry_run.content.decode()
    assert not BusinessRule.objects.exists()


def test_the_page_refuses_what_is_not_json(client, ada):
    client.force_login(ada)

    response = client.post(
        reverse("designer:configuration"), {"file": SimpleUploadedFile("x.json", b"\x00not json"), "apply": "1"}
    )

    assert response.status_code == 422
    assert "not JSON" in response.content.decode()


def test_without_the_right_the_page_does_not_exist(alice_client):
    assert alice_client.get(reverse("designer:configuration"), {"download": "1"}).status_code == 404


RIVAL_FIELDS = [
    {"code": "account", "label": "Account", "kind": "lookup", "target": "accounts"},
    {"code": "strength", "label": "Strength", "kind": "choice", "options": ["Weak", "Strong"], "required": True},
]


@pytest.fixture
def rivals_file(ada):
    """The file of an installation with a runtime section "Rivals" (and an account field pointing to it), as
    another installation receives it: the section is then made away again."""
    from crm.designer import custom_sections, section_services
    from crm.designer.models import CustomSection

    section_services.create_section(
        user=ada, code="rivals", title="Rivals", title_singular="rival", icon="bi-trophy", fields=RIVAL_FIELDS
    )
    FieldDefinition.objects.create(
        section="accounts", code="main_rival", label="Main rival", kind="lookup", target="rivals"
    )
    data = config.export()
    FieldDefinition.objects.filter(section__in=["rivals", "accounts"]).delete()
    CustomSection.objects.filter(code="rivals").delete()
    custom_sections.load()
    return data


def test_the_file_holds_the_runtime_sections_with_their_fields(rivals_file):
    assert [(row["code"], row["title"], row["icon"], row["is_active"]) for row in rivals_file["sections"]] == [
        ("rivals", "Rivals", "bi-trophy", True)
    ]
    fields = {(row["section"], row["code"]): row for row in rivals_file["fields"]}
    assert fields["rivals", "account"]["target"] == "accounts"
    assert fields["rivals", "strength"]["required"] is True
    assert fields["accounts", "main_rival"]["target"] == "rivals"


def test_a_dry_run_lists_the_sections_it_would_make_and_makes_none(ada, rivals_file):
    from crm.designer.models import CustomSection

    changes = config.import_configuration(user=ada, data=rivals_file, dry_run=True)

    assert {str(c) for c in changes} >= {
        "sections: add rivals",
        "fields: add rivals/account",
        "fields: add rivals/strength",
        "fields: add accounts/main_rival",
    }
    assert [str(c) for c in changes][0] == "sections: add rivals"
    assert not CustomSection.objects.exists()
    with pytest.raises(KeyError):
        registry.get("rivals")


def test_importing_makes_the_section_through_the_wizard_with_its_table_and_fields(ada, rivals_file):
    from crm.designer import storage
    from crm.sections import services as record_services
    from tests.factories import AccountFactory

    config.import_configuration(user=ada, data=rivals_file, dry_run=False)

    section = registry.get("rivals")
    assert (section.title, section.icon) == ("Rivals", "bi-trophy")
    assert storage.table_exists(section.model)
    account = AccountFactory(owner=ada)
    rival = record_services.create_record(
        section=section, user=ada, data={"name": "Initech", "custom__account": account, "custom__strength": "Weak"}
    )
    assert rival.custom == {"account": account.pk, "strength": "Weak"}
    assert [f.code for f in section.custom_fields()] == ["account", "strength"]


def test_a_section_changed_elsewhere_is_changed_and_retired_through_the_wizard(ada, rivals_file):
    from crm.designer.models import CustomSection

    config.import_configuration(user=ada, data=rivals_file, dry_run=False)
    retired = {**rivals_file, "sections": [{**rivals_file["sections"][0], "title": "Competitors", "is_active": False}]}

    changes = config.import_configuration(user=ada, data=retired, dry_run=False)

    assert [str(c) for c in changes] == ["sections: change rivals (title, is_active)"]
    assert CustomSection.objects.values_list("title", "is_active").get() == ("Competitors", False)
    with pytest.raises(KeyError):
        registry.get("rivals")


def test_a_section_whose_code_clashes_with_a_built_in_one_refuses_the_whole_file(ada, rivals_file):
    from crm.designer.models import CustomSection

    clash = {**rivals_file, "sections": [*rivals_file["sections"], {**rivals_file["sections"][0], "code": "accounts"}]}

    with pytest.raises(ValidationError, match="sections “accounts”"):
        config.import_configuration(user=ada, data=clash, dry_run=False)

    assert not CustomSection.objects.exists()
    with pytest.raises(KeyError):
        registry.get("rivals")
