"""Geotagged reports and their categories (the full lifecycle grows in issue 3)."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import point, timestamp_now

SOURCES = ("resident", "volunteer", "patroller", "hotline", "walk_in")
STATUSES = ("submitted", "accepted", "rejected", "merged", "dispatched", "claimed",
            "resolved", "verified", "archived")
OPEN_STATUSES = ("submitted", "accepted", "dispatched", "claimed")


class Category(Base):
    """A report category with its default department and deadline."""

    __tablename__ = "report_categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(60))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    deadline_hours: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class Report(Base):
    """A problem reported with a location; placed in its grid on intake."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(f"source IN {SOURCES}", name="source"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        Index("ix_reports_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(12))
    category_code: Mapped[str] = mapped_column(ForeignKey("report_categories.code"))
    description: Mapped[str] = mapped_column(Text)
    geom = mapped_column(point(), nullable=False)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    street_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    status: Mapped[str] = mapped_column(String(12), server_default="submitted")
    reporter_name: Mapped[str | None] = mapped_column(String(40))
    reporter_phone: Mapped[str | None] = mapped_column(String(20))
    tracking_token: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = timestamp_now()
    updated_at: Mapped[datetime] = timestamp_now()
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
