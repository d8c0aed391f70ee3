"""API shapes of alerts."""

from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

Status = Literal["open", "acknowledged", "closed"]


class SosIn(BaseModel):
    """Where the caller is; without lon/lat their latest known position is used."""

    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    note: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def both_or_neither(self) -> Self:
        if (self.lon is None) != (self.lat is None):
            raise ValueError("give both lon and lat, or neither")
        return self


class NoteIn(BaseModel):
    note: str | None = Field(None, max_length=500)


class AlertOut(BaseModel):
    id: int
    kind: Literal["outside_grid", "offline", "sos"]
    status: Status
    priority: Literal["high", "normal"]
    worker_id: int
    worker_name: str
    grid_id: int | None
    lon: float | None
    lat: float | None
    started_at: datetime
    raised_at: datetime
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    closed_at: datetime | None
    note: str | None
