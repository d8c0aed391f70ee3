"""Publishing a draft: atomic, reassigns what the grids hold, keeps history, tells every
console; refuses a draft with errors, one made on a map that has moved on, a bad time."""

import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import shapely
from fastapi.testclient import TestClient
from websockets.sync.client import connect

from server.planning import publish as publishing
from server.planning.schemas import Preview, PublishOut
from tests.conftest import LiveServer
from tests.server.planning import (
    COMMUNITY_A,
    across,
    edit,
    geom_of,
    new_plan,
    planner,
    problem,
    rows,
    value,
)

CLOSED = ["rejected", "merged", "archived"]


def publish(client: TestClient, plan_id: int, etag: str, **body: object) -> PublishOut:
    r = client.post(f"/api/plans/{plan_id}/publish", json=body,
                    headers={**planner(client), "If-Match": etag})
    assert r.status_code == 200, r.text
    out = PublishOut.model_validate(r.json())
    assert r.headers["etag"] == out.plan.etag and out.plan.status == "published"
    return out


def merged_plan(client: TestClient) -> tuple[int, str]:
    """A street plan that merges grid 5 into grid 4."""
    plan = new_plan(client)
    out = edit(client, "POST", f"/api/plans/{plan.id}/merge", plan.etag, {"keys": ["4", "5"]})
    return plan.id, out.plan.etag


def test_publish_a_merge_reassigns_and_keeps_history(client: TestClient,
                                                     seeded_url: str) -> None:
    # An open report of grid 5 of our own: which seeded ones are still open depends on the
    # hour the seed was made.
    lon, lat = rows(seeded_url, "SELECT ST_X(p), ST_Y(p) FROM grids g, ST_PointOnSurface("
                    "ST_Difference(g.geom, (SELECT ST_Union(d.geom) FROM grids d WHERE "
                    "d.kind = 'dedicated' AND d.retired_at IS NULL))) p WHERE g.id = 5")[0]
    r = client.post("/api/reports", json={"category": "environment",
                                          "description": "楼道堆放杂物", "lon": lon, "lat": lat})
    assert r.status_code == 201 and r.json()["grid_id"] == 5, r.text
    homes_5 = {r[0] for r in rows(seeded_url, "SELECT id FROM households WHERE grid_id = 5")}
    open_5 = {r[0] for r in rows(seeded_url, "SELECT id FROM reports WHERE grid_id = 5 AND "
                                 "status <> ALL(%s)", CLOSED)}
    closed_5 = {r[0] for r in rows(seeded_url, "SELECT id FROM reports WHERE grid_id = 5 AND "
                                   "status = ANY(%s)", CLOSED)}
    station_5 = value(seeded_url, "SELECT id FROM stations WHERE grid_id = 5")
    people_5 = rows(seeded_url, "SELECT worker_id, duty FROM worker_grids WHERE grid_id = 5")
    assert homes_5 and open_5 and closed_5 and people_5
    plan_id, etag = merged_plan(client)
    preview = Preview.model_validate(client.get(f"/api/plans/{plan_id}/preview",
                                                headers=planner(client)).json())
    assert preview.households.moved == len(homes_5)
    assert [(m.from_, m.to) for m in preview.households.by_grid] == [("5", "4")]
    assert [(s.id, s.from_, s.to) for s in preview.stations.items] == [(station_5, "5", "4")]
    assert {r.id for r in preview.open_reports.items} == open_5
    assert {w.id for w in preview.workers} == {w for w, _ in people_5}
    assert all(w.to_grids == ["4"] or "4" in w.to_grids for w in preview.workers)
    before = {g.key: g for g in preview.workload.before}
    after = {g.key: g for g in preview.workload.after}
    assert "5" not in after and after["4"].households == before["4"].households + len(homes_5)
    assert after["4"].load > before["4"].load and preview.workload.spread_before > 0

    out = publish(client, plan_id, etag)
    assert (out.grids_changed, out.grids_new, out.grids_retired) == (1, 0, 1)
    assert out.households_moved == len(homes_5) and out.stations_moved == 1
    assert out.open_reports_moved == len(open_5) and 0 < out.seconds < 30
    assert rows(seeded_url, "SELECT count(*) FROM households WHERE grid_id = 5") == [(0,)]
    assert value(seeded_url, "SELECT grid_id FROM stations WHERE id = %s", station_5) == 4
    # dedicated grids come first for routing, as at intake
    assert rows(seeded_url, "SELECT count(*) FROM reports r WHERE id = ANY(%s) AND grid_id <> "
                "CASE WHEN EXISTS (SELECT 1 FROM grids d WHERE d.kind = 'dedicated' AND "
                "d.id = 17 AND ST_Intersects(d.geom, r.geom)) THEN 17 ELSE 4 END",
                sorted(open_5)) == [(0,)]
    assert {r[0] for r in rows(seeded_url, "SELECT grid_id FROM reports WHERE id = ANY(%s)",
                               sorted(closed_5))} == {5}  # a report keeps the grid it was in
    assert rows(seeded_url, "SELECT count(*) FROM worker_grids WHERE grid_id = 5") == [(0,)]
    heads = rows(seeded_url, "SELECT count(*) FROM worker_grids WHERE grid_id = 4 "
                 "AND duty = 'head'")
    assert heads == [(1,)]
    assert rows(seeded_url, "SELECT version, retired_at IS NOT NULL FROM grids WHERE id IN "
                "(4, 5) ORDER BY id") == [(2, False), (1, True)]
    assert rows(seeded_url, "SELECT grid_id, version, valid_to IS NULL, plan_id FROM "
                "grid_versions WHERE grid_id IN (4, 5) ORDER BY 1, 2") == [
        (4, 1, False, None), (4, 2, True, plan_id), (5, 1, False, None)]
    assert rows(seeded_url, "SELECT count(*) FROM coverage_pieces WHERE grid_id = 5") == [(0,)]
    assert value(seeded_url, "SELECT count(*) FROM coverage_pieces WHERE grid_id = 4") > 0
    event = rows(seeded_url, "SELECT grid_ids, payload FROM events WHERE topic = 'grids' "
                 "AND kind = 'published'")
    assert len(event) == 1 and event[0][0] == []  # for every console
    assert event[0][1]["plan_id"] == plan_id and sorted(event[0][1]["grid_ids"]) == [4, 5]


