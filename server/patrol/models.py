"""Raw position fixes, partitioned by day."""

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import point


class Position(Base):
    """One fix from a worker's device; daily partitions are made by ensure_partitions()."""

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
    flags: Mapped[int] = mapped_column(SmallInteger, server_default=text("0"))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                  server_default=text("now()"))
