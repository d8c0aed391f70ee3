"""Stored responses of requests sent with an Idempotency-Key."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import timestamp_now


class IdempotencyKey(Base):
    """The first response to (scope, key); a retry gets it again, a different body a 409."""

    __tablename__ = "idempotency_keys"

    scope: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSONB)
    created_at: Mapped[datetime] = timestamp_now()
