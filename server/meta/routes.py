"""Health and deployment metadata."""

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text

from server.db import DbDep

router = APIRouter(tags=["meta"])
COUNTS = {
    "grids": "SELECT count(*) FROM grids WHERE level = 'grid' AND retired_at IS NULL",
    "stations": "SELECT count(*) FROM stations",
    "households": "SELECT count(*) FROM households",
    "workers": "SELECT count(*) FROM workers WHERE active",
    "reports": "SELECT count(*) FROM reports",
}


class Meta(BaseModel):
    name: str
    name_en: str
    synthetic: bool
    bbox: list[float]
    center: list[float]
    zoom: int
    counts: dict[str, int]


@router.get("/healthz")
async def healthz(db: DbDep) -> dict[str, str]:
    """Liveness with a database round trip."""
    await db.execute(text("SELECT 1"))
    return {"status": "ok"}


@router.get("/api/meta", response_model=Meta)
async def meta(request: Request, db: DbDep) -> Meta:
    """Deployment name, service area, centre, default zoom and counts."""
    settings, area = request.app.state.settings, request.app.state.service_area
    counts = {k: int(await db.scalar(text(q)) or 0) for k, q in COUNTS.items()}
    synthetic = bool(await db.scalar(text("SELECT EXISTS (SELECT 1 FROM users WHERE is_demo)")))
    return Meta(name=settings.deployment_name, name_en=settings.deployment_name_en,
                synthetic=synthetic, bbox=[round(v, 6) for v in area.as_list()],
                center=[round(v, 6) for v in area.center], zoom=_zoom(area.width),
                counts=counts)


def _zoom(width_deg: float) -> int:
    """A zoom that fits the service area's width in about 1,200 pixels."""
    zoom = 18
    while zoom > 3 and 360 / 2**zoom * 1200 / 256 < width_deg:
        zoom -= 1
    return zoom
