"""Patrol coverage: which street pieces of each grid were walked, kept up as fixes arrive.

A ticker job calls advance() every tick: one set-based pass (advance.sql) over the fixes
received since the watermark, writing walks (piece, UTC hour, worker) and the per-window
totals the views read. rebuild() remakes the street pieces and replays the open windows.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.schemas import Principal
from server.coverage.schemas import (
    CommunityReport,
    CoverageOut,
    GridCoverage,
    NotPatrolled,
    ReportOut,
)
from server.coverage.settings import ALL, CoverageSettings, coverage_settings
from server.coverage.windows import OFFSET, current_start, parse_day, pick_shift, window
from server.grids.service import require_grid
from server.live.publish import publish
from server.mapquery import MapQuery
from server.patrol.filters import FLAG_JUMP, FLAG_POOR_ACCURACY
from server.sqlfile import sql
from server.workers.service import live_scope

TOPIC = "coverage"
PIECE_M = 25.0
MAX_EVENT_GRIDS = 200  # more grids changed in a pass: the event says "all" (grids null)
# A whole day's pass sorts and hashes millions of rows; compiling it would cost more than
# it saves on a ten-second pass.
TUNE = (text("SET LOCAL work_mem = '128MB'"), text("SET LOCAL jit = off"))
STATE = text("SELECT through, floor FROM coverage_state WHERE id = 1 FOR UPDATE")
BUSY = text("SELECT through, floor FROM coverage_state WHERE id = 1 FOR UPDATE SKIP LOCKED")
MOVE = text("UPDATE coverage_state SET through = :t WHERE id = 1")
REBUILD = text("SELECT gridlink_coverage_pieces(:replay_from, :piece_m)")
PRUNE = text("DELETE FROM coverage_walks WHERE hour < :cut")


async def advance(*, db: AsyncSession, now: datetime,
                  settings: CoverageSettings | None = None) -> int:
    """Count the fixes received up to `now` less the lag; returns the walks written."""
    s = settings or coverage_settings()
    state = (await db.execute(BUSY)).first()
    if state is None:  # another pass (or a rebuild) holds the watermark
        await db.rollback()
        return 0
    through, floor = state
    upto = now - timedelta(seconds=s.lag_s)
    since = through or upto - timedelta(days=s.window_days)
    if upto <= since:
        await db.rollback()
        return 0
    fix_floor = since - timedelta(days=s.window_days)
    walks, grids = await _pass(db, s, since=since, upto=upto,
                               fix_floor=max(fix_floor, floor) if floor else fix_floor,
                               floor=floor)
    await db.execute(MOVE, {"t": upto})
    if grids:
        many = len(grids) > MAX_EVENT_GRIDS
        await publish(db=db, topic=TOPIC, kind="advanced", grid_ids=[] if many else grids,
                      payload={"through": upto.isoformat(), "grids": None if many else grids})
    await db.commit()
    return walks


async def rebuild(*, db: AsyncSession, now: datetime,
                  settings: CoverageSettings | None = None) -> int:
    """Remake the street pieces (after a new grid map) and replay the windows open at `now`
    from positions; earlier windows keep their totals. Returns the pieces made."""
    s = settings or coverage_settings()
    through, _ = (await db.execute(STATE)).one()
    start = current_start(now, s.shift_list())
    made = int(await db.scalar(REBUILD, {"replay_from": start, "piece_m": PIECE_M}) or 0)
    if through is not None and through > start:
        # a fix is never received much before its time (at most the ingest's future limit)
        await _pass(db, s, since=start - timedelta(hours=1), upto=through, fix_floor=start,
                    floor=start)
    await db.commit()
    return made


async def prune(*, db: AsyncSession, now: datetime,
                settings: CoverageSettings | None = None) -> int:
    """Drop walks older than the kept days (the per-window totals stay)."""
    s = settings or coverage_settings()
    result = await db.execute(PRUNE, {"cut": now - timedelta(days=s.keep_days)})
    await db.commit()
    return int(getattr(result, "rowcount", 0) or 0)


async def _pass(db: AsyncSession, s: CoverageSettings, *, since: datetime, upto: datetime,
                fix_floor: datetime, floor: datetime | None) -> tuple[int, list[int]]:
    shifts = s.shift_list()
    for stmt in TUNE:
        await db.execute(stmt)
    row = (await db.execute(sql(__file__, "advance.sql"), {
        "since": since, "upto": upto, "fix_floor": fix_floor, "floor": floor,
        "gap": s.gap, "bad": FLAG_POOR_ACCURACY | FLAG_JUMP, "chunk_s": s.chunk_s,
        "radius": s.radius_m, "offset": OFFSET,
        "shift_names": [x.name for x in shifts], "shift_starts": [x.start for x in shifts],
        "shift_spans": [x.hours for x in shifts]})).one()
    return int(row.walks), list(row.grid_ids)


async def coverage(*, db: AsyncSession, principal: Principal, day: str | None,
                   shift: str | None, community_id: int | None, now: datetime,
                   settings: CoverageSettings | None = None) -> CoverageOut:
    """Every grid in the caller's scope with its coverage in one shift of a local day."""
    picked = pick_shift(shift, (settings or coverage_settings()).shift_list())
    when = parse_day(day, now=now)
    if community_id is not None:
        await _check_community(db, community_id)
    rows = await _grids(db, principal, day=when, shift=picked.name,
                        community_id=community_id, now=now)
    start, end = window(when, picked)
    through = await db.scalar(text("SELECT through FROM coverage_state WHERE id = 1"))
    return CoverageOut(day=when, shift=picked.name, from_=start, to=end,
                       computed_through=through,
                       grids=[GridCoverage.model_validate(r) for r in rows])


