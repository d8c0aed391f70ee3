"""Publishing a draft: one transaction that makes it the map from its effective time.

Grids are retired, updated (version + 1) and inserted under SET LOCAL gridlink.effective_at
and gridlink.plan_id, so the history triggers date every version; then households,
stations, blocks, open reports and people follow their grids, the street pieces of the
touched grids are cut again, and a live event tells every console to reload its grids.
Any failure rolls all of it back.
"""

import json
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import AsyncSession

from geo.plan import Limits
from server.auth.schemas import Principal
from server.errors import Conflict, InvalidInput
from server.live.publish import publish as announce
from server.planning import check, drafts, shapes
from server.planning.models import Plan
from server.planning.people import People, people
from server.planning.preview import Move, moves
from server.planning.schemas import PublishOut

MAX_BACKDATE = timedelta(days=1)
MAX_AHEAD = timedelta(minutes=5)  # clock skew between the planner's machine and ours
TABLES = {"household": "households", "station": "stations", "block": "blocks"}
PUBLISH_LOCK = 7_420_005  # one publish at a time: each checks the map the last one left


async def publish(*, db: AsyncSession, plan: Plan, principal: Principal,
                  effective_at: datetime | None, lim: Limits) -> PublishOut:
    """Make a locked, valid draft the map; answer the counts and the seconds it took."""
    start = time.perf_counter()
    when = _effective(effective_at)
    await _require_base(db, plan)
    found = await check.whole(db=db, plan_id=plan.id, lim=lim)
    if not found.ok:
        first = found.errors[0]
        raise InvalidInput(f"规划还有 {len(found.errors)} 个问题，不能发布。"
                           f"首个：{first.message_zh}",
                           f"The plan has {len(found.errors)} problem(s) and cannot be "
                           f"published. First: {first.message_en}", code="plan_invalid",
                           extra={"check": check.out(found).model_dump()})
    await shapes.save(db=db, plan_id=plan.id, geoms=found.cleaned)
    await _require_after_versions(db, plan.id, when)
    moved, staff = await moves(db=db, plan_id=plan.id), await people(db=db, plan_id=plan.id)
    await db.execute(text("SELECT set_config('gridlink.effective_at', :t, true), "
                          "set_config('gridlink.plan_id', :p, true)"),
                     {"t": when.isoformat(), "p": str(plan.id)})
    ids, counts = await _apply_grids(db, plan.id, when)
    by_what = await _apply_moves(db, moved, ids)
    await _apply_people(db, staff, ids)
    touched = sorted(counts["touched"])
    await _refresh(db, touched)
    plan.status, plan.effective_at, plan.published_by = "published", when, principal.user_id
    plan.published_at = func.now()
    drafts.bump(plan)
    await announce(db=db, topic="grids", kind="published", grid_ids=[],
                   payload={"plan_id": plan.id, "grid_ids": touched,
                            "effective_at": when.isoformat()})
    await db.commit()
    return PublishOut(plan=await drafts.read(db=db, plan_id=plan.id),
                      grids_changed=counts["change"], grids_new=counts["new"],
                      grids_retired=counts["retire"], households_moved=by_what["household"],
                      stations_moved=by_what["station"], open_reports_moved=by_what["report"],
                      seconds=round(time.perf_counter() - start, 3))


def _effective(effective_at: datetime | None) -> datetime:
    """The effective time: now by default, at most a day ago, not in the future."""
    now = datetime.now(UTC)
    if effective_at is None:
        return now
    when = effective_at if effective_at.tzinfo else effective_at.replace(tzinfo=UTC)
    if when < now - MAX_BACKDATE:
        raise InvalidInput("生效时间不能早于 24 小时前", "The effective time may be at most "
                           "one day in the past", code="effective_at_too_early",
                           field="effective_at")
    if when > now + MAX_AHEAD:
        raise InvalidInput("生效时间不能晚于现在（发布即生效）", "The effective time cannot be "
                           "in the future: a plan takes effect when it is published",
                           code="effective_at_future", field="effective_at")
    return when


