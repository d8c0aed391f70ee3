"""Alerts with an injected clock: outside the grid, offline, SOS; scoping and bad input."""

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from fastapi.testclient import TestClient

import server.models  # noqa: F401 - every table for the ORM
from server.alerts import service
from server.alerts.routes import router
from server.alerts.schemas import AlertOut
from server.db import make_engine, make_sessionmaker
from server.settings import Settings
from tests.conftest import login
from tests.server.factories import patroller_point, worker_of

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
M = timedelta(minutes=1)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The app with the alerts router, placed before the static site's catch-all mount."""
    from server.app import create_app

    app = create_app(settings)
    if not any(getattr(r, "path", "") == "/api/sos" for r in app.router.routes):
        app.include_router(router)
        routes = app.router.routes
        routes.sort(key=lambda r: getattr(r, "path", None) == "")  # the "/" mount last
    with TestClient(app) as c:
        yield c


def scan(url: str, now: datetime) -> int:
    async def go() -> int:
        engine = make_engine(url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                return await service.scan(db=db, now=now)
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def on_duty(url: str, worker: int, *, lon: float, lat: float, received: datetime) -> None:
    """Only `worker` is on duty, last heard from at `received`."""
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("UPDATE worker_state SET on_duty = false")
        c.execute("INSERT INTO worker_state (worker_id, geom, fix_time, received_at, on_duty) "
                  "VALUES (%(w)s, ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 4326), %(t)s, %(t)s, "
                  "true) ON CONFLICT (worker_id) DO UPDATE SET geom = EXCLUDED.geom, "
                  "fix_time = EXCLUDED.fix_time, received_at = EXCLUDED.received_at, "
                  "on_duty = true", {"w": worker, "x": lon, "y": lat, "t": received})


def fix(url: str, worker: int, at: datetime, lon: float, lat: float) -> None:
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("INSERT INTO positions (worker_id, fix_time, device_id, geom) VALUES "
                  "(%s, %s, 'test', ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                  [worker, at, lon, lat])


def alerts(url: str) -> list[tuple]:
    with psycopg.connect(url) as c:
        return c.execute("SELECT kind, status, started_at FROM alerts ORDER BY id").fetchall()


def events(url: str) -> list[tuple]:
    with psycopg.connect(url) as c:
        return c.execute("SELECT kind, grid_ids, payload FROM events WHERE topic = 'alerts' "
                         "ORDER BY seq").fetchall()


def outside_point(url: str) -> tuple[float, float]:
    """A point east of every grid."""
    with psycopg.connect(url) as c:
        row = c.execute("SELECT ST_XMax(e) + 0.05, (ST_YMin(e) + ST_YMax(e)) / 2 "
                        "FROM (SELECT ST_Extent(geom) e FROM grids) s").fetchone()
    assert row is not None
    return float(row[0]), float(row[1])


def test_outside_grid_raised_after_the_time_and_closed_back_inside(seeded_url: str) -> None:
    url, worker = seeded_url, worker_of(seeded_url, "patroller")
    home, x, y = patroller_point(url)
    ox, oy = outside_point(url)
    on_duty(url, worker, lon=ox, lat=oy, received=T0 + 30 * M)
    fix(url, worker, T0, x, y)
    for minute in (1, 5, 9):
        fix(url, worker, T0 + minute * M, ox, oy)
    assert scan(url, T0 + 10 * M) == 0  # outside since minute 1: only nine minutes
    assert scan(url, T0 + 11 * M + timedelta(seconds=1)) == 1
    assert alerts(url) == [("outside_grid", "open", T0 + M)]
    assert scan(url, T0 + 11 * M + timedelta(seconds=2)) == 0, "no duplicate"
    kind, grid_ids, payload = events(url)[-1]
    assert kind == "raised" and home in grid_ids
    assert payload["kind"] == "outside_grid" and payload["worker_id"] == worker
    assert payload["grid_id"] == home and payload["worker_name"]
    assert (payload["lon"], payload["lat"]) == pytest.approx((ox, oy))
    fix(url, worker, T0 + 12 * M, x, y)
    assert scan(url, T0 + 12 * M + timedelta(seconds=30)) == 1
    assert alerts(url)[-1][:2] == ("outside_grid", "closed")
    assert [e[0] for e in events(url)] == ["raised", "closed"]
    assert scan(url, T0 + 13 * M) == 0


def test_a_fix_inside_restarts_the_outside_run(seeded_url: str) -> None:
    url, worker = seeded_url, worker_of(seeded_url, "patroller")
    _, x, y = patroller_point(url)
    ox, oy = outside_point(url)
    on_duty(url, worker, lon=x, lat=y, received=T0 + 30 * M)
    for minute, (lon, lat) in enumerate([(ox, oy), (ox, oy), (x, y), (ox, oy), (ox, oy)]):
        fix(url, worker, T0 + minute * 5 * M, lon, lat)  # out, out, in at 10, out from 15
    assert scan(url, T0 + 24 * M) == 0
    assert scan(url, T0 + 25 * M + timedelta(seconds=1)) == 1
    assert alerts(url)[0][2] == T0 + 15 * M


def test_offline_raised_after_the_time_and_closed_on_a_new_fix(seeded_url: str) -> None:
    url, worker = seeded_url, worker_of(seeded_url, "patroller")
    _, x, y = patroller_point(url)
    on_duty(url, worker, lon=x, lat=y, received=T0)
    assert scan(url, T0 + 9 * M) == 0
    assert scan(url, T0 + 10 * M + timedelta(seconds=1)) == 1
    assert alerts(url) == [("offline", "open", T0)]
    assert scan(url, T0 + 15 * M) == 0, "no duplicate"
    on_duty(url, worker, lon=x, lat=y, received=T0 + 16 * M)
    assert scan(url, T0 + 16 * M + timedelta(seconds=5)) == 1
    assert alerts(url) == [("offline", "closed", T0)]
    assert [e[0] for e in events(url)] == ["raised", "closed"]


def test_sos_is_raised_at_once_and_listed_first(client: TestClient, seeded_url: str) -> None:
    url, worker = seeded_url, worker_of(seeded_url, "patroller")
    home, x, y = patroller_point(url)
    on_duty(url, worker, lon=x, lat=y, received=T0)
    scan(url, T0 + 11 * M)  # an older offline alert of the same worker
    h = login(client, "patroller")
    r = client.post("/api/sos", json={"lon": x, "lat": y, "note": "救命"}, headers=h)
    assert r.status_code == 201, r.text
    sos = AlertOut.model_validate(r.json())
    assert sos.kind == "sos" and sos.priority == "high" and sos.status == "open"
    assert sos.worker_id == worker and sos.grid_id == home
    kind, grid_ids, payload = events(url)[-1]
    assert kind == "raised" and payload["priority"] == "high" and home in grid_ids
    again = client.post("/api/sos", headers=h)
    assert again.status_code == 201 and again.json()["id"] == sos.id
    listed = client.get("/api/alerts", params={"status": "open"},
                        headers=login(client, "operator"))
    assert listed.status_code == 200
    kinds = [AlertOut.model_validate(a).kind for a in listed.json()]
    assert kinds == ["sos", "offline"]
    mine = client.get("/api/alerts", headers=h).json()
    assert sos.id in [a["id"] for a in mine]


def _foreign_alert(url: str, grid_ids: list[int]) -> int:
    """An alert in a grid the given grids do not include."""
    with psycopg.connect(url, autocommit=True) as c:
        row = c.execute(
            "INSERT INTO alerts (kind, worker_id, grid_id, started_at) "
            "SELECT 'offline', wg.worker_id, wg.grid_id, now() FROM worker_grids wg "
            "WHERE wg.grid_id <> ALL(%s) AND wg.duty <> 'linked' ORDER BY wg.grid_id LIMIT 1 "
            "RETURNING id", [grid_ids]).fetchone()
    assert row is not None
    return int(row[0])


def test_scoping_and_state_changes(client: TestClient, seeded_url: str) -> None:
    head = login(client, "grid_head")
    me = client.get("/api/me", headers=head).json()
    foreign = _foreign_alert(seeded_url, me["grid_ids"])
    assert foreign not in [a["id"] for a in client.get("/api/alerts", headers=head).json()]
    assert client.post(f"/api/alerts/{foreign}/ack", headers=head).status_code == 403
    patrol = login(client, "patroller")
    assert client.post(f"/api/alerts/{foreign}/ack", headers=patrol).status_code == 403
    assert client.get("/api/alerts", headers=login(client, "dept_staff")).status_code == 403
    assert client.post("/api/sos", json={}, headers=login(client, "operator")).status_code == 403
    op = login(client, "operator")
    assert foreign in [a["id"] for a in client.get("/api/alerts", headers=op).json()]
    r = client.post(f"/api/alerts/{foreign}/ack", json={"note": "在处理"}, headers=op)
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    assert r.json()["note"] == "在处理" and r.json()["acknowledged_by"] is not None
    assert events(seeded_url)[-1][0] == "acknowledged"
    assert client.post(f"/api/alerts/{foreign}/ack", headers=op).status_code == 409
    r = client.post(f"/api/alerts/{foreign}/close", headers=op)
    assert r.status_code == 200 and r.json()["closed_at"]
    assert client.post(f"/api/alerts/{foreign}/close", headers=op).status_code == 409
    assert events(seeded_url)[-1][0] == "closed"
    open_ids = [a["id"] for a in client.get("/api/alerts?status=open", headers=op).json()]
    assert foreign not in open_ids


def test_bad_input(client: TestClient) -> None:
    h = login(client, "patroller")
    for body in ({"lon": 200, "lat": 30}, {"lon": 120, "lat": -91}, {"lon": 120},
                 {"lon": "east", "lat": 30}):
        assert client.post("/api/sos", json=body, headers=h).status_code == 422, body
    op = login(client, "operator")
    assert client.post("/api/alerts/999999/ack", headers=op).status_code == 404
    assert client.post("/api/alerts/999999/close", headers=op).status_code == 404
    assert client.get("/api/alerts?status=nope", headers=op).status_code == 422
    assert client.post("/api/sos", json={"lon": 120, "lat": 30}).status_code == 401
