"""The road network: boundary, arterials between communities, local streets inside them.

Everything is metric (see seed.geom). The network is noded once on a 1 cm precision
grid and polygonized; the resulting faces share their edges exactly, so any union of
faces tiles the union of its parts with no gaps and no overlaps.
"""

import math
import random
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Polygon

from seed.geom import SNAP, blob, line_family, parts, shared_edges
from seed.names import ARTERIAL_NAMES, PlaceNames, arterial_name, local_name
from seed.presets import Preset

EXTEND = 0.05  # metres: lines run this far past their area so that noding never misses


@dataclass
class Road:
    """One road piece (metric), as a row of the roads table."""

    name: str
    klass: str
    line: LineString


@dataclass
class Network:
    """The noded street layout of the whole area (metric)."""

    top: Polygon
    streets: list[Polygon]
    communities: list[Polygon]
    community_street: list[int]
    community_angle: list[float]
    roads: list[Road] = field(default_factory=list)
    faces: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    face_community: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))


def density(x: float, y: float, preset: Preset) -> float:
    """Relative grid density: higher in the centre, lower at the rural edge."""
    scale = preset.radius_m / 3 if preset.counties else preset.radius_m
    boost = 2.5 if preset.counties else 0.3
    return 1.0 + boost * math.exp(-(x * x + y * y) / (scale * scale))


def clip(lines: list[LineString], area: Polygon) -> list[LineString]:
    """The pieces of lines inside area (slightly enlarged so ends cross its edge)."""
    grown = area.buffer(EXTEND, join_style="mitre")
    out: list[LineString] = []
    for line in lines:
        out.extend(p for p in parts(shapely.intersection(line, grown))
                   if p.geom_type == "LineString" and p.length > 1.0)
    return out


def merge_small(polys: list[Polygon], share: float) -> list[Polygon]:
    """Merge polygons smaller than share × mean area into their longest-touching neighbour."""
    polys = list(polys)
    while len(polys) > 1:
        areas = [p.area for p in polys]
        i = int(np.argmin(areas))
        if areas[i] >= share * sum(areas) / len(areas):
            break
        edges = [(p.boundary.intersection(polys[i].boundary).length, j)
                 for j, p in enumerate(polys) if j != i]
        length, j = max(edges)
        if length <= 0:
            break
        merged = shapely.union_all([polys[i], polys[j]], grid_size=SNAP)
        polys[j] = max(parts(merged), key=lambda g: g.area)
        del polys[i]
    return polys


def split_by_lines(area: Polygon, lines: list[LineString]) -> list[Polygon]:
    """Faces of area cut by lines."""
    noded = shapely.union_all([area.exterior, *lines], grid_size=SNAP)
    faces = parts(shapely.polygonize(parts(noded)))
    shapely.prepare(area)
    return [f for f in faces if area.contains(f.representative_point())]


def county_streets(rng: random.Random, top: Polygon, preset: Preset) -> list[Polygon]:
    """Streets (街道/镇) as relaxed Voronoi cells: small in the centre, big at the edge."""
    r = preset.radius_m
    inner = max(3, preset.streets // 4)
    seeds = []
    for i in range(preset.streets):
        ring, k, n = (0.22, i, inner) if i < inner else (0.68, i - inner, preset.streets - inner)
        t = 2 * math.pi * (k + rng.uniform(-0.2, 0.2)) / n + ring
        rr = r * ring * rng.uniform(0.85, 1.15)
        seeds.append((rr * math.cos(t), rr * math.sin(t)))
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=top.buffer(r))
    out = [shapely.intersection(c, top, grid_size=SNAP) for c in parts(cells)]
    pieces = [p for c in out for p in parts(c) if p.geom_type == "Polygon"]
    return merge_small(pieces, 0.3)


def arterials(rng: random.Random, street: Polygon, counts: tuple[int, int], angle: float,
              names: PlaceNames, curated: list[str]) -> list[Road]:
    """Named main roads crossing a street in two families."""
    size = math.sqrt(street.area)
    lines = []
    for fam, n in enumerate(counts):
        if n:
            lines += line_family(rng, street, angle=angle + fam * (math.pi / 2 + rng.uniform(
                -0.12, 0.12)), count=n, amplitude=size * rng.uniform(0.006, 0.015),
                wavelength=size * rng.uniform(0.6, 1.1), step=80.0, jitter=2.0)
    roads = []
    for line in lines:
        name = arterial_name(names, rng, curated)
        roads += [Road(name, "arterial", p) for p in clip([line], street)]
    return roads


