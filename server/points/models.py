"""The points ledger: every change is a row; the balance is their sum."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import timestamp_now

REASONS = ("valid_report", "redeem")


class PointsEntry(Base):
    """+10 for a valid report (once per report), a negative entry per redemption."""

    __tablename__ = "points_ledger"
    __table_args__ = (
        CheckConstraint(f"reason IN {REASONS}", name="reason"),
        Index("uq_points_ledger_valid_report", "report_id", unique=True,
              postgresql_where=text("reason = 'valid_report'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(200))
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = timestamp_now()
