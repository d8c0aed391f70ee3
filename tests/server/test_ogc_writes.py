"""OGC API – Features Part 4 on grids: a GIS client creates, replaces, updates and retires
grids with If-Match; every write is a one-change plan, checked and published at once, and a
refused one changes nothing on the map (its draft is kept, discarded)."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import shapely
from fastapi.testclient import TestClient
from httpx import Response
from shapely.geometry import mapping

from server.interop.ogc.schemas import CONFORMS_TO, PART4, Feature
from server.planning import publish as publishing
from server.planning.schemas import GridVersionOut
from tests.conftest import LiveServer, login
from tests.server.helpers import area_bbox
from tests.server.planning import COMMUNITY_A, geom_of, planner, rows, value

ITEMS = "/ogc/collections/grids/items"
GEOJSON = "application/geo+json"


def item(client: TestClient, grid_id: int) -> tuple[dict[str, Any], str]:
    """GET one grid as a GIS client does: the feature and its ETag."""
    r = client.get(f"{ITEMS}/{grid_id}")
    assert r.status_code == 200, r.text
    return r.json(), r.headers["etag"]


def send(client: TestClient, method: str, path: str, body: Any = None, *,
         etag: str | None = None, role: str | None = "planner",
         content_type: str = GEOJSON) -> Response:
    headers = {"Content-Type": content_type, **(login(client, role) if role else {})}
    if etag:
        headers["If-Match"] = etag
    content = None if body is None else (body if isinstance(body, str | bytes)
                                         else json.dumps(body))
    return client.request(method, path, content=content, headers=headers)


def refused(r: Response, status: int, code: str) -> dict[str, Any]:
    """A problem+json answer in the OGC form with the status and code."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = r.json()
    assert body["code"] == code, body
    assert body["detail_zh"] and body["detail_en"] and body["description"]
    return body


