"""Create the demo company once (idempotent), or `--scale N` accounts with related records for benchmarks."""

from django.core.management.base import BaseCommand
from django.db import transaction

from crm.core import demo


class Command(BaseCommand):
    help = "Create demo data: a believable company, or --scale N accounts with related records for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="Create N accounts (and related records) fast.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")

    def handle(self, *args, scale: int, seed: int, **options):
        import random

        users = demo.ensure_users()
        context = demo.DemoContext(users=users, rng=random.Random(seed))
        modules = demo.demo_modules()
        if scale:
            for module in modules:
                if hasattr(module, "seed_scale"):
                    module.seed_scale(context, scale)
        else:
            seeded = [m for m in modules if hasattr(m, "seed") and not m.already_seeded(context)]
            for module in seeded:
                with transaction.atomic():
                    module.seed(context)
            if seeded:
                # after the messages the seeding sent (on commit): a handful each, as a working week leaves them
                demo.trim_notifications(users.values())
        for name, count in context.created.items():
            self.stdout.write(f"  {name}: {count} created")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Logins (password: {demo.DEMO_PASSWORD}):")
        for username, first, last, role, _ in demo.DEMO_USERS:
            self.stdout.write(f"  {username:<8} {first} {last}, {role}")
