"""Grids from faces: merge faces into comprehensive grids, then blocks and dedicated grids."""

import random
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Polygon

from seed.geom import SNAP, farthest_points, parts
from seed.streets import Network, face_adjacency

HALF_WIDTH = {"arterial": 15.0, "local": 6.0}  # metres from centreline to kerb
DEDICATED_KINDS = ("school", "hospital", "market", "business")


@dataclass
class Layout:
    """Metric layout: which faces make which grid, and the shapes of every level."""

    net: Network
    grid_faces: list[list[int]]
    grid_community: list[int]
    grids: list[Polygon]
    communities: list[Polygon]
    streets: list[Polygon]
    top: Polygon
    face_grid: np.ndarray
    blocks: np.ndarray  # per face: the kerb-bounded block polygon, or None
    dedicated_faces: list[int] = field(default_factory=list)
    dedicated_kinds: list[str] = field(default_factory=list)


def merge_faces(faces: list[int], area: np.ndarray, adj: dict[tuple[int, int], float],
                target: int) -> list[list[int]]:
    """Merge adjacent faces, smallest first, until target groups remain."""
    members = {f: [f] for f in faces}
    garea = {f: float(area[f]) for f in faces}
    nbr: dict[int, dict[int, float]] = {f: {} for f in faces}
    for (a, b), length in adj.items():
        if a in nbr and b in nbr:
            nbr[a][b] = nbr[a].get(b, 0.0) + length
            nbr[b][a] = nbr[b].get(a, 0.0) + length
    stuck: set[int] = set()
    while len(members) > target:
        free = [k for k in members if k not in stuck]
        if not free:
            break
        g = min(free, key=lambda k: (garea[k], k))
        if not nbr[g]:
            stuck.add(g)
            continue
        longest = max(nbr[g].values())
        h = min((k for k, v in nbr[g].items() if v >= 0.3 * longest),
                key=lambda k: (garea[k], k))
        members[h] += members.pop(g)
        garea[h] += garea.pop(g)
        for k, length in nbr.pop(g).items():
            del nbr[k][g]
            if k != h:
                nbr[k][h] = nbr[k].get(h, 0.0) + length
                nbr[h][k] = nbr[h].get(k, 0.0) + length
        stuck.discard(h)
    return [sorted(m) for m in members.values()]


def reading_order(polys: list[Polygon], band: float) -> list[int]:
    """Indices sorted north to south in bands, west to east within a band."""
    c = shapely.centroid(np.array(polys, dtype=object))
    xs, ys = shapely.get_x(c), shapely.get_y(c)
    return sorted(range(len(polys)), key=lambda i: (-round(ys[i] / band), xs[i], i))


def build_layout(net: Network, targets: list[int]) -> Layout:
    """Comprehensive grids per community, in reading order, and their parents' shapes."""
    area = shapely.area(net.faces)
    adj = face_adjacency(net)
    grid_faces: list[list[int]] = []
    grid_comm: list[int] = []
    grids: list[Polygon] = []
    comm_geoms: list[Polygon] = []
    for ci in range(len(net.communities)):
        faces = np.flatnonzero(net.face_community == ci).tolist()
        groups = merge_faces(faces, area, adj, targets[ci])
        polys = [_union(net.faces[g]) for g in groups]
        band = float(np.sqrt(np.mean([p.area for p in polys]))) * 1.5
        for i in reading_order(polys, band):
            grid_faces.append(groups[i])
            grid_comm.append(ci)
            grids.append(polys[i])
        comm_geoms.append(_union(np.array(polys, dtype=object)))
    streets = [_union(np.array([g for g, s in zip(comm_geoms, net.community_street,
                                                  strict=True) if s == si], dtype=object))
               for si in range(len(net.streets))]
    top = _union(np.array(streets, dtype=object))
    face_grid = np.full(len(net.faces), -1)
    for gi, fs in enumerate(grid_faces):
        face_grid[fs] = gi
    return Layout(net, grid_faces, grid_comm, grids, comm_geoms, streets, top, face_grid,
                  blocks_for(net))


def _union(geoms: np.ndarray) -> Polygon:
    """Union of faces that share edges; a single polygon when they are connected."""
    u = shapely.union_all(geoms, grid_size=SNAP)
    ps = parts(u)
    return ps[0] if len(ps) == 1 else u


def blocks_for(net: Network) -> np.ndarray:
    """Each face shrunk to the kerbs: half a local street, more along arterials."""
    blocks = shapely.buffer(net.faces, -HALF_WIDTH["local"], join_style="mitre")
    art = [r.line for r in net.roads if r.klass == "arterial"]
    if art:
        extra = shapely.buffer(np.array(art, dtype=object), HALF_WIDTH["arterial"], quad_segs=2)
        tree = shapely.STRtree(extra)
        fi, ai = tree.query(blocks, predicate="intersects")
        for f in np.unique(fi).tolist():
            near = shapely.union_all(extra[ai[fi == f]])
            blocks[f] = shapely.difference(blocks[f], near)
    out = np.empty(len(blocks), dtype=object)
    for i, b in enumerate(blocks):
        ps = [p for p in parts(b) if p.geom_type == "Polygon"]
        best = max(ps, key=lambda p: p.area) if ps else None
        out[i] = best if best is not None and best.area >= 300.0 else None
    return out


def choose_dedicated(rng: random.Random, lay: Layout, count: int,
                     industrial_from: float | None = None) -> None:
    """Pick well-spread mid-sized blocks to become dedicated grids (学校, 医院, 市场, 商圈)."""
    ok = [i for i, b in enumerate(lay.blocks) if b is not None and 6_000 <= b.area <= 90_000]
    if not ok or count <= 0:
        return
    blocks = np.array([lay.blocks[i] for i in ok], dtype=object)
    compact = shapely.area(blocks) / shapely.area(shapely.oriented_envelope(blocks)) > 0.85
    ok = [i for i, c in zip(ok, compact.tolist(), strict=True) if c] or ok
    c = shapely.centroid(np.array([lay.blocks[i] for i in ok], dtype=object))
    xy = np.column_stack((shapely.get_x(c), shapely.get_y(c)))
    picks = farthest_points(rng, xy, count)
    for n, p in enumerate(picks):
        kind = DEDICATED_KINDS[n] if n < len(DEDICATED_KINDS) else rng.choices(
            DEDICATED_KINDS, (35, 12, 28, 25))[0]
        if industrial_from is not None and float(np.hypot(*xy[p])) > industrial_from \
                and rng.random() < 0.5:
            kind = "industrial"
        lay.dedicated_faces.append(ok[p])
        lay.dedicated_kinds.append(kind)
