"""The details a lead owns, edited in place on its page: the products asked for, and the stage history the
process writes."""

from crm.sections.details import Detail
from products.details import product_lines_detail

from . import services
from .models import LeadProduct

PRODUCTS = product_lines_detail(
    LeadProduct,
    relation="lead",
    after_write=services.lines_changed,
    empty_text="No products yet: they are copied to the opportunity.",
)

STAGES = Detail(
    name="stages",
    title="Stages",
    model="leads.LeadStageHistory",
    relation="lead",
    columns=("stage", "started_at", "ended_at", "moved_by"),
    select_related=("moved_by",),
    read_only=True,
)
