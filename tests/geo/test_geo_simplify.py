import math

import pytest
import shapely
from shapes import LAT0, ORIGIN, detailed_circle, left_half, right_half, tiny_square

from geo.simplify import simplify_for_zoom, tolerance_for_zoom
from geo.tiles import meters_per_pixel


def vertices(geom) -> int:
    return int(shapely.get_num_coordinates(geom))


def test_tolerance_is_half_a_pixel_on_the_ground():
    metres_per_degree_lat = 2 * math.pi * 6378137.0 / 360  # on the web-mercator sphere
    for zoom in (3, 10, 16):
        tolerance_m = tolerance_for_zoom(zoom, lat=LAT0) * metres_per_degree_lat
        assert tolerance_m == pytest.approx(0.5 * meters_per_pixel(zoom, LAT0))


def test_tolerance_halves_per_zoom_and_scales_with_pixels_and_latitude():
    assert tolerance_for_zoom(11) == pytest.approx(tolerance_for_zoom(10) / 2)
    assert tolerance_for_zoom(10, pixels=2.0) == pytest.approx(4 * tolerance_for_zoom(10))
    assert tolerance_for_zoom(10, lat=60.0) == pytest.approx(tolerance_for_zoom(10, lat=0.0) / 2)


def test_full_detail_from_zoom_17():
    assert simplify_for_zoom(detailed_circle, 17) is detailed_circle
    assert simplify_for_zoom(detailed_circle, 20) is detailed_circle
    assert vertices(simplify_for_zoom(detailed_circle, 16)) < vertices(detailed_circle)


def test_vertex_count_drops_at_low_zoom():
    counts = [vertices(simplify_for_zoom(detailed_circle, z, lat=LAT0)) for z in range(0, 18)]
    assert counts == sorted(counts)
    assert counts[6] < vertices(detailed_circle) / 10
    assert counts[-1] == vertices(detailed_circle)


@pytest.mark.parametrize("zoom", [6, 10, 14])
def test_simplified_stays_within_the_tolerance(zoom):
    simplified = simplify_for_zoom(detailed_circle, zoom, lat=LAT0)
    assert simplified.is_valid
    tolerance = tolerance_for_zoom(zoom, lat=LAT0)
    assert shapely.hausdorff_distance(simplified, detailed_circle) <= tolerance * 1.0001


@pytest.mark.parametrize("zoom", range(0, 17))
def test_never_empty_for_a_tiny_polygon(zoom):
    simplified = simplify_for_zoom(tiny_square, zoom)
    assert not simplified.is_empty and simplified.area > 0 and simplified.is_valid


def test_falls_back_to_the_original_when_simplify_empties(monkeypatch):
    monkeypatch.setattr(shapely, "simplify", lambda *args, **kwargs: shapely.Polygon())
    assert simplify_for_zoom(detailed_circle, 5) is detailed_circle


def test_falls_back_when_simplify_collapses_area(monkeypatch):
    flat = shapely.Polygon([ORIGIN, (ORIGIN[0] + 1, ORIGIN[1]), ORIGIN])
    monkeypatch.setattr(shapely, "simplify", lambda *args, **kwargs: flat)
    assert simplify_for_zoom(detailed_circle, 5) is detailed_circle


def test_keeps_shared_edges_and_types():
    pair = shapely.MultiPolygon([left_half, right_half])
    assert simplify_for_zoom(pair, 3).geom_type == "MultiPolygon"
    empty = shapely.Polygon()
    assert simplify_for_zoom(empty, 3) is empty
