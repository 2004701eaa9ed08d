"""A tile's figures for one viewer: computed by its kind, kept briefly in the cache per tile, viewer and rights
version (a change of rights makes a new version, so nobody is shown figures of rights they lost), and a tile
that cannot be shown says why instead of breaking the dashboard."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from crm.access.snapshot import local_epoch, rights_version

from . import kinds
from .fields import MISSING, TileProblem
from .kinds import TileRequest, TileResult
from .models import Tile

CACHE_SECONDS = 60


def cache_key(tile: Tile, request: TileRequest) -> str:
    page = request.page_params.urlencode() if request.page_params is not None else ""
    record = f"{type(request.record).__name__}:{request.record.pk}" if request.record is not None else ""
    rights = (rights_version(), local_epoch())
    parts = [tile.pk, tile.modified_at.timestamp(), request.viewer.pk, rights, request.page_section, page, record]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"crm.analytics:tile:{digest}"


def compute(tile: Tile, request: TileRequest, *, use_cache: bool = True) -> TileResult:
    kind = kinds.get(tile.kind)
    if kind is None:
        return problem(MISSING)
    key = cache_key(tile, request) if use_cache else ""
    if key:
        cached = cache.get(key)
        if cached is not None:
            return cached
    try:
        result = kind.compute(request)
    except TileProblem as error:
        result = problem(str(error))
    if key:
        cache.set(key, result, CACHE_SECONDS)
    return result


def problem(message: str) -> TileResult:
    return TileResult("analytics/tiles/_problem.html", {"message": message})
