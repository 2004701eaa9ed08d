"""A unique custom field is held unique by the database too: a unique index on its value, on a runtime section's
table and on a built-in section's alike, made when the field is made unique (refused, naming the value, while two
records share one) and dropped when it no longer is; a save or an import the index refuses reads as the services'
own message."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Account
from crm.designer import section_services, services, unique
from crm.designer.models import FieldDefinition
from crm.imports import services as import_services
from crm.sections import registry
from crm.sections import services as record_services
from tests.factories import AccountFactory
from tests.imports.conftest import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def competitors(ada):
    section_services.create_section(
        user=ada,
        code="competitors",
        title="Competitor analysis",
        title_singular="competitor analysis",
        fields=[{"code": "vat", "label": "VAT id", "kind": "text", "unique": True}],
    )
    return registry.get("competitors")


def refused_by_the_database(model, **values) -> bool:
    try:
        with transaction.atomic():
            model._base_manager.create(**values)
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_a_second_record_with_a_unique_value_of_a_runtime_section(competitors, alice):
    model = competitors.model
    model._base_manager.create(name="A", custom={"vat": "DE1"}, owner=alice)

    assert refused_by_the_database(model, name="B", custom={"vat": "DE1"}, owner=alice)
    assert not refused_by_the_database(model, name="C", custom={"vat": "DE2"}, owner=alice)
    assert not refused_by_the_database(model, name="D", custom={}, owner=alice)
    assert not refused_by_the_database(model, name="E", custom={}, owner=alice)  # empty values never clash


def test_a_custom_field_of_a_built_in_section_made_unique_gets_the_index(ada, alice):
    definition = services.add_field(user=ada, section="accounts", code="duns", label="DUNS number", kind="text")
    AccountFactory(owner=alice, custom={"duns": "150483782"})
    assert not refused_by_the_database(Account, name="Twin", owner=alice, custom={"duns": "150483782"})
    Account.objects.filter(name="Twin").delete()

    services.change_field(user=ada, definition=definition, unique=True)

    assert refused_by_the_database(Account, name="Copy", owner=alice, custom={"duns": "150483782"})


def test_making_a_field_unique_is_refused_naming_a_value_two_records_share(ada, alice):
    definition = services.add_field(user=ada, section="accounts", code="duns", label="DUNS number", kind="text")
    AccountFactory.create_batch(2, owner=alice, custom={"duns": "150483782"})
    AccountFactory(owner=alice, custom={"duns": "004321519"})

    with pytest.raises(ValidationError) as refusal:
        services.change_field(user=ada, definition=definition, unique=True)

    assert refusal.value.message_dict["unique"] == [
        "Several records share the DUNS number “150483782”: it cannot be unique."
    ]
    definition.refresh_from_db()
    assert not definition.unique
    assert unique.index_name(Account, "duns") not in unique._existing(Account)


def test_a_field_no_longer_unique_loses_its_index(competitors, ada, alice):
    definition = FieldDefinition.objects.get(section="competitors", code="vat")
    services.change_field(user=ada, definition=definition, unique=False)
    model = competitors.model
    model._base_manager.create(name="A", custom={"vat": "DE1"}, owner=alice)

    assert not refused_by_the_database(model, name="B", custom={"vat": "DE1"}, owner=alice)
    with pytest.raises(ValidationError, match="share the VAT id “DE1”"):
        services.change_field(user=ada, definition=definition, unique=True)


@pytest.fixture
def a_rival_saves_meanwhile(competitors):
    """Another request saves a record holding the same value after this one's check passed (a record validator
    runs after the services' unique check, just before the save)."""

    def rival(*, section, obj, previous):
        if section.name == "competitors" and obj.name == "Late":
            section.model._base_manager.create(name="Rival", custom=dict(obj.custom), owner=obj.owner)
        return set()

    record_services.register_record_validator(rival)
    yield
    record_services._record_validators.remove(rival)


def test_a_save_that_loses_the_race_reads_as_the_services_message(competitors, alice, a_rival_saves_meanwhile):
    with pytest.raises(ValidationError) as refusal:
        record_services.create_record(
            section=competitors, user=alice, data={"name": "Late", "owner": alice, "custom__vat": "DE9"}
        )

    assert refusal.value.message_dict == {"custom__vat": ["Another competitor analysis already has this VAT id."]}
    assert not competitors.model._base_manager.exists()


def test_an_import_row_with_a_value_another_record_holds_is_refused_with_the_message(competitors, alice):
    competitors.model._base_manager.create(name="A", custom={"vat": "DE1"}, owner=alice)
    rows = [["Name", "VAT id"], ["B", "DE1"], ["C", "DE2"], ["D", "DE2"]]
    job = import_services.create_job(user=alice, section_name="competitors", upload=upload(xlsx_bytes(rows)))
    job = import_services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse")
    import_services.start(user=alice, job=job)
    job = import_services.run(job.pk)

    assert (job.created_count, job.refused_count) == (1, 2)
    assert {row.reason for row in job.refused_rows.all()} == {"Another competitor analysis already has this VAT id."}


def build_indexes_as_the_migration_does():
    """designer 0004: the unique fields made before the database held them get their index."""
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    migration = import_module("crm.designer.migrations.0004_unique_field_indexes")
    # the editor is what `migrate` passes; the migration reads only its connection (SQLite's cannot be entered in
    # the test's transaction)
    migration.build_unique_indexes(apps, connection.schema_editor(atomic=False))


def test_the_migration_indexes_the_unique_fields_made_before_the_index_and_warns_of_a_clash(competitors, alice, caplog):
    # as before the index existed: the competitors' VAT id says unique, with no index, the accounts' DUNS number
    # too, with a value two accounts share
    model = competitors.model
    unique.drop_index(model, "vat")
    model._base_manager.create(name="A", custom={"vat": "DE1"}, owner=alice)
    FieldDefinition.objects.create(section="accounts", code="duns", label="DUNS number", kind="text", unique=True)
    AccountFactory.create_batch(2, owner=alice, custom={"duns": "150483782"})
    assert not refused_by_the_database(model, name="B", custom={"vat": "DE1"}, owner=alice)
    model._base_manager.filter(name="B").delete()

    build_indexes_as_the_migration_does()

    assert refused_by_the_database(model, name="B", custom={"vat": "DE1"}, owner=alice)
    assert unique.index_name(Account, "duns") not in unique._existing(Account)
    assert "Several records share the DUNS number “150483782”" in caplog.text
    build_indexes_as_the_migration_does()  # run again (a migration replayed on a copy): nothing more happens
