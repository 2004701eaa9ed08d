"""The invoices' tile on the demo dashboard of an account's page (crm.analytics.demo): its open invoices."""

from __future__ import annotations


def demo_tiles(context) -> list:
    from crm.analytics.demo import DemoTiles

    return [
        DemoTiles(
            "Account at a glance",
            [
                (
                    "list",
                    6,
                    4,
                    {
                        "title": "Open invoices",
                        "section": "invoices",
                        "filters": "status=unpaid",
                        "columns": ["number", "date", "status", "amount"],
                        "sort": "date",
                        "limit": "10",
                    },
                )
            ],
            position=20,
            place="record:accounts",
        )
    ]
