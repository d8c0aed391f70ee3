"""Grid red stations (网格红色驿站) and their duty rota."""

from datetime import datetime

from sqlalchemy import ARRAY, CheckConstraint, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import point, timestamp_now


class Station(Base):
    """A service point with opening hours, services and functional areas."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    geom = mapped_column(point(), nullable=False)
    address: Mapped[str] = mapped_column(String(120))
    services: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    areas: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    opening_hours: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = timestamp_now()


class StationDuty(Base):
    """Which worker is on duty at a station on which weekday (1 = Monday)."""

    __tablename__ = "station_duties"
    __table_args__ = (CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday"),)

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"),
                                            primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), primary_key=True)
    weekday: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
