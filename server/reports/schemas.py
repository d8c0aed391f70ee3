"""API shapes of reports."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

CoordSys = Literal["wgs84", "gcj02", "bd09"]
Phone = Field(None, max_length=20, pattern=r"^[0-9+\- ]{5,20}$")
PhotoTokens: Any = Field(default_factory=list, max_length=9)


class ReportIn(BaseModel):
    """A new report from a resident or a volunteer (no account needed)."""

    category: str = Field(min_length=1, max_length=32)
    description: str = Field(min_length=2, max_length=2000)
    lon: float | None = Field(None, description="longitude; omit to use the photo's EXIF")
    lat: float | None = Field(None, description="latitude")
    coord_sys: CoordSys = "wgs84"
    accuracy_m: float | None = Field(None, ge=0, le=100_000)
    location_source: Literal["device", "map", "exif"] = "device"
    address: str | None = Field(None, max_length=200)
    source: Literal["resident", "volunteer"] = "resident"
    reporter_name: str | None = Field(None, max_length=40)
    reporter_phone: str | None = Phone
    photos: list[str] = PhotoTokens


class StaffReportIn(ReportIn):
    """A report staff record on someone's behalf (12345 hotline or walk-in)."""

    source: Literal["hotline", "walk_in"] = "hotline"  # type: ignore[assignment]
    reporter_name: str = Field(min_length=1, max_length=40)
    location_source: Literal["map", "staff"] = "map"  # type: ignore[assignment]


class FoundIn(ReportIn):
    """A patroller's own finding; `fixed` closes it on the spot with a result."""

    source: Literal["patroller"] = "patroller"  # type: ignore[assignment]
    fixed: bool = False
    result_note: str | None = Field(None, max_length=2000)
    result_photos: list[str] = PhotoTokens


class ReportCreated(BaseModel):
    id: int
    status: str
    tracking_token: str
    tracking_url: str
    grid_id: int | None
    community_id: int | None
    street_id: int | None
    duplicates: list[int] = []


class CategoryIn(BaseModel):
    code: str = Field(min_length=2, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1, max_length=40)
    name_en: str = Field(min_length=1, max_length=60)
    department_id: int | None = None
    deadline_hours: int = Field(ge=1, le=24 * 30)
    active: bool = True


class CategoryPatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=40)
    name_en: str | None = Field(None, min_length=1, max_length=60)
    department_id: int | None = None
    deadline_hours: int | None = Field(None, ge=1, le=24 * 30)
    active: bool | None = None


class CategoryOut(BaseModel):
    code: str
    name: str
    name_en: str
    department_id: int | None = None
    deadline_hours: int
    active: bool = True


class NoteIn(BaseModel):
    note: str | None = Field(None, max_length=1000)


class RejectIn(BaseModel):
    reason: str = Field(min_length=2, max_length=500)


class MergeIn(BaseModel):
    into_id: int = Field(ge=1)
    note: str | None = Field(None, max_length=1000)


class ResolveIn(BaseModel):
    note: str = Field(min_length=2, max_length=2000)
    photos: list[str] = Field(min_length=1, max_length=9)


class RevisitIn(BaseModel):
    satisfaction: int = Field(ge=1, le=5)
    note: str | None = Field(None, max_length=1000)


class StepOut(BaseModel):
    at: datetime
    action: str
    from_status: str | None
    to_status: str
    actor: str
    note: str | None
    data: dict


class Changed(BaseModel):
    """What a lifecycle action answers: the new status and version (the ETag)."""

    id: int
    status: str
    version: int
    deadline_at: datetime | None = None
    assignee_worker_id: int | None = None
    assignee_department_id: int | None = None
