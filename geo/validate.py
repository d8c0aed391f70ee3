"""Checks that a polygon from a person is usable: closed rings, valid, not too big."""

import re
from collections.abc import Sequence

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoInputError
from geo.metric import area_m2

# GEOS reasons as shapely.is_valid_reason spells them, in Chinese.
_REASONS_ZH = {
    "Self-intersection": "边界自相交",
    "Ring Self-intersection": "环自相交",
    "Too few points": "点数过少",
    "Hole lies outside shell": "内洞位于外环之外",
    "Nested holes": "内洞相互嵌套",
    "Nested shells": "外环相互嵌套",
    "Interior is disconnected": "内部不连通",
    "Duplicate Rings": "存在重复的环",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "环未闭合",
}
_REASON_RE = re.compile(r"^(?P<what>[^\[]+?)\s*(\[(?P<where>[^\]]*)\])?$")
_LOCATION_RE = re.compile(r"\[(?P<x>[-+\d.eE]+) (?P<y>[-+\d.eE]+)")


def explain_invalid(geom: BaseGeometry) -> tuple[str, str] | None:
    """Return (Chinese, English) reasons with location why ``geom`` is invalid, or None.

    >>> explain_invalid(shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)]))[1]
    'Self-intersection at [1 1]'
    """
    reason = _invalid_reason(geom)
    return None if reason is None else _explain(reason)


def explain_invalid_at(geom: BaseGeometry) -> tuple[tuple[str, str], Point | None] | None:
    """Return explain_invalid's reasons and the point GEOS names (None if it names none).

    >>> explain_invalid_at(shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)]))[1].wkt
    'POINT (1 1)'
    """
    reason = _invalid_reason(geom)
    if reason is None:
        return None
    match = _LOCATION_RE.search(reason)
    at = Point(float(match["x"]), float(match["y"])) if match else None
    return _explain(reason), at


def _invalid_reason(geom: BaseGeometry) -> str | None:
    return None if shapely.is_valid(geom) else shapely.is_valid_reason(geom)


def _explain(reason: str) -> tuple[str, str]:
    match = _REASON_RE.match(reason)
    what = match.group("what") if match else "Invalid geometry"
    where = match.group("where") if match else None
    zh = _REASONS_ZH.get(what, what)
    if where:
        return f"{zh}，位置 [{where}]", f"{what} at [{where}]"
    return zh, what


def _geometry_error(code: str, zh: str, en: str, field: str | None) -> GeoInputError:
    return GeoInputError(code, message_zh=zh, message_en=en, field=field)


def check_rings_closed(
    rings: Sequence[Sequence[Sequence[float]]], *, field: str | None = "coordinates"
) -> None:
    """Refuse GeoJSON polygon rings that are not closed or have fewer than 4 positions.

    >>> check_rings_closed([[[0, 0], [1, 0], [1, 1], [0, 0]]])
    """
    for index, ring in enumerate(rings):
        if len(ring) < 4:
            raise _geometry_error(
                "ring_too_few_points",
                f"第 {index + 1} 个环只有 {len(ring)} 个点，至少需要 4 个（首尾相同）。",
                f"Ring {index + 1} has {len(ring)} positions; at least 4 are needed.",
                field,
            )
        if list(ring[0]) != list(ring[-1]):
            raise _geometry_error(
                "ring_not_closed",
                f"第 {index + 1} 个环未闭合：最后一个点必须与第一个点相同。",
                f"Ring {index + 1} is not closed: the last position must equal the first.",
                field,
            )


def check_polygon(
    geom: BaseGeometry,
    *,
    max_vertices: int = 10_000,
    max_area_m2: float | None = None,
    field: str | None = "geometry",
) -> None:
    """Refuse a geometry that is not a valid, non-empty (multi)polygon within the limits.

    >>> check_polygon(shapely.box(104.06, 30.66, 104.061, 30.661), max_area_m2=1e6)
    """
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise _geometry_error(
            "geometry_type",
            f"需要面（Polygon 或 MultiPolygon），收到 {geom.geom_type}。",
            f"A Polygon or MultiPolygon is required, got {geom.geom_type}.",
            field,
        )
    if geom.is_empty:
        raise _geometry_error("geometry_empty", "面不能为空。", "The polygon is empty.", field)
    vertices = int(shapely.get_num_coordinates(geom))
    if vertices > max_vertices:
        raise _geometry_error(
            "too_many_vertices",
            f"面有 {vertices} 个顶点，超过上限 {max_vertices}，请先简化。",
            f"The polygon has {vertices} vertices, over the limit of {max_vertices}; simplify it.",
            field,
        )
    reason = explain_invalid(geom)
    if reason is not None:
        raise _geometry_error(
            "geometry_invalid", f"面无效：{reason[0]}。", f"Invalid polygon: {reason[1]}.", field
        )
    if max_area_m2 is not None and (area := area_m2(geom)) > max_area_m2:
        raise _geometry_error(
            "geometry_too_large",
            f"面积 {area:,.0f} 平方米，超过上限 {max_area_m2:,.0f} 平方米。",
            f"The area is {area:,.0f} m², over the limit of {max_area_m2:,.0f} m².",
            field,
        )
