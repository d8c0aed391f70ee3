"""Track playback: fixes put straight into positions for one local day (UTC+8), read back
with the line, stops, distance and scoping of GET /api/workers/{id}/track."""

import math
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import psycopg
import pytest
from fastapi.testclient import TestClient

from geo.metric import haversine_m
from server.patrol import tracks
from server.patrol.filters import FLAG_JUMP
from server.patrol.track_schemas import Track
from tests.conftest import login
from tests.server.helpers import one

DAY = tracks.local_today() - timedelta(days=1)
LEG_M = 50.0
JITTER_M = 2.0


@pytest.fixture
def client(settings) -> Iterator[TestClient]:  # noqa: ANN001
    """The app, with the track route even before server/app.py lists it."""
    from server.app import create_app
    from server.patrol.track_routes import router

    app = create_app(settings)
    if not any(getattr(r, "path", "") == "/api/workers/{worker_id}/track" for r in app.routes):
        app.include_router(router)
        # ahead of the static files mounted at /, as ROUTERS would place it
        app.router.routes.insert(0, app.router.routes.pop())
    with TestClient(app) as c:
        yield c


def local(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=tracks.LOCAL_TZ)


def colleague(url: str) -> tuple[int, str, int, float, float]:
    """Another worker of the patroller's home grid: id, device, grid and a point in it."""
    return one(url, "SELECT w.id, w.device_id, g.id, ST_X(p), ST_Y(p) FROM users u "
                    "JOIN worker_grids mine ON mine.worker_id = u.worker_id "
                    "AND mine.duty <> 'linked' JOIN worker_grids wg ON wg.grid_id = "
                    "mine.grid_id AND wg.worker_id <> u.worker_id JOIN workers w ON "
                    "w.id = wg.worker_id JOIN grids g ON g.id = mine.grid_id, "
                    "ST_PointOnSurface(g.geom) p WHERE u.username = 'patroller' "
                    "AND w.device_id IS NOT NULL ORDER BY w.id LIMIT 1")


def stranger(url: str) -> int:
    """A worker sharing no grid with the patroller."""
    return int(one(url, "SELECT w.id FROM workers w WHERE NOT EXISTS (SELECT 1 FROM "
                        "worker_grids a JOIN worker_grids b ON a.grid_id = b.grid_id JOIN users "
                        "u ON u.worker_id = b.worker_id WHERE a.worker_id = w.id AND "
                        "u.username = 'patroller') ORDER BY w.id LIMIT 1")[0])


def insert(url: str, rows: list[tuple[int, str, datetime, float, float, int | None, int]]) -> None:
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("SELECT gridlink_ensure_position_partitions(%s, %s)",
                  [DAY - timedelta(days=1), DAY + timedelta(days=1)])
        with c.cursor() as cur:
            cur.executemany(
                "INSERT INTO positions (worker_id, device_id, fix_time, geom, grid_id, accuracy, "
                "speed, flags) VALUES (%s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s, "
                "5, 1.2, %s)", rows)


def day_of_patrol(url: str) -> dict:
    """Walk east 19 legs, stay 10 min at P (jittering north), one jump, walk north 10 legs;
    and one fix on each neighbouring day. Returns what the answer must say."""
    worker, device, grid, lon0, lat0 = colleague(url)
    east = LEG_M / (111_195 * math.cos(math.radians(lat0)))  # metres → degrees, haversine
    north, jitter = LEG_M / 111_195, JITTER_M / 111_195
    rows = []
    for k in range(20):  # 09:00:00 … 09:09:30
        rows.append((local(DAY, 9, 0) + timedelta(seconds=30 * k), lon0 + k * east, lat0))
    p_lon, p_lat = lon0 + 20 * east, lat0
    for k in range(21):  # 09:10:00 … 09:20:00 at P
        rows.append((local(DAY, 9, 10) + timedelta(seconds=30 * k), p_lon,
                     p_lat + (jitter if k % 2 else 0.0)))
    for k in range(1, 11):  # 09:20:30 … 09:25:00, north from P
        rows.append((local(DAY, 9, 20) + timedelta(seconds=30 * k), p_lon, p_lat + k * north))
    values = [(worker, device, t, x, y, grid, 0) for t, x, y in rows]
    jump = (worker, device, local(DAY, 9, 20, 15), lon0 + 0.5, lat0, None, FLAG_JUMP)
    before = (worker, device, local(DAY, 0, 0) - timedelta(seconds=1), lon0, lat0 + 0.01, grid, 0)
    after = (worker, device, local(DAY + timedelta(days=1), 0, 0), lon0, lat0 + 0.01, grid, 0)
    insert(url, values + [jump, before, after])
    return {"worker": worker, "grid": grid, "p": (p_lon, p_lat), "jump_lon": lon0 + 0.5,
            "distance": 19 * LEG_M + LEG_M + 20 * JITTER_M + 10 * LEG_M, "fixes": 52}


