"""Deadlines, warnings, escalation (吹哨报到) and claim windows, driven by `due_at`.

The ticker calls process_due(now=...) — restart-safe and safe with many workers
(FOR UPDATE SKIP LOCKED); tests inject `now`."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.dispatch import ladder
from server.reports.models import Category, Report, ReportStep
from server.reports.steps import SYSTEM, record

WARN_SHARE = 0.25  # warn when a quarter of the time is left
CLAIM_WINDOW = timedelta(minutes=30)
MIN_STEP = timedelta(hours=1)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def start(report: Report, *, hours: float, now: datetime | None = None) -> None:
    """Set a deadline `hours` from now and schedule the warning before it."""
    report.deadline_at = _now(now) + timedelta(hours=hours)
    report.escalation_level = 0
    schedule_warning(report, hours=hours)


def schedule_warning(report: Report, *, hours: float) -> None:
    """Next due: the warning, a quarter of the window before the deadline."""
    assert report.deadline_at is not None
    report.due_at = report.deadline_at - timedelta(hours=hours * WARN_SHARE)
    report.due_kind = "warn"


def open_pool(report: Report, *, now: datetime | None = None) -> None:
    """Next due: the end of the pool's claim window (then it is dispatched automatically)."""
    report.due_at, report.due_kind = _now(now) + CLAIM_WINDOW, "claim_window"


def clear(report: Report) -> None:
    """Nothing more is due (resolved, rejected, merged)."""
    report.due_at = report.due_kind = None


async def window_hours(*, db: AsyncSession, report: Report) -> float:
    """The time this assignment was given: from its last dispatch (or reopen) to the deadline."""
    given = await db.scalar(select(func.max(ReportStep.at)).where(
        ReportStep.report_id == report.id, ReportStep.action.in_(("dispatch", "reopen"))))
    if given is None or report.deadline_at is None:
        return float(await category_hours(db=db, report=report))
    return max(0.25, (report.deadline_at - given).total_seconds() / 3600)


async def category_hours(*, db: AsyncSession, report: Report) -> int:
    """The category's default deadline in hours."""
    return int(await db.scalar(select(Category.deadline_hours)
                               .where(Category.code == report.category_code)) or 24)


async def process_due(*, db: AsyncSession, now: datetime, limit: int = 100) -> int:
    """Handle every report whose due time has come; returns how many were handled."""
    due = (await db.scalars(select(Report).where(Report.due_at <= now)
                            .order_by(Report.due_at).limit(limit)
                            .with_for_update(skip_locked=True))).all()
    for report in due:
        await HANDLERS[report.due_kind or "overdue"](db, report, now)
    await db.commit()
    return len(due)


async def _warn(db: AsyncSession, report: Report, now: datetime) -> None:
    assert report.deadline_at is not None
    left = max(0.0, (report.deadline_at - now).total_seconds() / 3600)
    report.due_at, report.due_kind = report.deadline_at, "overdue"
    await record(db=db, report=report, action="warn", actor=SYSTEM, at=now,
                 note=f"距办理时限还有约 {left:.1f} 小时", data={"hours_left": round(left, 1)})


async def _overdue(db: AsyncSession, report: Report, now: datetime) -> None:
    level = min(report.escalation_level + 1, len(ladder.LEVELS))
    report.escalation_level = level
    notified = await ladder.notify(db=db, report=report, level=level)
    hours = await window_hours(db=db, report=report)
    if level < len(ladder.LEVELS):
        report.due_at = now + max(MIN_STEP, timedelta(hours=hours * WARN_SHARE))
    else:
        clear(report)
    name_zh, name_en = ladder.LEVELS[level - 1]
    await record(db=db, report=report, action="escalate", actor=SYSTEM, at=now,
                 note=f"已超时，升级至{name_zh}", data={"level": level, "to": name_en,
                                                 "notified": notified})


async def _claim_window(db: AsyncSession, report: Report, now: datetime) -> None:
    from server.dispatch import service  # the pool's fallback is a normal dispatch

    await service.auto_dispatch(db=db, report=report, now=now)


HANDLERS = {"warn": _warn, "overdue": _overdue, "claim_window": _claim_window}
