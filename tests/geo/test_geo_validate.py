import pytest
import shapely
from shapes import LAT0, LON0, bowtie, detailed_circle, rectangle, unit_square

from geo.errors import GeoInputError
from geo.validate import check_polygon, check_rings_closed, explain_invalid


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(GeoInputError) as info:
        call(*args, **kwargs)
    return info.value.code


def test_explain_invalid_gives_reason_and_location_in_both_languages():
    assert explain_invalid(unit_square) is None
    zh, en = explain_invalid(bowtie)
    assert en == "Self-intersection at [104.0605 30.6605]"
    assert "自相交" in zh and "104.0605 30.6605" in zh


def test_explain_invalid_hole_outside_shell():
    holed = shapely.Polygon(
        unit_square.exterior.coords,
        [shapely.box(LON0 + 1, LAT0, LON0 + 1.0001, LAT0 + 0.0001).exterior.coords],
    )
    zh, en = explain_invalid(holed)
    assert en.startswith("Hole lies outside shell") and "内洞" in zh


def test_check_polygon_accepts_valid_polygons():
    assert check_polygon(unit_square) is None
    assert check_polygon(shapely.MultiPolygon([unit_square])) is None


def test_check_polygon_refuses_each_problem():
    assert code_of(check_polygon, shapely.Point(LON0, LAT0)) == "geometry_type"
    assert code_of(check_polygon, shapely.Polygon()) == "geometry_empty"
    assert code_of(check_polygon, bowtie) == "geometry_invalid"
    assert code_of(check_polygon, detailed_circle, max_vertices=100) == "too_many_vertices"
    assert code_of(check_polygon, rectangle, max_area_m2=20_000) == "geometry_too_large"
    assert check_polygon(rectangle, max_area_m2=25_000) is None


def test_check_polygon_error_names_the_field():
    with pytest.raises(GeoInputError) as info:
        check_polygon(bowtie, field="features[3].geometry")
    assert info.value.field == "features[3].geometry"
    assert "104.0605 30.6605" in info.value.message_en


def test_check_rings_closed():
    closed = [[0, 0], [1, 0], [1, 1], [0, 0]]
    assert check_rings_closed([closed, closed]) is None
    assert code_of(check_rings_closed, [[[0, 0], [1, 0], [1, 1], [0, 1]]]) == "ring_not_closed"
    assert code_of(check_rings_closed, [closed, [[0, 0], [1, 1], [0, 0]]]) == "ring_too_few_points"
