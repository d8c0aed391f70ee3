"""Closed-loop benchmark on the demo street: submission → operator's live feed latency,
dispatch-candidates response time, and the figures on the seeded history, against limits.
Usage: python bench/loop.py [--reports 50]."""

import argparse
import json
import random
import sys
import time

import httpx
import psycopg
from common import ROOT, login, seeded_server, summary
from websockets.sync.client import connect

LIMITS_MS = {"submission → operator feed": 1000.0, "dispatch candidates": 200.0}


def feed_latency(base: str, url: str, n: int) -> list[float]:
    """Milliseconds from POST /api/reports to the operator's WebSocket event, n times."""
    with psycopg.connect(url) as c:
        pts = c.execute("SELECT ST_X(p), ST_Y(p) FROM grids g, ST_PointOnSurface(g.geom) p "
                        "WHERE level = 'grid' ORDER BY id").fetchall()
    with httpx.Client(base_url=base, timeout=30) as http:
        login(http, "operator")
        token = http.headers["Authorization"].split()[1]
        out = []
        with connect(f"ws{base[4:]}/ws/live?token={token}") as ws:
            ws.recv(timeout=5)
            rng = random.Random(1)
            for i in range(n):
                lon, lat = rng.choice(pts)
                t = time.perf_counter()
                rid = http.post("/api/reports", json={
                    "category": "environment", "description": f"基准测试 {i}", "lon": lon,
                    "lat": lat}).json()["id"]
                while True:
                    msg = json.loads(ws.recv(timeout=10))
                    if msg.get("topic") == "reports" and msg["payload"]["id"] == rid:
                        out.append((time.perf_counter() - t) * 1000)
                        break
    return out


def candidates_time(base: str, url: str, n: int) -> list[float]:
    """Milliseconds per /candidates call on open reports of the demo street."""
    with psycopg.connect(url) as c:
        ids = [r[0] for r in c.execute("SELECT id FROM reports WHERE status IN "
                                       "('submitted', 'accepted') ORDER BY id LIMIT %s", [n])]
    with httpx.Client(base_url=base, timeout=30) as http:
        login(http, "operator")
        http.get(f"/api/reports/{ids[0]}/candidates").raise_for_status()
        out = []
        for rid in ids:
            t = time.perf_counter()
            http.get(f"/api/reports/{rid}/candidates").raise_for_status()
            out.append((time.perf_counter() - t) * 1000)
    return out


def street_figures(base: str) -> list[dict]:
    with httpx.Client(base_url=base, timeout=30) as http:
        login(http, "operator")
        t = time.perf_counter()
        rows = http.get("/api/figures", params={"level": "community", "days": 90}).json()
        rows.append({"figures_ms": round((time.perf_counter() - t) * 1000, 1)})
    return rows


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reports", type=int, default=50)
    args = p.parse_args()
    with seeded_server("demo") as (base, url, _):
        figures = street_figures(base)
        timings = {"dispatch candidates": summary(candidates_time(base, url, args.reports)),
                   "submission → operator feed": summary(feed_latency(base, url,
                                                                      args.reports))}
    ok = True
    for name, s in timings.items():
        limit = LIMITS_MS[name]
        ok &= s["p95"] <= limit
        print(f"  {name:<28} p50 {s['p50']:>7} ms  p95 {s['p95']:>7} ms  p99 {s['p99']:>7} ms"
              f"  limit p95 {limit:g} ms  {'ok' if s['p95'] <= limit else 'OVER LIMIT'}")
    print(f"figures per community over 90 days ({figures[-1]['figures_ms']} ms):")
    for f in figures[:-1]:
        print(f"  {f['name']:<8} received {f['received']:>4}  办结率 {f['completion_rate']}  "
              f"on time {f['on_time_rate']}  满意率 {f['satisfaction_rate']}  "
              f"overdue now {f['overdue_now']}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "loop-demo.json").write_text(json.dumps({"timings_ms": timings,
                                                    "figures": figures}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