def feature(geom: shapely.Geometry, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": mapping(geom), "properties": props}


def market_box(url: str) -> shapely.Geometry:
    """A small box inside grid 6 (community 2) and away from the dedicated grid 17."""
    spot = geom_of(url, 6).representative_point()
    box = shapely.box(spot.x - 0.0003, spot.y - 0.0003, spot.x + 0.0003, spot.y + 0.0003)
    assert geom_of(url, 6).contains(box) and not geom_of(url, 17).intersects(box)
    return box


def codes(body: dict[str, Any]) -> set[str]:
    return {f["properties"]["code"] for f in body["violations"]["features"]}


def test_create_a_dedicated_grid_publishes_it(client: TestClient, seeded_url: str) -> None:
    body = feature(market_box(seeded_url), code="M-9", name="新市场", name_en="New market",
                   kind="dedicated", dedicated_type="market", parent_id=COMMUNITY_A)
    r = send(client, "POST", ITEMS, body)
    assert r.status_code == 201, r.text
    made = Feature.model_validate(r.json())
    assert r.headers["location"] == f"http://testserver{ITEMS}/{made.id}"
    assert made.properties | {"id": made.id} == {
        "id": made.id, "code": "M-9", "name": "新市场", "name_en": "New market",
        "level": "grid", "kind": "dedicated", "dedicated_type": "market",
        "parent_id": COMMUNITY_A}
    got, tag = item(client, made.id)
    assert tag == r.headers["etag"] and got["geometry"] == made.geometry
    layer = client.get("/api/grids", params={"bbox": area_bbox(seeded_url)},
                       headers=login(client, "operator")).json()["features"]
    assert made.id in {f["properties"]["id"] for f in layer}
    plan_id, status, name = rows(seeded_url, "SELECT p.id, p.status, p.name FROM grid_versions v "
                                 "JOIN plans p ON p.id = v.plan_id WHERE v.grid_id = %s",
                                 made.id)[0]
    assert status == "published" and name.startswith("OGC: ")
    history = [GridVersionOut.model_validate(v) for v in client.get(
        f"/api/grids/{made.id}/history", headers=planner(client)).json()]
    assert [(v.version, v.plan_id, v.valid_to) for v in history] == [(1, plan_id, None)]
    event = rows(seeded_url, "SELECT payload FROM events WHERE topic = 'grids' "
                 "AND kind = 'published'")
    assert [e[0]["plan_id"] for e in event] == [plan_id]


def test_a_new_grid_that_overlaps_is_refused_and_stores_nothing(client: TestClient,
                                                                seeded_url: str) -> None:
    grids = value(seeded_url, "SELECT count(*) FROM grids")
    over_17 = geom_of(seeded_url, 17).buffer(-0.00005)  # on top of the dedicated grid 17
    body = feature(over_17, code="M-9", name="重叠", dedicated_type="school",
                   parent_id=COMMUNITY_A)
    answer = refused(send(client, "POST", ITEMS, body), 422, "overlap")
    assert "overlap" in codes(answer) and "n1" in answer["detail_en"]
    spot = answer["violations"]["features"][0]
    assert spot["geometry"] and spot["properties"]["message_zh"]
    assert value(seeded_url, "SELECT count(*) FROM grids") == grids
    assert rows(seeded_url, "SELECT status FROM plans WHERE id = %s",
                answer["plan_id"]) == [("discarded",)]


def test_patch_a_name_with_the_etag(client: TestClient, seeded_url: str) -> None:
    _, tag = item(client, 7)
    r = send(client, "PATCH", f"{ITEMS}/7", {"properties": {"name": "七号网格"}}, etag=tag,
             content_type="application/merge-patch+json")
    assert r.status_code == 200, r.text
    assert r.json()["properties"]["name"] == "七号网格" and r.headers["etag"] != tag
    assert item(client, 7)[1] == r.headers["etag"]
    assert rows(seeded_url, "SELECT version, name FROM grids WHERE id = 7") == [(2, "七号网格")]
    # the tag it was made from is stale now: nothing of the second writer is stored
    stale = refused(send(client, "PATCH", f"{ITEMS}/7", {"properties": {"name": "x"}},
                         etag=tag, content_type="application/json"), 412, "stale_etag")
    assert stale["field"] == "If-Match"
    assert value(seeded_url, "SELECT name FROM grids WHERE id = 7") == "七号网格"
    cleared = send(client, "PATCH", f"{ITEMS}/7", {"properties": {"name_en": None}},
                   etag=r.headers["etag"], content_type="application/merge-patch+json")
    assert cleared.status_code == 200 and cleared.json()["properties"]["name_en"] is None
    plans = value(seeded_url, "SELECT count(*) FROM plans")
    same = send(client, "PATCH", f"{ITEMS}/7", {"properties": {"name": "七号网格"}},
                etag=cleared.headers["etag"])
    assert same.status_code == 200 and same.headers["etag"] == cleared.headers["etag"]
    assert value(seeded_url, "SELECT count(*) FROM plans") == plans  # nothing to publish


def test_stale_etag_is_412_with_the_current_one(client: TestClient, seeded_url: str) -> None:
    got, tag = item(client, 8)
    stale = send(client, "PUT", f"{ITEMS}/8", got, etag='"0123456789abcdef"')
    refused(stale, 412, "stale_etag")
    assert stale.headers["etag"] == tag
    assert value(seeded_url, "SELECT version FROM grids WHERE id = 8") == 1


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_missing_if_match_is_428(client: TestClient, method: str) -> None:
    got, _ = item(client, 16)
    answer = refused(send(client, method, f"{ITEMS}/16", got), 428, "if_match_required")
    assert "If-Match" in answer["detail_en"]


@pytest.mark.parametrize("method,path", [("POST", ITEMS), ("PUT", f"{ITEMS}/16"),
                                         ("PATCH", f"{ITEMS}/16"), ("DELETE", f"{ITEMS}/16")])
def test_only_planners_and_admins_write(client: TestClient, method: str, path: str) -> None:
    got, tag = item(client, 16)
    anonymous = send(client, method, path, got, etag=tag, role=None)
    refused(anonymous, 401, "no_token")
    assert anonymous.headers["www-authenticate"] == "Bearer"
    refused(send(client, method, path, got, etag=tag, role="operator"), 403, "role_forbidden")
    assert item(client, 16)[1] == tag


def test_concurrent_writes_with_one_etag_one_wins(live_server: LiveServer) -> None:
    """Four desks PATCH grid 7 and four grid 16, each from the version they read."""
    base, token = live_server.base, live_server.token("planner")
    tags = {g: httpx.get(f"{base}{ITEMS}/{g}").headers["etag"] for g in (7, 16)}

    async def all_writes() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=base, timeout=60) as c:
            return await asyncio.gather(*(
                c.patch(f"{ITEMS}/{g}", json={"properties": {"name": f"并发{i}"}},
                        headers={"Authorization": f"Bearer {token}", "If-Match": tags[g]})
                for i in range(4) for g in (7, 16)))

    with ThreadPoolExecutor(1) as pool:
        answers = pool.submit(asyncio.run, all_writes()).result()
    assert sorted(r.status_code for r in answers) == [200] * 2 + [412] * 6, [
        r.text for r in answers]
    assert rows(live_server.db_url, "SELECT id, version FROM grids WHERE id IN (7, 16) "
                "ORDER BY id") == [(7, 2), (16, 2)]
    assert rows(live_server.db_url, "SELECT status, count(*) FROM plans GROUP BY 1") == [
        ("published", 2)]


