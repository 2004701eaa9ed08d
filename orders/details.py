"""The details an order owns, edited in place on its page: its products (priced on the server) and its
installment plan (due dates and amounts derived on the server)."""

from django.db import transaction

from crm.sections.details import Detail, DetailForm, add_row, change_row
from products.details import product_lines_detail

from . import services
from .models import OrderProduct, PlanStep

PRODUCTS = product_lines_detail(
    OrderProduct,
    relation="order",
    after_write=services.lines_changed,
    empty_text="No products yet: add them from the catalogue.",
)


class PlanStepForm(DetailForm):
    class Meta:
        model = PlanStep
        fields = ("kind", "position", "name", "deferment_days", "percent", "done_on")


def _add_step(*, detail, user, record, data):
    if not data.get("position"):
        data = {**data, "position": PlanStep.objects.filter(order=record).count() + 1}
    return add_row(detail=detail, user=user, record=record, data=data)


def _change_step(*, detail, user, record, row, data):
    """A changed position moves the step among the others (they shift), then the due dates follow."""
    data = dict(data)
    position = data.pop("position", None)
    with transaction.atomic():
        row = change_row(detail=detail, user=user, record=record, row=row, data=data)
        if position and position != row.position:
            services.move_step(user=user, step=row, position=position)
    return row


INSTALLMENT_PLAN = Detail(
    name="plan",
    title="Installment plan",
    model="orders.PlanStep",
    relation="order",
    fields=PlanStepForm.Meta.fields,
    columns=(
        "position",
        "kind",
        "name",
        "deferment_days",
        "percent",
        "due_date",
        "expected_amount",
        "actual_amount",
        "done_on",
    ),
    form_class=PlanStepForm,
    add=_add_step,
    change=_change_step,
    after_write=services.plan_changed,
    empty_text="No plan yet: apply a template or add the steps.",
)
