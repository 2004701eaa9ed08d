from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = "Leads"

    def ready(self) -> None:
        # the process tasks' result buttons, the product selection page, and a won opportunity satisfying its lead
        from opportunities.services import register_stage_listener
        from products.selection import register_line_target

        from . import process, services

        process.register_tasks()
        register_line_target("leads", services.add_lines_from_cart)
        register_stage_listener(services.opportunity_stage_changed)
