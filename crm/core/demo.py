"""Demo data: the people of a believable company. Each section app adds its records in its own `demo.py`
(`seed(context)` for the small believable set, `seed_scale(context, n)` for benchmarks)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.auth import get_user_model

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed by `make run`; demo data only

DEMO_USERS = [
    # username, first, last, role description, is_superuser
    ("admin", "Ada", "Admin", "administrator", True),
    ("manager", "Maria", "Manning", "sales manager", False),
    ("alice", "Alice", "Archer", "sales rep", False),
    ("bob", "Bob", "Baker", "sales rep", False),
]


@dataclass
class DemoContext:
    users: dict[str, object]
    rng: random.Random
    created: dict[str, int] = field(default_factory=dict)

    @property
    def sales_users(self) -> list:
        return [self.users["manager"], self.users["alice"], self.users["bob"]]


def ensure_users() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, first, last, _, is_superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
                "is_staff": is_superuser,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    return users


def demo_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if config.name != "crm.core" and find_spec(name) is not None:
            modules.append(import_module(name))
    return sorted(modules, key=lambda m: getattr(m, "ORDER", 100))


#: how many messages a demo user finds in the bell: the newest, as a working week leaves them
NOTIFICATIONS_KEPT = 6


def trim_notifications(users, kept: int = NOTIFICATIONS_KEPT) -> int:
    """Keep each demo user's newest `kept` notifications: seeding a year of deals in a minute sends the managers a
    message for every close, which no one would have left unread. Returns how many were removed."""
    from crm.core.models import Notification

    removed = 0
    for user in users:
        newest = (
            Notification.objects.filter(recipient=user)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:kept]
        )
        removed += Notification.objects.filter(recipient=user).exclude(pk__in=list(newest)).delete()[0]
    return removed
