"""A section made the way the section wizard makes them, present in every test: the security suite, the URL
tests and the query counts run over it like over the built-in ones (it is pinned in the registry at import, its
table is made once per test database, its fields are written by `ensure_site_visits`)."""

from __future__ import annotations

import factory

from crm.designer import custom_sections, storage
from crm.designer.models import CustomSection, FieldDefinition

from .customers import RecordFactory

CODE = "site_visits"
ROW = CustomSection(
    code=CODE,
    title="Site visits",
    title_singular="site visit",
    icon="bi-geo-alt",
    position=480,
    name_label="Subject",
    number_mask="SV-{number:04d}",
)
FIELDS = (
    {"code": "outcome", "label": "Outcome", "kind": "choice", "options": ["Good", "Poor"]},
    {"code": "cost", "label": "Cost", "kind": "decimal"},
    {"code": "visited_on", "label": "Visited on", "kind": "date"},
    {"code": "account", "label": "Account", "kind": "lookup", "target": "accounts"},
    {"code": "topic", "label": "Topic", "kind": "text"},
)

SiteVisit = custom_sections.model_for(CODE)
custom_sections.pin(custom_sections.section_for(ROW))


def ensure_table() -> None:
    """The section's table in the test database (once per database: a flush empties it, never drops it)."""
    from django.contrib.contenttypes.models import ContentType

    if not storage.table_exists(SiteVisit):
        storage.create_table(SiteVisit)
    # made outside any test's transaction: a content type cached by one test must exist in the next
    ContentType.objects.get_for_model(SiteVisit)


def ensure_site_visits() -> None:
    """The section's row and field definitions (a transactional test before may have flushed them)."""
    if not CustomSection.objects.filter(code=CODE).exists():
        row = CustomSection(**{f.attname: getattr(ROW, f.attname) for f in CustomSection._meta.concrete_fields})
        row.pk = None
        row.save()
    for position, definition in enumerate(FIELDS, start=1):
        FieldDefinition.objects.get_or_create(
            section=CODE, code=definition["code"], defaults={**definition, "position": position}
        )


class SiteVisitFactory(RecordFactory):
    class Meta:
        model = SiteVisit

    name = factory.Sequence(lambda n: f"Visit {n:05d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        ensure_site_visits()
        return super()._create(model_class, *args, **kwargs)
