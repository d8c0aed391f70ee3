"""Reading stations."""

from sqlalchemy.ext.asyncio import AsyncSession

from server.mapquery import MapQuery
from server.sqlfile import sql


async def layer(*, db: AsyncSession, query: MapQuery,
                grid_ids: list[int] | None = None) -> str | None:
    """Stations in the window (optionally only in some grids) as a JSON array of features."""
    params = {**query.params(), "grid_ids": grid_ids}
    return await db.scalar(sql(__file__, "layer.sql"), params)
