"""Oversized bodies are refused before anything is read or stored."""

from fastapi.testclient import TestClient

from tests.server.helpers import one


def test_declared_oversized_body_is_413(client: TestClient, seeded_url: str) -> None:
    before = one(seeded_url, "SELECT count(*) FROM reports")[0]
    r = client.post("/api/reports", content=b"x" * (3 * 1024 * 1024),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "payload_too_large" and "MB" in r.json()["detail_en"]
    assert one(seeded_url, "SELECT count(*) FROM reports")[0] == before


def test_streamed_oversized_body_is_413(client: TestClient) -> None:
    def chunks():  # noqa: ANN202 - no content-length: chunked upload
        for _ in range(40):
            yield b"y" * 100_000

    r = client.post("/api/reports", content=chunks(),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413
