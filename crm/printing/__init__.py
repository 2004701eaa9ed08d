"""Print forms: a record of any section rendered to PDF through an admin-edited, sandboxed template.

A section gets print forms by having active PrintForm rows for its name (seeded by data migrations, edited in the
admin). It may add to the template context with:

    from crm import printing

    printing.register_context("invoices", lambda *, user, record: {"payments": [...]})

The context every form gets: `record` (the fields the user may read, hidden ones empty), `lines` (the record's
product lines when it has a `lines` manager), `totals`, `company` and `customer` (name, address, phone, tax_id, logo,
banking: from `register_shared_context`, see accounts.printing), `today`. Besides Django's filters, a form has
`money`, `number`, `short_date` and `short_datetime` (crm.core.formats), so it prints amounts as the pages show them.
"""

from .registry import (
    context_providers,
    register_context,
    register_shared_context,
    shared_context_providers,
    unregister_context,
)

__all__ = [
    "context_providers",
    "register_context",
    "register_shared_context",
    "shared_context_providers",
    "unregister_context",
]
