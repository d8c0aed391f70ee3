"""The events outbox: every change others must see, in seq order."""

from datetime import datetime

from sqlalchemy import ARRAY, BigInteger, Index, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import timestamp_now


class Event(Base):
    """One outbox row; its seq is carried by pg_notify and resumed from by clients."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_created_at", "created_at"),)

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    grid_ids: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list)
    payload: Mapped[dict] = mapped_column(JSONB)
    created_at: Mapped[datetime] = timestamp_now()