def local_streets(rng: random.Random, comm: Polygon, angle: float, target: int,
                  names: PlaceNames) -> list[Road]:
    """Local streets (街/巷) cutting a community into at least ~1.3 × target faces."""
    spacing = math.sqrt(comm.area / (1.6 * max(target, 1)))
    roads: list[Road] = []
    for _ in range(12):
        a = angle + rng.uniform(-0.06, 0.06)
        amp, wave = spacing * rng.uniform(0.02, 0.06), spacing * rng.uniform(2.0, 4.0)
        fam_a = line_family(rng, comm, angle=a, spacing=spacing * rng.uniform(0.9, 1.1),
                            amplitude=amp, wavelength=wave, step=40.0, jitter=1.0)
        fam_b = line_family(rng, comm, angle=a + math.pi / 2 + rng.uniform(-0.08, 0.08),
                            spacing=spacing * rng.uniform(0.9, 1.1), amplitude=amp,
                            wavelength=wave, step=40.0, jitter=1.0)
        cut = shapely.union_all(fam_a) if fam_a else None
        pieces = []
        for line in fam_b:
            segs = parts(shapely.difference(line, cut)) if cut is not None else [line]
            pieces += [s for s in segs if rng.random() < 0.85]
        roads = []
        for line in fam_a + pieces:
            name = local_name(names, rng)
            roads += [Road(name, "local", p) for p in clip([line], comm)]
        if len(split_by_lines(comm, [r.line for r in roads])) >= 1.3 * target:
            return roads
        spacing *= 0.88
    return roads


def allocate(weights: list[float], total: int, minimum: int = 1) -> list[int]:
    """Integer shares of total proportional to weights (largest remainder)."""
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    s = sum(weights)
    raw = [w / s * rest for w in weights]
    base = [b + int(r) for b, r in zip(base, raw, strict=True)]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    for i in order[: total - sum(base)]:
        base[i] += 1
    return base


def build_network(rng: random.Random, preset: Preset) -> tuple[Network, list[int]]:
    """The whole area's roads and faces, and the grid target of each community."""
    lo, hi = preset.communities
    for _ in range(100):
        net = split_area(rng, preset)
        if lo <= len(net.communities) <= hi:
            break
    cw = [c.area * density(c.centroid.x, c.centroid.y, preset) for c in net.communities]
    targets = allocate(cw, preset.grids)
    road_names = [PlaceNames(rng) for _ in net.streets]
    for ci, comm in enumerate(net.communities):
        net.roads += local_streets(rng, comm, net.community_angle[ci], targets[ci],
                                   road_names[net.community_street[ci]])
    node_faces(net)
    return net, targets


def split_area(rng: random.Random, preset: Preset) -> Network:
    """Boundary, streets and communities with the arterials between them."""
    top = blob(rng, preset.radius_m)
    streets = county_streets(rng, top, preset) if preset.counties else [top]
    sw = [s.area * density(s.centroid.x, s.centroid.y, preset) for s in streets]
    street_grids = allocate(sw, preset.grids, minimum=4)
    net = Network(top, streets, [], [], [])
    curated = list(ARTERIAL_NAMES)
    for si, street in enumerate(streets):
        names = PlaceNames(rng)
        angle = rng.uniform(-0.35, 0.35)
        if preset.counties:
            n = max(2, round(street_grids[si] / preset.grids_per_community))
            na = max(1, round(math.sqrt(n)) - 1)
            counts = (na, max(0, round(n / (na + 1)) - 1))
        else:
            counts = preset.arterials
        art = arterials(rng, street, counts, angle, names, curated)
        net.roads += art
        pieces = merge_small(split_by_lines(street, [r.line for r in art]), 0.25)
        net.communities += pieces
        net.community_street += [si] * len(pieces)
        net.community_angle += [angle] * len(pieces)
    return net


def node_faces(net: Network) -> None:
    """Node every line once, polygonize, and give each face its community."""
    rings = [s.exterior for s in net.streets]  # the streets' outer edges are the top's
    noded = shapely.union_all(rings + [r.line for r in net.roads], grid_size=SNAP)
    faces = np.array(parts(shapely.polygonize(parts(noded))), dtype=object)
    faces = faces[shapely.area(faces) > 0]
    pts = shapely.point_on_surface(faces)
    tree = shapely.STRtree(np.array(net.communities, dtype=object))
    fi, ci = tree.query(pts, predicate="within")
    owner = np.full(len(faces), -1)
    owner[fi] = ci
    lost = np.flatnonzero(owner < 0)
    if len(lost):
        owner[lost] = tree.nearest(pts[lost])
    net.faces, net.face_community = faces, owner
    absorb_slivers(net)


def absorb_slivers(net: Network, min_area: float = 200.0) -> None:
    """Give tiny faces, and faces cut off from their community, to the neighbour they
    share the longest edge with (so no grid is a sliver or an island)."""
    edges = shared_edges(net.faces)
    best: dict[int, tuple[float, int]] = {}
    own: dict[int, bool] = {}
    fc = net.face_community
    for (a, b), length in edges.items():
        for f, g in ((a, b), (b, a)):
            if length > best.get(f, (0.0, -1))[0]:
                best[f] = (length, g)
            if fc[f] == fc[g]:
                own[f] = True
    area = shapely.area(net.faces)
    for f in range(len(net.faces)):
        if f in best and (area[f] < min_area or not own.get(f, False)):
            fc[f] = fc[best[f][1]]


def face_adjacency(net: Network) -> dict[tuple[int, int], float]:
    """Shared edge length between faces of the same community."""
    edges = shared_edges(net.faces)
    fc = net.face_community
    return {k: v for k, v in edges.items() if fc[k[0]] == fc[k[1]]}
