"""Map-layer benchmark: seed a preset, then time the full-street grid layer and z14 tiles
over HTTP against limits. Usage: python bench/layers.py [--preset demo] [--requests 30]."""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.tiles import lonlat_to_tile  # noqa: E402
from server.cluster import Cluster, free_port  # noqa: E402

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


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50": round(statistics.median(ordered), 1),
            "p95": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
            "max": round(ordered[-1], 1)}


def serve(url: str, var: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "GRIDLINK_DATABASE_URL": url, "GRIDLINK_ENV": "test",
           "GRIDLINK_SECRET_KEY": "bench-" + "s" * 40, "GRIDLINK_VAR_DIR": str(var)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "server.app:create_app",
                             "--factory", "--port", str(port), "--log-level", "warning",
                             "--no-access-log"], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def run(preset: str, n: int) -> dict:
    from seed.load import run as seed_run
    from server.migrate import upgrade

    root = Path(tempfile.mkdtemp(prefix="gridlink-bench-"))
    root.chmod(0o755)
    cluster = Cluster(root / "pg", fast=True)
    cluster.start()
    try:
        upgrade(cluster.url())
        t = time.perf_counter()
        seed_run(cluster.url(), preset=preset, seed=42)
        seed_s = time.perf_counter() - t
        proc, base = serve(cluster.url(), root)
        try:
            return {"preset": preset, "seed_s": round(seed_s, 1), **measure(base, n)}
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def measure(base: str, n: int) -> dict:
    with httpx.Client(base_url=base, timeout=60) as c:
        token = c.post("/api/auth/token", data={"username": "operator",
                                                "password": "gridlink"}).json()["access_token"]
        c.headers["Authorization"] = f"Bearer {token}"
        meta = c.get("/api/meta").json()
        bbox = ",".join(str(v) for v in meta["bbox"])
        lon, lat = meta["center"]
        x, y = lonlat_to_tile(lon, lat, 14)
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
    result = run(args.preset, args.requests)
    ok = True
    print(f"preset {result['preset']}: seeded in {result['seed_s']} s, counts {result['counts']}")
    print(f"full-street grid layer: {result['grid_layer_bytes'] / 1024:.0f} KiB")
    for name, s in result["timings_ms"].items():
        limit = LIMITS_MS[name]
        verdict = "ok" if s["p95"] <= limit else "OVER LIMIT"
        ok &= s["p95"] <= limit
        print(f"  {name:<30} p50 {s['p50']:>7} ms  p95 {s['p95']:>7} ms  "
              f"max {s['max']:>7} ms  limit p95 {limit:g} ms  {verdict}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"layers-{args.preset}.json").write_text(json.dumps(result, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
