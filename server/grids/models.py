"""The grid hierarchy: county → street → community → grid → micro-grid."""

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, Computed, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import multipolygon, timestamp_now

LEVELS = ("county", "street", "community", "grid", "micro")
KINDS = ("comprehensive", "dedicated")
DEDICATED_TYPES = ("school", "hospital", "market", "business", "industrial")


class Grid(Base):
    """One cell of the hierarchy; comprehensive cells tile their parent."""

    __tablename__ = "grids"
    __table_args__ = (
        CheckConstraint(f"level IN {LEVELS}", name="level"),
        CheckConstraint(f"kind IN {KINDS}", name="kind"),
        CheckConstraint(
            f"(kind = 'dedicated') = (dedicated_type IN {DEDICATED_TYPES})"
            " OR (kind = 'comprehensive' AND dedicated_type IS NULL)",
            name="dedicated_type",
        ),
        Index("ix_grids_parent_level", "parent_id", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str | None] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(16), server_default="comprehensive")
    dedicated_type: Mapped[str | None] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    geom = mapped_column(multipolygon(), nullable=False)
    geom_3857 = mapped_column(
        Geometry("MULTIPOLYGON", srid=3857, spatial_index=True),
        Computed("ST_Transform(geom, 3857)", persisted=True),
    )
    label = mapped_column(
        Geometry("POINT", srid=4326, spatial_index=False),
        Computed("ST_PointOnSurface(geom)", persisted=True),
    )
    created_at: Mapped[datetime] = timestamp_now()
