from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "Opportunities"

    def ready(self) -> None:
        # Product lines come from the product selection page; the process tasks' result buttons.
        from products.selection import register_line_target

        from . import process, services

        register_line_target("opportunities", services.add_lines_from_cart)
        process.register_tasks()
