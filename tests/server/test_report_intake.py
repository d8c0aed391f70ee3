"""A resident's report: placed in its grid, announced on the feed, bad input refused."""

from fastapi.testclient import TestClient

from geo.coords import wgs84_to_gcj02
from tests.server.helpers import one


def inside_point(url: str, kind: str = "comprehensive") -> tuple[float, float, int]:
    """A point well inside a grid that no dedicated grid overlaps (or a dedicated one)."""
    sql = ("SELECT ST_X(p), ST_Y(p), g.id FROM grids g, ST_PointOnSurface(g.geom) p "
           "WHERE g.level = 'grid' AND g.kind = %s AND (%s = 'dedicated' OR NOT EXISTS ("
           " SELECT 1 FROM grids d WHERE d.kind = 'dedicated' AND ST_Intersects(d.geom, p))) "
           "ORDER BY g.id LIMIT 1")
    lon, lat, gid = one(url, sql, kind, kind)
    return lon, lat, gid


def body(lon: float, lat: float, **extra: object) -> dict:
    return {"category": "environment", "description": "路边垃圾堆积", "lon": lon, "lat": lat,
            **extra}


def count(url: str, table: str) -> int:
    return int(one(url, f"SELECT count(*) FROM {table}")[0])


def test_report_is_placed_and_announced(client: TestClient, seeded_url: str) -> None:
    lon, lat, gid = inside_point(seeded_url)
    before = count(seeded_url, "events")
    r = client.post("/api/reports", json=body(lon, lat))
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["grid_id"] == gid and created["status"] == "submitted"
    assert created["community_id"] and created["street_id"] and created["tracking_token"]
    topic, kind, payload = one(seeded_url, "SELECT topic, kind, payload FROM events "
                                           "ORDER BY seq DESC LIMIT 1")
    assert (topic, kind) == ("reports", "created") and payload["id"] == created["id"]
    assert count(seeded_url, "events") == before + 1


def test_dedicated_grid_takes_precedence(client: TestClient, seeded_url: str) -> None:
    lon, lat, gid = inside_point(seeded_url, "dedicated")
    assert client.post("/api/reports", json=body(lon, lat)).json()["grid_id"] == gid


def test_gcj02_input_is_converted_at_the_edge(client: TestClient, seeded_url: str) -> None:
    lon, lat, gid = inside_point(seeded_url)
    glon, glat = wgs84_to_gcj02(lon, lat)
    created = client.post("/api/reports", json=body(glon, glat, coord_sys="gcj02")).json()
    stored = one(seeded_url, "SELECT ST_X(geom), ST_Y(geom) FROM reports WHERE id = %s",
                 created["id"])
    assert abs(stored[0] - lon) < 1e-6 and abs(stored[1] - lat) < 1e-6


def test_bad_reports_are_refused_and_store_nothing(client: TestClient, seeded_url: str) -> None:
    lon, lat, _ = inside_point(seeded_url)
    before = count(seeded_url, "reports"), count(seeded_url, "events")
    cases = [
        (body(lat, lon), "coord_out_of_range"),  # swapped
        (body(0, 0), "null_island"),
        (body(lon + 3, lat), "outside_service_area"),
        (body(lon, lat, category="aliens"), "unknown_category"),
        (body(lon, 95), "coord_out_of_range"),
        (body(lon, "NaN"), "coord_out_of_range"),
        (body(lon, lat, coord_sys="mars"), "invalid_input"),
        (body(lon, lat, description=""), "invalid_input"),
        (body(lon, lat, description="x" * 5000), "invalid_input"),
        (body(lon, lat, reporter_phone="call me"), "invalid_input"),
    ]
    for payload, code in cases:
        r = client.post("/api/reports", json=payload)
        assert r.status_code == 422, (payload, r.text)
        assert r.json()["code"] == code, (payload, r.json())
    swapped = client.post("/api/reports", json=body(lat, lon)).json()
    assert "swapped" in swapped["detail_en"] and "[lon, lat]" in swapped["detail_en"]
    r = client.post("/api/reports", content=b"{not json", headers={"Content-Type":
                                                                   "application/json"})
    assert r.status_code == 422
    assert (count(seeded_url, "reports"), count(seeded_url, "events")) == before


def test_categories_are_listed(client: TestClient) -> None:
    cats = client.get("/api/categories").json()
    assert {"environment", "illegal_parking"} <= {c["code"] for c in cats}
    assert all(c["deadline_hours"] > 0 for c in cats)
