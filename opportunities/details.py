"""The details an opportunity owns, edited in place on its page: products, contacts with roles, competitors, and
the stage history the process writes."""

from crm.sections.details import Detail
from products.details import product_lines_detail

from . import services
from .models import OpportunityProduct

PRODUCTS = product_lines_detail(
    OpportunityProduct,
    relation="opportunity",
    after_write=services.lines_changed,
    empty_text="No products yet: add them from the catalogue.",
)

CONTACTS = Detail(
    name="contacts",
    title="Contacts",
    model="opportunities.OpportunityContact",
    relation="opportunity",
    fields=("contact", "role", "notes"),
    select_related=("contact", "role"),
    empty_text="Who decides? Add the contacts and their roles.",
)

COMPETITORS = Detail(
    name="competitors",
    title="Competitors",
    model="opportunities.Competitor",
    relation="opportunity",
    fields=("account", "strengths", "weaknesses", "is_winner"),
    select_related=("account",),
)

STAGES = Detail(
    name="stages",
    title="Stages",
    model="opportunities.StageHistory",
    relation="opportunity",
    columns=("stage", "started_at", "ended_at", ("days", "Days"), "moved_by"),
    select_related=("stage", "moved_by"),
    read_only=True,
)
