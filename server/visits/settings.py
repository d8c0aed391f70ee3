"""Settings of household visits (GRIDLINK_VISIT_ prefix), validated once.

GRIDLINK_VISIT_RADIUS_M (default 50) and GRIDLINK_VISIT_EVERY_DAYS__RED=7, __ORANGE=14,
__YELLOW=30, __BLUE=90, __GREEN=180 (or GRIDLINK_VISIT_EVERY_DAYS='{"red": 5}').
"""

from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Care colors in priority order: red needs the closest attention (五色管理).
from server.households.models import CARE_COLORS as COLORS


class EveryDays(BaseModel):
    """Days between visits per care color."""

    red: int = Field(7, ge=1, le=3650)
    orange: int = Field(14, ge=1, le=3650)
    yellow: int = Field(30, ge=1, le=3650)
    blue: int = Field(90, ge=1, le=3650)
    green: int = Field(180, ge=1, le=3650)


class VisitSettings(BaseSettings):
    """How near a check-in must be and how often each care color is visited."""

    model_config = SettingsConfigDict(env_prefix="GRIDLINK_VISIT_", env_nested_delimiter="__",
                                      extra="ignore")

    radius_m: float = Field(50.0, gt=0, le=1000)
    every_days: EveryDays = EveryDays()

    def targets(self) -> "Targets":
        """The visit targets these settings describe."""
        return Targets(radius_m=self.radius_m, every_days=self.every_days.model_dump())


@dataclass(frozen=True)
class Targets:
    """Check-in radius in metres and days between visits per care color."""

    radius_m: float = 50.0
    every_days: dict[str, int] = field(default_factory=lambda: EveryDays().model_dump())

    def days(self, color: str) -> int:
        """Days between visits for a care color."""
        return self.every_days[color]

    def params(self) -> dict[str, list]:
        """The targets as bound array parameters of the visit SQL (priority order)."""
        return {"colors": list(COLORS), "days": [self.days(c) for c in COLORS],
                "ranks": list(range(len(COLORS)))}


@lru_cache
def visit_targets() -> Targets:
    """The process-wide visit targets (read once)."""
    return VisitSettings().targets()
