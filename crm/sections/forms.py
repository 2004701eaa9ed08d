"""Create/edit forms for any section, built from its declaration and the user's column rights."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.db import models

from crm import access
from crm.designer import layouts

from . import registry
from . import tags as tagging
from .registry import Section
from .widgets import LookupSelect, use_lookup_widget


class SectionForm(forms.ModelForm):
    """Base form: a crispy helper, a hidden version for optimistic locking, and access-checked choices."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    #: the custom fields on the form, by name (set by `form_class_for`)
    custom_fields: dict = {}  # noqa: RUF012 - replaced per class, never mutated

    def __init__(self, *args, user=None, section: Section | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.section = section
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = layouts.form_layout(section, self)
        if self.helper.layout is None:
            self.helper.layout = Layout(
                Div(
                    "version",
                    *[
                        Div(name, css_class="col-12" if isinstance(field.widget, forms.Textarea) else "col-md-6")
                        for name, field in self.fields.items()
                        if name != "version"
                    ],
                    css_class="row",
                )
            )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        if "tags" in self.fields and not self.is_bound and not self.fields["tags"].queryset.exists():
            self.fields["tags"].help_text = "None in this section yet: type new ones under New tags."
        if "tags" in self.fields and self.instance.pk and not self.is_bound and section is not None:
            self.initial["tags"] = [tag.pk for tag in tagging.tags_of(user, section, self.instance)]
        for custom in self.custom_fields.values():
            if self.instance.pk and custom.name not in self.initial:
                self.initial[custom.name] = custom.value_from_object(self.instance)
        for name, field in self.fields.items():
            if name in ("version", "tags", "new_tags") or name in self.custom_fields:
                continue
            model_field = self._meta.model._meta.get_field(name)
            if isinstance(field, forms.ModelChoiceField):
                self._restrict_choices(name, field, model_field)
            if isinstance(model_field, models.DateTimeField):
                field.widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            elif isinstance(model_field, models.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def clean_new_tags(self) -> list[str]:
        """The new tags' names, each checked (a name too long or empty is refused here, before anything is
        saved); they are created as the user's private tags with the record."""
        names = tagging.split_names(self.cleaned_data.get("new_tags", ""))
        errors = []
        for name in names:
            try:
                tagging.clean_name(name)
            except forms.ValidationError as error:
                errors.append(f"“{name[:40]}”: {' '.join(error.messages)}")
        if errors:
            raise forms.ValidationError(errors)
        return names

    def _restrict_choices(self, name, field, model_field):
        related = model_field.related_model
        if related is get_user_model():
            field.queryset = related.objects.filter(is_active=True).order_by("first_name", "last_name")
            field.label_from_instance = lambda u: u.get_full_name() or u.username
            return
        related_section = registry.for_model(related)
        if related_section is not None:
            # Big tables: only what the user may see is valid, and only the chosen row is rendered.
            field.queryset = access.visible(self.user, related._default_manager.all())
            use_lookup_widget(field, related_section)
        elif hasattr(related._default_manager, "active"):
            current = getattr(self.instance, f"{name}_id", None)
            field.queryset = related._default_manager.filter(models.Q(is_active=True) | models.Q(pk=current))


def formfield(model_field, **kwargs):
    """A model field's form field; a web address typed without a scheme is taken as https://."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


def form_class_for(section: Section, user, instance=None) -> type[SectionForm]:
    """A ModelForm of the section's form fields that the user may write, then the custom fields they may write
    (declared form fields: their values go to the record's `custom` JSON through the section services)."""
    writable = access.fields_for(user, section, "write", obj=instance).writable
    # in the page designer's order, without the fields it hides
    fields = layouts.form_order(section, [name for name in section.form_fields if name in writable])
    custom = {f.name: f for f in section.custom_fields() if f.name in layouts.form_order(section, list(writable))}
    base = section.form_class or SectionForm
    meta = type("Meta", (), {"model": section.model, "fields": fields, "formfield_callback": formfield})
    attributes = {"Meta": meta, "custom_fields": custom, **{name: f.formfield(user=user) for name, f in custom.items()}}
    attributes.update(tag_fields(section, user))
    return type(f"{section.model.__name__}Form", (base,), attributes)


class TagChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} (private)" if obj.private else obj.name


def tag_fields(section: Section, user) -> dict[str, forms.Field]:
    """The record's tags on its form: those the user sees to tick, and new ones to type. Only a tag the user
    sees is a valid choice: another user's private tag named in a crafted post is refused."""
    return {
        "tags": TagChoiceField(
            queryset=tagging.visible_tags(user, section).order_by("name", "pk"),
            required=False,
            label="Tags",
            widget=forms.CheckboxSelectMultiple(attrs={"class": "tag-choices"}),
        ),
        "new_tags": forms.CharField(
            required=False,
            max_length=400,
            label="New tags",
            help_text="Comma separated; each becomes your private tag.",
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        ),
    }


class ReassignForm(forms.Form):
    """The record a deleted record's dependents move to: another of its section the user may see."""

    target = forms.ModelChoiceField(queryset=None, label="Move them to", required=True)

    def __init__(self, *args, section: Section, targets, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.queryset = targets
        field.error_messages["required"] = f"Choose the {section.title_singular} to move them to."
        field.error_messages["invalid_choice"] = f"Choose another {section.title_singular} you may see."
        field.widget = LookupSelect(lookup_url=section.url("lookup"), attrs={"class": "form-select", "id": "target"})
        field.widget.choices = field.choices
