"""Dispatch routes: candidates, assign, claim, resolve, a worker's tasks, findings."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from server.auth.deps import CenterUser, require_roles
from server.auth.schemas import Principal
from server.db import DbDep
from server.dispatch import onspot, service
from server.dispatch.schemas import Candidates, DispatchIn, Task
from server.idempotency import service as idempotency
from server.params import IdemKey, IfMatch, RowId
from server.reports import service as intake
from server.reports.actions import act
from server.reports.schemas import FoundIn, ReportCreated, ResolveIn
from server.reports.steps import Actor, locked

router = APIRouter(prefix="/api", tags=["dispatch"])
Field = Annotated[Principal, Depends(require_roles("grid_head", "patroller", "dept_staff"))]


@router.get("/reports/{report_id}/candidates", response_model=Candidates)
async def candidates(db: DbDep, user: CenterUser, report_id: RowId) -> Candidates:
    """Ranked people for a report: its grid's workers, then the nearest online, and the
    category's department."""
    await locked(db=db, report_id=report_id)
    return await service.candidates(db=db, report_id=report_id)


@router.post("/reports/{report_id}/dispatch")
async def dispatch(db: DbDep, user: CenterUser, report_id: RowId, data: DispatchIn,
                   if_match: IfMatch = None) -> JSONResponse:
    """派单 to a worker, a department or the grid's pool, with a deadline."""
    return await act(db=db, report_id=report_id, if_match=if_match, do=lambda r: service.dispatch(
        db=db, report=r, actor=Actor.of(user), target=data))


@router.post("/reports/{report_id}/claim")
async def claim(db: DbDep, user: Field, report_id: RowId) -> JSONResponse:
    """认领: the first claim wins, every other gets 409."""
    return await act(db=db, report_id=report_id, if_match=None, do=lambda r: service.claim(
        db=db, report=r, principal=user))


@router.post("/reports/{report_id}/resolve")
async def resolve(db: DbDep, user: Field, report_id: RowId, data: ResolveIn) -> JSONResponse:
    """办结 with a result note and photo."""
    return await act(db=db, report_id=report_id, if_match=None, do=lambda r: service.resolve(
        db=db, report=r, principal=user, note=data.note, photo_tokens=data.photos))


@router.get("/tasks", response_model=list[Task])
async def my_tasks(db: DbDep, user: Field) -> list[Task]:
    """The caller's tasks and their grids' pool."""
    return await service.tasks(db=db, principal=user)


@router.post("/reports/found", response_model=ReportCreated, status_code=201)
async def found(request: Request, db: DbDep, user: Field, data: FoundIn,
                key: IdemKey = None) -> JSONResponse:
    """A patroller's finding; with `fixed`, found and fixed on the spot in one step."""
    if data.fixed:
        onspot.check(data, user)

    async def work() -> ReportCreated:
        report, hints = await intake.create(db=db, data=data, actor=Actor.of(user),
                                            area=request.app.state.service_area)
        if data.fixed:
            await onspot.close(db=db, report=report, principal=user, data=data)
        return intake.created(report, hints)

    return await idempotency.run(db=db, scope=f"POST /api/reports/found|{user.user_id}",
                                 key=key, body=data, work=work, status_code=201)
