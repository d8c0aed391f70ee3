"""Patrol coverage at county scale: one local day of fixes for every grid worker walking the
streets around their grid, then (a) one whole-day pass of advance() from an empty
watermark and (b) steady-state passes after 10 s more of fixes each, against limits.
Usage: python bench/coverage.py [--preset county|demo] [--interval 10] [--hours 8]

Volume: each grid head and grid worker walks their grid's outer boundary (the streets
around it; grids are unions of blocks) at 1.2 m/s from 08:00 local for --hours, a fix
every --interval seconds: workers × hours × 3600 / interval fixes. The fixes are COPYed
into a staging table and moved into positions in one statement, without the positions
geometry index (the pass never reads it)."""

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import numpy as np
import psycopg
import shapely
from common import ROOT

from geo.metric import local_projector
from server.cluster import Cluster

LIMITS = {"whole-day pass s": 60.0, "incremental pass s": 10.0}
SPEED_MPS = 1.2
START_HOUR = 8  # local
TICKS = 6  # steady-state passes, one per 10 s of fixes
BATCH = 200  # workers per COPY batch

ROUTES = """
SELECT w.id, g.id, ST_AsBinary(r.ring)
FROM workers w
JOIN LATERAL (SELECT wg.grid_id FROM worker_grids wg
              JOIN grids gg ON gg.id = wg.grid_id AND gg.level = 'grid'
              WHERE wg.worker_id = w.id AND wg.duty IN ('head', 'member')
              ORDER BY wg.grid_id LIMIT 1) a ON true
JOIN grids g ON g.id = a.grid_id
CROSS JOIN LATERAL (SELECT ST_ExteriorRing(d.geom) AS ring FROM ST_Dump(g.geom) d
                    ORDER BY ST_Area(d.geom) DESC LIMIT 1) r
WHERE w.active AND w.device_id IS NOT NULL
ORDER BY w.id
"""
STAGE = "CREATE UNLOGGED TABLE bench_walks (worker_id int, grid_id int, k int, lon float8, " \
        "lat float8)"
MOVE = """
INSERT INTO positions (worker_id, fix_time, device_id, geom, grid_id, accuracy, speed, flags,
                       received_at)
SELECT b.worker_id, t.at, w.device_id, ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326),
       b.grid_id, 8, %(speed)s, 0, t.at + interval '1 second'
FROM bench_walks b JOIN workers w ON w.id = b.worker_id
CROSS JOIN LATERAL (SELECT %(start)s + make_interval(secs => b.k * %(step)s) AS at) t
"""


class Route:
    """A worker's loop around their grid, in metres about its first vertex."""

    def __init__(self, worker_id: int, grid_id: int, wkb: bytes, phase: float) -> None:
        ring = np.asarray(shapely.get_coordinates(shapely.from_wkb(wkb)))
        self.worker_id, self.grid_id = worker_id, grid_id
        self.forward, self.inverse = local_projector(float(ring[0, 0]), float(ring[0, 1]))
        self.x, self.y = self.forward(ring[:, 0], ring[:, 1])
        self.cum = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(self.x), np.diff(self.y)))])
        self.start = phase * self.cum[-1]

    def at(self, ks: np.ndarray, step_m: float) -> tuple[np.ndarray, np.ndarray]:
        """lon, lat of fix number k (k = 0, 1, …) walking step_m between fixes."""
        d = (self.start + ks * step_m) % self.cum[-1]
        lon, lat = self.inverse(np.interp(d, self.cum, self.x), np.interp(d, self.cum, self.y))
        return np.asarray(lon), np.asarray(lat)


