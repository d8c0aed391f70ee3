"""Tracker-style filters for position fixes, pure (no database, no web).

Refused: invalid coordinates (NaN, out of range, (0, 0), outside the service area) and fixes
far in the future. Dropped: exact duplicates (same worker and time). Kept but flagged in
``positions.flags``: poor accuracy and impossible jumps; a jump does not move the worker.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from geo.bbox import BBox, check_point
from geo.coords import to_wgs84
from geo.errors import GeoInputError
from geo.metric import haversine_m

FLAG_POOR_ACCURACY = 1  # stated accuracy worse than Rules.poor_accuracy_m; kept
FLAG_JUMP = 2  # implied speed from the last trusted fix above Rules.max_speed_mps; kept,
# but the worker's latest state does not follow it


@dataclass(frozen=True)
class Rules:
    """Thresholds of the filters (from IngestSettings)."""

    poor_accuracy_m: float = 100.0
    max_speed_mps: float = 50.0  # 180 km/h: nobody patrols that fast
    max_future: timedelta = timedelta(minutes=5)


@dataclass(slots=True)
class Fix:
    """A screened fix of a known worker, in WGS84; `ts` is its time in Unix seconds, set
    by screen() (what the filters compute with: far cheaper than aware datetimes)."""

    index: int
    worker_id: int
    device_id: str
    time: datetime
    lon: float
    lat: float
    accuracy: float | None = None
    speed: float | None = None
    heading: float | None = None
    altitude: float | None = None
    battery: int | None = None
    flags: int = 0
    ts: float = 0.0


class Anchor(NamedTuple):
    """A worker's last trusted fix: where jumps are measured from (`ts` in Unix seconds)."""

    ts: float
    lon: float
    lat: float
    accuracy: float | None = None


def screen(fix: Fix, *, coord_sys: str, area: BBox, now: datetime, rules: Rules) -> Fix:
    """Refuse a fix with bad coordinates or from the future; return it in WGS84.

    >>> area = BBox(103.5, 30.0, 104.9, 31.5)
    >>> f = Fix(0, 1, "D1", datetime(2026, 1, 1, tzinfo=UTC), 104.06, 30.66)
    >>> screen(f, coord_sys="wgs84", area=area, now=f.time, rules=Rules()).lon
    104.06
    """
    when = fix.time if fix.time.tzinfo else fix.time.replace(tzinfo=UTC)
    if when > now + rules.max_future:
        raise GeoInputError("future_fix", message_zh="定位时间在未来，请检查设备时钟",
                            message_en="The fix time is in the future; check the device clock",
                            field="time")
    check_point(fix.lon, fix.lat, service_area=area)
    if coord_sys != "wgs84":
        fix.lon, fix.lat = to_wgs84(fix.lon, fix.lat, coord_sys)
    fix.time, fix.ts = when, when.timestamp()
    return fix


def drop_duplicates(fixes: list[Fix]) -> tuple[list[Fix], int]:
    """Keep the first fix per (worker, time); also return how many were dropped.

    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> a, b = Fix(0, 1, "D", t, 1, 1, ts=1e9), Fix(1, 1, "D", t, 2, 2, ts=1e9)
    >>> kept, dropped = drop_duplicates([a, b])
    >>> [f.index for f in kept], dropped
    ([0], 1)
    """
    seen: set[tuple[int, float]] = set()
    kept: list[Fix] = []
    for f in fixes:
        key = (f.worker_id, f.ts)  # the same instant, as screen() set it
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept, len(fixes) - len(kept)


def implied_speed_mps(a: Anchor, f: Fix, *, rules: Rules) -> float:
    """Speed needed to get from `a` to `f`, beyond what both stated accuracies explain.

    Each accuracy counts up to Rules.poor_accuracy_m, so a vague fix cannot excuse any leap.

    >>> a = Anchor(1_767_225_600.0, 104.06, 30.66)
    >>> f = Fix(0, 1, "D", datetime(2026, 1, 1, tzinfo=UTC), 104.06, 30.67, ts=a.ts + 10)
    >>> round(implied_speed_mps(a, f, rules=Rules()))
    111
    """
    cap = rules.poor_accuracy_m
    slack = min(a.accuracy or 0.0, cap) + min(f.accuracy or 0.0, cap)
    metres = haversine_m(a.lon, a.lat, f.lon, f.lat) - slack
    if metres <= 0.0:
        return 0.0
    seconds = abs(f.ts - a.ts)
    return math.inf if seconds == 0 else metres / seconds


def flag(fixes: list[Fix], anchors: dict[int, Anchor], *, rules: Rules) -> list[Fix]:
    """Set the accuracy and jump bits, walking each worker's fixes in time order.

    A jump is measured from the worker's last trusted fix (its latest state, then each
    newer fix that is not a jump), so one wild fix cannot drag the next ones with it.

    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> far = Fix(0, 1, "D", t, 104.2, 30.66, accuracy=500, ts=t.timestamp() + 10)
    >>> [f.flags for f in flag([far], {1: Anchor(t.timestamp(), 104.06, 30.66)},
    ...                        rules=Rules())]
    [3]
    """
    ordered = sorted(fixes, key=lambda f: (f.worker_id, f.ts))
    last = dict(anchors)
    poor, fastest = rules.poor_accuracy_m, rules.max_speed_mps
    for f in ordered:
        if f.accuracy is not None and f.accuracy > poor:
            f.flags |= FLAG_POOR_ACCURACY
        ref = last.get(f.worker_id)
        if ref is not None and implied_speed_mps(ref, f, rules=rules) > fastest:
            f.flags |= FLAG_JUMP
        elif ref is None or f.ts > ref.ts:
            last[f.worker_id] = Anchor(f.ts, f.lon, f.lat, f.accuracy)
    return ordered
