"""Idempotency-Key: a retried submission from a bad network is one report, never two."""

from fastapi.testclient import TestClient

from tests.server.factories import patroller_point
from tests.server.helpers import one


def test_retry_with_the_same_key_is_one_report(client: TestClient, seeded_url: str) -> None:
    _, lon, lat = patroller_point(seeded_url)
    body = {"category": "environment", "description": "重复提交测试", "lon": lon, "lat": lat}
    before = one(seeded_url, "SELECT count(*) FROM reports")[0]
    first = client.post("/api/reports", json=body, headers={"Idempotency-Key": "k-123"})
    again = client.post("/api/reports", json=body, headers={"Idempotency-Key": "k-123"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    assert one(seeded_url, "SELECT count(*) FROM reports")[0] == before + 1


def test_same_key_with_another_body_is_refused(client: TestClient, seeded_url: str) -> None:
    _, lon, lat = patroller_point(seeded_url)
    body = {"category": "environment", "description": "第一次", "lon": lon, "lat": lat}
    client.post("/api/reports", json=body, headers={"Idempotency-Key": "k-9"})
    before = one(seeded_url, "SELECT count(*) FROM reports")[0]
    r = client.post("/api/reports", json={**body, "description": "第二次"},
                    headers={"Idempotency-Key": "k-9"})
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_reused"
    assert one(seeded_url, "SELECT count(*) FROM reports")[0] == before


def test_without_a_key_each_post_is_new(client: TestClient, seeded_url: str) -> None:
    _, lon, lat = patroller_point(seeded_url)
    body = {"category": "environment", "description": "无键提交", "lon": lon, "lat": lat}
    ids = {client.post("/api/reports", json=body).json()["id"] for _ in range(2)}
    assert len(ids) == 2


def test_a_failed_request_does_not_burn_the_key(client: TestClient, seeded_url: str) -> None:
    _, lon, lat = patroller_point(seeded_url)
    bad = {"category": "aliens", "description": "失败", "lon": lon, "lat": lat}
    assert client.post("/api/reports", json=bad,
                       headers={"Idempotency-Key": "k-x"}).status_code == 422
    good = {**bad, "category": "environment"}
    assert client.post("/api/reports", json=good,
                       headers={"Idempotency-Key": "k-x"}).status_code == 201
    long = client.post("/api/reports", json=good, headers={"Idempotency-Key": "k" * 200})
    assert long.status_code == 422 and long.json()["code"] == "bad_idempotency_key"
