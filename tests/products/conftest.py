"""A test-only line target: products selected for an account are collected in a list instead of stored lines."""

import pytest

from products.selection import register_line_target, unregister_line_target


@pytest.fixture
def added_lines():
    """Registers "accounts" as a line target for the test; the lines saved to an account land in this list."""
    collected = []

    def add_lines(user, record, lines):
        collected.extend((user, record, line) for line in lines)

    register_line_target("accounts", add_lines)
    yield collected
    unregister_line_target("accounts")
