"""Position ingest at scale: batched ingest with grid assignment (POST /api/positions) against
a raw batched INSERT of the same rows (COPY shown for reference), single-fix OsmAnd
requests per second, and position → operator screen latency under a background load, each
against its limit.

The ingest and the raw INSERT run in alternating rounds, each round on the next slice of
fixes, so a busy moment of a shared machine weighs on both sides alike; the ratio reported
is the median of the rounds' ratios. One more slice is ingested while an operator's live
map is open (the hub then reads every change), for the figure a command center sees.
Usage: python bench/ingest.py [--preset county|demo] [--fixes 50000] [--rounds 3]
[--clients 4] [--server-workers 2]."""

import argparse
import contextlib
import json
import math
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from queue import Empty, Queue

import httpx
import psycopg
from common import ROOT, login, seeded_server, summary
from websockets.sync.client import connect

BATCH = 1000
# Senders at once, on each side: a request waits on the database half its time, so two
# would leave both cores idle half the time; four keep the server and the database busy.
CLIENTS = 4
OSMAND_CLIENTS = 4
OSMAND_SECONDS = 10.0
LOAD_FPS = 1200  # background fixes/s during the latency probe
PROBES = 40
LIMITS = {"ingest fixes/s": 8000.0, "ingest / raw": 0.5, "screen latency p99 ms": 500.0}
M_PER_DEG = 111_320.0
RADIUS_M = 12.0  # each worker walks a small circle around a point inside their grid

WORKERS_SQL = """
SELECT w.id, w.device_id, g.id, ST_X(p), ST_Y(p), s.fix_time
FROM workers w
LEFT JOIN worker_state s ON s.worker_id = w.id
JOIN LATERAL (SELECT wg.grid_id FROM worker_grids wg WHERE wg.worker_id = w.id
              ORDER BY wg.grid_id LIMIT 1) a ON true
JOIN grids g ON g.id = a.grid_id AND g.level = 'grid' AND g.kind = 'comprehensive'
CROSS JOIN LATERAL (SELECT center FROM ST_MaximumInscribedCircle(g.geom)) c(p)
WHERE w.active AND w.device_id IS NOT NULL
ORDER BY w.id
"""
# The same columns, defaults, checks, keys and indexes as positions (LIKE copies all but
# the foreign key, added by hand), partitioned by day the same way.
RAW_SETUP = """
DROP TABLE IF EXISTS bench_raw_positions;
CREATE TABLE bench_raw_positions (LIKE positions INCLUDING ALL) PARTITION BY RANGE (fix_time);
ALTER TABLE bench_raw_positions ADD FOREIGN KEY (worker_id) REFERENCES workers (id);
CREATE TABLE bench_raw_positions_default PARTITION OF bench_raw_positions DEFAULT;
"""
RAW_COLUMNS = ("worker_id, fix_time, device_id, geom, grid_id, accuracy, speed, heading, "
               "altitude, battery, flags")


class Walker:
    """One worker's fixes: a slow walk on a small circle inside their grid, times increasing."""

    def __init__(self, worker_id: int, device: str, grid_id: int, lon: float, lat: float,
                 seen: datetime | None, phase: float) -> None:
        self.id, self.device, self.grid_id, self.seen = worker_id, device, grid_id, seen
        self.lon, self.lat, self.theta = lon, lat, phase

    def at(self, when: datetime, step_s: float) -> dict:
        # chord per step ≤ 1 m/s × step: walking speed at most
        self.theta += min(0.5, step_s / RADIUS_M)
        dx, dy = RADIUS_M * math.cos(self.theta), RADIUS_M * math.sin(self.theta)
        return {"device_id": self.device, "time": when.isoformat(),
                "lon": round(self.lon + dx / (M_PER_DEG * math.cos(math.radians(self.lat))), 7),
                "lat": round(self.lat + dy / M_PER_DEG, 7), "accuracy": 8.0, "speed": 0.9,
                "heading": round(math.degrees(self.theta) % 360, 1), "battery": 80}


def walkers(url: str) -> list[Walker]:
    rng = random.Random(7)
    with psycopg.connect(url) as c:
        rows = c.execute(WORKERS_SQL).fetchall()
        today = datetime.now(UTC).date()
        c.execute("SELECT gridlink_ensure_position_partitions(%s, %s)",
                  [today - timedelta(days=1), today + timedelta(days=1)])
    return [Walker(*r, phase=rng.uniform(0, 2 * math.pi)) for r in rows]


