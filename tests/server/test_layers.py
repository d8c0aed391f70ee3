"""The GeoJSON layers: grids, stations, households, reports, live workers."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import login
from tests.server.helpers import area_bbox, one


@pytest.fixture
def bbox(seeded_url: str) -> str:
    return area_bbox(seeded_url)


def features(client: TestClient, path: str, role: str = "operator", **params: object) -> list:
    r = client.get(path, params=params, headers=login(client, role))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    body = r.json()
    assert body["type"] == "FeatureCollection"
    return body["features"]


def test_grids_layer_has_every_level_with_ids(client: TestClient, bbox: str,
                                              seeded_url: str) -> None:
    feats = features(client, "/api/grids", bbox=bbox, zoom=15)
    total = one(seeded_url, "SELECT count(*) FROM grids")[0]
    assert len(feats) == total
    levels = {f["properties"]["level"] for f in feats}
    assert {"street", "community", "grid"} <= levels
    for f in feats:
        p = f["properties"]
        assert p["id"] == f["id"] and p["name"] and len(p["label"]) == 2
        assert f["geometry"]["type"] == "MultiPolygon"


def test_grids_filter_by_level_and_kind(client: TestClient, bbox: str) -> None:
    comm = features(client, "/api/grids", bbox=bbox, level="community")
    assert comm and all(f["properties"]["level"] == "community" for f in comm)
    dedicated = features(client, "/api/grids", bbox=bbox, kind="dedicated")
    assert dedicated and all(f["properties"]["dedicated_type"] for f in dedicated)


def _vertices(feats: list) -> int:
    return sum(len(ring) for f in feats for poly in f["geometry"]["coordinates"] for ring in poly)


def test_low_zoom_polygons_are_simplified(client: TestClient, bbox: str) -> None:
    full = features(client, "/api/grids", bbox=bbox, level="street", zoom=18)
    coarse = features(client, "/api/grids", bbox=bbox, level="street", zoom=10)
    assert len(full) == len(coarse)
    assert _vertices(coarse) < _vertices(full)


def test_grid_detail_and_unknown_grid(client: TestClient, seeded_url: str) -> None:
    gid = one(seeded_url, "SELECT id FROM grids WHERE level = 'grid' AND kind = "
                          "'comprehensive' ORDER BY id LIMIT 1")[0]
    h = login(client, "operator")
    f = client.get(f"/api/grids/{gid}", headers=h).json()
    assert f["properties"]["id"] == gid and f["properties"]["head"]["name"]
    assert f["properties"]["households"] > 0
    r = client.get("/api/grids/99999999", headers=h)
    assert r.status_code == 404 and r.json()["code"] == "grid_not_found"
    assert client.get("/api/grids/0", headers=h).status_code == 422
    assert client.get("/api/grids/abc", headers=h).status_code == 422


@pytest.mark.parametrize("bad, code", [
    ("1,2,3", "bbox_malformed"),
    ("a,b,c,d", "bbox_malformed"),
    ("104,30,nan,31", "bbox_not_finite"),
    ("104,30,200,31", "bbox_out_of_range"),
    ("30.6,104.0,30.7,104.1", "bbox_out_of_range"),
    ("104.1,30,104.0,31", "bbox_inverted"),
    ("100,20,110,30", "bbox_too_large"),
])
def test_bad_bbox_is_a_clear_422(client: TestClient, bad: str, code: str) -> None:
    r = client.get("/api/grids", params={"bbox": bad}, headers=login(client, "operator"))
    assert r.status_code == 422
    body = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert body["code"] == code, body
    assert body["detail_zh"] and body["detail_en"]


def test_missing_bbox_and_bad_zoom_and_level(client: TestClient, bbox: str) -> None:
    h = login(client, "operator")
    assert client.get("/api/grids", headers=h).json()["code"] == "bbox_missing"
    for z in ("-1", "23", "1.5", "x"):
        r = client.get("/api/grids", params={"bbox": bbox, "zoom": z}, headers=h)
        assert r.status_code == 422 and r.json()["code"] == "zoom_invalid", z
    r = client.get("/api/grids", params={"bbox": bbox, "level": "planet"}, headers=h)
    assert r.status_code == 422


@pytest.mark.parametrize("path", ["/api/grids", "/api/stations", "/api/households",
                                  "/api/reports", "/api/workers/live"])
def test_layers_need_a_token(client: TestClient, bbox: str, path: str) -> None:
    r = client.get(path, params={"bbox": bbox})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_stations_layer(client: TestClient, bbox: str, seeded_url: str) -> None:
    feats = features(client, "/api/stations", bbox=bbox)
    assert len(feats) == one(seeded_url, "SELECT count(*) FROM stations")[0]
    p = feats[0]["properties"]
    assert p["services"] and p["opening_hours"] and p["grid_id"]


def test_households_are_counts_when_zoomed_out(client: TestClient, bbox: str,
                                               seeded_url: str) -> None:
    feats = features(client, "/api/households", bbox=bbox, zoom=13)
    total = one(seeded_url, "SELECT count(*) FROM households")[0]
    assert all(f["properties"]["cluster"] for f in feats)
    assert sum(f["properties"]["count"] for f in feats) == total
    assert all("address" not in f["properties"] for f in feats)
    assert sum(sum(f["properties"]["colors"].values()) for f in feats) == total


def test_households_are_masked_points_when_zoomed_in(client: TestClient, bbox: str,
                                                     seeded_url: str) -> None:
    feats = features(client, "/api/households", bbox=bbox, zoom=18)
    assert len(feats) == one(seeded_url, "SELECT count(*) FROM households")[0]
    p = feats[0]["properties"]
    assert not p["cluster"] and p["care_color"] and p["address"].endswith("**")
    assert "head_name" not in p and "phone" not in p
    full = one(seeded_url, "SELECT address FROM households WHERE id = %s", p["id"])[0]
    assert full != p["address"]


def test_field_roles_see_only_their_own_grids_households(client: TestClient, bbox: str,
                                                          seeded_url: str) -> None:
    feats = features(client, "/api/households", role="patroller", bbox=bbox, zoom=18)
    me = client.get("/api/me", headers=login(client, "patroller")).json()
    assert feats and {f["properties"]["grid_id"] for f in feats} <= set(me["grid_ids"])
    assert len(feats) < one(seeded_url, "SELECT count(*) FROM households")[0]


def test_households_forbidden_to_department_staff(client: TestClient, bbox: str) -> None:
    r = client.get("/api/households", params={"bbox": bbox},
                   headers=login(client, "dept_staff"))
    assert r.status_code == 403 and r.json()["code"] == "households_forbidden"


def test_planner_gets_counts_even_zoomed_in(client: TestClient, bbox: str) -> None:
    feats = features(client, "/api/households", role="planner", bbox=bbox, zoom=19)
    assert feats and all(f["properties"]["cluster"] for f in feats)


def test_reports_layer_filters_by_status(client: TestClient, bbox: str,
                                         seeded_url: str) -> None:
    every = features(client, "/api/reports", bbox=bbox)
    assert len(every) == one(seeded_url, "SELECT count(*) FROM reports")[0]
    archived = features(client, "/api/reports", bbox=bbox, status="archived")
    assert archived and all(f["properties"]["status"] == "archived" for f in archived)
    assert len(archived) < len(every)
    p = every[0]["properties"]
    assert p["category_name"] and p["created_at"] and "reporter_phone" not in p
    r = client.get("/api/reports", params={"bbox": bbox, "status": "lost"},
                   headers=login(client, "operator"))
    assert r.status_code == 422 and "lost" in r.json()["detail_en"]


def test_workers_live_layer_and_scope(client: TestClient, bbox: str, seeded_url: str) -> None:
    every = features(client, "/api/workers/live", bbox=bbox)
    assert len(every) == one(seeded_url, "SELECT count(*) FROM worker_state")[0]
    p = every[0]["properties"]
    assert {"id", "name", "role", "grid_id", "status", "device_id"} <= set(p)
    mine = features(client, "/api/workers/live", role="patroller", bbox=bbox)
    assert 0 < len(mine) < len(every)
    r = client.get("/api/workers/live", params={"bbox": bbox},
                   headers=login(client, "dept_staff"))
    assert r.status_code == 403


def test_meta_and_health(client: TestClient, seeded_url: str) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    meta = client.get("/api/meta").json()
    assert meta["synthetic"] is True
    lon, lat = meta["center"]
    min_lon, min_lat, max_lon, max_lat = meta["bbox"]
    assert min_lon < lon < max_lon and min_lat < lat < max_lat
    assert meta["counts"]["households"] == one(seeded_url, "SELECT count(*) FROM households")[0]
    assert 10 <= meta["zoom"] <= 17


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/grids" in spec["paths"] and "/tiles/{layer}/{z}/{x}/{y}.mvt" in spec["paths"]
    assert client.get("/docs").status_code == 200
