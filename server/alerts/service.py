"""Raising and closing alerts: a scan for outside-grid and offline workers, SOS at once."""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.alerts.models import Alert
from server.alerts.schemas import AlertOut, SosIn, Status
from server.auth.schemas import Principal
from server.errors import Conflict, Forbidden, NotFound
from server.live.publish import publish
from server.sqlfile import sql

TOPIC = "alerts"
LOOKBACK = timedelta(days=1)  # how far back an outside run's start is looked for
FIELDS = ("id", "kind", "worker_id", "worker_name", "grid_id", "lon", "lat", "started_at")


async def scan(*, db: AsyncSession, now: datetime,
               outside_after: timedelta = timedelta(minutes=10),
               offline_after: timedelta = timedelta(minutes=10)) -> int:
    """Raise and close outside-grid and offline alerts as of `now`; returns the changes."""
    rows = (await db.execute(sql(__file__, "scan.sql"), {
        "now": now, "outside_cut": now - outside_after, "offline_cut": now - offline_after,
        "lookback": now - LOOKBACK})).mappings().all()
    for row in rows:
        await _announce(db, row["change"], dict(row), list(row["grid_ids"]))
    await db.commit()
    return len(rows)


async def sos(*, db: AsyncSession, principal: Principal, data: SosIn) -> AlertOut:
    """Raise the caller's SOS now (or return the one still unclosed), announced as high."""
    if principal.worker_id is None:
        raise Forbidden("只有一线人员可以求助", "Only field workers can call SOS",
                        code="no_worker")
    row = (await db.execute(sql(__file__, "sos.sql"), {
        "w": principal.worker_id, "lon": data.lon, "lat": data.lat, "note": data.note,
        "home": principal.grid_ids[0] if principal.grid_ids else None})).mappings().one()
    await _announce(db, "raised", {**row, "priority": "high"}, list(row["grid_ids"]))
    await db.commit()
    return await get(db=db, alert_id=int(row["id"]))


async def listing(*, db: AsyncSession, principal: Principal,
                  status: Status | None) -> list[AlertOut]:
    """Alerts the caller may see, SOS first then newest."""
    rows = await db.execute(sql(__file__, "list.sql"), {
        "status": status, "id": None, "worker_id": principal.worker_id,
        "grid_ids": None if principal.sees_everything else list(principal.grid_ids)})
    return [AlertOut.model_validate(dict(r)) for r in rows.mappings()]


async def get(*, db: AsyncSession, alert_id: int) -> AlertOut:
    """One alert (404 when unknown)."""
    row = (await db.execute(sql(__file__, "list.sql"), {
        "status": None, "id": alert_id, "worker_id": None, "grid_ids": None})).mappings().first()
    if row is None:
        raise NotFound("找不到该告警", "No such alert", code="alert_not_found")
    return AlertOut.model_validate(dict(row))


async def acknowledge(*, db: AsyncSession, principal: Principal, alert_id: int,
                      note: str | None, now: datetime) -> AlertOut:
    """An open alert is acknowledged (someone is on it) and announced, so every desk and the
    worker's phone see it at once."""
    alert = await _handled(db, principal, alert_id, allowed=("open",))
    alert.status, alert.acknowledged_by, alert.acknowledged_at = \
        "acknowledged", principal.user_id, now
    alert.note = note or alert.note
    return await _changed(db, alert, "acknowledged")


async def close(*, db: AsyncSession, principal: Principal, alert_id: int,
                note: str | None, now: datetime) -> AlertOut:
    """An open or acknowledged alert is closed by hand and announced as closed."""
    alert = await _handled(db, principal, alert_id, allowed=("open", "acknowledged"))
    alert.status, alert.closed_at, alert.note = "closed", now, note or alert.note
    return await _changed(db, alert, "closed")


async def _handled(db: AsyncSession, principal: Principal, alert_id: int,
                   allowed: tuple[str, ...]) -> Alert:
    alert = await db.get(Alert, alert_id, with_for_update=True)
    if alert is None:
        raise NotFound("找不到该告警", "No such alert", code="alert_not_found")
    if not principal.sees_everything and alert.grid_id not in principal.grid_ids:
        raise Forbidden("只能处理本网格的告警", "You may handle alerts of your own grids only",
                        code="alert_out_of_scope")
    if alert.status not in allowed:
        raise Conflict(f"告警已是 {alert.status} 状态", f"The alert is already {alert.status}",
                       code="alert_state")
    return alert


async def _changed(db: AsyncSession, alert: Alert, kind: str) -> AlertOut:
    """Write a handled alert, announce it to its worker's grids and commit."""
    await db.flush()
    out = await get(db=db, alert_id=alert.id)
    await _announce(db, kind, out.model_dump(), await _grids(db, alert.worker_id))
    await db.commit()
    return out


async def _grids(db: AsyncSession, worker_id: int) -> list[int]:
    rows = await db.scalars(text("SELECT grid_id FROM worker_grids WHERE worker_id = :w "
                                 "ORDER BY grid_id"), {"w": worker_id})
    return list(rows)


async def _announce(db: AsyncSession, kind: str, row: dict[str, Any],
                    grid_ids: list[int]) -> None:
    payload = {k: row.get(k) for k in FIELDS}
    if row.get("priority") == "high" or row.get("kind") == "sos":
        payload["priority"] = "high"
    await publish(db=db, topic=TOPIC, kind=kind, grid_ids=grid_ids, payload=payload)
