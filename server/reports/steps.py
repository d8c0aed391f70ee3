"""Applying a transition: lock the report, check the move, record the step, publish."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.schemas import Principal
from server.errors import NotFound, PreconditionFailed
from server.live.publish import publish
from server.reports.lifecycle import next_status
from server.reports.models import Category, Report, ReportStep


@dataclass(frozen=True)
class Actor:
    """Who takes a step: a user (and their worker), a resident, or the system."""

    label: str
    user_id: int | None = None
    worker_id: int | None = None

    @classmethod
    def of(cls, principal: Principal) -> "Actor":
        return cls(principal.display_name, principal.user_id, principal.worker_id)


SYSTEM = Actor("系统")
RESIDENT = Actor("居民")


async def locked(*, db: AsyncSession, report_id: int) -> Report:
    """The report, locked for update until the transaction ends (404 if missing)."""
    report = await db.scalar(select(Report).where(Report.id == report_id).with_for_update())
    if report is None:
        raise NotFound(f"事件 {report_id} 不存在", f"Report {report_id} does not exist",
                       code="report_not_found")
    return report


def check_version(report: Report, if_match: str | None) -> None:
    """412 when the caller edits a version that is no longer current (If-Match)."""
    if if_match and if_match.strip('W/"') != str(report.version):
        raise PreconditionFailed("事件已被他人更新，请刷新后重试",
                                 "The report changed since you loaded it; reload and retry",
                                 code="stale_version")


async def transition(*, db: AsyncSession, report: Report, action: str, actor: Actor,
                     note: str | None = None, data: dict[str, Any] | None = None,
                     at: datetime | None = None) -> ReportStep:
    """Move a locked report by `action`; the caller has set any other fields already."""
    before = report.status
    report.status = next_status(action, before)
    return await record(db=db, report=report, action=action, actor=actor, note=note,
                        data=data, before=before, at=at)


async def record(*, db: AsyncSession, report: Report, action: str, actor: Actor,
                 note: str | None = None, data: dict[str, Any] | None = None,
                 before: str | None = None, at: datetime | None = None) -> ReportStep:
    """Write a timeline step and publish it; bumps the report's version."""
    report.version = (report.version or 0) + 1
    report.updated_at = at or func.now()
    step = ReportStep(report_id=report.id, action=action, from_status=before,
                      to_status=report.status, actor_user_id=actor.user_id,
                      actor_worker_id=actor.worker_id, actor_label=actor.label, note=note,
                      data=data or {})
    if at is not None:
        step.at = at
    db.add(step)
    await db.flush()
    payload = await event_props(db=db, report=report)
    payload["step"] = {"action": action, "from": before, "to": report.status,
                       "actor": actor.label, "note": note, **(data or {})}
    kind = "created" if action == "create" else action  # the feed's contract for new ones
    await publish(db=db, topic="reports", kind=kind, grid_ids=await _grids(db, report),
                  payload=payload)
    return step


async def event_props(*, db: AsyncSession, report: Report) -> dict[str, Any]:
    """The report as the map and the queue show it (no reporter data)."""
    row = (await db.execute(select(func.ST_X(Report.geom), func.ST_Y(Report.geom),
                                   Category.name, Category.name_en)
                            .join(Category, Category.code == Report.category_code)
                            .where(Report.id == report.id))).one()
    return {"id": report.id, "category": report.category_code, "category_name": row[2],
            "category_name_en": row[3], "status": report.status, "source": report.source,
            "created_at": _iso(report.created_at), "grid_id": report.grid_id,
            "description": (report.description or "")[:200], "lon": round(row[0], 6),
            "lat": round(row[1], 6), "assignee_worker_id": report.assignee_worker_id,
            "assignee_department_id": report.assignee_department_id,
            "pool_grid_id": report.pool_grid_id, "deadline_at": _iso(report.deadline_at),
            "escalation_level": report.escalation_level, "version": report.version}


async def _grids(db: AsyncSession, report: Report) -> list[int]:
    """The grids whose people should see this step: the report's and the assignee's."""
    ids = {g for g in (report.grid_id, report.pool_grid_id) if g}
    if report.assignee_worker_id:
        rows = await db.execute(text("SELECT grid_id FROM worker_grids WHERE worker_id = :w"),
                                {"w": report.assignee_worker_id})
        ids.update(r[0] for r in rows)
    return sorted(ids)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None
