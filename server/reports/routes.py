"""HTTP routes of reports."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.errors import InvalidInput
from server.mapquery import GEOJSON, MapQueryDep, feature_collection
from server.reports import service
from server.reports.models import STATUSES
from server.reports.schemas import CategoryOut, ReportCreated, ReportIn

router = APIRouter(prefix="/api", tags=["reports"])


def _statuses(raw: str | None) -> list[str] | None:
    if not raw:
        return None
    wanted = [s.strip() for s in raw.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in STATUSES]
    if unknown:
        raise InvalidInput(f"未知的状态：{', '.join(unknown)}",
                           f"Unknown status: {', '.join(unknown)}", field="status")
    return wanted


@router.get("/reports", response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
async def reports_layer(db: DbDep, user: CurrentUser, query: MapQueryDep,
                        status: Annotated[str | None, Query(max_length=200)] = None,
                        since: datetime | None = None) -> Response:
    """Reports in bbox, optionally by status (comma-separated) and creation time."""
    return feature_collection(await service.layer(
        db=db, query=query, principal=user, statuses=_statuses(status), since=since))


@router.post("/reports", response_model=ReportCreated, status_code=201)
async def submit_report(request: Request, db: DbDep, data: ReportIn) -> ReportCreated:
    """A resident reports a problem at a location (no account needed)."""
    return await service.submit(db=db, data=data, source="resident",
                                service_area=request.app.state.service_area)


@router.get("/categories", response_model=list[CategoryOut])
async def categories(db: DbDep) -> list[CategoryOut]:
    """Report categories with their default deadline."""
    return await service.categories(db=db)
