"""What many browser journeys do: log in through the login page, open a record's tab, and build an .xlsx workbook
to upload."""

import io
import re

from openpyxl import Workbook
from playwright.sync_api import expect

from tests.factories.core import PASSWORD


def log_in(page, username: str = "alice") -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Good to see you"))).to_be_visible()


def open_tab(page, name: str) -> None:
    """Click a record page's tab, in the "More" menu when it is folded there."""
    tabs = page.locator("#record-tabs")
    tabs.wait_for()  # a click that opens the record may still be loading it: is_visible() does not wait
    tab = tabs.get_by_role("tab", name=name)
    if not tab.is_visible():
        page.locator("#record-tabs-more").click()
    tab.click()


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
