"""Mapbox vector tiles made by PostGIS (ST_AsMVT), one named query per layer."""

from sqlalchemy.ext.asyncio import AsyncSession

from geo.tiles import validate_tile
from server.auth.schemas import Principal
from server.households.service import scope as household_scope
from server.sqlfile import sql

LAYERS = ("streets", "blocks", "grids", "households")
PUBLIC_LAYERS = ("streets", "blocks", "grids")
MAX_ZOOM = 22
EARTH = 40_075_016.686


async def tile(*, db: AsyncSession, layer: str, z: int, x: int, y: int,
               principal: Principal | None) -> bytes:
    """The MVT bytes of one tile of one layer (empty when nothing is there)."""
    validate_tile(z, x, y, max_zoom=MAX_ZOOM)
    params: dict[str, object] = {"z": z, "x": x, "y": y}
    if layer == "households":
        assert principal is not None
        params["grid_ids"] = household_scope(principal)
        params["cell"] = EARTH / 2**z / 16  # 16 cells across a tile
    data = await db.scalar(sql(__file__, f"{layer}.sql"), params)
    return bytes(data or b"")
