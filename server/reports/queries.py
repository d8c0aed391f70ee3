"""Reading reports: detail with timeline and photos, the queues, the reporter's view."""

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import NotFound
from server.photos import service as photos
from server.points import service as points
from server.reports import duplicates
from server.reports.lifecycle import allowed
from server.reports.models import Report, ReportStep
from server.reports.schemas import StepOut
from server.reports.steps import event_props
from server.sqlfile import sql

PUBLIC_ACTIONS = ("create", "accept", "reject", "merge", "dispatch", "claim", "resolve",
                  "verify", "reopen", "archive")


async def _get(db: AsyncSession, **where: Any) -> Report:
    report = await db.scalar(select(Report).filter_by(**where))
    if report is None:
        raise NotFound("找不到该事件", "Report not found", code="report_not_found")
    return report


async def timeline(*, db: AsyncSession, report_id: int,
                   public: bool = False) -> list[StepOut]:
    """The report's steps in order; the public view leaves out internal notes."""
    query = select(ReportStep).where(ReportStep.report_id == report_id).order_by(
        ReportStep.at, ReportStep.id)
    steps = await db.scalars(query)
    out = []
    for s in steps:
        if public and s.action not in PUBLIC_ACTIONS:
            continue
        data = {} if public else s.data
        actor = s.actor_label if not public or s.actor_user_id is None else "工作人员"
        out.append(StepOut(at=s.at, action=s.action, from_status=s.from_status,
                           to_status=s.to_status, actor=actor, note=s.note, data=data))
    return out


async def detail(*, db: AsyncSession, report_id: int) -> dict[str, Any]:
    """Everything the center's detail panel shows."""
    report = await _get(db, id=report_id)
    body = await event_props(db=db, report=report)
    names = (await db.execute(sql(__file__, "names.sql"), {"id": report_id})).one()._mapping
    body.update(dict(names))
    body.update({
        "description": report.description, "address": report.address,
        "accuracy_m": report.accuracy_m, "location_source": report.location_source,
        "reporter_name": _mask_name(report.reporter_name),
        "reporter_phone": _mask_phone(report.reporter_phone),
        "reject_reason": report.reject_reason, "merged_into_id": report.merged_into_id,
        "resolution_note": report.resolution_note, "satisfaction": report.satisfaction,
        "allowed_actions": allowed(report.status),
        "photos": [p.model_dump() for p in await photos.list_for_report(
            db=db, report_id=report_id)],
        "timeline": [s.model_dump(mode="json") for s in await timeline(
            db=db, report_id=report_id)],
        "duplicates": await duplicates.near(db=db, report=report),
    })
    return body


async def queue(*, db: AsyncSession, statuses: list[str], overdue: bool,
                limit: int) -> list[dict[str, Any]]:
    """The intake queue (by status) or the overdue list, oldest first."""
    rows = await db.execute(sql(__file__, "queue.sql"), {"statuses": statuses,
                                                         "overdue": overdue, "limit": limit})
    return [dict(r._mapping) for r in rows]


async def track(*, db: AsyncSession, token: str) -> dict[str, Any]:
    """What the reporter sees on the tracking link: steps, result photo, points."""
    report = await _get(db, tracking_token=token)
    follow = report
    if report.merged_into_id is not None:
        follow = await _get(db, id=report.merged_into_id)
    body = await event_props(db=db, report=follow)
    body.update({
        "id": report.id, "tracking_token": token, "merged_into_id": report.merged_into_id,
        "reject_reason": report.reject_reason, "resolution_note": follow.resolution_note,
        "satisfaction": follow.satisfaction, "can_rate": follow.status == "resolved"
        and report.merged_into_id is None,
        "timeline": [s.model_dump(mode="json") for s in await timeline(
            db=db, report_id=report.id, public=True)],
        "photos": [p.model_dump() for p in await photos.list_for_report(
            db=db, report_id=follow.id)],
        "points": await points.balance(db=db, reporter_id=report.reporter_id)
        if report.reporter_id else None,
    })
    return body


async def report_id_for_token(*, db: AsyncSession, token: str) -> int:
    """The report behind a tracking token (404 otherwise)."""
    found = await db.scalar(text("SELECT id FROM reports WHERE tracking_token = :t"),
                            {"t": token})
    if found is None:
        raise NotFound("找不到该事件", "Report not found", code="report_not_found")
    return int(found)


def _mask_name(name: str | None) -> str | None:
    return None if not name else name[0] + "*" * max(1, len(name) - 1)


def _mask_phone(phone: str | None) -> str | None:
    return None if not phone else (phone[:3] + "****" + phone[-4:] if len(phone) >= 8
                                   else "****")
