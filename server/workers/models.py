"""Workers (一长两员 and partners), their grids, departments and latest state."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import point, timestamp_now

WORKER_ROLES = ("grid_head", "grid_worker", "police", "first_secretary", "volunteer",
                "dept_staff")
DUTIES = ("head", "member", "linked")
STATUSES = ("online", "offline")


class Department(Base):
    """A department that takes dispatched work (城管, 市场监管, 民政 …)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(80))


class Worker(Base):
    """A person in the field: grid head, grid worker, police, volunteer …"""

    __tablename__ = "workers"
    __table_args__ = (CheckConstraint(f"role IN {WORKER_ROLES}", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    device_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = timestamp_now()


class WorkerGrid(Base):
    """A worker's assignment to a grid (head, member or linked partner)."""

    __tablename__ = "worker_grids"
    __table_args__ = (
        CheckConstraint(f"duty IN {DUTIES}", name="duty"),
        Index("ix_worker_grids_grid", "grid_id"),
    )

    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"),
                                           primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), primary_key=True)
    duty: Mapped[str] = mapped_column(String(10))


class WorkerState(Base):
    """The latest known position and status per worker (upserted by ingest)."""

    __tablename__ = "worker_state"
    __table_args__ = (CheckConstraint(f"status IN {STATUSES}", name="status"),)

    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"),
                                           primary_key=True)
    geom = mapped_column(point(), nullable=False)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    fix_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(8), server_default="online")
    on_duty: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    speed: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    accuracy: Mapped[float | None] = mapped_column(Float)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=text("clock_timestamp()"),
                                                 index=True)
