"""Celery tasks of the system designer: thin, safe to run twice (an index that exists is left as it is)."""

from celery import shared_task


@shared_task(name="crm.designer.tasks.build_field_index", ignore_result=True)
def build_field_index(section_name: str, code: str) -> bool:
    """Build the expression index of a custom field that lists filter or sort by (see crm.designer.storage)."""
    from crm.sections import registry

    from . import custom_sections, storage

    custom_sections.refresh()
    try:
        section = registry.get(section_name)
    except KeyError:
        return False
    field = next((f for f in section.custom_fields() if f.code == code), None)
    if field is None:
        return False
    return storage.build_index(section.model, field)
