"""The Projects and Project tasks sections' declarations, and what the projects app adds to other sections
("Create project" on a won opportunity and on an order, the employees' rates on a contact, the actual hours of
completed activities connected to a task)."""

from crm.sections.details import Detail, DetailTab, profile_card
from crm.sections.registry import Section, register
from crm.sections.urls import section_urlpatterns

from . import integration
from .forms import PredecessorForm, ProjectTaskForm
from .models import Project, ProjectTask, Resource, TaskDependency
from .services import projects as project_services
from .services import schedule, work

section = register(
    Section(
        name="projects",
        model=Project,
        title="Projects",
        title_singular="project",
        icon="bi-kanban",
        position=65,
        list_columns=(
            "name",
            "status",
            "type",
            "account",
            "start_date",
            "due_date",
            "completion",
            "planned_hours",
            "actual_hours",
            "owner",
        ),
        default_sort="-created_at",
        search_fields=("name", "account__name", "contact__full_name"),
        filter_fields=("status", "type", "owner", "account", "contact", "start_date", "due_date", "created_at"),
        form_fields=(
            "name",
            "type",
            "status",
            "owner",
            "account",
            "contact",
            "start_date",
            "due_date",
            "deadline",
            "completion",
            "completion_automatic",
            "opportunity",
            "order",
            "supplier",
            "description",
        ),
        detail_fields=(
            ("Project", ("name", "type", "status", "owner", "completion", "completion_automatic")),
            ("Customer", ("account", "contact", "supplier")),
            ("Timeframe", ("start_date", "due_date", "deadline", "duration_hours")),
            ("Hours", ("planned_hours", "actual_hours")),
            ("Connected to", ("opportunity", "order")),
            ("More", ("description",)),
        ),
        cards=(profile_card("account", ("phone", "web", "city")),),
        scripts=("js/projects.js",),
        after_save=project_services.project_saved,
        record_actions=(
            ("projects:gantt", "Gantt chart"),
            ("projects:copy", "Copy project", "create"),
        ),
        extra_actions=(("projects:timesheet", "Timesheet"),),
        views=(
            ("projects:gantt_list", "Gantt chart", "bi-bar-chart-steps"),
            ("projects:analytics", "Analytics", "bi-bar-chart"),
        ),
        import_columns=("name", "type", "status", "account", "start_date", "due_date", "owner"),
        analytics_fields=("status", "type", "owner", "start_date", "due_date", "created_at"),
    )
)

RESOURCES = Detail(
    "resources",
    "Resources",
    Resource,
    relation="task",
    fields=("role", "contact", "planned_hours"),
    columns=("role", "contact", "planned_hours", "actual_hours"),
    select_related=("contact",),
    after_write=work.resources_changed,
    empty_text="No resources yet: add who works on the task and for how many hours.",
)

PREDECESSORS = Detail(
    "predecessors",
    "Predecessors (finish to start)",
    TaskDependency,
    relation="successor",
    fields=("predecessor", "lag_days"),
    columns=("predecessor", "lag_days"),
    form_class=PredecessorForm,
    select_related=("predecessor",),
    add=schedule.add_dependency_row,
    change=schedule.change_dependency_row,
    empty_text="Starts whenever it is planned: no task must finish first.",
)


class TaskSection(Section):
    """The tasks' pages are the generic ones: the projects app's own pages (the Gantt, the timesheet, a task's
    move) live under /projects/, so they are not mounted twice."""

    def get_urls(self) -> list:
        return section_urlpatterns(self)


task_section = register(
    TaskSection(
        name="project_tasks",
        model=ProjectTask,
        title="Project tasks",
        title_singular="project task",
        icon="bi-diagram-3",
        position=66,
        list_columns=(
            "name",
            "project",
            "status",
            "start_date",
            "due_date",
            "completion",
            "planned_hours",
            "actual_hours",
            "owner",
        ),
        default_sort="-created_at",
        search_fields=("name", "project__name"),
        filter_fields=("project", "status", "owner", "account", "start_date", "due_date", "created_at"),
        form_fields=(
            "name",
            "project",
            "parent",
            "status",
            "owner",
            "account",
            "contact",
            "supplier",
            "start_date",
            "due_date",
            "deadline",
            "completion",
        ),
        detail_fields=(
            ("Task", ("name", "project", "parent", "status", "owner", "completion")),
            ("Timeframe", ("start_date", "due_date", "deadline", "duration_hours")),
            ("Hours", ("planned_hours", "actual_hours", "activity_hours")),
            ("Parties", ("account", "contact", "supplier")),
        ),
        select_related=("project",),
        detail_tabs=(DetailTab("resources", "Resources", (RESOURCES, PREDECESSORS)),),
        form_class=ProjectTaskForm,
        after_save=schedule.task_saved,
        record_actions=(("projects:task_shift", "Shift timeframe"),),
        analytics_fields=("status", "owner", "project", "start_date", "due_date"),
    )
)

integration.connect()
