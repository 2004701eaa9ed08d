"""What the product page gets besides the generic tabs: Prices (with the alternative units) and Features."""

from crm.sections.registry import RecordTab, register_record_tab

from . import views


def _is_products(section) -> bool:
    return section.name == "products"


register_record_tab(
    RecordTab(name="prices", title="Prices", view=views.prices_tab, position=10, applies_to=_is_products)
)
register_record_tab(
    RecordTab(name="features", title="Features", view=views.features_tab, position=11, applies_to=_is_products)
)
