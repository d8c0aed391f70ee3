"""The OsmAnd protocol as Traccar's server reads it: query or form parameters, or the JSON
body that Traccar Client's newer versions post. One fix per request; no auth header — the
device id is the credential. Plain data in, FixIn out (no web, no database)."""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from server.errors import DomainError
from server.patrol.schemas import FixIn, PositionsOut

KNOT_MPS = 1852 / 3600  # the query form's speed is in knots
SECONDS_BELOW = 2**31 - 1  # as Traccar: a smaller Unix time is seconds, a larger one ms
HDOP_UERE_M = 5.0  # with hdop but no accuracy: accuracy ≈ hdop × a typical range error
ID_FIELDS = ("id", "deviceid")
# Traccar Client keeps a refused fix and retries it every 30 s, holding every later fix
# behind it; a refusal no retry can mend would stop the phone reporting for good. These are
# answered 200 and not stored (as Traccar's own filters drop fixes after answering).
NOT_RETRIED = ("outside_service_area", "no_fix")


class BadFix(DomainError):
    """A request the protocol cannot read, or a fix the filters refuse (400)."""

    status, code = 400, "malformed_fix"


@dataclass(frozen=True)
class Reading:
    """What a device sent: its id first (checked before anything else), then the fix."""

    device_id: str
    id_field: str
    valid: bool
    data: Mapping[str, Any]  # the query parameters, or the JSON body's `location`
    form: str  # query | json

    def fix(self, *, now: datetime) -> FixIn:
        """The fix, with every value in our units (m/s, metres, percent, UTC)."""
        read = _query_fix if self.form == "query" else _json_fix
        return read(self.data, self.device_id, now)


def raise_refused(out: PositionsOut) -> None:
    """Turn a refused fix into a 400 problem, unless retrying could never help.

    >>> raise_refused(PositionsOut(accepted=1, refused=[]))
    """
    for r in out.refused:
        if r.code not in NOT_RETRIED:
            raise BadFix(r.reason_zh, r.reason_en, code=r.code)


def query_reading(params: Mapping[str, str]) -> Reading:
    """Read `id`/`deviceid` and `valid` from query or form parameters.

    >>> r = query_reading({"id": "GL1", "lat": "30.66", "lon": "104.06", "speed": "10"})
    >>> r.device_id, round(r.fix(now=datetime(2026, 1, 1, tzinfo=UTC)).speed or 0, 3)
    ('GL1', 5.144)
    """
    field = next((f for f in ID_FIELDS if (params.get(f) or "").strip()), None)
    if field is None:
        raise BadFix("缺少设备号参数 id", "The device id parameter (id) is missing",
                     code="missing_device", field="id")
    valid = (params.get("valid") or "true").strip().lower() not in ("false", "0")
    return Reading(params[field].strip(), field, valid, params, "query")


def json_reading(body: Any) -> Reading:
    """Read `device_id` from Traccar Client's JSON body."""
    device = body.get("device_id") if isinstance(body, dict) else None
    if isinstance(device, bool) or not isinstance(device, str | int) or not str(device).strip():
        raise BadFix("JSON 中缺少 device_id", "The JSON body has no device_id",
                     code="missing_device", field="device_id")
    location = body.get("location")
    if not isinstance(location, dict):
        raise BadFix("JSON 中缺少 location 对象", "The JSON body has no location object",
                     code="missing_location", field="location")
    return Reading(str(device).strip(), "device_id", True, location, "json")


