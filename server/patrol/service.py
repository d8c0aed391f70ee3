"""Position ingest: validate fixes, store them in batches, keep the latest state."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from geo.bbox import BBox, check_point
from geo.coords import to_wgs84
from geo.errors import GeoInputError
from server.auth.schemas import Principal
from server.errors import Forbidden
from server.live.publish import announce_positions
from server.patrol.schemas import FixIn, PositionsOut, Refused
from server.sqlfile import sql
from server.workers import service as workers

GATEWAY_ROLES = ("admin",)
MAX_FUTURE = timedelta(minutes=5)


@dataclass
class Fix:
    """A checked fix ready to store."""

    worker_id: int
    device_id: str
    time: datetime
    lon: float
    lat: float
    accuracy: float | None
    speed: float | None
    heading: float | None


async def ingest(*, db: AsyncSession, fixes: list[FixIn], principal: Principal,
                 service_area: BBox, now: datetime | None = None) -> PositionsOut:
    """Store the good fixes of a batch; say which were refused and why."""
    devices = await _devices(db, fixes, principal)
    good, refused = _check(fixes, devices, service_area, now or datetime.now(UTC))
    if good:
        await db.execute(sql(__file__, "ingest.sql"), _columns(good))
        await announce_positions(db=db)
        await db.commit()
    return PositionsOut(accepted=len(good), refused=refused)


async def _devices(db: AsyncSession, fixes: list[FixIn], principal: Principal) -> dict[str, int]:
    """Device → worker for this batch; field users may only send their own device."""
    if principal.role in GATEWAY_ROLES:
        return await workers.by_device(db=db, device_ids=sorted({f.device_id or "" for f in fixes}))
    own = await workers.device_of(db=db, worker_id=principal.worker_id) \
        if principal.worker_id else None
    if own is None:
        raise Forbidden("您的账号没有登记设备，不能上报位置",
                        "Your account has no registered device to send positions from",
                        code="no_device")
    if any(f.device_id not in (None, own) for f in fixes):
        raise Forbidden("只能上报本人设备的位置", "You may only send your own device's positions",
                        code="foreign_device")
    for f in fixes:
        f.device_id = own
    return {own: principal.worker_id}  # type: ignore[dict-item]


def _check(fixes: list[FixIn], devices: dict[str, int], area: BBox,
           now: datetime) -> tuple[list[Fix], list[Refused]]:
    good: list[Fix] = []
    refused: list[Refused] = []
    for i, f in enumerate(fixes):
        try:
            good.append(_one(f, devices, area, now))
        except GeoInputError as e:
            refused.append(Refused(index=i, code=e.code, reason_zh=e.message_zh,
                                   reason_en=e.message_en))
    return good, refused


def _one(f: FixIn, devices: dict[str, int], area: BBox, now: datetime) -> Fix:
    worker_id = devices.get(f.device_id or "")
    if worker_id is None:
        raise GeoInputError("unknown_device", message_zh=f"未登记的设备：{f.device_id}",
                            message_en=f"Unknown device: {f.device_id}", field="device_id")
    when = f.time if f.time.tzinfo else f.time.replace(tzinfo=UTC)
    if when > now + MAX_FUTURE:
        raise GeoInputError("future_fix", message_zh="定位时间在未来，请检查设备时钟",
                            message_en="The fix time is in the future; check the device clock",
                            field="time")
    lon, lat = to_wgs84(f.lon, f.lat, f.coord_sys)
    check_point(lon, lat, service_area=area)
    return Fix(worker_id, f.device_id or "", when, lon, lat, f.accuracy, f.speed, f.heading)


def _columns(good: list[Fix]) -> dict[str, list]:
    return {"worker_ids": [g.worker_id for g in good], "devices": [g.device_id for g in good],
            "times": [g.time for g in good], "lons": [g.lon for g in good],
            "lats": [g.lat for g in good], "accuracies": [g.accuracy for g in good],
            "speeds": [g.speed for g in good], "headings": [g.heading for g in good]}
