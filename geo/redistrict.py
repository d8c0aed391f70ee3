"""The redistricting assistant: regroup a parent's blocks into k grids of comparable load.

A unit is a block (the polygon between roads) with its load, already weighted (geo.load).
``propose`` gives every block to one of k grids so that each grid is one piece that follows
streets, the grids tile the parent, and their loads are as even as the blocks allow; the
draft carries the spread (coefficient of variation) before and after, for the planner to
adjust and publish. Units may carry a zone (their community, when a whole street is
redrawn): grids then never cross zones, and the k grids are shared among the zones by load.

How the parent is tiled when blocks stop at the kerb: see geo.cells (each road corridor goes
to the nearer block, so grid boundaries run down the middle of streets). The grouping itself
is geo.partition: recursive bisection or the current grids as the start, then boundary moves
that keep every grid connected.
"""

import math
import time
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.cells import SNAP_M, TOLERANCE_M2, dissolve, shared_lengths_m, tessellate_m
from geo.errors import GeoInputError
from geo.graph import neighbours, pieces
from geo.load import apportion, spread
from geo.metric import from_local_m, to_local_m
from geo.partition import check_k, partition

Key = Hashable
Start = Literal["best", "current", "fresh"]
CLOSE_M = 25.0  # without a parent, gaps between blocks up to twice this are roads


@dataclass(frozen=True)
class Unit:
    """A block to regroup: its key, lon/lat polygon, weighted load, current grid and zone."""

    key: Key
    geom: BaseGeometry
    load: float
    grid: Key | None = None
    zone: Key | None = None


@dataclass
class Proposal:
    """A draft of k grids: members, lon/lat polygons, loads and the figures to compare."""

    groups: list[list[Key]]  # unit keys per proposed grid, in reading order per zone
    polygons: list[Polygon]  # tile the parent (each zone's parent when zoned)
    loads: list[float]
    zones: list[Key | None]
    from_grid: list[Key | None]  # the current grid each proposed one continues, if any
    before: dict[Key, float]  # load of each current grid
    spread_before: float | None  # coefficient of variation of the current grids' loads
    spread_after: float
    kept: float  # share of units whose grid continues their current grid
    seconds: float
    converged: bool  # False when max_seconds cut the search short


@dataclass
class _Zone:
    key: Key | None
    index: list[int]  # positions in the units sequence
    whole: BaseGeometry  # metric
    k: int = 0


def _fail(code: str, zh: str, en: str, field: str = "units") -> GeoInputError:
    return GeoInputError(code, message_zh=zh, message_en=en, field=field)


def _check_units(units: Sequence[Unit]) -> None:
    if not units:
        raise _fail("units_empty", "没有可划分的单元。", "There are no units to regroup.")
    seen: set[Key] = set()
    for i, unit in enumerate(units):
        if unit.key in seen:
            raise _fail("unit_key_repeated", f"单元编号 {unit.key!r} 重复。",
                        f"Unit key {unit.key!r} appears twice.", f"units[{i}].key")
        seen.add(unit.key)
        if not math.isfinite(unit.load) or unit.load < 0:
            raise _fail("load_negative", f"单元 {unit.key!r} 的负荷应为非负有限数。",
                        f"The load of unit {unit.key!r} must be a finite number >= 0.",
                        f"units[{i}].load")


def _origin(units: Sequence[Unit]) -> tuple[float, float]:
    box = shapely.total_bounds(np.array([u.geom for u in units], dtype=object))
    return float(box[0] + box[2]) / 2, float(box[1] + box[3]) / 2


def _zones(units: Sequence[Unit], parent: object, origin: tuple[float, float]) -> list[_Zone]:
    keys = list(dict.fromkeys(u.zone for u in units))
    if isinstance(parent, Mapping):
        missing = [z for z in keys if z not in parent]
        if missing:
            raise _fail("zone_without_parent", f"分区 {missing[0]!r} 没有上级边界。",
                        f"Zone {missing[0]!r} has no parent polygon.", "parent")
    elif len(keys) > 1:
        if parent is not None:
            raise _fail("zone_without_parent", "单元分属多个分区时，上级边界应按分区给出。",
                        "Units in several zones need a parent polygon per zone.", "parent")
    zones = []
    for z in keys:
        index = [i for i, u in enumerate(units) if u.zone == z]
        given = parent[z] if isinstance(parent, Mapping) else parent
        if isinstance(given, BaseGeometry):
            whole = to_local_m(given, origin=origin)
        else:
            blocks = shapely.union_all([to_local_m(units[i].geom, origin=origin) for i in index])
            closed = blocks.buffer(CLOSE_M, join_style="mitre").buffer(-CLOSE_M, join_style="mitre")
            whole = shapely.union(closed, blocks)
        zones.append(_Zone(z, index, whole))
    return zones


