"""Deadlines with an injected clock: warn before, escalate up the ladder after, and
auto-dispatch a pool task whose claim window ran out."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import psycopg
from fastapi.testclient import TestClient

import server.models  # noqa: F401 - every table for the ORM
from server.db import make_engine, make_sessionmaker
from server.dispatch import deadlines
from tests.conftest import login
from tests.server.factories import patroller_point, worker_of


def process_due(url: str, now: datetime) -> int:
    async def go() -> int:
        engine = make_engine(url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                return await deadlines.process_due(db=db, now=now)
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def dispatched(client: TestClient, url: str, body: dict) -> tuple[int, datetime]:
    _, lon, lat = patroller_point(url)
    rid = client.post("/api/reports", json={"category": "environment", "description": "测试",
                                            "lon": lon, "lat": lat}).json()["id"]
    h = login(client, "operator")
    client.post(f"/api/reports/{rid}/accept", json={}, headers=h).raise_for_status()
    r = client.post(f"/api/reports/{rid}/dispatch", json=body, headers=h)
    r.raise_for_status()
    return rid, datetime.fromisoformat(r.json()["deadline_at"])


def steps(url: str, rid: int) -> list[tuple[str, dict]]:
    with psycopg.connect(url) as c:
        return c.execute("SELECT action, data FROM report_steps WHERE report_id = %s "
                         "ORDER BY at, id", [rid]).fetchall()


def test_warn_then_escalate_up_the_ladder(client: TestClient, seeded_url: str) -> None:
    rid, deadline = dispatched(client, seeded_url, {
        "worker_id": worker_of(seeded_url, "patroller"), "deadline_hours": 4})
    assert process_due(seeded_url, deadline - timedelta(hours=1, minutes=1)) == 0
    assert process_due(seeded_url, deadline - timedelta(minutes=59)) == 1
    assert steps(seeded_url, rid)[-1][0] == "warn"
    assert process_due(seeded_url, deadline - timedelta(minutes=30)) == 0
    now = deadline + timedelta(minutes=1)
    for level in (1, 2, 3, 4):
        assert process_due(seeded_url, now) == 1, level
        action, data = steps(seeded_url, rid)[-1]
        assert action == "escalate" and data["level"] == level
        assert data["notified"], f"someone must be told at level {level}"
        now += timedelta(hours=1, minutes=1)
    heads = [n["role"] for n in steps(seeded_url, rid)[-4][1]["notified"]]
    assert heads and set(heads) == {"grid_head"}
    assert {n["kind"] for n in steps(seeded_url, rid)[-2][1]["notified"]} == {"user"}
    assert {n["role"] for n in steps(seeded_url, rid)[-1][1]["notified"]} == {"dept_staff"}
    assert process_due(seeded_url, now + timedelta(days=30)) == 0
    overdue = client.get("/api/reports/overdue", headers=login(client, "operator")).json()
    assert rid not in [o["id"] for o in overdue]  # its deadline is still ahead in real time


def test_resolved_work_is_no_longer_due(client: TestClient, seeded_url: str) -> None:
    from tests.server.factories import photo

    rid, deadline = dispatched(client, seeded_url, {
        "worker_id": worker_of(seeded_url, "patroller"), "deadline_hours": 2})
    h = login(client, "patroller")
    client.post(f"/api/reports/{rid}/claim", headers=h).raise_for_status()
    client.post(f"/api/reports/{rid}/resolve", headers=h, json={
        "note": "好了", "photos": [photo(seeded_url, kind="result")]}).raise_for_status()
    assert process_due(seeded_url, deadline + timedelta(days=1)) == 0


def test_unclaimed_pool_task_is_dispatched_after_the_window(client: TestClient,
                                                            seeded_url: str) -> None:
    rid, _ = dispatched(client, seeded_url, {"pool": True, "deadline_hours": 24})
    with psycopg.connect(seeded_url) as c:
        opened = c.execute("SELECT due_at FROM reports WHERE id = %s", [rid]).fetchone()[0]
    assert process_due(seeded_url, opened - timedelta(minutes=1)) == 0
    assert process_due(seeded_url, opened + timedelta(seconds=1)) == 1
    with psycopg.connect(seeded_url) as c:
        status, assignee, pool, kind = c.execute(
            "SELECT status, assignee_worker_id, pool_grid_id, due_kind FROM reports "
            "WHERE id = %s", [rid]).fetchone()
        responsible = {r[0] for r in c.execute(
            "SELECT wg.worker_id FROM worker_grids wg JOIN reports r ON r.grid_id = wg.grid_id "
            "WHERE r.id = %s AND wg.duty IN ('head', 'member')", [rid])}
    assert status == "dispatched" and pool is None and kind == "warn"
    assert assignee in responsible
    last_action, data = steps(seeded_url, rid)[-1]
    assert last_action == "dispatch" and data["worker"]["id"] == assignee
