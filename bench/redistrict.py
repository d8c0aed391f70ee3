"""Redistricting benchmark: time to propose and the load spread before and after.

Two inputs, both built in memory with the seed generator (no database):
  district  a synthetic street-scale district of about 4,500 kerbed blocks in some 15
            communities, its current 620 grids merged from blocks by area (as drawn once,
            before anyone weighed the workload), redrawn into 539 within the communities;
  demo      the demo street (seed 42): its 274 comprehensive grids redrawn into 238 (the
            same 539/620 ratio), loads from its households, care colours and reports.
Each proposal is checked in the same run: k grids, each one polygon, tiling its community
(geo.coverage.tiles_exactly), spread lowered, and time to propose under the limit.

Usage: python bench/redistrict.py [--only district|demo] [--seed N]
"""

import argparse
import dataclasses
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.coverage import tiles_exactly  # noqa: E402
from geo.load import CARE_COLORS, load_of  # noqa: E402
from geo.metric import area_m2, length_m  # noqa: E402
from geo.redistrict import Proposal, Unit, propose  # noqa: E402
from seed.geom import Frame  # noqa: E402
from seed.layout import blocks_for, merge_faces  # noqa: E402
from seed.presets import PRESETS  # noqa: E402
from seed.residents import COLOR_WEIGHTS  # noqa: E402
from seed.streets import allocate, build_network, density, face_adjacency  # noqa: E402

LIMIT_S = {"district": 60.0, "demo": 20.0}  # time to propose, tessellation included
BEFORE, AFTER = 620, 539
DISTRICT = dataclasses.replace(
    PRESETS["demo"], name="district", radius_m=5_600.0, grids=3_000, arterials=(3, 3),
    communities=(10, 40))


def block_load(rng: random.Random, block: shapely.Polygon, households: int,
               hot: float) -> float:
    """Synthetic weighted load: households by care colour, residents, reports, area, streets."""
    shares = [w * (hot if c in ("red", "orange") else 1.0)
              for c, w in zip(CARE_COLORS, COLOR_WEIGHTS, strict=True)]
    colours = Counter(rng.choices(CARE_COLORS, shares, k=households)) if households else {}
    return load_of(households=dict(colours), residents=round(households * 2.6),
                   reports_per_month=households * 0.004 * hot,
                   area_m2=area_m2(block), street_m=length_m(block) / 2)


def district(seed: int) -> tuple[list[Unit], dict[int, shapely.Polygon], int]:
    """Units (kerbed blocks with loads and current grids), community polygons, grid count."""
    rng = random.Random(f"redistrict:{seed}")
    net, _ = build_network(random.Random(f"gridlink:district:{seed}:network"), DISTRICT)
    frame = Frame(104.06, 30.66)
    area = shapely.area(net.faces)
    weight = [c.area * density(c.centroid.x, c.centroid.y, DISTRICT) for c in net.communities]
    targets = allocate(weight, BEFORE)
    adj = face_adjacency(net)
    grid_of: dict[int, int] = {}
    for ci, target in enumerate(targets):
        faces = np.flatnonzero(net.face_community == ci).tolist()
        for group in merge_faces(faces, area, adj, target):
            gid = len(set(grid_of.values()))
            grid_of.update((f, gid) for f in group)
    blocks = blocks_for(net)
    units = []
    for f, block in enumerate(blocks):
        if block is None:
            continue
        c = block.centroid
        dens = density(c.x, c.y, DISTRICT)
        homes = int(block.area / 160 * dens * rng.uniform(0.3, 1.7))
        hot = rng.choice((1.0, 1.0, 1.0, 2.5))  # an old neighbourhood: more care, more reports
        units.append(Unit(key=f, geom=frame.project(block), load=block_load(rng, block, homes, hot),
                          grid=grid_of[f], zone=int(net.face_community[f])))
    parents = {ci: frame.project(c) for ci, c in enumerate(net.communities)}
    return units, parents, len({u.grid for u in units})


