"""Draft plans: a new plan copies its scope; roles; ETag / If-Match (428, 412, one winner)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from server.planning.schemas import PlanOut
from tests.conftest import LiveServer, login
from tests.server.planning import (
    COMMUNITY_A,
    STREET,
    edit,
    new_plan,
    planner,
    problem,
    rows,
    value,
)


def test_a_new_plan_copies_the_living_grids_of_its_scope(client: TestClient,
                                                         seeded_url: str) -> None:
    street = new_plan(client)
    assert street.status == "draft" and street.version == 1 and street.scope_id == STREET
    assert street.etag == f'"plan-{street.id}-v1"' and street.created_by
    assert street.counts.model_dump() == {"keep": 14, "change": 0, "new": 0, "retire": 0}
    community = new_plan(client, scope=COMMUNITY_A)
    assert community.counts.keep == 7 and community.scope_name
    r = client.get(f"/api/plans/{community.id}/grids", headers=planner(client))
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    features = r.json()["features"]
    assert {f["properties"]["grid_id"] for f in features} == set(range(4, 10)) | {17}
    first = features[0]["properties"]
    assert set(first) == {"key", "grid_id", "action", "code", "name", "name_en", "level",
                          "kind", "dedicated_type", "parent_id", "head_worker_id",
                          "worker_ids"}
    assert first["key"] == str(first["grid_id"]) and first["action"] == "keep"
    base = value(seeded_url, "SELECT base FROM plans WHERE id = %s", community.id)
    assert base == {str(g): 1 for g in [*range(4, 10), 17]}


def test_scope_must_be_a_living_street_or_community(client: TestClient) -> None:
    h = planner(client)
    problem(client.post("/api/plans", json={"name": "x", "scope_id": 4}, headers=h), 422,
            "scope_level")
    problem(client.post("/api/plans", json={"name": "x", "scope_id": 99999}, headers=h), 404,
            "scope_not_found")


def test_list_read_and_discard(client: TestClient) -> None:
    plan = new_plan(client, name="甲")
    other = new_plan(client, name="乙")
    h = planner(client)
    listed = [PlanOut.model_validate(p) for p in client.get("/api/plans", headers=h).json()]
    assert [p.id for p in listed][:2] == [other.id, plan.id]
    r = client.get(f"/api/plans/{plan.id}", headers=h)
    assert r.status_code == 200 and r.headers["etag"] == plan.etag
    r = client.delete(f"/api/plans/{plan.id}", headers={**h, "If-Match": plan.etag})
    assert r.status_code == 204 and r.headers["etag"] != plan.etag
    drafts = client.get("/api/plans", params={"status": "draft"}, headers=h).json()
    assert [p["id"] for p in drafts] == [other.id]
    gone = client.get(f"/api/plans/{plan.id}", headers=h).json()
    assert gone["status"] == "discarded"
    problem(client.put(f"/api/plans/{plan.id}/grids/4", json={"name": "新"},
                       headers={**h, "If-Match": gone["etag"]}), 409, "plan_not_draft")
    problem(client.get("/api/plans/99999", headers=h), 404, "plan_not_found")


def test_only_planners_and_admins_write(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    body, path = {"name": "新名字"}, f"/api/plans/{plan.id}/grids/4"
    for role in ("operator", "patroller", "grid_head", "dept_staff"):
        h = {**login(client, role), "If-Match": plan.etag}
        problem(client.put(path, json=body, headers=h), 403, "role_forbidden")
        problem(client.post("/api/plans", json={"name": "x", "scope_id": 1}, headers=h), 403,
                "role_forbidden")
    problem(client.put(path, json=body, headers={"If-Match": plan.etag}), 401, "no_token")
    problem(client.get("/api/plans"), 401, "no_token")
    operator = login(client, "operator")
    assert client.get(f"/api/plans/{plan.id}", headers=operator).status_code == 200
    assert client.get(f"/api/plans/{plan.id}/check", headers=operator).status_code == 200
    problem(client.get("/api/plans", headers=login(client, "patroller")), 403, "role_forbidden")
    admin = {**login(client, "admin"), "If-Match": plan.etag}
    assert client.put(path, json=body, headers=admin).status_code == 200
    assert value(seeded_url, "SELECT version FROM plans WHERE id = %s", plan.id) == 2


def test_if_match_missing_is_428_and_stale_is_412(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    path, h = f"/api/plans/{plan.id}/grids/4", planner(client)
    body = problem(client.put(path, json={"name": "甲"}, headers=h), 428, "if_match_required")
    assert "If-Match" in body["detail_en"]
    first = edit(client, "PUT", path, plan.etag, {"name": "甲"})
    assert first.changed == ["4"] and first.plan.version == 2
    stale = client.put(path, json={"name": "乙"}, headers={**h, "If-Match": plan.etag})
    body = problem(stale, 412, "stale_etag")
    assert "someone else" in body["detail_en"].lower() and "他人" in body["detail_zh"]
    assert stale.headers["etag"] == first.plan.etag
    assert rows(seeded_url, "SELECT name, action FROM plan_grids WHERE plan_id = %s "
                "AND key = '4'", plan.id) == [("甲", "change")]
    weak = client.put(path, json={"name": "丙"},
                      headers={**h, "If-Match": "W/" + first.plan.etag})
    assert weak.status_code == 200


@pytest.mark.parametrize("edits", [8])
def test_concurrent_edits_with_one_etag_one_wins(live_server: LiveServer, edits: int) -> None:
    base = live_server.base
    h = {"Authorization": f"Bearer {live_server.token('planner')}"}
    plan = httpx.post(base + "/api/plans", json={"name": "并发", "scope_id": STREET},
                      headers=h).json()

    async def all_edits() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=base, timeout=60) as c:
            return await asyncio.gather(*(
                c.put(f"/api/plans/{plan['id']}/grids/{4 + i % 2}",
                      json={"name": f"并发{i}"}, headers={**h, "If-Match": plan["etag"]})
                for i in range(edits)))

    with ThreadPoolExecutor(1) as pool:
        answers = pool.submit(asyncio.run, all_edits()).result()
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [412] * (edits - 1), [r.text for r in answers]
    assert {r.json()["code"] for r in answers if r.status_code == 412} == {"stale_etag"}
    now = httpx.get(f"{base}/api/plans/{plan['id']}", headers=h).json()
    assert now["version"] == 2 and now["counts"]["change"] == 1
