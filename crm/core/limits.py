"""Rate limits every web process counts together: the "shared" cache (Redis, or a table in the database when
there is no Redis), so that three gunicorn workers do not each allow the limit."""

from __future__ import annotations

from django.core.cache import caches

SHARED_CACHE = "shared"


def allow(key: str, *, limit: int, window: int) -> bool:
    """True while fewer than `limit` calls with `key` were allowed in the last `window` seconds.

    Each allowed call claims one of `limit` slots with `add`, which is atomic on every backend (a unique key in the
    database cache, SET NX on Redis), so two workers never take the same slot; an increment would be a read and a
    write on the database cache, and two workers would count one."""
    cache = caches[SHARED_CACHE]
    slots = [f"limit:{key}:{number}" for number in range(limit)]
    taken = cache.get_many(slots)
    return any(cache.add(slot, 1, timeout=window) for slot in slots if slot not in taken)
