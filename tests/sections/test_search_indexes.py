"""On PostgreSQL every search field of every section has the trigram index its search needs."""

import pytest
from django.db import connection

from crm.sections import registry

SECTIONS = registry.all_sections()


def trigram_indexed_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        definitions = [row[0] for row in cursor.fetchall()]
    return {
        definition.split("upper((")[1].split(")")[0]
        for definition in definitions
        if "gin_trgm_ops" in definition and "upper((" in definition
    }


def searched_columns(section) -> list[tuple[str, str]]:
    """(table, column) of each search field, following relations (`account__name` is the account's name)."""
    columns = []
    for path in section.search_fields:
        model = section.model
        *relations, name = path.split("__")
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        columns.append((model._meta.db_table, model._meta.get_field(name).column))
    return columns


@pytest.mark.django_db
@pytest.mark.parametrize("section", SECTIONS, ids=[s.name for s in SECTIONS])
def test_every_search_field_has_a_trigram_index(section):
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are a PostgreSQL matter")

    missing = [
        f"{table}.{column}"
        for table, column in searched_columns(section)
        if column not in trigram_indexed_columns(table)
    ]

    assert missing == [], "add a trigram index (crm.core.seeding.trigram_indexes) in a migration"
