"""HTTP routes of the household layer."""

from fastapi import APIRouter
from fastapi.responses import Response

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.households import service
from server.mapquery import GEOJSON, MapQueryDep, feature_collection

router = APIRouter(prefix="/api/households", tags=["households"])


@router.get("", response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def households_layer(db: DbDep, user: CurrentUser, query: MapQueryDep) -> Response:
    """Households in bbox: counts per care color when zoomed out, masked points from z17."""
    return feature_collection(await service.layer(db=db, query=query, principal=user))
