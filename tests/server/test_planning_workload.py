"""The workload of the grids under a street or community: figures against the tables, the
load with default and given weights, the spread per parent; errors and roles."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from geo.load import Weights, load_of, spread
from server.patrol.tracks import local_today
from server.planning.schemas import GridLoad, WorkloadOut
from tests.conftest import login
from tests.server.planning import COMMUNITY_A, COMMUNITY_B, STREET, planner, problem, rows

VALID_90_DAYS = ("SELECT count(*) FROM reports r JOIN grids g ON ST_Intersects(g.geom, r.geom) "
                 "WHERE g.id = %s AND r.status NOT IN ('rejected', 'merged') "
                 "AND r.created_at >= now() - interval '90 days'")


def workload(client: TestClient, query: str, role: str = "planner") -> WorkloadOut:
    r = client.get(f"/api/planning/workload?{query}", headers=login(client, role))
    assert r.status_code == 200, r.text
    return WorkloadOut.model_validate(r.json())


def walked(url: str, grid_id: int, days_ago: int, metres: float, shift: str = "all") -> None:
    day = local_today() - timedelta(days=days_ago)
    rows(url, "INSERT INTO coverage_days (day, shift, grid_id, starts_at, ends_at, walked_m) "
         "VALUES (%s, %s, %s, now(), now(), %s) RETURNING 1", day, shift, grid_id, metres)


def test_each_grid_s_figures_match_the_tables(client: TestClient, seeded_url: str) -> None:
    walked(seeded_url, 4, 0, 900.0)
    walked(seeded_url, 4, 6, 500.0)
    walked(seeded_url, 4, 7, 10_000.0)  # older than the last 7 days
    walked(seeded_url, 4, 1, 8_000.0, shift="day")  # a shift, counted in 'all' already
    out = workload(client, f"parent_id={COMMUNITY_A}")
    grids = {g.grid_id: g for g in out.grids}
    assert set(grids) == {4, 5, 6, 7, 8, 9, 17}
    assert [g.kind for g in out.grids][-1] == "dedicated"  # comprehensive first, by code
    for gid, g in grids.items():
        care = dict(rows(seeded_url, "SELECT care_color, count(*) FROM households "
                         "WHERE grid_id = %s GROUP BY 1", gid))
        assert g.care.model_dump() == {c: care.get(c, 0) for c in Weights().care}
        assert g.households == sum(care.values())
        assert g.residents == rows(seeded_url, "SELECT coalesce(sum(residents), 0) "
                                   "FROM households WHERE grid_id = %s", gid)[0][0]
        reports = rows(seeded_url, VALID_90_DAYS, gid)[0][0]
        assert g.reports_per_month == round(reports / 3, 2)
        area, street = rows(seeded_url, "SELECT ST_Area(geom::geography), coalesce((SELECT "
                            "sum(ST_Length(ST_Intersection(r.geom, g.geom)::geography)) FROM "
                            "roads r WHERE ST_Intersects(r.geom, g.geom)), 0) FROM grids g "
                            "WHERE id = %s", gid)[0]
        assert g.area_m2 == pytest.approx(area, abs=0.1)
        assert g.street_m == pytest.approx(street, abs=0.1)
        assert g.load == pytest.approx(load_of(
            households={c: n for c, n in care.items()}, residents=g.residents,
            reports_per_month=g.reports_per_month, area_m2=area, street_m=street), abs=0.01)
        assert (g.code, g.parent_id, g.key) == (
            rows(seeded_url, "SELECT code FROM grids WHERE id = %s", gid)[0][0], COMMUNITY_A,
            str(gid))
    assert grids[4].patrol_m == round(1400 / 7, 1) and grids[5].patrol_m == 0
    assert sum(g.households for g in out.grids) == rows(
        seeded_url, "SELECT count(*) FROM households WHERE grid_id BETWEEN 4 AND 9")[0][0] > 0
    assert sum(g.reports_per_month for g in out.grids) > 0 and grids[4].street_m > 0


def test_the_spread_per_parent_and_per_community(client: TestClient) -> None:
    community = workload(client, f"parent_id={COMMUNITY_A}")
    loads = [g.load for g in community.grids if g.kind == "comprehensive"]
    assert community.parent.model_dump() == {
        "id": COMMUNITY_A, "code": community.parent.code, "name": community.parent.name,
        "level": "community", "count": 6, "mean_load": round(sum(loads) / 6, 2),
        "spread": round(spread(loads), 4)}
    assert community.communities == [] and community.parent.spread > 0
    street = workload(client, f"parent_id={STREET}", role="operator")
    assert street.parent.level == "street" and street.parent.count == 12
    assert [c.id for c in street.communities] == [COMMUNITY_A, COMMUNITY_B]
    assert street.communities[0] == community.parent
    assert len(street.grids) == 14 and [g.parent_id for g in street.grids][:7] == [2] * 7
    everything = [g.load for g in street.grids if g.kind == "comprehensive"]
    assert street.parent.spread == round(spread(everything), 4)


def test_weights_from_the_query(client: TestClient) -> None:
    plain = {g.key: g for g in workload(client, f"parent_id={COMMUNITY_A}").grids}
    out = workload(client, f"parent_id={COMMUNITY_A}&care_red=50&care_green=0&street_km=0"
                   "&area_km2=0&resident=0&report_per_month=0")
    assert out.weights.care.red == 50 and out.weights.care.orange == 3.0
    for g in out.grids:
        expected = 50 * g.care.red + 3 * g.care.orange + 2 * g.care.yellow + 1.5 * g.care.blue
        assert g.load == pytest.approx(expected, abs=0.01)
        assert g.households == plain[g.key].households
    assert out.parent.spread != workload(client, f"parent_id={COMMUNITY_A}").parent.spread


def _same(a: GridLoad, b: GridLoad) -> bool:
    return a.model_dump() == b.model_dump()


def test_the_preview_measures_the_same_way(client: TestClient) -> None:
    from tests.server.planning import new_plan

    plan = new_plan(client, scope=COMMUNITY_A)
    r = client.get(f"/api/plans/{plan.id}/preview", headers=planner(client))
    before = {g["key"]: g for g in r.json()["workload"]["before"]}
    for g in workload(client, f"parent_id={COMMUNITY_A}").grids:
        assert _same(GridLoad.model_validate(before[g.key]), g)


def test_errors_and_roles(client: TestClient) -> None:
    h = planner(client)
    problem(client.get("/api/planning/workload?parent_id=4", headers=h), 422, "parent_level")
    problem(client.get("/api/planning/workload?parent_id=99999", headers=h), 404,
            "parent_not_found")
    problem(client.get("/api/planning/workload", headers=h), 422, "invalid_input")
    problem(client.get("/api/planning/workload?parent_id=2&care_red=-1", headers=h), 422,
            "invalid_input")
    problem(client.get("/api/planning/workload?parent_id=2&street_km=nan", headers=h), 422,
            "invalid_input")
    assert workload(client, f"parent_id={COMMUNITY_B}", role="admin").parent.count == 6
    problem(client.get("/api/planning/workload?parent_id=2",
                       headers=login(client, "patroller")), 403, "role_forbidden")
    problem(client.get("/api/planning/workload?parent_id=2"), 401, "no_token")