async def layer(*, db: AsyncSession, principal: Principal, query: MapQuery, day: str | None,
                shift: str | None, now: datetime,
                settings: CoverageSettings | None = None) -> str | None:
    """Grids in the map window as GeoJSON features with their coverage properties."""
    picked = pick_shift(shift, (settings or coverage_settings()).shift_list())
    when = parse_day(day, now=now)
    return await db.scalar(sql(__file__, "layer.sql"), {
        **query.params(), "tol": query.tolerance(), "day": when, "shift": picked.name,
        "now": now, "grid_ids": live_scope(principal)})


async def report(*, db: AsyncSession, principal: Principal, day: str | None,
                 community_id: int | None, now: datetime) -> ReportOut:
    """Per community in scope: its grids, how many were patrolled, and which were not."""
    when = parse_day(day, now=now)
    if community_id is not None:
        await _check_community(db, community_id)
    rows = await _grids(db, principal, day=when, shift=ALL, community_id=community_id,
                        now=now)
    out: dict[int, CommunityReport] = {}
    for r in rows:
        if r["community_id"] is None:
            continue
        c = out.setdefault(r["community_id"], CommunityReport(
            id=r["community_id"], code=r["community_code"], name=r["community_name"],
            grids_total=0, patrolled_count=0, not_patrolled=[]))
        c.grids_total += 1
        if r["patrolled"]:
            c.patrolled_count += 1
        else:
            c.not_patrolled.append(NotPatrolled.model_validate(r))
    return ReportOut(day=when, communities=list(out.values()))


async def _grids(db: AsyncSession, principal: Principal, *, day: Any, shift: str,
                 community_id: int | None, now: datetime) -> list[dict[str, Any]]:
    rows = await db.execute(sql(__file__, "grids.sql"), {
        "day": day, "shift": shift, "community_id": community_id, "now": now,
        "grid_ids": live_scope(principal)})
    return [dict(r) for r in rows.mappings()]


async def _check_community(db: AsyncSession, community_id: int) -> None:
    await require_grid(db, community_id, level="community", code="community_not_found",
                       message_zh=f"找不到社区 {community_id}",
                       message_en=f"No community {community_id}", field="community_id")
