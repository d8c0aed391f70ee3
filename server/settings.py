"""Settings, validated once at start-up (GRIDLINK_ prefix)."""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_FILE = "secret_key"


class Settings(BaseSettings):
    """Everything the server reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="GRIDLINK_", extra="ignore")

    env: Literal["dev", "test", "production"] = "dev"
    database_url: str | None = None
    var_dir: Path = ROOT / "var"
    pg_bin: Path = Path("/usr/lib/postgresql/15/bin")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    secret_key: str = ""
    token_ttl_minutes: int = Field(12 * 60, ge=1, le=60 * 24 * 30)
    demo: bool = True
    deployment_name: str = "锦城街道网格化联动指挥中心"
    deployment_name_en: str = "Jincheng Street Grid Command Center"
    event_retention_hours: int = Field(72, ge=1)
    ticker: bool = True  # background work (deadlines, alerts, retention); tests drive it by hand
    position_coalesce_ms: int = Field(1000, ge=50, le=10_000)
    position_retention_days: int = Field(180, ge=1, le=3650)  # older daily partitions dropped
    max_bbox_span_deg: float = Field(2.0, gt=0, le=360)
    web_dir: Path = ROOT / "web"

    @model_validator(mode="after")
    def _secret(self) -> "Settings":
        if self.secret_key:
            if len(self.secret_key) < 32:
                raise ValueError("GRIDLINK_SECRET_KEY must be at least 32 characters")
            return self
        if self.env == "production":
            raise ValueError("GRIDLINK_SECRET_KEY must be set outside dev and test")
        self.secret_key = _dev_secret(self.var_dir)
        return self


def _dev_secret(var_dir: Path) -> str:
    """A random secret kept under var/ so every worker process shares it."""
    path = var_dir / DEV_SECRET_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
