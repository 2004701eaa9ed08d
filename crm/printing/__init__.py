"""Print forms: a record of any section rendered to PDF through an admin-edited, sandboxed template.

A section gets print forms by having active PrintForm rows for its name (seeded by data migrations, edited in the
admin). It may add to the template context with:

    from crm import printing

    printing.register_context("invoices", lambda *, user, record: {"payments": [...]})

The context every form gets: `record` (the fields the user may read, hidden ones empty), `lines` (the record's
product lines when it has a `lines` manager), `totals`, `company`, `today`.
"""

from .registry import context_providers, register_context, unregister_context

__all__ = ["context_providers", "register_context", "unregister_context"]
