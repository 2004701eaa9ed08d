"""The Knowledge base tab every other section's record page gets: the articles linked from the record."""

from crm.sections.registry import RecordTab, register_record_tab

from . import views


def _not_knowledge(section) -> bool:
    return section.name != "knowledge"


register_record_tab(
    RecordTab(name="knowledge", title="Knowledge base", view=views.record_tab, position=60, applies_to=_not_knowledge)
)
