from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        # Product lines come from the product selection page.
        from products.selection import register_line_target

        from . import services

        register_line_target("orders", services.add_lines_from_cart)
        from crm import approvals

        # sent for approval, the record waits; approved, its status moves on (rejected: a task to revise it)
        approvals.register("orders", on_approved=services.approved)