def test_what_qgis_does_get_then_put_with_if_match(client: TestClient,
                                                   seeded_url: str) -> None:
    """GET the item, change the shape, PUT the whole feature back as QGIS writes it."""
    got, tag = item(client, 16)
    smaller = geom_of(seeded_url, 16).buffer(-0.0001, join_style="mitre")
    sent = {"type": "Feature", "id": "16",  # QGIS sends the id as a string, every field too
            "geometry": {"type": "MultiPolygon", "coordinates": [mapping(smaller)["coordinates"]]},
            "properties": {**got["properties"], "name": "医院专属网格"}}
    r = send(client, "PUT", f"{ITEMS}/16", sent, etag=tag)
    assert r.status_code == 200, r.text
    again, new_tag = item(client, 16)
    assert new_tag == r.headers["etag"] != tag and again["properties"]["name"] == "医院专属网格"
    stored = shapely.geometry.shape(again["geometry"])
    assert stored.hausdorff_distance(smaller) < 4e-5  # snapped within 3 m of its community
    assert rows(seeded_url, "SELECT version FROM grids WHERE id = 16") == [(2,)]
    anything = send(client, "PATCH", f"{ITEMS}/16", {"properties": {"code": "D-16"}}, etag="*")
    assert anything.status_code == 200 and anything.json()["properties"]["code"] == "D-16"


@pytest.mark.parametrize("change", ["overlap", "gap"])
def test_a_replace_that_breaks_the_tiling_changes_nothing(client: TestClient, seeded_url: str,
                                                          change: str) -> None:
    """Grid 4 grown into 5 overlaps it; 13 shrunk by 20 m leaves a gap: both 422."""
    a, b = geom_of(seeded_url, 4), geom_of(seeded_url, 5)
    bite = shapely.buffer(a.intersection(b), 0.0002).intersection(b)
    grid_id, shape = (4, a.union(bite)) if change == "overlap" else (
        13, geom_of(seeded_url, 13).buffer(-0.0002, join_style="mitre"))
    got, tag = item(client, grid_id)
    r = send(client, "PUT", f"{ITEMS}/{grid_id}", {**got, "geometry": mapping(shape)}, etag=tag)
    answer = refused(r, 422, r.json().get("code", "?"))
    assert answer["code"] in codes(answer) and change in codes(answer)
    found = next(f for f in answer["violations"]["features"]
                 if f["properties"]["code"] == change)
    assert found["geometry"] and " near 104." in found["properties"]["message_en"]
    assert answer["detail_en"].startswith("Nothing was saved: the check found")
    assert item(client, grid_id)[1] == tag
    assert value(seeded_url, "SELECT max(version) FROM grids") == 1
    assert rows(seeded_url, "SELECT status FROM plans") == [("discarded",)]


def test_delete_a_dedicated_grid_keeps_its_history(client: TestClient, seeded_url: str) -> None:
    _, tag = item(client, 16)
    r = send(client, "DELETE", f"{ITEMS}/16", etag=tag)
    assert r.status_code == 204, r.text
    refused(client.get(f"{ITEMS}/16"), 404, "feature_not_found")
    listed = client.get(ITEMS, params={"limit": 1000}).json()["features"]
    assert 16 not in {f["id"] for f in listed}
    history = client.get("/api/grids/16/history", headers=planner(client)).json()
    assert len(history) == 1 and history[0]["valid_to"] is not None
    assert value(seeded_url, "SELECT retired_at IS NOT NULL FROM grids WHERE id = 16")


