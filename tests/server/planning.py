"""Helpers for the planning tests on the seeded `tiny` street.

tiny: street 1; communities 2 (grids 4–9, dedicated 17) and 3 (grids 10–15, dedicated 16).
Grids 4 and 5 share a 436 m edge; 5 holds a station and an open report.
"""

import json
from typing import Any

import psycopg
import shapely
from fastapi.testclient import TestClient
from httpx import Response
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from server.planning.schemas import CheckOut, EditOut, PlanOut
from tests.conftest import login

STREET, COMMUNITY_A, COMMUNITY_B = 1, 2, 3


def planner(client: TestClient) -> dict[str, str]:
    return login(client, "planner")


def new_plan(client: TestClient, scope: int = STREET, name: str = "调整") -> PlanOut:
    r = client.post("/api/plans", json={"name": name, "scope_id": scope},
                    headers=planner(client))
    assert r.status_code == 201, r.text
    plan = PlanOut.model_validate(r.json())
    assert r.headers["etag"] == plan.etag
    return plan


def edit(client: TestClient, method: str, path: str, etag: str, body: Any = None,
         status: int = 200) -> EditOut:
    """An edit with If-Match that must succeed; returns the validated answer."""
    r = client.request(method, path, json=body, headers={**planner(client), "If-Match": etag})
    assert r.status_code == status, r.text
    out = EditOut.model_validate(r.json())
    assert r.headers["etag"] == out.plan.etag != etag
    return out


def problem(r: Response, status: int, code: str) -> dict:
    """A problem+json answer with the status and code."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == code, body
    assert body["detail_zh"] and body["detail_en"]
    return dict(body)


def check(client: TestClient, plan_id: int) -> CheckOut:
    r = client.get(f"/api/plans/{plan_id}/check", headers=planner(client))
    assert r.status_code == 200, r.text
    return CheckOut.model_validate(r.json())


def geom_of(url: str, grid_id: int) -> BaseGeometry:
    """A living grid's polygon as shapely."""
    with psycopg.connect(url) as c:
        row = c.execute("SELECT ST_AsBinary(geom) FROM grids WHERE id = %s", [grid_id]).fetchone()
    assert row is not None
    geom = shapely.from_wkb(bytes(row[0]))
    return geom.geoms[0] if geom.geom_type == "MultiPolygon" else geom


def draft_geom(url: str, plan_id: int, key: str) -> BaseGeometry:
    with psycopg.connect(url) as c:
        row = c.execute("SELECT ST_AsBinary(geom) FROM plan_grids WHERE plan_id = %s "
                        "AND key = %s", [plan_id, key]).fetchone()
    assert row is not None
    return shapely.from_wkb(bytes(row[0]))


def polygon_json(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON of a polygon, as a browser would send it."""
    return json.loads(json.dumps(mapping(geom)))


def across(geom: BaseGeometry) -> dict[str, Any]:
    """A north-south line through the middle of a grid, from outside to outside."""
    west, south, east, north = geom.bounds
    x = geom.centroid.x
    return {"type": "LineString", "coordinates": [[x, south - 0.001], [x, north + 0.001]]}


def rows(url: str, query: str, *args: object) -> list[tuple]:
    with psycopg.connect(url) as c:
        return [tuple(r) for r in c.execute(query, args)]


def value(url: str, query: str, *args: object) -> Any:
    found = rows(url, query, *args)
    assert found, query
    return found[0][0]


def as_shape(feature_geometry: dict[str, Any]) -> BaseGeometry:
    return shape(feature_geometry)
