"""Turning what a planner sent into shapes the edits can use, or a 422 naming the problem.

A polygon is judged by geo.plan.check_grid before anything is built from it: the vertex
count first (a 100,000-vertex polygon costs nothing), then type, rings, CRS and lon/lat
order, validity with the spot. Only a size outside the limits is let through, for the
plan check to report with the rest.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.plan import Limits, PlanCheck, check_grid, snap
from server.errors import InvalidInput
from server.planning.shapes import single

SNAP_M = 3.0
_NEAR_DEG = 1e-4  # about 10 m: neighbours this close are snapped to
_SIZE_CODES = frozenset({"too_small", "too_large"})


def polygon(geometry: Mapping[str, Any], *, key: str, lim: Limits) -> BaseGeometry:
    """The GeoJSON polygon as shapely, or 422 with every violation as a feature."""
    found = [v for v in check_grid(geometry, limits=lim, key=key) if v.code not in _SIZE_CODES]
    if found:
        first = found[0]
        raise InvalidInput(first.message_zh, first.message_en, code=first.code,
                           field="geometry",
                           extra={"violations": PlanCheck(violations=found)
                                  .to_feature_collection()})
    return single(shapely.force_2d(shape(geometry)))


def line(geometry: Mapping[str, Any]) -> BaseGeometry:
    """The drawn cutting line as shapely (geo.plan.split judges whether it cuts)."""
    kind = geometry.get("type")
    if kind != "LineString":
        raise InvalidInput(f"切分线需要是一条线（LineString），收到 {kind}",
                           f"The cutting line must be a LineString, got a {kind}",
                           code="split_line_type", field="line")
    try:
        drawn = shape(geometry)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError,
            shapely.errors.GEOSException) as exc:
        raise InvalidInput("切分线的 GeoJSON 坐标结构不正确", "The cutting line has malformed "
                           "GeoJSON coordinates", code="malformed", field="line") from exc
    if not np.isfinite(shapely.get_coordinates(drawn)).all():
        raise InvalidInput("切分线含有无效坐标", "The cutting line has an invalid coordinate",
                           code="invalid_coordinate", field="line")
    return shapely.force_2d(drawn)


def snapped(grid: BaseGeometry, *, neighbours: Sequence[BaseGeometry],
            parent: BaseGeometry) -> BaseGeometry:
    """The grid with vertices within 3 m of a neighbour or the parent's edge moved onto it."""
    near = [g for g in neighbours if shapely.dwithin(g, grid, _NEAR_DEG)]
    return snap(grid, to=[*near, parent], tolerance_m=SNAP_M)
