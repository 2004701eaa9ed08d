"""The activities' tiles on the reps' demo home dashboard (crm.analytics.demo): the week's activities and the
overdue tasks, which drill down to the list with the same filters."""

from __future__ import annotations


def demo_tiles(context) -> list:
    from crm.analytics.demo import REPS, DemoTiles

    return [
        DemoTiles(
            REPS,
            [
                (
                    "metric",
                    3,
                    2,
                    {
                        "title": "My activities this week",
                        "section": "activities",
                        "function": "count",
                        "filters": "owner=me",
                        "date_field": "start",
                        "period": "this_week",
                    },
                )
            ],
            position=20,
        ),
        DemoTiles(
            REPS,
            [
                (
                    "list",
                    6,
                    4,
                    {
                        "title": "My overdue tasks",
                        "section": "activities",
                        "columns": ["title", "status", "due"],
                        "sort": "due",
                        "limit": "8",
                        "filters": "owner=me&type=task&overdue=true",
                    },
                )
            ],
            position=40,
        ),
    ]