def _graph(units: Sequence[Unit], zone: _Zone, origin: tuple[float, float], sample_m: float,
           min_shared_m: float) -> tuple[list[BaseGeometry], dict[tuple[int, int], float],
                                         NDArray[np.float64]]:
    blocks = [to_local_m(units[i].geom, origin=origin) for i in zone.index]
    names = [repr(units[i].key) for i in zone.index]
    cells = tessellate_m(blocks, zone.whole, sample_m=sample_m, names=names)
    edges = shared_lengths_m(cells, min_m=min_shared_m)
    parts = pieces(neighbours(len(cells), edges), range(len(cells)))
    if len(parts) > 1:
        cut_off = [units[zone.index[i]].key for i in parts[1][:5]]
        raise _fail("units_disconnected",
                    f"单元不连通（{len(parts)} 片）：{cut_off} 与其余单元不相邻。",
                    f"The units fall into {len(parts)} pieces: {cut_off} do not reach the rest.")
    centres = shapely.centroid(np.array(blocks, dtype=object))
    return cells, edges, np.column_stack((shapely.get_x(centres), shapely.get_y(centres)))


def _share_k(units: Sequence[Unit], zones: list[_Zone], k: int) -> None:
    check_k(k, len(units))
    loads = [math.fsum(units[i].load for i in z.index) for z in zones]
    if len(zones) > 1 and k < len(zones):
        raise _fail("k_below_zones", f"每个分区至少一个网格：k 至少为 {len(zones)}。",
                    f"Each zone needs a grid: k must be at least {len(zones)}.", "k")
    for zone, share in zip(zones, apportion(loads, k, caps=[len(z.index) for z in zones]),
                           strict=True):
        zone.k = share


def _group(units: Sequence[Unit], zone: _Zone, edges: dict[tuple[int, int], float],
           xy: NDArray[np.float64], *, start: Start, seed: int, compactness: float,
           seconds: float) -> tuple[list[int], bool]:
    loads = [units[i].load for i in zone.index]
    grids = [units[i].grid for i in zone.index]
    numbered = {g: n for n, g in enumerate(dict.fromkeys(g for g in grids if g is not None))}
    current = [None if g is None else numbered[g] for g in grids] if numbered else None
    tries = ["current", "fresh"] if start == "best" and current else [
        "current" if start == "current" and current else "fresh"]
    best: tuple[float, list[int], bool] | None = None
    for name in tries:
        found = partition(loads=loads, edges=edges, xy=xy, k=zone.k, seed=seed,
                          start=current if name == "current" else None,
                          compactness=compactness, max_seconds=seconds / len(tries))
        if best is None or found.score < best[0]:
            best = (found.score, found.labels, found.converged)
    assert best is not None
    return best[1], best[2]


def _dissolve(cells: Sequence[BaseGeometry]) -> Polygon:
    """Union of a group's cells, one polygon; holes and pieces below the tolerance dropped."""
    geoms = np.array(cells, dtype=object)
    parts = _big_parts(dissolve(geoms))
    if len(parts) != 1:  # cells from separate surveys need not share vertices exactly
        parts = _big_parts(shapely.union_all(geoms, grid_size=SNAP_M))
    if len(parts) != 1:  # cannot happen for cells joined by shared edges; say so if it does
        raise AssertionError(f"a proposed grid came out in {len(parts)} pieces")
    holes = [h for h in parts[0].interiors if Polygon(h).area >= TOLERANCE_M2]
    return Polygon(parts[0].exterior, holes)


def _big_parts(geom: BaseGeometry) -> list[Polygon]:
    return [p for p in shapely.get_parts(geom) if p.area >= TOLERANCE_M2]