def test_a_split_publishes_a_new_grid(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    whole = geom_of(seeded_url, 15)
    cut = edit(client, "POST", f"/api/plans/{plan.id}/split", plan.etag,
               {"key": "15", "line": across(whole)})
    out = publish(client, plan.id, cut.plan.etag)
    assert (out.grids_changed, out.grids_new, out.grids_retired) == (1, 1, 0)
    new_id = value(seeded_url, "SELECT grid_id FROM plan_grids WHERE plan_id = %s "
                   "AND key = 'n1'", plan.id)
    assert out.households_moved == value(seeded_url, "SELECT count(*) FROM households "
                                         "WHERE grid_id = %s", new_id) > 0
    together = shapely.union_all([geom_of(seeded_url, 15), geom_of(seeded_url, new_id)])
    assert together.symmetric_difference(whole).area < 1e-12
    assert rows(seeded_url, "SELECT version, valid_from = (SELECT effective_at FROM plans "
                "WHERE id = %s), plan_id FROM grid_versions WHERE grid_id = %s",
                plan.id, new_id) == [(1, True, plan.id)]
    assert rows(seeded_url, "SELECT count(*) FROM households h JOIN grids g ON g.id = h.grid_id "
                "WHERE g.id IN (15, %s) AND NOT ST_Intersects(g.geom, h.geom)", new_id) == [(0,)]


def test_two_grids_may_swap_their_codes(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    a, b = rows(seeded_url, "SELECT code FROM grids WHERE id IN (14, 15) ORDER BY id")
    path = f"/api/plans/{plan.id}/grids"
    step = edit(client, "PUT", f"{path}/14", plan.etag, {"code": "TEMP-14"})
    step = edit(client, "PUT", f"{path}/15", step.plan.etag, {"code": a[0]})
    step = edit(client, "PUT", f"{path}/14", step.plan.etag, {"code": b[0]})
    publish(client, plan.id, step.plan.etag)
    assert rows(seeded_url, "SELECT code FROM grids WHERE id IN (14, 15) ORDER BY id") == [b, a]


def test_a_new_dedicated_grid_takes_the_open_reports_inside(client: TestClient,
                                                            seeded_url: str) -> None:
    rid, x, y = rows(seeded_url, "SELECT r.id, ST_X(r.geom), ST_Y(r.geom) FROM reports r "
                     "WHERE r.status <> ALL(%s) AND r.community_id = %s AND NOT EXISTS ("
                     "SELECT 1 FROM grids d WHERE d.kind = 'dedicated' AND "
                     "ST_DWithin(d.geom, r.geom, 0.001)) ORDER BY r.id LIMIT 1",
                     CLOSED, COMMUNITY_A)[0]
    plan = new_plan(client)
    box = shapely.box(x - 0.0003, y - 0.0003, x + 0.0003, y + 0.0003)
    body = {"geometry": shapely.geometry.mapping(box), "kind": "dedicated",
            "dedicated_type": "market", "code": "M-1", "name": "新市场", "parent_id": 2}
    made = edit(client, "POST", f"/api/plans/{plan.id}/grids", plan.etag, body, status=201)
    assert made.check.ok, made.check.violations
    out = publish(client, plan.id, made.plan.etag)
    market = value(seeded_url, "SELECT id FROM grids WHERE code = 'M-1'")
    assert out.open_reports_moved >= 1 and out.households_moved == 0
    assert value(seeded_url, "SELECT grid_id FROM reports WHERE id = %s", rid) == market


def test_publish_refuses_a_plan_with_errors_and_changes_nothing(client: TestClient,
                                                                seeded_url: str) -> None:
    plan = new_plan(client)
    out = edit(client, "DELETE", f"/api/plans/{plan.id}/grids/13", plan.etag)
    r = client.post(f"/api/plans/{plan.id}/publish", json={},
                    headers={**planner(client), "If-Match": out.plan.etag})
    body = problem(r, 422, "plan_invalid")
    assert not body["check"]["ok"] and body["check"]["errors"] >= 1
    assert "gap" in {f["properties"]["code"] for f in body["check"]["violations"]["features"]}
    assert value(seeded_url, "SELECT retired_at FROM grids WHERE id = 13") is None
    assert value(seeded_url, "SELECT status FROM plans WHERE id = %s", plan.id) == "draft"


def test_a_failure_midway_leaves_nothing_changed(client: TestClient, seeded_url: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    plan_id, etag = merged_plan(client)

    async def broken(*args: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(publishing, "_refresh", broken)
    with pytest.raises(RuntimeError):
        client.post(f"/api/plans/{plan_id}/publish", json={},
                    headers={**planner(client), "If-Match": etag})
    assert rows(seeded_url, "SELECT count(*) FROM households WHERE grid_id = 5") != [(0,)]
    assert rows(seeded_url, "SELECT version, retired_at FROM grids WHERE id IN (4, 5) "
                "ORDER BY id") == [(1, None), (1, None)]
    assert value(seeded_url, "SELECT count(*) FROM grid_versions") == 17
    assert value(seeded_url, "SELECT status FROM plans WHERE id = %s", plan_id) == "draft"
    assert value(seeded_url, "SELECT count(*) FROM events WHERE topic = 'grids'") == 0


def test_map_changed_since_the_draft_is_409(client: TestClient, seeded_url: str) -> None:
    older = new_plan(client, name="旧")
    renamed = edit(client, "PUT", f"/api/plans/{older.id}/grids/9", older.etag,
                   {"name": "九号"})
    plan_id, etag = merged_plan(client)
    publish(client, plan_id, etag)
    r = client.post(f"/api/plans/{older.id}/publish", json={},
                    headers={**planner(client), "If-Match": renamed.plan.etag})
    body = problem(r, 409, "map_changed")
    assert body["grid_ids"] == [4, 5]
    assert value(seeded_url, "SELECT name FROM grids WHERE id = 9") != "九号"


@pytest.mark.parametrize("shift, code", [(timedelta(days=-2), "effective_at_too_early"),
                                         (timedelta(hours=2), "effective_at_future")])
def test_effective_time_is_checked(client: TestClient, shift: timedelta, code: str) -> None:
    plan_id, etag = merged_plan(client)
    when = (datetime.now(UTC) + shift).isoformat()
    problem(client.post(f"/api/plans/{plan_id}/publish", json={"effective_at": when},
                        headers={**planner(client), "If-Match": etag}), 422, code)


def test_backdated_publish_dates_the_versions(client: TestClient, seeded_url: str) -> None:
    plan_id, etag = merged_plan(client)
    when = datetime.now(UTC) - timedelta(hours=3)
    out = publish(client, plan_id, etag, effective_at=when.isoformat())
    assert out.plan.effective_at == when
    assert value(seeded_url, "SELECT valid_to FROM grid_versions WHERE grid_id = 5") == when
    assert value(seeded_url, "SELECT valid_from FROM grid_versions WHERE grid_id = 4 "
                 "AND version = 2") == when
    problem(client.post(f"/api/plans/{plan_id}/publish", json={},
                        headers={**planner(client), "If-Match": out.plan.etag}),
            409, "plan_not_draft")


def test_every_console_hears_of_a_publish(live_server: LiveServer) -> None:
    """A field role, scoped to its own grids, gets the event too: everyone reloads grids."""
    base = live_server.base
    h = {"Authorization": f"Bearer {live_server.token('planner')}"}
    plan = httpx.post(base + "/api/plans", json={"name": "直播", "scope_id": 3},
                      headers=h).json()
    url = f"ws://127.0.0.1:{live_server.port}/ws/live?token={live_server.token('patroller')}"
    with connect(url) as conn:
        assert json.loads(conn.recv(timeout=5))["type"] == "hello"
        r = httpx.post(f"{base}/api/plans/{plan['id']}/publish", json={},
                       headers={**h, "If-Match": plan["etag"]})
        assert r.status_code == 200, r.text
        deadline = time.monotonic() + 5
        while True:
            msg = json.loads(conn.recv(timeout=max(0.1, deadline - time.monotonic())))
            if msg.get("topic") == "grids":
                break
    assert msg["kind"] == "published" and msg["payload"]["plan_id"] == plan["id"]
    assert msg["payload"]["grid_ids"] == [] and msg["payload"]["effective_at"]
