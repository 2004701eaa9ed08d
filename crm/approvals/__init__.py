"""Approvals: routes of approvers per section, and requests to approve one record of any section.

A section that wants approvals declares it once (in its AppConfig.ready or section module):

    from crm import approvals

    approvals.register(
        "orders",
        on_approved=orders.services.approved,          # on_approved(*, user, record)
        on_rejected=orders.services.rejected,          # on_rejected(*, user, record, comment); default: a task
        editable_while_pending=frozenset({"notes"}),   # fields that may change while the approval is pending
    )
"""

from .registry import SectionApprovals, get, is_registered, register, unregister

__all__ = ["SectionApprovals", "get", "is_registered", "register", "unregister"]
