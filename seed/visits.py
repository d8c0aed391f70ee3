"""A SYNTHETIC history of household visits (入户走访) up to `now`.

Each household's last visit is drawn against its care color's target (red every 7 days …
green every 180, the server's defaults): most were visited on time, OVERDUE_SHARE of each
color are overdue, a few blue and green ones were never visited; earlier visits go back
at about the target interval over HISTORY_DAYS. The visitor is a head or member of the
household's grid, standing a few metres from it, in the daytime (UTC+8).
Deterministic: the same (preset, seed, now) gives the same rows.

>>> from seed.generate import generate
>>> rows = visit_rows(generate(preset="tiny", seed=1))
>>> rows[0]["id"], all(r["distance_m"] <= 30 for r in rows)
(1, True)
"""

import math
import random
from datetime import datetime, timedelta

import shapely

from seed.generate import SeedData
from seed.geom import M_PER_DEG

TABLE = "household_visits"
EVERY_DAYS = {"red": 7, "orange": 14, "yellow": 30, "blue": 90, "green": 180}
OVERDUE_SHARE = {"red": 0.12, "orange": 0.15, "yellow": 0.15, "blue": 0.10, "green": 0.08}
NEVER_SHARE = {"blue": 0.03, "green": 0.05}  # no visit yet: due from the ledger entry
ON_TIME = (0.05, 0.8)  # age of the last visit, in intervals, when on time
LATE = (0.25, 1.2)  # how late an overdue one is, in intervals, …
LATE_DAYS = (2.0, 60.0)  # … and in days (the smaller of the two)
GAP = (0.7, 1.0)  # between earlier visits, in intervals
HISTORY_DAYS = 90
NOTES = ("老人身体状况良好", "了解近期生活情况", "宣传防诈骗知识", "提醒用电用气安全",
         "协助办理相关事项", "送去米面油", None, None, None, None)
LOCAL_HOURS = range(1, 11)  # 09:00–18:59 in UTC+8


def visitors(data: SeedData) -> dict[int, list[int]]:
    """Grid id → its head and members (the people who visit), in id order."""
    out: dict[int, list[int]] = {}
    for wg in data.worker_grids:
        if wg["duty"] in ("head", "member"):
            out.setdefault(wg["grid_id"], []).append(wg["worker_id"])
    return {g: sorted(ws) for g, ws in out.items()}


def visit_rows(data: SeedData) -> list[dict]:
    """Rows of household_visits for the generated households (ids from 1, oldest first)."""
    rng = random.Random(f"gridlink:{data.preset}:{data.seed}:visits")
    now = data.now
    team = visitors(data)
    rows: list[dict] = []
    for h in data.households:
        workers = team.get(h["grid_id"])
        if workers:
            rows.extend(_history(rng, h, workers, now))
    rows.sort(key=lambda r: (r["visited_at"], r["household_id"]))
    points = shapely.points([r.pop("lon") for r in rows], [r.pop("lat") for r in rows])
    return [{"id": i + 1, **r, "geom": p} for i, (r, p) in enumerate(zip(rows, points,
                                                                          strict=True))]


def _history(rng: random.Random, h: dict, workers: list[int], now: datetime) -> list[dict]:
    color = h["care_color"]
    if rng.random() < NEVER_SHARE.get(color, 0.0):
        return []
    every = EVERY_DAYS[color]
    if rng.random() < OVERDUE_SHARE[color]:
        age = every + min(every * rng.uniform(*LATE), rng.uniform(*LATE_DAYS))
    else:
        age = every * rng.uniform(*ON_TIME)
    at = _daytime(rng, now - timedelta(days=age), now)
    out = []
    start = now - timedelta(days=HISTORY_DAYS)
    while True:
        out.append(_visit(rng, h, rng.choice(workers), at))
        at = _daytime(rng, at - timedelta(days=every * rng.uniform(*GAP)), now)
        if at < start:
            return out


def _daytime(rng: random.Random, at: datetime, now: datetime) -> datetime:
    """The same day at a random working hour, never after now."""
    at = at.replace(hour=rng.choice(LOCAL_HOURS), minute=rng.randrange(60),
                    second=rng.randrange(60), microsecond=0)
    return at - timedelta(days=1) if at >= now else at


def _visit(rng: random.Random, h: dict, worker: int, at: datetime) -> dict:
    """One check-in a few metres from the household."""
    dist, angle = rng.uniform(2.0, 30.0), rng.uniform(0.0, 2 * math.pi)
    p = h["geom"]
    kx = M_PER_DEG * math.cos(math.radians(p.y))
    return {"household_id": h["id"], "worker_id": worker, "grid_id": h["grid_id"],
            "visited_at": at, "lon": p.x + dist * math.cos(angle) / kx,
            "lat": p.y + dist * math.sin(angle) / M_PER_DEG,
            "accuracy": round(rng.uniform(3.0, 25.0), 1),
            "distance_m": round(dist, 1), "note": rng.choice(NOTES), "created_at": at}
