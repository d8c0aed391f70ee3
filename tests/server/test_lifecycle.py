"""The closed loop through the API: intake → review → dispatch → claim → resolve →
revisit → archive, with every step on the timeline; illegal moves refused."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import login
from tests.server.factories import patroller_point, photo, worker_of
from tests.server.helpers import one

PHONE = "13900001111"


@pytest.fixture
def spot(seeded_url: str) -> tuple[int, float, float]:
    return patroller_point(seeded_url)


def submit(client: TestClient, lon: float, lat: float, **extra: object) -> dict:
    r = client.post("/api/reports", json={"category": "environment", "description": "垃圾堆积",
                                          "lon": lon, "lat": lat, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def post(client: TestClient, path: str, role: str, body: dict | None = None,
         **headers: str) -> dict:
    r = client.post(path, json=body or {}, headers={**login(client, role), **headers})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_whole_loop(client: TestClient, seeded_url: str, spot) -> None:  # noqa: ANN001
    grid, lon, lat = spot
    created = submit(client, lon, lat, reporter_phone=PHONE, reporter_name="王小明",
                     photos=[photo(seeded_url)])
    rid, token = created["id"], created["tracking_token"]
    assert created["grid_id"] == grid and created["tracking_url"].endswith(token)
    assert post(client, f"/api/reports/{rid}/accept", "operator")["status"] == "accepted"
    cands = client.get(f"/api/reports/{rid}/candidates", headers=login(client, "operator"))
    workers = cands.json()["workers"]
    patroller = worker_of(seeded_url, "patroller")
    assert workers[0]["responsible"] and patroller in [w["id"] for w in workers]
    assert cands.json()["department"]["name"]
    sent = post(client, f"/api/reports/{rid}/dispatch", "operator", {"worker_id": patroller})
    assert sent["status"] == "dispatched" and sent["deadline_at"]
    tasks = client.get("/api/tasks", headers=login(client, "patroller")).json()
    assert [t["id"] for t in tasks if t["mine"]] == [rid]
    assert post(client, f"/api/reports/{rid}/claim", "patroller")["status"] == "claimed"
    done = post(client, f"/api/reports/{rid}/resolve", "patroller",
                {"note": "已清运", "photos": [photo(seeded_url, kind="result")]})
    assert done["status"] == "resolved"
    view = client.get(f"/api/track/{token}").json()
    assert view["can_rate"] and view["points"] == 10
    assert {p["kind"] for p in view["photos"]} == {"intake", "result"}
    rated = client.post(f"/api/track/{token}/revisit", json={"satisfaction": 5})
    assert rated.json()["status"] == "verified"
    assert post(client, f"/api/reports/{rid}/archive", "operator")["status"] == "archived"
    detail = client.get(f"/api/reports/{rid}", headers=login(client, "operator")).json()
    actions = [s["action"] for s in detail["timeline"]]
    assert actions == ["create", "accept", "note", "dispatch", "claim", "resolve", "verify",
                       "archive"]
    assert detail["reporter_phone"] == "139****1111" and detail["satisfaction"] == 5
    kinds = [k for (k,) in _events(seeded_url, rid)]
    assert kinds[:2] == ["created", "accept"] and kinds[-1] == "archive"


def _events(url: str, rid: int) -> list[tuple[str]]:
    import psycopg

    with psycopg.connect(url) as c:
        return c.execute("SELECT kind FROM events WHERE topic = 'reports' AND "
                         "(payload->>'id')::int = %s ORDER BY seq", [rid]).fetchall()


def test_illegal_moves_are_409_and_change_nothing(client: TestClient, seeded_url: str,
                                                  spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    rid = submit(client, lon, lat)["id"]
    h = login(client, "operator")
    for path, body in ((f"/api/reports/{rid}/archive", {}),
                       (f"/api/reports/{rid}/claim", None)):
        who = h if "archive" in path else login(client, "patroller")
        r = client.post(path, json=body or {}, headers=who)
        assert r.status_code == 409 and r.json()["code"] == "illegal_transition", r.text
    post(client, f"/api/reports/{rid}/accept", "operator")
    r = client.post(f"/api/reports/{rid}/accept", json={}, headers=h)
    assert r.status_code == 409 and "accepted" in r.json()["detail_en"]
    assert one(seeded_url, "SELECT status, version FROM reports WHERE id = %s", rid) == \
        ("accepted", 3)


def test_stale_if_match_is_412(client: TestClient, spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    rid = submit(client, lon, lat)["id"]
    r = client.post(f"/api/reports/{rid}/accept", json={},
                    headers={**login(client, "operator"), "If-Match": '"1"'})
    assert r.status_code == 412 and r.json()["code"] == "stale_version"
    etag = client.get(f"/api/reports/{rid}", headers=login(client, "operator")).headers["etag"]
    ok = client.post(f"/api/reports/{rid}/accept", json={},
                     headers={**login(client, "operator"), "If-Match": etag})
    assert ok.status_code == 200 and ok.headers["etag"] != etag


def test_someone_elses_task_cannot_be_claimed(client: TestClient, seeded_url: str,
                                              spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    rid = submit(client, lon, lat)["id"]
    post(client, f"/api/reports/{rid}/accept", "operator")
    head = worker_of(seeded_url, "grid_head")
    post(client, f"/api/reports/{rid}/dispatch", "operator", {"worker_id": head})
    r = client.post(f"/api/reports/{rid}/claim", headers=login(client, "patroller"))
    assert r.status_code == 403 and r.json()["code"] == "not_your_task"
    r = client.post(f"/api/reports/{rid}/claim", headers=login(client, "operator"))
    assert r.status_code == 403 and r.json()["code"] == "role_forbidden"


def test_dissatisfied_revisit_reopens(client: TestClient, seeded_url: str,
                                      spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    created = submit(client, lon, lat)
    rid = created["id"]
    post(client, f"/api/reports/{rid}/accept", "operator")
    post(client, f"/api/reports/{rid}/dispatch", "operator", {"pool": True})
    post(client, f"/api/reports/{rid}/claim", "patroller")
    post(client, f"/api/reports/{rid}/resolve", "patroller",
         {"note": "处理了", "photos": [photo(seeded_url, kind="result")]})
    r = client.post(f"/api/track/{created['tracking_token']}/revisit",
                    json={"satisfaction": 1, "note": "没有处理干净"})
    assert r.json()["status"] == "dispatched"
    assert r.json()["assignee_worker_id"] == worker_of(seeded_url, "patroller")
    again = client.post(f"/api/track/{created['tracking_token']}/revisit",
                        json={"satisfaction": 5})
    assert again.status_code == 409


def test_merge_follows_the_original(client: TestClient, spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    first = submit(client, lon, lat)
    second = submit(client, lon + 0.0001, lat)
    assert second["duplicates"] == [first["id"]]
    post(client, f"/api/reports/{second['id']}/merge", "operator", {"into_id": first["id"]})
    post(client, f"/api/reports/{first['id']}/accept", "operator")
    view = client.get(f"/api/track/{second['tracking_token']}").json()
    assert view["merged_into_id"] == first["id"] and view["status"] == "accepted"
    assert any("合并" in (s["note"] or "") for s in view["timeline"])
    r = client.post(f"/api/reports/{first['id']}/merge", json={"into_id": first["id"]},
                    headers=login(client, "operator"))
    assert r.status_code == 422


def test_reject_needs_a_reason_and_shows_it(client: TestClient, spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    created = submit(client, lon, lat)
    h = login(client, "operator")
    assert client.post(f"/api/reports/{created['id']}/reject", json={},
                       headers=h).status_code == 422
    post(client, f"/api/reports/{created['id']}/reject", "operator", {"reason": "不属于本辖区"})
    view = client.get(f"/api/track/{created['tracking_token']}").json()
    assert view["status"] == "rejected" and view["reject_reason"] == "不属于本辖区"


def test_found_and_fixed_on_the_spot(client: TestClient, seeded_url: str,
                                     spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    h = login(client, "patroller")
    body = {"category": "facilities", "description": "井盖松动", "lon": lon, "lat": lat,
            "fixed": True, "result_note": "已复位", "photos": [photo(seeded_url)],
            "result_photos": [photo(seeded_url, kind="result")]}
    r = client.post("/api/reports/found", json=body, headers=h)
    assert r.status_code == 201, r.text
    detail = client.get(f"/api/reports/{r.json()['id']}", headers=h).json()
    assert detail["status"] == "resolved" and detail["source"] == "patroller"
    assert [s["action"] for s in detail["timeline"]] == [
        "create", "accept", "dispatch", "claim", "resolve"]
    missing = client.post("/api/reports/found", json={**body, "result_photos": []}, headers=h)
    assert missing.status_code == 422 and missing.json()["code"] == "result_required"


def test_staff_record_a_hotline_call(client: TestClient, seeded_url: str,
                                     spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    r = client.post("/api/reports/record", headers=login(client, "operator"), json={
        "category": "dispute", "description": "12345来电：楼上噪音", "lon": lon, "lat": lat,
        "source": "hotline", "reporter_name": "李女士", "reporter_phone": "13812345678"})
    assert r.status_code == 201, r.text
    row = one(seeded_url, "SELECT source, recorded_by IS NOT NULL, reporter_name FROM reports "
                          "WHERE id = %s", r.json()["id"])
    assert row == ("hotline", True, "李女士")
    r = client.post("/api/reports/record", headers=login(client, "patroller"), json={})
    assert r.status_code == 403


def test_dispatch_needs_exactly_one_target(client: TestClient, spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    rid = submit(client, lon, lat)["id"]
    post(client, f"/api/reports/{rid}/accept", "operator")
    h = login(client, "operator")
    for body in ({}, {"worker_id": 1, "pool": True}, {"department_id": 999999},
                 {"worker_id": 99999999}, {"pool": True, "deadline_hours": 0}):
        r = client.post(f"/api/reports/{rid}/dispatch", json=body, headers=h)
        assert r.status_code == 422, (body, r.text)


def test_resolve_needs_a_result_photo(client: TestClient, seeded_url: str,
                                      spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    rid = submit(client, lon, lat)["id"]
    post(client, f"/api/reports/{rid}/accept", "operator")
    post(client, f"/api/reports/{rid}/dispatch", "operator",
         {"worker_id": worker_of(seeded_url, "patroller")})
    post(client, f"/api/reports/{rid}/claim", "patroller")
    r = client.post(f"/api/reports/{rid}/resolve", json={"note": "好了", "photos": []},
                    headers=login(client, "patroller"))
    assert r.status_code == 422
    assert one(seeded_url, "SELECT status FROM reports WHERE id = %s", rid) == ("claimed",)
