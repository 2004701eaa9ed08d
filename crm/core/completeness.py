"""Profile completeness: how much of a record's profile is filled in, as a percentage with hints.

Each section keeps its weights in a concrete model of CompletenessWeightBase (edited in the admin): an item is a
field of the record (filled when not empty) or a detail (filled when it has a row). Computed on the fly: one query
for the weights and one per detail item."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

#: below LOW_BELOW percent a profile is shown red, from HIGH_FROM green, yellow between
LOW_BELOW = 50
HIGH_FROM = 80


class CompletenessWeightBase(models.Model):
    """How much one item adds to a record's completeness. Subclasses name their record in RECORD_MODEL."""

    RECORD_MODEL = ""

    item = models.CharField(
        "field or detail",
        max_length=100,
        unique=True,
        help_text="A field of the record, or a detail such as addresses.",
    )
    weight = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(1), MaxValueValidator(100)])
    hint = models.CharField(max_length=200, help_text="What the user is told while it is missing.")
    is_active = models.BooleanField("active", default=True)

    class Meta:
        abstract = True
        ordering = ("-weight", "item")

    def __str__(self) -> str:
        return f"{self.item} ({self.weight})"

    def clean(self) -> None:
        model = apps.get_model(self.RECORD_MODEL)
        try:
            model._meta.get_field(self.item)
        except FieldDoesNotExist:
            names = sorted(f.name for f in model._meta.get_fields() if not f.name.endswith("+"))
            raise ValidationError({"item": f"{model._meta.verbose_name} has no {self.item!r}: use one of {names}."})


@dataclass(frozen=True)
class Missing:
    item: str
    hint: str
    gain: int  # the percentage points it would add


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[Missing] = field(default_factory=list)

    @property
    def level(self) -> str:
        """The Bootstrap colour of the indicator: red, yellow or green."""
        if self.percent < LOW_BELOW:
            return "danger"
        return "success" if self.percent >= HIGH_FROM else "warning"


def is_filled(record, item: str) -> bool:
    try:
        model_field = record._meta.get_field(item)
    except FieldDoesNotExist:
        return False
    if model_field.auto_created and not model_field.concrete:  # a detail: the rows pointing at the record
        return getattr(record, model_field.get_accessor_name()).exists()
    if model_field.many_to_many:
        return getattr(record, item).exists()
    return getattr(record, model_field.attname) not in (None, "", False)


def compute(record, weights: Iterable[CompletenessWeightBase]) -> Completeness:
    weights = [w for w in weights if w.is_active]
    total = sum(w.weight for w in weights)
    if not total:
        return Completeness(percent=100)
    missing = [w for w in weights if not is_filled(record, w.item)]
    percent = round(100 * (total - sum(w.weight for w in missing)) / total)
    hints = [Missing(w.item, w.hint, round(100 * w.weight / total)) for w in sorted(missing, key=lambda w: -w.weight)]
    return Completeness(percent=percent, missing=hints)


def for_record(record, weight_model: type[CompletenessWeightBase]) -> Completeness:
    return compute(record, weight_model._default_manager.filter(is_active=True))
