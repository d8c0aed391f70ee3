"""Map-layer benchmark: seed a preset, then time the full-street grid layer and z14 tiles
over HTTP against limits. Usage: python bench/layers.py [--preset demo] [--requests 30]."""

import argparse
import json
import sys
import time

import httpx
from common import ROOT, login, seeded_server, summary

from geo.tiles import lonlat_to_tile

LIMITS_MS = {"grid layer (all levels, z14)": 300.0, "grid layer (grids only, z15)": 300.0,
             "tile z14": 50.0, "workers live": 150.0}


def timed(client: httpx.Client, path: str, n: int, **params: object) -> list[float]:
    """Milliseconds per request for n requests (after one warm-up)."""
    client.get(path, params=params).raise_for_status()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        client.get(path, params=params).raise_for_status()
        out.append((time.perf_counter() - t) * 1000)
    return out


def measure(base: str, n: int) -> dict:
    with httpx.Client(base_url=base, timeout=60) as c:
        login(c, "operator")
        meta = c.get("/api/meta").json()
        bbox = ",".join(str(v) for v in meta["bbox"])
        x, y = lonlat_to_tile(*meta["center"], 14)
        size = len(c.get("/api/grids", params={"bbox": bbox, "zoom": 14}).content)
        tiles: list[float] = []
        for layer in ("streets", "blocks", "grids"):
            tiles += timed(c, f"/tiles/{layer}/14/{x}/{y}.mvt", n)
        results = {
            "grid layer (all levels, z14)": timed(c, "/api/grids", n, bbox=bbox, zoom=14),
            "grid layer (grids only, z15)": timed(c, "/api/grids", n, bbox=bbox, zoom=15,
                                                  level="grid"),
            "tile z14": tiles,
            "workers live": timed(c, "/api/workers/live", n, bbox=bbox),
        }
    return {"grid_layer_bytes": size, "counts": meta["counts"],
            "timings_ms": {k: summary(v) for k, v in results.items()}}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--preset", default="demo", choices=("tiny", "demo", "county"))
    p.add_argument("--requests", type=int, default=30)
    args = p.parse_args()
    with seeded_server(args.preset) as (base, _, seed_s):
        result = {"preset": args.preset, "seed_s": round(seed_s, 1),
                  **measure(base, args.requests)}
    ok = True
    print(f"preset {args.preset}: seeded in {result['seed_s']} s, counts {result['counts']}")
    print(f"full-street grid layer: {result['grid_layer_bytes'] / 1024:.0f} KiB")
    for name, s in result["timings_ms"].items():
        limit = LIMITS_MS[name]
        ok &= s["p95"] <= limit
        print(f"  {name:<30} p50 {s['p50']:>7} ms  p95 {s['p95']:>7} ms  max {s['max']:>7} ms"
              f"  limit p95 {limit:g} ms  {'ok' if s['p95'] <= limit else 'OVER LIMIT'}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"layers-{args.preset}.json").write_text(json.dumps(result, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
