"""The live feed over a real uvicorn: events within a second, resume, reset, scope,
coalesced positions, and two worker processes sharing one feed."""

import json
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.conftest import LiveServer
from tests.server.helpers import one
from tests.server.test_report_intake import inside_point

Msg = dict


def ws(server: LiveServer, role: str = "operator", since: int | None = None) -> ClientConnection:
    url = f"ws://127.0.0.1:{server.port}/ws/live?token={server.token(role)}"
    return connect(url + (f"&since={since}" if since is not None else ""))


def recv_until(conn: ClientConnection, want: Callable[[Msg], bool], timeout: float) -> Msg:
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no matching message")
        msg = json.loads(conn.recv(timeout=left))
        if want(msg):
            return msg


def is_report(msg: Msg) -> bool:
    return msg["type"] == "event" and msg["topic"] == "reports"


def report(server: LiveServer, lon: float, lat: float) -> int:
    r = httpx.post(server.base + "/api/reports", json={
        "category": "environment", "description": "测试上报", "lon": lon, "lat": lat})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_event_arrives_within_a_second(live_server: LiveServer) -> None:
    lon, lat, _ = inside_point(live_server.db_url)
    with ws(live_server) as conn:
        hello = json.loads(conn.recv(timeout=5))
        assert hello["type"] == "hello" and isinstance(hello["seq"], int)
        rid = report(live_server, lon, lat)
        msg = recv_until(conn, is_report, timeout=1.0)
        assert msg["payload"]["id"] == rid and msg["seq"] > hello["seq"]
        assert msg["payload"]["lon"] == pytest.approx(lon, abs=1e-6)


def test_reconnect_with_since_misses_nothing(live_server: LiveServer) -> None:
    lon, lat, _ = inside_point(live_server.db_url)
    with ws(live_server) as conn:
        json.loads(conn.recv(timeout=5))
        report(live_server, lon, lat)
        last = recv_until(conn, is_report, timeout=5)["seq"]
    missed = [report(live_server, lon, lat) for _ in range(3)]
    with ws(live_server, since=last) as conn:
        assert json.loads(conn.recv(timeout=5))["type"] == "hello"
        replayed = [recv_until(conn, is_report, timeout=5) for _ in missed]
        assert [m["payload"]["id"] for m in replayed] == missed
        assert [m["seq"] for m in replayed] == list(range(last + 1, last + 4))
        live = report(live_server, lon, lat)
        assert recv_until(conn, is_report, timeout=5)["payload"]["id"] == live


def test_since_outside_retention_gets_a_reset(live_server: LiveServer) -> None:
    lon, lat, _ = inside_point(live_server.db_url)
    for _ in range(3):
        report(live_server, lon, lat)
    with psycopg.connect(live_server.db_url, autocommit=True) as c:
        head = c.execute("SELECT max(seq) FROM events").fetchone()[0]
        c.execute("DELETE FROM events WHERE seq < %s", [head])  # as the retention pruning does
    for since in (0, head + 100):
        with ws(live_server, since=since) as conn:
            assert json.loads(conn.recv(timeout=5))["type"] == "hello"
            reset = json.loads(conn.recv(timeout=5))
            assert reset == {"type": "reset", "seq": head}


def test_bad_token_is_refused(live_server: LiveServer) -> None:
    for query in ("?token=forged", ""):
        with pytest.raises(InvalidStatus) as refused:
            with connect(f"ws://127.0.0.1:{live_server.port}/ws/live{query}"):
                pass
        assert refused.value.response.status_code == 403


