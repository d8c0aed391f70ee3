"""API shapes of position ingest."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, WithJsonSchema

from server.reports.schemas import CoordSys

MAX_BATCH = 1000


class FixIn(BaseModel):
    """One position fix; device_id defaults to the caller's own device."""

    device_id: str | None = Field(None, min_length=1, max_length=64)
    lon: float
    lat: float
    time: datetime
    coord_sys: CoordSys = "wgs84"
    accuracy: float | None = Field(None, ge=0, le=100_000, description="metres")
    speed: float | None = Field(None, ge=0, le=1000, description="m/s")
    heading: float | None = Field(None, ge=0, le=360, description="degrees from north")
    altitude: float | None = Field(None, ge=-1000, le=20_000, description="metres")
    battery: int | None = Field(None, ge=0, le=100, description="percent")


# Each fix is checked on its own (a malformed one is refused by index, the rest kept), so
# the list takes anything; the documented item shape is FixIn.
RawFixes = Annotated[
    list[Any],
    Field(min_length=1, max_length=MAX_BATCH),
    WithJsonSchema({"type": "array", "minItems": 1, "maxItems": MAX_BATCH,
                    "items": FixIn.model_json_schema()}),
]


class PositionsIn(BaseModel):
    fixes: RawFixes


class Refused(BaseModel):
    index: int
    code: str
    reason_zh: str
    reason_en: str


class PositionsOut(BaseModel):
    """Stored fixes, exact duplicates dropped, stored fixes with a flag, refused ones."""

    accepted: int
    duplicates: int = 0
    flagged: int = 0
    refused: list[Refused]
