"""One grid on its own: type, vertices, CRS and lon/lat order, validity, closed rings, size.

A check never raises for a bad grid; it lists violations, each with the spot to draw. The
vertex count is checked before any heavy work, so a 100,000-vertex polygon costs nothing.
"""

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.coords import is_outside_china
from geo.metric import area_m2
from geo.plan_types import LIMITS, Limits, Violation, measure, violation
from geo.tiles import EARTH_RADIUS_M
from geo.validate import explain_invalid_at

_DEGENERATE_M2 = 1e-4  # a polygon whose every vertex lies within a 1 cm² hull has no area


def check_grid(
    geom: BaseGeometry | Mapping[str, Any] | None,
    *,
    limits: Limits = LIMITS,
    key: Hashable | None = None,
) -> list[Violation]:
    """List what is wrong with one grid polygon (shapely or GeoJSON) on its own.

    >>> check_grid(shapely.box(104.06, 30.66, 104.061, 30.661))
    []
    >>> [v.code for v in check_grid(shapely.Point(104.06, 30.66), key="A")]
    ['geometry_type']
    """
    if geom is None:
        return [violation("empty", "没有几何。", "has no geometry.", key=key)]
    if isinstance(geom, Mapping):
        parsed, found = _from_geojson(geom, limits, key)
        if parsed is None:
            return found
        geom = parsed
    return _check_shape(geom, limits, key)


def _from_geojson(
    obj: Mapping[str, Any], limits: Limits, key: Hashable | None
) -> tuple[BaseGeometry | None, list[Violation]]:
    """Parse a GeoJSON geometry, refusing open rings and counting vertices before building."""
    if obj.get("type") not in ("Polygon", "MultiPolygon"):
        kind = obj.get("type")
        return None, [
            violation(
                "geometry_type", f"需要面（Polygon），收到的是 {kind}。",
                f"must be a Polygon; got a {kind}.", key=key, where=_shape_or_none(obj),
            )
        ]
    try:
        coords = obj["coordinates"]
        polygons = [coords] if obj["type"] == "Polygon" else list(coords)
        rings = [list(ring) for polygon in polygons for ring in polygon]
        count = sum(len(ring) - 1 for ring in rings)
        if count > limits.max_vertices:
            return None, [too_many_vertices(count, limits, key)]
        found = [v for index, ring in enumerate(rings) if (v := _ring_problem(index, ring, key))]
    except (KeyError, TypeError):
        return None, [_malformed(key)]
    if found:
        return None, found
    parsed = _shape_or_none(obj)
    return (parsed, []) if parsed is not None else (None, [_malformed(key)])


def _shape_or_none(obj: Mapping[str, Any]) -> BaseGeometry | None:
    try:
        return shape(obj)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, GEOSException):
        return None


def _malformed(key: Hashable | None) -> Violation:
    return violation(
        "malformed", "的 GeoJSON 坐标结构不正确。",
        "has malformed GeoJSON coordinates.", key=key,
    )


def _ring_problem(index: int, ring: Sequence[Any], key: Hashable | None) -> Violation | None:
    try:
        positions = np.asarray(ring, dtype=np.float64)
    except ValueError:
        return _malformed(key)
    if positions.ndim != 2 or positions.shape[1] not in (2, 3):
        return _malformed(key)
    if not np.isfinite(positions).all():
        return _invalid_coordinate(key)
    if len(ring) < 4:
        return violation(
            "degenerate",
            f"的第 {index + 1} 个环只有 {len(ring)} 个点，至少需要 4 个（首尾相同）。",
            f"has {len(ring)} positions in ring {index + 1}; at least 4 are needed "
            "(the last equal to the first).", key=key,
        )
    if list(ring[0]) == list(ring[-1]):
        return None
    return violation(
        "ring_not_closed", f"的第 {index + 1} 个环未闭合：最后一个点必须与第一个点相同。",
        f"has an open ring {index + 1}: its last position must equal its first.",
        key=key, where=_shape_or_none({"type": "LineString", "coordinates": [ring[-1], ring[0]]}),
    )


def _check_shape(geom: BaseGeometry, limits: Limits, key: Hashable | None) -> list[Violation]:
    for early in (_check_type, _check_vertices, _check_coordinates):
        found = early(geom, limits, key)
        if found is not None:
            return [found]
    found_all = [v for v in (_check_multipart(geom, key), _check_degenerate(geom, key)) if v]
    if any(v.code == "degenerate" for v in found_all):
        return found_all
    invalid = _check_valid(geom, key)
    if invalid is not None:
        return [*found_all, invalid]
    size = _check_size(geom, limits, key)
    return [*found_all, size] if size else found_all


def _check_type(geom: BaseGeometry, limits: Limits, key: Hashable | None) -> Violation | None:
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return violation(
            "geometry_type",
            f"需要面（Polygon），收到的是 {geom.geom_type}。",
            f"must be a Polygon; got a {geom.geom_type}.",
            key=key,
            where=None if geom.is_empty else geom,
        )
    if geom.is_empty:
        return violation("empty", "的面为空。", "is an empty polygon.", key=key)
    return None


def _check_vertices(geom: BaseGeometry, limits: Limits, key: Hashable | None) -> Violation | None:
    # A ring repeats its first position last; that is not another vertex.
    parts = shapely.get_parts(geom)
    rings = len(parts) + int(shapely.get_num_interior_rings(parts).sum())
    count = int(shapely.get_num_coordinates(geom)) - rings
    return too_many_vertices(count, limits, key) if count > limits.max_vertices else None


