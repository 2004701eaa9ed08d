from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "invoices"
    verbose_name = "Invoices"

    def ready(self) -> None:
        # Product lines come from the product selection page.
        from products.selection import register_line_target

        from . import services

        register_line_target("invoices", services.add_lines_from_cart)
        from crm.sections.services import register_edit_guard

        # a paid invoice's products no longer change, whatever the write path
        register_edit_guard(services.refuse_changing_paid_products)
        from crm import approvals

        # sent for approval, the record waits; approved, its status moves on (rejected: a task to revise it)
        approvals.register("invoices", on_approved=services.approved)
        from crm import printing

        # a payment step's invoice has no product lines: it prints its subject and its own amounts
        printing.register_context("invoices", services.print_context)
