"""Our own basemap: roads, blocks and buildings (no external tiles)."""

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, Computed, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.geotypes import linestring, polygon

ROAD_CLASSES = ("arterial", "local")


class Road(Base):
    """A street centreline (served as the `streets` tile layer)."""

    __tablename__ = "roads"
    __table_args__ = (CheckConstraint(f"class IN {ROAD_CLASSES}", name="class"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    road_class: Mapped[str] = mapped_column("class", String(12))
    geom = mapped_column(linestring(), nullable=False)
    geom_3857 = mapped_column(
        Geometry("LINESTRING", srid=3857, spatial_index=True),
        Computed("ST_Transform(geom, 3857)", persisted=True),
    )


class Block(Base):
    """A city block bounded by roads."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True)
    geom = mapped_column(polygon(), nullable=False)
    geom_3857 = mapped_column(
        Geometry("POLYGON", srid=3857, spatial_index=True),
        Computed("ST_Transform(geom, 3857)", persisted=True),
    )


class Building(Base):
    """A residential building (楼栋) inside a block."""

    __tablename__ = "buildings"

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("blocks.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    floors: Mapped[int] = mapped_column(SmallInteger)
    units: Mapped[int] = mapped_column(SmallInteger)
    geom = mapped_column(polygon(), nullable=False)
