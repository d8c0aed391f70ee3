"""Position ingest, one pipeline for the batch API and the OsmAnd protocol: check each fix,
drop duplicates, flag doubtful ones, place each in its grid, store the batch and move each
worker's latest state."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError
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

GATEWAY_ROLES = ("admin",)
Item = tuple[Fix, str]  # a fix of a known worker and the coordinate system it was sent in
FIXES = TypeAdapter(list[FixIn])


class Known:
    """The workers a batch's devices belong to, each with their last trusted fix (where
    jumps are measured from) and the grid it was in (checked first for the next fix)."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self.worker = {r[0]: r[1] for r in rows}
        self.anchors = {r[1]: Anchor(r[2], r[3], r[4], r[5]) for r in rows if r[2] is not None}
        self.grids = {r[1]: r[6] for r in rows}


# One read for the devices and their workers' latest state, by device or by worker.
_STATE = ("SELECT w.device_id, w.id, extract(epoch FROM s.fix_time)::float8, ST_X(s.geom), "
          "ST_Y(s.geom), s.accuracy, s.grid_id "
          "FROM workers w LEFT JOIN worker_state s ON s.worker_id = w.id ")
BY_DEVICE = text(_STATE + "WHERE w.active AND w.device_id = ANY(:d)")
BY_WORKER = text(_STATE + "WHERE w.id = :w AND w.device_id IS NOT NULL")
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
    known, own = await _known(db, parsed, principal)
    good: list[Item] = []
    unknown: list[str] = []
    for i, f in parsed:
        device = own or f.device_id or ""
        worker = known.worker.get(device)
        if worker is not None:
            good.append((_fix(i, f, device, worker), f.coord_sys))
        else:
            refused.append(_unknown(i, device))
            unknown.append(device)
    await log_unknown(db=db, device_ids=unknown, source="api", remote=remote)
    out = await _store(db, good, known, area=area, rules=rules, now=now or datetime.now(UTC))
    out.refused = sorted(refused + out.refused, key=lambda r: r.index)
    return out


async def ingest_reading(*, db: AsyncSession, reading: Reading, area: BBox, rules: Rules,
                         remote: str | None, now: datetime | None = None) -> PositionsOut:
    """One OsmAnd fix: an unknown device is logged and refused (404), a malformed fix is
    refused (400); a good one is stored and committed."""
    now = now or datetime.now(UTC)
    known = Known((await db.execute(BY_DEVICE, {"d": [reading.device_id]})).all())
    if reading.device_id not in known.worker:
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
    item = (_fix(0, fix, reading.device_id, known.worker[reading.device_id]), fix.coord_sys)
    out = await _store(db, [item], known, area=area, rules=rules, now=now)
    await db.commit()
    return out


async def log_unknown(*, db: AsyncSession, device_ids: list[str], source: str,
                      remote: str | None) -> None:
    """Count the attempts of device ids no active worker has (one row per id)."""
    ids = sorted({d[:64] for d in device_ids if d})
    if ids:
        await db.execute(LOG_UNKNOWN, {"ids": ids, "source": source,
                                       "remote": (remote or "")[:64] or None})


async def _store(db: AsyncSession, items: list[Item], known: Known, *, area: BBox,
                 rules: Rules, now: datetime) -> PositionsOut:
    """Screen, dedupe and flag the fixes, then write them in one set-based statement."""
    screened, refused = _screen(items, area=area, rules=rules, now=now)
    unique, dropped = filters.drop_duplicates(screened)
    if not unique:
        return PositionsOut(accepted=0, duplicates=dropped, refused=refused)
    fixes = filters.flag(unique, known.anchors, rules=rules)
    stored, flagged, moved = (await db.execute(sql(__file__, "ingest.sql"),
                                               _columns(fixes, known.grids))).one()
    if moved:
        await announce_positions(db=db, worker_ids=moved)
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
    """Check each fix's shape, so one malformed fix does not sink the batch: the whole
    batch in one call, and only when some fix is bad, the others again without them."""
    try:
        return list(enumerate(FIXES.validate_python(items))), []
    except ValidationError as e:
        errors = e.errors()
    refused: dict[int, Refused] = {}
    for err in errors:
        i = int(err["loc"][0])
        if i not in refused:
            where = ".".join(str(p) for p in err["loc"][1:]) or "fix"
            refused[i] = Refused(index=i, code="invalid_fix",
                                 reason_zh=f"定位数据不正确：{where}（{err['msg']}）",
                                 reason_en=f"Invalid {where}: {err['msg']}")
    keep = [i for i in range(len(items)) if i not in refused]
    good = FIXES.validate_python([items[i] for i in keep])
    return list(zip(keep, good, strict=True)), list(refused.values())


async def _known(db: AsyncSession, parsed: list[tuple[int, FixIn]],
                 principal: Principal) -> tuple[Known, str | None]:
    """The batch's devices and their workers, and the caller's own device when they are
    not a gateway: field users may only send their own device's fixes."""
    if principal.role in GATEWAY_ROLES:
        ids = sorted({f.device_id for _, f in parsed if f.device_id})
        return Known((await db.execute(BY_DEVICE, {"d": ids})).all()), None
    rows = (await db.execute(BY_WORKER, {"w": principal.worker_id})).all() \
        if principal.worker_id else []
    if not rows:
        raise Forbidden("您的账号没有登记设备，不能上报位置",
                        "Your account has no registered device to send positions from",
                        code="no_device")
    own = rows[0][0]
    if any(f.device_id not in (None, own) for _, f in parsed):
        raise Forbidden("只能上报本人设备的位置", "You may only send your own device's positions",
                        code="foreign_device")
    return Known(rows), own


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
    rows = [{"worker_id": f.worker_id, "device_id": f.device_id, "fix_time": f.time,
             "lon": f.lon, "lat": f.lat, "accuracy": f.accuracy, "speed": f.speed,
             "heading": f.heading, "altitude": f.altitude, "battery": f.battery,
             "flags": f.flags, "prev_grid": grids.get(f.worker_id)} for f in fixes]
    return {"fixes": orjson.dumps(rows).decode(), "jump": filters.FLAG_JUMP}
