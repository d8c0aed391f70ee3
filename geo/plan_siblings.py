"""Siblings against each other and their parent: overhangs, overlaps and gaps.

Each pass either decides a fix for a sliver (trim an overhang, take an overlap from the grid
that yields, give a gap to a neighbour) with a 'fixed' note, or reports an error with the
piece as the spot. ``apply_fixes`` then makes the decided fixes at once.
"""

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Generic

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.plan_types import GridKind, K, Limits, Violation, classify, measure, spot, violation

_TOUCH_DEG = 1e-8  # about 1 mm: how near a gap piece must be to a grid to be given to it
_POLYGONAL = (3, 6, 7)  # shapely type ids: Polygon, MultiPolygon, GeometryCollection


@dataclass
class Siblings(Generic[K]):
    """A check in progress: the usable grids in scope and the fixes decided so far."""

    parent: BaseGeometry
    keys: list[K]  # usable grids in scope, in the caller's order
    geoms: np.ndarray  # their geometries, same order
    kinds: list[GridKind]
    focus: np.ndarray  # bool: grids checked for overhang and overlap, and that yield first
    limits: Limits
    violations: list[Violation] = field(default_factory=list)
    trim: set[int] = field(default_factory=set)
    minus: dict[int, list[BaseGeometry]] = field(default_factory=dict)
    plus: dict[int, list[BaseGeometry]] = field(default_factory=dict)
    patches: list[BaseGeometry] = field(default_factory=list)  # repaired invalid grids' area


def polygons(geom: BaseGeometry) -> list[BaseGeometry]:
    """Return the non-empty polygons inside any geometry.

    >>> len(polygons(shapely.box(0, 0, 1, 1).intersection(shapely.box(1, 0, 2, 1))))
    0
    """
    if geom.geom_type == "Polygon":
        return [] if geom.is_empty else [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for part in shapely.get_parts(geom) for p in polygons(part)]
    return []


def settle_outside(work: Siblings[K]) -> None:
    """Trim slivers beyond the parent; report larger overhangs."""
    shapely.prepare(work.parent)
    candidates = np.flatnonzero(work.focus & ~shapely.covers(work.parent, work.geoms))
    beyond = shapely.difference(work.geoms[candidates], work.parent)
    for index, extra in zip(candidates, beyond, strict=True):
        for piece in polygons(extra):
            size, area, width = classify(piece, limits=work.limits)
            if size == "sliver":
                work.trim.add(int(index))
            if size != "noise":
                work.violations.append(_outside_note(work.keys[index], piece, size, area, width))


def _outside_note(
    key: Hashable, piece: BaseGeometry, size: str, area: float, width: float
) -> Violation:
    at = spot(piece)
    if size == "sliver":
        return violation(
            "sliver_outside",
            f"超出上级区域 {area:.1f} 平方米（宽约 {width:.2f} 米，位于 {at}），已自动裁去。",
            f"ran {area:.1f} m² ({width:.2f} m wide) past its parent near {at}; trimmed.",
            key=key, where=piece, severity="fixed",
        )
    return violation(
        "outside_parent", f"有 {area:,.0f} 平方米在上级区域之外，位于 {at}。",
        f"lies {area:,.0f} m² outside its parent near {at}.", key=key, where=piece,
    )


def _pairs(work: Siblings[K]) -> tuple[np.ndarray, np.ndarray]:
    """Return index pairs of intersecting grids of the same kind, at least one in focus."""
    focus_idx = np.flatnonzero(work.focus)
    tree = shapely.STRtree(work.geoms)
    at, j = tree.query(work.geoms[focus_idx], predicate="intersects")
    i = focus_idx[at]
    keep = (i < j) | ((i != j) & ~work.focus[j])
    kinds = np.array(work.kinds, dtype=object)
    keep &= kinds[i] == kinds[j]
    return i[keep], j[keep]


def settle_overlaps(work: Siblings[K]) -> None:
    """Remove sliver overlaps from the yielding grid; report larger overlaps."""
    i, j = _pairs(work)
    shared = shapely.intersection(work.geoms[i], work.geoms[j])
    areal = np.isin(shapely.get_type_id(shared), _POLYGONAL)
    for a, b, common in zip(i[areal], j[areal], shared[areal], strict=True):
        # The focus grid (the one edited) yields; between two, the later one.
        yielder, keeper = (int(b), int(a)) if work.focus[b] else (int(a), int(b))
        for piece in polygons(common):
            size, area, width = classify(piece, limits=work.limits)
            if size == "sliver":
                work.minus.setdefault(yielder, []).append(piece)
            if size != "noise":
                keys = (work.keys[yielder], work.keys[keeper])
                work.violations.append(_overlap_note(keys, work.kinds[a], piece, size, area))