def test_delete_a_comprehensive_grid_that_leaves_a_gap_is_422(client: TestClient,
                                                              seeded_url: str) -> None:
    _, tag = item(client, 13)
    r = send(client, "DELETE", f"{ITEMS}/13", etag=tag)
    answer = refused(r, 422, r.json().get("code", "?"))
    assert answer["code"] in codes(answer) and {"gap", "household_orphaned"} <= codes(answer)
    assert client.get(f"{ITEMS}/13").headers["etag"] == tag
    assert value(seeded_url, "SELECT retired_at FROM grids WHERE id = 13") is None
    assert rows(seeded_url, "SELECT status FROM plans") == [("discarded",)]


def test_a_failure_midway_leaves_nothing(client: TestClient, seeded_url: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The streets of the retired grid cannot be cut again: no plan, no change, no event."""
    async def broken(*args: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(publishing, "_refresh", broken)
    _, tag = item(client, 16)
    with pytest.raises(RuntimeError):
        send(client, "DELETE", f"{ITEMS}/16", etag=tag)
    assert item(client, 16)[1] == tag
    assert value(seeded_url, "SELECT count(*) FROM plans") == 0
    assert value(seeded_url, "SELECT count(*) FROM events WHERE topic = 'grids'") == 0


def _bad(x: float, y: float) -> dict[str, tuple[Any, str, int, str]]:
    """Bad bodies near (x, y): (body, content type, status, code)."""
    ring = [[x, y], [x + 0.0004, y], [x + 0.0004, y + 0.0004], [x, y + 0.0004], [x, y]]
    bowtie = [[x, y], [x + 0.0004, y + 0.0004], [x + 0.0004, y], [x, y + 0.0004], [x, y]]
    props = {"code": "B-1", "name": "坏", "dedicated_type": "school", "parent_id": COMMUNITY_A}

    def poly(coords: list) -> dict[str, Any]:
        return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [coords]},
                "properties": props}

    return {
        "not json": ("{\"type\": \"Feature\",", GEOJSON, 400, "malformed_json"),
        "collection": ({"type": "FeatureCollection", "features": []}, GEOJSON, 422,
                       "not_a_feature"),
        "point": ({**poly(ring), "geometry": {"type": "Point", "coordinates": [x, y]}},
                  GEOJSON, 422, "geometry_type"),
        "self-intersecting": (poly(bowtie), GEOJSON, 422, "invalid_geometry"),
        "swapped": (poly([[b, a] for a, b in ring]), GEOJSON, 422, "swapped_lat_lon"),
        "no geometry": ({**poly(ring), "geometry": None}, GEOJSON, 422, "geometry_required"),
        "unknown property": ({**poly(ring), "properties": {**props, "head": "张三"}}, GEOJSON,
                             422, "unknown_property"),
        "no type": ({**poly(ring), "properties": {**props, "dedicated_type": None}}, GEOJSON,
                    422, "dedicated_type"),
        "street parent": ({**poly(ring), "properties": {**props, "parent_id": 1}}, GEOJSON,
                          422, "parent_not_community"),
        "plain text": (poly(ring), "text/plain", 415, "unsupported_media_type"),
    }


@pytest.mark.parametrize("case", list(_bad(0, 0)))
def test_bad_bodies_name_the_problem_and_store_nothing(client: TestClient, seeded_url: str,
                                                       case: str) -> None:
    spot = geom_of(seeded_url, 6).representative_point()
    body, content_type, status, code = _bad(spot.x, spot.y)[case]
    answer = refused(send(client, "POST", ITEMS, body, content_type=content_type), status, code)
    if status == 422 and code not in ("not_a_feature", "unknown_property"):
        assert answer["field"]
    if code == "invalid_geometry":
        assert answer["violations"]["features"][0]["geometry"]["type"] == "Point"
        assert "Self-intersection at [" in answer["detail_en"]
    assert value(seeded_url, "SELECT count(*) FROM plans") == 0
    assert value(seeded_url, "SELECT count(*) FROM grids WHERE code = 'B-1'") == 0


def test_properties_that_cannot_change_here(client: TestClient, seeded_url: str) -> None:
    got, tag = item(client, 9)
    for name, other in (("kind", "dedicated"), ("parent_id", 3), ("level", "micro")):
        body = {**got, "properties": {**got["properties"], name: other}}
        answer = refused(send(client, "PUT", f"{ITEMS}/9", body, etag=tag), 422,
                         "read_only_property")
        assert answer["field"] == f"properties.{name}"
    refused(send(client, "PUT", f"{ITEMS}/9", {**got, "id": 10}, etag=tag), 422, "id_mismatch")
    community, community_tag = item(client, COMMUNITY_A)
    refused(send(client, "PATCH", f"{ITEMS}/{COMMUNITY_A}", {"properties": {"name": "x"}},
                 etag=community_tag), 422, "level_read_only")
    taken = value(seeded_url, "SELECT code FROM grids WHERE id = 10")
    refused(send(client, "PATCH", f"{ITEMS}/9", {"properties": {"code": taken}}, etag=tag),
            409, "code_taken")
    refused(send(client, "PATCH", f"{ITEMS}/999999", {"properties": {"name": "x"}}, etag=tag),
            404, "feature_not_found")
    assert item(client, 9)[1] == tag and value(seeded_url, "SELECT count(*) FROM plans") == 0


def test_only_crs84_content(client: TestClient, seeded_url: str) -> None:
    body = feature(market_box(seeded_url), code="M-8", name="市场", dedicated_type="market",
                   parent_id=COMMUNITY_A)
    headers = {**planner(client), "Content-Type": GEOJSON}
    for crs, status in (("EPSG/0/4326", 400), ("OGC/1.3/CRS84", 201)):
        r = client.post(ITEMS, content=json.dumps(body), headers={
            **headers, "Content-Crs": f"<http://www.opengis.net/def/crs/{crs}>"})
        assert r.status_code == status, r.text
    assert refused(client.post(ITEMS, content=json.dumps(body), headers={
        **headers, "Content-Crs": "EPSG:4326"}), 400, "unsupported_crs")["field"] == "Content-Crs"


def test_read_only_collections_and_what_each_allows(client: TestClient) -> None:
    for path, allow in ((ITEMS, "GET, OPTIONS, POST"),
                        (f"{ITEMS}/4", "GET, OPTIONS, PUT, PATCH, DELETE"),
                        ("/ogc/collections/stations/items", "GET, OPTIONS"),
                        ("/ogc/collections/reports/items/1", "GET, OPTIONS")):
        r = client.options(path)
        assert r.status_code == 204 and r.headers["allow"] == allow, path
    refused(client.options("/ogc/collections/nothing/items"), 404, "collection_not_found")
    refused(send(client, "POST", "/ogc/collections/stations/items", {"type": "Feature"}), 405,
            "read_only_collection")


def test_conformance_schema_and_api_definition(client: TestClient) -> None:
    conforms = client.get("/ogc/conformance").json()["conformsTo"]
    assert {f"{PART4}/create-replace-delete", f"{PART4}/update",
            f"{PART4}/features"} <= set(conforms) == set(CONFORMS_TO)
    grids = client.get("/ogc/collections/grids").json()
    schema_link = next(x for x in grids["links"] if x["rel"].endswith("/rel/ogc/1.0/schema"))
    r = client.get(schema_link["href"])
    assert r.status_code == 200 and r.headers["content-type"] == "application/schema+json"
    props = r.json()["properties"]["properties"]
    assert props["required"] == ["code", "name"] and props["additionalProperties"] is False
    api = client.get("/openapi.json").json()
    post = api["paths"]["/ogc/collections/{collectionId}/items"]["post"]
    assert set(post["requestBody"]["content"]) == {GEOJSON, "application/json"}
    assert {"200", "412", "422", "428"} <= set(api["paths"][
        "/ogc/collections/{collectionId}/items/{featureId}"]["put"]["responses"])
    patch = api["paths"]["/ogc/collections/{collectionId}/items/{featureId}"]["patch"]
    assert "application/merge-patch+json" in patch["requestBody"]["content"]