def parse_time(value: str) -> datetime:
    """Unix seconds or milliseconds, ISO 8601, or 'yyyy-MM-dd HH:mm:ss'; naive means UTC.

    >>> forms = ("1767225600", "1767225600000", "2026-01-01T08:00:00+08:00",
    ...          "2026-01-01T08:00:00 08:00", "2026-01-01 00:00:00")
    >>> {parse_time(v) for v in forms} == {datetime(2026, 1, 1, tzinfo=UTC)}
    True
    """
    text = value.strip()
    if "T" in text and " " in text:  # an unencoded '+' of an offset arrives as a space
        text = text.replace(" ", "+")
    try:
        number = float(text)
    except ValueError:
        number = None
    try:
        if number is not None:
            return datetime.fromtimestamp(number if number < SECONDS_BELOW else number / 1000, UTC)
        when = datetime.fromisoformat(text)
    except (ValueError, OverflowError, OSError):
        raise BadFix(f"无法识别的时间：{value!r}", f"Unreadable timestamp: {value!r}",
                     code="bad_timestamp", field="timestamp") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _query_fix(p: Mapping[str, Any], device_id: str, now: datetime) -> FixIn:
    if p.get("lat") is not None and p.get("lon") is not None:
        lat, lon = _number(p["lat"], "lat"), _number(p["lon"], "lon")
    elif p.get("location") is not None:
        parts = str(p["location"]).split(",")
        if len(parts) != 2:
            raise BadFix("location 应为“纬度,经度”", "location must be 'lat,lon'",
                         code="bad_location", field="location")
        lat, lon = _number(parts[0], "location"), _number(parts[1], "location")
    else:
        raise _no_location("lat")
    accuracy, hdop = _optional(p, "accuracy"), _optional(p, "hdop")
    if accuracy is None and hdop is not None:
        accuracy = hdop * HDOP_UERE_M
    speed = _optional(p, "speed")
    return _build(device_id, lat=lat, lon=lon,
                  time=parse_time(str(p["timestamp"])) if p.get("timestamp") else now,
                  accuracy=accuracy, speed=None if speed is None else speed * KNOT_MPS,
                  heading=_optional(p, "bearing") if "bearing" in p else _optional(p, "heading"),
                  altitude=_optional(p, "altitude"), battery=_optional(p, "batt"))


def _json_fix(loc: Mapping[str, Any], device_id: str, now: datetime) -> FixIn:
    coords = loc.get("coords")
    if not isinstance(coords, dict) or coords.get("latitude") is None \
            or coords.get("longitude") is None:
        raise _no_location("location.coords")
    battery = loc.get("battery")
    level = _optional(battery, "level") if isinstance(battery, dict) else None
    stamp = loc.get("timestamp")
    return _build(device_id, lat=_number(coords["latitude"], "latitude"),
                  lon=_number(coords["longitude"], "longitude"),
                  time=parse_time(str(stamp)) if stamp not in (None, "") else now,
                  accuracy=_optional(coords, "accuracy"), speed=_optional(coords, "speed"),
                  heading=_optional(coords, "heading"), altitude=_optional(coords, "altitude"),
                  battery=None if level is None else level * 100)


def _build(device_id: str, *, lat: float, lon: float, time: datetime, accuracy: float | None,
           speed: float | None, heading: float | None, altitude: float | None,
           battery: float | None) -> FixIn:
    """Side values a device marks unknown (negative, 0 accuracy) or out of range are dropped;
    a huge accuracy is capped, so it is still flagged as poor."""
    try:
        return FixIn(device_id=device_id[:64], lon=lon, lat=lat, time=time,
                     accuracy=None if not accuracy or accuracy < 0 else min(accuracy, 100_000),
                     speed=_within(speed, 0, 1000), heading=_within(heading, 0, 360),
                     altitude=_within(altitude, -1000, 20_000),
                     battery=None if _within(battery, 0, 100) is None else round(battery or 0))
    except ValidationError as e:
        raise BadFix("定位数据格式不正确", f"Malformed fix: {e.errors()[0]['msg']}",
                     field=str(e.errors()[0]["loc"][0])) from None


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool):
        value = "bool"
    try:
        return float(value)
    except (TypeError, ValueError):
        raise BadFix(f"参数 {field} 不是数字：{value!r}", f"{field} is not a number: {value!r}",
                     field=field) from None


def _optional(values: Mapping[str, Any], field: str) -> float | None:
    value = values.get(field)
    if value is None or value == "":
        return None
    number = _number(value, field)
    return number if math.isfinite(number) else None


def _within(value: float | None, low: float, high: float) -> float | None:
    return value if value is not None and low <= value <= high else None


def _no_location(field: str) -> BadFix:
    return BadFix("缺少位置：需要 lat 和 lon（或 location=纬度,经度）",
                  "No location: lat and lon (or location=lat,lon) are required",
                  code="missing_location", field=field)
