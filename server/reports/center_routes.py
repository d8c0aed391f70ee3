"""The command center's report routes: queues, detail, review, revisit, categories."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from server.auth.deps import CenterUser, require_roles
from server.auth.schemas import Principal
from server.db import DbDep
from server.errors import Conflict, NotFound
from server.params import IfMatch, RowId
from server.reports import queries, review, service
from server.reports.actions import act
from server.reports.models import Category
from server.reports.routes import parse_statuses
from server.reports.schemas import (
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    MergeIn,
    NoteIn,
    RejectIn,
    ReportCreated,
    RevisitIn,
    StaffReportIn,
)
from server.reports.steps import Actor

router = APIRouter(prefix="/api", tags=["command center"])
Viewer = Annotated[Principal, Depends(require_roles("admin", "operator", "grid_head",
                                                    "patroller", "dept_staff", "planner"))]


@router.get("/reports/queue")
async def intake_queue(db: DbDep, user: CenterUser,
                       status: Annotated[str, Query(max_length=200)] = "submitted",
                       limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    """The intake queue: reports in the given statuses, oldest first."""
    return await queries.queue(db=db, statuses=parse_statuses(status) or [], overdue=False,
                               limit=limit)


@router.get("/reports/overdue")
async def overdue(db: DbDep, user: CenterUser,
                  limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    """Open work past its deadline, most overdue first."""
    return await queries.queue(db=db, statuses=[], overdue=True, limit=limit)


@router.get("/reports/{report_id}")
async def report_detail(db: DbDep, user: Viewer, report_id: RowId) -> JSONResponse:
    """Detail with photos, timeline, duplicate hints and the allowed next actions."""
    body = await queries.detail(db=db, report_id=report_id)
    return JSONResponse(jsonable_encoder(body), headers={"ETag": f'"{body["version"]}"'})


@router.post("/reports/record", response_model=ReportCreated, status_code=201)
async def record_on_behalf(request: Request, db: DbDep, user: CenterUser,
                           data: StaffReportIn) -> ReportCreated:
    """Staff record a 12345 hotline call or a walk-in for the person reporting."""
    report, hints = await service.create(db=db, data=data, area=request.app.state.service_area,
                                         actor=Actor.of(user), recorded_by=user.user_id)
    await db.commit()
    return service.created(report, hints)


@router.post("/reports/{report_id}/accept")
async def accept(db: DbDep, user: CenterUser, report_id: RowId, data: NoteIn,
                 if_match: IfMatch = None) -> JSONResponse:
    """Valid: accepted (受理); the reporter earns 10 points."""
    return await act(db=db, report_id=report_id, if_match=if_match, do=lambda r: review.accept(
        db=db, report=r, actor=Actor.of(user), note=data.note))


@router.post("/reports/{report_id}/reject")
async def reject(db: DbDep, user: CenterUser, report_id: RowId, data: RejectIn,
                 if_match: IfMatch = None) -> JSONResponse:
    """Invalid: rejected with a reason."""
    return await act(db=db, report_id=report_id, if_match=if_match, do=lambda r: review.reject(
        db=db, report=r, actor=Actor.of(user), reason=data.reason))


@router.post("/reports/{report_id}/merge")
async def merge(db: DbDep, user: CenterUser, report_id: RowId, data: MergeIn,
                if_match: IfMatch = None) -> JSONResponse:
    """Duplicate: merged into an open original, which it then follows."""
    return await act(db=db, report_id=report_id, if_match=if_match, do=lambda r: review.merge(
        db=db, report=r, into_id=data.into_id, actor=Actor.of(user), note=data.note))


@router.post("/reports/{report_id}/revisit")
async def phone_revisit(db: DbDep, user: CenterUser, report_id: RowId, data: RevisitIn,
                        if_match: IfMatch = None) -> JSONResponse:
    """A revisit by phone, logged by staff (回访)."""
    return await act(db=db, report_id=report_id, if_match=if_match, do=lambda r: review.revisit(
        db=db, report=r, satisfaction=data.satisfaction, actor=Actor.of(user), note=data.note,
        channel="phone"))


@router.post("/reports/{report_id}/archive")
async def archive(db: DbDep, user: CenterUser, report_id: RowId, data: NoteIn,
                  if_match: IfMatch = None) -> JSONResponse:
    """Verified work is archived (归档)."""
    return await act(db=db, report_id=report_id, if_match=if_match, do=lambda r: review.archive(
        db=db, report=r, actor=Actor.of(user), note=data.note))


@router.get("/categories/all", response_model=list[CategoryOut])
async def all_categories(db: DbDep, user: CenterUser) -> list[CategoryOut]:
    """Every category, inactive ones too."""
    return await service.categories(db=db, include_inactive=True)


@router.post("/categories", response_model=CategoryOut, status_code=201)
async def add_category(db: DbDep, user: CenterUser, data: CategoryIn) -> CategoryOut:
    """A new category with its default department and deadline."""
    if await db.get(Category, data.code):
        raise Conflict(f"类别 {data.code} 已存在", f"Category {data.code} already exists",
                       code="category_exists")
    db.add(Category(**data.model_dump()))
    await db.commit()
    return CategoryOut(**data.model_dump())


@router.patch("/categories/{code}", response_model=CategoryOut)
async def edit_category(db: DbDep, user: CenterUser, code: str, data: CategoryPatch) -> CategoryOut:
    """Rename, re-route, change the deadline, or retire a category."""
    cat = await db.get(Category, code)
    if cat is None:
        raise NotFound(f"类别 {code} 不存在", f"Category {code} does not exist",
                       code="category_not_found")
    for k, v in data.model_dump(exclude_unset=True).items():
        setattr(cat, k, v)
    await db.commit()
    return CategoryOut.model_validate(cat, from_attributes=True)
