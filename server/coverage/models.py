"""Coverage tables: street pieces per grid, the hours each was walked, and per-window totals.

`coverage_walks` is the record (piece, UTC hour, worker); `coverage_days` and
`coverage_grids` are rollups kept up to date by the same pass, so a view reads one row per
grid. Pieces are rebuilt by the SQL function gridlink_coverage_pieces() (migration 0005).
"""

from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.patrol.models import Position


class CoveragePiece(Base):
    """A piece (≤ ~25 m) of a street inside one grid (level 'grid'); a street on the border
    of two grids has a piece in each."""

    __tablename__ = "coverage_pieces"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"),
                                         index=True)
    geom = mapped_column(Geometry("LINESTRING", srid=4326, spatial_index=False),
                         nullable=False)
    geom_3857 = mapped_column(
        Geometry("LINESTRING", srid=3857, spatial_index=True),
        Computed("ST_Transform(geom, 3857)", persisted=True),
    )
    length_m: Mapped[float] = mapped_column(Float)


class CoverageWalk(Base):
    """A piece walked by a worker within a UTC hour, and when last in that hour.

    No foreign key to the piece: the rebuild empties both tables together, and the check
    would cost every insert of the pass."""

    __tablename__ = "coverage_walks"
    __table_args__ = (Index("ix_coverage_walks_hour", "hour", postgresql_using="brin"),)

    piece_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hour: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    worker_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CoverageDay(Base):
    """One grid's coverage in one window: a shift (or 'all') of a local day."""

    __tablename__ = "coverage_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    shift: Mapped[str] = mapped_column(String(16), primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    walked_m: Mapped[float] = mapped_column(Float, server_default=text("0"))
    last_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker_ids: Mapped[list[int]] = mapped_column(ARRAY(Integer), server_default=text("'{}'"))


class CoverageGrid(Base):
    """A grid's street length and when it was last walked (ever)."""

    __tablename__ = "coverage_grids"

    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"),
                                         primary_key=True)
    street_m: Mapped[float] = mapped_column(Float, server_default=text("0"))
    last_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CoverageState(Base):
    """The single watermark row: positions received up to `through` are counted; windows
    starting before `floor` (the last rebuild's replay start) are no longer updated."""

    __tablename__ = "coverage_state"
    __table_args__ = (CheckConstraint("id = 1", name="single"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    through: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    floor: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# The pass selects new fixes by arrival; BRIN is nearly free on insert (rows arrive in order).
Index("ix_positions_received_at", Position.received_at, postgresql_using="brin")
