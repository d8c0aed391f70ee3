"""The map as of any time, and the versions of one grid (kept by the triggers on grids)."""

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import NotFound
from server.mapquery import MapQuery
from server.planning.schemas import GridVersionOut
from server.sqlfile import sql


async def as_of(*, db: AsyncSession, query: MapQuery, at: datetime, level: str | None,
                kind: str | None) -> str | None:
    """The grid versions valid at `at` in the window, as a JSON array of features."""
    params = {**query.params(), "tol": query.tolerance(), "at": at, "level": level,
              "kind": kind}
    return await db.scalar(sql(__file__, "asof.sql"), params)


async def versions(*, db: AsyncSession, grid_id: int) -> list[GridVersionOut]:
    """Every version of a grid, oldest first (404 for a grid that never was)."""
    rows = (await db.execute(text(
        "SELECT version, CASE WHEN isfinite(valid_from) THEN valid_from END AS valid_from, "
        "valid_to, code, name, plan_id FROM grid_versions WHERE grid_id = :g "
        "ORDER BY version"), {"g": grid_id})).mappings().all()
    if not rows:
        raise NotFound(f"网格 {grid_id} 不存在", f"Grid {grid_id} does not exist",
                       code="grid_not_found")
    return [GridVersionOut.model_validate(dict(r)) for r in rows]