def _overlap_note(
    keys: tuple[Hashable, Hashable], kind: GridKind, piece: BaseGeometry, size: str, area: float
) -> Violation:
    at, (mine, other) = spot(piece), keys
    if size == "sliver":
        return violation(
            "sliver_overlap",
            f"与网格 {other} 重叠 {area:.1f} 平方米（位于 {at}），已从本网格去除。",
            f"overlapped grid {other} by {area:.1f} m² near {at}; removed from grid {mine}.",
            key=mine, other=other, where=piece, severity="fixed",
        )
    label_zh, label_en = ("专属", "dedicated ") if kind == "dedicated" else ("", "")
    return violation(
        "overlap", f"与{label_zh}网格 {other} 重叠 {area:,.0f} 平方米，位于 {at}。",
        f"overlaps {label_en}grid {other} by {area:,.0f} m² near {at}; sibling {label_en}"
        "grids must not overlap.", key=mine, other=other, where=piece,
    )


def settle_gaps(work: Siblings[K], window: BaseGeometry | None) -> None:
    """Give sliver gaps to a neighbour; report larger gaps in the parent."""
    comprehensive = np.array([kind == "comprehensive" for kind in work.kinds], dtype=bool)
    region = work.parent if window is None else work.parent.intersection(window)
    covered = shapely.union_all([*work.geoms[comprehensive], *work.patches])
    for piece in polygons(region.difference(covered)):
        size, area, width = classify(piece, limits=work.limits)
        if size == "noise":
            continue
        taker = _gap_taker(work, piece, comprehensive) if size == "sliver" else None
        if taker is not None:
            work.plus.setdefault(taker, []).append(piece)
        work.violations.append(_gap_note(piece, work.keys[taker] if taker is not None else None,
                                         area, width))


def _gap_taker(work: Siblings[K], piece: BaseGeometry, comprehensive: np.ndarray) -> int | None:
    """Return the comprehensive grid sharing the longest edge with a gap, edited ones first."""
    near = shapely.dwithin(work.geoms, piece, _TOUCH_DEG) & comprehensive
    edited = near & work.focus
    touching = np.flatnonzero(edited if edited.any() else near)
    if touching.size == 0:
        return None
    shared = shapely.length(
        shapely.intersection(piece.boundary, shapely.buffer(work.geoms[touching], _TOUCH_DEG))
    )
    return int(touching[int(np.argmax(shared))])


def _gap_note(piece: BaseGeometry, taker: Hashable | None, area: float, width: float) -> Violation:
    at = spot(piece)
    if taker is not None:
        return Violation(
            "sliver_gap",
            f"位于 {at} 的 {area:.1f} 平方米缝隙（宽约 {width:.2f} 米）已并入网格 {taker}。",
            f"A {area:.1f} m² gap ({width:.2f} m wide) near {at} was given to grid {taker}.",
            grid=taker, where=piece, severity="fixed",
        )
    return Violation(
        "gap", f"位于 {at} 的 {area:,.0f} 平方米不属于任何综合网格。",
        f"A gap of {area:,.0f} m² near {at} lies in no comprehensive grid.", where=piece,
    )


def apply_fixes(work: Siblings[K]) -> dict[K, BaseGeometry]:
    """Return the geometries the decided fixes change, by key."""
    cleaned: dict[K, BaseGeometry] = {}
    for index in sorted(work.trim | set(work.minus) | set(work.plus)):
        geom = work.geoms[index]
        if index in work.trim:
            geom = geom.intersection(work.parent)
        if index in work.minus:
            geom = geom.difference(shapely.union_all(work.minus[index]))
        if index in work.plus:
            geom = shapely.union_all([geom, *work.plus[index]])
        cleaned[work.keys[index]] = _tidy(geom, work.limits)
    return cleaned


def _tidy(geom: BaseGeometry, limits: Limits) -> BaseGeometry:
    """Return the polygon parts of a cleaned grid without crumbs of noise."""
    parts = [p for p in polygons(geom) if measure(p)[0] >= limits.noise_area_m2]
    if len(parts) == 1:
        return parts[0]
    return shapely.MultiPolygon(parts) if parts else geom
