"""A whole plan: comprehensive grids tile the parent, dedicated ones stay inside it.

Set operations run on lon/lat as given, so a vertex shared by neighbours stays shared; each
piece is then measured in metres. Pieces under the sliver limits are cleaned (an overhang
trimmed, an overlap removed from the grid that yields, a gap given to a neighbour) and
reported with severity 'fixed'; larger ones are errors with the piece as the spot.
"""

from collections.abc import Collection, Hashable, Mapping
from dataclasses import replace

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoInputError
from geo.plan_grid import check_grid
from geo.plan_points import PointLabel, Points, check_points
from geo.plan_siblings import (
    Siblings,
    apply_fixes,
    settle_gaps,
    settle_outside,
    settle_overlaps,
)
from geo.plan_types import (
    GRID_KINDS,
    LIMITS,
    UNUSABLE,
    GridKind,
    K,
    Limits,
    PlanCheck,
    Violation,
    violation,
)

_PARENT_LIMITS = Limits(max_vertices=1_000_000, max_area_m2=float("inf"), min_area_m2=0.0)


def check_plan(
    *,
    parent: BaseGeometry,
    grids: Mapping[K, BaseGeometry],
    kinds: Mapping[K, str] | None = None,
    households: Points | None = None,
    stations: Points | None = None,
    limits: Limits = LIMITS,
) -> PlanCheck[K]:
    """Check every grid of a parent: shape, overhang, overlaps, gaps, households, stations.

    Grids are comprehensive unless ``kinds`` says 'dedicated'. Of two overlapping grids the
    later one in ``grids`` gives up a sliver.

    >>> left, right = shapely.box(104.06, 30.66, 104.061, 30.661), shapely.box(
    ...     104.061, 30.66, 104.062, 30.661)
    >>> check_plan(parent=shapely.box(104.06, 30.66, 104.062, 30.661),
    ...            grids={"A": left, "B": right}).ok
    True
    """
    _require_parent(parent, limits)
    own = {key: check_grid(geom, limits=limits, key=key) for key, geom in grids.items()}
    found, usable, invalid = _screen(grids, own, limits)
    work = _work(parent, grids, kinds, (usable, invalid), set(grids), limits)
    work.violations.extend(found)
    return _finish(work, window=None, households=households, stations=stations)


def check_edit(
    *,
    parent: BaseGeometry,
    grids: Mapping[K, BaseGeometry],
    changed_keys: Collection[K],
    previous: Mapping[K, BaseGeometry] | None = None,
    kinds: Mapping[K, str] | None = None,
    households: Points | None = None,
    stations: Points | None = None,
    limits: Limits = LIMITS,
) -> PlanCheck[K]:
    """Check an edit: the changed grids against their neighbours, and only that area.

    ``grids`` is the plan after the edit; ``previous`` the geometries the changed (or
    removed) grids had before, which bounds any gap the edit left. Changed grids yield
    slivers to unchanged ones.

    >>> a, b = shapely.box(104.06, 30.66, 104.061, 30.661), shapely.box(
    ...     104.061, 30.66, 104.062, 30.661)
    >>> check_edit(parent=shapely.box(104.06, 30.66, 104.062, 30.661), grids={"A": a, "B": b},
    ...            changed_keys=["B"]).ok
    True
    """
    _require_parent(parent, limits)
    own = {key: check_grid(grids[key], limits=limits, key=key) for key in changed_keys
           if key in grids}
    bounding = [grids[key] for key, found in own.items() if _is_usable(found)]
    bounding += list((previous or {}).values())
    if not bounding:  # nothing usable to place the edit: its own findings say why
        return PlanCheck(violations=[v for found in own.values() for v in found])
    window = _edit_window(grids, bounding, use_neighbours=previous is None)
    every = np.array(list(grids.values()), dtype=object)
    near = shapely.intersects(every, window)
    scope = {key: grids[key] for key, inside in zip(grids, near, strict=True) if inside}
    found, usable, invalid = _screen({**scope, **{key: grids[key] for key in own}}, own, limits)
    work = _work(parent, grids, kinds, (usable, invalid), set(own), limits)
    work.violations.extend(found)
    return _finish(work, window=window, households=households, stations=stations)


def clean_slivers(
    *,
    parent: BaseGeometry,
    grids: Mapping[K, BaseGeometry],
    kinds: Mapping[K, str] | None = None,
    limits: Limits = LIMITS,
) -> tuple[dict[K, BaseGeometry], list[Violation]]:
    """Return the grids that sliver cleaning changed, and the notes saying what was done.

    >>> left, right = shapely.box(104.06, 30.66, 104.061, 30.661), shapely.box(
    ...     104.0610001, 30.66, 104.062, 30.661)  # a 1 cm gap between them
    >>> cleaned, notes = clean_slivers(parent=shapely.box(104.06, 30.66, 104.062, 30.661),
    ...                                grids={"A": left, "B": right})
    >>> list(cleaned), [note.code for note in notes]
    (['A'], ['sliver_gap'])
    """
    result = check_plan(parent=parent, grids=grids, kinds=kinds, limits=limits)
    return result.cleaned, result.fixed


