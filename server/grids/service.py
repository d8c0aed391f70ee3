"""Reading the grid hierarchy."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import NotFound
from server.mapquery import MapQuery
from server.sqlfile import sql

LIVING = text("SELECT EXISTS (SELECT 1 FROM grids WHERE id = :g AND retired_at IS NULL "
              "AND (CAST(:level AS text) IS NULL OR level = :level))")


async def require_grid(db: AsyncSession, grid_id: int, *, level: str | None = None,
                       code: str = "grid_not_found", message_zh: str | None = None,
                       message_en: str | None = None, field: str | None = None) -> None:
    """A living grid `grid_id` (of `level`, any when None) exists, else NotFound with the
    caller's code, messages ("Grid N does not exist" by default) and field."""
    if not await db.scalar(LIVING, {"g": grid_id, "level": level}):
        raise NotFound(message_zh or f"网格 {grid_id} 不存在",
                       message_en or f"Grid {grid_id} does not exist", code=code, field=field)


async def layer(*, db: AsyncSession, query: MapQuery, level: str | None,
                kind: str | None) -> str | None:
    """The grids in the window as a JSON array of features."""
    params = {**query.params(), "tol": query.tolerance(), "level": level, "kind": kind}
    return await db.scalar(sql(__file__, "layer.sql"), params)


async def detail(*, db: AsyncSession, grid_id: int) -> str:
    """One grid as a GeoJSON feature with its people and counts."""
    feature = await db.scalar(sql(__file__, "detail.sql"), {"id": grid_id})
    if feature is None:
        raise NotFound(f"网格 {grid_id} 不存在", f"Grid {grid_id} does not exist",
                       code="grid_not_found")
    return str(feature)


async def locate(*, db: AsyncSession, lon: float, lat: float) -> dict[str, int | None]:
    """The grid (dedicated first), community and street containing a point."""
    row = (await db.execute(text(
        "WITH p AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS pt) "
        "SELECT "
        " (SELECT id FROM grids, p WHERE level = 'grid' AND retired_at IS NULL "
        "  AND ST_Intersects(geom, pt) ORDER BY kind = 'dedicated' DESC, id LIMIT 1), "
        " (SELECT id FROM grids, p WHERE level = 'community' AND retired_at IS NULL "
        "  AND ST_Intersects(geom, pt) ORDER BY id LIMIT 1), "
        " (SELECT id FROM grids, p WHERE level = 'street' AND retired_at IS NULL "
        "  AND ST_Intersects(geom, pt) ORDER BY id LIMIT 1)"), {"lon": lon, "lat": lat})).one()
    return {"grid_id": row[0], "community_id": row[1], "street_id": row[2]}


async def service_area(*, db: AsyncSession) -> tuple[float, float, float, float] | None:
    """The extent of the top level of the hierarchy (None when nothing is seeded)."""
    row = (await db.execute(text(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ("
        " SELECT ST_Extent(geom) e FROM grids WHERE retired_at IS NULL AND level = ("
        "  SELECT level FROM grids WHERE retired_at IS NULL ORDER BY array_position("
        "   ARRAY['county','street','community','grid','micro'], level) LIMIT 1)) s"))).one()
    return None if row[0] is None else (row[0], row[1], row[2], row[3])
