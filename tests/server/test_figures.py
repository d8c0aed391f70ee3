"""Figures computed from a known set of reports."""

import psycopg
from fastapi.testclient import TestClient

from tests.conftest import login
from tests.server.factories import patroller_point, photo, worker_of


def test_rates_follow_the_reports(client: TestClient, seeded_url: str) -> None:
    grid, lon, lat = patroller_point(seeded_url)
    with psycopg.connect(seeded_url, autocommit=True) as c:
        c.execute("TRUNCATE reports, report_steps, points_ledger, photos CASCADE")
    op, me = login(client, "operator"), login(client, "patroller")
    patroller = worker_of(seeded_url, "patroller")

    def new(dx: float) -> dict:
        r = client.post("/api/reports", json={"category": "environment", "description": "测试",
                                              "lon": lon + dx, "lat": lat})
        assert r.status_code == 201, r.text
        return r.json()

    def to_resolved(rid: int) -> None:
        client.post(f"/api/reports/{rid}/accept", json={}, headers=op).raise_for_status()
        client.post(f"/api/reports/{rid}/dispatch", json={"worker_id": patroller},
                    headers=op).raise_for_status()
        client.post(f"/api/reports/{rid}/claim", headers=me).raise_for_status()
        client.post(f"/api/reports/{rid}/resolve", headers=me, json={
            "note": "ok", "photos": [photo(seeded_url, kind="result")]}).raise_for_status()

    rejected, good, unhappy, late = new(0), new(0.0002), new(0.0004), new(0.0006)
    client.post(f"/api/reports/{rejected['id']}/reject", json={"reason": "无效"}, headers=op)
    to_resolved(good["id"])
    client.post(f"/api/track/{good['tracking_token']}/revisit", json={"satisfaction": 5})
    to_resolved(unhappy["id"])
    client.post(f"/api/track/{unhappy['tracking_token']}/revisit", json={"satisfaction": 2})
    client.post(f"/api/reports/{late['id']}/accept", json={}, headers=op)
    client.post(f"/api/reports/{late['id']}/dispatch", json={"worker_id": patroller}, headers=op)
    with psycopg.connect(seeded_url, autocommit=True) as c:
        c.execute("UPDATE reports SET deadline_at = now() - interval '1 hour' WHERE id = %s",
                  [late["id"]])
    rows = client.get("/api/figures", params={"level": "grid"}, headers=op).json()
    mine = next(r for r in rows if r["id"] == grid)
    assert (mine["received"], mine["valid"], mine["completed"]) == (4, 3, 1)
    assert mine["completion_rate"] == round(1 / 3, 4) and mine["on_time_rate"] == 1.0
    assert (mine["rated"], mine["satisfaction_rate"]) == (2, 0.5)
    assert mine["overdue_now"] == 1
    others = [r for r in rows if r["id"] != grid]
    assert all(r["received"] == 0 and r["completion_rate"] is None for r in others)
    street = client.get("/api/figures", params={"level": "street"}, headers=op).json()
    assert sum(r["received"] for r in street) == 4


def test_figures_bad_input_and_roles(client: TestClient) -> None:
    op = login(client, "operator")
    assert client.get("/api/figures", params={"level": "planet"}, headers=op).status_code == 422
    assert client.get("/api/figures", params={"days": 0}, headers=op).status_code == 422
    assert client.get("/api/figures", headers=login(client, "patroller")).status_code == 403
    assert client.get("/api/figures").status_code == 401