@contextlib.contextmanager
def seeded_cluster(preset: str) -> Iterator[tuple[str, float, float]]:
    """A fresh cluster with `preset` loaded: (db url, seed s, coverage pieces s)."""
    from seed.load import run as seed_run
    from server.migrate import upgrade

    root = Path(tempfile.mkdtemp(prefix="gridlink-bench-"))
    root.chmod(0o755)
    cluster = Cluster(root / "pg", fast=True)
    cluster.start()
    pieces: list[float] = []

    def log(line: str) -> None:
        if "coverage pieces in" in line:
            pieces.append(float(line.rsplit(" ", 1)[1].rstrip("s")))

    try:
        upgrade(cluster.url())
        t = time.perf_counter()
        seed_run(cluster.url(), preset=preset, seed=42, log=log)
        yield cluster.url(), time.perf_counter() - t, pieces[0] if pieces else float("nan")
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def load_day(url: str, routes: list[Route], *, start: datetime, fixes: int,
             interval: float) -> float:
    """COPY every route's walk into staging, then into positions; seconds taken."""
    t0 = time.perf_counter()
    ks = np.arange(fixes)
    with psycopg.connect(url) as c:
        day = start.date()
        c.execute("SELECT gridlink_ensure_position_partitions(%s, %s)",
                  [day - timedelta(days=1), day + timedelta(days=2)])
        c.execute("DROP INDEX IF EXISTS idx_positions_geom")
        c.execute(STAGE)
        with c.cursor() as cur:
            for i in range(0, len(routes), BATCH):
                with cur.copy("COPY bench_walks FROM STDIN") as cp:
                    for r in routes[i:i + BATCH]:
                        lon, lat = r.at(ks, SPEED_MPS * interval)
                        cp.write("".join(
                            f"{r.worker_id}\t{r.grid_id}\t{k}\t{x:.7f}\t{y:.7f}\n"
                            for k, x, y in zip(ks.tolist(), lon.tolist(), lat.tolist(),
                                               strict=True)))
        c.execute("SET session_replication_role = replica")  # no foreign-key check per row
        c.execute(MOVE, {"speed": SPEED_MPS, "start": start, "step": interval})
        c.execute("RESET session_replication_role")
        c.execute("DROP TABLE bench_walks")
        c.commit()
        c.autocommit = True
        c.execute("VACUUM ANALYZE positions")
    return time.perf_counter() - t0


def add_tick(url: str, routes: list[Route], *, k: int, at: datetime, interval: float) -> int:
    """One more fix per worker at `at` (the walk's fix number k), received a second later."""
    rows = []
    for r in routes:
        lon, lat = r.at(np.array([k]), SPEED_MPS * interval)
        rows.append((r.worker_id, at, f"SRID=4326;POINT({lon[0]:.7f} {lat[0]:.7f})", r.grid_id,
                     at + timedelta(seconds=1)))
    with psycopg.connect(url) as c, c.cursor() as cur, cur.copy(
            "COPY positions (worker_id, fix_time, geom, grid_id, received_at, device_id) "
            "FROM STDIN") as cp:
        for row in rows:
            cp.write_row((*row, "bench"))
    return len(rows)


