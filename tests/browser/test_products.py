"""A sales rep browses the product catalogue, opens a product and sees its prices per price list."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from products.models import CatalogueLevel, Currency, PriceList, ProductCategory, ProductType, Tax, UnitOfMeasure
from products.selection import register_line_target, unregister_line_target
from tests.browser.helpers import open_tab
from tests.factories import AccountFactory, ProductFactory, ProductPriceFactory, UserFactory
from tests.factories.core import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(transactional_db):
    # get_or_create: a transactional test before this one may have flushed what the data migrations seeded
    usd = Currency.objects.get_or_create(code="USD", defaults={"name": "US dollar", "is_base": True})[0]
    gbp = Currency.objects.get_or_create(code="GBP", defaults={"name": "Pound sterling"})[0]
    UnitOfMeasure.objects.get_or_create(name="pieces")
    Tax.objects.get_or_create(name="VAT", defaults={"rate": Decimal("20")})
    base = PriceList.objects.get_or_create(name="Base", defaults={"is_base": True})[0]
    vip = PriceList.objects.get_or_create(name="VIP")[0]
    CatalogueLevel.objects.get_or_create(field="category", defaults={"position": 1})
    CatalogueLevel.objects.get_or_create(field="type", defaults={"position": 2})
    hardware = ProductCategory.objects.get_or_create(name="Hardware")[0]
    laptops = ProductType.objects.get_or_create(name="Laptops", defaults={"category": hardware})[0]
    monitors = ProductType.objects.get_or_create(name="Monitors", defaults={"category": hardware})[0]
    alice = UserFactory(username="alice", first_name="Alice", last_name="Archer")
    laptop = ProductFactory(
        owner=alice,
        name="ThinkPad X1",
        code="LT-X1",
        category=hardware,
        type=laptops,
        price=Decimal("1899"),
        currency=usd,
    )
    ProductFactory(owner=alice, name="UltraSharp 27", code="MN-27", category=hardware, type=monitors, currency=usd)
    ProductPriceFactory(product=laptop, price_list=base, currency=usd, price=Decimal("1799.00"))
    ProductPriceFactory(product=laptop, price_list=vip, currency=gbp, price=Decimal("1350.00"))
    return alice


def test_a_rep_browses_the_catalogue_and_sees_a_products_prices(page, catalogue):
    page.goto("/auth/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.goto("/products/")
    page.click("#list-actions")
    page.click("text=Catalogue")
    page.click("#catalogue-tree >> text=Hardware")
    page.click("#catalogue-tree >> text=Laptops")
    # the products of the node come with the click: the assertions wait for them, not a bare count of the moment
    page.wait_for_url("**node=*type*")
    rows = page.locator("#catalogue-products tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("ThinkPad X1")

    page.click("#catalogue-products >> text=ThinkPad X1")
    open_tab(page, "Prices")
    expect(page.locator("#product-prices")).to_contain_text("1,799.00")
    expect(page.locator("#product-prices tr[data-price-list=VIP]")).to_contain_text("1,350.00")


@pytest.fixture
def accounts_take_lines():
    """A test-only line target: lines saved to an account are collected here."""
    collected = []
    register_line_target("accounts", lambda user, record, lines: collected.extend(lines))
    yield collected
    unregister_line_target("accounts")


def test_a_rep_picks_products_into_the_cart_and_saves_them(page, catalogue, accounts_take_lines):
    account = AccountFactory(owner=catalogue, name="Northwind Traders")
    page.goto("/auth/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.goto(f"/products/select/?for=accounts&pk={account.pk}")
    page.fill("#selection-search", "thinkpad")
    page.locator("#offers form[data-offer]").filter(has_text="UltraSharp").wait_for(state="detached")
    offer = page.locator("#offers form[data-offer]").filter(has_text="ThinkPad X1")
    offer.locator(".offer-quantity").fill("2")
    offer.locator("[data-add-to-cart]").click()
    total = page.locator("#cart-total")
    total.filter(has_text="4,317.60").wait_for()  # 2 × 1,799.00 + 20% VAT, from the server
    expect(offer.locator(".in-cart-badge")).to_have_count(1)

    page.locator("#cart .cart-quantity").fill("3")
    page.locator("#cart .cart-quantity").press("Enter")
    total.filter(has_text="6,476.40").wait_for()

    page.click("#cart-save button")
    page.wait_for_url(f"**/accounts/{account.pk}/")
    assert [(line.product.name, line.quantity) for line in accounts_take_lines] == [("ThinkPad X1", Decimal("3"))]
