"""The unique index of every custom field made unique before the database held it (crm.designer.unique): built
where the field's values are distinct already; where two records share a value the field is left as it is, with
a warning naming it, for an administrator to settle (the field's page refuses to make it unique, naming the
value, until then)."""

import logging

from django.core.exceptions import ValidationError
from django.db import migrations, transaction

logger = logging.getLogger("crm.designer")


def model_of(apps, connection, section: str):
    """The live model of `section` (a built-in section's, or a runtime section's, which the registry holds only
    once requests have loaded them), or None when its table is gone."""
    from crm.designer import custom_sections
    from crm.sections import registry

    try:
        model = registry.get(section).model
    except KeyError:
        if not apps.get_model("designer", "CustomSection").objects.filter(code=section).exists():
            return None
        model = custom_sections.model_for(section)
    return model if model._meta.db_table in connection.introspection.table_names() else None


def build_unique_indexes(apps, schema_editor):
    from crm.designer import unique

    definitions = apps.get_model("designer", "FieldDefinition").objects.filter(unique=True)
    for definition in definitions.order_by("section", "code"):
        model = model_of(apps, schema_editor.connection, definition.section)
        if model is None:
            continue
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                unique.add_index(model, unique.as_field(definition))
        except ValidationError as error:
            logger.warning(
                "The custom field %s of %s is unique but has no unique index: %s",
                definition.code,
                definition.section,
                " ".join(error.messages),
            )


class Migration(migrations.Migration):
    dependencies = [("designer", "0003_merge")]

    operations = [migrations.RunPython(build_unique_indexes, migrations.RunPython.noop)]
