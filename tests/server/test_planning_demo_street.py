"""The redistricting assistant on the demo street (all its communities, 87 % of today's
grids, as a district once went from 620 to 539): contiguous grids that tile every community
exactly, with a lower load spread, and a draft that passes the whole check."""

from collections.abc import Iterator

import pytest
import shapely
from fastapi.testclient import TestClient

from geo.coverage import tiles_exactly
from server.cluster import Cluster
from server.planning.schemas import CheckOut
from tests.conftest import TEMPLATE, _clone
from tests.server.planning import geom_of, planner, rows, value

DEMO = "gl_demo_street"


@pytest.fixture(scope="module")
def demo_template(pg: Cluster) -> str:
    from seed.load import run

    pg.create_db(DEMO, template=TEMPLATE)
    run(pg.url(DEMO), preset="demo", seed=42)
    return DEMO


@pytest.fixture
def seeded_url(pg: Cluster, demo_template: str) -> Iterator[str]:
    """This module's `client` runs on a copy of the demo street, not the tiny preset."""
    yield from _clone(pg, demo_template)


def test_the_demo_street_is_redrawn_evenly(client: TestClient, seeded_url: str) -> None:
    street = value(seeded_url, "SELECT id FROM grids WHERE level = 'street' ORDER BY id LIMIT 1")
    comprehensive = ("SELECT count(*) FROM grids g JOIN grids c ON c.id = g.parent_id "
                     "WHERE c.parent_id = %s AND g.kind = 'comprehensive' "
                     "AND g.retired_at IS NULL")
    today = value(seeded_url, comprehensive, street)
    k = round(today * 0.87)
    h = planner(client)
    r = client.post("/api/plans", json={"name": "全街道均衡", "scope_id": street}, headers=h)
    assert r.status_code == 201, r.text
    plan = r.json()
    r = client.post(f"/api/plans/{plan['id']}/redistrict", json={"parent_id": street, "k": k},
                    headers={**h, "If-Match": plan["etag"]})
    assert r.status_code == 200, r.text
    figures = r.json()["redistrict"]
    assert figures["k"] == k and figures["spread_after"] < figures["spread_before"]
    assert r.json()["check"]["ok"]
    assert CheckOut.model_validate(client.get(f"/api/plans/{plan['id']}/check",
                                              headers=h).json()).ok
    living = rows(seeded_url, "SELECT pg.parent_id, ST_NumGeometries(pg.geom), "
                  "ST_AsBinary(pg.geom) FROM plan_grids pg WHERE pg.plan_id = %s "
                  "AND pg.kind = 'comprehensive' AND pg.action <> 'retire'", plan["id"])
    assert len(living) == k
    assert all(n == 1 for _, n, _ in living)  # every grid one piece
    by_community: dict[int, list] = {}
    for parent, _, wkb in living:
        by_community.setdefault(parent, []).append(shapely.from_wkb(bytes(wkb)).geoms[0])
    for community, parts in by_community.items():
        assert tiles_exactly(parts, geom_of(seeded_url, community)), community
