"""The OsmAnd protocol at /osmand, as Traccar Client and other trackers speak it."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from server.patrol.osmand import KNOT_MPS
from server.patrol.routes import osmand_router
from tests.server.factories import patroller_point
from tests.server.helpers import one

AT = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)


@pytest.fixture
def client(settings) -> Iterator[TestClient]:  # noqa: ANN001
    """The app with /osmand ahead of the console's "/" mount (added here while
    server/app.py does not list the router yet)."""
    from server.app import ROUTERS, create_app

    app = create_app(settings)
    if osmand_router not in ROUTERS:
        before = len(app.router.routes)
        app.include_router(osmand_router)
        added = app.router.routes[before:]
        del app.router.routes[before:]
        app.router.routes[:0] = added
    with TestClient(app) as c:
        yield c


def device(url: str) -> tuple[int, str, int, float, float]:
    """The patroller's worker, device, home grid and a point inside it."""
    grid, lon, lat = patroller_point(url)
    worker, dev = one(url, "SELECT w.id, w.device_id FROM users u JOIN workers w "
                           "ON w.id = u.worker_id WHERE u.username = 'patroller'")
    return worker, dev, grid, lon, lat


def rows(url: str) -> list[tuple]:
    """Every stored fix: (worker, device, time, lon, lat, grid, speed, heading, accuracy,
    altitude, battery)."""
    import psycopg

    with psycopg.connect(url) as c:
        return c.execute("SELECT worker_id, device_id, fix_time, ST_X(geom), ST_Y(geom), "
                         "grid_id, speed, heading, accuracy, altitude, battery FROM positions "
                         "ORDER BY fix_time").fetchall()


@pytest.mark.parametrize("stamp", [
    str(int(AT.timestamp())),
    str(int(AT.timestamp()) * 1000 + 250),
    AT.isoformat().replace("+00:00", "Z"),
    (AT + timedelta(hours=8)).isoformat().replace("+00:00", "+08:00"),
    AT.strftime("%Y-%m-%d %H:%M:%S"),
], ids=["seconds", "milliseconds", "iso-z", "iso-offset", "yyyy-MM-dd HH:mm:ss"])
def test_each_timestamp_form(client: TestClient, seeded_url: str, stamp: str) -> None:
    worker, dev, grid, lon, lat = device(seeded_url)
    r = client.get("/osmand", params={"id": dev, "lat": lat, "lon": lon, "timestamp": stamp})
    assert r.status_code == 200 and r.content == b""
    (got,) = rows(seeded_url)
    want = AT + timedelta(milliseconds=250) if stamp.endswith("250") else AT
    assert got[:3] == (worker, dev, want) and got[5] == grid
    assert got[3:5] == pytest.approx((lon, lat), abs=1e-9)


