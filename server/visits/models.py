"""The household_visits table: one row per check-in at a household (入户走访)."""

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import SRID, timestamp_now

NOTE_MAX = 500


class HouseholdVisit(Base):
    """A worker checked in at a household: where they stood and how far from it."""

    __tablename__ = "household_visits"
    __table_args__ = (
        CheckConstraint(f"char_length(note) <= {NOTE_MAX}", name="note_length"),
        CheckConstraint("distance_m >= 0", name="distance"),
        Index("ix_household_visits_household_visited", "household_id",
              text("visited_at DESC")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"))
    visited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # where the worker stood; nothing reads it spatially, so no GiST index
    geom = mapped_column(Geometry("POINT", srid=SRID, spatial_index=False), nullable=False)
    accuracy: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = timestamp_now()
