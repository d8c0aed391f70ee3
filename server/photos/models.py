"""Photo rows: re-encoded JPEG and thumbnail bytes, never the original EXIF."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import timestamp_now

KINDS = ("intake", "result")


class Photo(Base):
    """An uploaded photo; attached to a report (and a timeline step) once used."""

    __tablename__ = "photos"
    __table_args__ = (CheckConstraint(f"kind IN {KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                                  index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("report_steps.id"))
    kind: Mapped[str] = mapped_column(String(8), server_default="intake")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    exif_lon: Mapped[float | None] = mapped_column(Float)
    exif_lat: Mapped[float | None] = mapped_column(Float)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    thumb: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = timestamp_now()
