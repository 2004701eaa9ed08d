"""What sections add to the context of their print forms."""

from __future__ import annotations

from collections.abc import Callable

_providers: dict[str, Callable[..., dict]] = {}


def register_context(section_name: str, provider: Callable[..., dict]) -> Callable[..., dict]:
    """`provider(*, user, record) -> dict` adds names to the context of `section_name`'s print forms. The values
    are shown to whoever may read the record: give only what the user may see."""
    _providers[section_name] = provider
    return provider


def unregister_context(section_name: str) -> None:
    _providers.pop(section_name, None)


def context_providers() -> dict[str, Callable[..., dict]]:
    return dict(_providers)
