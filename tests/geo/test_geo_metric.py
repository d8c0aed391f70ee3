import math

import numpy as np
import pytest
import shapely
from shapes import LAT0, LON0, ORIGIN, STEP, box_area_m2, detailed_circle, rect_area_m2, unit_square

from geo.metric import (
    area_m2,
    from_local_m,
    haversine_m,
    length_m,
    local_projector,
    to_local_m,
)

A, E2 = 6378137.0, 0.00669437999014


def parallel_m(lat: float, dlon: float) -> float:
    """Exact length along a parallel of the WGS84 ellipsoid."""
    s = math.sin(math.radians(lat))
    return A / math.sqrt(1 - E2 * s * s) * math.cos(math.radians(lat)) * math.radians(dlon)


def meridian_m(lat1: float, lat2: float, steps: int = 2000) -> float:
    """Meridian arc length on the WGS84 ellipsoid by the midpoint rule."""
    h = (lat2 - lat1) / steps
    total = 0.0
    for i in range(steps):
        s = math.sin(math.radians(lat1 + (i + 0.5) * h))
        total += A * (1 - E2) / (1 - E2 * s * s) ** 1.5
    return total * math.radians(h)


def test_haversine_known_values():
    assert haversine_m(0, 0, 0, 1) == pytest.approx(2 * math.pi * 6371008.8 / 360)
    assert haversine_m(LON0, LAT0, LON0, LAT0) == 0
    assert haversine_m(104, 30, 105, 31) == pytest.approx(haversine_m(105, 31, 104, 30))
    assert haversine_m(0, 0, 180, 0) == pytest.approx(math.pi * 6371008.8)


def test_local_projector_origin_and_round_trip_on_arrays():
    forward, inverse = local_projector(*ORIGIN)
    x, y = forward(LON0, LAT0)
    assert (float(x), float(y)) == (0.0, 0.0)
    lons = np.array([103.9, 104.06, 104.2])
    lats = np.array([30.5, 30.66, 30.8])
    back_lon, back_lat = inverse(*forward(lons, lats))
    assert np.allclose(back_lon, lons, atol=1e-12) and np.allclose(back_lat, lats, atol=1e-12)


@pytest.mark.parametrize("km", [1, 5, 20])
def test_local_projector_is_within_a_tenth_of_a_percent_within_20_km(km):
    forward, _ = local_projector(*ORIGIN)
    dlat = km / 111.0
    _, north = forward(LON0, LAT0 + dlat)
    assert float(north) == pytest.approx(meridian_m(LAT0, LAT0 + dlat), rel=1e-3)
    dlon = km / 96.0
    east, _ = forward(LON0 + dlon, LAT0)
    assert float(east) == pytest.approx(parallel_m(LAT0, dlon), rel=1e-4)


def test_to_and_from_local_m_round_trip():
    local = to_local_m(detailed_circle, origin=ORIGIN)
    assert local.centroid.distance(shapely.Point(0, 0)) < 1e-6
    assert 1100 < local.bounds[3] < 1120  # 0.01 deg of latitude
    back = from_local_m(local, origin=ORIGIN)
    assert back.equals_exact(detailed_circle, tolerance=1e-12)


@pytest.mark.parametrize("size", [STEP, 0.05, 0.2])
def test_area_matches_the_ellipsoid_within_a_tenth_of_a_percent(size):
    square = shapely.box(LON0, LAT0, LON0 + size, LAT0 + size)
    assert area_m2(square) == pytest.approx(rect_area_m2(*square.bounds), rel=1e-3)


def test_area_of_the_unit_square():
    assert area_m2(unit_square) == pytest.approx(box_area_m2(unit_square), rel=1e-6)
    assert 10_000 < area_m2(unit_square) < 11_000


def test_area_and_length_of_empty_and_lines():
    assert area_m2(shapely.Polygon()) == 0.0
    assert length_m(shapely.LineString()) == 0.0
    assert area_m2(shapely.LineString([ORIGIN, (LON0 + STEP, LAT0)])) == 0.0


def test_length_of_lines_and_perimeters():
    east_west = shapely.LineString([(LON0, LAT0), (LON0 + 0.1, LAT0)])
    assert length_m(east_west) == pytest.approx(parallel_m(LAT0, 0.1), rel=1e-4)
    north_south = shapely.LineString([(LON0, LAT0), (LON0, LAT0 + 0.1)])
    assert length_m(north_south) == pytest.approx(meridian_m(LAT0, LAT0 + 0.1), rel=1e-4)
    perimeter = 2 * parallel_m(LAT0 + STEP / 2, STEP) + 2 * meridian_m(LAT0, LAT0 + STEP)
    assert length_m(unit_square) == pytest.approx(perimeter, rel=1e-4)


def test_local_projection_keeps_a_point_on_an_edge_on_it():
    # Coverage relies on this: a neighbour's vertex on a shared edge must not drift off it.
    edge = shapely.LineString([(LON0 + 0.1, LAT0 - 0.1), (LON0 + 0.1, LAT0 + 0.1)])
    on_edge = shapely.Point(LON0 + 0.1, LAT0 + 0.03)
    local_edge = to_local_m(edge, origin=ORIGIN)
    assert local_edge.distance(to_local_m(on_edge, origin=ORIGIN)) < 1e-6