def _reading_order(polys: list[Polygon]) -> list[int]:
    band = math.sqrt(sum(p.area for p in polys) / len(polys)) * 1.5
    centres = [p.centroid for p in polys]
    return sorted(range(len(polys)), key=lambda i: (-round(centres[i].y / band), centres[i].x))


def _heirs(groups: list[list[int]], units: Sequence[Unit]) -> list[Key | None]:
    """The current grid each group continues: largest overlap first, each grid once."""
    overlap = [(n, gi, grid) for gi, members in enumerate(groups)
               for grid, n in Counter(units[i].grid for i in members).items() if grid is not None]
    heirs: list[Key | None] = [None] * len(groups)
    taken: set[Key] = set()
    for _, gi, grid in sorted(overlap, key=lambda t: (-t[0], t[1])):
        if heirs[gi] is None and grid not in taken:
            heirs[gi] = grid
            taken.add(grid)
    return heirs


def propose(
    *,
    units: Sequence[Unit],
    k: int,
    parent: BaseGeometry | Mapping[Key, BaseGeometry] | None = None,
    seed: int = 0,
    start: Start = "best",
    compactness: float = 0.01,
    max_seconds: float = 60.0,
    sample_m: float = 10.0,
    min_shared_m: float = 5.0,
) -> Proposal:
    """Return a draft regrouping of the units into k contiguous grids of even load.

    ``parent`` is what the grids must tile (a polygon, or one per zone); without it, the
    blocks and the roads between them. ``start``: "current" begins from the units' current
    grids (fewest changes), "fresh" from a recursive bisection, "best" tries both and keeps
    the better. Deterministic for a given seed unless ``max_seconds`` runs out.

    >>> blocks = [shapely.box(104.06 + i * 0.001, 30.66, 104.061 + i * 0.001, 30.661)
    ...           for i in range(4)]
    >>> units = [Unit(key=f"b{i}", geom=b, load=[3, 1, 1, 1][i], grid="g1" if i < 3 else "g2")
    ...          for i, b in enumerate(blocks)]
    >>> draft = propose(units=units, k=2)
    >>> draft.groups, draft.loads, draft.spread_before, draft.spread_after
    ([['b0'], ['b1', 'b2', 'b3']], [3.0, 3.0], 0.6666666666666666, 0.0)
    """
    began = time.perf_counter()
    _check_units(units)
    origin = _origin(units)
    zones = _zones(units, parent, origin)
    _share_k(units, zones, k)
    groups: list[list[int]] = []
    polygons: list[Polygon] = []
    zone_of: list[Key | None] = []
    converged = True
    waiting = len(units)
    for zone in zones:
        cells, edges, xy = _graph(units, zone, origin, sample_m, min_shared_m)
        left = max_seconds - (time.perf_counter() - began)
        labels, done = _group(units, zone, edges, xy, start=start, seed=seed,
                              compactness=compactness, seconds=left * len(zone.index) / waiting)
        waiting -= len(zone.index)
        converged = converged and done
        by: list[list[int]] = [[] for _ in range(zone.k)]
        for p, g in enumerate(labels):
            by[g].append(p)
        members = [[zone.index[p] for p in group] for group in by]
        polys = [_dissolve([cells[p] for p in group]) for group in by]
        for n in _reading_order(polys):
            groups.append(members[n])
            polygons.append(cast(Polygon, from_local_m(polys[n], origin=origin)))
            zone_of.append(zone.key)
    before: dict[Key, float] = {}
    for u in units:
        if u.grid is not None:
            before[u.grid] = before.get(u.grid, 0.0) + u.load
    heirs = _heirs(groups, units)
    loads = [math.fsum(units[i].load for i in g) for g in groups]
    kept = sum(1 for g, heir in zip(groups, heirs, strict=True) for i in g
               if heir is not None and units[i].grid == heir)
    return Proposal(
        groups=[[units[i].key for i in g] for g in groups], polygons=polygons, loads=loads,
        zones=zone_of, from_grid=heirs, before=before,
        spread_before=spread(list(before.values())) if before else None,
        spread_after=spread(loads), kept=kept / len(units),
        seconds=time.perf_counter() - began, converged=converged)
