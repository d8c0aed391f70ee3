"""Column types shared by the domain tables."""

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import DateTime, func
from sqlalchemy.orm import Mapped, mapped_column

SRID = 4326


def point() -> Geometry:
    """A lon/lat point column (SRID 4326, GiST indexed)."""
    return Geometry("POINT", srid=SRID, spatial_index=True)


def multipolygon() -> Geometry:
    """A lon/lat multipolygon column (SRID 4326, GiST indexed)."""
    return Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True)


def polygon() -> Geometry:
    """A lon/lat polygon column (SRID 4326, GiST indexed)."""
    return Geometry("POLYGON", srid=SRID, spatial_index=True)


def linestring() -> Geometry:
    """A lon/lat linestring column (SRID 4326, GiST indexed)."""
    return Geometry("LINESTRING", srid=SRID, spatial_index=True)


def timestamp_now() -> Mapped[datetime]:
    """A timestamptz column defaulting to now()."""
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
