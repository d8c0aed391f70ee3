"""Every household and station in exactly one comprehensive grid, checked in bulk."""

from collections.abc import Hashable, Mapping
from typing import Any, Literal

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.plan_types import LIMITS, Limits, Violation, spot

Points = Mapping[Any, BaseGeometry]
PointLabel = Literal["household", "station"]
_LABELS = {
    "household": ("住户", "Household", "households"),
    "station": ("驿站", "Station", "stations"),
}


def check_points(
    points: Points,
    *,
    label: PointLabel,
    grids: Mapping[Any, BaseGeometry],
    window: BaseGeometry | None = None,
    limits: Limits = LIMITS,
) -> list[Violation]:
    """List points in no grid (orphaned) or in more than one (ambiguous), within ``window``.

    A point on the shared edge of two grids is ambiguous: nobody knows whose it is.

    >>> grids = {"A": shapely.box(104.06, 30.66, 104.061, 30.661)}
    >>> [v.code for v in check_points({7: shapely.Point(104.07, 30.66)}, label="household",
    ...                               grids=grids)]
    ['household_orphaned']
    """
    names, where = _points_in(points, window)
    if not names:
        return []
    keys = list(grids)
    shapes = np.array([grids[key] for key in keys], dtype=object)
    hit, grid = shapely.STRtree(shapes).query(where, predicate="intersects")
    count = np.bincount(hit, minlength=len(names))
    shared = count[hit] > 1  # only these need telling an interior from a boundary
    inside = shapely.contains_properly(shapes[grid[shared]], where[hit[shared]])
    interior = np.bincount(hit[shared][inside], minlength=len(names))
    orphaned = np.flatnonzero(count == 0)
    ambiguous = np.flatnonzero((count > 1) & (interior != 1))
    found = _listed(orphaned, names, where, label, limits, "orphaned", None)
    owners = {int(p): [keys[g] for g in grid[hit == p]] for p in ambiguous}
    return found + _listed(ambiguous, names, where, label, limits, "ambiguous", owners)


def _points_in(points: Points, window: BaseGeometry | None) -> tuple[list[Any], np.ndarray]:
    names = list(points)
    where = np.array([points[name] for name in names], dtype=object)
    if window is None or not names:
        return names, where
    xy = shapely.get_coordinates(where)
    if len(xy) != len(names):  # an empty point somewhere: fall back to an exact test
        keep = shapely.intersects(window, where)
    else:
        west, south, east, north = window.bounds
        keep = (xy[:, 0] >= west) & (xy[:, 0] <= east) & (xy[:, 1] >= south) & (xy[:, 1] <= north)
    return [n for n, k in zip(names, keep, strict=True) if k], where[keep]


def _listed(
    indices: np.ndarray,
    names: list[Any],
    where: np.ndarray,
    label: PointLabel,
    limits: Limits,
    problem: Literal["orphaned", "ambiguous"],
    owners: dict[int, list[Hashable]] | None,
) -> list[Violation]:
    """Return one violation per point up to the listing limit, the rest as one."""
    shown, rest = indices[: limits.max_listed_points], indices[limits.max_listed_points :]
    found = [
        _one(names[p], where[p], label, problem, (owners or {}).get(int(p), [])) for p in shown
    ]
    if rest.size:
        zh, _, plural = _LABELS[label]
        word_zh = "不在任何综合网格内" if problem == "orphaned" else "同时属于多个综合网格"
        found.append(
            Violation(
                f"{label}_{problem}",
                f"另有 {rest.size:,} 个{zh}{word_zh}。",
                f"{rest.size:,} more {plural} are {problem}.",
                where=shapely.MultiPoint(list(where[rest])),
            )
        )
    return found


def _one(
    name: Any, point: BaseGeometry, label: PointLabel, problem: str, owners: list[Hashable]
) -> Violation:
    zh, en, _ = _LABELS[label]
    at = spot(point)
    if problem == "orphaned":
        return Violation(
            f"{label}_orphaned", f"{zh} {name}（{at}）不在任何综合网格内。",
            f"{en} {name} at {at} lies in no comprehensive grid.", subject=name, where=point,
        )
    grids_zh, grids_en = "、".join(map(str, owners)), " and ".join(map(str, owners))
    return Violation(
        f"{label}_ambiguous", f"{zh} {name}（{at}）同时落在网格 {grids_zh} 内或其共同边界上。",
        f"{en} {name} at {at} lies in grids {grids_en} at once, or on their shared boundary.",
        grid=owners[0] if owners else None, other=owners[1] if len(owners) > 1 else None,
        subject=name, where=point,
    )
