"""Position ingest, one pipeline for the batch API and the OsmAnd protocol: check each fix,
drop duplicates, flag doubtful ones, place each in its grid, store the batch and move each
worker's latest state."""

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from geo.bbox import BBox
from geo.errors import GeoInputError
from server.auth.schemas import Principal
from server.errors import Forbidden, NotFound
from server.live.publish import announce_positions
from server.patrol import filters
from server.patrol.filters import Anchor, Fix, Rules
from server.patrol.osmand import Reading
from server.patrol.schemas import FixIn, PositionsOut, Refused
from server.sqlfile import sql
from server.workers import service as workers

GATEWAY_ROLES = ("admin",)
Item = tuple[Fix, str]  # a fix of a known worker and the coordinate system it was sent in

ANCHORS = text("SELECT worker_id, fix_time, ST_X(geom), ST_Y(geom), accuracy, grid_id "
               "FROM worker_state WHERE worker_id = ANY(:w)")
LOG_UNKNOWN = text(
    "INSERT INTO unknown_devices AS u (device_id, source, remote_addr) "
    "SELECT d, :source, :remote FROM unnest(CAST(:ids AS text[])) d "
    "ON CONFLICT (device_id) DO UPDATE SET last_seen = now(), attempts = u.attempts + 1, "
    "source = EXCLUDED.source, remote_addr = EXCLUDED.remote_addr")


async def ingest_batch(*, db: AsyncSession, items: list[Any], principal: Principal,
                       area: BBox, rules: Rules, remote: str | None,
                       now: datetime | None = None) -> PositionsOut:
    """Store a batch's good fixes and say which were refused and why; the caller commits."""
    parsed, refused = _parse(items)
    devices, own = await _devices(db, parsed, principal)
    known: list[Item] = []
    for i, f in parsed:
        device = own or f.device_id or ""
        if device in devices:
            known.append((_fix(i, f, device, devices[device]), f.coord_sys))
        else:
            refused.append(_unknown(i, device))
    unknown = [f.device_id or "" for _, f in parsed if (f.device_id or "") not in devices]
    await log_unknown(db=db, device_ids=unknown, source="api", remote=remote)
    out = await _store(db, known, area=area, rules=rules, now=now or datetime.now(UTC))
    out.refused = sorted(refused + out.refused, key=lambda r: r.index)
    return out


async def ingest_reading(*, db: AsyncSession, reading: Reading, area: BBox, rules: Rules,
                         remote: str | None, now: datetime | None = None) -> PositionsOut:
    """One OsmAnd fix: an unknown device is logged and refused (404), a malformed fix is
    refused (400); a good one is stored and committed."""
    now = now or datetime.now(UTC)
    devices = await workers.by_device(db=db, device_ids=[reading.device_id])
    if reading.device_id not in devices:
        await log_unknown(db=db, device_ids=[reading.device_id], source="osmand", remote=remote)
        await db.commit()
        raise NotFound(f"未登记的设备：{reading.device_id}",
                       f"Unknown device: {reading.device_id}; register it to a worker first",
                       code="unknown_device", field=reading.id_field)
    if not reading.valid:
        return PositionsOut(accepted=0, refused=[Refused(
            index=0, code="no_fix", reason_zh="设备报告没有有效定位",
            reason_en="The device reports no valid fix")])
    fix = reading.fix(now=now)
    item = (_fix(0, fix, reading.device_id, devices[reading.device_id]), fix.coord_sys)
    out = await _store(db, [item], area=area, rules=rules, now=now)
    await db.commit()
    return out


async def log_unknown(*, db: AsyncSession, device_ids: list[str], source: str,
                      remote: str | None) -> None:
    """Count the attempts of device ids no active worker has (one row per id)."""
    ids = sorted({d[:64] for d in device_ids if d})
    if ids:
        await db.execute(LOG_UNKNOWN, {"ids": ids, "source": source,
                                       "remote": (remote or "")[:64] or None})


