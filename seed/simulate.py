"""The live simulator: patrollers walk their grids' streets and residents report problems,
all through the public HTTP API, like real clients (synthetic)."""

import random
import signal
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from shapely.geometry import LineString, Point, shape

from geo.metric import from_local_m, to_local_m

GATEWAY_USER = "admin"
PASSWORD = "gridlink"
WALK_SPEED_MPS = (0.9, 1.6)


@dataclass
class Walker:
    """One patroller walking a loop around their grid."""

    worker_id: int
    device_id: str
    path_m: LineString  # in local metres about `origin`
    origin: tuple[float, float]
    speed: float
    at_m: float

    def step(self, seconds: float) -> tuple[float, float]:
        """Advance along the loop and return the new lon/lat."""
        self.at_m = (self.at_m + self.speed * seconds) % self.path_m.length
        p = from_local_m(self.path_m.interpolate(self.at_m), origin=self.origin)
        return p.x, p.y


class Client:
    """A logged-in HTTP client of the public API."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=15)
        r = self.http.post("/api/auth/token", data={"username": GATEWAY_USER,
                                                   "password": PASSWORD})
        r.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {r.json()['access_token']}"

    def get(self, path: str, **params: str | int | float) -> Any:
        r = self.http.get(path, params=params)
        r.raise_for_status()
        return r.json()

    def post(self, path: str, body: dict) -> httpx.Response:
        return self.http.post(path, json=body)


def walkers(api: Client, *, count: int, rng: random.Random) -> list[Walker]:
    """Pick grid workers and lay each one's path along their home grid's boundary."""
    bbox = ",".join(str(v) for v in api.get("/api/meta")["bbox"])
    people = [f["properties"] for f in api.get("/api/workers/live", bbox=bbox)["features"]
              if f["properties"]["role"] in ("grid_worker", "grid_head")
              and f["properties"].get("device_id") and f["properties"].get("home_grid_id")]
    people.sort(key=lambda p: p["id"])
    chosen = rng.sample(people, min(count, len(people)))
    out = []
    for p in chosen:
        grid = shape(api.get(f"/api/grids/{p['home_grid_id']}")["geometry"])
        poly = max(getattr(grid, "geoms", [grid]), key=lambda g: g.area)
        origin = (poly.centroid.x, poly.centroid.y)
        ring = to_local_m(LineString(poly.exterior.coords), origin=origin)
        out.append(Walker(p["id"], p["device_id"], ring, origin,
                          rng.uniform(*WALK_SPEED_MPS), rng.uniform(0, ring.length)))
    return out


def report(api: Client, rng: random.Random, categories: list[dict],
           grids: list[dict]) -> None:
    """A resident reports a problem somewhere in a random grid."""
    g = shape(rng.choice(grids)["geometry"])
    minx, miny, maxx, maxy = g.bounds
    for _ in range(20):
        pt = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if g.contains(pt):
            break
    cat = rng.choice(categories)
    api.post("/api/reports", {"category": cat["code"], "lon": round(pt.x, 6),
                              "lat": round(pt.y, 6), "accuracy_m": round(rng.uniform(5, 30)),
                              "description": f"{cat['name']}：居民随手拍反映（模拟数据）"})


def simulate(*, base_url: str, walkers: int = 120, interval: float = 3.0,
             report_every: float = 20.0, seed: int = 7, duration: float | None = None) -> None:
    """Run until Ctrl-C (or `duration` seconds): positions every `interval`, reports now
    and then."""
    rng = random.Random(seed)
    api = Client(base_url)
    people = globals()["walkers"](api, count=walkers, rng=rng)
    categories = api.get("/api/categories")
    bbox = ",".join(str(v) for v in api.get("/api/meta")["bbox"])
    grids = api.get("/api/grids", bbox=bbox, level="grid", kind="comprehensive")["features"]
    print(f"simulator: {len(people)} patrollers walking, a report every ~{report_every:.0f} s",
          flush=True)
    stop = _stopper()
    started = last_report = time.monotonic()
    while not stop() and (duration is None or time.monotonic() - started < duration):
        now = datetime.now(UTC).isoformat()
        fixes = []
        for w in people:
            lon, lat = w.step(interval)
            fixes.append({"device_id": w.device_id, "lon": round(lon, 7), "lat": round(lat, 7),
                          "time": now, "accuracy": round(rng.uniform(3, 12), 1),
                          "speed": round(w.speed, 2)})
        if fixes:
            api.post("/api/positions", {"fixes": fixes})
        if categories and grids and time.monotonic() - last_report >= report_every:
            report(api, rng, categories, grids)
            last_report = time.monotonic()
        time.sleep(interval)


def _stopper():  # noqa: ANN202
    flag = {"stop": False}

    def handle(*_: object) -> None:
        flag["stop"] = True

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)
    return lambda: flag["stop"]
