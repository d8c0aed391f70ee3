"""API shapes of household visits."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from server.households.schemas import CareCounts
from server.reports.schemas import CoordSys
from server.visits.models import NOTE_MAX

CareColor = Literal["red", "orange", "yellow", "blue", "green"]


class VisitIn(BaseModel):
    """A check-in: the household and where the worker stands now."""

    household_id: int = Field(ge=1, le=2**31 - 1)
    lon: float = Field(description="longitude of the worker's position")
    lat: float = Field(description="latitude of the worker's position")
    coord_sys: CoordSys = "wgs84"
    accuracy: float | None = Field(None, ge=0, le=100_000, description="metres")
    note: str | None = Field(None, max_length=NOTE_MAX)


class VisitOut(BaseModel):
    id: int
    household_id: int
    visited_at: datetime
    distance_m: float
    next_due_at: datetime


class DueHousehold(BaseModel):
    """A household of the grid with its visit target; name and address masked."""

    household_id: int
    grid_id: int
    name: str
    address: str
    care_color: CareColor
    lon: float
    lat: float
    every_days: int
    last_visited_at: datetime | None
    due_at: datetime
    overdue: bool
    overdue_days: int
    distance_m: float | None = None


class GridOverdue(BaseModel):
    """Overdue visits of one grid, per care color."""

    grid_id: int
    code: str
    name: str
    name_en: str | None
    community_id: int | None
    community_name: str | None
    community_name_en: str | None
    households: int
    overdue_total: int
    overdue_by_color: CareCounts
    visited_7d: int
