"""Grid planning over HTTP on the demo street: a draft of the whole street, a few splits,
merges and reshapes (each checked around the edit), the whole-street check, the preview and
the publish, timed against limits; then, on a new draft of the map so published, the
redistricting assistant redraws the whole street into 539/620 of its comprehensive grids
(275 → 239, as 620 → 539), checked (k grids, no errors, spread lowered) and published.
Usage: python bench/planning.py [--edits 4] [--checks 5]."""

import argparse
import json
import statistics
import sys
import time
from typing import Any

import httpx
import psycopg
from common import ROOT, login, seeded_server

LIMITS_MS = {"edit: split": 500.0, "edit: merge": 500.0, "edit: reshape": 500.0,
             "check: whole street": 5_000.0, "preview": 5_000.0, "publish": 10_000.0,
             "redistrict: whole street": 20_000.0, "publish: redistricted street": 20_000.0}
BEFORE, AFTER = 620, 539


def pairs(url: str, n: int) -> tuple[int, list[tuple[int, int]], list[int]]:
    """The street, n pairs of neighbouring comprehensive grids, and n more grids to split."""
    with psycopg.connect(url) as c:
        street = c.execute("SELECT id FROM grids WHERE level = 'street'").fetchone()[0]
        found = c.execute(
            "SELECT a.id, b.id FROM grids a JOIN grids b ON a.parent_id = b.parent_id "
            "AND a.id < b.id AND ST_Length(ST_Intersection(a.geom, b.geom)::geography) > 50 "
            "WHERE a.level = 'grid' AND b.level = 'grid' AND a.kind = 'comprehensive' "
            "AND b.kind = 'comprehensive' ORDER BY a.id, b.id").fetchall()
    merges: list[tuple[int, int]] = []
    used: set[int] = set()
    for a, b in found:
        if a not in used and b not in used and len(merges) < n:
            merges.append((a, b))
            used |= {a, b}
    others = sorted({g for pair in found for g in pair} - used)
    return street, merges, others[::7][:n]


def line_across(feature: dict[str, Any]) -> dict[str, Any]:
    """A north-south line through the middle of a grid's bounding box."""
    ring = [p for poly in feature["geometry"]["coordinates"] for p in poly[0]]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    x = (min(xs) + max(xs)) / 2
    return {"type": "LineString", "coordinates": [[x, min(ys) - 0.001], [x, max(ys) + 0.001]]}


class Draft:
    """A plan being edited; each edit sends the ETag it last got."""

    def __init__(self, client: httpx.Client, street: int) -> None:
        self.c = client
        r = client.post("/api/plans", json={"name": "基准测试", "scope_id": street})
        r.raise_for_status()
        self.id, self.etag = r.json()["id"], r.headers["etag"]

    def send(self, method: str, path: str, body: Any = None) -> tuple[float, dict]:
        t = time.perf_counter()
        r = self.c.request(method, f"/api/plans/{self.id}{path}", json=body,
                           headers={"If-Match": self.etag})
        ms = (time.perf_counter() - t) * 1000
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        self.etag = r.headers.get("etag", self.etag)
        return ms, r.json()

    def features(self) -> dict[str, dict]:
        r = self.c.get(f"/api/plans/{self.id}/grids")
        return {f["properties"]["key"]: f for f in r.json()["features"]}


