"""Track playback: one worker's fixes for a local day, with its line, stops and distance.

Fixes flagged FLAG_JUMP (impossible jumps, server.patrol.filters) stay in `fixes` but are
left out of the line, the distance, the stops and the grids visited.
"""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import shapely
from shapely.geometry import LineString, mapping
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from geo.simplify import simplify_for_zoom
from geo.stops import find_stops, path_length_m
from server.auth.schemas import Principal
from server.errors import Forbidden, InvalidInput, NotFound
from server.patrol.filters import FLAG_JUMP
from server.patrol.track_schemas import Track, TrackFix, TrackStop, TrackWorker
from server.sqlfile import sql
from server.workers import service as workers

LOCAL_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")  # China keeps no summer time
TRACK_READERS = ("admin", "operator", "grid_head", "patroller")
MAX_FIXES = 20_000
MAX_AGE_DAYS = 400
LINE_ZOOM = 16  # simplified to about half a pixel at z16, some 1 m on the ground

WORKER = text("SELECT w.id, w.name, w.role, ARRAY(SELECT wg.grid_id FROM worker_grids wg "
              "WHERE wg.worker_id = w.id) FROM workers w WHERE w.id = :w")


def local_today(now: datetime | None = None) -> date:
    """Today's date in the service's time zone."""
    return (now or datetime.now(UTC)).astimezone(LOCAL_TZ).date()


def check_day(*, day: date | None, today: date) -> date:
    """The day asked for (today by default); not in the future nor over 400 days ago."""
    day = day or today
    if day > today:
        raise InvalidInput("日期不能晚于今天", "The date may not be in the future",
                           code="date_in_future", field="date")
    if day < today - timedelta(days=MAX_AGE_DAYS):
        raise InvalidInput(f"只能查看最近 {MAX_AGE_DAYS} 天的轨迹",
                           f"Tracks are kept for the last {MAX_AGE_DAYS} days only",
                           code="date_too_old", field="date")
    return day


def utc_range(day: date) -> tuple[datetime, datetime]:
    """The local day as a half-open UTC range."""
    start = datetime.combine(day, time(), tzinfo=LOCAL_TZ).astimezone(UTC)
    return start, start + timedelta(days=1)


async def worker_in_scope(*, db: AsyncSession, worker_id: int,
                          principal: Principal) -> TrackWorker:
    """The worker, if the caller may follow them: field roles only their own grids' people."""
    if principal.role not in TRACK_READERS:
        raise Forbidden("您的角色无权查看轨迹", "Your role may not see tracks",
                        code="tracks_forbidden")
    scope = workers.live_scope(principal)
    row = (await db.execute(WORKER, {"w": worker_id})).first()
    if row is None:
        raise NotFound(f"找不到人员 {worker_id}", f"No worker {worker_id}",
                       code="worker_not_found")
    if scope is not None and not set(row[3]) & set(scope):
        raise Forbidden("只能查看本网格人员的轨迹", "You may see tracks of your own grids' "
                        "workers only", code="worker_out_of_scope")
    return TrackWorker(id=row[0], name=row[1], role=row[2])


async def day_track(*, db: AsyncSession, worker_id: int, principal: Principal,
                    day: date | None, now: datetime | None = None) -> Track:
    """A worker's track for a local day (today by default)."""
    worker = await worker_in_scope(db=db, worker_id=worker_id, principal=principal)
    day = check_day(day=day, today=local_today(now))
    fixes, truncated = await day_fixes(db=db, worker_id=worker_id, day=day)
    return summarise(worker=worker, day=day, fixes=fixes, truncated=truncated)


async def day_fixes(*, db: AsyncSession, worker_id: int, day: date,
                    cap: int | None = None) -> tuple[list[TrackFix], bool]:
    """The day's fixes in time order, at most `cap` (MAX_FIXES), and whether there were more."""
    start, end, cap = *utc_range(day), cap or MAX_FIXES
    rows = (await db.execute(sql(__file__, "tracks.sql"), {
        "worker_id": worker_id, "start": start, "end": end, "cap": cap})).all()
    fixes = [TrackFix(t=r[0], lon=r[1], lat=r[2], speed=r[3], accuracy=r[4], grid_id=r[5],
                      flags=r[6]) for r in rows[:cap]]
    return fixes, len(rows) > cap


def summarise(*, worker: TrackWorker, day: date, fixes: list[TrackFix],
              truncated: bool) -> Track:
    """Line, stops, distance, duration and grids from the fixes that are not jumps."""
    kept = [f for f in fixes if not f.flags & FLAG_JUMP]
    lons, lats = [f.lon for f in kept], [f.lat for f in kept]
    duration = (kept[-1].t - kept[0].t).total_seconds() if kept else 0.0
    return Track(worker=worker, date=day, fixes=fixes, line=line_of(lons, lats),
                 stops=stops_of(kept), distance_m=round(path_length_m(lons, lats), 1),
                 duration_s=duration, grids_visited=grids_of(kept), truncated=truncated)


def line_of(lons: list[float], lats: list[float]) -> dict[str, Any] | None:
    """The path as a simplified GeoJSON LineString (None under two fixes)."""
    if len(lons) < 2:
        return None
    line = simplify_for_zoom(LineString(zip(lons, lats, strict=True)), LINE_ZOOM,
                             lat=sum(lats) / len(lats))
    return dict(mapping(shapely.set_precision(line, 1e-6)))


def stops_of(kept: list[TrackFix]) -> list[TrackStop]:
    """Where the worker stayed within about 30 m for five minutes or more."""
    found = find_stops([f.t.timestamp() for f in kept], [f.lon for f in kept],
                       [f.lat for f in kept])
    out = []
    for s in found:
        span = kept[s.first:s.last + 1]
        grids = Counter(f.grid_id for f in span).most_common(1)
        minutes = (span[-1].t - span[0].t).total_seconds() / 60
        out.append(TrackStop(start=span[0].t, end=span[-1].t, minutes=round(minutes, 1),
                             lon=round(s.lon, 6), lat=round(s.lat, 6), grid_id=grids[0][0]))
    return out


def grids_of(kept: list[TrackFix]) -> list[int]:
    """Grids the worker was in, in the order first entered."""
    return list(dict.fromkeys(f.grid_id for f in kept if f.grid_id is not None))
