"""HTTP routes of patrol coverage: per grid, as a map layer, and the daily report."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from server.auth.deps import require_roles
from server.auth.schemas import Principal
from server.coverage import service
from server.coverage.schemas import CoverageOut, ReportOut
from server.coverage.settings import coverage_settings
from server.db import DbDep
from server.mapquery import GEOJSON, MapQueryDep, feature_collection

router = APIRouter(prefix="/api/coverage", tags=["coverage"])

coverage_settings()  # read and validate the settings at start-up, not on the first request
Reader = Annotated[Principal, Depends(require_roles("admin", "operator", "planner",
                                                    "grid_head", "patroller"))]
DayQuery = Annotated[str | None, Query(description="local day (UTC+8), YYYY-MM-DD; today "
                                       "by default")]
ShiftQuery = Annotated[str | None, Query(description="all (default), or a shift of "
                                         "GRIDLINK_COVERAGE_SHIFTS: day, night")]
CommunityQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get("", response_model=CoverageOut)
async def grid_coverage(db: DbDep, user: Reader, day: DayQuery = None, shift: ShiftQuery = None,
                        community_id: CommunityQuery = None) -> CoverageOut:
    """Each grid's share of street length walked in a shift, its workers and hours since."""
    return await service.coverage(db=db, principal=user, day=day, shift=shift,
                                  community_id=community_id, now=datetime.now(UTC))


@router.get("/layer", response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def coverage_layer(db: DbDep, user: Reader, query: MapQueryDep, day: DayQuery = None,
                         shift: ShiftQuery = None) -> Response:
    """Grids in bbox as GeoJSON with share, walked_m, street_m, patrolled, hours_since."""
    return feature_collection(await service.layer(db=db, principal=user, query=query, day=day,
                                                  shift=shift, now=datetime.now(UTC)))


@router.get("/report", response_model=ReportOut)
async def coverage_report(db: DbDep, user: Reader, day: DayQuery = None,
                          community_id: CommunityQuery = None) -> ReportOut:
    """Per community: grids not patrolled on the day (whole day)."""
    return await service.report(db=db, principal=user, day=day, community_id=community_id,
                                now=datetime.now(UTC))
