"""API shapes of reports."""

from typing import Literal

from pydantic import BaseModel, Field

CoordSys = Literal["wgs84", "gcj02", "bd09"]


class ReportIn(BaseModel):
    """A new report from a resident (no account) or any other channel."""

    category: str = Field(min_length=1, max_length=32)
    description: str = Field(min_length=2, max_length=2000)
    lon: float = Field(description="longitude (range checked with a swapped-order hint)")
    lat: float = Field(description="latitude")
    coord_sys: CoordSys = "wgs84"
    accuracy_m: float | None = Field(None, ge=0, le=100_000)
    reporter_name: str | None = Field(None, max_length=40)
    reporter_phone: str | None = Field(None, max_length=20, pattern=r"^[0-9+\- ]{5,20}$")


class ReportCreated(BaseModel):
    id: int
    status: str
    tracking_token: str
    grid_id: int | None
    community_id: int | None
    street_id: int | None


class CategoryOut(BaseModel):
    code: str
    name: str
    name_en: str
    deadline_hours: int
