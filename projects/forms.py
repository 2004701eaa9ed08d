"""Forms of project tasks: a summary task's dates are shown, not typed (they are its subtasks' span); a predecessor
is chosen among the other tasks of the same project."""

from django import forms

from crm.sections.details import DetailForm
from crm.sections.forms import SectionForm

from .models import TaskDependency


class PredecessorForm(DetailForm):
    class Meta:
        model = TaskDependency
        fields = ["predecessor", "lag_days"]

    def setup(self, record) -> None:
        field = self.fields["predecessor"]
        if record is not None and hasattr(field, "queryset"):
            field.queryset = field.queryset.filter(project_id=record.project_id).exclude(pk=record.pk)
            # a project's tasks are few enough to list: a plain choice instead of the type-ahead over every task
            field.widget = forms.Select(attrs={"class": "form-select form-select-sm"})
            field.widget.choices = field.choices


class ProjectTaskForm(SectionForm):
    """The task form: a task with subtasks shows its dates, their span, without letting them be typed (the
    schedule refuses them on every other path too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.children.exists():
            for name in ("start_date", "due_date"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = "From its subtasks: change theirs, or use Shift timeframe."
