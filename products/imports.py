"""A product catalogue from Excel brings each product's price in each price list: one column per active price
list ("Price in VIP list", matched from headers such as "VIP" or "VIP price"). The price is in the product's
currency; an import writes the prices in bulk per batch, and its rollback puts the earlier ones back."""

from __future__ import annotations

from decimal import Decimal

from crm.imports.fields import FieldSpec, ImportExtras

from .models import PriceList, ProductPrice

PREFIX = "price_list__"


class PriceListColumns(ImportExtras):
    def specs(self, user) -> list[FieldSpec]:
        field = ProductPrice._meta.get_field("price")
        return [
            FieldSpec(f"{PREFIX}{pk}", f"Price in {name} list", field, "decimal", extra=True)
            for pk, name in PriceList.objects.active().order_by("position", "name").values_list("pk", "name")
        ]

    def owns(self, name: str) -> bool:
        return name.startswith(PREFIX)

    def current(self, objs: list) -> dict[int, dict[str, object]]:
        currency = {obj.pk: obj.currency_id for obj in objs}
        held: dict[int, dict[str, object]] = {}
        rows = ProductPrice.objects.filter(product_id__any_of=sorted(currency)).values_list(
            "product_id", "price_list_id", "currency_id", "price"
        )
        for product_id, price_list_id, currency_id, price in rows:
            if currency_id == currency.get(product_id):
                held.setdefault(product_id, {})[f"{PREFIX}{price_list_id}"] = self.as_json(price)
        return held

    def write(self, *, user, rows: list[tuple[object, dict[str, object]]]) -> None:
        wanted = {
            (obj.pk, int(name.removeprefix(PREFIX)), obj.currency_id): price
            for obj, values in rows
            if obj.currency_id is not None
            for name, price in values.items()
        }
        if not wanted:
            return
        existing = {
            (row.product_id, row.price_list_id, row.currency_id): row
            for row in ProductPrice.objects.filter(product_id__any_of=sorted({key[0] for key in wanted}))
        }
        changed, made = [], []
        for (product_id, price_list_id, currency_id), price in wanted.items():
            row = existing.get((product_id, price_list_id, currency_id))
            if row is None:
                made.append(
                    ProductPrice(
                        product_id=product_id, price_list_id=price_list_id, currency_id=currency_id, price=price
                    )
                )
            elif row.price != price:
                row.price = price
                changed.append(row)
        ProductPrice.objects.bulk_create(made, batch_size=1000)
        ProductPrice.objects.bulk_update(changed, ["price"], batch_size=1000)

    def restore(self, *, user, obj, previous: dict[str, object]) -> None:
        for name, value in previous.items():
            key = {
                "product_id": obj.pk,
                "price_list_id": int(name.removeprefix(PREFIX)),
                "currency_id": obj.currency_id,
            }
            if value is None:
                ProductPrice.objects.filter(**key).delete()
            else:
                ProductPrice.objects.update_or_create(**key, defaults={"price": Decimal(str(value))})
