"""Settings of position ingest (GRIDLINK_POSITION_ prefix), validated once."""

from datetime import timedelta
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from server.patrol.filters import Rules


class IngestSettings(BaseSettings):
    """Filter thresholds: GRIDLINK_POSITION_POOR_ACCURACY_M, _MAX_SPEED_MPS, _MAX_FUTURE_S."""

    model_config = SettingsConfigDict(env_prefix="GRIDLINK_POSITION_", extra="ignore")

    poor_accuracy_m: float = Field(100.0, gt=0, le=100_000)
    max_speed_mps: float = Field(50.0, gt=0, le=1000)
    max_future_s: int = Field(300, ge=0, le=86_400)

    def rules(self) -> Rules:
        """The filter thresholds these settings describe."""
        return Rules(poor_accuracy_m=self.poor_accuracy_m, max_speed_mps=self.max_speed_mps,
                     max_future=timedelta(seconds=self.max_future_s))


@lru_cache
def ingest_rules() -> Rules:
    """The process-wide filter thresholds (read once)."""
    return IngestSettings().rules()
