"""Buildings (楼栋) on a lattice inside each block, and the flats households live in."""

import math
import random
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon

SETBACK = 4.0  # metres between a building and its block's kerb

# floors, units, flats per unit and floor, length per unit, depth, lattice cell (u, v)
Kind = tuple[tuple[int, int], tuple[int, int], int, float, float, tuple[float, float]]
KINDS: dict[str, Kind] = {
    "walkup": ((6, 7), (2, 4), 2, 13.0, 11.0, (62.0, 27.0)),
    "midrise": ((11, 18), (2, 3), 2, 16.0, 14.0, (66.0, 40.0)),
    "tower": ((24, 33), (1, 2), 4, 20.0, 20.0, (60.0, 56.0)),
    "village": ((2, 4), (1, 1), 1, 14.0, 10.0, (26.0, 24.0)),
    "campus": ((3, 6), (1, 2), 0, 26.0, 16.0, (72.0, 40.0)),
}
URBAN_KINDS, URBAN_WEIGHTS = ("walkup", "midrise", "tower"), (0.45, 0.35, 0.20)


@dataclass
class Candidates:
    """Possible buildings of one block, in the order they are taken."""

    cx: np.ndarray
    cy: np.ndarray
    length: np.ndarray
    depth: np.ndarray
    floors: np.ndarray
    units: np.ndarray
    flats: int  # per unit and floor
    angle: float

    @property
    def capacity(self) -> np.ndarray:
        return self.floors * self.units * self.flats


def candidates(rng: random.Random, block: Polygon, kind: str, angle: float,
               village_radius: float | None = None) -> Candidates:
    """Lattice sites in a block that fit a building, nearest to a cluster centre first."""
    (f0, f1), (u0, u1), flats, unit_len, depth, (cu, cv) = KINDS[kind]
    inner = block.buffer(-SETBACK, join_style="mitre")
    ca, sa = math.cos(angle), math.sin(angle)
    xy = shapely.get_coordinates(block)
    u, v = xy[:, 0] * ca + xy[:, 1] * sa, -xy[:, 0] * sa + xy[:, 1] * ca
    us = np.arange(u.min() + rng.uniform(0, cu), u.max(), cu)
    vs = np.arange(v.min() + rng.uniform(0, cv), v.max(), cv)
    gu, gv = (a.ravel() for a in np.meshgrid(us, vs))
    cx, cy = gu * ca - gv * sa, gu * sa + gv * ca
    centre = block.representative_point()
    near = np.hypot(cx - centre.x, cy - centre.y)
    if village_radius is not None:
        keep = near < village_radius
        gu, gv, cx, cy, near = gu[keep], gv[keep], cx[keep], cy[keep], near[keep]
    n = len(gu)
    nrng = np.random.default_rng(rng.getrandbits(64))
    units = nrng.integers(u0, u1 + 1, n)
    floors = nrng.integers(f0, f1 + 1, n)
    length = unit_len * units + (4.0 if kind == "tower" else 0.0)
    rects = rectangles(cx, cy, length, np.full(n, depth), angle)
    ok = shapely.contains(inner, rects) if n else np.zeros(0, bool)
    dist = near + nrng.uniform(0, max(cu, cv) * 1.5, n)
    order = np.flatnonzero(ok)[np.argsort(dist[ok], kind="stable")]
    return Candidates(cx[order], cy[order], length[order], np.full(len(order), depth),
                      floors[order], units[order], flats, angle)


def rectangles(cx: np.ndarray, cy: np.ndarray, length: np.ndarray, depth: np.ndarray,
               angle: float) -> np.ndarray:
    """Rotated rectangles (long side along angle) as shapely polygons."""
    ca, sa = math.cos(angle), math.sin(angle)
    su = np.array([-0.5, 0.5, 0.5, -0.5, -0.5])
    sv = np.array([-0.5, -0.5, 0.5, 0.5, -0.5])
    du = length[:, None] * su[None, :]
    dv = depth[:, None] * sv[None, :]
    x = cx[:, None] + du * ca - dv * sa
    y = cy[:, None] + du * sa + dv * ca
    return shapely.polygons(np.stack((x, y), axis=-1))


def take_for(c: Candidates, households: int, occupancy: float) -> int:
    """How many of the candidates are built so that households fit at this occupancy."""
    if households <= 0:
        return 0
    need = households / occupancy
    cum = np.cumsum(c.capacity)
    k = int(np.searchsorted(cum, need)) + 1
    return min(k, len(cum))


def flat_points(nrng: np.random.Generator, c: Candidates, idx: np.ndarray,
                unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A point inside building idx near the given unit's stairwell, one per flat."""
    ca, sa = math.cos(c.angle), math.sin(c.angle)
    length, depth, units = c.length[idx], c.depth[idx], c.units[idx]
    du = ((unit - 0.5) / units - 0.5) * length + nrng.uniform(-0.3, 0.3, len(idx)) * (
        length / units)
    dv = nrng.uniform(-0.35, 0.35, len(idx)) * depth
    return c.cx[idx] + du * ca - dv * sa, c.cy[idx] + du * sa + dv * ca
