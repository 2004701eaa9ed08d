"""The Files tab of a document's page: its file versions."""

from crm.sections.registry import RecordTab, register_record_tab

from . import views


def _is_documents(section) -> bool:
    return section.name == "documents"


register_record_tab(
    RecordTab(name="document_files", title="Files", view=views.files_tab, position=5, applies_to=_is_documents)
)
