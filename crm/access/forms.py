"""Forms of the access screens. They only parse and validate input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from .models import OPERATIONS, ColumnRight, Level, Role


def _section_choices() -> list[tuple[str, str]]:
    from crm.sections import registry

    return registry.choices()


def _users():
    return get_user_model().objects.filter(is_active=True).order_by("username")


def _label(user) -> str:
    return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


class UserChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=_users(), **kwargs)

    def label_from_instance(self, obj) -> str:
        return _label(obj)


class StyledForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class RoleForm(StyledForm):
    name = forms.CharField(max_length=150)
    kind = forms.ChoiceField(choices=[c for c in Role.Kind.choices if c[0] != Role.Kind.ALL_EMPLOYEES])
    parent = forms.ModelChoiceField(
        queryset=Role.objects.filter(kind__in=Role.UNIT_KINDS), required=False, empty_label="(top of the tree)"
    )
    description = forms.CharField(max_length=500, required=False)


class RoleChangeForm(StyledForm):
    name = forms.CharField(max_length=150)
    parent = forms.ModelChoiceField(
        queryset=Role.objects.filter(kind__in=Role.UNIT_KINDS), required=False, empty_label="(top of the tree)"
    )
    description = forms.CharField(max_length=500, required=False)


class MemberForm(StyledForm):
    user = UserChoiceField(label="User")


class RoleMembershipForm(StyledForm):
    role = forms.ModelChoiceField(queryset=Role.objects.exclude(kind=Role.Kind.ALL_EMPLOYEES), label="Role")


class LinkedRolesForm(StyledForm):
    linked = forms.ModelMultipleChoiceField(
        queryset=Role.objects.exclude(kind__in=[Role.Kind.FUNCTIONAL, Role.Kind.ALL_EMPLOYEES]),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label="Organisational roles",
    )


class ObjectRightForm(StyledForm):
    section = forms.ChoiceField(choices=_section_choices)
    role = forms.ModelChoiceField(queryset=Role.objects.all())
    read = forms.BooleanField(required=False, initial=True)
    create = forms.BooleanField(required=False)
    edit = forms.BooleanField(required=False)
    delete = forms.BooleanField(required=False)


class OperationRightForm(StyledForm):
    operation = forms.ChoiceField(choices=OPERATIONS)
    role = forms.ModelChoiceField(queryset=Role.objects.all())
    allowed = forms.TypedChoiceField(choices=[("1", "Yes"), ("0", "No")], coerce=lambda v: v == "1")
    priority = forms.IntegerField(min_value=0, max_value=100_000, initial=100)


class RecordRightsSwitchForm(StyledForm):
    section = forms.ChoiceField(choices=_section_choices)
    enabled = forms.TypedChoiceField(choices=[("1", "On"), ("0", "Off")], coerce=lambda v: v == "1")


class DefaultRuleForm(StyledForm):
    section = forms.ChoiceField(choices=_section_choices)
    author_role = forms.ModelChoiceField(queryset=Role.objects.all(), label="Records of members of")
    grantee_role = forms.ModelChoiceField(queryset=Role.objects.all(), label="are granted to")
    level = forms.TypedChoiceField(choices=Level.choices, coerce=int, label="at level")


class SectionForm(StyledForm):
    section = forms.ChoiceField(choices=_section_choices)


def _column_choices() -> list:
    from crm.sections import registry

    groups = []
    for section in registry.all_sections():
        options = [(f"{section.name}:{name}", str(section.field(name).verbose_name)) for name in section.field_names()]
        groups.append((section.title, options))
    return groups


class ColumnRightForm(StyledForm):
    column = forms.ChoiceField(choices=_column_choices, label="Field")
    role = forms.ModelChoiceField(queryset=Role.objects.all())
    access = forms.TypedChoiceField(choices=ColumnRight.Access.choices, coerce=int)

    def clean_column(self) -> tuple[str, str]:
        section, _, name = self.cleaned_data["column"].partition(":")
        return section, name


class DelegationForm(StyledForm):
    delegator = UserChoiceField(label="Rights of")
    delegate = UserChoiceField(label="Given to")
    ends_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label="Until")
    reason = forms.CharField(max_length=250, required=False)


class ShareForm(StyledForm):
    user = UserChoiceField(required=False, label="User")
    role = forms.ModelChoiceField(queryset=Role.objects.all(), required=False, label="or role")
    level = forms.TypedChoiceField(choices=Level.choices, coerce=int)
    can_delegate = forms.BooleanField(required=False, label="Delegation permitted")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("user")) == bool(cleaned.get("role")):
            raise forms.ValidationError("Choose a user or a role.")
        return cleaned
