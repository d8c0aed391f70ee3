"""OGC API – Features (read side): a GIS client browses grids, stations and public report
points under /ogc/; GDAL's OAPIF driver reads the same through a real server."""

import json
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from server.interop.ogc import params
from server.interop.ogc.schemas import (
    CONFORMS_TO,
    CRS84,
    Collection,
    Collections,
    Conformance,
    Feature,
    FeatureCollection,
    LandingPage,
)
from tests.conftest import LiveServer
from tests.server.factories import patroller_point

OGC = "/ogc"
GRID_PROPS = {"id", "code", "name", "name_en", "level", "kind", "dedicated_type", "parent_id"}
STATION_PROPS = {"id", "code", "name", "grid_id", "address", "services", "areas",
                 "opening_hours", "phone"}
REPORT_PROPS = {"id", "category", "category_name", "category_name_en", "status", "created_at",
                "grid_id", "coarse_location"}
OGRINFO = "/usr/bin/ogrinfo"


def rows(url: str, query: str, *args: object) -> list[tuple]:
    with psycopg.connect(url) as c:
        return [tuple(r) for r in c.execute(query, args)]


def page(client: TestClient, path: str, **query: Any) -> FeatureCollection:
    r = client.get(path, params=query) if query else client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/geo+json"
    body = FeatureCollection.model_validate(r.json())
    assert body.numberReturned == len(body.features)
    return body


def link(links: list, rel: str) -> str:
    found = [x.href for x in links if x.rel == rel]
    assert len(found) == 1, (rel, links)
    return str(found[0])


def bad(r: Response, status: int = 400) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] and body["description"] and body["detail_zh"] and body["detail_en"]
    return dict(body)


