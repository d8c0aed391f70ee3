"""The redistricting assistant: k contiguous grids that tile the community exactly, a lower
load spread, the current grids' keys kept where a grid continues, publishable; errors."""

import shapely
from fastapi.testclient import TestClient

from geo.coverage import tiles_exactly
from server.planning.schemas import Preview, RedistrictOut
from tests.conftest import login
from tests.server.planning import (
    COMMUNITY_A,
    COMMUNITY_B,
    STREET,
    check,
    geom_of,
    new_plan,
    planner,
    problem,
    rows,
    value,
)

LIVING = ("SELECT key, grid_id, code, name, action, ST_NumGeometries(geom), ST_AsBinary(geom) "
          "FROM plan_grids WHERE plan_id = %s AND parent_id = %s AND kind = 'comprehensive' "
          "AND action <> 'retire' ORDER BY key")


def redistrict(client: TestClient, plan_id: int, etag: str, **body: object) -> RedistrictOut:
    r = client.post(f"/api/plans/{plan_id}/redistrict", json=body,
                    headers={**planner(client), "If-Match": etag})
    assert r.status_code == 200, r.text
    out = RedistrictOut.model_validate(r.json())
    assert r.headers["etag"] == out.plan.etag != etag
    return out


def test_a_community_is_redrawn_into_k_contiguous_even_grids(client: TestClient,
                                                             seeded_url: str) -> None:
    plan = new_plan(client)
    spread_now = client.get(f"/api/planning/workload?parent_id={COMMUNITY_A}",
                            headers=planner(client)).json()["parent"]["spread"]
    dedicated = geom_of(seeded_url, 17)
    out = redistrict(client, plan.id, plan.etag, parent_id=COMMUNITY_A, k=5)
    figures = out.redistrict
    assert (figures.k, figures.blocks, figures.converged) == (5, 12, True)
    assert figures.spread_before == spread_now
    assert figures.spread_after < figures.spread_before
    assert 0 < figures.kept <= 1 and 0 <= figures.seconds < 60
    assert len([g for g in figures.after if g.kind == "comprehensive"]) == 5
    assert len([g for g in figures.before if g.kind == "comprehensive"]) == 6
    assert out.check.ok and check(client, plan.id).ok  # no gap, no overlap, all homes in one
    living = rows(seeded_url, LIVING, plan.id, COMMUNITY_A)
    assert len(living) == 5 and all(r[5] == 1 for r in living)  # each one polygon
    parts = [shapely.from_wkb(bytes(r[6])).geoms[0] for r in living]
    assert tiles_exactly(parts, geom_of(seeded_url, COMMUNITY_A))
    continued = [r for r in living if r[1] is not None]
    assert continued and all(r[0] == str(r[1]) and r[4] == "change" for r in continued)
    for _key, gid, code, name, *_ in continued:  # a continued grid keeps its code and name
        assert (code, name) == tuple(rows(seeded_url, "SELECT code, name FROM grids "
                                          "WHERE id = %s", gid)[0])
    for key, _, code, name, action, *_ in living:
        assert key.startswith("n") == (action == "new")
        if action == "new":
            assert code.startswith("510104001001") and name.startswith("锦城社区第")
    retired = {r[0] for r in rows(seeded_url, "SELECT key FROM plan_grids WHERE plan_id = %s "
                                  "AND action = 'retire'", plan.id)}
    assert retired and set(out.changed) == retired | {r[0] for r in living}
    assert rows(seeded_url, "SELECT action FROM plan_grids WHERE plan_id = %s AND key = '17'",
                plan.id) == [("keep",)]
    assert geom_of(seeded_url, 17).equals(dedicated)
    untouched = rows(seeded_url, "SELECT DISTINCT action FROM plan_grids WHERE plan_id = %s "
                     "AND parent_id = %s", plan.id, COMMUNITY_B)
    assert untouched == [("keep",)]
    preview = Preview.model_validate(client.get(f"/api/plans/{plan.id}/preview",
                                                headers=planner(client)).json())
    after = {g.key: g for g in preview.workload.after}
    assert all(after[g.key] == g for g in figures.after)  # the same figures as the preview

    r = client.post(f"/api/plans/{plan.id}/publish", json={},
                    headers={**planner(client), "If-Match": out.plan.etag})
    assert r.status_code == 200, r.text
    assert value(seeded_url, "SELECT count(*) FROM grids WHERE parent_id = %s AND kind = "
                 "'comprehensive' AND retired_at IS NULL", COMMUNITY_A) == 5
    assert value(seeded_url, "SELECT count(*) FROM blocks b JOIN grids g ON g.id = b.grid_id "
                 "WHERE g.parent_id = %s AND g.retired_at IS NULL", COMMUNITY_A) == 12
    now = client.get(f"/api/planning/workload?parent_id={COMMUNITY_A}",
                     headers=planner(client)).json()["parent"]
    assert now["count"] == 5 and now["spread"] == figures.spread_after


