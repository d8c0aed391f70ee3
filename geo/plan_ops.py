"""Grid edits: split along a drawn line, merge neighbours, snap to neighbours and streets.

Edits work on lon/lat as given, so vertices they do not move stay bit-for-bit what they
were and keep matching the neighbours'; distances and tolerances are in metres through a
local projection about the edited grid. Bad input raises GeoInputError naming the place.
"""

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import split as split_by

from geo.errors import GeoInputError
from geo.metric import area_m2, length_m, local_projector
from geo.plan_types import LIMITS, Limits, is_sliver, spot
from geo.validate import explain_invalid

MAX_SNAP_M = 50.0
_ON_EDGE_M = 1e-6  # a vertex this near an edge is on it; moving it would only add rounding


def _error(code: str, zh: str, en: str, field: str) -> GeoInputError:
    return GeoInputError(code, message_zh=zh, message_en=en, field=field)


def _require_polygon(geom: BaseGeometry, field: str) -> Polygon:
    if not isinstance(geom, Polygon) or geom.is_empty:
        raise _error(
            "geometry_type", f"{field} 需要一个非空的面（Polygon），收到 {geom.geom_type}。",
            f"{field} must be a non-empty Polygon, got a {geom.geom_type}.", field,
        )
    reason = explain_invalid(geom)
    if reason is not None:
        raise _error(
            "invalid_geometry", f"{field} 的几何无效：{reason[0]}。",
            f"{field} is invalid: {reason[1]}.", field,
        )
    return geom


def split(
    polygon: BaseGeometry, line: BaseGeometry, *, extend_m: float = 2.0, limits: Limits = LIMITS
) -> list[Polygon]:
    """Split a grid along a drawn line into pieces, largest first, that add up to it exactly.

    The line's ends are carried ``extend_m`` further, so a line stopping just short of the
    boundary still cuts; a line that does not cross from side to side is refused.

    >>> halves = split(shapely.box(104.06, 30.66, 104.062, 30.661),
    ...                shapely.LineString([(104.061, 30.66), (104.061, 30.661)]))
    >>> [round(piece.area / 1e-6, 3) for piece in halves]
    [1.0, 1.0]
    """
    grid = _require_polygon(polygon, "polygon")
    drawn = _extend(_require_line(line), extend_m)
    pieces = [p for p in split_by(grid, drawn).geoms if isinstance(p, Polygon) and not p.is_empty]
    if len(pieces) < 2:
        raise _not_crossing(grid, drawn)
    rest = shapely.symmetric_difference(shapely.union_all(pieces), grid)
    if area_m2(rest) > limits.noise_area_m2:  # never seen; a guard that the pieces add up
        raise _error(
            "split_inexact", "切分结果与原网格不一致，请重画切分线。",
            "The pieces do not add up to the grid; draw the line again.", "line",
        )
    return sorted(pieces, key=lambda piece: -piece.area)


def _require_line(line: BaseGeometry) -> LineString:
    if not isinstance(line, LineString) or line.is_empty:
        raise _error(
            "split_line_type", f"切分线需要是一条线（LineString），收到 {line.geom_type}。",
            f"The cutting line must be a LineString, got a {line.geom_type}.", "line",
        )
    cleaned = shapely.remove_repeated_points(line)
    if not isinstance(cleaned, LineString) or len(cleaned.coords) < 2 or cleaned.length == 0:
        raise _error(
            "split_line_type", "切分线至少需要两个不同的点。",
            "The cutting line needs at least two distinct points.", "line",
        )
    return cleaned


def _extend(line: LineString, extend_m: float) -> LineString:
    """Return the line with its first and last segments carried on by ``extend_m`` metres."""
    center = line.centroid
    forward, inverse = local_projector(float(center.x), float(center.y))
    coords = np.asarray(line.coords)[:, :2]
    x, y = forward(coords[:, 0], coords[:, 1])
    for end, before in ((0, 1), (-1, -2)):
        dx, dy = x[end] - x[before], y[end] - y[before]
        norm = float(np.hypot(dx, dy))
        x[end], y[end] = x[end] + dx / norm * extend_m, y[end] + dy / norm * extend_m
    lon, lat = inverse(x[[0, -1]], y[[0, -1]])
    coords[[0, -1], 0], coords[[0, -1], 1] = lon, lat
    return LineString(coords)