async def _store(db: AsyncSession, items: list[Item], *, area: BBox, rules: Rules,
                 now: datetime) -> PositionsOut:
    """Screen, dedupe and flag the fixes, then write them in one set-based statement."""
    screened, refused = _screen(items, area=area, rules=rules, now=now)
    unique, dropped = filters.drop_duplicates(screened)
    if not unique:
        return PositionsOut(accepted=0, duplicates=dropped, refused=refused)
    anchors, grids = await _anchors(db, sorted({f.worker_id for f in unique}))
    fixes = filters.flag(unique, anchors, rules=rules)
    stored, flagged, moved = (await db.execute(sql(__file__, "ingest.sql"),
                                               _columns(fixes, grids))).one()
    if moved:
        await announce_positions(db=db)
    return PositionsOut(accepted=stored, duplicates=dropped + len(fixes) - stored,
                        flagged=flagged, refused=refused)


def _screen(items: list[Item], *, area: BBox, rules: Rules,
            now: datetime) -> tuple[list[Fix], list[Refused]]:
    good: list[Fix] = []
    refused: list[Refused] = []
    for fix, coord_sys in items:
        try:
            good.append(filters.screen(fix, coord_sys=coord_sys, area=area, now=now,
                                       rules=rules))
        except GeoInputError as e:
            refused.append(Refused(index=fix.index, code=e.code, reason_zh=e.message_zh,
                                   reason_en=e.message_en))
    return good, refused


def _parse(items: list[Any]) -> tuple[list[tuple[int, FixIn]], list[Refused]]:
    """Check each fix's shape on its own, so one malformed fix does not sink the batch."""
    parsed: list[tuple[int, FixIn]] = []
    refused: list[Refused] = []
    for i, raw in enumerate(items):
        try:
            parsed.append((i, FixIn.model_validate(raw)))
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "fix"
            refused.append(Refused(index=i, code="invalid_fix",
                                   reason_zh=f"定位数据不正确：{where}（{err['msg']}）",
                                   reason_en=f"Invalid {where}: {err['msg']}"))
    return parsed, refused


async def _devices(db: AsyncSession, parsed: list[tuple[int, FixIn]],
                   principal: Principal) -> tuple[dict[str, int], str | None]:
    """Device → worker for this batch, and the caller's own device when they are not a
    gateway: field users may only send their own device's fixes."""
    if principal.role in GATEWAY_ROLES:
        ids = sorted({f.device_id for _, f in parsed if f.device_id})
        return await workers.by_device(db=db, device_ids=ids), None
    own = await workers.device_of(db=db, worker_id=principal.worker_id) \
        if principal.worker_id else None
    if own is None or principal.worker_id is None:
        raise Forbidden("您的账号没有登记设备，不能上报位置",
                        "Your account has no registered device to send positions from",
                        code="no_device")
    if any(f.device_id not in (None, own) for _, f in parsed):
        raise Forbidden("只能上报本人设备的位置", "You may only send your own device's positions",
                        code="foreign_device")
    return {own: principal.worker_id}, own


async def _anchors(db: AsyncSession,
                   worker_ids: list[int]) -> tuple[dict[int, Anchor], dict[int, int | None]]:
    """Each worker's last trusted fix and the grid it was in."""
    rows = (await db.execute(ANCHORS, {"w": worker_ids})).all()
    return ({r[0]: Anchor(r[1], r[2], r[3], r[4]) for r in rows},
            {r[0]: r[5] for r in rows})


def _fix(index: int, f: FixIn, device: str, worker_id: int) -> Fix:
    return Fix(index, worker_id, device, f.time, f.lon, f.lat, f.accuracy, f.speed, f.heading,
               f.altitude, f.battery)


def _unknown(index: int, device: str) -> Refused:
    if not device:
        return Refused(index=index, code="unknown_device", reason_zh="缺少设备号 device_id",
                       reason_en="device_id is missing")
    return Refused(index=index, code="unknown_device", reason_zh=f"未登记的设备：{device}",
                   reason_en=f"Unknown device: {device}")


def _columns(fixes: list[Fix], grids: dict[int, int | None]) -> dict[str, Any]:
    """The batch as ingest.sql's parameters: the fixes as one JSON array of records."""
    rows = [{"worker_id": f.worker_id, "device_id": f.device_id, "fix_time": f.time.isoformat(),
             "lon": f.lon, "lat": f.lat, "accuracy": f.accuracy, "speed": f.speed,
             "heading": f.heading, "altitude": f.altitude, "battery": f.battery,
             "flags": f.flags, "prev_grid": grids.get(f.worker_id)} for f in fixes]
    return {"fixes": json.dumps(rows, allow_nan=False), "jump": filters.FLAG_JUMP}
