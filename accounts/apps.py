from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from crm.core.events import register_event_model

        # company days and other events of accounts reach their owners' bell on the day
        register_event_model("accounts.AccountEvent", "account")
        from crm import printing

        from . import printing as account_printing

        # every print form: our company's letterhead and the customer's address
        printing.register_shared_context(account_printing.print_context)
