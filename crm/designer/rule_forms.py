"""The forms of the business rules and the detail wizard (their checks are the services'; these parse)."""

from __future__ import annotations

from django import forms

from crm.sections import registry

from .conditions import OPERATORS
from .details_wizard import available_columns, relations_to
from .models import BusinessRule, DetailDefinition

CONDITION_ROWS = 4


def field_choices(section) -> list[tuple[str, str]]:
    return [(name, section.label_for(name)) for name in section.field_names()]


class RuleForm(forms.ModelForm):
    values = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For “limit the values”: the values offered, one per line (names or codes).",
    )
    formula = forms.CharField(
        required=False,
        help_text="For “set the value”: another field's name, or a formula such as budget * 2 or "
        "add_days(close_date, 30); days_between(a, b) and today() work too.",
    )

    class Meta:
        model = BusinessRule
        fields = ("name", "match", "action", "target", "values", "formula", "position", "is_active")

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        choices = field_choices(section)
        self.fields["target"] = forms.ChoiceField(choices=choices, label="Field", help_text="The field it acts on.")
        self.fields["match"].label = "When"
        self.fields["position"].required = False
        self.condition_rows = []
        existing = list(self.instance.conditions or []) if self.instance.pk else []
        for index in range(CONDITION_ROWS):
            current = existing[index] if index < len(existing) else {}
            value = current.get("value", "")
            names = (f"cond-{index}-field", f"cond-{index}-operator", f"cond-{index}-value")
            self.fields[names[0]] = forms.ChoiceField(
                choices=[("", "—"), *choices], required=False, label=f"Condition {index + 1}: field"
            )
            self.fields[names[1]] = forms.ChoiceField(
                choices=[("", "—"), *OPERATORS.items()], required=False, label="comparison"
            )
            self.fields[names[2]] = forms.CharField(required=False, label="value", max_length=500)
            if not self.is_bound and current:
                self.initial[names[0]] = current.get("field", "")
                self.initial[names[1]] = current.get("operator", "")
                self.initial[names[2]] = ", ".join(map(str, value)) if isinstance(value, list) else value
            self.condition_rows.append([self[name] for name in names])
        if self.instance.pk and not self.is_bound:
            self.initial["values"] = "\n".join(map(str, self.instance.values or []))

    def rule_values(self) -> dict:
        data = dict(self.cleaned_data)
        conditions = []
        for index in range(CONDITION_ROWS):
            field = data.pop(f"cond-{index}-field", "")
            operator = data.pop(f"cond-{index}-operator", "")
            value = data.pop(f"cond-{index}-value", "")
            if not field and not operator:
                continue
            if operator == "in":
                value = [v.strip() for v in str(value).split(",") if v.strip()]
            conditions.append({"field": field, "operator": operator, "value": value})
        data["conditions"] = conditions
        data["values"] = [v.strip() for v in (data.get("values") or "").splitlines() if v.strip()]
        if data.get("position") is None:
            data["position"] = 0
        return data


class DetailForm(forms.ModelForm):
    relation = forms.ChoiceField(label="Records of", help_text="The section and the field pointing at this record.")
    columns = forms.MultipleChoiceField(required=True, widget=forms.SelectMultiple(attrs={"size": 8}))
    sort = forms.ChoiceField(required=False)

    class Meta:
        model = DetailDefinition
        fields = ("title", "code", "relation", "columns", "sort", "editable", "position")

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        relations = relations_to(section)
        self.fields["relation"].choices = [(f"{s}:{f}", label) for s, f, label in relations]
        columns, sorts = [], [("", "The section's own order")]
        for name in dict.fromkeys(s for s, _, _ in relations):
            other = registry.get(name)
            for column in available_columns(other):
                columns.append((column.path, f"{other.title}: {column.label}"))
            for column in available_columns(other):
                if not column.sort_key:
                    continue
                path, label = column.path, f"{other.title}: {column.label}"
                sorts += [(path, f"{label} ↑"), (f"-{path}", f"{label} ↓")]
        self.fields["columns"].choices = list(dict.fromkeys(columns))
        self.fields["sort"].choices = list(dict.fromkeys(sorts))
        self.fields["position"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["relation"] = f"{self.instance.source}:{self.instance.relation}"
        if self.instance.pk:
            self.fields["code"].disabled = True

    def detail_values(self) -> dict:
        data = dict(self.cleaned_data)
        source, _, relation = data.pop("relation").partition(":")
        data.update(source=source, relation=relation, position=data.get("position") or 0)
        if self.instance.pk:
            data.pop("code", None)
        return data
