"""Forms of the task details: a predecessor is chosen among the other tasks of the same project."""

from django import forms

from crm.sections.details import DetailForm

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
