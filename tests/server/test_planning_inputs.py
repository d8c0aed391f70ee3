"""Bad geometry on a plan edit: each a 422 naming the problem (and the spot where there is
one), the body limit, the vertex limit; and nothing stored by a refused edit."""

import json
import math
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.planning import geom_of, new_plan, planner, problem, rows


def _ring(x: float, y: float, d: float = 0.002) -> list[list[float]]:
    return [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]


def _cases(x: float, y: float) -> dict[str, tuple[dict[str, Any], str]]:
    """Named bad geometries near (x, y) and the code each must get."""
    bowtie = [[x, y], [x + 0.002, y + 0.002], [x + 0.002, y], [x, y + 0.002], [x, y]]
    metres = [[x * 111_000, y * 111_000] for x, y in _ring(x, y)]
    return {
        "self-intersecting": ({"type": "Polygon", "coordinates": [bowtie]},
                              "invalid_geometry"),
        "unclosed": ({"type": "Polygon", "coordinates": [_ring(x, y)[:-1] + [[x, y + 0.001]]]},
                     "ring_not_closed"),
        "empty": ({"type": "Polygon", "coordinates": []}, "empty"),
        "degenerate": ({"type": "Polygon", "coordinates": [[[x, y], [x + 0.001, y],
                                                            [x + 0.002, y], [x, y]]]},
                       "degenerate"),
        "point": ({"type": "Point", "coordinates": [x, y]}, "geometry_type"),
        "metres": ({"type": "Polygon", "coordinates": [metres]}, "crs_metres"),
        "swapped": ({"type": "Polygon", "coordinates": [[[b, a] for a, b in _ring(x, y)]]},
                    "swapped_lat_lon"),
        "two pieces": ({"type": "MultiPolygon", "coordinates": [[_ring(x, y, 0.001)], [
            _ring(x + 0.0015, y, 0.0004)]]}, "multipart"),
        "nan": ({"type": "Polygon", "coordinates": [[[x, y], [x + 0.002, y],
                                                     [math.nan, y + 0.002], [x, y]]]},
                "invalid_coordinate"),
        "text": ({"type": "Polygon", "coordinates": [[[x, y], [x + 0.002, y], ["east", y],
                                                      [x, y]]]}, "malformed"),
    }


@pytest.mark.parametrize("case", list(_cases(0, 0)))
def test_bad_polygons_are_refused_naming_the_problem(client: TestClient, seeded_url: str,
                                                     case: str) -> None:
    plan = new_plan(client)
    west, south, *_ = geom_of(seeded_url, 6).bounds
    geometry, code = _cases(west, south)[case]
    before = rows(seeded_url, "SELECT ST_AsBinary(geom), action FROM plan_grids "
                  "WHERE plan_id = %s AND key = '6'", plan.id)
    r = client.put(f"/api/plans/{plan.id}/grids/6",  # as a browser sends it, NaN too
                   content=json.dumps({"geometry": geometry, "name": "改"}),
                   headers={**planner(client), "If-Match": plan.etag,
                            "Content-Type": "application/json"})
    body = problem(r, 422, code)
    assert body["field"] == "geometry" and body["detail_en"].startswith("Grid 6 ")
    assert body["violations"]["features"][0]["properties"]["code"] == code
    after = rows(seeded_url, "SELECT ST_AsBinary(geom), action FROM plan_grids "
                 "WHERE plan_id = %s AND key = '6'", plan.id)
    assert after == before  # the name sent with it was not stored either
    assert rows(seeded_url, "SELECT version FROM plans WHERE id = %s", plan.id) == [(1,)]


def test_self_intersection_names_the_spot(client: TestClient, seeded_url: str) -> None:
    plan = new_plan(client)
    west, south, *_ = geom_of(seeded_url, 6).bounds
    geometry, _ = _cases(west, south)["self-intersecting"]
    r = client.put(f"/api/plans/{plan.id}/grids/6", json={"geometry": geometry},
                   headers={**planner(client), "Accept-Language": "en", "If-Match": plan.etag})
    body = problem(r, 422, "invalid_geometry")
    spot = body["violations"]["features"][0]["geometry"]
    assert spot["type"] == "Point"
    assert spot["coordinates"] == pytest.approx([west + 0.001, south + 0.001])
    assert "Self-intersection at [" in body["detail"]


def test_a_polygon_of_100000_vertices_is_refused_fast(client: TestClient,
                                                      seeded_url: str) -> None:
    plan = new_plan(client)
    n = 100_000
    ring = [[round(104.06 + 0.001 * math.cos(2 * math.pi * i / n), 5),
             round(30.66 + 0.001 * math.sin(2 * math.pi * i / n), 5)] for i in range(n)]
    ring.append(ring[0])
    payload = json.dumps({"geometry": {"type": "Polygon", "coordinates": [ring]}},
                         separators=(",", ":"))
    assert len(payload) < 2 * 1024 * 1024
    start = time.perf_counter()
    r = client.put(f"/api/plans/{plan.id}/grids/6", content=payload,
                   headers={**planner(client), "If-Match": plan.etag,
                            "Content-Type": "application/json"})
    elapsed = time.perf_counter() - start
    body = problem(r, 422, "too_many_vertices")
    assert "100,000" in body["detail_en"]
    assert elapsed < 2.0, elapsed


def test_a_20_mb_body_is_413(client: TestClient) -> None:
    plan = new_plan(client)
    payload = b'{"geometry": {"type": "Polygon", "coordinates": [[' + b"[104.06,30.66]," * (
        20 * 1024 * 1024 // 15) + b"[104.06,30.66]]]}}"
    r = client.put(f"/api/plans/{plan.id}/grids/6", content=payload,
                   headers={**planner(client), "If-Match": plan.etag,
                            "Content-Type": "application/json"})
    problem(r, 413, "payload_too_large")


def test_a_grid_outside_the_service_area_is_refused(client: TestClient) -> None:
    plan = new_plan(client)
    far = {"type": "Polygon", "coordinates": [_ring(116.39, 39.9)]}
    r = client.put(f"/api/plans/{plan.id}/grids/6", json={"geometry": far},
                   headers={**planner(client), "If-Match": plan.etag})
    assert "[lon, lat]" in problem(r, 422, "outside_service_area")["detail_en"]


def test_a_new_grid_with_bad_geometry_stores_nothing(client: TestClient,
                                                     seeded_url: str) -> None:
    plan = new_plan(client)
    body = {"geometry": {"type": "LineString", "coordinates": [[104.06, 30.66],
                                                               [104.07, 30.67]]},
            "kind": "dedicated", "dedicated_type": "market", "code": "m1", "name": "市场",
            "parent_id": 2}
    problem(client.post(f"/api/plans/{plan.id}/grids", json=body,
                        headers={**planner(client), "If-Match": plan.etag}),
            422, "geometry_type")
    assert rows(seeded_url, "SELECT count(*), max(new_keys) FROM plan_grids JOIN plans ON "
                "plans.id = plan_id WHERE plan_id = %s", plan.id) == [(14, 0)]
