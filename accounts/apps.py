from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from crm.core.events import register_event_model

        # company days and other events of accounts reach their owners' bell on the day
        register_event_model("accounts.AccountEvent", "account")
