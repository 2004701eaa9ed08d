"""The sections that use approvals, with what they do when a request is approved or rejected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SectionApprovals:
    section: str
    #: `on_approved(*, user, record)` runs in the transaction of the last approval
    on_approved: Callable[..., None] | None = None
    #: `on_rejected(*, user, record, comment)` runs in the transaction of the rejection; when the section gives
    #: none, the requester gets a "Revise and send again" task connected to the record
    on_rejected: Callable[..., None] | None = None
    #: fields that may still change while an approval is pending (everything else is locked), and parts of the
    #: record that may (`detail:<name>` for a detail's rows, `attachments`, `files`, `merge`: crm.sections.services)
    editable_while_pending: frozenset[str] = field(default_factory=frozenset)


_sections: dict[str, SectionApprovals] = {}


def register(
    section_name: str,
    *,
    on_approved: Callable[..., None] | None = None,
    on_rejected: Callable[..., None] | None = None,
    editable_while_pending: frozenset[str] | set[str] | tuple[str, ...] = frozenset(),
) -> SectionApprovals:
    """Let the records of `section_name` be sent for approval (idempotent: the last call wins)."""
    declaration = SectionApprovals(
        section=section_name,
        on_approved=on_approved,
        on_rejected=on_rejected,
        editable_while_pending=frozenset(editable_while_pending),
    )
    _sections[section_name] = declaration
    return declaration


def unregister(section_name: str) -> None:
    _sections.pop(section_name, None)


def get(section_name: str) -> SectionApprovals | None:
    return _sections.get(section_name)


def is_registered(section_name: str) -> bool:
    return section_name in _sections