def _not_crossing(grid: Polygon, line: LineString) -> GeoInputError:
    meets = not line.intersection(grid.exterior).is_empty
    inside = [shapely.Point(c) for c in (line.coords[0], line.coords[-1])
              if grid.contains(shapely.Point(c))]
    if inside:
        at = spot(inside[0])
        return _error(
            "split_line_not_crossing",
            f"切分线没有穿过整个网格：它在网格内部 {at} 处结束。请从边界外画到另一侧边界外。",
            f"The line does not cross the grid: it ends inside it at {at}. Draw it from "
            "outside the boundary to outside the other side.", "line",
        )
    where = "只擦过网格边界" if meets else "与网格不相交"
    return _error(
        "split_line_not_crossing",
        f"切分线{where}，没有把网格分开。请从一侧边界外画到另一侧边界外。",
        "The line " + ("only grazes the boundary" if meets else "misses the grid")
        + " and divides nothing. Draw it from outside one side to outside the other.", "line",
    )


def merge(
    polygons: Sequence[BaseGeometry], *, min_shared_m: float = 1.0, limits: Limits = LIMITS
) -> Polygon:
    """Merge grids that share edges into one polygon without slivers or holes from rounding.

    Grids that only touch at a point, or not at all, are refused.

    >>> merged = merge([shapely.box(104.06, 30.66, 104.061, 30.661),
    ...                 shapely.box(104.061, 30.66, 104.062, 30.661)])
    >>> merged.equals(shapely.box(104.06, 30.66, 104.062, 30.661))
    True
    """
    if len(polygons) < 2:
        raise _error("merge_too_few", "合并至少需要两个网格。", "Merging needs two grids or more.",
                     "grids")
    grids = [_require_polygon(p, f"grids[{i}]") for i, p in enumerate(polygons)]
    snapped = [grids[0]]
    for grid in grids[1:]:  # close hairline gaps from rounding before testing adjacency
        reach = min(limits.sliver_width_m, MAX_SNAP_M)
        snapped.append(snap(grid, to=snapped, tolerance_m=reach) if reach > 0 else grid)
    _require_connected(snapped, min_shared_m)
    merged = shapely.union_all(snapped)
    if not isinstance(merged, Polygon):  # connected by edges, so this is not expected
        raise _error("merge_not_adjacent", "合并结果不是一整块。", "The merge is not one piece.",
                     "grids")
    holes = [ring for ring in merged.interiors if not is_sliver(Polygon(ring), limits=limits)]
    return Polygon(merged.exterior, holes)


def _shares_edge(a: BaseGeometry, b: BaseGeometry, min_shared_m: float) -> bool:
    common = a.intersection(b)
    if common.is_empty:
        return False
    if shapely.area(common) > 0:
        return True
    lines = [p for p in shapely.get_parts(common) if p.geom_type in ("LineString", "LinearRing")]
    return sum(length_m(p) for p in lines) >= min_shared_m


def _require_connected(grids: list[BaseGeometry], min_shared_m: float) -> None:
    reached, frontier = {0}, [0]
    while frontier:
        i = frontier.pop()
        for j in range(len(grids)):
            if j not in reached and _shares_edge(grids[i], grids[j], min_shared_m):
                reached.add(j)
                frontier.append(j)
    if len(reached) == len(grids):
        return
    lonely = min(set(range(len(grids))) - reached)
    touch = shapely.union_all([grids[i] for i in reached]).intersection(grids[lonely])
    how_zh = f"只在 {spot(touch)} 处点接触" if not touch.is_empty else "与其他网格不相邻"
    how_en = f"only touches the others at a point near {spot(touch)}" if not touch.is_empty else (
        "is not next to the others")
    raise _error(
        "merge_not_adjacent",
        f"第 {lonely + 1} 个网格{how_zh}；只有共用一段边界的网格才能合并。",
        f"Grid {lonely + 1} {how_en}; only grids sharing an edge can be merged.", "grids",
    )


