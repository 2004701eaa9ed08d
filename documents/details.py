"""The details a document owns, edited in place on its page: the records it is connected to and the documents
related to it."""

from django.contrib.contenttypes.models import ContentType

from crm import access
from crm.sections import registry
from crm.sections.details import Detail, DetailForm

from . import services
from .models import DocumentLink, DocumentRelation


class LinkForm(DetailForm):
    """A connected record: its section (those the user may read) and its id."""

    class Meta:
        model = DocumentLink
        fields = ("content_type", "object_id")

    def setup(self, record) -> None:
        sections = {s.model: s for s in registry.all_sections() if access.can(self.user, "read", s)}
        types = ContentType.objects.get_for_models(*sections) if sections else {}
        self.fields["content_type"].queryset = ContentType.objects.filter(pk__in=[t.pk for t in types.values()])
        titles = {types[model].pk: section.title_singular.capitalize() for model, section in sections.items()}
        self.fields["content_type"].label_from_instance = lambda content_type: titles.get(
            content_type.pk, content_type.name
        )
        self.fields["object_id"].help_text = "The number in the record's address, e.g. 42 in /contracts/42/."


class RelationForm(DetailForm):
    class Meta:
        model = DocumentRelation
        fields = ("related", "note")


LINKS = Detail(
    name="links",
    title="Connected to",
    model="documents.DocumentLink",
    relation="document",
    fields=LinkForm.Meta.fields,
    columns=(("section_title", "Section"), ("target", "Record")),
    form_class=LinkForm,
    rows=services.link_rows,
    prepare=services.with_targets,
    add=services.add_link,
    change=services.change_link,
    empty_text="Not connected to any record.",
)

RELATED = Detail(
    name="related",
    title="Related documents",
    model="documents.DocumentRelation",
    relation="document",
    fields=RelationForm.Meta.fields,
    columns=(("other", "Document"), "note"),
    form_class=RelationForm,
    rows=services.relation_rows,
    prepare=services.with_other_side,
    add=services.add_relation,
    change=services.change_relation,
    empty_text="No related documents.",
)