def too_many_vertices(count: int, limits: Limits, key: Hashable | None) -> Violation:
    """Return the too_many_vertices violation for a vertex count over the limit.

    >>> too_many_vertices(100_000, LIMITS, "A").message_en
    'Grid A has 100,000 vertices, over the limit of 5,000; simplify it.'
    """
    return violation(
        "too_many_vertices",
        f"有 {count:,} 个顶点，超过上限 {limits.max_vertices:,}，请先简化。",
        f"has {count:,} vertices, over the limit of {limits.max_vertices:,}; simplify it.",
        key=key,
    )


def _check_coordinates(
    geom: BaseGeometry, limits: Limits, key: Hashable | None
) -> Violation | None:
    if not np.isfinite(shapely.get_coordinates(geom)).all():  # bounds skip a NaN
        return _invalid_coordinate(key)
    bounds = tuple(float(b) for b in geom.bounds)
    if max(abs(b) for b in bounds) > 360:
        return _metres(bounds, key)
    min_x, min_y, max_x, max_y = bounds
    if not _inside(min_x, min_y, max_x, max_y, limits) and _inside(
        min_y, min_x, max_y, max_x, limits
    ):
        return violation(
            "swapped_lat_lon",
            f"的经纬度看起来写反了：按 [经度, 纬度] 它应在 {min_y:.5f}, {min_x:.5f} 附近。",
            f"has latitude and longitude swapped, it seems: in [lon, lat] order it would lie "
            f"near {min_y:.5f}, {min_x:.5f}.",
            key=key,
        )
    if not (-180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90):
        return violation(
            "out_of_range", "的坐标超出范围：经度应在 [-180, 180]，纬度应在 [-90, 90]。",
            "has coordinates out of range: longitude must be in [-180, 180] and latitude "
            "in [-90, 90].", key=key,
        )
    if limits.service_area is not None and not _inside(min_x, min_y, max_x, max_y, limits):
        return violation(
            "outside_service_area", "不在服务区域内（坐标顺序为 [经度, 纬度]）。",
            "lies outside the service area (order is [lon, lat]).", key=key, where=geom,
        )
    return None


def _invalid_coordinate(key: Hashable | None) -> Violation:
    return violation(
        "invalid_coordinate", "含有无效坐标（NaN 或无穷大）。",
        "has an invalid coordinate (NaN or infinite).", key=key,
    )


def _inside(min_x: float, min_y: float, max_x: float, max_y: float, limits: Limits) -> bool:
    area = limits.service_area
    if area is None:
        return not (is_outside_china(min_x, min_y) or is_outside_china(max_x, max_y))
    return area.contains(min_x, min_y) and area.contains(max_x, max_y)


def _metres(bounds: tuple[float, ...], key: Hashable | None) -> Violation:
    x, y = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    lon = math.degrees(x / EARTH_RADIUS_M)
    lat = math.degrees(math.atan(math.sinh(y / EARTH_RADIUS_M))) if abs(y) < 4e7 else 999.0
    zh = "的坐标像是米（投影坐标），不是经纬度；需要 WGS84 [经度, 纬度]。"
    en = "has coordinates that look like metres of a projected CRS, not lon/lat degrees; "
    en += "WGS84 [lon, lat] is required."
    if -180 <= lon <= 180 and not is_outside_china(lon, lat):
        zh += f"若为 EPSG:3857（Web 墨卡托），它应在 {lon:.5f}, {lat:.5f} 附近，请先转换。"
        en += f" As EPSG:3857 (Web Mercator) it would lie near {lon:.5f}, {lat:.5f}; convert it."
    return violation("crs_metres", zh, en, key=key)


def _check_multipart(geom: BaseGeometry, key: Hashable | None) -> Violation | None:
    parts = shapely.get_num_geometries(geom)
    if geom.geom_type != "MultiPolygon" or parts <= 1:
        return None
    return violation(
        "multipart", f"由 {parts} 块互不相连的面组成，网格必须是一整块。",
        f"consists of {parts} separate parts; a grid must be one piece.", key=key, where=geom,
    )


def _check_degenerate(geom: BaseGeometry, key: Hashable | None) -> Violation | None:
    # The hull, not the polygon: a self-crossing ring's signed lobes can sum to zero area.
    hull = shapely.convex_hull(geom)
    if measure(hull)[0] >= _DEGENERATE_M2:
        return None
    return violation(
        "degenerate", "退化为线或点（面积为零）。",
        "is degenerate: it has no area (its vertices lie on a line or a point).",
        key=key, where=hull,
    )


def _check_valid(geom: BaseGeometry, key: Hashable | None) -> Violation | None:
    found = explain_invalid_at(geom)
    if found is None:
        return None
    reason, at = found
    where = geom if at is None else at
    return violation(
        "invalid_geometry", f"的几何无效：{reason[0]}。", f"is invalid: {reason[1]}.",
        key=key, where=where,
    )


def _check_size(geom: BaseGeometry, limits: Limits, key: Hashable | None) -> Violation | None:
    area = area_m2(geom)
    if area > limits.max_area_m2:
        return violation(
            "too_large", f"面积 {area:,.0f} 平方米，超过上限 {limits.max_area_m2:,.0f} 平方米。",
            f"covers {area:,.0f} m², over the limit of {limits.max_area_m2:,.0f} m².",
            key=key, where=geom,
        )
    if area < limits.min_area_m2:
        return violation(
            "too_small", f"面积 {area:,.0f} 平方米，小于下限 {limits.min_area_m2:,.0f} 平方米。",
            f"covers {area:,.0f} m², under the minimum of {limits.min_area_m2:,.0f} m².",
            key=key, where=geom,
        )
    return None
