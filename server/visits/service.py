"""Household visits: check in near a household of one's own grids, what is due, overdue.

Personal data stays scoped to the caller's grids and masked (see due.sql); a check-in
needs the worker within `radius_m` of the household, and each care color has its own
number of days between visits (settings.py)."""

from datetime import datetime, timedelta

from geoalchemy2.elements import WKTElement
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from geo.bbox import BBox, check_point
from geo.coords import to_wgs84
from server.auth.schemas import Principal
from server.errors import Forbidden, InvalidInput, NotFound
from server.grids.service import require_grid
from server.households import service as households
from server.live.publish import publish
from server.sqlfile import sql
from server.visits.models import HouseholdVisit
from server.visits.schemas import DueHousehold, GridOverdue, VisitIn, VisitOut
from server.visits.settings import Targets

TOPIC = "visits"
HOUSEHOLD = text(
    "SELECT id, grid_id, care_color, ST_Distance(geom::geography, "
    "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography) AS distance_m "
    "FROM households WHERE id = :id")


async def check_in(*, db: AsyncSession, principal: Principal, data: VisitIn, area: BBox,
                   targets: Targets, now: datetime) -> VisitOut:
    """Record the caller's visit at a household of their grids, within the radius; the
    caller commits."""
    if principal.worker_id is None:
        raise Forbidden("只有网格员可以入户签到", "Only field workers can check in at a household",
                        code="no_worker")
    lon, lat = to_wgs84(data.lon, data.lat, data.coord_sys)
    check_point(lon, lat, service_area=area)
    home = await _household(db, household_id=data.household_id, lon=lon, lat=lat)
    if home["grid_id"] not in principal.grid_ids:
        raise Forbidden("只能走访本网格的住户", "You may visit households of your own grids only",
                        code="household_out_of_scope")
    distance = round(float(home["distance_m"]), 1)
    if distance > targets.radius_m:
        raise _too_far(distance, targets.radius_m)
    visit = HouseholdVisit(household_id=home["id"], worker_id=principal.worker_id,
                           grid_id=home["grid_id"], visited_at=now, accuracy=data.accuracy,
                           geom=WKTElement(f"POINT({lon} {lat})", srid=4326),
                           distance_m=distance, note=data.note or None)
    db.add(visit)
    await db.flush()
    out = VisitOut(id=visit.id, household_id=home["id"], visited_at=now, distance_m=distance,
                   next_due_at=now + timedelta(days=targets.days(home["care_color"])))
    await publish(db=db, topic=TOPIC, kind="checked_in", grid_ids=[home["grid_id"]], payload={
        **out.model_dump(mode="json"), "grid_id": home["grid_id"],
        "care_color": home["care_color"], "worker_id": principal.worker_id})
    return out


async def _household(db: AsyncSession, *, household_id: int, lon: float,
                     lat: float) -> dict:
    row = (await db.execute(HOUSEHOLD, {"id": household_id, "lon": lon, "lat": lat})
           ).mappings().first()
    if row is None:
        raise NotFound(f"住户 {household_id} 不存在", f"Household {household_id} does not exist",
                       code="household_not_found")
    return dict(row)


def _too_far(distance: float, radius: float) -> InvalidInput:
    return InvalidInput(
        f"您距该住户约 {distance:.0f} 米，需在 {radius:.0f} 米内才能签到",
        f"You are about {distance:.0f} m from the household; check in within {radius:.0f} m",
        code="too_far", field="lon")


def parse_near(raw: str | None, *, area: BBox) -> tuple[float, float] | None:
    """`near=lon,lat` as a checked WGS84 point (None when not given).

    >>> parse_near("104.06,30.66", area=BBox(103.5, 30.0, 104.9, 31.5))
    (104.06, 30.66)
    """
    if raw is None or not raw.strip():
        return None
    try:
        lon, lat = (float(v) for v in raw.split(","))
    except ValueError as exc:
        raise InvalidInput("near 应为“经度,纬度”", "near must be 'lon,lat'", field="near") from exc
    check_point(lon, lat, service_area=area)
    return lon, lat


async def due(*, db: AsyncSession, principal: Principal, grid_id: int | None,
              near: tuple[float, float] | None, limit: int, targets: Targets,
              now: datetime) -> list[DueHousehold]:
    """Households of a grid (or of all the caller's grids) with their visit target,
    masked, overdue first."""
    grid_ids = await _due_grids(db, principal, grid_id)
    lon, lat = near if near else (None, None)
    rows = await db.execute(sql(__file__, "due.sql"), {
        **targets.params(), "grid_ids": grid_ids, "now": now, "near_lon": lon,
        "near_lat": lat, "limit": limit})
    return [DueHousehold.model_validate(dict(r)) for r in rows.mappings()]


async def _due_grids(db: AsyncSession, principal: Principal, grid_id: int | None) -> list[int]:
    scope = households.scope(principal)
    if grid_id is None:
        if scope is None:
            raise InvalidInput("请指定网格（grid_id）", "Give the grid (grid_id)",
                               code="grid_required", field="grid_id")
        return scope
    await require_grid(db, grid_id)
    if scope is not None and grid_id not in scope:
        raise Forbidden("只能查看本网格的住户", "You may see households of your own grids only",
                        code="grid_out_of_scope")
    return [grid_id]


async def overdue(*, db: AsyncSession, principal: Principal, community_id: int | None,
                  targets: Targets, now: datetime) -> list[GridOverdue]:
    """Per grid the caller may see: households, overdue visits per care color, visited in
    the last 7 days; most overdue first."""
    scope = households.scope(principal)
    if community_id is not None:
        await require_grid(db, community_id, level="community")
    rows = await db.execute(sql(__file__, "overdue.sql"), {
        **targets.params(), "grid_ids": scope, "community_id": community_id, "now": now})
    return [GridOverdue.model_validate(dict(r)) for r in rows.mappings()]
