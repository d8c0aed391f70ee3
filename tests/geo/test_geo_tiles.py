import math

import numpy as np
import pytest
from shapes import TIANANMEN_WGS84

from geo.errors import GeoInputError
from geo.tiles import (
    lonlat_to_tile,
    meters_per_pixel,
    tile_bounds_3857,
    tile_bounds_lonlat,
    validate_tile,
)

HALF_WORLD_M = 20037508.342789244
MAX_LAT = 85.0511287798066


def mercator_m(lon: float, lat: float) -> tuple[float, float]:
    """Project to EPSG:3857 with the textbook formula, independent of geo.tiles."""
    r = 6378137.0
    return math.radians(lon) * r, r * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def test_zoom_zero_covers_the_world():
    assert tile_bounds_3857(0, 0, 0) == pytest.approx(
        (-HALF_WORLD_M, -HALF_WORLD_M, HALF_WORLD_M, HALF_WORLD_M)
    )
    assert tile_bounds_lonlat(0, 0, 0).as_list() == pytest.approx([-180, -MAX_LAT, 180, MAX_LAT])


@pytest.mark.parametrize(
    ("lon", "lat", "z", "tile"),
    [
        (*TIANANMEN_WGS84, 14, (13489, 6208)),
        (0.0, 0.0, 1, (1, 1)),
        (-0.1, 0.1, 1, (0, 0)),
        (-180.0, 0.0, 3, (0, 4)),
        (180.0, 0.0, 3, (7, 4)),
        (10.0, 90.0, 3, (4, 0)),
        (10.0, -90.0, 3, (4, 7)),
        (104.06, 30.66, 0, (0, 0)),
    ],
)
def test_lonlat_to_tile_known_tiles(lon, lat, z, tile):
    assert lonlat_to_tile(lon, lat, z) == tile


def test_tile_14_13000_6700_bounds_are_sensible():
    bounds = tile_bounds_lonlat(14, 13000, 6700)
    assert bounds.width == pytest.approx(360 / 2**14)
    assert 105.6 < bounds.min_lon < 105.7 and 30.0 < bounds.min_lat < bounds.max_lat < 32.0
    assert lonlat_to_tile(*bounds.center, 14) == (13000, 6700)
    minx, miny, maxx, maxy = tile_bounds_3857(14, 13000, 6700)
    assert maxx - minx == pytest.approx(2 * HALF_WORLD_M / 2**14)
    assert maxy - miny == pytest.approx(maxx - minx)
    assert (minx, miny) == pytest.approx(mercator_m(bounds.min_lon, bounds.min_lat), abs=1e-3)
    assert (maxx, maxy) == pytest.approx(mercator_m(bounds.max_lon, bounds.max_lat), abs=1e-3)


def test_neighbouring_tiles_share_edges():
    here = tile_bounds_lonlat(10, 800, 400)
    east = tile_bounds_lonlat(10, 801, 400)
    south = tile_bounds_lonlat(10, 800, 401)
    assert here.max_lon == pytest.approx(east.min_lon)
    assert here.min_lat == pytest.approx(south.max_lat)


def test_four_children_cover_their_parent():
    parent = tile_bounds_3857(5, 10, 12)
    children = [tile_bounds_3857(6, 20 + dx, 24 + dy) for dx in (0, 1) for dy in (0, 1)]
    assert min(c[0] for c in children) == pytest.approx(parent[0])
    assert min(c[1] for c in children) == pytest.approx(parent[1])
    assert max(c[2] for c in children) == pytest.approx(parent[2])
    assert max(c[3] for c in children) == pytest.approx(parent[3])


@pytest.mark.parametrize(
    ("z", "x", "y"),
    [(0, 1, 0), (0, 0, 1), (1, -1, 0), (14, 16384, 0), (14, 0, 16384), (-1, 0, 0), (23, 0, 0)],
)
def test_validate_tile_refuses_out_of_range(z, x, y):
    with pytest.raises(GeoInputError) as info:
        validate_tile(z, x, y)
    assert info.value.code == "tile_out_of_range"
    assert f"{z}/{x}/{y}" in str(info.value)


@pytest.mark.parametrize(("z", "x", "y"), [(1.0, 0, 0), (1, "0", 0), (True, 0, 0), (2, 0, 1.5)])
def test_validate_tile_refuses_non_integers(z, x, y):
    with pytest.raises(GeoInputError) as info:
        validate_tile(z, x, y)
    assert info.value.code == "tile_out_of_range"


def test_validate_tile_accepts_numpy_ints_and_honours_max_zoom():
    assert validate_tile(np.int64(3), np.int32(7), np.int64(0)) is None
    with pytest.raises(GeoInputError):
        validate_tile(15, 0, 0, max_zoom=14)
    with pytest.raises(GeoInputError):
        tile_bounds_lonlat(2, 4, 0)


@pytest.mark.parametrize(("lon", "lat"), [(181, 0), (0, -91), (math.nan, 0)])
def test_lonlat_to_tile_refuses_bad_coordinates(lon, lat):
    with pytest.raises(GeoInputError) as info:
        lonlat_to_tile(lon, lat, 5)
    assert info.value.code == "coord_out_of_range"


def test_meters_per_pixel():
    assert meters_per_pixel(0, 0.0) == pytest.approx(156543.03392804097)
    assert meters_per_pixel(1, 0.0) == pytest.approx(meters_per_pixel(0, 0.0) / 2)
    assert meters_per_pixel(10, 60.0) == pytest.approx(meters_per_pixel(10, 0.0) / 2)
    z, lat = 14, 30.66
    tile_m = tile_bounds_3857(z, 0, 0)[2] - tile_bounds_3857(z, 0, 0)[0]
    assert meters_per_pixel(z, lat) == pytest.approx(tile_m / 256 * math.cos(math.radians(lat)))
