"""Public report routes: the map layer, intake, categories, the reporter's tracking link."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.errors import InvalidInput
from server.idempotency import service as idempotency
from server.mapquery import GEOJSON, MapQueryDep, feature_collection
from server.params import IdemKey
from server.reports import queries, review, service
from server.reports.actions import act
from server.reports.models import STATUSES
from server.reports.schemas import CategoryOut, ReportCreated, ReportIn, RevisitIn
from server.reports.steps import RESIDENT

router = APIRouter(prefix="/api", tags=["reports"])
Token = Annotated[str, Path(min_length=8, max_length=40, pattern=r"^[0-9a-f]+$")]


def parse_statuses(raw: str | None) -> list[str] | None:
    """Comma-separated statuses, each one known (422 naming the unknown ones)."""
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
        db=db, query=query, principal=user, statuses=parse_statuses(status), since=since))


@router.post("/reports", response_model=ReportCreated, status_code=201)
async def submit_report(request: Request, db: DbDep, data: ReportIn,
                        key: IdemKey = None) -> JSONResponse:
    """A resident or volunteer reports a problem (no account); retry-safe with
    Idempotency-Key."""
    async def work() -> ReportCreated:
        return service.created(*await service.create(
            db=db, data=data, area=request.app.state.service_area))

    return await idempotency.run(db=db, scope="POST /api/reports", key=key, body=data,
                                 work=work, status_code=201)


@router.get("/categories", response_model=list[CategoryOut])
async def categories(db: DbDep) -> list[CategoryOut]:
    """Active report categories with their default deadline."""
    return await service.categories(db=db)


@router.get("/track/{token}")
async def track(db: DbDep, token: Token) -> dict:
    """The reporter's view of their report: each step, the result, their points."""
    return await queries.track(db=db, token=token)


@router.post("/track/{token}/revisit")
async def rate(db: DbDep, token: Token, data: RevisitIn) -> JSONResponse:
    """The reporter rates the result 1–5: satisfied verifies it, dissatisfied reopens it."""
    report_id = await queries.report_id_for_token(db=db, token=token)

    async def do(report) -> None:  # noqa: ANN001
        await review.revisit(db=db, report=report, satisfaction=data.satisfaction,
                             actor=RESIDENT, note=data.note, channel="link")

    return await act(db=db, report_id=report_id, if_match=None, do=do)
