"""Dispatch: rank candidates, assign, claim (one winner), resolve, and auto-dispatch."""

from datetime import datetime

from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.schemas import Principal
from server.dispatch import deadlines
from server.dispatch.schemas import Candidate, Candidates, DepartmentOut, DispatchIn, Task
from server.errors import Conflict, Forbidden, InvalidInput
from server.photos import service as photos
from server.reports.lifecycle import next_status
from server.reports.models import Report
from server.reports.steps import SYSTEM, Actor, transition
from server.sqlfile import sql

SPEED_KMH = 15.0  # e-bike in town: the ETA is distance / speed
NEAREST = 8
FIELD_ROLES = ("grid_head", "grid_worker", "police", "first_secretary", "volunteer",
               "dept_staff")


async def candidates(*, db: AsyncSession, report_id: int) -> Candidates:
    """The responsible grid's workers, then the nearest online ones, and the department."""
    rows = await db.execute(sql(__file__, "candidates.sql"), {"id": report_id,
                                                              "limit": NEAREST})
    workers = [Candidate(**r._mapping, eta_min=_eta(r.distance_m)) for r in rows]
    dept = (await db.execute(text(
        "SELECT d.id, d.code, d.name, d.name_en FROM reports r JOIN report_categories c "
        "ON c.code = r.category_code JOIN departments d ON d.id = c.department_id "
        "WHERE r.id = :id"), {"id": report_id})).first()
    return Candidates(report_id=report_id, speed_kmh=SPEED_KMH, workers=workers,
                      department=DepartmentOut(**dept._mapping) if dept else None)


def _eta(distance_m: float | None) -> float | None:
    return None if distance_m is None else round(distance_m / (SPEED_KMH / 3.6) / 60, 1)


async def _worker(db: AsyncSession, worker_id: int) -> dict:
    row = (await db.execute(text("SELECT id, name, role, department_id FROM workers "
                                 "WHERE id = :w AND active"), {"w": worker_id})).first()
    if row is None or row.role not in FIELD_ROLES:
        raise InvalidInput(f"人员 {worker_id} 不存在或不能接单",
                           f"Worker {worker_id} does not exist or cannot take work",
                           code="unknown_worker", field="worker_id")
    return dict(row._mapping)


async def dispatch(*, db: AsyncSession, report: Report, actor: Actor, target: DispatchIn,
                   now: datetime | None = None) -> None:
    """Assign to a worker, a department or the grid's pool, with a deadline."""
    data: dict = {"pool": target.pool}
    report.assignee_worker_id = report.assignee_department_id = report.pool_grid_id = None
    if target.worker_id is not None:
        w = await _worker(db, target.worker_id)
        report.assignee_worker_id, data["worker"] = w["id"], {"id": w["id"], "name": w["name"]}
    elif target.department_id is not None:
        dept = (await db.execute(text("SELECT id, name FROM departments WHERE id = :d"),
                                 {"d": target.department_id})).first()
        if dept is None:
            raise InvalidInput(f"部门 {target.department_id} 不存在",
                               f"Department {target.department_id} does not exist",
                               code="unknown_department", field="department_id")
        report.assignee_department_id, data["department"] = dept.id, {"id": dept.id,
                                                                       "name": dept.name}
    else:
        report.pool_grid_id = report.grid_id
    hours = target.deadline_hours or await deadlines.category_hours(db=db, report=report)
    deadlines.start(report, hours=hours, now=now)
    if target.pool:
        deadlines.open_pool(report, now=now)
    data["deadline_at"] = report.deadline_at.isoformat() if report.deadline_at else None
    await transition(db=db, report=report, action="dispatch", actor=actor, note=target.note,
                     data=data)


async def _department_of(db: AsyncSession, worker_id: int | None) -> int | None:
    if worker_id is None:
        return None
    return await db.scalar(text("SELECT department_id FROM workers WHERE id = :w"),
                           {"w": worker_id})


async def may_handle(*, db: AsyncSession, report: Report, principal: Principal) -> bool:
    """Assigned to the caller, in the caller's grid pool, or to the caller's department."""
    if principal.worker_id is None:
        return False
    if report.assignee_worker_id is not None:
        return report.assignee_worker_id == principal.worker_id
    if report.pool_grid_id is not None:
        return report.pool_grid_id in principal.grid_ids
    dept = report.assignee_department_id
    return dept is not None and dept == await _department_of(db, principal.worker_id)


async def claim(*, db: AsyncSession, report: Report, principal: Principal) -> None:
    """认领: of many simultaneous claims exactly one wins (the row is locked); the others 409."""
    if report.status == "claimed":
        raise Conflict("该任务已被认领", "This task has already been claimed",
                       code="already_claimed")
    next_status("claim", report.status)  # 409 for any other illegal state, before rights
    if not await may_handle(db=db, report=report, principal=principal):
        raise Forbidden("这不是派给您的任务", "This task is not assigned to you or your grid",
                        code="not_your_task")
    from_pool = report.pool_grid_id is not None
    report.assignee_worker_id, report.pool_grid_id = principal.worker_id, None
    if from_pool and report.deadline_at is not None:
        deadlines.schedule_warning(report, hours=await deadlines.window_hours(db=db,
                                                                            report=report))
    await transition(db=db, report=report, action="claim", actor=Actor.of(principal),
                     data={"from_pool": from_pool})


async def resolve(*, db: AsyncSession, report: Report, principal: Principal, note: str,
                  photo_tokens: list[str]) -> None:
    """办结 with a result note and at least one result photo, by whoever claimed it."""
    if report.status == "claimed" and report.assignee_worker_id != principal.worker_id:
        raise Forbidden("只有认领人可以办结", "Only the worker who claimed it can resolve it",
                        code="not_your_task")
    report.resolution_note, report.resolved_at = note, func.now()
    deadlines.clear(report)
    step = await transition(db=db, report=report, action="resolve", actor=Actor.of(principal),
                            note=note, data={"photos": len(photo_tokens)})
    await photos.attach(db=db, tokens=photo_tokens, report_id=report.id, step_id=step.id,
                        kind="result")


async def auto_dispatch(*, db: AsyncSession, report: Report, now: datetime) -> None:
    """The claim window ran out: give it to the best available candidate."""
    ranked = (await candidates(db=db, report_id=report.id)).workers
    best = min(ranked, key=lambda c: (not c.responsible, c.status != "online", c.open_tasks,
                                      c.distance_m or 1e12), default=None)
    if best is None:
        deadlines.schedule_warning(report, hours=await deadlines.category_hours(
            db=db, report=report))
        return
    hours = max(1.0, ((report.deadline_at or now) - now).total_seconds() / 3600)
    await dispatch(db=db, report=report, actor=SYSTEM, now=now,
                   target=DispatchIn(worker_id=best.id, deadline_hours=hours,
                                     note="认领超时，系统自动派单"))


async def tasks(*, db: AsyncSession, principal: Principal) -> list[Task]:
    """The caller's tasks: assigned to them, waiting in their grids' pool, or their dept's."""
    rows = await db.execute(sql(__file__, "tasks.sql"), {
        "worker": principal.worker_id, "grids": list(principal.grid_ids),
        "dept": await _department_of(db, principal.worker_id)})
    return [Task(**r._mapping) for r in rows]

