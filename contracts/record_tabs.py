"""What contracts give other sections' pages: the Contracts tab of an opportunity."""

from crm.sections.registry import RecordTab, register_record_tab

from . import views


def _is_opportunities(section) -> bool:
    return section.name == "opportunities"


register_record_tab(
    RecordTab(
        name="opportunity_contracts",
        title="Contracts",
        view=views.opportunity_contracts_tab,
        position=20,
        applies_to=_is_opportunities,
    )
)
