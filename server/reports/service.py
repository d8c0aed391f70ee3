"""Report intake from every channel, and the map layer and categories."""

import secrets
from datetime import datetime

from geoalchemy2.elements import WKTElement
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from geo.bbox import BBox, check_point
from geo.coords import to_wgs84
from server.auth.schemas import Principal
from server.errors import InvalidInput
from server.grids import service as grids
from server.mapquery import MapQuery
from server.photos import service as photos
from server.reports import duplicates
from server.reports.models import Category, Report, Reporter
from server.reports.schemas import CategoryOut, ReportCreated, ReportIn
from server.reports.steps import RESIDENT, Actor, record
from server.sqlfile import sql

TRACK_PATH = "/track.html?t="


async def categories(*, db: AsyncSession, include_inactive: bool = False) -> list[CategoryOut]:
    """Categories with their default department and deadline."""
    query = select(Category).order_by(Category.code)
    if not include_inactive:
        query = query.where(Category.active)
    return [CategoryOut.model_validate(c, from_attributes=True) for c in await db.scalars(query)]


async def category(*, db: AsyncSession, code: str) -> Category:
    """An active category (422 naming it otherwise)."""
    found = await db.get(Category, code)
    if found is None or not found.active:
        raise InvalidInput(f"未知的问题类别：{code}", f"Unknown category: {code}",
                           code="unknown_category", field="category")
    return found


async def _place(db: AsyncSession, data: ReportIn, area: BBox) -> tuple[float, float, str]:
    """The WGS84 point of a report: given, or the first photo's EXIF as a last resort."""
    if data.lon is not None and data.lat is not None:
        lon, lat = to_wgs84(data.lon, data.lat, data.coord_sys)
        source = data.location_source
    else:
        exif = await photos.exif_location(db=db, tokens=data.photos) if data.photos else None
        if exif is None:
            raise InvalidInput("请提供位置：开启定位、在地图上选点，或上传带位置信息的照片",
                               "A location is needed: allow geolocation, pick a point on the "
                               "map, or attach a photo that carries GPS data",
                               code="location_missing", field="lon")
        (lon, lat), source = exif, "exif"
    check_point(lon, lat, service_area=area)
    return lon, lat, source


async def _reporter(db: AsyncSession, data: ReportIn) -> int | None:
    """The reporter known by phone (created on first report), for points and follow-up."""
    if not data.reporter_phone:
        return None
    kind = "volunteer" if data.source == "volunteer" else "resident"
    stmt = insert(Reporter).values(phone=data.reporter_phone, name=data.reporter_name,
                                   kind=kind)
    upsert = stmt.on_conflict_do_update(index_elements=["phone"],
                                        set_={"name": stmt.excluded.name})
    return int((await db.execute(upsert.returning(Reporter.id))).scalar_one())


async def create(*, db: AsyncSession, data: ReportIn, area: BBox, actor: Actor = RESIDENT,
                 recorded_by: int | None = None) -> tuple[Report, list[int]]:
    """Place, store and announce a new report with its photos; the caller commits."""
    if data.source == "volunteer" and not data.photos:
        raise InvalidInput("随手拍需要至少一张照片", "A volunteer photo report needs a photo",
                           code="photo_required", field="photos")
    cat = await category(db=db, code=data.category)
    lon, lat, source = await _place(db, data, area)
    place = await grids.locate(db=db, lon=lon, lat=lat)
    report = Report(source=data.source, category_code=cat.code, description=data.description,
                    geom=WKTElement(f"POINT({lon} {lat})", srid=4326),
                    accuracy_m=data.accuracy_m, location_source=source, address=data.address,
                    reporter_name=data.reporter_name, reporter_phone=data.reporter_phone,
                    reporter_id=await _reporter(db, data), recorded_by=recorded_by,
                    tracking_token=secrets.token_hex(10), **place)
    db.add(report)
    await db.flush()
    await db.refresh(report, ["created_at", "status", "version", "escalation_level"])
    step = await record(db=db, report=report, action="create", actor=actor,
                        data={"source": data.source})
    await photos.attach(db=db, tokens=data.photos, report_id=report.id, step_id=step.id,
                        kind="intake")
    hints = await duplicates.near(db=db, report=report)
    return report, hints


def created(report: Report, hints: list[int]) -> ReportCreated:
    """What intake answers: the tracking link and where the report was placed."""
    return ReportCreated(id=report.id, status=report.status,
                         tracking_token=report.tracking_token,
                         tracking_url=TRACK_PATH + report.tracking_token,
                         grid_id=report.grid_id, community_id=report.community_id,
                         street_id=report.street_id, duplicates=hints)


async def layer(*, db: AsyncSession, query: MapQuery, principal: Principal,
                statuses: list[str] | None, since: datetime | None) -> str | None:
    """Reports in the window; field roles see only their own grids."""
    grid_ids = None if principal.role in ("admin", "operator", "planner", "dept_staff") \
        else list(principal.grid_ids)
    params = {**query.params(), "statuses": statuses, "grid_ids": grid_ids, "since": since}
    return await db.scalar(sql(__file__, "layer.sql"), params)
