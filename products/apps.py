from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = "Products"

    def ready(self) -> None:
        # The Prices, Units and Features tabs of the product page.
        from . import record_tabs  # noqa: F401
