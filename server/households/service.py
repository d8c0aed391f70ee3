"""Reading households: scoped to the caller's grids, masked, aggregated when zoomed out."""

from sqlalchemy.ext.asyncio import AsyncSession

from geo.tiles import meters_per_pixel
from server.auth.schemas import Principal
from server.errors import Forbidden
from server.mapquery import MapQuery
from server.sqlfile import sql

POINT_ZOOM = 17
CLUSTER_PX = 48
METERS_PER_DEGREE = 111_320.0
READERS = ("admin", "operator", "planner", "grid_head", "patroller")
POINT_READERS = ("admin", "operator", "grid_head", "patroller")


def scope(principal: Principal) -> list[int] | None:
    """The grids whose households the caller may see (None = all)."""
    if principal.role not in READERS:
        raise Forbidden("您的角色无权查看住户信息", "Your role may not see household data",
                        code="households_forbidden")
    return None if principal.sees_everything else list(principal.grid_ids)


def cell_degrees(zoom: int | None, lat: float) -> float:
    """Cluster cell size: about CLUSTER_PX pixels at this zoom."""
    return meters_per_pixel(zoom if zoom is not None else 12, lat) * CLUSTER_PX / METERS_PER_DEGREE


async def layer(*, db: AsyncSession, query: MapQuery, principal: Principal) -> str | None:
    """Clusters when zoomed out or for planners; masked points when zoomed in."""
    grid_ids = scope(principal)
    params = {**query.params(), "grid_ids": grid_ids}
    zoomed_in = query.zoom is not None and query.zoom >= POINT_ZOOM
    if zoomed_in and principal.role in POINT_READERS:
        return await db.scalar(sql(__file__, "points.sql"), params)
    params["cell"] = cell_degrees(query.zoom, query.bbox.center[1])
    return await db.scalar(sql(__file__, "clusters.sql"), params)
