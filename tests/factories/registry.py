"""A record of any registered section, for tests that run over the whole registry (query counts, URLs, browser).

The factory of a section is the factory exported by `tests.factories` whose model is the section's model (or
the one named in FACTORIES when there are several); a section without one fails loudly.
"""

from __future__ import annotations

import factory

import tests.factories
from crm.sections.registry import Section

#: section name -> factory, where discovery by model would be ambiguous
FACTORIES: dict[str, type[factory.django.DjangoModelFactory]] = {}


def factory_for(section: Section) -> type[factory.django.DjangoModelFactory]:
    if section.name in FACTORIES:
        return FACTORIES[section.name]
    found = [
        candidate
        for candidate in vars(tests.factories).values()
        if isinstance(candidate, type)
        and issubclass(candidate, factory.django.DjangoModelFactory)
        and candidate._meta.model is section.model
    ]
    if len(found) != 1:
        problem = "No factory" if not found else f"Several factories ({', '.join(f.__name__ for f in found)})"
        raise LookupError(
            f"{problem} for the section {section.name!r}: export one from tests/factories/__init__.py "
            "or name it in tests/factories/registry.py FACTORIES"
        )
    return found[0]


def make_record(section: Section, owner, **fields):
    """One saved record of `section` owned by `owner`."""
    return factory_for(section)(owner=owner, **fields)


def make_records(section: Section, owner, count: int, **fields) -> list:
    return factory_for(section).create_batch(count, owner=owner, **fields)
