"""The grid hierarchy: county → street → community → grid → micro-grid."""

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, Computed, DateTime, ForeignKey, Index, String, column, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
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
        # Codes are unique on the current map (checkable at commit, so a publish may swap
        # two codes); a retired grid keeps its code in history.
        ExcludeConstraint((column("code"), "="), name="ex_grids_code_living", using="btree",
                          where=text("retired_at IS NULL"), deferrable=True,
                          initially="IMMEDIATE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
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
    # Kept by the triggers of migration 0007 (every version is in grid_versions).
    version: Mapped[int] = mapped_column(server_default=text("1"))
    # '-infinity' for grids that were there from the start; deferred because Python's
    # datetime cannot hold it (read it in SQL with isfinite()).
    valid_from: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("'-infinity'"), deferred=True)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
