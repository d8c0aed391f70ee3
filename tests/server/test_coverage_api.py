"""The coverage API on the seeded area: shapes, scoping, the layer, the report and errors.
The patroller walks a street of their home grid; the pass runs with the real clock."""

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from fastapi.testclient import TestClient

from server.coverage.schemas import CoverageOut, ReportOut
from server.patrol.tracks import LOCAL_TZ
from tests.conftest import login
from tests.server.factories import patroller_point, worker_of
from tests.server.helpers import area_bbox
from tests.server.test_coverage import advance

LAYER_PROPS = {"id", "grid_id", "code", "name", "kind", "share", "walked_m", "street_m",
               "patrolled", "hours_since", "last_patrolled_at"}


def patrol_home(url: str) -> tuple[int, int, str]:
    """The patroller walks one street piece of their home grid: (grid, worker, local day)."""
    home, _, _ = patroller_point(url)
    worker = worker_of(url, "patroller")
    now = datetime.now(UTC)
    start = now - timedelta(seconds=60)
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("INSERT INTO positions (worker_id, fix_time, device_id, geom, received_at) "
                  "SELECT %(w)s, %(t)s + make_interval(secs => 10 * i), 'dev', "
                  "ST_LineInterpolatePoint(p.geom, i / 4.0), %(t)s + make_interval(secs => "
                  "10 * i + 1) FROM (SELECT geom FROM coverage_pieces WHERE grid_id = %(g)s "
                  "ORDER BY id LIMIT 1) p, generate_series(0, 4) i",
                  {"w": worker, "t": start, "g": home})
    assert advance(url, now) > 0
    return home, worker, start.astimezone(LOCAL_TZ).date().isoformat()


def test_every_grid_with_its_share_workers_and_hours_since(client: TestClient,
                                                            seeded_url: str) -> None:
    home, worker, day = patrol_home(seeded_url)
    r = client.get("/api/coverage", params={"day": day}, headers=login(client, "operator"))
    assert r.status_code == 200, r.text
    assert {"day", "shift", "from", "to", "computed_through", "grids"} <= set(r.json())
    out = CoverageOut.model_validate(r.json())
    assert out.shift == "all" and out.to - out.from_ == timedelta(days=1)
    assert out.from_.astimezone(LOCAL_TZ).hour == 0 and out.computed_through is not None
    with psycopg.connect(seeded_url) as c:
        grids = {r[0] for r in c.execute("SELECT id FROM grids WHERE level = 'grid'")}
    assert {g.grid_id for g in out.grids} == grids
    mine = next(g for g in out.grids if g.grid_id == home)
    assert mine.patrolled and 0 < mine.walked_m <= mine.street_m
    assert mine.share is not None and 0 < mine.share < 1
    assert worker in [w.id for w in mine.workers] and mine.community_name
    assert mine.hours_since is not None and 0 <= mine.hours_since < 0.1
    idle = [g for g in out.grids if not g.patrolled]
    assert idle and all(g.walked_m == 0 and not g.workers for g in idle)
    never = [g for g in idle if g.last_patrolled_at is None]
    assert never and all(g.hours_since is None for g in never)  # no figure, not "0 h ago"
    assert all(g.share is None for g in out.grids if g.street_m == 0)
    r = client.get("/api/coverage", params={"day": day, "shift": "day"},
                   headers=login(client, "planner"))
    span = CoverageOut.model_validate(r.json())
    assert span.shift == "day" and span.from_.astimezone(LOCAL_TZ).hour == 8
    assert span.to - span.from_ == timedelta(hours=12)


def test_field_roles_see_only_their_own_grids(client: TestClient, seeded_url: str) -> None:
    home, _, day = patrol_home(seeded_url)
    for role in ("patroller", "grid_head"):
        h = login(client, role)
        out = CoverageOut.model_validate(client.get("/api/coverage", params={"day": day},
                                                    headers=h).json())
        assert [g.grid_id for g in out.grids] == [home]
        rep = ReportOut.model_validate(client.get("/api/coverage/report", params={"day": day},
                                                  headers=h).json())
        assert [(c.grids_total, c.patrolled_count, c.not_patrolled) for c in rep.communities] \
            == [(1, 1, [])]
        layer = client.get("/api/coverage/layer", params={"bbox": area_bbox(seeded_url)},
                           headers=h).json()
        assert [f["id"] for f in layer["features"]] == [home]


def test_the_layer_colours_grids_in_the_window(client: TestClient, seeded_url: str) -> None:
    home, _, day = patrol_home(seeded_url)
    r = client.get("/api/coverage/layer", params={"bbox": area_bbox(seeded_url), "zoom": 14,
                                                  "day": day},
                   headers=login(client, "admin"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    body = r.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 14
    for f in body["features"]:
        assert set(f["properties"]) == LAYER_PROPS
        assert f["geometry"]["type"] == "MultiPolygon"
    props = {f["id"]: f["properties"] for f in body["features"]}
    assert props[home]["patrolled"] is True and 0 < props[home]["share"] < 1
    assert sum(p["patrolled"] for p in props.values()) < len(props)


def test_the_report_lists_grids_not_patrolled(client: TestClient, seeded_url: str) -> None:
    home, _, day = patrol_home(seeded_url)
    h = login(client, "operator")
    rep = ReportOut.model_validate(client.get("/api/coverage/report", params={"day": day},
                                              headers=h).json())
    assert len(rep.communities) == 2 and str(rep.day) == day
    for c in rep.communities:
        assert c.grids_total == c.patrolled_count + len(c.not_patrolled)
        assert home not in [g.grid_id for g in c.not_patrolled]
    mine = next(c for c in rep.communities if c.patrolled_count)
    assert mine.name and mine.code and mine.not_patrolled
    one = client.get("/api/coverage/report", params={"day": day, "community_id": mine.id},
                     headers=h).json()
    assert [c["id"] for c in one["communities"]] == [mine.id]


@pytest.mark.parametrize(("path", "params", "role", "status", "code"), [
    ("/api/coverage", {}, None, 401, "no_token"),
    ("/api/coverage", {}, "dept_staff", 403, "role_forbidden"),
    ("/api/coverage/report", {}, "dept_staff", 403, "role_forbidden"),
    ("/api/coverage", {"day": "2026-13-01"}, "admin", 422, "day_malformed"),
    ("/api/coverage", {"day": "20261120"}, "admin", 422, "day_malformed"),
    ("/api/coverage/report", {"day": "yesterday"}, "admin", 422, "day_malformed"),
    ("/api/coverage", {"day": "2999-01-01"}, "admin", 422, "day_in_future"),
    ("/api/coverage", {"shift": "evening"}, "admin", 422, "shift_unknown"),
    ("/api/coverage", {"community_id": 999999}, "admin", 404, "community_not_found"),
    ("/api/coverage/report", {"community_id": 4}, "admin", 404, "community_not_found"),
    ("/api/coverage/layer", {}, "admin", 422, "bbox_missing"),
    ("/api/coverage/layer", {"bbox": "104,30,104.1,30.1", "zoom": 40}, "admin", 422,
     "zoom_invalid"),
    ("/api/coverage/layer", {"bbox": "104,30,104.1,30.1", "shift": "x"}, "admin", 422,
     "shift_unknown"),
])
def test_bad_requests_are_problems(client: TestClient, path: str, params: dict,
                                   role: str | None, status: int, code: str) -> None:
    r = client.get(path, params=params, headers=login(client, role) if role else {})
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == code and body["detail_zh"] and body["detail_en"]
