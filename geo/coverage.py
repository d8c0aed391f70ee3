"""Hierarchy and coverage checks: do the parts tile the whole without gaps or overlaps?

Set operations run on the lon/lat geometries as given, so a vertex on a neighbour's edge
stays on it; each resulting piece is then measured in m² about its own centroid, and pieces
below the tolerance are slivers of floating-point noise, not findings.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoInputError
from geo.metric import area_m2
from geo.validate import explain_invalid

Piece = tuple[Polygon, float]


@dataclass
class CoverageReport:
    """What is wrong with a set of parts against their whole, in lon/lat and m²."""

    gaps: list[Polygon]
    overlaps: list[tuple[int, int, Polygon]]
    gap_area_m2: float
    overlap_area_m2: float
    outside_area_m2: float
    outside: list[tuple[int, Polygon]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether no gap, overlap or outside piece reached the tolerance."""
        return not (self.gaps or self.overlaps or self.outside)


def _require_valid(geom: BaseGeometry, name: str) -> None:
    reason = explain_invalid(geom)
    if reason is not None:
        raise GeoInputError(
            "geometry_invalid",
            message_zh=f"{name} 的几何无效：{reason[0]}。",
            message_en=f"Geometry of {name} is invalid: {reason[1]}.",
            field=name,
        )


def _pieces(geom: BaseGeometry, tolerance_m2: float) -> list[Piece]:
    """Return the polygon pieces of ``geom`` with their m², dropping those below tolerance."""
    if isinstance(geom, Polygon):
        if geom.is_empty:
            return []
        area = area_m2(geom)
        return [(geom, area)] if area >= tolerance_m2 and area > 0 else []
    found: list[Piece] = []
    for part in getattr(geom, "geoms", ()):
        found.extend(_pieces(part, tolerance_m2))
    return found


def _overlaps(parts: np.ndarray, tolerance_m2: float) -> list[tuple[int, int, Piece]]:
    left, right = shapely.STRtree(parts).query(parts, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared_all = shapely.intersection(parts[left], parts[right])
    found: list[tuple[int, int, Piece]] = []
    for i, j, shared in zip(left, right, shared_all, strict=True):
        found.extend((int(i), int(j), piece) for piece in _pieces(shared, tolerance_m2))
    return found


def check_coverage(
    parts: Sequence[BaseGeometry], whole: BaseGeometry, *, tolerance_m2: float = 1.0
) -> CoverageReport:
    """Report gaps, pairwise overlaps and parts outside the whole, ignoring slivers.

    >>> left, right = shapely.box(0, 0, 0.01, 0.01), shapely.box(0.01, 0, 0.02, 0.01)
    >>> check_coverage([left, right], shapely.box(0, 0, 0.02, 0.01)).ok
    True
    """
    _require_valid(whole, "whole")
    for index, part in enumerate(parts):
        _require_valid(part, f"parts[{index}]")
    geoms = np.array(list(parts), dtype=object)
    gaps = _pieces(whole.difference(shapely.union_all(geoms)), tolerance_m2)
    outside = [
        (index, piece)
        for index, beyond in enumerate(shapely.difference(geoms, whole))
        for piece in _pieces(beyond, tolerance_m2)
    ]
    overlaps = _overlaps(geoms, tolerance_m2) if len(geoms) > 1 else []
    return CoverageReport(
        gaps=[polygon for polygon, _ in gaps],
        overlaps=[(i, j, polygon) for i, j, (polygon, _) in overlaps],
        gap_area_m2=sum((area for _, area in gaps), 0.0),
        overlap_area_m2=sum((area for _, _, (_, area) in overlaps), 0.0),
        outside_area_m2=sum((area for _, (_, area) in outside), 0.0),
        outside=[(i, polygon) for i, (polygon, _) in outside],
    )


def tiles_exactly(
    parts: Sequence[BaseGeometry], whole: BaseGeometry, *, tolerance_m2: float = 1.0
) -> bool:
    """Tell whether the parts cover the whole with no gap, overlap or overhang.

    >>> tiles_exactly([shapely.box(0, 0, 0.01, 0.01)], shapely.box(0, 0, 0.02, 0.01))
    False
    """
    return check_coverage(parts, whole, tolerance_m2=tolerance_m2).ok


def assert_contains(
    child: BaseGeometry, parent: BaseGeometry, *, tolerance_m2: float = 1.0
) -> bool:
    """Tell whether ``child`` lies inside ``parent``, up to slivers below the tolerance.

    >>> assert_contains(shapely.box(0, 0, 0.01, 0.01), shapely.box(0, 0, 0.02, 0.01))
    True
    """
    _require_valid(child, "child")
    _require_valid(parent, "parent")
    return not _pieces(child.difference(parent), tolerance_m2)
