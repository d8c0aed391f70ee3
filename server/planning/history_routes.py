"""HTTP routes of grid history: the map as of a time, and one grid's versions.

Registered before the grids router, so /api/grids/asof is not read as a grid id.
"""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.grids.routes import Kind, Level
from server.mapquery import GEOJSON, MapQueryDep, feature_collection
from server.params import RowId
from server.planning import history
from server.planning.schemas import GridVersionOut

router = APIRouter(prefix="/api/grids", tags=["grids"])


@router.get("/asof", response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def grids_as_of(db: DbDep, user: CurrentUser, query: MapQueryDep,
                      at: Annotated[datetime, Query(description="ISO 8601 time")],
                      level: Annotated[Level | None, Query()] = None,
                      kind: Annotated[Kind | None, Query()] = None) -> Response:
    """The grids as they were at `at` (a time without zone is UTC), as GeoJSON."""
    when = at if at.tzinfo else at.replace(tzinfo=UTC)
    return feature_collection(await history.as_of(db=db, query=query, at=when, level=level,
                                                  kind=kind))


@router.get("/{grid_id}/history", response_model=list[GridVersionOut])
async def grid_history(db: DbDep, user: CurrentUser, grid_id: RowId) -> list[GridVersionOut]:
    """Every version of a grid, oldest first, with the plan that made it."""
    return await history.versions(db=db, grid_id=grid_id)
