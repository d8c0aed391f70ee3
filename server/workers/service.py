"""Reading workers and their latest state."""

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.schemas import Principal
from server.errors import Forbidden
from server.mapquery import MapQuery
from server.sqlfile import sql

LIVE_READERS = ("admin", "operator", "planner", "grid_head", "patroller")


def live_scope(principal: Principal) -> list[int] | None:
    """Grids whose workers the caller may follow (None = all)."""
    if principal.role not in LIVE_READERS:
        raise Forbidden("您的角色无权查看人员位置", "Your role may not see worker positions",
                        code="workers_forbidden")
    return None if principal.sees_everything else list(principal.grid_ids)


async def live_layer(*, db: AsyncSession, query: MapQuery, principal: Principal) -> str | None:
    """Latest positions in the window as a JSON array of features."""
    params = {**query.params(), "grid_ids": live_scope(principal)}
    return await db.scalar(sql(__file__, "live.sql"), params)