def test_a_street_is_shared_among_its_communities(client: TestClient,
                                                  seeded_url: str) -> None:
    plan = new_plan(client)
    out = redistrict(client, plan.id, plan.etag, parent_id=STREET, k=11, start="fresh", seed=3,
                     weights={"care": {"red": 8}, "street_km": 0})
    assert out.check.ok and out.redistrict.blocks == 25
    assert out.redistrict.spread_after < out.redistrict.spread_before
    counts = [len(rows(seeded_url, LIVING, plan.id, c)) for c in (COMMUNITY_A, COMMUNITY_B)]
    assert sum(counts) == 11 and min(counts) >= 1
    # again on the result, from the current grids: a new ETag, the same count
    again = redistrict(client, plan.id, out.plan.etag, parent_id=STREET, k=11, start="current")
    assert again.check.ok and again.plan.version == out.plan.version + 1
    assert sum(len(rows(seeded_url, LIVING, plan.id, c)) for c in (COMMUNITY_A,
                                                                   COMMUNITY_B)) == 11


def test_errors_leave_the_draft_as_it_was(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client, scope=COMMUNITY_A)
    path, h = f"/api/plans/{plan.id}/redistrict", planner(client)
    headers = {**h, "If-Match": plan.etag}
    body = {"parent_id": COMMUNITY_A, "k": 13}
    found = problem(client.post(path, json=body, headers=headers), 422, "k_out_of_range")
    assert "12" in found["detail_en"] and found["field"] == "k"
    problem(client.post(path, json={**body, "k": 0}, headers=headers), 422, "invalid_input")
    problem(client.post(path, json={**body, "parent_id": COMMUNITY_B, "k": 3},
                        headers=headers), 422, "parent_out_of_scope")
    problem(client.post(path, json={**body, "parent_id": STREET, "k": 3}, headers=headers),
            422, "parent_out_of_scope")
    problem(client.post(path, json={**body, "parent_id": 4, "k": 1}, headers=headers), 422,
            "parent_level")
    problem(client.post(path, json={**body, "parent_id": 99999}, headers=headers), 404,
            "parent_not_found")
    problem(client.post(path, json={**body, "weights": {"resident": -1}}, headers=headers),
            422, "invalid_input")
    problem(client.post(path, json={**body, "k": 5}, headers=h), 428, "if_match_required")
    problem(client.post(path, json={**body, "k": 5}, headers={**h, "If-Match": '"plan-1-v0"'}),
            412, "stale_etag")
    street_plan = new_plan(client)
    problem(client.post(f"/api/plans/{street_plan.id}/redistrict", json={
        "parent_id": STREET, "k": 1}, headers={**h, "If-Match": street_plan.etag}), 422,
        "k_out_of_range")  # one grid at least per community
    assert value(seeded_url, "SELECT version FROM plans WHERE id = %s", plan.id) == 1
    assert rows(seeded_url, "SELECT DISTINCT action FROM plan_grids WHERE plan_id = %s",
                plan.id) == [("keep",)]


def test_blocks_that_do_not_reach_the_rest_are_named(client: TestClient,
                                                     seeded_url: str) -> None:
    far = value(seeded_url, "SELECT max(b.id) FROM blocks b JOIN grids g ON g.id = b.grid_id "
                "WHERE g.parent_id = %s", COMMUNITY_A)
    rows(seeded_url, "UPDATE blocks SET geom = ST_Translate(geom, 0.02, 0) WHERE id = %s "
         "RETURNING 1", far)  # an exclave: a block 2 km away, its community reaching it
    rows(seeded_url, "UPDATE grids SET geom = ST_Multi(ST_Union(geom, (SELECT ST_Buffer(geom, "
         "0.0005) FROM blocks WHERE id = %s))) WHERE id = %s RETURNING 1", far, COMMUNITY_A)
    plan = new_plan(client, scope=COMMUNITY_A)
    found = problem(client.post(f"/api/plans/{plan.id}/redistrict", json={
        "parent_id": COMMUNITY_A, "k": 4}, headers={**planner(client), "If-Match": plan.etag}),
        422, "units_disconnected")
    assert str(far) in found["detail_en"] and str(far) in found["detail_zh"]


def test_roles(client: TestClient) -> None:
    plan = new_plan(client)
    path, body = f"/api/plans/{plan.id}/redistrict", {"parent_id": COMMUNITY_A, "k": 5}
    for role in ("operator", "patroller"):
        problem(client.post(path, json=body, headers={**login(client, role),
                                                      "If-Match": plan.etag}), 403,
                "role_forbidden")
    problem(client.post(path, json=body, headers={"If-Match": plan.etag}), 401, "no_token")
