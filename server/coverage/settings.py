"""Settings of patrol coverage (GRIDLINK_COVERAGE_ prefix), validated once."""

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ALL = "all"  # the whole local day, 00–24, always defined
SHIFT_RE = re.compile(r"^([a-z][a-z0-9_]{0,15})=(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Shift:
    """A daily window in local hours: [start, start + hours), possibly past midnight."""

    name: str
    start: int
    hours: int


@lru_cache(maxsize=16)
def parse_shifts(text: str) -> tuple[Shift, ...]:
    """'day=08-20,night=20-08' → shifts; 'all' (00–24) comes first and is implied. Parsed
    once per text: validating the settings and every shift_list() share the result.

    >>> [(s.name, s.start, s.hours) for s in parse_shifts("day=08-20,night=20-08")]
    [('all', 0, 24), ('day', 8, 12), ('night', 20, 12)]
    """
    shifts = [Shift(ALL, 0, 24)]
    for part in filter(None, (p.strip() for p in text.split(","))):
        m = SHIFT_RE.match(part)
        if not m:
            raise ValueError(f"shift {part!r}: write name=HH-HH, e.g. day=08-20")
        name, start, end = m.group(1), int(m.group(2)), int(m.group(3))
        if name in {s.name for s in shifts} or not (0 <= start < 24 and 0 <= end <= 24) \
                or start == end % 24:
            raise ValueError(f"shift {part!r}: a new name, hours 0–24, start ≠ end")
        shifts.append(Shift(name, start, (end - start) % 24 or 24))
    return tuple(shifts)


class CoverageSettings(BaseSettings):
    """GRIDLINK_COVERAGE_RADIUS_M, _SHIFTS, _GAP_S, _LAG_S, _WINDOW_DAYS, _CHUNK_S, _KEEP_DAYS."""

    model_config = SettingsConfigDict(env_prefix="GRIDLINK_COVERAGE_", extra="ignore")

    radius_m: float = Field(30.0, gt=0, le=500)  # a street piece this near the track is walked
    shifts: str = "day=08-20,night=20-08"  # local time (UTC+8)
    gap_s: int = Field(300, ge=1, le=3600)  # consecutive fixes further apart are not joined
    lag_s: int = Field(5, ge=0, le=600)  # fixes received this recently wait for the next pass
    window_days: int = Field(2, ge=1, le=30)  # how late a fix may arrive and still count
    # a worker's steps within this many seconds are matched as one line in one index probe;
    # a walk's time is the chunk's last fix. Divides the hour; at most gap_s.
    chunk_s: int = Field(300, ge=10, le=3600)
    # walks older than this are dropped (the per-window totals stay); a pass still needs
    # those of the windows late fixes may reach
    keep_days: int = Field(14, ge=3, le=3660)

    @field_validator("shifts")
    @classmethod
    def _shifts(cls, v: str) -> str:
        parse_shifts(v)
        return v

    @model_validator(mode="after")
    def _chunk(self) -> "CoverageSettings":
        if 3600 % self.chunk_s or self.chunk_s > self.gap_s:
            raise ValueError("GRIDLINK_COVERAGE_CHUNK_S must divide 3600 and be at most _GAP_S")
        if self.keep_days < self.window_days + 2:
            raise ValueError("GRIDLINK_COVERAGE_KEEP_DAYS must exceed _WINDOW_DAYS + 1")
        return self

    def shift_list(self) -> tuple[Shift, ...]:
        """'all' and the configured shifts."""
        return parse_shifts(self.shifts)

    @property
    def gap(self) -> timedelta:
        return timedelta(seconds=self.gap_s)


@lru_cache
def coverage_settings() -> CoverageSettings:
    """The process-wide coverage settings (read once)."""
    return CoverageSettings()