def demo(seed: int) -> tuple[list[Unit], dict[int, shapely.Polygon], int]:
    """The demo street's blocks with loads from its households and reports, by community."""
    from seed.generate import generate

    data = generate(preset="demo", seed=seed)
    grids = {g["id"]: g for g in data.grids}
    block_of_building = {b["id"]: b["block_id"] for b in data.buildings}
    homes: dict[int, Counter[str]] = defaultdict(Counter)
    residents: Counter[int] = Counter()
    for h in data.households:
        b = block_of_building[h["building_id"]]
        homes[b][h["care_color"]] += 1
        residents[b] += h["residents"]
    geoms = np.array([b["geom"] for b in data.blocks], dtype=object)
    valid = [r["geom"] for r in data.reports if r["status"] not in ("rejected", "duplicate")]
    nearest = shapely.STRtree(geoms).nearest(np.array(valid, dtype=object))
    reports = Counter(int(data.blocks[i]["id"]) for i in nearest.tolist())
    months = PRESETS["demo"].report_days / 30
    units = [Unit(key=b["id"], geom=b["geom"], grid=b["grid_id"],
                  zone=grids[b["grid_id"]]["parent_id"],
                  load=load_of(households=dict(homes[b["id"]]), residents=residents[b["id"]],
                               reports_per_month=reports[b["id"]] / months,
                               area_m2=area_m2(b["geom"]), street_m=length_m(b["geom"]) / 2))
             for b in data.blocks]
    parents = {gid: shapely.get_parts(grids[gid]["geom"])[0]
               for gid in {u.zone for u in units}}
    return units, parents, len({u.grid for u in units})


def check(draft: Proposal, units: list[Unit], parents: dict, k: int) -> list[str]:
    """What is wrong with a proposal, as sentences (empty when it is sound)."""
    problems = []
    if len(draft.groups) != k:
        problems.append(f"{len(draft.groups)} grids, not {k}")
    if sorted(u for g in draft.groups for u in g) != sorted(u.key for u in units):
        problems.append("units missing or repeated")
    if any(p.geom_type != "Polygon" for p in draft.polygons):
        problems.append("a grid in several pieces")
    for zone, whole in parents.items():
        parts = [p for p, z in zip(draft.polygons, draft.zones, strict=True) if z == zone]
        if not tiles_exactly(parts, whole):
            problems.append(f"community {zone} not tiled exactly")
    if draft.spread_before is None or draft.spread_after >= draft.spread_before:
        problems.append("spread not lowered")
    return problems


def run(name: str, seed: int) -> dict:
    t = time.perf_counter()
    units, parents, before = (district if name == "district" else demo)(seed)
    built = time.perf_counter() - t
    k = AFTER if name == "district" else round(before * AFTER / BEFORE)
    draft = propose(units=units, k=k, parent=parents, max_seconds=LIMIT_S[name])
    problems = check(draft, units, parents, k)
    if draft.seconds > LIMIT_S[name]:
        problems.append(f"took {draft.seconds:.1f} s, limit {LIMIT_S[name]:g} s")
    return {"input": name, "blocks": len(units), "communities": len(parents),
            "grids_before": before, "grids_after": k, "build_s": round(built, 1),
            "propose_s": round(draft.seconds, 1), "limit_s": LIMIT_S[name],
            "spread_before": round(draft.spread_before or 0.0, 3),
            "spread_after": round(draft.spread_after, 3), "kept": round(draft.kept, 3),
            "converged": draft.converged, "problems": problems}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--only", choices=("district", "demo"))
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    results = [run(name, args.seed) for name in ("district", "demo") if args.only in (None, name)]
    for r in results:
        print(f"{r['input']}: {r['blocks']} blocks in {r['communities']} communities, "
              f"{r['grids_before']} → {r['grids_after']} grids (input built in {r['build_s']} s)")
        print(f"  load spread (CV) {r['spread_before']} → {r['spread_after']}; "
              f"{r['kept'] * 100:.0f}% of blocks keep their grid; converged {r['converged']}")
        print(f"  time to propose {r['propose_s']} s, limit {r['limit_s']:g} s: "
              f"{'ok' if not r['problems'] else 'FAILED: ' + '; '.join(r['problems'])}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "redistrict.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0 if all(not r["problems"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