def batch_fixes(ws: list[Walker], n: int, start: datetime,
                end: datetime) -> tuple[list[dict], list[tuple[Walker, dict]]]:
    """n fixes over [start, end], each worker's in time order, interleaved across workers so
    every batch holds many workers (as a gateway forwarding many phones would send)."""
    per = math.ceil(n / len(ws))
    # each worker starts a while after their seeded last fix, so the first is no jump
    begin = {w.id: min(end - timedelta(minutes=30),
                       max(start, (w.seen or start) + timedelta(minutes=15))) for w in ws}
    step = {w.id: (end - begin[w.id]).total_seconds() / per for w in ws}
    out: list[tuple[Walker, dict]] = []
    for k in range(per):
        for w in ws:
            if len(out) < n:
                when = begin[w.id] + timedelta(seconds=k * step[w.id], milliseconds=w.id % 997)
                out.append((w, w.at(when, step[w.id])))
    return [f for _, f in out], out


def post_batches(base: str, bodies: list[bytes], clients: int) -> tuple[float, dict]:
    """POST the bodies from `clients` threads; wall seconds and summed response counts."""
    q: Queue[bytes] = Queue()
    for b in bodies:
        q.put(b)
    totals = {"accepted": 0, "duplicates": 0, "flagged": 0, "refused": 0, "errors": 0}
    lock = threading.Lock()
    with httpx.Client(base_url=base, timeout=120) as auth:
        login(auth, "admin")
        headers = {"Authorization": auth.headers["Authorization"],
                   "Content-Type": "application/json"}

    def run() -> None:
        with httpx.Client(base_url=base, timeout=120, headers=headers) as http:
            while True:
                try:
                    body = q.get_nowait()
                except Empty:
                    return
                r = http.post("/api/positions", content=body)
                with lock:
                    if r.status_code != 200:
                        totals["errors"] += 1
                        continue
                    out = r.json()
                    for k in ("accepted", "duplicates", "flagged"):
                        totals[k] += out[k]
                    totals["refused"] += len(out["refused"])

    return timed_threads(run, clients), totals


def timed_threads(target: Callable[[], None], count: int) -> float:
    """Run `target` in `count` threads at once; seconds until all are done."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t


def raw_setup(url: str) -> None:
    """A fresh copy of the positions table (same keys, indexes and partitions), empty."""
    today = datetime.now(UTC).date()
    with psycopg.connect(url, autocommit=True) as c:
        c.execute(RAW_SETUP)
        for d in (today - timedelta(days=1), today, today + timedelta(days=1)):
            c.execute(f"CREATE TABLE bench_raw_positions_{d:%Y%m%d} PARTITION OF "
                      f"bench_raw_positions FOR VALUES FROM ('{d}') TO ('{d + timedelta(1)}')")


def raw_rows(rows: list[tuple[Walker, dict]]) -> list[tuple]:
    return [(w.id, datetime.fromisoformat(f["time"]), w.device,
             f"SRID=4326;POINT({f['lon']} {f['lat']})", w.grid_id, f["accuracy"], f["speed"],
             f["heading"], None, f["battery"], 0) for w, f in rows]


def raw_write(url: str, rows: list[tuple[Walker, dict]], clients: int, *, copy: bool) -> float:
    """The same rows with their grid already known, straight into a fresh copy of the
    positions table in batches of BATCH: a batched INSERT (executemany, pipelined) or COPY."""
    raw_setup(url)
    tuples = raw_rows(rows)
    q: Queue[list[tuple]] = Queue()
    for i in range(0, len(tuples), BATCH):
        q.put(tuples[i:i + BATCH])
    insert = (f"INSERT INTO bench_raw_positions ({RAW_COLUMNS}) VALUES "
              f"({', '.join(['%s'] * 11)})")

    def run() -> None:
        with psycopg.connect(url) as c:
            while True:
                try:
                    chunk = q.get_nowait()
                except Empty:
                    return
                with c.cursor() as cur:
                    if copy:
                        with cur.copy(f"COPY bench_raw_positions ({RAW_COLUMNS}) "
                                      "FROM STDIN") as cp:
                            for row in chunk:
                                cp.write_row(row)
                    else:
                        cur.executemany(insert, chunk)
                c.commit()

    return timed_threads(run, clients)


def grid_check(url: str, start: datetime, ws: list[Walker]) -> tuple[int, int]:
    """Stored fixes since `start`, and how many got their worker's grid."""
    expect = {w.id: w.grid_id for w in ws}
    with psycopg.connect(url) as c:
        rows = c.execute("SELECT worker_id, grid_id, count(*) FROM positions "
                         "WHERE fix_time >= %s AND received_at > now() - interval '1 hour' "
                         "GROUP BY 1, 2", [start]).fetchall()
    return (sum(n for *_, n in rows),
            sum(n for w, g, n in rows if expect.get(w) == g))


