"""HTTP routes of the grid layer."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.grids import service
from server.mapquery import GEOJSON, MapQueryDep, feature_collection
from server.params import RowId

router = APIRouter(prefix="/api/grids", tags=["grids"])
Level = Literal["county", "street", "community", "grid", "micro"]
Kind = Literal["comprehensive", "dedicated"]


@router.get("", response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def grids_layer(db: DbDep, user: CurrentUser, query: MapQueryDep,
                      level: Annotated[Level | None, Query()] = None,
                      kind: Annotated[Kind | None, Query()] = None) -> Response:
    """Grids intersecting bbox (simplified at low zoom) as GeoJSON."""
    return feature_collection(await service.layer(db=db, query=query, level=level, kind=kind))


@router.get("/{grid_id}", response_class=Response,
            responses={200: {"content": {GEOJSON: {}}}})
async def grid_detail(db: DbDep, user: CurrentUser,
                      grid_id: RowId) -> Response:
    """One grid with its head, workers and counts."""
    return Response(await service.detail(db=db, grid_id=grid_id), media_type=GEOJSON)