def advance(url: str, now: datetime) -> tuple[float, int]:
    """One pass with the injected clock: seconds and walks written."""
    import server.models  # noqa: F401 - every table for the ORM
    from server.coverage import service
    from server.db import make_engine, make_sessionmaker

    async def go() -> tuple[float, int]:
        engine = make_engine(url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                t = time.perf_counter()
                walks = await service.advance(db=db, now=now)
                return time.perf_counter() - t, walks
        finally:
            await engine.dispose()

    return asyncio.run(go())


def read_view(url: str, day: date, now: datetime) -> tuple[float, float, int, float]:
    """Seconds for the whole county's coverage list and report; grids, mean share."""
    import server.models  # noqa: F401
    from server.auth.schemas import Principal
    from server.coverage import service
    from server.db import make_engine, make_sessionmaker

    admin = Principal(user_id=0, username="bench", role="admin", display_name="bench")

    async def go() -> tuple[float, float, int, float]:
        engine = make_engine(url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                t = time.perf_counter()
                out = await service.coverage(db=db, principal=admin, day=day.isoformat(),
                                             shift="day", community_id=None, now=now)
                t1 = time.perf_counter()
                await service.report(db=db, principal=admin, day=day.isoformat(),
                                     community_id=None, now=now)
                shares = [g.share for g in out.grids if g.share is not None]
                return t1 - t, time.perf_counter() - t1, len(out.grids), \
                    statistics.mean(shares) if shares else 0.0
        finally:
            await engine.dispose()

    return asyncio.run(go())


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as c:
        return {t: int(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore
                for t in ("positions", "coverage_pieces", "coverage_walks", "coverage_days")}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--preset", default="county", choices=["county", "demo"])
    p.add_argument("--interval", type=float, default=10.0, help="seconds between fixes")
    p.add_argument("--hours", type=float, default=8.0, help="length of the shift walked")
    args = p.parse_args()
    from server.patrol.tracks import LOCAL_TZ

    day = datetime.now(UTC).astimezone(LOCAL_TZ).date() - timedelta(days=1)
    start = datetime.combine(day, dtime(START_HOUR), tzinfo=LOCAL_TZ).astimezone(UTC)
    fixes = int(args.hours * 3600 / args.interval)
    end = start + timedelta(seconds=(fixes - 1) * args.interval)
    with seeded_cluster(args.preset) as (url, seed_s, pieces_s):
        rng = np.random.default_rng(7)
        with psycopg.connect(url) as c:
            routes = [Route(w, g, bytes(wkb), float(rng.random()))
                      for w, g, wkb in c.execute(ROUTES).fetchall()]
        load_s = load_day(url, routes, start=start, fixes=fixes, interval=args.interval)
        day_s, day_walks = advance(url, end + timedelta(seconds=10))
        ticks = []
        for i in range(1, TICKS + 1):
            at = end + timedelta(seconds=i * args.interval)
            add_tick(url, routes, k=fixes - 1 + i, at=at, interval=args.interval)
            ticks.append(advance(url, at + timedelta(seconds=10)))
        list_s, report_s, grids, share = read_view(url, day, end + timedelta(minutes=5))
        n = counts(url)
    tick_s = [s for s, _ in ticks]
    checks = [("whole-day pass", day_s, LIMITS["whole-day pass s"]),
              ("incremental pass (max)", max(tick_s), LIMITS["incremental pass s"])]
    total = len(routes) * fixes
    print(f"{args.preset}: {len(routes):,} workers × {fixes:,} fixes ({args.hours:g} h, one "
          f"every {args.interval:g} s) = {total:,} fixes; {n['coverage_pieces']:,} street "
          f"pieces; {os.cpu_count()} cores")
    print(f"  seed {seed_s:.0f} s (pieces {pieces_s:.1f} s); day loaded in {load_s:.0f} s")
    print(f"  whole-day pass: {day_walks:,} walks, {total / day_s:,.0f} fixes/s; "
          f"{n['coverage_days']:,} window rows")
    print(f"  incremental: {len(routes):,} fixes per pass, p50 {statistics.median(tick_s):.2f} s"
          f", walks per pass {statistics.median([w for _, w in ticks]):,.0f}")
    print(f"  views: coverage of {grids:,} grids {list_s * 1000:.0f} ms, report "
          f"{report_s * 1000:.0f} ms; mean day-shift share {share:.2f}")
    ok = True
    for name, value, limit in checks:
        good = value < limit
        ok &= good
        print(f"  {name:<26} {value:>9.2f} s  < {limit:g} s  {'ok' if good else 'MISSED'}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"coverage-{args.preset}.json").write_text(json.dumps({
        "preset": args.preset, "workers": len(routes), "fixes": total,
        "interval_s": args.interval, "hours": args.hours, "cores": os.cpu_count(),
        "seed_s": seed_s, "pieces_s": pieces_s, "load_s": load_s, "counts": n,
        "whole_day_s": day_s, "whole_day_walks": day_walks, "whole_day_fps": total / day_s,
        "incremental_s": tick_s, "incremental_walks": [w for _, w in ticks],
        "coverage_list_ms": list_s * 1000, "report_ms": report_s * 1000, "grids": grids,
        "mean_day_share": share, "limits": LIMITS}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
