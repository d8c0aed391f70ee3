"""Position ingest through the batch API: per-fix refusals, duplicates, flags, jumps, grid
placement at borders, Idempotency-Key."""

import math
from datetime import UTC, datetime, timedelta

import psycopg
from fastapi.testclient import TestClient
from shapely import wkt
from shapely.geometry import Point

from server.patrol.filters import FLAG_JUMP, FLAG_POOR_ACCURACY
from tests.conftest import login
from tests.server.helpers import one

NOW = datetime.now(UTC).replace(microsecond=0)


def fix(lon: float, lat: float, at: datetime | None = None, **extra: object) -> dict:
    return {"lon": lon, "lat": lat, "time": (at or datetime.now(UTC)).isoformat(), **extra}


def home(url: str, username: str) -> tuple[int, str, int, float, float]:
    """A user's worker, device, home grid and a point inside it."""
    return one(url, "SELECT w.id, w.device_id, g.id, ST_X(p), ST_Y(p) FROM users u "
                    "JOIN workers w ON w.id = u.worker_id "
                    "JOIN worker_grids wg ON wg.worker_id = w.id AND wg.duty <> 'linked' "
                    "JOIN grids g ON g.id = wg.grid_id, ST_PointOnSurface(g.geom) p "
                    "WHERE u.username = %s ORDER BY g.id LIMIT 1", username)


def stored(url: str, worker: int) -> list[tuple]:
    """(fix_time, grid_id, flags, lon, lat) of a worker's stored fixes, oldest first."""
    with psycopg.connect(url) as c:
        return c.execute("SELECT fix_time, grid_id, flags, ST_X(geom), ST_Y(geom) FROM positions "
                         "WHERE worker_id = %s ORDER BY fix_time", [worker]).fetchall()


def state(url: str, worker: int) -> tuple:
    return one(url, "SELECT fix_time, grid_id, ST_X(geom), ST_Y(geom) FROM worker_state "
                    "WHERE worker_id = %s", worker)


def test_patroller_sends_own_fix_and_state_follows(client: TestClient, seeded_url: str) -> None:
    worker, device, grid, lon, lat = home(seeded_url, "patroller")
    r = client.post("/api/positions", json={"fixes": [fix(lon, lat, accuracy=5)]},
                    headers=login(client, "patroller"))
    assert r.status_code == 200
    assert r.json() == {"accepted": 1, "duplicates": 0, "flagged": 0, "refused": []}
    assert state(seeded_url, worker)[1:3] == (grid, lon)
    assert one(seeded_url, "SELECT status FROM worker_state WHERE worker_id = %s",
               worker) == ("online",)
    assert one(seeded_url, "SELECT device_id, grid_id, flags FROM positions "
                           "WHERE worker_id = %s", worker) == (device, grid, 0)


def test_gateway_batch_keeps_good_fixes_and_names_bad_ones(client: TestClient,
                                                           seeded_url: str) -> None:
    worker, device, _, lon, lat = home(seeded_url, "patroller")
    future = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    batch = [fix(lon, lat, NOW - timedelta(seconds=30), device_id=device),
             fix(lon, lat, device_id="NOPE000"),
             fix(lat, lon, device_id=device),
             {**fix(lon, lat, device_id=device), "time": future},
             fix(0, 0, device_id=device),
             {**fix(lon, lat, device_id=device), "lon": "east"},
             {"device_id": device, "lon": lon, "lat": lat},
             fix(lon, lat, device_id=device, accuracy=-3),
             fix(lon + 1e-5, lat, NOW, device_id=device)]
    r = client.post("/api/positions", json={"fixes": batch}, headers=login(client, "admin"))
    body = r.json()
    assert r.status_code == 200 and body["accepted"] == 2
    assert [(x["index"], x["code"]) for x in body["refused"]] == [
        (1, "unknown_device"), (2, "coord_out_of_range"), (3, "future_fix"), (4, "null_island"),
        (5, "invalid_fix"), (6, "invalid_fix"), (7, "invalid_fix")]
    assert "swapped" in body["refused"][1]["reason_en"]
    # a malformed fix names its field, whether the rest of the batch was good or not
    assert [x["reason_en"].split(":")[0] for x in body["refused"][4:]] == [
        "Invalid lon", "Invalid time", "Invalid accuracy"]
    assert all(x["reason_zh"] and x["reason_en"] for x in body["refused"])
    assert len(stored(seeded_url, worker)) == 2
    assert one(seeded_url, "SELECT source, attempts FROM unknown_devices "
                           "WHERE device_id = 'NOPE000'") == ("api", 1)


