"""The project's own rules: its status process, its duration in working hours, its completion, and dates that
keep its tasks inside it. `project_saved` is the section's after_save hook, so the form, the API and the status
moves obey the same rules in the same transaction."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min

from crm import access
from crm.sections import registry
from crm.sections import services as section_services
from crm.sections.details import record_detail_change, update_record_fields

from ..calendar import calendar
from ..models import CashFlow, Project, ProjectTask


def section():
    return registry.get("projects")


def move_to(*, user, project: Project, status: str, expected_version: int) -> Project:
    """Move the project to `status` along the declared transitions (the same save as the form's)."""
    return section_services.move_status(
        section=section(), user=user, obj=project, value=status, expected_version=expected_version
    )


def project_saved(*, user, obj: Project, previous: dict | None) -> None:
    """The section's after_save hook: runs inside the create/update transaction, so a refusal writes nothing."""
    if previous is not None:
        if "status" in previous and not Project(status=previous["status"]).may_move_to(obj.status):
            old = Project.Status(previous["status"]).label
            raise ValidationError({"status": f"A project cannot go from “{old}” to “{obj.get_status_display()}”."})
        if "start_date" in previous or "due_date" in previous:
            _check_tasks_inside(obj)
    values = {"duration_hours": calendar().working_hours_between(obj.start_date, obj.due_date)}
    if obj.completion_automatic:
        values["completion"] = automatic_completion(obj.actual_hours, obj.planned_hours)
    elif obj.status == Project.Status.COMPLETED and (previous or {}).get("status") != obj.status:
        values["completion"] = 100
    update_record_fields(obj, values, bump_version=False)


def _check_tasks_inside(project: Project) -> None:
    bounds = ProjectTask.objects.filter(project=project).aggregate(first=Min("start_date"), last=Max("due_date"))
    if bounds["first"] and bounds["first"] < project.start_date:
        raise ValidationError(
            {"start_date": f"Tasks of the project start on {bounds['first']}, before the new start date."}
        )
    if bounds["last"] and project.due_date and bounds["last"] > project.due_date:
        raise ValidationError({"due_date": f"Tasks of the project end on {bounds['last']}, after the new due date."})


def automatic_completion(actual: Decimal, planned: Decimal) -> int:
    """Completion as actual over planned working time, 0 to 100."""
    if not planned:
        return 0
    return int(min(Decimal(100), actual * 100 / planned))


def refresh_completion(project_id: int) -> None:
    """After hours changed: a project that calculates its completion follows them."""
    project = Project.objects.filter(pk=project_id, completion_automatic=True).only(
        "actual_hours", "planned_hours", "completion"
    )
    project = project.first()
    if project is not None:
        completion = automatic_completion(project.actual_hours, project.planned_hours)
        if completion != project.completion:
            Project.objects.filter(pk=project_id).update(completion=completion)


# --- cash flows ---------------------------------------------------------------------------------------------------


def add_cash_flow(*, user, project: Project, data: dict) -> CashFlow:
    """A cash flow of the project (planned as Budget, done as Completed); needs the right to edit the project."""
    if not access.can(user, "edit", project):
        raise PermissionDenied("You may not change this project's cash flows.")
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        flow = CashFlow(project=project, **data)
        if not flow.number:
            flow.number = str(CashFlow.objects.filter(project=project).count() + 1)
        flow.full_clean()
        flow.save()
        record_detail_change(user=user, record=project, label="Cash flows", old="", new=str(flow))
    return flow


def delete_cash_flow(*, user, flow: CashFlow) -> None:
    if not access.can(user, "edit", flow.project):
        raise PermissionDenied("You may not change this project's cash flows.")
    with transaction.atomic():
        text = str(flow)
        flow.delete()
        record_detail_change(user=user, record=flow.project, label="Cash flows", old=text, new="")