class Clock:
    """Per-worker fix times after the batched phase, strictly increasing."""

    def __init__(self, start: datetime, step_s: float) -> None:
        self.start, self.step, self.n = start, step_s, {}
        self.lock = threading.Lock()

    def next(self, w: Walker) -> datetime:
        with self.lock:
            k = self.n.get(w.id, 0) + 1
            self.n[w.id] = k
        return self.start + timedelta(seconds=k * self.step)


def osmand_rate(base: str, ws: list[Walker], clock: Clock) -> tuple[float, int, int]:
    """Single-fix GETs from OSMAND_CLIENTS threads, each owning its own workers."""
    stop = time.perf_counter() + OSMAND_SECONDS
    done, bad = [0] * OSMAND_CLIENTS, [0] * OSMAND_CLIENTS

    def run(i: int) -> None:
        mine = ws[i::OSMAND_CLIENTS]
        with httpx.Client(base_url=base, timeout=30) as http:
            k = 0
            while time.perf_counter() < stop:
                w = mine[k % len(mine)]
                k += 1
                f = w.at(clock.next(w), clock.step)
                ms = int(datetime.fromisoformat(f["time"]).timestamp() * 1000)
                r = http.get("/osmand", params={"id": w.device, "lat": f["lat"], "lon": f["lon"],
                                                "timestamp": ms, "accuracy": f["accuracy"]})
                done[i] += 1
                bad[i] += r.status_code != 200

    threads = [threading.Thread(target=run, args=(i,)) for i in range(OSMAND_CLIENTS)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(done) / (time.perf_counter() - t), sum(done), sum(bad)


def screen_latency(base: str, ws: list[Walker],
                   clock: Clock) -> tuple[list[float], list[float], float]:
    """POST one probe fix, time until the operator's positions frame shows it, PROBES times,
    while other workers send LOAD_FPS fixes/s in batches; also how long the POST itself took
    and the load actually sent."""
    # Each probe from a worker of its own, as phones send every few seconds: a worker's
    # second fix within GRIDLINK_POSITION_COALESCE_MS is held back on purpose.
    probes, others = ws[:PROBES], ws[PROBES:]
    stop = threading.Event()
    sent = [0]
    with httpx.Client(base_url=base, timeout=30) as auth:
        login(auth, "admin")
        admin = auth.headers["Authorization"]
        login(auth, "operator")
        operator = auth.headers["Authorization"].split()[1]

    def load() -> None:
        tick, per = 0.25, int(LOAD_FPS * 0.25)
        k = 0
        with httpx.Client(base_url=base, timeout=30, headers={"Authorization": admin}) as http:
            nxt = time.perf_counter()
            while not stop.is_set():
                fixes = []
                for _ in range(per):
                    w = others[k % len(others)]
                    k += 1
                    fixes.append(w.at(clock.next(w), clock.step))
                http.post("/api/positions", json={"fixes": fixes})
                sent[0] += len(fixes)
                nxt += tick
                time.sleep(max(0.0, nxt - time.perf_counter()))

    out: list[float] = []
    posted: list[float] = []  # of which: until the POST answered (ingest under load)
    with httpx.Client(base_url=base, timeout=30, headers={"Authorization": admin}) as http, \
            connect(f"ws{base[4:]}/ws/live?token={operator}") as ws_:
        ws_.recv(timeout=5)
        bg = threading.Thread(target=load)
        t0 = time.perf_counter()
        bg.start()
        time.sleep(2)
        rng = random.Random(3)
        try:
            for probe in probes:
                f = probe.at(clock.next(probe), clock.step)
                t = time.perf_counter()
                http.post("/api/positions", json={"fixes": [f]}).raise_for_status()
                posted.append((time.perf_counter() - t) * 1000)
                want = datetime.fromisoformat(f["time"])
                while True:
                    msg = json.loads(ws_.recv(timeout=10))
                    if msg.get("type") == "positions" and any(
                            p["id"] == probe.id and datetime.fromisoformat(p["fix_time"]) == want
                            for p in msg["workers"]):
                        out.append((time.perf_counter() - t) * 1000)
                        break
                time.sleep(rng.uniform(0.1, 0.6))  # not in step with the coalescing tick
        finally:
            stop.set()
            bg.join()
    return out, posted, sent[0] / (time.perf_counter() - t0)


class Watcher:
    """An operator's live feed, drained in a thread: the hub works as it does for a
    command center with its map open."""

    def __init__(self, base: str) -> None:
        with httpx.Client(base_url=base, timeout=30) as auth:
            login(auth, "operator")
            token = auth.headers["Authorization"].split()[1]
        self.url = f"ws{base[4:]}/ws/live?token={token}"
        self.frames, self.stop = 0, threading.Event()
        self.thread = threading.Thread(target=self._drain)
        self.stack = contextlib.ExitStack()

    def _drain(self) -> None:
        while not self.stop.is_set():
            with contextlib.suppress(TimeoutError):
                if json.loads(self.ws.recv(timeout=0.2)).get("type") == "positions":
                    self.frames += 1

    def __enter__(self) -> "Watcher":
        self.ws = self.stack.enter_context(connect(self.url, max_size=None))
        self.ws.recv(timeout=5)  # hello
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.stack.close()


def rounds(base: str, url: str, fixes: list[dict], rows: list[tuple[Walker, dict]],
           count: int, clients: int = CLIENTS) -> dict:
    """`count` rounds of ingest then raw INSERT, each on its own slice of fixes; then one
    more slice ingested with an operator watching, and COPY of a slice for reference."""
    size = len(fixes) // (count + 1)
    out: dict = {"ingest_fps": [], "raw_fps": [], "ratio": [], "totals": []}
    for r in range(count):
        part = slice(r * size, (r + 1) * size)
        bodies = [json.dumps({"fixes": fixes[part][i:i + BATCH]}).encode()
                  for i in range(0, size, BATCH)]
        ingest_s, totals = post_batches(base, bodies, clients)
        raw_s = raw_write(url, rows[part], clients, copy=False)
        out["ingest_fps"].append(size / ingest_s)
        out["raw_fps"].append(size / raw_s)
        out["ratio"].append(raw_s / ingest_s)
        out["totals"].append(totals)
    last = slice(count * size, (count + 1) * size)
    bodies = [json.dumps({"fixes": fixes[last][i:i + BATCH]}).encode()
              for i in range(0, size, BATCH)]
    with Watcher(base) as watcher:
        watched_s, totals = post_batches(base, bodies, clients)
        time.sleep(1.5)  # the last frames of the slice
    out["totals"].append(totals)
    out.update(watched_fps=size / watched_s, watched_frames=watcher.frames,
               copy_fps=size / raw_write(url, rows[:size], clients, copy=True), slice=size)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--preset", default="county", choices=["county", "demo"])
    p.add_argument("--fixes", type=int, default=50_000, help="per round")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--clients", type=int, default=CLIENTS, help="senders at once, each side")
    p.add_argument("--server-workers", type=int, default=2)
    args = p.parse_args()
    with seeded_server(args.preset, workers=args.server_workers) as (base, url, seed_s):
        ws = walkers(url)
        now = datetime.now(UTC)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        start = midnight + timedelta(seconds=1)
        end = max(start + timedelta(minutes=1), now - timedelta(minutes=20))
        # every worker's fixes in time order, slice after slice
        fixes, rows = batch_fixes(ws, args.fixes * (args.rounds + 1), start, end)
        res = rounds(base, url, fixes, rows, args.rounds, args.clients)
        stored, in_grid = grid_check(url, start, ws)
        clock = Clock(max(end, now - timedelta(minutes=15)), 0.05)
        osm_rps, osm_n, osm_bad = osmand_rate(base, ws, clock)
        latency, posted, load_fps = screen_latency(base, ws, clock)
    n = len(fixes)
    ingest_fps, raw_fps = statistics.median(res["ingest_fps"]), statistics.median(res["raw_fps"])
    ratio, copy_fps = statistics.median(res["ratio"]), res["copy_fps"]
    totals = {k: sum(t[k] for t in res["totals"]) for k in res["totals"][0]}
    lat = summary(latency)

    def spread(xs: list[float], fmt: str) -> str:
        return " ".join(format(x, fmt) for x in xs)

    checks = [("batched ingest with grids", f"{ingest_fps:,.0f} fixes/s",
               f"≥ {LIMITS['ingest fixes/s']:,.0f}", ingest_fps >= LIMITS["ingest fixes/s"]),
              ("raw batched INSERT", f"{raw_fps:,.0f} fixes/s", "", None),
              ("ingest / raw INSERT", f"{ratio:.2f}", f"≥ {LIMITS['ingest / raw']}",
               ratio >= LIMITS["ingest / raw"]),
              ("ingest, operator watching", f"{res['watched_fps']:,.0f} fixes/s",
               f"ratio {res['watched_fps'] / raw_fps:.2f}", None),
              ("raw COPY (for reference)", f"{copy_fps:,.0f} fixes/s",
               f"ingest / COPY {ingest_fps / copy_fps:.2f}", None),
              ("OsmAnd single fix", f"{osm_rps:,.0f} req/s", "", None),
              (f"screen latency @ {load_fps:,.0f}/s",
               f"p50 {lat['p50']} p99 {lat['p99']} ms",
               f"p99 < {LIMITS['screen latency p99 ms']:g} ms",
               lat["p99"] < LIMITS["screen latency p99 ms"])]
    print(f"{args.preset}: {len(ws)} workers, {args.rounds} rounds of {res['slice']:,} fixes in "
          f"batches of {BATCH} from {args.clients} clients, {args.server_workers} server workers, "
          f"{os.cpu_count()} cores, seed {seed_s:.0f} s")
    print(f"  rounds: ingest {spread(res['ingest_fps'], ',.0f')} fixes/s; raw INSERT "
          f"{spread(res['raw_fps'], ',.0f')}; ratio {spread(res['ratio'], '.2f')}")
    print(f"  ingested {n:,}: accepted {totals['accepted']:,}, duplicates "
          f"{totals['duplicates']}, flagged {totals['flagged']}, refused {totals['refused']}, "
          f"failed batches {totals['errors']}; stored {stored:,}, in their own grid "
          f"{in_grid:,}; the watching operator got {res['watched_frames']} position frames")
    post = summary(posted)
    print(f"  of the screen latency, the probe's own POST took p50 {post['p50']} p99 "
          f"{post['p99']} ms")
    print(f"  OsmAnd: {osm_n:,} requests in {OSMAND_SECONDS:g} s from {OSMAND_CLIENTS} clients, "
          f"{osm_bad} not 200")
    ok = totals["accepted"] == n and totals["flagged"] == 0 and totals["errors"] == 0 \
        and osm_bad == 0 and in_grid == stored == n
    for name, value, limit, good in checks:
        verdict = "" if good is None else ("ok" if good else "MISSED")
        ok &= good is not False
        print(f"  {name:<30} {value:>26}  {limit:<14} {verdict}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"ingest-{args.preset}.json").write_text(json.dumps({
        "preset": args.preset, "workers": len(ws), "fixes": n, "rounds": args.rounds,
        "clients": args.clients, "server_workers": args.server_workers, "cores": os.cpu_count(),
        "seed_s": seed_s, **{k: v for k, v in res.items() if k != "totals"},
        "ingest_fps_median": ingest_fps, "raw_fps_median": raw_fps, "ratio_median": ratio,
        "ingest_totals": totals, "stored": stored, "in_own_grid": in_grid,
        "osmand_rps": osm_rps, "osmand_requests": osm_n, "osmand_not_200": osm_bad,
        "screen_latency_ms": lat, "probe_post_ms": post, "load_fps": load_fps,
        "limits": LIMITS}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
