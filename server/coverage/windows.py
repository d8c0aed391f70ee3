"""Local days and shifts as UTC ranges (UTC+8, whole hours), and checking a requested day."""

import re
from datetime import UTC, date, datetime, time, timedelta

from server.coverage.settings import ALL, Shift
from server.errors import InvalidInput
from server.patrol.tracks import LOCAL_TZ, local_today

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OFFSET = LOCAL_TZ.utcoffset(None) or timedelta(0)


def window(day: date, shift: Shift) -> tuple[datetime, datetime]:
    """The shift of a local day as a half-open UTC range (night: 20:00 → next day 08:00).

    >>> window(date(2026, 11, 20), Shift("night", 20, 12))[0].isoformat()
    '2026-11-20T12:00:00+00:00'
    """
    start = datetime.combine(day, time(shift.start), tzinfo=LOCAL_TZ).astimezone(UTC)
    return start, start + timedelta(hours=shift.hours)


def current_start(now: datetime, shifts: tuple[Shift, ...]) -> datetime:
    """The earliest start of the windows that hold `now`: what a rebuild replays from."""
    local = now.astimezone(LOCAL_TZ)
    starts = []
    for s in shifts:
        if (local.hour - s.start) % 24 < s.hours:
            starts.append(window((local - timedelta(hours=s.start)).date(), s)[0])
    return min(starts)


def parse_day(text: str | None, *, now: datetime) -> date:
    """A requested local day, YYYY-MM-DD (today by default), not in the future."""
    today = local_today(now)
    if not text:
        return today
    try:
        if not DAY_RE.match(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"日期格式不正确：{text[:20]}，应为 YYYY-MM-DD",
                           f"Malformed day {text[:20]!r}; use YYYY-MM-DD",
                           code="day_malformed", field="day") from None
    if day > today:
        raise InvalidInput("日期不能晚于今天", "The day may not be in the future",
                           code="day_in_future", field="day")
    return day


def pick_shift(name: str | None, shifts: tuple[Shift, ...]) -> Shift:
    """The named shift ('all' by default)."""
    for s in shifts:
        if s.name == (name or ALL):
            return s
    names = "、".join(s.name for s in shifts)
    raise InvalidInput(f"未知的班次：{(name or '')[:20]}（可选：{names}）",
                       f"Unknown shift {(name or '')[:20]!r}; one of "
                       f"{', '.join(s.name for s in shifts)}",
                       code="shift_unknown", field="shift")
