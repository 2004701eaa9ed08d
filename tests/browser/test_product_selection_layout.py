"""The product selection page with a page of 25 products, at a desktop and a phone width: a product is one row
(name, price, quantity, unit and button side by side) on a desktop and a compact card on a phone, the unit's name
is never cut, and the page never scrolls sideways."""

import os
from decimal import Decimal

import pytest

from products.models import Currency, ProductUnit, UnitOfMeasure
from products.selection import register_line_target, unregister_line_target
from tests.browser.helpers import log_in
from tests.factories import AccountFactory, ProductFactory, UserFactory

SHOTS = os.environ.get("CRM_SCREENSHOTS", "")
#: the tallest the page may be with 25 products: about 60 px a row on a desktop, 130 px a card on a phone
HEIGHT_BOUND = {1366: 2400, 390: 4600}


@pytest.fixture(params=[(1366, 900), (390, 844)], ids=["desktop", "phone"])
def viewport(request) -> dict:
    return {"width": request.param[0], "height": request.param[1]}


@pytest.fixture
def a_page_of_products(transactional_db):
    """25 subscriptions priced per month, each also sold per year, for an account to pick from."""
    register_line_target("accounts", lambda user, record, lines: None)
    alice = UserFactory(username="alice", first_name="Alice", last_name="Archer")
    usd = Currency.objects.get_or_create(code="USD", defaults={"name": "US dollar", "is_base": True})[0]
    months = UnitOfMeasure.objects.get_or_create(name="months")[0]
    years = UnitOfMeasure.objects.get_or_create(name="years")[0]
    for number in range(25):
        product = ProductFactory(
            owner=alice,
            name=f"Cloud backup, {number + 1} TB business plan",
            code=f"CB-{number + 1:03d}",
            unit=months,
            price=Decimal("1349.00"),
            currency=usd,
        )
        ProductUnit.objects.create(product=product, unit=years, factor=Decimal(12))
    yield AccountFactory(owner=alice, name="Northwind Traders")
    unregister_line_target("accounts")


def test_each_product_is_a_readable_row_and_its_unit_is_not_cut(page, a_page_of_products, viewport):
    log_in(page)
    page.goto(f"/products/select/?for=accounts&pk={a_page_of_products.pk}")
    page.locator("#offers form[data-offer]").nth(24).wait_for()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/selection-{viewport['width']}.png", full_page=True)

    sizes = page.evaluate(
        """() => {
            const canvas = document.createElement('canvas').getContext('2d');
            const cut = [...document.querySelectorAll('.offer-unit')].filter((select) => {
                const style = getComputedStyle(select);
                canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const text = canvas.measureText(select.options[select.selectedIndex].text).width;
                const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return text > room;
            }).length;
            const offer = document.querySelector('#offers form[data-offer]');
            const parts = ['.offer-name', '.offer-price', '.offer-quantity', '.offer-unit', '[data-add-to-cart]']
                .map((selector) => offer.querySelector(selector).getBoundingClientRect());
            return {
                height: document.documentElement.scrollHeight,
                width: document.documentElement.scrollWidth,
                innerWidth: window.innerWidth,
                cut: cut,
                rowWidth: offer.getBoundingClientRect().width,
                rowHeight: offer.getBoundingClientRect().height,
                tops: parts.map((box) => Math.round(box.top)),
                nameWidth: parts[0].width,
            };
        }"""
    )

    assert sizes["width"] <= sizes["innerWidth"], sizes
    assert sizes["cut"] == 0, sizes
    assert sizes["height"] <= HEIGHT_BOUND[viewport["width"]], sizes
    if viewport["width"] >= 1366:
        # one row: the parts side by side, the name given room
        assert sizes["rowWidth"] >= 500, sizes
        assert max(sizes["tops"]) - min(sizes["tops"]) < 30, sizes
        assert sizes["nameWidth"] >= 180, sizes
    else:
        # a card: the name across, then price, quantity, unit and button in one line under it
        assert sizes["rowWidth"] >= 330, sizes
        assert len(set(sizes["tops"][2:])) == 1 or max(sizes["tops"][2:]) - min(sizes["tops"][2:]) < 10, sizes
        assert sizes["rowHeight"] <= 150, sizes
