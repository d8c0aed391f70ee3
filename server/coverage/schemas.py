"""API shapes of patrol coverage."""

from datetime import date, datetime

from pydantic import BaseModel, Field


class CoverageWorker(BaseModel):
    id: int
    name: str


class GridCoverage(BaseModel):
    """One grid in a window: share of its street length walked, and by whom."""

    grid_id: int
    code: str
    name: str
    kind: str
    community_id: int | None
    community_name: str | None
    street_m: float
    walked_m: float
    share: float | None = Field(description="walked_m / street_m, 0–1; null without streets")
    patrolled: bool
    last_patrolled_at: datetime | None = Field(description="latest walk of the grid, ever")
    hours_since: float | None = Field(description="hours from last_patrolled_at to now")
    workers: list[CoverageWorker]


class CoverageOut(BaseModel):
    day: date
    shift: str
    from_: datetime = Field(alias="from")
    to: datetime
    computed_through: datetime | None = Field(description="fixes received up to here count")
    grids: list[GridCoverage]

    model_config = {"populate_by_name": True}


class NotPatrolled(BaseModel):
    grid_id: int
    code: str
    name: str
    street_m: float
    last_patrolled_at: datetime | None
    hours_since: float | None


class CommunityReport(BaseModel):
    id: int
    code: str
    name: str
    grids_total: int
    patrolled_count: int
    not_patrolled: list[NotPatrolled]


class ReportOut(BaseModel):
    """The grids of each community not patrolled on a local day (shift 'all')."""

    day: date
    communities: list[CommunityReport]
