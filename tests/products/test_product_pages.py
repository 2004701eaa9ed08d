"""The Products section's pages: the list within its query budget, the product page's tabs, the photo, URLs."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from products.models import Product
from tests.factories import ProductFactory, ProductPriceFactory, ProductUnitFactory
from tests.factories.products import BrandFactory, ProductTypeFactory, currency, price_list, unit

pytestmark = pytest.mark.django_db

PRODUCT_URLS = [
    ("products:catalogue", [], "/products/catalogue/"),
    ("products:select", [], "/products/select/"),
    ("products:cart", [], "/products/select/cart/"),
    ("products:select_save", [], "/products/select/save/"),
    ("products:features", [7], "/products/7/features/"),
    ("products:prices", [7], "/products/7/prices/"),
    ("products:photo", [7], "/products/7/photo/"),
]


@pytest.mark.parametrize(("name", "args", "path"), PRODUCT_URLS, ids=[u[0] for u in PRODUCT_URLS])
def test_product_url_reverses_and_resolves(name, args, path):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name


@pytest.mark.parametrize("per_page", [25, 100])
def test_the_products_list_stays_within_its_query_budget(alice_client, alice, per_page, django_assert_max_num_queries):
    kind = ProductTypeFactory(name="Budget type")
    ProductFactory.create_batch(110, owner=alice, category=kind.category, type=kind, brand=BrandFactory())
    alice_client.get(reverse("products:list"))

    # 1 session, 2 user, 3 the users of the owner filter, 4 the page of rows (category, type, brand, unit and
    # currency joined), 5 the bounded count, 6 the list preference, 7 the folders, 8 the unread notifications,
    # 9-13 the categories, types, brands, units and currencies of the filter form, 14 the users of the bulk bar,
    # 15 the custom field definitions, 16 remembering the changed query (the page size) for the user
    with django_assert_max_num_queries(17):
        response = alice_client.get(reverse("products:list"), {"per_page": per_page})

    assert len(response.context["rows"]) == per_page


def test_the_product_page_shows_its_prices_per_list_and_its_units(alice_client, alice):
    product = ProductFactory(owner=alice, name="Dock", price=Decimal("300.00"))
    ProductPriceFactory(product=product, price_list=price_list("VIP"), currency=currency("GBP"), price=Decimal("199"))
    ProductUnitFactory(product=product, unit=unit("boxes"), factor=Decimal("6"))

    page = alice_client.get(reverse("products:detail", args=[product.pk]))
    tab = alice_client.get(reverse("products:tab", args=[product.pk, "prices"])).content.decode()

    assert ("prices", "Prices") in page.context["tabs"] and ("features", "Features") in page.context["tabs"]
    assert "VIP" in tab and "199.00" in tab and "GBP" in tab
    assert "boxes" in tab and ">6<" in tab


def test_the_prices_tab_is_only_on_product_pages(alice_client, alice):
    from tests.factories import AccountFactory

    account = AccountFactory(owner=alice)

    assert alice_client.get(reverse("accounts:tab", args=[account.pk, "prices"])).status_code == 404


def test_a_product_type_must_belong_to_the_products_category(alice_client, alice):
    laptops = ProductTypeFactory(name="Form laptops")
    other = ProductTypeFactory(name="Form licences")
    data = {
        "code": "NEW-1",
        "name": "New laptop",
        "category": laptops.category.pk,
        "type": other.pk,
        "unit": unit("pieces").pk,
        "price": "10.00",
        "currency": currency("USD").pk,
        "owner": alice.pk,
    }

    refused = alice_client.post(reverse("products:create"), data)
    created = alice_client.post(reverse("products:create"), {**data, "type": laptops.pk})

    assert refused.status_code == 422
    assert created.status_code == 302
    assert Product.objects.get(code="NEW-1").type == laptops


def test_a_new_product_gets_the_default_unit_tax_and_currency(alice):
    product = ProductFactory(owner=alice)

    assert (product.unit.name, product.tax.name, product.tax.rate, product.currency.code) == (
        "pieces",
        "VAT",
        Decimal("20.00"),
        "USD",
    )


def test_the_photo_is_served_through_the_products_access_check(alice_client, alice):
    photo = SimpleUploadedFile("dock.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    product = ProductFactory(owner=alice, photo=photo)

    response = alice_client.get(reverse("products:photo", args=[product.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_an_outsider_gets_no_photo(only_owners_edit_records, client, alice, charlie):
    photo = SimpleUploadedFile("dock.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    product = ProductFactory(owner=alice, photo=photo)
    client.force_login(charlie)

    assert client.get(reverse("products:photo", args=[product.pk])).status_code == 404


def test_a_photo_must_be_an_image_file(alice_client, alice):
    product = ProductFactory(owner=alice)
    data = {
        "code": product.code,
        "name": product.name,
        "unit": product.unit_id,
        "price": "10.00",
        "currency": product.currency_id,
        "owner": alice.pk,
        "version": product.version,
        "photo": SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"),
    }

    response = alice_client.post(reverse("products:update", args=[product.pk]), data)

    assert response.status_code == 422
    product.refresh_from_db()
    assert not product.photo