def test_patroller_may_not_send_someone_elses_device(client: TestClient,
                                                     seeded_url: str) -> None:
    _, other_device, _, lon, lat = home(seeded_url, "grid_head")
    r = client.post("/api/positions", json={"fixes": [fix(lon, lat, device_id=other_device)]},
                    headers=login(client, "patroller"))
    assert r.status_code == 403 and r.json()["code"] == "foreign_device"


def test_roles_without_a_device_are_refused(client: TestClient, seeded_url: str) -> None:
    _, _, _, lon, lat = home(seeded_url, "patroller")
    r = client.post("/api/positions", json={"fixes": [fix(lon, lat)]},
                    headers=login(client, "operator"))
    assert r.status_code == 403


def test_batch_limits_and_shapes(client: TestClient, seeded_url: str) -> None:
    _, _, _, lon, lat = home(seeded_url, "patroller")
    h = login(client, "patroller")
    assert client.post("/api/positions", json={"fixes": []}, headers=h).status_code == 422
    big = {"fixes": [fix(lon, lat, NOW - timedelta(seconds=i)) for i in range(1001)]}
    r = client.post("/api/positions", json=big, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "fixes"
    bad = {"fixes": [{"lon": "east", "lat": lat, "time": "now"}, "not a fix", None]}
    r = client.post("/api/positions", json=bad, headers=h)
    assert r.status_code == 200 and r.json()["accepted"] == 0
    assert [x["code"] for x in r.json()["refused"]] == ["invalid_fix"] * 3
    assert client.post("/api/positions", json={"fixes": [fix(lon, lat)]}).status_code == 401
    assert one(seeded_url, "SELECT count(*) FROM positions")[0] == 0


def test_a_full_batch_of_1000_is_stored(client: TestClient, seeded_url: str) -> None:
    worker, _, grid, lon, lat = home(seeded_url, "patroller")
    fixes = [fix(lon, lat, NOW - timedelta(seconds=i)) for i in range(1000)]
    r = client.post("/api/positions", json={"fixes": fixes}, headers=login(client, "patroller"))
    assert r.json()["accepted"] == 1000
    assert one(seeded_url, "SELECT count(*), min(grid_id), max(grid_id) FROM positions "
                           "WHERE worker_id = %s", worker) == (1000, grid, grid)
    assert state(seeded_url, worker)[0] == NOW


def test_exact_duplicates_are_dropped(client: TestClient, seeded_url: str) -> None:
    worker, _, _, lon, lat = home(seeded_url, "patroller")
    h = login(client, "patroller")
    at = NOW - timedelta(seconds=20)
    batch = {"fixes": [fix(lon, lat, at), fix(lon + 1e-5, lat, at), fix(lon, lat, NOW)]}
    first = client.post("/api/positions", json=batch, headers=h).json()
    assert (first["accepted"], first["duplicates"]) == (2, 1)
    again = client.post("/api/positions", json=batch, headers=h).json()
    assert (again["accepted"], again["duplicates"], again["refused"]) == (0, 3, [])
    rows = stored(seeded_url, worker)
    assert [r[0] for r in rows] == [at, NOW] and rows[0][3] == lon  # the first one kept


def test_poor_accuracy_is_kept_but_flagged(client: TestClient, seeded_url: str) -> None:
    worker, _, grid, lon, lat = home(seeded_url, "patroller")
    r = client.post("/api/positions", json={"fixes": [fix(lon, lat, NOW, accuracy=250)]},
                    headers=login(client, "patroller"))
    assert (r.json()["accepted"], r.json()["flagged"]) == (1, 1)
    assert stored(seeded_url, worker)[0][1:3] == (grid, FLAG_POOR_ACCURACY)
    assert state(seeded_url, worker)[:2] == (NOW, grid)


def test_an_impossible_jump_is_flagged_and_does_not_move_the_worker(
        client: TestClient, seeded_url: str) -> None:
    worker, _, grid, lon, lat = home(seeded_url, "patroller")
    far_grid, far_lon, far_lat = one(
        seeded_url, "SELECT g.id, ST_X(p), ST_Y(p) FROM grids g, ST_PointOnSurface(g.geom) p "
                    "WHERE g.level = 'grid' AND g.kind = 'comprehensive' "
                    "ORDER BY ST_Distance(p::geography, ST_Point(%s, %s, 4326)::geography) DESC "
                    "LIMIT 1", lon, lat)
    metres = one(seeded_url, "SELECT ST_Distance(ST_Point(%s, %s, 4326)::geography, "
                             "ST_Point(%s, %s, 4326)::geography)", lon, lat, far_lon, far_lat)[0]
    assert metres > 50 * 10 * 2  # well over 180 km/h for 10 s
    t0 = NOW - timedelta(seconds=30)
    h = login(client, "patroller")
    client.post("/api/positions", json={"fixes": [fix(lon, lat, t0, accuracy=5)]}, headers=h)
    r = client.post("/api/positions", json={"fixes": [
        fix(far_lon, far_lat, t0 + timedelta(seconds=10), accuracy=5),
        fix(lon + 2e-5, lat, t0 + timedelta(seconds=20), accuracy=5)]}, headers=h)
    assert (r.json()["accepted"], r.json()["flagged"]) == (2, 1)
    rows = stored(seeded_url, worker)
    assert [(row[1], row[2]) for row in rows] == [(grid, 0), (far_grid, FLAG_JUMP), (grid, 0)]
    # the state skipped the jump and took the next trusted fix, measured from the first one
    assert state(seeded_url, worker)[:3] == (t0 + timedelta(seconds=20), grid, lon + 2e-5)
    jump_only = client.post("/api/positions", json={"fixes": [
        fix(far_lon, far_lat, t0 + timedelta(seconds=25))]}, headers=h).json()
    assert jump_only["flagged"] == 1
    assert state(seeded_url, worker)[0] == t0 + timedelta(seconds=20)


def border_points(url: str) -> tuple[int, int, Point, Point]:
    """Two neighbouring grids and a point 5 cm inside each, on either side of the midpoint
    of the longest straight piece of their shared edge (taken from the database)."""
    a, b, edge, wkt_a = one(
        url, "SELECT a.id, b.id, ST_AsText(s.geom), ST_AsText(a.geom) FROM grids a "
             "JOIN grids b ON a.id < b.id AND ST_Intersects(a.geom, b.geom), "
             "LATERAL (SELECT (ST_Dump(ST_Segmentize(ST_Intersection(a.geom, b.geom), 1e9)))"
             ".geom) d, LATERAL (SELECT d.geom) s "
             "WHERE a.level = 'grid' AND b.level = 'grid' AND a.kind = 'comprehensive' "
             "AND b.kind = 'comprehensive' AND ST_GeometryType(d.geom) = 'ST_LineString' "
             "ORDER BY ST_Length(d.geom::geography) DESC LIMIT 1")
    (x1, y1), (x2, y2) = list(wkt.loads(edge).coords)[:2]
    mid_x, mid_y = (x1 + x2) / 2, (y1 + y2) / 2
    k = math.cos(math.radians(mid_y))  # metres east per degree shrink with latitude
    dx, dy = (x2 - x1) * k, y2 - y1
    n = math.hypot(dx, dy)
    step = 0.05 / 111_320  # 5 cm in degrees of latitude
    nx, ny = -dy / n * step / k, dx / n * step
    left, right = Point(mid_x + nx, mid_y + ny), Point(mid_x - nx, mid_y - ny)
    in_a, in_b = (left, right) if wkt.loads(wkt_a).contains(left) else (right, left)
    assert wkt.loads(wkt_a).contains(in_a) and not wkt.loads(wkt_a).contains(in_b)
    return a, b, in_a, in_b


def test_grid_assignment_at_a_shared_border(client: TestClient, seeded_url: str) -> None:
    worker, _, _, _, _ = home(seeded_url, "patroller")
    a, b, in_a, in_b = border_points(seeded_url)
    h = login(client, "patroller")
    t0 = NOW - timedelta(seconds=10)
    for i, p in enumerate((in_a, in_b, in_a, in_b)):  # one request each: previous grid first
        r = client.post("/api/positions", json={"fixes": [
            fix(p.x, p.y, t0 + timedelta(seconds=i))]}, headers=h)
        assert r.json()["accepted"] == 1 and r.json()["flagged"] == 0
    assert [row[1] for row in stored(seeded_url, worker)] == [a, b, a, b]
    assert state(seeded_url, worker)[1] == b
    both = client.post("/api/positions", json={"fixes": [
        fix(in_a.x, in_a.y, t0 + timedelta(seconds=5)),
        fix(in_b.x, in_b.y, t0 + timedelta(seconds=6))]}, headers=h)
    assert both.json()["accepted"] == 2
    assert [row[1] for row in stored(seeded_url, worker)][-2:] == [a, b]


def test_idempotency_key_retry_stores_once(client: TestClient, seeded_url: str) -> None:
    worker, _, _, lon, lat = home(seeded_url, "patroller")
    h = {**login(client, "patroller"), "Idempotency-Key": "batch-1"}
    batch = {"fixes": [fix(lon, lat, NOW - timedelta(seconds=5)), fix(lon, lat, NOW)]}
    first = client.post("/api/positions", json=batch, headers=h)
    again = client.post("/api/positions", json=batch, headers=h)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.json()["accepted"] == 2
    assert again.headers["idempotent-replayed"] == "true"
    assert len(stored(seeded_url, worker)) == 2
    other = {"fixes": [fix(lon, lat, NOW + timedelta(seconds=1))]}
    r = client.post("/api/positions", json=other, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_reused"
    assert len(stored(seeded_url, worker)) == 2
