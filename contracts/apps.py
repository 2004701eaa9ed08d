from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts"

    def ready(self) -> None:
        # Product lines come from the product selection page; the Contracts tab of an opportunity.
        from products.selection import register_line_target

        from . import (
            record_tabs,  # noqa: F401
            services,
        )

        register_line_target("contracts", services.add_lines_from_cart)
        from crm import approvals

        # sent for approval, the record waits; approved, its status moves on (rejected: a task to revise it)
        approvals.register("contracts", on_approved=services.approved)