def test_an_unencoded_plus_in_an_iso_offset(client: TestClient, seeded_url: str) -> None:
    _, dev, _, lon, lat = device(seeded_url)
    stamp = (AT + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    r = client.get(f"/osmand?id={dev}&lat={lat}&lon={lon}&timestamp={stamp}")
    assert r.status_code == 200 and rows(seeded_url)[0][2] == AT


@pytest.mark.parametrize("form", ["get-id-latlon", "get-deviceid-location", "post-query",
                                  "post-form-body", "post-form-location"])
def test_each_parameter_form(client: TestClient, seeded_url: str, form: str) -> None:
    worker, dev, grid, lon, lat = device(seeded_url)
    stamp = str(int(AT.timestamp()))
    latlon = {"lat": str(lat), "lon": str(lon), "timestamp": stamp}
    location = {"location": f"{lat},{lon}", "timestamp": stamp}
    if form == "get-id-latlon":
        r = client.get("/osmand", params={"id": dev, **latlon})
    elif form == "get-deviceid-location":
        r = client.get("/osmand", params={"deviceid": dev, **location})
    elif form == "post-query":
        r = client.post("/osmand", params={"id": dev, **latlon})
    elif form == "post-form-body":
        r = client.post("/osmand", data={"id": dev, **latlon})
    else:
        r = client.post("/osmand", data={"deviceid": dev, **location})
    assert r.status_code == 200 and r.content == b""
    (got,) = rows(seeded_url)
    assert got[:3] == (worker, dev, AT) and got[5] == grid
    assert got[3:5] == pytest.approx((lon, lat), abs=1e-9)
    assert one(seeded_url, "SELECT grid_id FROM worker_state WHERE worker_id = %s",
               worker)[0] == grid


def test_speed_in_knots_and_the_other_values(client: TestClient, seeded_url: str) -> None:
    _, dev, _, lon, lat = device(seeded_url)
    r = client.post("/osmand", params={
        "id": dev, "lat": lat, "lon": lon, "timestamp": int(AT.timestamp()), "speed": "3.0",
        "bearing": "87.5", "altitude": "512.3", "accuracy": "8", "batt": "76.4"})
    assert r.status_code == 200
    (got,) = rows(seeded_url)
    assert got[6] == pytest.approx(3.0 * 0.514444, abs=1e-5) and got[6] == 3.0 * KNOT_MPS
    assert got[7:] == (87.5, 8.0, 512.3, 76)
    hdop = client.get("/osmand", params={"id": dev, "lat": lat, "lon": lon, "hdop": "1.5",
                                         "heading": "90", "timestamp": int(AT.timestamp()) + 1})
    assert hdop.status_code == 200 and rows(seeded_url)[1][7:9] == (90.0, 7.5)


def test_traccar_client_json_body(client: TestClient, seeded_url: str) -> None:
    worker, dev, grid, lon, lat = device(seeded_url)
    coords = {"latitude": lat, "longitude": lon, "speed": 1.4, "heading": 270,
              "accuracy": 6.5, "altitude": 498, "altitude_accuracy": 3}
    location = {"timestamp": AT.isoformat().replace("+00:00", ".000Z"), "is_moving": True,
                "odometer": 1200, "event": "motionchange", "coords": coords,
                "battery": {"level": 0.85, "is_charging": False},
                "activity": {"type": "walking"}}
    r = client.post("/osmand", json={"device_id": dev, "location": location})
    assert r.status_code == 200 and r.content == b""
    # JSON speed is already m/s (Traccar converts it from m/s, not from knots)
    assert rows(seeded_url) == [(worker, dev, AT, pytest.approx(lon), pytest.approx(lat), grid,
                                 1.4, 270.0, 6.5, 498.0, 85)]
    unknown_speed = {"device_id": dev, "location": {
        **location, "timestamp": (AT + timedelta(seconds=1)).isoformat(),
        "coords": {**coords, "speed": -1, "heading": -1}}}
    assert client.post("/osmand", json=unknown_speed).status_code == 200
    assert rows(seeded_url)[1][6:8] == (None, None)


def test_unknown_device_is_refused_logged_and_nothing_stored(client: TestClient,
                                                             seeded_url: str) -> None:
    _, _, _, lon, lat = device(seeded_url)
    for _ in range(2):
        r = client.get("/osmand", params={"id": "STRANGER-1", "lat": lat, "lon": lon},
                       headers={"Accept-Language": "en"})
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "unknown_device" and "STRANGER-1" in r.json()["detail"]
    r = client.post("/osmand", json={"device_id": "STRANGER-2", "location": {
        "timestamp": AT.isoformat(), "coords": {"latitude": lat, "longitude": lon}}})
    assert r.status_code == 404 and r.json()["field"] == "device_id"
    assert rows(seeded_url) == []
    assert one(seeded_url, "SELECT source, attempts, remote_addr IS NOT NULL, "
                           "last_seen >= first_seen FROM unknown_devices "
                           "WHERE device_id = 'STRANGER-1'") == ("osmand", 2, True, True)
    assert one(seeded_url, "SELECT count(*) FROM unknown_devices")[0] == 2


def test_an_inactive_workers_device_is_unknown(client: TestClient, seeded_url: str) -> None:
    import psycopg

    worker, dev, _, lon, lat = device(seeded_url)
    with psycopg.connect(seeded_url, autocommit=True) as c:
        c.execute("UPDATE workers SET active = false WHERE id = %s", [worker])
    assert client.get("/osmand", params={"id": dev, "lat": lat, "lon": lon}).status_code == 404
    assert rows(seeded_url) == []


MALFORMED = {
    "non-numeric": ({"lat": "north", "lon": "{lon}"}, "malformed_fix"),
    "no-location": ({"speed": "1"}, "missing_location"),
    "bad-location": ({"location": "{lat}"}, "bad_location"),
    "bad-timestamp": ({"lat": "{lat}", "lon": "{lon}", "timestamp": "yesterday"},
                      "bad_timestamp"),
    "zero": ({"lat": "0", "lon": "0"}, "null_island"),
    "swapped": ({"lat": "{lon}", "lon": "{lat}"}, "coord_out_of_range"),
    "nan": ({"lat": "nan", "lon": "{lon}"}, "coord_out_of_range"),
    "future": ({"lat": "{lat}", "lon": "{lon}", "timestamp": "{future}"}, "future_fix"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_fix_is_400_and_nothing_stored(client: TestClient, seeded_url: str,
                                                 case: str) -> None:
    _, dev, _, lon, lat = device(seeded_url)
    future = int((datetime.now(UTC) + timedelta(hours=1)).timestamp())
    params, code = MALFORMED[case]
    values = {k: v.format(lat=lat, lon=lon, future=future) for k, v in params.items()}
    r = client.get("/osmand", params={"id": dev, **values})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == code and r.json()["detail_zh"] and r.json()["detail_en"]
    assert rows(seeded_url) == []


def test_other_bad_requests(client: TestClient, seeded_url: str) -> None:
    _, dev, _, lon, lat = device(seeded_url)
    r = client.get("/osmand", params={"lat": lat, "lon": lon})
    assert r.status_code == 400 and r.json()["code"] == "missing_device"
    r = client.post("/osmand", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == "malformed_json"
    r = client.post("/osmand", json={"device_id": dev, "location": {"timestamp": "x"}})
    assert r.status_code == 400 and r.json()["code"] == "missing_location"
    assert rows(seeded_url) == []


def test_fixes_no_retry_could_mend_are_answered_200_and_not_stored(
        client: TestClient, seeded_url: str) -> None:
    """Traccar Client retries a refused fix forever and holds its queue behind it."""
    _, dev, _, lon, lat = device(seeded_url)
    outside = client.get("/osmand", params={"id": dev, "lat": 39.9, "lon": 116.4})
    no_fix = client.get("/osmand", params={"id": dev, "lat": lat, "lon": lon, "valid": "false"})
    assert outside.status_code == no_fix.status_code == 200
    assert rows(seeded_url) == []


def test_a_resent_fix_is_stored_once(client: TestClient, seeded_url: str) -> None:
    _, dev, _, lon, lat = device(seeded_url)
    params: dict[str, str | float] = {"id": dev, "lat": lat, "lon": lon,
                                      "timestamp": str(int(AT.timestamp()))}
    assert [client.post("/osmand", params=params).status_code for _ in range(2)] == [200, 200]
    assert len(rows(seeded_url)) == 1


def test_the_console_root_does_not_take_fixes(client: TestClient, seeded_url: str) -> None:
    _, dev, _, lon, lat = device(seeded_url)
    r = client.get("/", params={"id": dev, "lat": lat, "lon": lon})
    assert r.status_code == 200 and b"<html" in r.content.lower()
    assert client.post("/", params={"id": dev, "lat": lat, "lon": lon}).status_code == 405
    assert rows(seeded_url) == []


def test_openapi_documents_both_methods(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]["/osmand"]) == {"get", "post"}
    item = spec["components"]["schemas"]["PositionsIn"]["properties"]["fixes"]["items"]
    assert {"lon", "lat", "time"} <= set(item["required"])