def test_patroller_sees_only_their_grids(live_server: LiveServer) -> None:
    url = live_server.db_url
    own = one(url, "SELECT wg.grid_id FROM users u JOIN worker_grids wg ON wg.worker_id = "
                   "u.worker_id WHERE u.username = 'patroller' ORDER BY wg.grid_id LIMIT 1")[0]
    pick = ("SELECT ST_X(p), ST_Y(p) FROM grids g, ST_PointOnSurface(g.geom) p WHERE g.id {} %s "
            "AND g.level = 'grid' AND g.kind = 'comprehensive' AND NOT EXISTS (SELECT 1 FROM "
            "grids d WHERE d.kind = 'dedicated' AND ST_Intersects(d.geom, p)) AND NOT EXISTS ("
            "SELECT 1 FROM worker_grids wg JOIN users u ON u.worker_id = wg.worker_id WHERE "
            "u.username = 'patroller' AND wg.grid_id = g.id AND g.id <> %s) LIMIT 1")
    mine = one(url, pick.format("="), own, own)
    other = one(url, pick.format("<>"), own, own)
    with ws(live_server, role="patroller") as conn:
        json.loads(conn.recv(timeout=5))
        report(live_server, *other)
        rid = report(live_server, *mine)
        assert recv_until(conn, is_report, timeout=5)["payload"]["id"] == rid


def test_positions_reach_operators_coalesced(live_server: LiveServer) -> None:
    worker, lon, lat = one(live_server.db_url,
                           "SELECT u.worker_id, ST_X(p), ST_Y(p) FROM users u JOIN worker_grids "
                           "wg ON wg.worker_id = u.worker_id JOIN grids g ON g.id = wg.grid_id, "
                           "ST_PointOnSurface(g.geom) p WHERE u.username = 'patroller' LIMIT 1")
    token = live_server.token("patroller")
    with ws(live_server) as conn:
        json.loads(conn.recv(timeout=5))
        for i in range(5):
            fix = {"lon": lon + i * 1e-5, "lat": lat, "time": datetime.now(UTC).isoformat()}
            httpx.post(live_server.base + "/api/positions", json={"fixes": [fix]},
                       headers={"Authorization": f"Bearer {token}"}).raise_for_status()
        frame = recv_until(conn, lambda m: m["type"] == "positions" and any(
            w["id"] == worker for w in m["workers"]), timeout=5)
        entry = next(w for w in frame["workers"] if w["id"] == worker)
        assert "seq" not in frame and entry["status"] == "online"
        assert sum(1 for w in frame["workers"] if w["id"] == worker) == 1


def test_two_worker_processes_share_one_feed(seeded_url: str, tmp_path: Path) -> None:
    server = LiveServer(seeded_url, workers=2, var_dir=tmp_path)
    try:
        lon, lat, _ = inside_point(seeded_url)
        with ExitStack() as stack:
            by_node: dict[str, ClientConnection] = {}
            for _ in range(40):
                conn = stack.enter_context(ws(server))
                by_node.setdefault(json.loads(conn.recv(timeout=5))["node"], conn)
                if len(by_node) == 2:
                    break
            assert len(by_node) == 2, "both uvicorn workers should have taken a connection"
            rid = report(server, lon, lat)
            for conn in by_node.values():
                assert recv_until(conn, is_report, timeout=5)["payload"]["id"] == rid
    finally:
        server.stop()


def test_a_worker_named_by_a_notification_is_sent_whatever_its_mark(
        live_server: LiveServer) -> None:
    """Ingest names the workers it moved in the notification: the hub sends them without
    relying on changed_at (here set an hour back, outside any re-read overlap)."""
    worker = one(live_server.db_url, "SELECT worker_id FROM worker_state ORDER BY worker_id "
                                     "OFFSET 3 LIMIT 1")[0]
    with ws(live_server) as conn, psycopg.connect(live_server.db_url, autocommit=True) as db:
        json.loads(conn.recv(timeout=5))
        db.execute("UPDATE worker_state SET heading = 123, "
                   "changed_at = now() - interval '1 hour' WHERE worker_id = %s", [worker])
        db.execute("SELECT pg_notify('gridlink_positions', %s)", [f"{worker}"])
        frame = recv_until(conn, lambda m: m["type"] == "positions" and any(
            w["id"] == worker for w in m["workers"]), timeout=5)
        assert next(w for w in frame["workers"] if w["id"] == worker)["heading"] == 123
