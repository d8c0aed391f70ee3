"""API shapes of track playback: one worker's fixes, line and stops for a local day."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class TrackWorker(BaseModel):
    id: int
    name: str
    role: str


class TrackFix(BaseModel):
    t: datetime
    lon: float
    lat: float
    speed: float | None
    accuracy: float | None
    grid_id: int | None
    flags: int


class TrackStop(BaseModel):
    start: datetime
    end: datetime
    minutes: float
    lon: float
    lat: float
    grid_id: int | None


class Track(BaseModel):
    """Fixes in time order; `line` leaves out impossible jumps and is simplified."""

    worker: TrackWorker
    date: date
    fixes: list[TrackFix]
    line: dict[str, Any] | None
    stops: list[TrackStop]
    distance_m: float
    duration_s: float
    grids_visited: list[int]
    truncated: bool = False
