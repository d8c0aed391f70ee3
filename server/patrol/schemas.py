"""API shapes of position ingest."""

from datetime import datetime

from pydantic import BaseModel, Field

from server.reports.schemas import CoordSys

MAX_BATCH = 1000


class FixIn(BaseModel):
    """One position fix; device_id defaults to the caller's own device."""

    device_id: str | None = Field(None, min_length=1, max_length=64)
    lon: float
    lat: float
    time: datetime
    coord_sys: CoordSys = "wgs84"
    accuracy: float | None = Field(None, ge=0, le=100_000)
    speed: float | None = Field(None, ge=0, le=1000)
    heading: float | None = Field(None, ge=0, le=360)


class PositionsIn(BaseModel):
    fixes: list[FixIn] = Field(min_length=1, max_length=MAX_BATCH)


class Refused(BaseModel):
    index: int
    code: str
    reason_zh: str
    reason_en: str


class PositionsOut(BaseModel):
    accepted: int
    refused: list[Refused]
