"""The security suite runs over every registered section (a section registered tomorrow is covered the day it
lands) and both ways a right can be missing: by the section's object rights, or by record rights.

The people: alice owns the record; bob, her teammate, has the right being tested (the control: it works for him);
charlie lacks it (nothing leaks to him, nothing he does changes anything); ada is the superuser.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django import forms
from django.db import models

from crm.access.models import Level, Membership, ObjectRight, RecordGrant, SectionAccess
from crm.sections import registry
from crm.sections.forms import form_class_for
from tests.factories.registry import make_record

SECTIONS = registry.all_sections()
MODES = ("object_rights", "record_rights")
ACTIONS = ("read", "create", "edit", "delete")
LEVEL_OF = {"read": Level.READ, "edit": Level.EDIT, "delete": Level.DELETE}


def pytest_generate_tests(metafunc):
    """Every test taking `section` runs for every registered section; `mode` for both kinds of rights."""
    if "section" in metafunc.fixturenames:
        metafunc.parametrize("section", SECTIONS, ids=[s.name for s in SECTIONS])
    if "mode" in metafunc.fixturenames:
        metafunc.parametrize("mode", MODES)


@dataclass
class Scene:
    section: object
    record: object
    owner: object
    permitted: object
    refused: object


@pytest.fixture
def team(role_tree, alice, bob):
    Membership.objects.create(user=alice, role=role_tree.team_a)
    Membership.objects.create(user=bob, role=role_tree.team_a)
    return role_tree


@pytest.fixture
def scene(team, section, mode, alice, bob, charlie):
    """`scene(charlie_may={"read"})`: alice's record of the section; bob may everything, charlie only what he is
    given, by object rights or by record rights (a grant of the matching level)."""

    def build(charlie_may=frozenset()) -> Scene:
        record = make_record(section, alice)
        if mode == "object_rights":
            ObjectRight.objects.create(
                section=section.name, role=team.sales, can_read=True, can_create=True, can_edit=True, can_delete=True
            )
            ObjectRight.objects.create(
                section=section.name,
                role=team.all_employees,
                **{f"can_{action}": action in charlie_may for action in ACTIONS},
            )
        else:
            SectionAccess.objects.create(section=section.name, use_record_rights=True)
            grant(record, bob, Level.DELETE, can_delegate=True)  # full rights: the owner may change too
            levels = [LEVEL_OF[action] for action in charlie_may if action in LEVEL_OF]
            if levels:
                grant(record, charlie, max(levels))
        return Scene(section=section, record=record, owner=alice, permitted=bob, refused=charlie)

    return build


def grant(record, user, level, *, can_delegate=False):
    from django.contrib.contenttypes.models import ContentType

    return RecordGrant.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        user=user,
        level=level,
        can_delegate=can_delegate,
    )


def reload(record):
    return type(record)._default_manager.filter(pk=record.pk).first()


# --- choosing fields generically --------------------------------------------------------------------------------


def is_text(field) -> bool:
    return (
        type(field) in (models.CharField, models.TextField)
        and not field.choices
        and (field.max_length is None or field.max_length >= 12)
    )


def text_field(section, names, record=None) -> str | None:
    """The first plain text field among `names` whose value is not what the record is called (column rights do
    not hide a record's name)."""
    for name in names:
        if "__" in name or name in ("owner", section.number_field):
            continue
        field = section.get_field(name)
        if field is None or not is_text(field):
            continue
        if record is not None:
            original = getattr(record, name)
            setattr(record, name, "zq-probe-zq")
            named_by_it = "zq-probe-zq" in str(record)
            setattr(record, name, original)
            if named_by_it:
                continue
        return name
    return None


def column_to_hide(section, record) -> str:
    """A field shown in the list, the detail page and the export, preferably plain text (then its value can be
    looked for), else any such field."""
    candidates = [c for c in section.list_columns if c in section.form_fields and c != "owner"]
    name = text_field(section, candidates, record)
    if name is None and getattr(section, "shows_custom_columns", False):
        # a runtime section's list shows its custom fields: its first text field is the one to hide
        name = next((f.name for f in section.custom_fields() if f.kind == "text"), None)
    if name is None:
        name = next((c for c in candidates if not is_text(section.opts.get_field(c))), None)
    if name is None:
        pytest.fail(f"Section {section.name}: no list column to test column rights on")
    return name


# --- posting a record's form ------------------------------------------------------------------------------------


def form_data(section, user, record) -> dict:
    """The record's edit form as a browser would post it back unchanged (for `user`'s writable fields)."""
    form = form_class_for(section, user, record)(instance=record, user=user, section=section)
    data = {"version": str(record.version)}
    for name, bound in form.fields.items():
        if name == "version":
            continue
        value = form[name].value()
        widget = bound.widget
        if isinstance(bound, forms.FileField):
            continue
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
            continue
        if value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, datetime.datetime | datetime.date):
            data[name] = widget.format_value(value)
        elif isinstance(value, Decimal):
            data[name] = str(value)
        else:
            data[name] = str(value)
    return data
