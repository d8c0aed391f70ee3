"""Cells around blocks: a tiling of the parent in which every block stays whole.

Blocks are the polygons between roads. In the demo seed and in surveyed data they stop at
the kerb, so neighbouring blocks do not touch: a road corridor runs between them. To give
every square metre of a community to exactly one grid, each block gets a cell: the block
itself plus the part of the leftover (corridors, squares, river banks) nearer to it than to
any other block, found with a Voronoi diagram of points sampled every ``sample_m`` along the
block outlines. Cells tile the parent, so any union of them is a grid that tiles with its
siblings; the boundary between two cells runs down the middle of the road between their
blocks, which is where a grid boundary along a street belongs. When the blocks already
tile the parent (faces of a noded road network), the cells are the blocks.

Two blocks are neighbours when their cells share a boundary of some length: the blocks face
each other across a street (or share an edge). Work happens in local metres.
"""

import contextlib
from collections.abc import Sequence
from typing import cast

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoInputError
from geo.metric import from_local_m, to_local_m
from geo.validate import explain_invalid

SNAP_M = 0.001  # metres: snap-rounding grid when comparing shared boundaries
JITTER_M = 0.01  # metres: see _voronoi_regions
TOLERANCE_M2 = 1.0  # overlaps and overhangs smaller than this are noise
GAP_M2 = 0.01  # leftover pieces smaller than this are rounding, not roads

Edges = dict[tuple[int, int], float]


def _polygon_array(blocks: Sequence[BaseGeometry], names: Sequence[str]) -> NDArray[np.object_]:
    out = np.empty(len(blocks), dtype=object)
    for i, block in enumerate(blocks):
        reason = explain_invalid(block) if isinstance(block, Polygon) else None
        if not isinstance(block, Polygon) or block.is_empty or reason is not None:
            why = reason or ("不是单个多边形", "not a single non-empty polygon")
            raise GeoInputError(
                "unit_geometry_invalid",
                message_zh=f"单元 {names[i]} 的几何无效：{why[0]}。",
                message_en=f"Geometry of unit {names[i]} is invalid: {why[1]}.",
                field="units",
            )
        out[i] = block
    return out


def _check_inside_and_apart(
    blocks: NDArray[np.object_], whole: BaseGeometry, names: Sequence[str]
) -> None:
    outside = shapely.area(shapely.difference(blocks, whole))
    for i in np.flatnonzero(outside >= TOLERANCE_M2)[:1].tolist():
        raise GeoInputError(
            "unit_outside_parent",
            message_zh=f"单元 {names[i]} 有 {outside[i]:.0f} 平方米在上级网格之外。",
            message_en=f"Unit {names[i]} has {outside[i]:.0f} m² outside the parent.",
            field="units",
        )
    left, right = shapely.STRtree(blocks).query(blocks, predicate="intersects")
    keep = left < right
    shared = shapely.area(shapely.intersection(blocks[left[keep]], blocks[right[keep]]))
    for n in np.flatnonzero(shared >= TOLERANCE_M2)[:1].tolist():
        i, j = int(left[keep][n]), int(right[keep][n])
        raise GeoInputError(
            "units_overlap",
            message_zh=f"单元 {names[i]} 与 {names[j]} 重叠 {shared[n]:.0f} 平方米。",
            message_en=f"Units {names[i]} and {names[j]} overlap by {shared[n]:.0f} m².",
            field="units",
        )


def _voronoi_regions(
    blocks: NDArray[np.object_], whole: BaseGeometry, sample_m: float
) -> NDArray[np.object_]:
    """Per block, the part of ``whole`` nearer to its outline than to any other block's."""
    outlines = shapely.segmentize(shapely.boundary(blocks), sample_m)
    xy, owner = shapely.get_coordinates(outlines, return_index=True)
    # Blocks that touch share outline points; each point may have one owner only.
    _, first = np.unique(np.round(xy, 3), axis=0, return_index=True)
    first.sort()
    xy, owner = xy[first], owner[first]
    # Evenly spaced points on straight outlines are co-circular by the thousand, and GEOS
    # then returns self-touching cells; a fixed centimetre of jitter keeps them apart.
    xy = xy + np.random.default_rng(0).uniform(-JITTER_M, JITTER_M, xy.shape)
    diagram = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=whole, ordered=True)
    pieces = shapely.get_parts(diagram)
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(len(blocks) + 1))
    regions = np.empty(len(blocks), dtype=object)
    for i in range(len(blocks)):
        regions[i] = dissolve(pieces[order[bounds[i] : bounds[i + 1]]])
    # Voronoi edges zig-zag about the road's middle line by a fraction of sample_m.
    with contextlib.suppress(shapely.errors.GEOSException):
        regions = shapely.coverage_simplify(regions, sample_m / 4, simplify_boundary=False)
    shapely.prepare(whole)
    out = ~shapely.contains(whole, regions)
    regions[out] = shapely.intersection(regions[out], whole)
    return regions


def dissolve(pieces: NDArray[np.object_]) -> BaseGeometry:
    """Union of pieces that tile without overlap (Voronoi cells, or the cells of a grid);
    when they are badly noded (co-circular sample points, separate surveys), snapped."""
    try:
        return shapely.coverage_union_all(pieces)
    except shapely.errors.GEOSException:
        return shapely.union_all(pieces, grid_size=SNAP_M)


