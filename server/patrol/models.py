"""Raw position fixes, partitioned by day, and the devices refused for being unknown."""

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import point, timestamp_now


class Position(Base):
    """One fix from a worker's device; daily partitions are made by ensure_partitions().

    `flags` holds the FLAG_* bits of server.patrol.filters."""

    __tablename__ = "positions"
    __table_args__ = {"postgresql_partition_by": "RANGE (fix_time)"}

    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), primary_key=True)
    fix_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    geom = mapped_column(point(), nullable=False)
    grid_id: Mapped[int | None] = mapped_column(Integer)
    accuracy: Mapped[float | None] = mapped_column(Float)
    speed: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    altitude: Mapped[float | None] = mapped_column(Float)
    battery: Mapped[int | None] = mapped_column(SmallInteger)
    flags: Mapped[int] = mapped_column(SmallInteger, server_default=text("0"))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                  server_default=text("now()"))


class UnknownDevice(Base):
    """A device id that sent positions without being registered to an active worker."""

    __tablename__ = "unknown_devices"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(8))  # osmand | api
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    first_seen: Mapped[datetime] = timestamp_now()
    last_seen: Mapped[datetime] = timestamp_now()
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("1"))
