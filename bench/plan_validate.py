"""Grid planning: validation time for one grid edit and for a whole street, against limits.

A synthetic street of 600 comprehensive grids (a 30 x 20 lattice of ~150 m cells, corners
and edge vertices jittered, every edge shared exactly by its two grids), 20 dedicated grids,
60,000 households and 45 stations. Pure geometry: no database, no server.

    .venv/bin/python bench/plan_validate.py [--runs 20]
"""

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.metric import local_projector  # noqa: E402
from geo.plan import PlanCheck, check_edit, check_plan, merge, split  # noqa: E402

ORIGIN = (104.06, 30.66)
COLS, ROWS, CELL_M, EDGE_VERTICES = 30, 20, 150.0, 12
LIMITS_MS = {"edit": 200.0, "street": 5_000.0}
_FORWARD, _INVERSE = local_projector(*ORIGIN)


def lonlat(xy: np.ndarray) -> np.ndarray:
    """Return local metres (n x 2) as lon/lat degrees."""
    return np.column_stack(_INVERSE(xy[:, 0], xy[:, 1]))


def lattice(rng: np.random.Generator) -> np.ndarray:
    """Return jittered lattice corners in metres, (ROWS+1) x (COLS+1) x 2, outline kept straight."""
    xs, ys = np.meshgrid(np.arange(COLS + 1) * CELL_M, np.arange(ROWS + 1) * CELL_M)
    corners = np.stack([xs, ys], axis=-1)
    inner = (slice(1, ROWS), slice(1, COLS))
    corners[inner] += rng.uniform(-0.2, 0.2, corners[inner].shape) * CELL_M
    return corners


def edge(a: np.ndarray, b: np.ndarray, rng: np.random.Generator, *, straight: bool) -> np.ndarray:
    """Return the inner vertices from a to b, wobbling sideways unless on the outline."""
    t = np.linspace(0, 1, EDGE_VERTICES + 2)[1:-1, None]
    points = a + t * (b - a)
    if not straight:
        normal = np.array([-(b - a)[1], (b - a)[0]]) / np.linalg.norm(b - a)
        points = points + rng.uniform(-4, 4, (EDGE_VERTICES, 1)) * normal
    return points


def street(seed: int = 7) -> tuple[Polygon, dict[str, Polygon]]:
    """Return the street outline and its 600 grids keyed 'r{row}c{col}'."""
    rng = np.random.default_rng(seed)
    corners = lattice(rng)
    edges: dict[tuple[tuple[int, int], tuple[int, int]], np.ndarray] = {}

    def side(p: tuple[int, int], q: tuple[int, int]) -> np.ndarray:
        if (q, p) in edges:
            return edges[(q, p)][::-1]
        outline = (p[0] == q[0] and p[0] in (0, ROWS)) or (p[1] == q[1] and p[1] in (0, COLS))
        edges[(p, q)] = edge(corners[p], corners[q], rng, straight=outline)
        return edges[(p, q)]

    grids = {}
    for r in range(ROWS):
        for c in range(COLS):
            ring = [(r, c), (r, c + 1), (r + 1, c + 1), (r + 1, c)]
            parts = []
            for p, q in zip(ring, ring[1:] + ring[:1], strict=True):
                parts += [corners[p][None, :], side(p, q)]
            grids[f"r{r}c{c}"] = Polygon(lonlat(np.vstack(parts)))
    return shapely.union_all(list(grids.values())), grids


def dedicated(grids: dict[str, Polygon], rng: np.random.Generator) -> dict[str, Polygon]:
    """Return 20 school and market grids, 60 m squares on distinct grids' centres."""
    keys = rng.choice(sorted(grids), 20, replace=False)
    half = 30 / 111_000
    return {
        f"school-{i}": shapely.box(*(np.array(grids[k].centroid.coords[0] * 2)
                                     + [-half, -half, half, half]))
        for i, k in enumerate(keys)
    }


