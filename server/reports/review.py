"""The center's review steps and the reporter's revisit."""

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from server.dispatch import deadlines
from server.errors import InvalidInput
from server.points import service as points
from server.reports.lifecycle import CLOSED
from server.reports.models import Report
from server.reports.steps import Actor, locked, record, transition

SATISFIED_FROM = 3


async def accept(*, db: AsyncSession, report: Report, actor: Actor, note: str | None) -> None:
    """A valid report: accepted, and its reporter earns points."""
    await transition(db=db, report=report, action="accept", actor=actor, note=note)
    if await points.award(db=db, reporter_id=report.reporter_id, report_id=report.id):
        await record(db=db, report=report, action="note", actor=actor,
                     note=f"举报人获得 {points.PER_VALID_REPORT} 积分",
                     data={"points": points.PER_VALID_REPORT})


async def reject(*, db: AsyncSession, report: Report, actor: Actor, reason: str) -> None:
    """Invalid: rejected with a reason the reporter sees."""
    report.reject_reason = reason
    report.closed_at = func.now()
    deadlines.clear(report)
    await transition(db=db, report=report, action="reject", actor=actor, note=reason)


async def merge(*, db: AsyncSession, report: Report, into_id: int, actor: Actor,
                note: str | None) -> None:
    """A duplicate follows its original; its reporter is told on the tracking page."""
    if into_id == report.id:
        raise InvalidInput("不能合并到自身", "A report cannot be merged into itself",
                           code="merge_into_self", field="into_id")
    original = await locked(db=db, report_id=into_id)
    if original.status in CLOSED:
        raise InvalidInput(f"事件 {into_id} 已关闭，不能作为合并目标",
                           f"Report {into_id} is closed and cannot take a merge",
                           code="merge_target_closed", field="into_id")
    report.merged_into_id, report.closed_at = into_id, func.now()
    deadlines.clear(report)
    await transition(db=db, report=report, action="merge", actor=actor,
                     note=note or f"与事件 #{into_id} 合并处理", data={"into_id": into_id})
    await record(db=db, report=original, action="note", actor=actor,
                 note=f"合并了重复事件 #{report.id}", data={"merged_id": report.id})


async def revisit(*, db: AsyncSession, report: Report, satisfaction: int, actor: Actor,
                  note: str | None, channel: str) -> None:
    """Satisfied (3–5): verified. Dissatisfied (1–2): reopened to the same handler."""
    report.satisfaction = satisfaction
    data = {"satisfaction": satisfaction, "channel": channel}
    if satisfaction >= SATISFIED_FROM:
        await transition(db=db, report=report, action="verify", actor=actor, note=note,
                         data=data)
        return
    report.resolved_at = None
    deadlines.start(report, hours=await deadlines.category_hours(db=db, report=report))
    await transition(db=db, report=report, action="reopen", actor=actor,
                     note=note or "回访不满意，重新办理", data=data)


async def archive(*, db: AsyncSession, report: Report, actor: Actor, note: str | None) -> None:
    """Verified work is archived (归档)."""
    report.closed_at = func.now()
    await transition(db=db, report=report, action="archive", actor=actor, note=note)

