"""Geometry helpers for the generator: a local metric frame and wavy road lines.

All layout work happens in metres (x east, y north) around the origin; only the
finished rows are turned into lon/lat. The mapping is one affine function per axis,
so vertices shared by neighbouring polygons stay shared after projection.
"""

import math
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

M_PER_DEG = 6_371_008.8 * math.pi / 180.0  # metres per degree on the mean sphere
SNAP = 0.01  # metres: precision grid of the noded road network


@dataclass(frozen=True)
class Frame:
    """Local equirectangular frame centred on (lon0, lat0)."""

    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        return M_PER_DEG * math.cos(math.radians(self.lat0))

    def lonlat(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Metric coordinates → lon/lat arrays."""
        return self.lon0 + np.asarray(x) / self.kx, self.lat0 + np.asarray(y) / M_PER_DEG

    def project(self, geoms: Any) -> Any:
        """Metric geometries → lon/lat geometries (same shape)."""
        kx = self.kx

        def fn(c: np.ndarray) -> np.ndarray:
            return np.column_stack((self.lon0 + c[:, 0] / kx, self.lat0 + c[:, 1] / M_PER_DEG))

        return shapely.transform(geoms, fn)


def blob(rng: random.Random, radius: float, *, vertices: int = 72, stretch: float = 1.15,
         centre: tuple[float, float] = (0.0, 0.0)) -> Polygon:
    """An irregular, roughly round polygon like an administrative boundary."""
    waves = [(k, rng.uniform(0.03, 0.10) / k * 2, rng.uniform(0, 2 * math.pi))
             for k in range(2, 7)]
    tilt = rng.uniform(0, math.pi)
    pts = []
    for i in range(vertices):
        t = 2 * math.pi * i / vertices
        r = radius * (1 + sum(a * math.cos(k * t + p) for k, a, p in waves))
        r *= 1 + rng.uniform(-0.015, 0.015)
        x, y = r * math.cos(t) * stretch, r * math.sin(t) / stretch
        pts.append((centre[0] + x * math.cos(tilt) - y * math.sin(tilt),
                    centre[1] + x * math.sin(tilt) + y * math.cos(tilt)))
    return shapely.make_valid(Polygon(pts)).buffer(0)


def wavy_line(rng: random.Random, *, through: tuple[float, float], angle: float,
              half_length: float, amplitude: float, wavelength: float, step: float,
              jitter: float) -> LineString:
    """A gently curving line through a point, running along angle (radians)."""
    n = max(2, int(2 * half_length / step) + 1)
    phase = rng.uniform(0, 2 * math.pi)
    bend = rng.uniform(-1, 1) * amplitude
    t = np.linspace(-half_length, half_length, n)
    noise = np.array([rng.gauss(0, jitter) for _ in range(n)])
    off = amplitude * np.sin(2 * math.pi * t / wavelength + phase) + bend * (t / half_length) ** 2
    off = off + noise
    ca, sa = math.cos(angle), math.sin(angle)
    x = through[0] + t * ca - off * sa
    y = through[1] + t * sa + off * ca
    return LineString(np.column_stack((x, y)))


def line_family(rng: random.Random, region: Polygon, *, angle: float, count: int | None = None,
                spacing: float | None = None, amplitude: float, wavelength: float,
                step: float, jitter: float) -> list[LineString]:
    """Parallel-ish wavy lines across region: count of them, or one every spacing metres."""
    ca, sa = math.cos(angle), math.sin(angle)
    coords = shapely.get_coordinates(region.exterior)
    u = coords[:, 0] * ca + coords[:, 1] * sa
    v = -coords[:, 0] * sa + coords[:, 1] * ca
    umid, half = (u.min() + u.max()) / 2, (u.max() - u.min()) / 2 + 4 * step
    vmin, vmax = v.min(), v.max()
    if count is None:
        assert spacing is not None
        count = max(0, int((vmax - vmin) / spacing))
        offset = rng.uniform(0.3, 0.7) * ((vmax - vmin) - (count - 1) * spacing)
        positions = [vmin + offset + i * spacing for i in range(count)]
        wiggle = spacing * 0.12
    else:
        gap = (vmax - vmin) / (count + 1)
        positions = [vmin + (i + 1) * gap for i in range(count)]
        wiggle = gap * 0.12
    lines = []
    for pos in positions:
        pos += rng.uniform(-wiggle, wiggle)
        a = angle + rng.uniform(-0.05, 0.05)
        through = (umid * ca - pos * sa, umid * sa + pos * ca)
        lines.append(wavy_line(rng, through=through, angle=a, half_length=half,
                               amplitude=amplitude, wavelength=wavelength, step=step,
                               jitter=jitter))
    return lines


def parts(geom: BaseGeometry) -> list:
    """The non-empty single parts of a geometry, in GEOS order."""
    return [g for g in shapely.get_parts(geom) if not g.is_empty]


def random_points_in(rng: random.Random, poly: Polygon, n: int) -> list[tuple[float, float]]:
    """n points uniformly inside poly (rejection sampling; deterministic given rng)."""
    minx, miny, maxx, maxy = poly.bounds
    shapely.prepare(poly)
    out: list[tuple[float, float]] = []
    for _ in range(200):
        xs = np.array([rng.uniform(minx, maxx) for _ in range(4 * n + 8)])
        ys = np.array([rng.uniform(miny, maxy) for _ in range(4 * n + 8)])
        inside = shapely.contains_xy(poly, xs, ys)
        out.extend(zip(xs[inside].tolist(), ys[inside].tolist(), strict=True))
        if len(out) >= n:
            return out[:n]
    p = poly.representative_point()
    return (out + [(p.x, p.y)] * n)[:n]


def farthest_points(rng: random.Random, xy: np.ndarray, k: int) -> list[int]:
    """Indices of k well-spread points (greedy farthest-point sampling)."""
    if k >= len(xy):
        return list(range(len(xy)))
    chosen = [rng.randrange(len(xy))]
    dist = np.hypot(xy[:, 0] - xy[chosen[0], 0], xy[:, 1] - xy[chosen[0], 1])
    while len(chosen) < k:
        i = int(np.argmax(dist))
        chosen.append(i)
        dist = np.minimum(dist, np.hypot(xy[:, 0] - xy[i, 0], xy[:, 1] - xy[i, 1]))
    return chosen


def shared_edges(faces: np.ndarray) -> dict[tuple[int, int], float]:
    """Shared boundary length per adjacent face pair (faces from one noded network)."""
    rings, ring_face = shapely.get_rings(faces, return_index=True)
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    same = ring_idx[1:] == ring_idx[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    face = ring_face[ring_idx[:-1][same]]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo = np.where(swap[:, None], b, a)
    hi = np.where(swap[:, None], a, b)
    keys = np.column_stack((lo, hi))
    _, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    order = np.lexsort((face, inverse))
    seg, fac = inverse[order], face[order]
    length = np.hypot(*(hi - lo).T)[order]
    pair = (seg[1:] == seg[:-1]) & (fac[1:] != fac[:-1])
    out: dict[tuple[int, int], float] = {}
    for i in np.flatnonzero(pair).tolist():
        key = (int(fac[i]), int(fac[i + 1]))
        out[key] = out.get(key, 0.0) + float(length[i])
    return out