def _require_parent(parent: BaseGeometry, limits: Limits) -> None:
    limits_here = replace(_PARENT_LIMITS, service_area=limits.service_area)
    found = [v for v in check_grid(parent, limits=limits_here) if v.severity == "error"]
    if found:
        raise GeoInputError(
            "parent_invalid",
            message_zh=f"上级区域无法使用：{found[0].message_zh}",
            message_en=f"The parent area cannot be used: {found[0].message_en}",
            field="parent",
        )


def _screen(
    grids: Mapping[K, BaseGeometry], own: Mapping[K, list[Violation]], limits: Limits
) -> tuple[list[Violation], list[K], list[K]]:
    """Gather the focus grids' findings and check the others' validity.

    Return the findings, the usable grids, and the merely invalid ones, whose repaired area
    still counts as covered so that a self-intersection is not also reported as a gap.
    """
    found: list[Violation] = []
    usable: list[K] = []
    invalid: list[K] = []
    for key, geom in grids.items():
        mine = own[key] if key in own else _light(geom, key, limits)
        found.extend(mine)
        if _is_usable(mine):
            usable.append(key)
            continue
        found.append(_not_checked(key))
        if [v.code for v in mine if v.code in UNUSABLE] == ["invalid_geometry"]:
            invalid.append(key)
    return found, usable, invalid


def _is_usable(found: list[Violation]) -> bool:
    return not any(v.code in UNUSABLE for v in found)


def _light(geom: BaseGeometry, key: Hashable, limits: Limits) -> list[Violation]:
    """Return no findings for a usable neighbour; otherwise its full check."""
    polygonal = geom.geom_type in ("Polygon", "MultiPolygon") and not geom.is_empty
    return [] if polygonal and shapely.is_valid(geom) else check_grid(geom, limits=limits, key=key)


def _not_checked(key: Hashable) -> Violation:
    return violation(
        "not_checked", "的几何无法使用，未与相邻网格比较。",
        "was not compared with its neighbours: its geometry cannot be used.",
        key=key, severity="warning",
    )


def _work(
    parent: BaseGeometry,
    grids: Mapping[K, BaseGeometry],
    kinds: Mapping[K, str] | None,
    screened: tuple[list[K], list[K]],
    focus: set[K],
    limits: Limits,
) -> Siblings[K]:
    usable, invalid = screened
    geoms = np.array([grids[key] for key in usable], dtype=object)
    patches = [shapely.make_valid(grids[key]) for key in invalid
               if _kind(kinds, key) == "comprehensive"]
    return Siblings(
        parent=parent,
        keys=usable,
        geoms=geoms,
        kinds=[_kind(kinds, key) for key in usable],
        focus=np.array([key in focus for key in usable], dtype=bool),
        limits=limits,
        patches=patches,
    )


def _kind(kinds: Mapping[K, str] | None, key: K) -> GridKind:
    kind = "comprehensive" if kinds is None else kinds.get(key, "comprehensive")
    for known in GRID_KINDS:
        if kind == known:
            return known
    raise GeoInputError(
        "grid_kind",
        message_zh=f"网格 {key} 的类型 {kind!r} 未知，应为 comprehensive 或 dedicated。",
        message_en=f"Grid {key} has unknown kind {kind!r}; use comprehensive or dedicated.",
        field="kind",
    )


def _edit_window(
    grids: Mapping[K, BaseGeometry], bounding: list[BaseGeometry], *, use_neighbours: bool
) -> BaseGeometry:
    """Return the box an edit can affect: old and new changed grids, or their neighbours."""
    box = shapely.box(*shapely.total_bounds(bounding))
    if not use_neighbours:
        return box
    every = np.array(list(grids.values()), dtype=object)
    return shapely.box(*shapely.total_bounds(every[shapely.intersects(every, box)]))


def _finish(
    work: Siblings[K],
    *,
    window: BaseGeometry | None,
    households: Points | None,
    stations: Points | None,
) -> PlanCheck[K]:
    settle_outside(work)
    settle_overlaps(work)
    settle_gaps(work, window)
    cleaned = apply_fixes(work)
    final = [cleaned.get(k, g) for k, g in zip(work.keys, work.geoms, strict=True)]
    comprehensive = {
        k: g for k, g, kind in zip(work.keys, final, work.kinds, strict=True)
        if kind == "comprehensive"
    }
    labelled: tuple[tuple[PointLabel, Points | None], ...] = (
        ("household", households), ("station", stations)
    )
    for label, points in labelled:
        if points:
            work.violations.extend(
                check_points(points, label=label, grids=comprehensive, window=window,
                             limits=work.limits)
            )
    return PlanCheck(violations=work.violations, cleaned=cleaned)

