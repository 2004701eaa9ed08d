"""The tabs the projects app gives its record pages: a project's Structure (named after the tasks' section, so
the plain related list of tasks gives way to it), Resources and Financial indicators; a task's Time."""

from crm.sections.registry import RecordTab, register_record_tab

from .views import tabs


def _projects(section) -> bool:
    return section.name == "projects"


def _tasks(section) -> bool:
    return section.name == "project_tasks"


register_record_tab(RecordTab("project_tasks", "Structure", tabs.structure_tab, position=1, applies_to=_projects))
register_record_tab(RecordTab("project_resources", "Resources", tabs.resources_tab, position=2, applies_to=_projects))
register_record_tab(
    RecordTab("project_financials", "Financial indicators", tabs.financial_tab, position=3, applies_to=_projects)
)
register_record_tab(RecordTab("task_time", "Time", tabs.time_tab, position=1, applies_to=_tasks))