def _give_blocks_back(
    regions: NDArray[np.object_], blocks: NDArray[np.object_]
) -> NDArray[np.object_]:
    """Each region minus the other blocks, plus its own block whole."""
    near_region, near_block = shapely.STRtree(blocks).query(regions, predicate="intersects")
    cells = np.empty(len(blocks), dtype=object)
    for i in range(len(blocks)):
        others = near_block[(near_region == i) & (near_block != i)]
        region = regions[i]
        if len(others):
            region = shapely.difference(region, shapely.union_all(blocks[others]))
        cells[i] = shapely.union(region, blocks[i])
    return cells


def _reattach_strays(cells: NDArray[np.object_], blocks: NDArray[np.object_]) -> None:
    """Give a cell's parts cut off from its block to the cell they share most outline with."""
    for i in np.flatnonzero(shapely.get_num_geometries(cells) > 1).tolist():
        parts = [p for p in shapely.get_parts(cells[i]) if p.geom_type == "Polygon"]
        anchor = blocks[i].representative_point()
        home = max(parts, key=lambda p: (p.contains(anchor), p.area))
        cells[i] = home
        for stray in parts:
            if stray is home:
                continue
            near = shapely.STRtree(cells).query(stray, predicate="dwithin", distance=SNAP_M)
            lengths = [
                (_shared(stray, cells[j]), int(j)) for j in near.tolist() if int(j) != i
            ]
            target = max(lengths, default=(0.0, i))[1]
            cells[target] = shapely.union(cells[target], stray, grid_size=SNAP_M)


def _shared(a: BaseGeometry, b: BaseGeometry) -> float:
    return float(shapely.intersection(a.boundary, b.boundary, grid_size=SNAP_M).length)


def tessellate_m(
    blocks: Sequence[BaseGeometry],
    whole: BaseGeometry,
    *,
    sample_m: float = 10.0,
    names: Sequence[str] | None = None,
) -> list[Polygon]:
    """Return one cell per block (local metres) that keeps the block whole and tiles whole.

    >>> west, east = shapely.box(0, 0, 90, 100), shapely.box(110, 0, 200, 100)
    >>> [round(c.area / 1e4, 2) for c in tessellate_m([west, east], shapely.box(0, 0, 200, 100))]
    [1.0, 1.0]
    """
    names = list(names) if names is not None else [str(i) for i in range(len(blocks))]
    parts = _polygon_array(blocks, names)
    if not len(parts):
        return []
    _check_inside_and_apart(parts, whole, names)
    parts = shapely.intersection(parts, whole)  # trims overhangs below the tolerance
    leftover = shapely.difference(whole, shapely.union_all(parts))
    if not any(p.area >= GAP_M2 for p in shapely.get_parts(leftover)):
        return list(parts)
    cells = _give_blocks_back(_voronoi_regions(parts, whole, sample_m), parts)
    _reattach_strays(cells, parts)
    return list(cells)


def tessellate(
    blocks: Sequence[BaseGeometry], whole: BaseGeometry, *, sample_m: float = 10.0
) -> list[Polygon]:
    """Return one cell per lon/lat block that keeps the block whole and tiles ``whole``.

    >>> whole = shapely.box(104.06, 30.66, 104.062, 30.661)
    >>> west = shapely.box(104.06, 30.66, 104.0609, 30.661)
    >>> east = shapely.box(104.0611, 30.66, 104.062, 30.661)
    >>> [round(c.bounds[2], 6) for c in tessellate([west, east], whole)]
    [104.061, 104.062]
    """
    center = whole.centroid
    origin = (float(center.x), float(center.y))
    local = [to_local_m(b, origin=origin) for b in blocks]
    cells = tessellate_m(local, to_local_m(whole, origin=origin), sample_m=sample_m)
    return [cast(Polygon, from_local_m(c, origin=origin)) for c in cells]


def shared_lengths_m(cells: Sequence[BaseGeometry], *, min_m: float = 5.0) -> Edges:
    """Return {(i, j): metres of shared outline} for cells i < j that are neighbours.

    A pair counts when it shares at least ``min_m``, or when the pair is the longest
    contact either cell has (so no cell is left without a neighbour by the threshold);
    corner contacts (length 0) never count.

    >>> a, b, c = shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(2, 1, 3, 2)
    >>> shared_lengths_m([a, b, c], min_m=0.5)
    {(0, 1): 1.0}
    """
    geoms = np.array(list(cells), dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=SNAP_M)
    keep = left < right
    left, right = left[keep], right[keep]
    lengths = shapely.length(
        shapely.intersection(
            shapely.boundary(geoms[left]), shapely.boundary(geoms[right]), grid_size=SNAP_M
        )
    )
    longest = np.zeros(len(geoms))
    np.maximum.at(longest, left, lengths)
    np.maximum.at(longest, right, lengths)
    edges: Edges = {}
    for i, j, length in zip(left.tolist(), right.tolist(), lengths.tolist(), strict=True):
        if length > SNAP_M and (length >= min_m or length >= min(longest[i], longest[j])):
            edges[(i, j)] = length
    return edges
