"""Restoring what the data migrations seed (lookups, stages, currencies, duplicate rules) after a transactional
test (a browser test) has flushed the database: every seed migration's RunPython again (each is idempotent)."""

from importlib import import_module

from django.apps import apps
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader

SEED_WORDS = ("seed", "preset")


def seed_migrations() -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    names = []
    for app_config in apps.get_app_configs():
        if not app_config.path.startswith(str(_project_root())):
            continue
        module = loader.migrations_module(app_config.label)[0]
        if module is None:
            continue
        try:
            package = import_module(module)
        except ImportError:
            continue
        from pkgutil import iter_modules

        for info in iter_modules(package.__path__):
            if any(word in info.name for word in SEED_WORDS):
                names.append(f"{module}.{info.name}")
    return sorted(names)


def _project_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2]


def ensure_seeded() -> None:
    from products.models import Currency

    if Currency.objects.exists():
        return  # nothing flushed the database
    for name in seed_migrations():
        for operation in import_module(name).Migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)
