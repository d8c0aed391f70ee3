"""HTTP routes of the live worker layer."""

from fastapi import APIRouter
from fastapi.responses import Response

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.mapquery import GEOJSON, MapQueryDep, feature_collection
from server.workers import service

router = APIRouter(prefix="/api/workers", tags=["workers"])


@router.get("/live", response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def workers_live(db: DbDep, user: CurrentUser, query: MapQueryDep) -> Response:
    """Workers' latest positions and status in bbox."""
    return feature_collection(await service.live_layer(db=db, query=query, principal=user))
