"""Editing a draft: split, merge, reshape, new dedicated grids, attributes, retire; the
check after each edit, and the whole check showing the coverage stays exact."""

import shapely
from fastapi.testclient import TestClient
from shapely.affinity import translate

from tests.server.planning import (
    across,
    check,
    draft_geom,
    edit,
    geom_of,
    new_plan,
    planner,
    polygon_json,
    problem,
    rows,
)


def test_split_keeps_the_coverage_exact(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    before = geom_of(seeded_url, 15)
    out = edit(client, "POST", f"/api/plans/{plan.id}/split", plan.etag,
               {"key": "15", "line": across(before)})
    assert out.changed[0] == "15" and out.changed[1:] == ["n1"] and out.check.ok
    assert out.plan.counts.change == 1 and out.plan.counts.new == 1
    kept, piece = draft_geom(seeded_url, plan.id, "15"), draft_geom(seeded_url, plan.id, "n1")
    assert kept.area >= piece.area
    assert shapely.union_all([kept, piece]).symmetric_difference(before).area < 1e-12
    assert kept.intersection(piece).area < 1e-12
    code, name = rows(seeded_url, "SELECT code, name FROM grids WHERE id = 15")[0]
    assert rows(seeded_url, "SELECT code, name, kind, parent_id, grid_id FROM plan_grids "
                "WHERE plan_id = %s AND key = 'n1'", plan.id) == [
        (f"{code}-2", f"{name}-2", "comprehensive", 3, None)]
    whole = check(client, plan.id)
    assert whole.ok and whole.errors == 0, whole.violations


def test_merge_keeps_the_coverage_exact(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    a, b = geom_of(seeded_url, 4), geom_of(seeded_url, 5)
    out = edit(client, "POST", f"/api/plans/{plan.id}/merge", plan.etag, {"keys": ["4", "5"]})
    assert out.changed == ["4", "5"] and out.check.ok
    assert out.plan.counts.change == 1 and out.plan.counts.retire == 1
    merged = draft_geom(seeded_url, plan.id, "4")
    assert merged.symmetric_difference(a.union(b)).area < 1e-12
    assert check(client, plan.id).ok
    r = client.get(f"/api/plans/{plan.id}/grids", headers=planner(client))
    actions = {f["properties"]["key"]: f["properties"]["action"] for f in r.json()["features"]}
    assert actions["4"] == "change" and actions["5"] == "retire"


def test_split_then_merge_back(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    first = edit(client, "POST", f"/api/plans/{plan.id}/split", plan.etag,
                 {"key": "9", "line": across(geom_of(seeded_url, 9))})
    back = edit(client, "POST", f"/api/plans/{plan.id}/merge", first.plan.etag,
                {"keys": ["9", *first.changed[1:]]})
    assert back.check.ok and back.plan.counts.new == 0  # a new piece merged away is dropped
    assert draft_geom(seeded_url, plan.id, "9").symmetric_difference(
        geom_of(seeded_url, 9)).area < 1e-12
    assert check(client, plan.id).ok


def test_merge_refuses_grids_that_are_not_neighbours(client: TestClient) -> None:
    plan = new_plan(client)
    h = {**planner(client), "If-Match": plan.etag}
    problem(client.post(f"/api/plans/{plan.id}/merge", json={"keys": ["4", "9"]}, headers=h),
            422, "merge_not_adjacent")
    problem(client.post(f"/api/plans/{plan.id}/merge", json={"keys": ["4", "10"]}, headers=h),
            422, "merge_parents")
    problem(client.post(f"/api/plans/{plan.id}/merge", json={"keys": ["4", "17"]}, headers=h),
            422, "merge_kinds")
    problem(client.post(f"/api/plans/{plan.id}/merge", json={"keys": ["4", "4"]}, headers=h),
            422, "merge_duplicate")


def test_a_line_that_does_not_cut_is_refused_naming_why(client: TestClient,
                                                        seeded_url: str) -> None:
    plan = new_plan(client)
    west, south, east, north = geom_of(seeded_url, 15).bounds
    line = {"type": "LineString", "coordinates": [[west - 0.001, south - 0.001],
                                                  [west - 0.0005, south - 0.001]]}
    body = problem(client.post(f"/api/plans/{plan.id}/split", json={"key": "15", "line": line},
                               headers={**planner(client), "If-Match": plan.etag}),
                   422, "split_line_not_crossing")
    assert "divides nothing" in body["detail_en"] and body["field"] == "line"
    point = {"type": "Point", "coordinates": [west, south]}
    problem(client.post(f"/api/plans/{plan.id}/split", json={"key": "15", "line": point},
                        headers={**planner(client), "If-Match": plan.etag}),
            422, "split_line_type")


def test_a_new_dedicated_grid(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    centre = geom_of(seeded_url, 10).representative_point()
    half = 0.0003
    school = shapely.box(centre.x - half, centre.y - half, centre.x + half, centre.y + half)
    body = {"geometry": polygon_json(school), "kind": "dedicated", "dedicated_type": "school",
            "code": "510104001002902", "name": "新学校专属网格", "parent_id": 3}
    out = edit(client, "POST", f"/api/plans/{plan.id}/grids", plan.etag, body, status=201)
    assert out.changed == ["n1"] and out.check.ok and out.plan.counts.new == 1
    h = {**planner(client), "If-Match": out.plan.etag}
    again = client.post(f"/api/plans/{plan.id}/grids", json=body, headers=h)
    problem(again, 409, "code_taken")
    problem(client.post(f"/api/plans/{plan.id}/grids", json={**body, "code": "x1",
                                                             "dedicated_type": None},
                        headers=h), 422, "dedicated_type")
    problem(client.post(f"/api/plans/{plan.id}/grids", json={**body, "code": "x2",
                                                             "parent_id": 1},
                        headers=h), 422, "parent_out_of_scope")
    assert check(client, plan.id).ok


def test_attributes_and_people(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    worker = rows(seeded_url, "SELECT id FROM workers WHERE role = 'grid_worker' "
                  "ORDER BY id LIMIT 1")[0][0]
    out = edit(client, "PUT", f"/api/plans/{plan.id}/grids/6", plan.etag,
               {"name": "新名", "name_en": "New name", "head_worker_id": worker,
                "worker_ids": [worker]})
    assert out.changed == ["6"] and out.check.ok
    assert rows(seeded_url, "SELECT name, name_en, head_worker_id, worker_ids, action FROM "
                "plan_grids WHERE plan_id = %s AND key = '6'", plan.id) == [
        ("新名", "New name", worker, [worker], "change")]
    h = {**planner(client), "If-Match": out.plan.etag}
    problem(client.put(f"/api/plans/{plan.id}/grids/6", json={"head_worker_id": 99999},
                       headers=h), 422, "worker_not_found")
    code = rows(seeded_url, "SELECT code FROM grids WHERE id = 7")[0][0]
    problem(client.put(f"/api/plans/{plan.id}/grids/6", json={"code": code}, headers=h),
            409, "code_taken")
    problem(client.put(f"/api/plans/{plan.id}/grids/n9", json={"name": "x"}, headers=h),
            404, "plan_grid_not_found")


def test_moving_a_shared_edge_keeps_neighbours_exact(client: TestClient,
                                                     seeded_url: str) -> None:
    """Grow grid 4 over part of 5 and shrink 5 to match: the edit check is clean."""
    plan = new_plan(client)
    a, b = geom_of(seeded_url, 4), geom_of(seeded_url, 5)
    bite = shapely.buffer(a.intersection(b), 0.0002).intersection(b)
    grown, shrunk = a.union(bite), b.difference(bite)
    first = edit(client, "PUT", f"/api/plans/{plan.id}/grids/4", plan.etag,
                 {"geometry": polygon_json(grown)})
    assert not first.check.ok  # 4 now overlaps 5
    assert "overlap" in {f["properties"]["code"] for f in first.check.violations["features"]}
    second = edit(client, "PUT", f"/api/plans/{plan.id}/grids/5", first.plan.etag,
                  {"geometry": polygon_json(shrunk)})
    assert second.check.ok, second.check.violations
    assert check(client, plan.id).ok


def test_an_overlap_with_a_neighbour_is_reported_with_its_spot(client: TestClient,
                                                               seeded_url: str) -> None:
    plan = new_plan(client)
    moved = translate(geom_of(seeded_url, 12), xoff=0.0004)  # about 40 m east
    out = edit(client, "PUT", f"/api/plans/{plan.id}/grids/12", plan.etag,
               {"geometry": polygon_json(moved)})
    assert not out.check.ok
    found = {f["properties"]["code"]: f for f in out.check.violations["features"]}
    assert {"overlap", "gap"} <= set(found)
    overlap = found["overlap"]
    assert overlap["geometry"] and overlap["properties"]["grid"] == "12"
    assert overlap["properties"]["other"] in {"11", "13", "14", "15"}
    assert "overlaps" in overlap["properties"]["message_en"]
    whole = check(client, plan.id)
    assert not whole.ok and whole.errors >= 2


def test_retiring_a_comprehensive_grid_leaves_a_gap_the_check_reports(
        client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    out = edit(client, "DELETE", f"/api/plans/{plan.id}/grids/13", plan.etag)
    assert out.changed == ["13"] and out.plan.counts.retire == 1
    codes = {f["properties"]["code"] for f in out.check.violations["features"]}
    assert "gap" in codes and "household_orphaned" in codes
    dedicated = edit(client, "DELETE", f"/api/plans/{plan.id}/grids/16", out.plan.etag)
    assert "16" in dedicated.changed
    problem(client.delete(f"/api/plans/{plan.id}/grids/16",
                          headers={**planner(client), "If-Match": dedicated.plan.etag}),
            409, "grid_retired")
