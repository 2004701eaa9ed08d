"""What the generic record form calls: the duplicate check before a save, and the key refresh after it."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import models

from crm.sections.registry import Section

from . import selectors, services

#: the form's "Save anyway" button posts this field
CONFIRM_FIELD = "duplicates_checked"


def candidates_before_save(*, request, section: Section, data: dict, instance=None) -> list[selectors.Candidate]:
    """The records the one being saved would duplicate, unless the user already chose to save anyway."""
    if request.POST.get(CONFIRM_FIELD) == "1":
        return []
    probe = copy.copy(instance) if instance is not None else section.model()
    for name, value in data.items():
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
