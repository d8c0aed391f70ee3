"""Position ingest (the foundation's part): batches, grid placement, latest state."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.conftest import login
from tests.server.helpers import one


def fix(lon: float, lat: float, **extra: object) -> dict:
    return {"lon": lon, "lat": lat, "time": datetime.now(UTC).isoformat(), **extra}


def home(url: str, username: str) -> tuple[int, str, int, float, float]:
    """A user's worker, device, home grid and a point inside it."""
    return one(url, "SELECT w.id, w.device_id, g.id, ST_X(p), ST_Y(p) FROM users u "
                    "JOIN workers w ON w.id = u.worker_id "
                    "JOIN worker_grids wg ON wg.worker_id = w.id AND wg.duty <> 'linked' "
                    "JOIN grids g ON g.id = wg.grid_id, ST_PointOnSurface(g.geom) p "
                    "WHERE u.username = %s ORDER BY g.id LIMIT 1", username)


def test_patroller_sends_own_fix_and_state_follows(client: TestClient, seeded_url: str) -> None:
    worker, device, grid, lon, lat = home(seeded_url, "patroller")
    r = client.post("/api/positions", json={"fixes": [fix(lon, lat, accuracy=5)]},
                    headers=login(client, "patroller"))
    assert r.status_code == 200 and r.json() == {"accepted": 1, "refused": []}
    state = one(seeded_url, "SELECT status, grid_id, ST_X(geom) FROM worker_state "
                            "WHERE worker_id = %s", worker)
    assert state[0] == "online" and state[1] == grid and abs(state[2] - lon) < 1e-9
    stored = one(seeded_url, "SELECT device_id, grid_id FROM positions WHERE worker_id = %s",
                 worker)
    assert stored == (device, grid)


def test_gateway_batch_keeps_good_fixes_and_names_bad_ones(client: TestClient,
                                                           seeded_url: str) -> None:
    worker, device, _, lon, lat = home(seeded_url, "patroller")
    future = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    batch = [fix(lon, lat, device_id=device),
             fix(lon, lat, device_id="NOPE000"),
             fix(lat, lon, device_id=device),
             {**fix(lon, lat, device_id=device), "time": future}]
    r = client.post("/api/positions", json={"fixes": batch}, headers=login(client, "admin"))
    body = r.json()
    assert body["accepted"] == 1
    assert [(x["index"], x["code"]) for x in body["refused"]] == [
        (1, "unknown_device"), (2, "coord_out_of_range"), (3, "future_fix")]
    n = one(seeded_url, "SELECT count(*) FROM positions WHERE worker_id = %s", worker)[0]
    assert n == 1


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
    big = {"fixes": [fix(lon, lat)] * 1001}
    assert client.post("/api/positions", json=big, headers=h).status_code == 422
    bad = {"fixes": [{"lon": "east", "lat": lat, "time": "now"}]}
    assert client.post("/api/positions", json=bad, headers=h).status_code == 422
    assert client.post("/api/positions", json={"fixes": [fix(lon, lat)]}).status_code == 401
    assert one(seeded_url, "SELECT count(*) FROM positions")[0] == 0