def track(client: TestClient, worker: int, role: str = "operator", **params: str):
    return client.get(f"/api/workers/{worker}/track", params=params, headers=login(client, role))


def test_a_day_with_a_stop_and_a_jump(client: TestClient, seeded_url: str) -> None:
    want = day_of_patrol(seeded_url)
    r = track(client, want["worker"], date=DAY.isoformat())
    assert r.status_code == 200, r.text
    body = Track.model_validate(r.json())
    assert body.date == DAY and body.worker.id == want["worker"] and not body.truncated
    assert len(body.fixes) == want["fixes"]  # the neighbouring days' fixes are not in it
    assert body.fixes[0].t == local(DAY, 9, 0) and body.fixes[-1].t == local(DAY, 9, 25)
    assert [f.t for f in body.fixes] == sorted(f.t for f in body.fixes)
    assert sum(1 for f in body.fixes if f.flags & FLAG_JUMP) == 1
    assert body.distance_m == pytest.approx(want["distance"], rel=0.02)
    assert body.duration_s == 25 * 60
    assert body.grids_visited == [want["grid"]]


def test_the_stop_is_where_and_as_long_as_the_stay(client: TestClient, seeded_url: str) -> None:
    want = day_of_patrol(seeded_url)
    stops = track(client, want["worker"], date=DAY.isoformat()).json()["stops"]
    assert len(stops) == 1
    stop = stops[0]
    assert stop["minutes"] == 10.0 and stop["grid_id"] == want["grid"]
    assert datetime.fromisoformat(stop["start"]) == local(DAY, 9, 10)
    assert datetime.fromisoformat(stop["end"]) == local(DAY, 9, 20)
    assert haversine_m(stop["lon"], stop["lat"], *want["p"]) < 3


def test_the_jump_is_left_out_of_the_line(client: TestClient, seeded_url: str) -> None:
    want = day_of_patrol(seeded_url)
    line = track(client, want["worker"], date=DAY.isoformat()).json()["line"]
    assert line["type"] == "LineString"
    lons = [x for x, _ in line["coordinates"]]
    assert 3 <= len(lons) <= want["fixes"] - 1
    assert max(lons) < want["jump_lon"] - 0.4
    # simplified: the straight walks keep only their ends and corners
    assert len(lons) < 30


def test_an_empty_day_and_today_by_default(client: TestClient, seeded_url: str) -> None:
    want = day_of_patrol(seeded_url)
    body = track(client, want["worker"], date=(DAY - timedelta(days=3)).isoformat()).json()
    assert (body["fixes"], body["line"], body["stops"]) == ([], None, [])
    assert (body["distance_m"], body["duration_s"], body["grids_visited"]) == (0, 0, [])
    assert track(client, want["worker"]).json()["date"] == tracks.local_today().isoformat()


def test_a_long_day_is_cut_and_says_so(client: TestClient, seeded_url: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    want = day_of_patrol(seeded_url)
    monkeypatch.setattr(tracks, "MAX_FIXES", 10)
    body = track(client, want["worker"], date=DAY.isoformat()).json()
    assert body["truncated"] is True and len(body["fixes"]) == 10


def test_field_roles_see_their_own_grids_only(client: TestClient, seeded_url: str) -> None:
    want = day_of_patrol(seeded_url)
    r = track(client, want["worker"], "patroller", date=DAY.isoformat())
    assert r.status_code == 200 and len(r.json()["fixes"]) == want["fixes"]
    other = track(client, stranger(seeded_url), "patroller")
    assert other.status_code == 403 and other.json()["code"] == "worker_out_of_scope"
    assert track(client, stranger(seeded_url), "admin").status_code == 200
    denied = track(client, want["worker"], "dept_staff")
    assert denied.status_code == 403 and denied.json()["code"] == "tracks_forbidden"


def test_unknown_worker_is_404(client: TestClient) -> None:
    r = track(client, 987654)
    assert r.status_code == 404 and r.json()["code"] == "worker_not_found"
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("day, code", [
    ("2025-02-30", "invalid_input"), ("yesterday", "invalid_input"),
    ((tracks.local_today() + timedelta(days=1)).isoformat(), "date_in_future"),
    ((tracks.local_today() - timedelta(days=401)).isoformat(), "date_too_old")])
def test_bad_dates_are_422(client: TestClient, seeded_url: str, day: str, code: str) -> None:
    worker = colleague(seeded_url)[0]
    r = track(client, worker, date=day)
    assert r.status_code == 422 and r.json()["code"] == code
    assert r.json()["field"] == "date"


def test_the_local_day_is_utc_plus_8() -> None:
    start, end = tracks.utc_range(date(2026, 3, 1))
    assert start.isoformat() == "2026-02-28T16:00:00+00:00"
    assert end - start == timedelta(days=1)
    assert tracks.local_today(datetime.fromisoformat("2026-02-28T16:30:00+00:00")) == date(
        2026, 3, 1)
