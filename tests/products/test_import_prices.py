"""A catalogue file brings the products' prices in each price list: one column per price list, in the product's
currency; a second import changes only what differs, and a rollback puts the earlier prices back."""

from decimal import Decimal

import pytest

from crm.imports import services
from crm.imports.fields import importable_fields
from crm.sections import registry
from products.models import PriceList, Product, ProductPrice
from tests.imports.conftest import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def vip():
    return PriceList.objects.get(name="VIP")


def run(user, rows, *, keys=("code",)):
    job = services.create_job(user=user, section_name="products", upload=upload(xlsx_bytes(rows), "catalogue.xlsx"))
    job = services.configure(user=user, job=job, sheet="", mapping=job.mapping, keys=list(keys), lookup_mode="refuse")
    services.start(user=user, job=job)
    return services.run(job.pk)


def prices():
    return {
        (p.product.code, p.price_list.name, p.currency.code): p.price
        for p in ProductPrice.objects.select_related("product", "price_list", "currency")
    }


def test_each_price_list_is_a_column_and_headers_find_them(alice):
    specs = importable_fields(registry.get("products"), alice)
    labels = {spec.label for spec in specs if spec.extra}
    assert labels == {"Price in Base list", "Price in VIP list", "Tags"}
    assert not any(spec.required for spec in specs if spec.extra)  # a product is whole without them

    job = services.create_job(
        user=alice,
        section_name="products",
        upload=upload(xlsx_bytes([["SKU", "Name", "Price", "VIP price", "Base list"]])),
    )
    assert job.mapping == {
        "0": "code",
        "1": "name",
        "2": "price",
        "3": f"price_list__{vip().pk}",
        "4": f"price_list__{PriceList.objects.get(name='Base').pk}",
    }
    assert job.keys == ["code"]  # a price is never a key


def test_an_import_writes_the_prices_in_the_product_currency_and_only_what_changed_the_second_time(alice):
    header = ["Code", "Name", "Currency", "Base price", "VIP price"]
    job = run(alice, [header, ["A-1", "Anvil", "EUR", 10, 9], ["A-2", "Axe", "USD", 20, ""]])

    assert (job.created_count, job.refused_count) == (2, 0)
    assert prices() == {("A-1", "VIP", "EUR"): Decimal("9.00")}

    again = run(alice, [header, ["A-1", "Anvil", "EUR", 10, "9.00"], ["A-2", "Axe", "USD", 20, 15]])
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    assert prices() == {("A-1", "VIP", "EUR"): Decimal("9.00"), ("A-2", "VIP", "USD"): Decimal("15.00")}


def test_a_negative_price_is_left_out_with_the_rule_as_a_warning(alice):
    job = run(alice, [["Code", "Name", "VIP price"], ["A-1", "Anvil", -1]])

    assert (job.created_count, job.refused_count) == (1, 0)
    assert job.row_warnings.get().message == (
        "Price in VIP list: Ensure this value is greater than or equal to 0; left empty."
    )
    assert prices() == {}


def test_a_rollback_puts_the_earlier_prices_back(alice):
    header = ["Code", "Name", "Currency", "VIP price"]
    run(alice, [header, ["A-1", "Anvil", "EUR", 9], ["A-2", "Axe", "EUR", ""]])
    change = run(alice, [header, ["A-1", "Anvil", "EUR", 12], ["A-2", "Axe", "EUR", 30]])
    assert prices() == {("A-1", "VIP", "EUR"): Decimal("12.00"), ("A-2", "VIP", "EUR"): Decimal("30.00")}

    services.rollback(user=alice, job=change)

    assert prices() == {("A-1", "VIP", "EUR"): Decimal("9.00")}


def test_a_price_that_is_no_number_or_too_large_is_left_out_with_a_warning(alice):
    job = run(
        alice,
        [["Code", "Name", "VIP price"], ["A-1", "Anvil", "abc"], ["A-2", "Axe", "1e30"], ["A-3", "Adze", " 7,5 "]],
    )

    assert dict(job.row_warnings.values_list("row_number", "message")) == {
        2: "Price in VIP list: “abc” is not a number; left empty.",
        3: "Price in VIP list: “1e30” is too large; left empty.",
    }
    assert sorted(Product.objects.values_list("code", flat=True)) == ["A-1", "A-2", "A-3"]
    assert prices() == {("A-3", "VIP", "USD"): Decimal("7.50")}
