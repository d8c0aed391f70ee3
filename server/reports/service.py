"""Report intake and reading (the full lifecycle grows with the closed loop)."""

import secrets
from datetime import datetime

from geoalchemy2.elements import WKTElement
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from geo.bbox import BBox, check_point
from geo.coords import to_wgs84
from server.auth.schemas import Principal
from server.errors import InvalidInput
from server.grids import service as grids
from server.live.publish import publish
from server.mapquery import MapQuery
from server.reports.models import Category, Report
from server.reports.schemas import CategoryOut, ReportCreated, ReportIn
from server.sqlfile import sql


async def categories(*, db: AsyncSession) -> list[CategoryOut]:
    """The active categories."""
    rows = await db.scalars(select(Category).where(Category.active).order_by(Category.code))
    return [CategoryOut(code=c.code, name=c.name, name_en=c.name_en,
                        deadline_hours=c.deadline_hours) for c in rows]


async def _category(db: AsyncSession, code: str) -> Category:
    category = await db.get(Category, code)
    if category is None or not category.active:
        raise InvalidInput(f"未知的问题类别：{code}", f"Unknown category: {code}",
                           code="unknown_category", field="category")
    return category


async def submit(*, db: AsyncSession, data: ReportIn, source: str,
                 service_area: BBox) -> ReportCreated:
    """Place a new report in its grid, store it and announce it."""
    lon, lat = to_wgs84(data.lon, data.lat, data.coord_sys)
    check_point(lon, lat, service_area=service_area)
    category = await _category(db, data.category)
    place = await grids.locate(db=db, lon=lon, lat=lat)
    report = Report(source=source, category_code=category.code, description=data.description,
                    geom=WKTElement(f"POINT({lon} {lat})", srid=4326),
                    accuracy_m=data.accuracy_m, reporter_name=data.reporter_name,
                    reporter_phone=data.reporter_phone,
                    tracking_token=secrets.token_hex(10), **place)
    db.add(report)
    await db.flush()
    await db.refresh(report, ["created_at", "status"])
    await publish(db=db, topic="reports", kind="created",
                  grid_ids=[g for g in (place["grid_id"],) if g],
                  payload=_event_props(report, category, lon, lat))
    await db.commit()
    return ReportCreated(id=report.id, status=report.status,
                         tracking_token=report.tracking_token, **place)


def _event_props(report: Report, category: Category, lon: float, lat: float) -> dict:
    return {"id": report.id, "category": category.code, "category_name": category.name,
            "category_name_en": category.name_en, "status": report.status,
            "source": report.source, "created_at": report.created_at.isoformat(),
            "grid_id": report.grid_id, "description": report.description[:200],
            "lon": round(lon, 6), "lat": round(lat, 6)}


async def layer(*, db: AsyncSession, query: MapQuery, principal: Principal,
                statuses: list[str] | None, since: datetime | None) -> str | None:
    """Reports in the window; field roles see only their own grids."""
    grid_ids = None if principal.role in ("admin", "operator", "planner", "dept_staff") \
        else list(principal.grid_ids)
    params = {**query.params(), "statuses": statuses, "grid_ids": grid_ids, "since": since}
    return await db.scalar(sql(__file__, "layer.sql"), params)
