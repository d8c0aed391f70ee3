"""Filing an Open311 service request through our own report intake."""

import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from geo.bbox import BBox
from geo.errors import GeoInputError
from server.errors import InvalidInput
from server.interop.open311.schemas import Lang, Posted, PostedList, RequestIn
from server.interop.open311.service import notice
from server.reports import service as reports
from server.reports.models import Category
from server.reports.schemas import ReportIn, StaffReportIn
from server.reports.steps import RESIDENT, Actor

HOTLINE = Actor("12345 热线")
ANONYMOUS_CALLER = "匿名来电"
# Our intake's field names as the Open311 client knows them, for error messages.
OPEN311_NAMES = {"category": "service_code", "lon": "long", "address": "address_string",
                 "reporter_name": "first_name", "reporter_phone": "phone",
                 "coordinates": "lat"}


def parse(raw: Mapping[str, Any]) -> RequestIn:
    """Validate the posted fields (empty ones count as absent); 400 names the bad field."""
    fields = _normalize(raw)
    if not fields.get("service_code"):
        raise InvalidInput("缺少 service_code（服务类别代码，见 services.json）",
                           "service_code is required (see services.json)",
                           code="service_code_missing", field="service_code")
    try:
        return RequestIn.model_validate(fields)
    except ValidationError as exc:
        raise invalid(exc) from None


def _normalize(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty fields; read our `source` extension from attribute[source] or source."""
    fields = {k: v for k, v in raw.items() if v not in ("", None)}
    nested = fields.pop("attribute", None)
    attributes = dict(nested) if isinstance(nested, dict) else {}
    for key in [k for k in fields if k.startswith("attribute[") and k.endswith("]")]:
        attributes[key[len("attribute["):-1]] = fields.pop(key)
    source = attributes.get("source", fields.get("source"))
    fields["source"] = "hotline" if source == "hotline" else "resident"
    return fields


def invalid(exc: ValidationError) -> InvalidInput:
    """The first validation problem, named as the Open311 field."""
    first = exc.errors()[0]
    loc = [str(p) for p in first.get("loc", ())]
    field = OPEN311_NAMES.get(loc[0], loc[0]) if loc else "request"
    got = first.get("input")
    shown = str(got)[:40] if isinstance(got, str | int | float) else None
    zh_got, en_got = (f"（收到 {shown!r}）", f" (got {shown!r})") if shown is not None else ("", "")
    return InvalidInput(f"参数 {field} 不正确：{first['msg']}{zh_got}",
                        f"Invalid {field}: {first['msg']}{en_got}",
                        code="invalid_field", field=field)


async def submit(*, db: AsyncSession, data: RequestIn, area: BBox, lang: Lang) -> PostedList:
    """File the request as a report (resident, or 12345 hotline); the caller commits."""
    cat = await _category(db, data.service_code)
    _check_location(data, area)
    actor = HOTLINE if data.source == "hotline" else RESIDENT
    try:
        report, _ = await reports.create(db=db, data=_report_in(data, cat), area=area,
                                         actor=actor)
    except GeoInputError as exc:
        raise InvalidInput(f"{exc.message_zh}（Open311 中 lat 为纬度，long 为经度）",
                           f"{exc.message_en} In Open311, lat is the latitude and long the "
                           "longitude.", code=exc.code, field="lat") from None
    return PostedList([Posted(service_request_id=str(report.id), token=report.tracking_token,
                              service_notice=notice(cat.deadline_hours, lang))])


async def _category(db: AsyncSession, code: str) -> Category:
    try:
        return await reports.category(db=db, code=code)
    except InvalidInput:
        raise InvalidInput(f"未知的 service_code：{code}（可用的见 services.json）",
                           f"Unknown service_code: {code} (see services.json)",
                           code="unknown_service_code", field="service_code") from None


def _check_location(data: RequestIn, area: BBox) -> None:
    """lat and long are needed (no geocoding); a swapped pair gets its own message."""
    if data.lat is None or data.long is None:
        raise InvalidInput("请提供 lat（纬度）和 long（经度）；"
                           "本服务不对 address_string 做地理编码",
                           "lat and long are required; this server does not geocode "
                           "address_string", code="location_missing",
                           field="lat" if data.lat is None else "long")
    if _swapped(data.lat, data.long, area):
        lon0, lat0 = area.center
        raise InvalidInput(
            f"lat 与 long 写反了：lat 是纬度（本地约 {lat0:.2f}），long 是经度（约 {lon0:.2f}）；"
            f"收到 lat={data.lat}, long={data.long}",
            f"lat and long look swapped: lat is the latitude (about {lat0:.2f} here) and long "
            f"the longitude (about {lon0:.2f}); got lat={data.lat}, long={data.long}",
            code="lat_long_swapped", field="lat")


def _swapped(lat: float, long: float, area: BBox) -> bool:
    """A latitude out of range that fits as a longitude, or a pair only valid reversed.

    >>> _swapped(104.06, 30.66, BBox(103.5, 30.0, 104.9, 31.5))
    True
    """
    if abs(lat) > 90:
        return abs(long) <= 90 and abs(lat) <= 180
    return not area.contains(long, lat) and area.contains(lat, long)


def _report_in(data: RequestIn, cat: Category) -> ReportIn:
    """Our intake's shape: a resident report, or a hotline call with the caller's name."""
    fields = {"category": cat.code, "description": _description(data, cat.name),
              "lon": data.long, "lat": data.lat, "coord_sys": data.coord_sys,
              "address": data.address_string, "reporter_phone": data.phone,
              "reporter_name": _name(data.first_name, data.last_name)}
    try:
        if data.source == "hotline":
            fields["reporter_name"] = fields["reporter_name"] or ANONYMOUS_CALLER
            return StaffReportIn.model_validate(fields)
        return ReportIn.model_validate(fields)
    except ValidationError as exc:
        raise invalid(exc) from None


def _description(data: RequestIn, fallback: str) -> str:
    """The text, or the service's name; a media_url is kept as a link, never fetched."""
    text = data.description or fallback
    if data.media_url:
        url = urlsplit(data.media_url)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise InvalidInput("media_url 应为 http(s) 链接", "media_url must be an http(s) URL",
                               code="bad_media_url", field="media_url")
        text += f"\n附件链接 media_url: {data.media_url}"
    return text


def _name(first: str | None, last: str | None) -> str | None:
    """first + last; a Chinese name is surname first without a space.

    >>> _name("小明", "王"), _name("Ada", "Lovelace"), _name(None, None)
    ('王小明', 'Ada Lovelace', None)
    """
    if first and last and _cjk(first) and _cjk(last):
        return (last + first)[:40]
    return " ".join(p for p in (first, last) if p)[:40] or None


def _cjk(text: str) -> bool:
    return all(unicodedata.name(c, "").startswith("CJK") for c in text)
