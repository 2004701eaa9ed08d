"""What sections add to the context of their print forms."""

from __future__ import annotations

from collections.abc import Callable

_providers: dict[str, Callable[..., dict]] = {}
_shared: list[Callable[..., dict]] = []


def register_context(section_name: str, provider: Callable[..., dict]) -> Callable[..., dict]:
    """`provider(*, user, record) -> dict` adds names to the context of `section_name`'s print forms. The values
    are shown to whoever may read the record: give only what the user may see."""
    _providers[section_name] = provider
    return provider


def unregister_context(section_name: str) -> None:
    _providers.pop(section_name, None)


def context_providers() -> dict[str, Callable[..., dict]]:
    return dict(_providers)


def register_shared_context(provider: Callable[..., dict]) -> Callable[..., dict]:
    """`provider(*, user, record) -> dict` adds names to the print forms of every section (the letterhead of our
    company and the customer's address), before the section's own provider. Give only what the user may see."""
    if provider not in _shared:
        _shared.append(provider)
    return provider


def shared_context_providers() -> list[Callable[..., dict]]:
    return list(_shared)
