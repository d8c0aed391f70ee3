"""Every version kept: the map as of any time, a grid's history, and a retired grid gone
from every view of the current map while its closed reports keep it."""

from datetime import UTC, datetime, timedelta

import mapbox_vector_tile
from fastapi.testclient import TestClient
from shapely.geometry import shape

from geo.tiles import lonlat_to_tile
from server.planning.schemas import GridVersionOut
from tests.conftest import login
from tests.server.helpers import area_bbox
from tests.server.planning import edit, geom_of, new_plan, planner, problem, rows, value
from tests.server.test_planning_publish import merged_plan, publish


def as_of(client: TestClient, bbox: str, at: datetime, **params: str) -> dict[int, dict]:
    r = client.get("/api/grids/asof", params={"bbox": bbox, "at": at.isoformat(), **params},
                   headers=login(client, "operator"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json", r.text
    return {f["properties"]["id"]: f for f in r.json()["features"]}


def test_the_map_as_of_before_and_after_a_publish(client: TestClient, seeded_url: str) -> None:
    bbox = area_bbox(seeded_url)
    old_4, old_5 = geom_of(seeded_url, 4), geom_of(seeded_url, 5)
    plan_id, etag = merged_plan(client)
    before = datetime.now(UTC)
    out = publish(client, plan_id, etag)
    after = datetime.now(UTC) + timedelta(seconds=1)
    then, now = as_of(client, bbox, before), as_of(client, bbox, after)
    assert 5 in then and 5 not in now and len(then) == len(now) + 1
    near = 2e-6  # the layer rounds to 6 decimals, as /api/grids does
    assert shape(then[4]["geometry"]).hausdorff_distance(old_4) < near
    merged = shape(now[4]["geometry"])
    assert merged.hausdorff_distance(old_4.union(old_5)) < near
    assert merged.hausdorff_distance(old_4) > 100 * near
    props = now[4]["properties"]
    assert props["version"] == 2 and props["valid_to"] is None
    assert datetime.fromisoformat(props["valid_from"]) == out.plan.effective_at
    assert then[4]["properties"]["valid_from"] is None  # there from the start
    assert {"id", "code", "name", "name_en", "level", "kind", "dedicated_type", "parent_id",
            "label", "version", "valid_from", "valid_to"} == set(props)
    grids_only = as_of(client, bbox, before, level="grid", kind="dedicated")
    assert set(grids_only) == {16, 17}
    problem(client.get("/api/grids/asof", params={"bbox": bbox},
                       headers=login(client, "operator")), 422, "invalid_input")
    problem(client.get("/api/grids/asof", params={"bbox": bbox, "at": before.isoformat()}),
            401, "no_token")


def test_a_grid_history(client: TestClient, seeded_url: str) -> None:
    plan_id, etag = merged_plan(client)
    publish(client, plan_id, etag)
    h = login(client, "patroller")
    kept = [GridVersionOut.model_validate(v) for v in
            client.get("/api/grids/4/history", headers=h).json()]
    assert [(v.version, v.plan_id) for v in kept] == [(1, None), (2, plan_id)]
    assert kept[0].valid_from is None and kept[0].valid_to == kept[1].valid_from
    assert kept[1].valid_to is None
    retired = [GridVersionOut.model_validate(v) for v in
               client.get("/api/grids/5/history", headers=h).json()]
    assert len(retired) == 1 and retired[0].valid_to == kept[1].valid_from
    problem(client.get("/api/grids/99999/history", headers=h), 404, "grid_not_found")


def test_a_retired_grid_is_on_no_view_of_the_current_map(client: TestClient,
                                                         seeded_url: str) -> None:
    bbox = area_bbox(seeded_url)
    inside = geom_of(seeded_url, 5).representative_point()
    closed = value(seeded_url, "SELECT id FROM reports WHERE grid_id = 5 AND status IN "
                   "('rejected', 'merged', 'archived') ORDER BY id LIMIT 1")
    grids_before = client.get("/api/meta").json()["counts"]["grids"]
    plan_id, etag = merged_plan(client)
    publish(client, plan_id, etag)
    op = login(client, "operator")

    layer = client.get("/api/grids", params={"bbox": bbox}, headers=op).json()["features"]
    assert 5 not in {f["properties"]["id"] for f in layer} and 4 in {
        f["properties"]["id"] for f in layer}
    assert client.get("/api/meta").json()["counts"]["grids"] == grids_before - 1
    z, x, y = (17, *lonlat_to_tile(inside.x, inside.y, 17))
    tile = mapbox_vector_tile.decode(client.get(f"/tiles/grids/{z}/{x}/{y}.mvt").content)
    assert 5 not in {f["properties"]["id"] for f in tile["grids"]["features"]}
    assert client.get("/ogc/collections/grids/items/5").status_code == 404
    ogc = client.get("/ogc/collections/grids/items", params={"limit": 1000}).json()
    assert 5 not in {f["id"] for f in ogc["features"]}
    figures = client.get("/api/figures", params={"level": "grid"}, headers=op).json()
    assert 5 not in {f["id"] for f in figures} and 4 in {f["id"] for f in figures}
    coverage = client.get("/api/coverage", headers=op).json()["grids"]
    assert 5 not in {g["grid_id"] for g in coverage}
    cov_layer = client.get("/api/coverage/layer", params={"bbox": bbox}, headers=op).json()
    assert 5 not in {f["properties"]["id"] for f in cov_layer["features"]}
    overdue = client.get("/api/visits/overdue", headers=op).json()
    assert 5 not in {g["grid_id"] for g in overdue}
    report = client.post("/api/reports", json={"category": "environment", "description": "路灯不亮",
                                               "lon": inside.x, "lat": inside.y}).json()
    assert report["grid_id"] in (4, 17)  # located on the current map
    detail = client.get(f"/api/reports/{closed}", headers=op).json()
    assert detail["grid_id"] == 5 and detail["grid_name"]  # a closed report keeps its grid
    assert client.get("/api/grids/5", headers=op).status_code == 200  # still readable by id
    me = client.get("/api/me", headers=login(client, "patroller")).json()
    assert 5 not in me["grid_ids"]


def test_versions_by_plain_updates_and_inserts_are_kept_too(seeded_url: str) -> None:
    """The trigger keeps history whoever writes: a plain UPDATE dates a version now()."""
    import psycopg

    with psycopg.connect(seeded_url) as c:
        c.execute("UPDATE grids SET name = name || '（改）' WHERE id = 6")
        c.execute("UPDATE grids SET created_at = now() WHERE id = 7")  # not a version
    assert rows(seeded_url, "SELECT version, valid_to IS NULL FROM grid_versions "
                "WHERE grid_id = 6 ORDER BY version") == [(1, False), (2, True)]
    assert rows(seeded_url, "SELECT version FROM grid_versions WHERE grid_id = 7") == [(1,)]
    assert value(seeded_url, "SELECT version FROM grids WHERE id = 6") == 2


def test_a_published_plan_cannot_be_edited(client: TestClient) -> None:
    plan = new_plan(client)
    out = edit(client, "PUT", f"/api/plans/{plan.id}/grids/6", plan.etag, {"name": "六"})
    done = publish(client, plan.id, out.plan.etag)
    assert done.grids_changed == 1 and done.households_moved == 0
    problem(client.put(f"/api/plans/{plan.id}/grids/6", json={"name": "七"},
                       headers={**planner(client), "If-Match": done.plan.etag}),
            409, "plan_not_draft")
