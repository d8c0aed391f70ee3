"""Households and the five-color care ledger (五色管理台账). Sensitive data."""

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import ARRAY, CheckConstraint, Computed, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from geo.load import CARE_COLORS
from server.db import Base
from server.geotypes import point, timestamp_now


class Household(Base):
    """One household at an address in a building, with its care color."""

    __tablename__ = "households"
    __table_args__ = (CheckConstraint(f"care_color IN {CARE_COLORS}", name="care_color"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    address: Mapped[str] = mapped_column(String(120))
    unit: Mapped[int] = mapped_column(SmallInteger)
    room: Mapped[str] = mapped_column(String(10))
    head_name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(20))
    residents: Mapped[int] = mapped_column(SmallInteger)
    care_color: Mapped[str] = mapped_column(String(8))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(24)), default=list)
    geom = mapped_column(point(), nullable=False)
    geom_3857 = mapped_column(
        Geometry("POINT", srid=3857, spatial_index=True),
        Computed("ST_Transform(geom, 3857)", persisted=True),
    )
    created_at: Mapped[datetime] = timestamp_now()
