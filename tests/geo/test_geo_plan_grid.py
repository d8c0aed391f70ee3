"""One grid on its own, on the named reference geometries of plan_shapes: each problem
gets its code, its place and a message in Chinese and English."""

import json
import math
import time
import warnings

import pytest
import shapely
from plan_shapes import (
    LAT0,
    LON0,
    STEP,
    bowtie,
    bowtie_crossing,
    collinear,
    huge,
    line_not_polygon,
    ne_tiny,
    nw,
    nw_in_metres,
    nw_swapped,
    plan,
    point_as_geojson,
    point_not_polygon,
    three_positions,
    too_large,
    two_islands,
    unclosed_ring,
)
from shapes import CHENGDU_AREA, TIANANMEN_WGS84

from geo.plan import Limits, Violation, check_grid

with warnings.catch_warnings():  # shapely warns about the NaN it is asked to hold
    warnings.simplefilter("ignore", RuntimeWarning)
    with_nan = shapely.Polygon([(LON0, LAT0), (LON0 + STEP, LAT0), (LON0, math.nan)])


def codes(found: list[Violation]) -> list[str]:
    return [v.code for v in found]


@pytest.mark.parametrize("key", list(plan))
def test_each_reference_grid_is_fine_alone(key):
    assert check_grid(plan[key], key=key) == []
    assert check_grid(shapely.geometry.mapping(plan[key]), key=key) == []


def test_self_intersection_names_the_crossing_in_both_languages():
    [found] = check_grid(bowtie, key="NW")
    assert (found.code, found.grid, found.severity) == ("invalid_geometry", "NW", "error")
    assert found.where.equals(bowtie_crossing)
    assert "Self-intersection at [104.061 30.663]" in found.message_en
    assert "自相交" in found.message_zh and "104.061 30.663" in found.message_zh


def test_an_open_ring_is_refused_with_the_missing_closing_edge():
    [found] = check_grid(unclosed_ring, key="NW")
    assert found.code == "ring_not_closed"
    first, last = unclosed_ring["coordinates"][0][0], unclosed_ring["coordinates"][0][-1]
    assert list(found.where.coords) == [tuple(last), tuple(first)]
    assert "未闭合" in found.message_zh and "ring 1" in found.message_en


@pytest.mark.parametrize(
    ("geom", "code"),
    [
        (point_as_geojson, "geometry_type"),
        (point_not_polygon, "geometry_type"),
        (line_not_polygon, "geometry_type"),
        (shapely.Polygon(), "empty"),
        (three_positions, "degenerate"),
        (collinear, "degenerate"),
        (two_islands, "multipart"),
        (too_large, "too_large"),
        (ne_tiny, "too_small"),
        (nw_in_metres, "crs_metres"),
        (nw_swapped, "swapped_lat_lon"),
        (shapely.box(190, 10, 191, 11), "out_of_range"),
        (with_nan, "invalid_coordinate"),
        (shapely.geometry.mapping(with_nan), "invalid_coordinate"),
        (None, "empty"),
        ({"type": "Polygon", "coordinates": 5}, "malformed"),
        ({"type": "Polygon", "coordinates": [[[LON0, "x"]] * 4]}, "malformed"),
    ],
)
def test_each_bad_grid_gets_its_code(geom, code):
    assert codes(check_grid(geom, key="X")) == [code]


def test_a_point_where_a_polygon_is_expected_is_drawn_where_it_is():
    [found] = check_grid(point_as_geojson)
    assert found.where.equals(shapely.Point(LON0, LAT0))
    assert found.message_en == "The grid must be a Polygon; got a Point."


def test_metres_passed_as_degrees_say_where_they_would_lie():
    [found] = check_grid(nw_in_metres)
    assert "EPSG:3857" in found.message_en and "104.06100, 30.66300" in found.message_en
    assert "EPSG:3857" in found.message_zh


def test_swapped_coordinates_say_where_they_would_lie():
    [found] = check_grid(nw_swapped)
    assert "104.06000, 30.66200" in found.message_en and "写反" in found.message_zh


def test_sizes_name_the_area_and_the_limit():
    [small] = check_grid(ne_tiny, key="NE-a")
    assert small.message_en == "Grid NE-a covers 900 m², under the minimum of 2,000 m²."
    assert small.message_zh == "网格 NE-a 面积 900 平方米，小于下限 2,000 平方米。"
    assert check_grid(ne_tiny, limits=Limits(min_area_m2=500)) == []


def test_the_service_area_is_enforced_when_set():
    limits = Limits(service_area=CHENGDU_AREA)
    assert check_grid(nw, limits=limits) == []
    beijing = shapely.Point(TIANANMEN_WGS84).buffer(0.002)
    assert codes(check_grid(beijing, limits=limits)) == ["outside_service_area"]
    assert check_grid(beijing) == []  # no service area: anywhere in China will do


@pytest.mark.parametrize("as_geojson", [False, True])
def test_a_100000_vertex_polygon_is_refused_before_any_heavy_work(as_geojson):
    geom = shapely.geometry.mapping(huge) if as_geojson else huge
    start = time.perf_counter()
    found = check_grid(geom, key="NW")
    assert time.perf_counter() - start < 0.05
    assert codes(found) == ["too_many_vertices"]
    assert "100,000" in found[0].message_en and "5,000" in found[0].message_zh


def test_a_violation_is_a_geojson_feature():
    [found] = check_grid(bowtie, key="NW")
    feature = json.loads(json.dumps(found.to_feature()))
    assert feature["geometry"] == {"type": "Point", "coordinates": [104.061, 30.663]}
    assert feature["properties"]["code"] == "invalid_geometry"
    assert feature["properties"]["grid"] == "NW"
    assert feature["properties"]["severity"] == "error"
    assert Violation("x", "中", "en").to_feature()["geometry"] is None
