"""What the projects app adds to other sections through the registry, so those apps need not know of projects:

- "Create project" on a won opportunity's and on an order's toolbar;
- the "Rates" detail (wage and external fee with validity dates) on a contact, the employee;
- the actual hours of completed activities connected to a project task, written in the activity's save
  transaction (the activities section's `after_save`, chained after its own hook if it has one).
"""

from __future__ import annotations

from crm.sections import registry
from crm.sections.details import Detail, DetailTab

from .models import EmployeeRate

RATES = Detail(
    "rates",
    "Rates",
    EmployeeRate,
    relation="contact",
    fields=("kind", "amount", "valid_from", "valid_to"),
    columns=("kind", "amount", "valid_from", "valid_to"),
    empty_text="No wage or external fee: an employee's hours on projects are costed with these.",
)


def _may_create_project(user, record) -> bool:
    from crm import access

    return access.can(user, "create", registry.get("projects"))


def _won(user, record) -> bool:
    return bool(record.stage.is_final and record.stage.is_successful) and _may_create_project(user, record)


def _add_record_action(section_name: str, url_name: str, label: str, rule) -> None:
    try:
        target = registry.get(section_name)
    except KeyError:
        return
    if any(action[0] == url_name for action in target.record_actions):
        return
    target.record_actions = (*target.record_actions, (url_name, label))
    target.record_action_rules = {**target.record_action_rules, url_name: rule}


def _add_rates(section_name: str) -> None:
    try:
        target = registry.get(section_name)
    except KeyError:
        return
    if target.get_detail(RATES.name) is not None:
        return
    target.detail_tabs = (*target.detail_tabs, DetailTab("rates", "Rates", (RATES,)))
    target.detail_models = tuple(dict.fromkeys([*target.detail_models, RATES.label]))


def _chain_after_save(section_name: str, hook) -> None:
    try:
        target = registry.get(section_name)
    except KeyError:
        return
    existing = target.after_save
    if existing is hook or getattr(existing, "chained", None) is hook:
        return
    if existing is None:
        target.after_save = hook
        return

    def chained(*, user, obj, previous):
        existing(user=user, obj=obj, previous=previous)
        hook(user=user, obj=obj, previous=previous)

    chained.chained = hook
    target.after_save = chained


def connect() -> None:
    from .services import work

    _add_record_action("opportunities", "projects:from_opportunity", "Create project", _won)
    _add_record_action("orders", "projects:from_order", "Create project", _may_create_project)
    _add_rates("contacts")
    _chain_after_save("activities", work.activity_saved)