def report_at(client: TestClient, lon: float, lat: float, category: str, text: str) -> int:
    r = client.post("/api/reports", json={"category": category, "description": text,
                                          "lon": lon, "lat": lat, "address": "3栋2单元501"})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_landing_page_links_to_everything(client: TestClient) -> None:
    for path in (f"{OGC}/", OGC, f"{OGC}/?f=json"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json", path
        landing = LandingPage.model_validate(r.json())
    rels = {x.rel: x for x in landing.links}
    assert rels["self"].href == "http://testserver/ogc/"
    assert rels["service-desc"].href == "http://testserver/openapi.json"
    assert rels["service-desc"].type == "application/vnd.oai.openapi+json;version=3.0"
    assert rels["service-doc"].href == "http://testserver/docs"
    assert rels["conformance"].href == "http://testserver/ogc/conformance"
    assert rels["data"].href == "http://testserver/ogc/collections"
    for x in landing.links:
        assert client.get(x.href).status_code == 200, x.href


def test_conformance_and_api_definition(client: TestClient) -> None:
    got = Conformance.model_validate(client.get(f"{OGC}/conformance").json())
    assert set(got.conformsTo) == set(CONFORMS_TO) == {
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features"}
    api = client.get("/openapi.json").json()
    items = api["paths"]["/ogc/collections/{collectionId}/items"]["get"]
    limit = next(p for p in items["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"],
            limit["schema"]["default"]) == (1, params.MAX_LIMIT, params.DEFAULT_LIMIT)
    assert "/ogc/collections/{collectionId}/items/{featureId}" in api["paths"]


def test_collections_with_extents_from_the_data(client: TestClient, seeded_url: str) -> None:
    body = Collections.model_validate(client.get(f"{OGC}/collections").json())
    assert [c.id for c in body.collections] == ["grids", "stations", "reports"]
    assert link(body.links, "self") == "http://testserver/ogc/collections"
    extent = rows(seeded_url, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
                              "FROM (SELECT ST_Extent(geom) e FROM grids) s")[0]
    for listed in body.collections:
        one = Collection.model_validate(client.get(f"{OGC}/collections/{listed.id}").json())
        assert one == listed and one.crs == [CRS84] and one.itemType == "feature"
        assert one.extent and one.extent.spatial and one.extent.spatial.crs == CRS84
        assert link(one.links, "items") == f"http://testserver/ogc/collections/{one.id}/items"
        box = one.extent.spatial.bbox[0]
        assert extent[0] - 0.001 <= box[0] < box[2] <= extent[2] + 0.001
        assert extent[1] - 0.001 <= box[1] < box[3] <= extent[3] + 0.001
    grids = body.collections[0]
    assert grids.extent and grids.extent.spatial
    assert grids.extent.spatial.bbox[0] == pytest.approx(list(extent), abs=1e-9)
    reports = body.collections[2]
    assert reports.extent and reports.extent.temporal
    first = rows(seeded_url, "SELECT min(created_at) FROM reports")[0][0]
    assert reports.extent.temporal.interval == [
        [first.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"), None]]


def test_items_carry_only_public_properties(client: TestClient, seeded_url: str) -> None:
    for cid, props, table in (("grids", GRID_PROPS, "grids"),
                              ("stations", STATION_PROPS, "stations"),
                              ("reports", REPORT_PROPS, "reports")):
        body = page(client, f"{OGC}/collections/{cid}/items")
        total = rows(seeded_url, f"SELECT count(*) FROM {table}")[0][0]
        assert body.numberMatched == total > 0
        assert body.numberReturned == min(total, params.DEFAULT_LIMIT)
        assert datetime.fromisoformat(body.timeStamp).tzinfo
        assert link(body.links, "self") == f"http://testserver/ogc/collections/{cid}/items"
        assert link(body.links, "collection") == f"http://testserver/ogc/collections/{cid}"
        for f in body.features:
            assert set(f["properties"]) == props and f["id"] == f["properties"]["id"]
    stations = page(client, f"{OGC}/collections/stations/items").features
    duty = {n for (n,) in rows(seeded_url, "SELECT w.name FROM station_duties d "
                                           "JOIN workers w ON w.id = d.worker_id")}
    assert duty and not duty & {v for f in stations for v in map(str, f["properties"].values())}


def test_paging_with_limit_5_visits_every_grid_once(client: TestClient, seeded_url: str) -> None:
    everything = [i for (i,) in rows(seeded_url, "SELECT id FROM grids ORDER BY id")]
    assert len(everything) > 10
    url: str | None = f"{OGC}/collections/grids/items?limit=5"
    seen: list[int] = []
    pages = []
    while url:
        body = page(client, url)
        assert body.numberMatched == len(everything) and body.numberReturned <= 5
        seen += [f["id"] for f in body.features]
        pages.append(body)
        url = next((x.href for x in body.links if x.rel == "next"), None)
        assert len(pages) <= len(everything)
    assert seen == everything
    assert not [x for x in pages[0].links if x.rel == "prev"]
    prev = link(pages[2].links, "prev")
    assert "offset=5" in prev and "limit=5" in prev
    assert [f["id"] for f in page(client, prev).features] == everything[5:10]


def test_limit_is_clamped_to_the_maximum(client: TestClient,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(params, "MAX_LIMIT", 3)
    body = page(client, f"{OGC}/collections/grids/items", limit=50_000)
    assert body.numberReturned == 3 < body.numberMatched
    assert "limit=3" in link(body.links, "next") and "offset=3" in link(body.links, "next")


def test_bbox_keeps_what_intersects_the_window(client: TestClient, seeded_url: str) -> None:
    lon, lat = rows(seeded_url, "SELECT ST_X(label), ST_Y(label) FROM grids "
                                "WHERE level = 'grid' ORDER BY id LIMIT 1")[0]
    box = (lon - 0.002, lat - 0.002, lon + 0.002, lat + 0.002)
    window = ",".join(map(str, box))
    for cid, table in (("grids", "grids"), ("stations", "stations")):
        body = page(client, f"{OGC}/collections/{cid}/items", bbox=window, limit=1000)
        want = [i for (i,) in rows(
            seeded_url, f"SELECT id FROM {table} WHERE ST_Intersects(geom, "
            "ST_MakeEnvelope(%s, %s, %s, %s, 4326)) ORDER BY id", *box)]
        assert [f["id"] for f in body.features] == want and body.numberMatched == len(want)
        assert f"bbox={window.replace(',', '%2C')}" in link(body.links, "self")
    assert page(client, f"{OGC}/collections/grids/items", bbox=window).numberMatched >= 3
    far = page(client, f"{OGC}/collections/grids/items", bbox="10,10,10.1,10.1")
    assert far.numberMatched == far.numberReturned == 0 and far.features == []
    world = page(client, f"{OGC}/collections/grids/items", bbox="-180,-90,180,90")
    assert world.numberMatched == page(client, f"{OGC}/collections/grids/items").numberMatched
    three_d = page(client, f"{OGC}/collections/grids/items",
                   bbox=f"{box[0]},{box[1]},0,{box[2]},{box[3]},100")
    assert three_d.numberMatched == page(client, f"{OGC}/collections/grids/items",
                                         bbox=window).numberMatched


@pytest.mark.parametrize(("query", "code"), [
    ({"bbox": "1,2,3"}, "bbox_malformed"),
    ({"bbox": "a,b,c,d"}, "bbox_malformed"),
    ({"bbox": "104.2,30.7,104.0,30.6"}, "bbox_inverted"),
    ({"bbox": "30.6,104.0,30.7,104.2"}, "bbox_out_of_range"),
    ({"bbox": ""}, "bbox_missing"),
    ({"limit": "ten"}, "invalid_parameter"),
    ({"limit": "0"}, "invalid_parameter"),
    ({"limit": "2.5"}, "invalid_parameter"),
    ({"offset": "-1"}, "invalid_parameter"),
    ({"f": "xml"}, "unsupported_format"),
    ({"f": "html"}, "unsupported_format"),
    ({"sortby": "name"}, "unknown_parameter"),
    ({"datetime": "yesterday"}, "bad_datetime"),
    ({"datetime": "../.."}, "bad_datetime"),
    ({"datetime": "2024-05-02T00:00:00Z/2024-05-01T00:00:00Z"}, "bad_datetime"),
    ({"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4326"}, "unsupported_crs"),
])
def test_bad_item_parameters_are_400(client: TestClient, query: dict, code: str) -> None:
    body = bad(client.get(f"{OGC}/collections/grids/items", params=query))
    assert body["code"] == code and body["status"] == 400
    assert body["description"] == body["detail_zh"]
    english = client.get(f"{OGC}/collections/grids/items", params=query,
                         headers={"Accept-Language": "en"}).json()
    assert english["description"] == english["detail_en"] == body["detail_en"]


def test_bad_parameters_elsewhere_are_400(client: TestClient) -> None:
    assert bad(client.get(f"{OGC}/?f=xml"))["code"] == "unsupported_format"
    assert bad(client.get(f"{OGC}/collections?limit=5"))["code"] == "unknown_parameter"
    assert bad(client.get(f"{OGC}/collections/grids/items/1?bbox=1,2,3,4"))["field"] == "bbox"
    assert "limit" in bad(client.get(f"{OGC}/collections/grids/items?limit=x"))["detail_en"]
    ok = client.get(f"{OGC}/collections/grids/items",
                    params={"bbox-crs": CRS84, "crs": CRS84, "f": "json", "limit": "1"})
    assert ok.status_code == 200, ok.text


def test_unknown_collection_or_feature_is_404(client: TestClient, seeded_url: str) -> None:
    for path in ("/collections/households", "/collections/workers/items",
                 "/collections/households/items/1"):
        assert bad(client.get(OGC + path), 404)["code"] == "collection_not_found"
    top = rows(seeded_url, "SELECT max(id) FROM grids")[0][0]
    for fid in (str(top + 1), "abc", "-1", "1.5", str(2**40)):
        body = bad(client.get(f"{OGC}/collections/grids/items/{fid}"), 404)
        assert body["code"] == "feature_not_found", fid
    assert bad(client.get(f"{OGC}/collections/stations/items/999999"), 404)["description"]
    assert bad(client.get(f"{OGC}/tiles/grids"), 404)["code"] == "not_found"


def test_single_grid_has_a_strong_etag_that_follows_its_version(client: TestClient,
                                                                 seeded_url: str) -> None:
    gid, name = rows(seeded_url, "SELECT id, name FROM grids WHERE level = 'grid' "
                                 "ORDER BY id LIMIT 1")[0]
    path = f"{OGC}/collections/grids/items/{gid}"
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    feature = Feature.model_validate(r.json())
    assert feature.id == gid and feature.properties["name"] == name
    assert set(feature.properties) == GRID_PROPS and feature.geometry["type"] == "MultiPolygon"
    assert link(feature.links, "self") == f"http://testserver{path}"
    assert link(feature.links, "collection") == "http://testserver/ogc/collections/grids"
    listed = next(f for f in page(client, f"{OGC}/collections/grids/items", limit=1000).features
                  if f["id"] == gid)
    assert listed == {k: v for k, v in r.json().items() if k != "links"}
    tag = r.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")
    assert client.get(path).headers["etag"] == tag
    cached = client.get(path, headers={"If-None-Match": tag})
    assert cached.status_code == 304 and cached.headers["etag"] == tag and not cached.content
    other = rows(seeded_url, "SELECT id FROM grids WHERE id <> %s ORDER BY id LIMIT 1", gid)[0][0]
    assert client.get(f"{OGC}/collections/grids/items/{other}").headers["etag"] != tag
    with psycopg.connect(seeded_url, autocommit=True) as c:
        c.execute("UPDATE grids SET name = name || '（新）' WHERE id = %s", [gid])
    renamed = client.get(path, headers={"If-None-Match": tag})
    assert renamed.status_code == 200 and renamed.headers["etag"] != tag
    # A nudge far below the published precision is still a new version.
    with psycopg.connect(seeded_url, autocommit=True) as c:
        c.execute("UPDATE grids SET geom = ST_Translate(geom, 1e-9, 0) WHERE id = %s", [gid])
    moved = client.get(path)
    assert moved.headers["etag"] not in (tag, renamed.headers["etag"])


def test_stations_and_reports_are_public_items(client: TestClient, seeded_url: str) -> None:
    sid = rows(seeded_url, "SELECT min(id) FROM stations")[0][0]
    station = client.get(f"{OGC}/collections/stations/items/{sid}")
    assert station.status_code == 200 and station.headers["etag"]
    assert set(station.json()["properties"]) == STATION_PROPS
    rid, status = rows(seeded_url, "SELECT id, status FROM reports ORDER BY id LIMIT 1")[0]
    report = client.get(f"{OGC}/collections/reports/items/{rid}").json()
    assert report["properties"]["status"] == status and report["geometry"]["type"] == "Point"


def test_sensitive_reports_are_redacted(client: TestClient, seeded_url: str) -> None:
    _, lon0, lat0 = patroller_point(seeded_url)
    # The true point sits 0.0003° off the ~100 m grid it is published on.
    lon, lat = round(lon0, 3) + 0.0003, round(lat0, 3) + 0.0003
    private = report_at(client, lon, lat, "elderly_help", "独居老人王奶奶需要上门探访")
    public = report_at(client, lon, lat, "environment", "小区门口垃圾堆积")
    got = {f["id"]: f for f in page(client, f"{OGC}/collections/reports/items",
                                    limit=1000).features}
    for fid in (private, public):
        one = client.get(f"{OGC}/collections/reports/items/{fid}")
        assert {k: v for k, v in one.json().items() if k != "links"} == got[fid]
        text = one.text
        assert "王奶奶" not in text and "垃圾" not in text and "501" not in text
        assert set(got[fid]["properties"]) == REPORT_PROPS
    hidden = got[private]
    assert hidden["geometry"]["coordinates"] == [round(lon, 3), round(lat, 3)]
    assert hidden["properties"]["category"] == "elderly_help"
    assert hidden["properties"]["coarse_location"] is True
    shown = got[public]
    assert shown["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=1e-7)
    assert shown["properties"]["coarse_location"] is False
    # A window around the true point finds the ordinary report, never the private one.
    near = f"{lon - 0.0001},{lat - 0.0001},{lon + 0.0001},{lat + 0.0001}"
    found = [f["id"] for f in page(client, f"{OGC}/collections/reports/items",
                                   bbox=near).features]
    assert public in found and private not in found
    rounded = f"{round(lon, 3) - 0.0001},{round(lat, 3) - 0.0001}," \
              f"{round(lon, 3) + 0.0001},{round(lat, 3) + 0.0001}"
    assert private in [f["id"] for f in page(client, f"{OGC}/collections/reports/items",
                                             bbox=rounded).features]


def test_datetime_filters_reports_by_creation(client: TestClient, seeded_url: str) -> None:
    _, lon, lat = patroller_point(seeded_url)
    new = report_at(client, lon, lat, "environment", "楼下垃圾桶满了")
    now = datetime.now(UTC)
    total = rows(seeded_url, "SELECT count(*) FROM reports")[0][0]

    def ids(dt: str, cid: str = "reports") -> list[int]:
        body = page(client, f"{OGC}/collections/{cid}/items", datetime=dt, limit=1000)
        return [f["id"] for f in body.features]

    recent = ids(f"{(now - timedelta(minutes=5)).isoformat()}/..")
    assert new in recent and len(recent) < total
    assert new not in ids(f"../{(now - timedelta(minutes=5)).isoformat()}")
    assert ids(f"{(now + timedelta(days=1)).isoformat().replace('+00:00', 'Z')}/..") == []
    created = rows(seeded_url, "SELECT created_at FROM reports WHERE id = %s", new)[0][0]
    assert ids(created.isoformat()) == [new]
    # An offset whose '+' arrived unencoded (as a space) still reads.
    shifted = created.astimezone(timezone(timedelta(hours=8))).isoformat()
    assert ids(shifted.replace("+", " ")) == [new]
    # Grids and stations have no time: the filter does not apply to them.
    assert len(ids("2000-01-01T00:00:00Z", "grids")) == rows(
        seeded_url, "SELECT count(*) FROM grids")[0][0]


def _ogrinfo(*args: str) -> str:
    done = subprocess.run([OGRINFO, "-ro", *args], capture_output=True, text=True, timeout=120,
                          env={"GDAL_HTTP_TIMEOUT": "30", "CPL_DEBUG": "OFF",
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ERROR" not in done.stderr, done.stderr
    return done.stdout


def test_gdal_oapif_driver_reads_the_api(live_server: LiveServer) -> None:
    counts = {cid: json.loads(_get(f"{live_server.base}/ogc/collections/{cid}/items?limit=1"))[
        "numberMatched"] for cid in ("grids", "stations", "reports")}
    listing = _ogrinfo("-so", f"OAPIF:{live_server.base}/ogc/")
    for n, cid in enumerate(("grids", "stations", "reports"), start=1):
        assert f"{n}: {cid} (" in listing, listing
    grids = _ogrinfo("-al", "-so", f"OAPIF:{live_server.base}/ogc/", "grids")
    assert f"Feature Count: {counts['grids']}" in grids, grids
    assert "Multi Polygon" in grids and "code: String" in grids and "level: String" in grids
    full = _ogrinfo("-al", "-q", f"OAPIF:{live_server.base}/ogc/", "stations")
    assert full.count("OGRFeature(stations)") == counts["stations"], full
    reports = _ogrinfo("-al", "-so", f"OAPIF:{live_server.base}/ogc/", "reports")
    assert f"Feature Count: {counts['reports']}" in reports and "Point" in reports, reports


def _get(url: str) -> str:
    import httpx

    r = httpx.get(url, timeout=10)
    r.raise_for_status()
    return r.text