async def hold_map(*, db: AsyncSession) -> None:
    """Wait for the publish lock: until commit no other plan changes the map."""
    await db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PUBLISH_LOCK})


async def _require_base(db: AsyncSession, plan: Plan) -> None:
    """409 map_changed when a grid the draft copied, or its scope's set of grids, moved on.

    Publishes take turns, and the copied grids stay locked until commit, so nothing can
    change them between this check and the update."""
    await hold_map(db=db)
    await db.execute(text("SELECT 1 FROM grids WHERE id = ANY(:ids) ORDER BY id FOR UPDATE"),
                     {"ids": sorted(int(k) for k in plan.base)})
    rows = await db.execute(text(
        "SELECT g.id FROM jsonb_each_text(CAST(:base AS jsonb)) b "
        "JOIN grids g ON g.id = CAST(b.key AS int) "
        "WHERE g.version <> CAST(b.value AS int) OR g.retired_at IS NOT NULL "
        "UNION SELECT g.id FROM grids g WHERE g.level = 'grid' AND g.retired_at IS NULL "
        "AND (g.parent_id = :scope OR g.parent_id IN (SELECT c.id FROM grids c "
        "     WHERE c.parent_id = :scope)) AND NOT (CAST(:base AS jsonb) ? CAST(g.id AS text)) "
        "ORDER BY 1"), {"base": _json(plan.base), "scope": plan.scope_id})
    changed = [r[0] for r in rows]
    if changed:
        listed = ", ".join(map(str, changed[:10]))
        raise Conflict(f"草稿创建后网格 {listed} 已被修改（可能另一个规划已发布），"
                       "请基于当前地图重新规划",
                       f"Grid(s) {listed} changed since this draft was made (another plan was "
                       "published?); start a new draft from the current map",
                       code="map_changed", extra={"grid_ids": changed})


def _json(value: Any) -> str:
    return json.dumps(value)


async def _require_after_versions(db: AsyncSession, plan_id: int, when: datetime) -> None:
    """The effective time may not come before the versions it ends."""
    latest = await db.scalar(text(
        "SELECT max(g.valid_from) FROM grids g JOIN plan_grids p ON p.grid_id = g.id "
        "WHERE p.plan_id = :plan AND p.action IN ('change', 'retire') AND isfinite(g.valid_from)"),
        {"plan": plan_id})
    if latest is not None and when <= latest:
        raise InvalidInput(f"生效时间必须晚于这些网格的当前版本（{latest.isoformat()}）",
                           f"The effective time must come after the grids' current versions "
                           f"({latest.isoformat()})", code="effective_at_too_early",
                           field="effective_at")


async def _apply_grids(db: AsyncSession, plan_id: int,
                       when: datetime) -> tuple[dict[str, int], dict[str, Any]]:
    """Retire, then update, then insert (so a freed code can be reused); key → grid id.
    Codes are checked at commit, so the draft may swap two grids' codes."""
    params = {"plan": plan_id, "at": when}
    await db.execute(text("SET CONSTRAINTS ex_grids_code_living DEFERRED"))
    retired = (await db.execute(text(
        "UPDATE grids g SET retired_at = :at FROM plan_grids p WHERE p.plan_id = :plan "
        "AND p.action = 'retire' AND p.grid_id = g.id RETURNING g.id"), params)).scalars().all()
    changed = (await db.execute(text(
        "UPDATE grids g SET geom = p.geom, code = p.code, name = p.name, name_en = p.name_en, "
        "kind = p.kind, dedicated_type = p.dedicated_type, parent_id = p.parent_id "
        "FROM plan_grids p WHERE p.plan_id = :plan AND p.action = 'change' "
        "AND p.grid_id = g.id RETURNING g.id"), params)).scalars().all()
    ids = dict((await db.execute(text(
        "SELECT key, grid_id FROM plan_grids WHERE plan_id = :plan AND grid_id IS NOT NULL"),
        params)).all())
    new = (await db.execute(text(
        "SELECT key FROM plan_grids WHERE plan_id = :plan AND action = 'new' "
        "ORDER BY length(key), key"), params)).scalars().all()
    for key in new:
        ids[key] = await db.scalar(text(
            "WITH made AS (INSERT INTO grids (code, name, name_en, level, kind, dedicated_type, "
            "parent_id, geom) SELECT code, name, name_en, level, kind, dedicated_type, "
            "parent_id, geom FROM plan_grids WHERE plan_id = :plan AND key = :key "
            "RETURNING id) UPDATE plan_grids SET grid_id = (SELECT id FROM made) "
            "WHERE plan_id = :plan AND key = :key RETURNING grid_id"), {**params, "key": key})
    touched = [*retired, *changed, *(ids[k] for k in new)]
    return ids, {"retire": len(retired), "change": len(changed), "new": len(new),
                 "touched": touched}