def snap(
    polygon: BaseGeometry, *, to: Sequence[BaseGeometry], tolerance_m: float = 3.0
) -> Polygon:
    """Move vertices within ``tolerance_m`` onto neighbours' vertices or edges and streets.

    Vertices go to the nearest neighbour vertex if one is in reach, else onto the nearest
    edge; neighbour vertices near an edge of the grid are added to it. Others stay put.

    >>> left = shapely.box(104.06, 30.66, 104.061, 30.661)
    >>> right = shapely.box(104.06101, 30.66, 104.062, 30.661)  # about 1 m away
    >>> snap(right, to=[left]).intersection(left).length > 0
    True
    """
    grid = _require_polygon(polygon, "polygon")
    if not 0 < tolerance_m <= MAX_SNAP_M:
        raise _error(
            "snap_tolerance", f"吸附容差应在 0 到 {MAX_SNAP_M:.0f} 米之间。",
            f"The snapping tolerance must be between 0 and {MAX_SNAP_M:.0f} m.", "tolerance_m",
        )
    target = _snap_target(grid, to, tolerance_m)
    if target is None:
        return grid
    moved = _snap_vertices(grid, target, tolerance_m)
    _, m_north = _metres_per_degree(grid)
    snapped = shapely.snap(moved, target, tolerance_m / m_north)
    return _one_polygon(shapely.remove_repeated_points(snapped), grid)


def _metres_per_degree(geom: BaseGeometry) -> tuple[float, float]:
    center = geom.centroid
    forward, _ = local_projector(float(center.x), float(center.y))
    x, y = forward(float(center.x) + 1, float(center.y) + 1)
    return float(x), float(y)


def _snap_target(
    grid: Polygon, to: Sequence[BaseGeometry], tolerance_m: float
) -> BaseGeometry | None:
    """Return the neighbours' edges and the streets near the grid as one MultiLineString."""
    m_east, _ = _metres_per_degree(grid)
    reach = grid.buffer(tolerance_m / m_east * 1.5)  # the widest a tolerance is in degrees
    lines = []
    for geom in to:
        edges = geom.boundary if geom.geom_type in ("Polygon", "MultiPolygon") else geom
        for part in shapely.get_parts(edges):
            if isinstance(part, LineString) and part.intersects(reach):
                lines.append(part)
    return shapely.MultiLineString(lines) if lines else None


def _snap_vertices(grid: Polygon, target: BaseGeometry, tolerance_m: float) -> BaseGeometry:
    """Move each vertex to a target vertex in reach (exactly), else to the nearest edge."""
    center = grid.centroid
    origin = (float(center.x), float(center.y))
    forward, inverse = local_projector(*origin)
    coords = shapely.get_coordinates(grid)
    ends = shapely.get_coordinates(target)
    here = shapely.points(np.column_stack(forward(coords[:, 0], coords[:, 1])))
    there = shapely.points(np.column_stack(forward(ends[:, 0], ends[:, 1])))
    at, nearest = shapely.STRtree(there).query_nearest(here, max_distance=tolerance_m)
    new = coords.copy()
    new[at] = ends[nearest]  # ties: the last one wins, all equally near
    rest = np.setdiff1d(np.arange(len(coords)), at)
    target_m = shapely.transform(target, lambda c: np.column_stack(forward(c[:, 0], c[:, 1])))
    feet = shapely.get_coordinates(shapely.shortest_line(here[rest], target_m))[1::2]
    away = shapely.distance(here[rest], target_m)
    close = (away <= tolerance_m) & (away > _ON_EDGE_M)  # on an edge already: leave it be
    lon, lat = inverse(feet[close, 0], feet[close, 1])
    new[rest[close]] = np.column_stack([lon, lat])
    return shapely.transform(grid, lambda _: new)


def _one_polygon(geom: BaseGeometry, original: Polygon) -> Polygon:
    """Return the snapped grid as one valid polygon, or refuse a snap that broke it."""
    if isinstance(geom, Polygon) and shapely.is_valid(geom):
        return geom
    parts = [p for p in shapely.get_parts(shapely.make_valid(geom)) if isinstance(p, Polygon)]
    keep = [p for p in parts if not is_sliver(p)]
    if len(keep) == 1:
        return keep[0]
    raise _error(
        "snap_collapsed", f"吸附后网格变形（位于 {spot(original)} 附近），请减小吸附容差。",
        f"Snapping broke the grid near {spot(original)}; use a smaller tolerance.", "polygon",
    )
