"""HTTP routes of the station layer."""

from fastapi import APIRouter
from fastapi.responses import Response

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.mapquery import GEOJSON, MapQueryDep, feature_collection
from server.stations import service

router = APIRouter(prefix="/api/stations", tags=["stations"])


@router.get("", response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def stations_layer(db: DbDep, user: CurrentUser, query: MapQueryDep) -> Response:
    """Stations (红色驿站) in bbox with services, hours and today's duty."""
    return feature_collection(await service.layer(db=db, query=query))
