"""Coverage and containment: the properties the console and the checks rely on."""

import numpy as np
import shapely

from geo.coverage import assert_contains, check_coverage
from seed.generate import SeedData

TOL_M2 = 1.0


def grids(data: SeedData, level: str, kind: str = "comprehensive") -> list[dict]:
    return [g for g in data.grids if g["level"] == level and g["kind"] == kind]


def test_every_grid_geometry_is_a_valid_multipolygon(data: SeedData) -> None:
    geoms = np.array([g["geom"] for g in data.grids], dtype=object)
    assert shapely.is_valid(geoms).all()
    assert set(shapely.get_type_id(geoms).tolist()) == {6}
    lon, lat = data.origin
    x, y = shapely.get_coordinates(geoms).T
    assert abs(x.mean() - lon) < 0.1 and abs(y.mean() - lat) < 0.1  # lon/lat, not lat/lon


def test_comprehensive_grids_tile_their_community(data: SeedData) -> None:
    for comm in grids(data, "community"):
        parts = [g["geom"] for g in grids(data, "grid") if g["parent_id"] == comm["id"]]
        report = check_coverage(parts, comm["geom"], tolerance_m2=TOL_M2)
        assert report.ok, (comm["name"], report.gap_area_m2, report.overlap_area_m2,
                           report.outside_area_m2)


def test_communities_tile_the_street(data: SeedData) -> None:
    [street] = grids(data, "street")
    parts = [c["geom"] for c in grids(data, "community")]
    report = check_coverage(parts, street["geom"], tolerance_m2=TOL_M2)
    assert report.ok, (report.gap_area_m2, report.overlap_area_m2, report.outside_area_m2)


def test_a_gap_would_be_noticed(tiny: SeedData) -> None:
    comm = grids(tiny, "community")[0]
    parts = [g["geom"] for g in grids(tiny, "grid") if g["parent_id"] == comm["id"]]
    assert not check_coverage(parts[1:], comm["geom"], tolerance_m2=TOL_M2).ok


def test_dedicated_grids_lie_inside_their_community(data: SeedData) -> None:
    comm = {g["id"]: g["geom"] for g in grids(data, "community")}
    dedicated = grids(data, "grid", "dedicated")
    assert dedicated
    for d in dedicated:
        assert assert_contains(d["geom"], comm[d["parent_id"]], tolerance_m2=0.01), d["name"]


def test_households_sit_in_their_building_and_one_comprehensive_grid(data: SeedData) -> None:
    bgeom = {b["id"]: b["geom"] for b in data.buildings}
    hh = data.households
    x = np.array([h["geom"].x for h in hh])
    y = np.array([h["geom"].y for h in hh])
    own = np.array([bgeom[h["building_id"]] for h in hh], dtype=object)
    assert shapely.contains_xy(own, x, y).all()
    comp = grids(data, "grid")
    tree = shapely.STRtree(np.array([g["geom"] for g in comp], dtype=object))
    pi, gi = tree.query(shapely.points(x, y), predicate="intersects")
    assert np.array_equal(np.bincount(pi, minlength=len(hh)), np.ones(len(hh), int))
    found = np.array([comp[i]["id"] for i in gi[np.argsort(pi)]])
    assert np.array_equal(found, np.array([h["grid_id"] for h in hh]))


def test_buildings_are_inside_blocks_and_do_not_overlap(data: SeedData) -> None:
    blocks = {b["id"]: b["geom"] for b in data.blocks}
    geoms = np.array([b["geom"] for b in data.buildings], dtype=object)
    parents = np.array([blocks[b["block_id"]] for b in data.buildings], dtype=object)
    assert shapely.contains(parents, geoms).all()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    assert (left == right).all()
    assert {b["floors"] for b in data.buildings} <= set(range(3, 34))
    assert {b["units"] for b in data.buildings} <= {1, 2, 3, 4}


def test_blocks_lie_in_the_grid_they_name(data: SeedData) -> None:
    gid = {g["id"]: g["geom"] for g in grids(data, "grid")}
    for b in data.blocks:
        assert gid[b["grid_id"]].contains(b["geom"])


def test_roads_are_named_and_classed(demo: SeedData) -> None:
    classes = {r["class"] for r in demo.roads}
    assert classes == {"arterial", "local"}
    for r in demo.roads:
        assert r["geom"].geom_type == "LineString" and r["geom"].length > 0
        suffix = ("路", "大道") if r["class"] == "arterial" else ("街", "巷")
        assert r["name"].endswith(suffix), r["name"]


def test_reports_and_worker_positions_lie_in_their_grids(data: SeedData) -> None:
    gid = {g["id"]: g for g in data.grids}
    for r in data.reports:
        grid = gid[r["grid_id"]]
        assert grid["kind"] == "comprehensive" and grid["level"] == "grid"
        assert grid["geom"].covers(r["geom"])
        assert r["community_id"] == grid["parent_id"]
        assert r["street_id"] == gid[grid["parent_id"]]["parent_id"]
    for s in data.worker_state:
        assert gid[s["grid_id"]]["geom"].contains(s["geom"])
    for s in data.stations:
        assert gid[s["grid_id"]]["geom"].contains(s["geom"])
