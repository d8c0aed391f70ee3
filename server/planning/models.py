"""Draft plans of the grid map, their grids, and every published version of every grid."""

from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import multipolygon, timestamp_now

PLAN_STATUSES = ("draft", "published", "discarded")
ACTIONS = ("keep", "change", "new", "retire")


class Plan(Base):
    """A draft of changes to the grids under one street or community; its version is the
    ETag every edit must name."""

    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint(f"status IN {PLAN_STATUSES}", name="status"),
        Index("ix_plans_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    scope_id: Mapped[int] = mapped_column(ForeignKey("grids.id"))
    status: Mapped[str] = mapped_column(String(12), server_default="draft")
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = timestamp_now()
    updated_at: Mapped[datetime] = timestamp_now()
    effective_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # {grid id: version} of the grids copied in; publishing refuses if any has moved on.
    base: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    new_keys: Mapped[int] = mapped_column(Integer, server_default=text("0"))  # n1, n2 …


class PlanGrid(Base):
    """One grid of a draft: a copy of a living grid (key = its id) or a new one ('n1' …)."""

    __tablename__ = "plan_grids"
    __table_args__ = (
        CheckConstraint(f"action IN {ACTIONS}", name="action"),
        CheckConstraint("kind IN ('comprehensive', 'dedicated')", name="kind"),
    )

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"),
                                         primary_key=True)
    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True)
    action: Mapped[str] = mapped_column(String(8), server_default="keep")
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str | None] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(16))
    dedicated_type: Mapped[str | None] = mapped_column(String(16))
    parent_id: Mapped[int] = mapped_column(ForeignKey("grids.id"))
    geom = mapped_column(multipolygon(), nullable=False)
    head_worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"))
    worker_ids: Mapped[list[int] | None] = mapped_column(ARRAY(Integer))


class GridVersion(Base):
    """One version of one grid and when it was the map (written by triggers on grids)."""

    __tablename__ = "grid_versions"
    __table_args__ = (Index("ix_grid_versions_valid", "valid_from", "valid_to"),)

    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"),
                                         primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str | None] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(16))
    dedicated_type: Mapped[str | None] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(Integer)
    geom = mapped_column(multipolygon(), nullable=False)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
