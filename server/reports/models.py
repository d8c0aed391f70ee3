"""Geotagged reports, their categories, reporters and the timeline of each report."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import point, timestamp_now

SOURCES = ("resident", "volunteer", "patroller", "hotline", "walk_in")
STATUSES = ("submitted", "accepted", "rejected", "merged", "dispatched", "claimed",
            "resolved", "verified", "archived")
OPEN_STATUSES = ("submitted", "accepted", "dispatched", "claimed")
LOCATION_SOURCES = ("device", "map", "exif", "staff")
DUE_KINDS = ("warn", "overdue", "claim_window")


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
        Index("ix_reports_due_at", "due_at", postgresql_where=text("due_at IS NOT NULL")),
        CheckConstraint(f"location_source IN {LOCATION_SOURCES}", name="location_source"),
        CheckConstraint(f"due_kind IS NULL OR due_kind IN {DUE_KINDS}", name="due_kind"),
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5",
                        name="satisfaction"),
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
    # the closed loop
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"), index=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    address: Mapped[str | None] = mapped_column(String(200))
    location_source: Mapped[str] = mapped_column(String(8), server_default="device")
    assignee_worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"), index=True)
    assignee_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    pool_grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalation_level: Mapped[int] = mapped_column(SmallInteger, server_default=text("0"))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_kind: Mapped[str | None] = mapped_column(String(16))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))


class Reporter(Base):
    """A resident or volunteer known by phone number: earns points, follows reports."""

    __tablename__ = "reporters"
    __table_args__ = (CheckConstraint("kind IN ('resident', 'volunteer')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10), server_default="resident")
    created_at: Mapped[datetime] = timestamp_now()


class ReportStep(Base):
    """One line of a report's timeline: who did what, when, from which status to which."""

    __tablename__ = "report_steps"
    __table_args__ = (Index("ix_report_steps_report_at", "report_id", "at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    at: Mapped[datetime] = timestamp_now()
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"))
    actor_label: Mapped[str] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
