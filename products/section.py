"""The Products section's declaration."""

from crm.sections.registry import Section, register

from .imports import PriceListColumns
from .models import Product

section = register(
    Section(
        name="products",
        model=Product,
        title="Products",
        title_singular="product",
        icon="bi-box-seam",
        position=60,
        list_columns=("name", "code", "category", "type", "brand", "unit", "price", "currency", "is_inactive"),
        total_columns=(),  # a sum of list prices means nothing
        default_sort="name",
        search_fields=("name", "code"),
        filter_fields=("category", "type", "brand", "unit", "currency", "is_inactive", "owner", "created_at"),
        form_fields=(
            "code",
            "name",
            "category",
            "type",
            "brand",
            "unit",
            "tax",
            "price",
            "currency",
            "is_inactive",
            "url",
            "photo",
            "owner",
            "description",
        ),
        detail_fields=(
            ("Product", ("name", "code", "category", "type", "brand", "is_inactive", "owner")),
            ("Price", ("price", "currency", "unit", "tax")),
            ("More", ("url", "photo", "description")),
        ),
        detail_models=("products.ProductPrice", "products.ProductUnit", "products.ProductFeatureValue"),
        duplicate_keys=("code", "name"),
        import_keys=("code",),
        import_extras=PriceListColumns(),
        import_columns=("code", "name", "category", "type", "brand", "unit", "tax", "price", "currency", "url"),
        analytics_fields=("category", "type", "brand", "owner", "created_at"),
        views=(("products:catalogue", "Catalogue", "bi-grid-3x3-gap"),),
    )
)
