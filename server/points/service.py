"""Points: 10 for each valid report, redeemable 50 at a time; the ledger is the truth."""

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import Conflict, NotFound
from server.points.models import PointsEntry
from server.reports.models import Reporter

PER_VALID_REPORT = 10
REDEEM_UNIT = 50


async def award(*, db: AsyncSession, reporter_id: int | None, report_id: int) -> bool:
    """+10 for a valid report, at most once per report; False when nothing was added."""
    if reporter_id is None:
        return False
    stmt = insert(PointsEntry).values(reporter_id=reporter_id, report_id=report_id,
                                      delta=PER_VALID_REPORT, reason="valid_report")
    stmt = stmt.on_conflict_do_nothing(index_elements=["report_id"],
                                       index_where=text("reason = 'valid_report'"))
    result = await db.execute(stmt.returning(PointsEntry.id))
    return result.first() is not None


async def balance(*, db: AsyncSession, reporter_id: int) -> int:
    """The sum of the reporter's ledger."""
    total = await db.scalar(select(func.coalesce(func.sum(PointsEntry.delta), 0))
                            .where(PointsEntry.reporter_id == reporter_id))
    return int(total or 0)


async def redeem(*, db: AsyncSession, phone: str, units: int, by_user_id: int,
                 note: str | None) -> int:
    """Spend 50 points per unit; the reporter's row is locked so two redemptions can't
    both spend the same points. Returns the new balance; the caller commits."""
    reporter = await db.scalar(select(Reporter).where(Reporter.phone == phone)
                               .with_for_update())
    if reporter is None:
        raise NotFound("没有这个手机号的积分记录", "No points are recorded for this phone number",
                       code="reporter_not_found")
    have, cost = await balance(db=db, reporter_id=reporter.id), units * REDEEM_UNIT
    if have < cost:
        raise Conflict(f"积分不足：现有 {have} 分，需要 {cost} 分",
                       f"Not enough points: {have} available, {cost} needed",
                       code="points_insufficient")
    db.add(PointsEntry(reporter_id=reporter.id, delta=-cost, reason="redeem", note=note,
                       by_user_id=by_user_id))
    await db.flush()
    return have - cost
