"""Open311 GeoReport v2: an Open311 client or a 12345 platform files reports and follows
them through our closed loop; errors come back in Open311's own format."""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import TypeAdapter
from starlette.routing import NoMatchFound

from server.interop.open311.routes import router
from server.interop.open311.schemas import (
    SPECIFICATION,
    Discovery,
    PostedList,
    Service,
    ServiceRequest,
    TokenOut,
)
from server.settings import Settings
from tests.conftest import login
from tests.server.factories import patroller_point, photo
from tests.server.helpers import one

V2 = "/open311/v2"
REQUESTS = TypeAdapter(list[ServiceRequest])
SERVICES = TypeAdapter(list[Service])
COUNTED = ("reports", "report_steps", "events", "reporters", "idempotency_keys")


@pytest.fixture
def o311(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    """The app with the Open311 router, whether or not server/app.py lists it yet."""
    from server.app import create_app

    # No static console: its mount at "/" would shadow a router included after it.
    app = create_app(settings.model_copy(update={"web_dir": tmp_path / "no-web"}))
    if not _has_open311(app):
        app.include_router(router)
    with TestClient(app) as c:
        yield c


def _has_open311(app: FastAPI) -> bool:
    try:
        return app.url_path_for("request_for_token", token="t", fmt="json") == \
            f"{V2}/tokens/t.json"
    except NoMatchFound:
        return False


@pytest.fixture
def spot(seeded_url: str) -> tuple[int, float, float]:
    return patroller_point(seeded_url)


def form(lon: float, lat: float, **extra: str) -> dict[str, str]:
    return {"service_code": "environment", "lat": str(lat), "long": str(lon),
            "description": "小区门口垃圾堆积", **extra}


def file(client: TestClient, data: dict, **headers: str) -> dict:
    r = client.post(f"{V2}/requests.json", data=data, headers=headers)
    assert r.status_code == 201, r.text
    return PostedList.model_validate(r.json()).root[0].model_dump()


def get_one(client: TestClient, rid: str, **params: str) -> ServiceRequest:
    r = client.get(f"{V2}/requests/{rid}.json", params=params)
    assert r.status_code == 200, r.text
    found = REQUESTS.validate_python(r.json())
    assert len(found) == 1
    return found[0]


def listed(client: TestClient, **params: str) -> list[str]:
    r = client.get(f"{V2}/requests.json", params=params)
    assert r.status_code == 200, r.text
    return [s.service_request_id for s in REQUESTS.validate_python(r.json())]


def xml(r: Response) -> ET.Element:
    assert r.headers["content-type"] == "text/xml; charset=utf-8", r.headers
    return ET.fromstring(r.content)


def counts(url: str) -> tuple[int, ...]:
    return tuple(int(one(url, f"SELECT count(*) FROM {t}")[0]) for t in COUNTED)


def test_discovery_in_both_formats(o311: TestClient) -> None:
    body = Discovery.model_validate(o311.get(f"{V2}/discovery.json").json())
    endpoint = body.endpoints[0]
    assert endpoint.specification == SPECIFICATION == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.url == "http://testserver/open311/v2"
    assert set(endpoint.formats) == {"application/json", "text/xml"}
    assert body.contact and datetime.fromisoformat(body.changeset).tzinfo
    root = xml(o311.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/specification") == SPECIFICATION
    assert {f.text for f in root.iterfind("endpoints/endpoint/formats/format")} == \
        {"application/json", "text/xml"}


def test_services_are_the_active_categories(o311: TestClient, seeded_url: str) -> None:
    import psycopg

    with psycopg.connect(seeded_url, autocommit=True) as c:
        c.execute("UPDATE report_categories SET active = false WHERE code = 'greening'")
        active = [r[0] for r in c.execute(
            "SELECT code FROM report_categories WHERE active ORDER BY code")]
    services = SERVICES.validate_python(o311.get(f"{V2}/services.json").json())
    assert [s.service_code for s in services] == active and "greening" not in active
    env = next(s for s in services if s.service_code == "environment")
    assert (env.service_name, env.group, env.metadata, env.type) == \
        ("环境卫生", "环卫", False, "realtime")
    assert "Environment and sanitation" in env.description and "环境卫生" in env.keywords
    english = SERVICES.validate_python(o311.get(f"{V2}/services.json?lang=en").json())
    env_en = next(s for s in english if s.service_code == "environment")
    assert (env_en.service_name, env_en.group) == ("Environment and sanitation", "Sanitation")
    root = xml(o311.get(f"{V2}/services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.iterfind("service")] == active
    first = root.find("service")
    assert first is not None and first.findtext("metadata") == "false"
    assert first.findtext("type") == "realtime"
    assert o311.get(f"{V2}/services/environment.json").json() == \
        {"service_code": "environment", "attributes": []}
    gone = o311.get(f"{V2}/services/greening.json")
    assert gone.status_code == 404 and gone.json()[0]["code"] == 404


def test_a_posted_request_is_found_by_id_and_filters(o311: TestClient, seeded_url: str,
                                                     spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    posted = file(o311, form(lon, lat, first_name="小明", last_name="王", phone="13900002222",
                             address_string="锦城路 1 号", email="x@example.org",
                             device_id="dev-1", api_key="ignored"))
    rid, token = posted["service_request_id"], posted["token"]
    assert posted["account_id"] is None and posted["service_notice"]
    row = one(seeded_url, "SELECT source, reporter_name, reporter_phone, address, tracking_token,"
                          " ST_X(geom), ST_Y(geom) FROM reports WHERE id = %s", int(rid))
    assert row[:5] == ("resident", "王小明", "13900002222", "锦城路 1 号", token)
    assert abs(row[5] - lon) < 1e-9 and abs(row[6] - lat) < 1e-9

    got = get_one(o311, rid)
    assert (got.status, got.detailed_status, got.service_code, got.service_name) == \
        ("open", "NEW", "environment", "环境卫生")
    assert (got.agency_responsible, got.address, got.description) == \
        ("环卫", "锦城路 1 号", "小区门口垃圾堆积")
    assert (got.lat, got.long) == (round(lat, 6), round(lon, 6))
    assert got.media_url is None and got.expected_datetime is None
    at = datetime.fromisoformat(got.requested_datetime)
    assert at.tzinfo is not None and got.updated_datetime
    assert get_one(o311, rid, lang="en").agency_responsible == "Sanitation"

    around = {"start_date": (at - timedelta(minutes=5)).isoformat(),
              "end_date": (at + timedelta(minutes=5)).isoformat()}
    assert rid in listed(o311, service_code="environment", status="open", **around)
    assert rid not in listed(o311, service_code="environment", status="closed", **around)
    assert rid not in listed(o311, service_code="leak", **around)
    assert rid not in listed(o311, end_date=(at - timedelta(seconds=1)).isoformat())
    # an unencoded '+' in the offset arrives as a space
    beijing = (at - timedelta(minutes=5)).astimezone(timezone(timedelta(hours=8))).isoformat()
    assert rid in listed(o311, start_date=beijing.replace("+", " "))
    assert listed(o311, service_request_id=f"{rid},999999", status="closed") == [rid]

    root = xml(o311.get(f"{V2}/requests/{rid}.xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None and request.findtext("service_request_id") == rid
    assert request.findtext("status") == "open" and request.findtext("detailed_status") == "NEW"
    assert request.findtext("lat") == str(round(lat, 6)) and request.findtext("zipcode") == ""
    listed_xml = xml(o311.get(f"{V2}/requests.xml", params={"service_code": "environment",
                                                            **around}))
    assert rid in [r.findtext("service_request_id") for r in listed_xml.iterfind("request")]

    tokens = TypeAdapter(list[TokenOut]).validate_python(
        o311.get(f"{V2}/tokens/{token}.json").json())
    assert tokens[0].service_request_id == rid
    assert xml(o311.get(f"{V2}/tokens/{token}.xml")).findtext(
        "request/service_request_id") == rid


def test_the_round_trip_through_our_lifecycle(o311: TestClient, seeded_url: str,
                                              spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    posted = file(o311, form(lon, lat, phone="13900003333"))
    rid, token = posted["service_request_id"], posted["token"]

    def step(path: str, role: str, body: dict | None = None) -> None:
        r = o311.post(f"/api/reports/{rid}/{path}", json=body or {},
                      headers=login(o311, role))
        assert r.status_code == 200, r.text

    step("accept", "operator")
    assert get_one(o311, rid).detailed_status == "ACCEPTED"
    step("dispatch", "operator", {"pool": True})
    assigned = get_one(o311, rid)
    assert (assigned.status, assigned.detailed_status) == ("open", "ASSIGNED")
    assert assigned.expected_datetime and datetime.fromisoformat(assigned.expected_datetime) > \
        datetime.fromisoformat(assigned.requested_datetime)
    step("claim", "patroller")
    assert get_one(o311, rid).detailed_status == "IN_PROGRESS"
    step("resolve", "patroller", {"note": "已清运完毕", "photos": [photo(seeded_url,
                                                                          kind="result")]})
    resolved = get_one(o311, rid)
    assert (resolved.status, resolved.detailed_status) == ("open", "RESOLVED")
    rated = o311.post(f"/api/track/{token}/revisit", json={"satisfaction": 5})
    assert rated.status_code == 200 and rated.json()["status"] == "verified"
    done = get_one(o311, rid)
    assert (done.status, done.detailed_status, done.status_notes) == \
        ("closed", "CLOSED", "已清运完毕")
    assert rid in listed(o311, status="closed", service_code="environment")
    assert rid not in listed(o311, status="open", service_code="environment")
    step("archive", "operator")
    assert get_one(o311, rid).detailed_status == "ARCHIVED"


def test_rejected_and_merged_read_as_closed(o311: TestClient, spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    first, second, third = (file(o311, form(lon, lat))["service_request_id"] for _ in range(3))
    operator = login(o311, "operator")
    r = o311.post(f"/api/reports/{first}/reject", json={"reason": "非本辖区事项"},
                  headers=operator)
    assert r.status_code == 200, r.text
    rejected = get_one(o311, first)
    assert (rejected.status, rejected.detailed_status, rejected.status_notes) == \
        ("closed", "REJECTED", "非本辖区事项")
    r = o311.post(f"/api/reports/{second}/merge", json={"into_id": int(third)},
                  headers=operator)
    assert r.status_code == 200, r.text
    merged = get_one(o311, second)
    assert (merged.status, merged.detailed_status) == ("closed", "DUPLICATE")
    assert merged.status_notes and f"#{third}" in merged.status_notes


def test_media_url_is_the_first_intake_photo(o311: TestClient, seeded_url: str,
                                             spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    token = photo(seeded_url)
    r = o311.post("/api/reports", json={"category": "environment", "description": "带图上报",
                                        "lon": lon, "lat": lat, "photos": [token]})
    assert r.status_code == 201, r.text
    got = get_one(o311, str(r.json()["id"]))
    assert got.media_url == f"http://testserver/media/{token}.jpg"
    image = o311.get(got.media_url)
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"


def test_sensitive_categories_keep_their_content_private(o311: TestClient, seeded_url: str,
                                                       spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    r = o311.post("/api/reports", json={
        "category": "elderly_help", "description": "独居老人王奶奶需要上门探访",
        "lon": lon, "lat": lat, "address": "3栋2单元501", "photos": [photo(seeded_url)]})
    assert r.status_code == 201, r.text
    got = get_one(o311, str(r.json()["id"]))
    assert "王奶奶" not in (got.description or "") and got.media_url is None
    assert got.address is None and got.lat == round(lat, 3) and got.long == round(lon, 3)
    assert got.service_code == "elderly_help" and got.status == "open"


def test_hotline_extension_json_body_and_media_link(o311: TestClient, seeded_url: str,
                                                    spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    r = o311.post(f"{V2}/requests.json", json={
        "service_code": "leak", "lat": lat, "long": lon, "description": "楼道水管漏水",
        "first_name": "Li", "last_name": "Lei", "attribute": {"source": "hotline"},
        "media_url": "https://12345.example.gov.cn/a/1.jpg"})
    assert r.status_code == 201, r.text
    rid = int(r.json()[0]["service_request_id"])
    source, name, description, actor = one(
        seeded_url, "SELECT r.source, r.reporter_name, r.description, s.actor_label FROM reports"
                    " r JOIN report_steps s ON s.report_id = r.id WHERE r.id = %s", rid)
    assert (source, name, actor) == ("hotline", "Li Lei", "12345 热线")
    assert description.startswith("楼道水管漏水") and "https://12345.example.gov.cn/a/1.jpg" in \
        description
    posted = file(o311, form(lon, lat, **{"attribute[source]": "hotline"}))
    assert one(seeded_url, "SELECT source, reporter_name FROM reports WHERE id = %s",
               int(posted["service_request_id"])) == ("hotline", "匿名来电")
    other = file(o311, form(lon, lat, source="volunteer"))
    assert one(seeded_url, "SELECT source FROM reports WHERE id = %s",
               int(other["service_request_id"])) == ("resident",)


def test_errors_are_open311_and_store_nothing(o311: TestClient, seeded_url: str,
                                              spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    before = counts(seeded_url)
    good = form(lon, lat)
    cases = [
        ({k: v for k, v in good.items() if k != "service_code"}, "service_code"),
        ({**good, "service_code": "aliens"}, "aliens"),
        (form(lat, lon), "swapped"),
        ({**good, "lat": "abc"}, "lat"),
        ({**good, "lat": "NaN"}, "lat"),
        ({**good, "lat": str(lat + 3)}, "outside the service area"),
        ({k: v for k, v in good.items() if k != "long"}, "long"),
        ({**good, "phone": "call me"}, "phone"),
        ({**good, "media_url": "file:///etc/passwd"}, "media_url"),
        ({**good, "description": "x" * 2100}, "description"),
    ]
    for data, needle in cases:
        r = o311.post(f"{V2}/requests.json", data=data, headers={"Idempotency-Key": "e-1"})
        assert r.status_code == 400, (data, r.text)
        assert r.headers["content-type"] == "application/json", r.headers
        body = r.json()
        assert isinstance(body, list) and body[0]["code"] == 400, body
        assert needle in body[0]["description"], (needle, body)
    swapped = o311.post(f"{V2}/requests.json?lang=en", data=form(lat, lon)).json()
    assert "lat and long look swapped" in swapped[0]["description"]
    assert "纬度" not in swapped[0]["description"]
    outside = o311.post(f"{V2}/requests.json", data={**good, "lat": str(lat + 3)},
                        headers={"Accept-Language": "zh-CN"}).json()[0]["description"]
    assert "经度" in outside and "lat 为纬度" in outside and "outside" not in outside
    root = xml(o311.post(f"{V2}/requests.xml", data={**good, "service_code": "aliens"}))
    assert root.tag == "errors" and root.findtext("error/code") == "400"
    assert "aliens" in (root.findtext("error/description") or "")
    bad_json = o311.post(f"{V2}/requests.json", content=b"[1, 2]",
                         headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400 and bad_json.json()[0]["code"] == 400
    bad_filter = o311.get(f"{V2}/requests.json?status=pending")
    assert bad_filter.status_code == 400 and "open or closed" in bad_filter.json()[0][
        "description"]
    bad_date = o311.get(f"{V2}/requests.json?start_date=yesterday")
    assert bad_date.status_code == 400 and "ISO 8601" in bad_date.json()[0]["description"]
    assert counts(seeded_url) == before


def test_unknown_ids_are_404_in_open311_format(o311: TestClient) -> None:
    for path in ("requests/999999.json", "requests/abc.json", "tokens/00ff00ff00ff.json",
                 "tokens/not-a-token.json", "services/aliens.json", "requests.csv"):
        r = o311.get(f"{V2}/{path}")
        assert r.status_code == 404, (path, r.text)
        assert r.json() == [{"code": 404, "description": r.json()[0]["description"]}], path
    root = xml(o311.get(f"{V2}/requests/999999.xml"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"
    assert "999999" in (root.findtext("error/description") or "")


def test_idempotency_key_retry_is_one_request(o311: TestClient, seeded_url: str,
                                              spot) -> None:  # noqa: ANN001
    _, lon, lat = spot
    data = form(lon, lat, description="断网重试")
    before = counts(seeded_url)[0]
    first = o311.post(f"{V2}/requests.json", data=data, headers={"Idempotency-Key": "o-1"})
    again = o311.post(f"{V2}/requests.json", data=data, headers={"Idempotency-Key": "o-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    as_xml = xml(o311.post(f"{V2}/requests.xml", data=data, headers={"Idempotency-Key": "o-1"}))
    assert as_xml.findtext("request/service_request_id") == first.json()[0]["service_request_id"]
    assert counts(seeded_url)[0] == before + 1
    other = o311.post(f"{V2}/requests.json", data={**data, "description": "另一条"},
                      headers={"Idempotency-Key": "o-1"})
    assert other.status_code == 409 and other.json()[0]["code"] == 409
    assert counts(seeded_url)[0] == before + 1


def test_the_default_list_is_recent_and_newest_first(o311: TestClient) -> None:
    r = o311.get(f"{V2}/requests.json")
    assert r.status_code == 200
    found = REQUESTS.validate_python(r.json())
    times = [datetime.fromisoformat(s.requested_datetime) for s in found]
    assert found and len(found) <= 1000 and times == sorted(times, reverse=True)
    assert min(times) >= max(times) - timedelta(days=91)
    assert {s.status for s in found} <= {"open", "closed"}
    english = REQUESTS.validate_python(o311.get(f"{V2}/requests.json?lang=en").json())
    assert {s.service_name for s in english}.isdisjoint({s.service_name for s in found})


def test_openapi_documents_the_endpoints(o311: TestClient) -> None:
    paths = o311.get("/openapi.json").json()["paths"]
    assert {f"{V2}/requests.{{fmt}}", f"{V2}/services.{{fmt}}"} <= set(paths)
    assert "application/x-www-form-urlencoded" in \
        paths[f"{V2}/requests.{{fmt}}"]["post"]["requestBody"]["content"]
