"""What the generic record form calls: the duplicate check before a save, and the key refresh after it."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import models

from crm.designer.fields import is_custom
from crm.designer.fields import set_values as set_custom_values
from crm.sections.registry import Section

from . import selectors, services

#: the form's "Save anyway" button posts this field
CONFIRM_FIELD = "duplicates_checked"


def candidates_before_save(*, request, section: Section, data: dict, instance=None) -> list[selectors.Candidate]:
    """The records the one being saved would duplicate, unless the user already chose to save anyway."""
    if request.POST.get(CONFIRM_FIELD) == "1":
        return []
    probe = copy.copy(instance) if instance is not None else section.model()
    custom = {f.name: f for f in section.custom_fields() if f.name in data}
    if custom:
        # the probe's custom values, so that rules on custom fields see what is being saved
        probe.custom = dict(probe.custom or {})
        set_custom_values(probe, custom, {name: data[name] for name in custom})
    for name, value in data.items():
        if name in custom or is_custom(name):
            continue
        model_field = section.opts.get_field(name)
        if model_field.many_to_many or isinstance(model_field, models.FileField):
            continue
        setattr(probe, name, value)
    try:
        probe.clean()  # derived values, e.g. a contact's full name from its parts
    except ValidationError:
        pass
    return selectors.candidates_for(section=section, user=request.user, instance=probe)


def record_saved(obj) -> None:
    services.index_record(obj)