def measure(base: str, url: str, n: int, checks: int) -> dict:
    street, merges, splits = pairs(url, n)
    times: dict[str, list[float]] = {name: [] for name in LIMITS_MS}
    found: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=120) as c:
        login(c, "planner")
        draft = Draft(c, street)
        grids = draft.features()
        for a, b in merges:
            ms, out = draft.send("POST", "/merge", {"keys": [str(a), str(b)]})
            times["edit: merge"].append(ms)
            assert out["check"]["ok"], out["check"]
        for g in splits:
            ms, out = draft.send("POST", "/split", {"key": str(g),
                                                   "line": line_across(grids[str(g)])})
            times["edit: split"].append(ms)
        grids = draft.features()
        for g in splits:  # the same shape sent back: snapped and checked like any reshape
            ms, _ = draft.send("PUT", f"/grids/{g}", {"geometry": grids[str(g)]["geometry"]})
            times["edit: reshape"].append(ms)
        for _ in range(checks):
            ms, check = draft.send("GET", "/check")
            times["check: whole street"].append(ms)
        found["check"] = {k: check[k] for k in ("ok", "errors", "fixed", "warnings")}
        ms, preview = draft.send("GET", "/preview")
        times["preview"].append(ms)
        found["preview"] = {"households_moved": preview["households"]["moved"],
                            "open_reports_moved": preview["open_reports"]["moved"],
                            "spread_before": preview["workload"]["spread_before"],
                            "spread_after": preview["workload"]["spread_after"]}
        ms, published = draft.send("POST", "/publish", {})
        times["publish"].append(ms)
        found["publish"] = {k: v for k, v in published.items() if k != "plan"}
        found["redistrict"] = redistrict(c, url, street, times)
    return {"grids": len(grids), "edits": {"merges": len(merges), "splits": len(splits)},
            **found, "timings_ms": {k: _summary(v) for k, v in times.items()}}


def redistrict(c: httpx.Client, url: str, street: int, times: dict[str, list[float]]) -> dict:
    """A new draft of the street redrawn into 539/620 of its grids, then published."""
    with psycopg.connect(url) as conn:
        now = conn.execute("SELECT count(*) FROM grids WHERE level = 'grid' AND kind = "
                           "'comprehensive' AND retired_at IS NULL").fetchone()[0]
    k = round(now * AFTER / BEFORE)
    draft = Draft(c, street)
    ms, out = draft.send("POST", "/redistrict", {"parent_id": street, "k": k})
    times["redistrict: whole street"].append(ms)
    figures = out["redistrict"]
    after = sum(1 for g in figures["after"] if g["kind"] == "comprehensive")
    problems = [text for bad, text in (
        (after != k, f"{after} comprehensive grids, not {k}"),
        (not out["check"]["ok"], f"check not ok: {out['check']['errors']} errors"),
        (figures["spread_after"] >= figures["spread_before"], "spread not lowered")) if bad]
    ms, published = draft.send("POST", "/publish", {})
    times["publish: redistricted street"].append(ms)
    return {"grids_before": now, "grids_after": k, "blocks": figures["blocks"],
            "spread_before": figures["spread_before"], "spread_after": figures["spread_after"],
            "propose_s": figures["seconds"], "kept": figures["kept"],
            "converged": figures["converged"], "changed": len(out["changed"]),
            "households_moved": published["households_moved"], "problems": problems}


def _summary(samples: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(samples), 1), "max": round(max(samples), 1),
            "n": len(samples)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--edits", type=int, default=4, help="merges and splits of each kind")
    p.add_argument("--checks", type=int, default=5)
    args = p.parse_args()
    with seeded_server("demo") as (base, url, seed_s):
        result = {"preset": "demo", "seed_s": round(seed_s, 1),
                  **measure(base, url, args.edits, args.checks)}
    print(f"demo street: {result['grids']} draft grids, seeded in {result['seed_s']} s; "
          f"check {result['check']}; preview {result['preview']}")
    print(f"publish: {result['publish']}")
    rd = result["redistrict"]
    print(f"redistrict: {rd['grids_before']} → {rd['grids_after']} grids from {rd['blocks']} "
          f"blocks; load spread (CV) {rd['spread_before']} → {rd['spread_after']}; propose "
          f"{rd['propose_s']} s; {rd['kept'] * 100:.0f}% of blocks keep their grid; "
          f"{rd['households_moved']} households moved; "
          f"{'ok' if not rd['problems'] else 'FAILED: ' + '; '.join(rd['problems'])}")
    ok = not rd["problems"]
    for name, s in result["timings_ms"].items():
        limit = LIMITS_MS[name]
        ok &= s["median"] <= limit
        print(f"  {name:<28} median {s['median']:>8} ms  max {s['max']:>8} ms  (n={s['n']})"
              f"  limit {limit:,.0f} ms  {'ok' if s['median'] <= limit else 'OVER LIMIT'}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "planning-demo.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