def people(parent: Polygon, rng: np.random.Generator, n: int) -> dict[int, shapely.Point]:
    """Return n points spread at random inside the street."""
    west, south, east, north = parent.bounds
    found: list[shapely.Point] = []
    shapely.prepare(parent)
    while len(found) < n:
        xy = rng.uniform([west, south], [east, north], (n, 2))
        points = shapely.points(xy)
        found += list(points[shapely.contains_properly(parent, points)])
    return dict(enumerate(found[:n]))


def timed(runs: int, call: Callable[[], PlanCheck[str]]) -> tuple[float, PlanCheck[str]]:
    """Return the median milliseconds of ``runs`` calls and the last result."""
    samples, result = [], call()
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def drag_corner(grids: dict[str, Polygon], r: int, c: int) -> dict[str, Polygon]:
    """Return the four grids around lattice corner (r, c) with that corner moved 10 m."""
    key = f"r{r}c{c}"
    corner = np.array(grids[key].exterior.coords[0])
    moved = corner + [10 / 95_800, 10 / 110_900]
    out = {}
    for k in (f"r{r}c{c}", f"r{r}c{c - 1}", f"r{r - 1}c{c}", f"r{r - 1}c{c - 1}"):
        coords = np.array(grids[k].exterior.coords)
        coords[(coords == corner).all(axis=1)] = moved
        out[k] = Polygon(coords)
    return out


def scenarios(
    parent: Polygon, grids: dict[str, Polygon], kinds: dict[str, str], homes: dict, stations: dict
) -> dict[str, Callable[[], PlanCheck[str]]]:
    """Return the timed checks: four kinds of edit and the whole street."""
    common = {"parent": parent, "kinds": kinds, "households": homes, "stations": stations}

    def edit(changed: dict[str, Polygon], removed: tuple[str, ...] = ()) -> PlanCheck[str]:
        after = {k: g for k, g in {**grids, **changed}.items() if k not in removed}
        before = {k: grids[k] for k in (*changed, *removed) if k in grids}
        return check_edit(grids=after, changed_keys=list(changed), previous=before, **common)

    target = grids["r10c15"]
    west, south, east, north = target.bounds
    line = LineString([((west + east) / 2, south - 1e-4), ((west + east) / 2, north + 1e-4)])
    bad = np.array(target.exterior.coords)
    bad[[0, -1]] -= [20 / 95_800, 0]
    return {
        "edit: drag a shared corner (4 grids)": lambda: edit(drag_corner(grids, 10, 15)),
        "edit: split a grid": lambda: edit(
            dict(zip(("r10c15", "r10c15-b"), split(target, line), strict=True))),
        "edit: merge two grids": lambda: edit(
            {"r10c15": merge([target, grids["r10c16"]])}, removed=("r10c16",)),
        "edit: drag one grid's corner 20 m (overlap)": lambda: edit({"r10c15": Polygon(bad)}),
        "street: whole check": lambda: check_plan(grids=grids, **common),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(11)
    parent, comprehensive = street()
    extra = dedicated(comprehensive, rng)
    grids = {**comprehensive, **extra}
    kinds = {k: ("dedicated" if k in extra else "comprehensive") for k in grids}
    homes, stations = people(parent, rng, 60_000), people(parent, rng, 45)
    vertices = int(shapely.get_num_coordinates(list(comprehensive.values())).sum())
    print(f"street: {len(comprehensive)} comprehensive + {len(extra)} dedicated grids, "
          f"{vertices:,} vertices, {len(homes):,} households, {len(stations)} stations")
    figures, missed = {}, []
    for name, call in scenarios(parent, grids, kinds, homes, stations).items():
        whole = name.startswith("street")
        ms, result = timed(3 if whole else args.runs, call)
        limit = LIMITS_MS["street" if whole else "edit"]
        figures[name] = {"median_ms": round(ms, 1), "limit_ms": limit, "codes": result.codes()}
        verdict = "ok" if ms < limit else "MISSED"
        print(f"{name:46s} {ms:8.1f} ms  (limit {limit:,.0f} ms) {verdict}  "
              f"findings: {sorted(set(result.codes())) or 'none'}")
        if ms >= limit:
            missed.append(name)
    out = ROOT / "bench" / "results" / "plan-validate.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
