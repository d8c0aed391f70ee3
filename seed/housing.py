"""Which blocks get which buildings, and which flats are lived in (one household each)."""

import random
from dataclasses import dataclass, field

import numpy as np
import shapely

from seed.buildings import (
    URBAN_KINDS,
    URBAN_WEIGHTS,
    Candidates,
    candidates,
    flat_points,
    rectangles,
    take_for,
)
from seed.layout import Layout
from seed.presets import Preset
from seed.streets import allocate, density

CAMPUS_NAMES = {"school": "教学楼", "hospital": "门诊楼", "market": "市场大楼",
                "business": "商业楼", "industrial": "厂房"}


@dataclass
class Housing:
    """Buildings (metric) and occupied flats, as parallel lists / arrays."""

    block_face: list[int] = field(default_factory=list)  # face index of each block row
    block_address: list[tuple[str, int]] = field(default_factory=list)
    b_block: list[int] = field(default_factory=list)  # index into block rows
    b_name: list[str] = field(default_factory=list)
    b_floors: list[int] = field(default_factory=list)
    b_units: list[int] = field(default_factory=list)
    b_geom: list = field(default_factory=list)
    h_building: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    h_unit: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    h_floor: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    h_door: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    h_x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    h_y: np.ndarray = field(default_factory=lambda: np.zeros(0))


def addresses(rng: random.Random, lay: Layout, faces: list[int]) -> list[tuple[str, int]]:
    """(road name, door number) of each block: its nearest road, numbered along the road."""
    roads = lay.net.roads
    tree = shapely.STRtree(np.array([r.line for r in roads], dtype=object))
    pts = shapely.point_on_surface(np.array([lay.blocks[f] for f in faces], dtype=object))
    nearest = tree.nearest(pts) if len(faces) else np.zeros(0, int)
    counter: dict[str, int] = {}
    out = []
    for ri in nearest.tolist():
        name = roads[ri].name
        counter[name] = counter.get(name, rng.randint(0, 10)) + rng.randint(1, 8)
        out.append((name, counter[name]))
    return out


def build_housing(rng: random.Random, lay: Layout, preset: Preset) -> Housing:
    """Buildings in every block and preset.households occupied flats among them."""
    hs = Housing()
    ded = dict(zip(lay.dedicated_faces, lay.dedicated_kinds, strict=True))
    hs.block_face = [i for i, b in enumerate(lay.blocks) if b is not None]
    hs.block_address = addresses(rng, lay, hs.block_face)
    angles = lay.net.community_angle
    cands: list[Candidates | None] = []
    weights: list[float] = []
    for f in hs.block_face:
        block = lay.blocks[f]
        angle = angles[lay.net.face_community[f]] + rng.uniform(-0.04, 0.04)
        c = block.centroid
        d = density(c.x, c.y, preset)
        if f in ded:
            cands.append(candidates(rng, block, "campus", angle))
            weights.append(0.0)
        elif rng.random() < 0.06:  # park, square or building site
            cands.append(None)
            weights.append(0.0)
        else:
            rural = preset.counties and d < 1.6
            kind = "village" if rural else rng.choices(URBAN_KINDS, URBAN_WEIGHTS)[0]
            cands.append(candidates(rng, block, kind, angle, 130.0 if rural else None))
            weights.append(block.area * d * d * rng.lognormvariate(0, 0.45))
    caps = [int(0.92 * c.capacity.sum()) if c is not None and w > 0 else 0
            for c, w in zip(cands, weights, strict=True)]
    alloc = capped_allocate(weights, caps, preset.households)
    nrng = np.random.default_rng(rng.getrandbits(64))
    flats: list[tuple[np.ndarray, ...]] = []
    for bi, (f, c) in enumerate(zip(hs.block_face, cands, strict=True)):
        if c is None or len(c.cx) == 0:
            continue
        if f in ded:
            k = min(len(c.cx), rng.randint(1, 4))
            label = CAMPUS_NAMES[ded[f]]
            names = [f"{j + 1}号{label}" for j in range(k)]
        else:
            k = take_for(c, alloc[bi], rng.uniform(0.72, 0.92))
            names = [f"{j + 1}栋" for j in range(k)]
        first = len(hs.b_name)
        hs.b_block += [bi] * k
        hs.b_name += names
        hs.b_floors += c.floors[:k].tolist()
        hs.b_units += c.units[:k].tolist()
        hs.b_geom += list(rectangles(c.cx[:k], c.cy[:k], c.length[:k], c.depth[:k], c.angle))
        if alloc[bi]:
            flats.append(occupy(nrng, c, k, alloc[bi], first))
    if flats:
        cols = [np.concatenate(col) for col in zip(*flats, strict=True)]
        (hs.h_building, hs.h_unit, hs.h_floor, hs.h_door, hs.h_x, hs.h_y) = cols
    return hs


def occupy(nrng: np.random.Generator, c: Candidates, k: int, n: int,
           first: int) -> tuple[np.ndarray, ...]:
    """n distinct flats among the first k buildings: building, unit, floor, door, x, y."""
    cap = c.capacity[:k]
    pick = np.sort(nrng.choice(int(cap.sum()), n, replace=False))
    starts = np.cumsum(cap) - cap
    b = np.searchsorted(np.cumsum(cap), pick, side="right")
    r = pick - starts[b]
    per_unit = c.floors[b] * c.flats
    unit = r // per_unit + 1
    floor = (r % per_unit) // c.flats + 1
    door = r % c.flats + 1
    x, y = flat_points(nrng, c, b, unit)
    return b + first, unit, floor, door, x, y


def capped_allocate(weights: list[float], caps: list[int], total: int) -> list[int]:
    """Shares of total proportional to weights, never above caps (overflow moves on)."""
    out = [0] * len(weights)
    left = min(total, sum(caps))
    for _ in range(50):
        open_ = [i for i, w in enumerate(weights) if w > 0 and out[i] < caps[i]]
        if left <= 0 or not open_:
            break
        share = allocate([weights[i] for i in open_], left, minimum=0)
        for i, s in zip(open_, share, strict=True):
            add = min(s, caps[i] - out[i])
            out[i] += add
            left -= add
    return out
