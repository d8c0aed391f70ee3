import pytest
from shapes import PARIS, TIANANMEN_WGS84

from geo.coords import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    is_outside_china,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from geo.errors import GeoInputError
from geo.metric import haversine_m

CITIES = [
    TIANANMEN_WGS84,
    (104.06, 30.66),  # Chengdu
    (121.4737, 31.2304),  # Shanghai
    (113.2644, 23.1291),  # Guangzhou
    (87.6168, 43.8256),  # Urumqi
    (126.6424, 45.7567),  # Harbin
    (109.5120, 18.2528),  # Sanya
]

# Published outputs of the reference implementation (wandergis/coordtransform, test/app.js).
PUBLISHED_IN = (116.404, 39.915)
PUBLISHED_GCJ = (116.41024449916938, 39.91640428150164)
PUBLISHED_BD = (116.41036949371029, 39.92133699351021)
PUBLISHED_BD_TO_GCJ = (116.39762729119315, 39.90865673957631)


def test_wgs84_to_gcj02_matches_published_pair():
    assert wgs84_to_gcj02(*PUBLISHED_IN) == pytest.approx(PUBLISHED_GCJ, abs=1e-9)


def test_gcj02_to_bd09_matches_published_pair():
    assert gcj02_to_bd09(*PUBLISHED_IN) == pytest.approx(PUBLISHED_BD, abs=1e-9)


def test_bd09_to_gcj02_matches_published_closed_form_within_ten_centimetres():
    got = bd09_to_gcj02(*PUBLISHED_IN)
    assert haversine_m(*got, *PUBLISHED_BD_TO_GCJ) < 0.1


def test_tiananmen_moves_by_the_known_gcj02_offset():
    lon, lat = TIANANMEN_WGS84
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert 0.005 < glon - lon < 0.007
    assert 0.0008 < glat - lat < 0.0018
    assert 300 < haversine_m(lon, lat, glon, glat) < 700


@pytest.mark.parametrize("point", CITIES)
def test_gcj02_inverse_round_trips_within_a_centimetre(point):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(*point))
    assert haversine_m(*point, *back) < 0.01


@pytest.mark.parametrize("point", CITIES)
def test_bd09_round_trips_within_a_centimetre(point):
    assert haversine_m(*point, *bd09_to_gcj02(*gcj02_to_bd09(*point))) < 0.01
    assert haversine_m(*point, *bd09_to_wgs84(*wgs84_to_bd09(*point))) < 0.01


def test_gcj02_inverse_beats_the_one_step_approximation():
    # The common one-step inverse is off by metres; ours must not be.
    glon, glat = wgs84_to_gcj02(*TIANANMEN_WGS84)
    one_step = (2 * glon - wgs84_to_gcj02(glon, glat)[0], 2 * glat - wgs84_to_gcj02(glon, glat)[1])
    assert haversine_m(*TIANANMEN_WGS84, *one_step) > 0.05
    assert haversine_m(*TIANANMEN_WGS84, *gcj02_to_wgs84(glon, glat)) < 0.001


def test_bd09_is_further_from_wgs84_than_gcj02():
    lon, lat = TIANANMEN_WGS84
    gcj_shift = haversine_m(lon, lat, *wgs84_to_gcj02(lon, lat))
    assert haversine_m(lon, lat, *wgs84_to_bd09(lon, lat)) > gcj_shift + 500


def test_outside_china_is_unchanged():
    assert is_outside_china(*PARIS)
    for convert in (wgs84_to_gcj02, gcj02_to_wgs84):
        assert convert(*PARIS) == PARIS


@pytest.mark.parametrize(
    ("lon", "lat", "outside"),
    [(116.39, 39.9, False), (72.0, 30.0, True), (138.0, 35.0, True), (110.0, 0.5, True)],
)
def test_is_outside_china(lon, lat, outside):
    assert is_outside_china(lon, lat) is outside


def test_to_wgs84_dispatches_on_coord_sys():
    gcj = wgs84_to_gcj02(*TIANANMEN_WGS84)
    bd = wgs84_to_bd09(*TIANANMEN_WGS84)
    assert to_wgs84(*TIANANMEN_WGS84, "wgs84") == TIANANMEN_WGS84
    assert to_wgs84(*gcj, "gcj02") == gcj02_to_wgs84(*gcj)
    assert to_wgs84(*bd, "bd09") == bd09_to_wgs84(*bd)
    assert haversine_m(*to_wgs84(*gcj, " GCJ02 "), *TIANANMEN_WGS84) < 0.01


@pytest.mark.parametrize("coord_sys", ["wgs-84", "epsg:4326", "", "gcj"])
def test_to_wgs84_refuses_unknown_coord_sys(coord_sys):
    with pytest.raises(GeoInputError) as info:
        to_wgs84(104.06, 30.66, coord_sys)
    assert info.value.code == "coord_sys_unknown"
    assert info.value.field == "coord_sys"
    assert "gcj02" in info.value.message_zh and "gcj02" in str(info.value)