async def _apply_moves(db: AsyncSession, found: list[Move],
                       ids: dict[str, int]) -> dict[str, int]:
    """Point each moved row at its new grid; an open report's pool follows its grid."""
    by_what: dict[str, list[Move]] = defaultdict(list)
    for move in found:
        by_what[move.what].append(move)
    for what, table in TABLES.items():
        rows = by_what[what]
        await db.execute(text(
            f"UPDATE {table} t SET grid_id = m.grid FROM unnest(CAST(:ids AS int[]), "
            "CAST(:grids AS int[])) AS m(id, grid) WHERE t.id = m.id"),
            {"ids": [m.id for m in rows], "grids": [ids[m.to_key] for m in rows]})
    reports = by_what["report"]
    await db.execute(text(
        "UPDATE reports r SET grid_id = m.grid, pool_grid_id = CASE WHEN r.pool_grid_id = "
        "r.grid_id THEN m.grid ELSE r.pool_grid_id END FROM unnest(CAST(:ids AS int[]), "
        "CAST(:grids AS int[])) AS m(id, grid) WHERE r.id = m.id"),
        {"ids": [m.id for m in reports], "grids": [ids[m.to_key] for m in reports]})
    return {what: len(by_what[what]) for what in ("household", "station", "block", "report")}


async def _apply_people(db: AsyncSession, staff: People, ids: dict[str, int]) -> None:
    """Write the assignments that differ from today's."""
    gone, made = [], []
    for worker in staff.before.keys() | staff.after.keys():
        before, after = staff.before.get(worker, {}), staff.after.get(worker, {})
        gone += [(worker, ids[k]) for k in before if k not in after]
        made += [(worker, ids[k], duty) for k, duty in after.items() if before.get(k) != duty]
    await db.execute(text(
        "DELETE FROM worker_grids w USING unnest(CAST(:workers AS int[]), CAST(:grids AS int[])) "
        "AS g(worker, grid) WHERE w.worker_id = g.worker AND w.grid_id = g.grid"),
        {"workers": [w for w, _ in gone], "grids": [g for _, g in gone]})
    await db.execute(text(
        "INSERT INTO worker_grids (worker_id, grid_id, duty) SELECT * FROM unnest("
        "CAST(:workers AS int[]), CAST(:grids AS int[]), CAST(:duties AS text[])) "
        "ON CONFLICT (worker_id, grid_id) DO UPDATE SET duty = EXCLUDED.duty"),
        {"workers": [m[0] for m in made], "grids": [m[1] for m in made],
         "duties": [m[2] for m in made]})


async def _refresh(db: AsyncSession, touched: list[int]) -> None:
    """Cut the touched grids' streets again; place workers standing in them anew."""
    if not touched:
        return
    await db.execute(text("SELECT gridlink_coverage_pieces_for(CAST(:ids AS int[]))"),
                     {"ids": touched})
    await db.execute(text(
        "UPDATE worker_state ws SET grid_id = (SELECT g.id FROM grids g WHERE g.level = 'grid' "
        "AND g.kind = 'comprehensive' AND g.retired_at IS NULL AND ST_Intersects(g.geom, ws.geom) "
        "ORDER BY g.id LIMIT 1) WHERE ws.grid_id = ANY(:ids) OR EXISTS (SELECT 1 FROM grids g "
        "WHERE g.id = ANY(:ids) AND g.retired_at IS NULL AND ST_Intersects(g.geom, ws.geom))"),
        {"ids": touched})
