import math

import pytest
from shapes import CHENGDU_AREA, PARIS, URUMQI, URUMQI_AREA

from geo.bbox import BBox, check_point, parse_bbox, validate_zoom
from geo.errors import GeoInputError

ORDER = "minLon,minLat,maxLon,maxLat"


def raised(call, *args, **kwargs) -> GeoInputError:
    with pytest.raises(GeoInputError) as info:
        call(*args, **kwargs)
    return info.value


def test_bbox_properties():
    box = BBox(104.0, 30.6, 104.2, 30.7)
    assert box.center == pytest.approx((104.1, 30.65))
    assert (box.width, box.height) == pytest.approx((0.2, 0.1))
    assert box.as_list() == [104.0, 30.6, 104.2, 30.7]


def test_bbox_contains_includes_edges_and_excludes_outside():
    box = BBox(104.0, 30.6, 104.2, 30.7)
    assert box.contains(104.0, 30.6) and box.contains(104.1, 30.65)
    assert not box.contains(104.3, 30.65) and not box.contains(104.1, 30.8)
    assert not box.contains(30.65, 104.1)


def test_bbox_intersects():
    box = BBox(0, 0, 1, 1)
    assert box.intersects(BBox(0.5, 0.5, 2, 2))
    assert box.intersects(BBox(1, 1, 2, 2))  # touching corner
    assert box.intersects(BBox(0.2, 0.2, 0.3, 0.3))  # inside
    assert not box.intersects(BBox(1.1, 0, 2, 1))
    assert not box.intersects(BBox(0, -2, 1, -0.1))


def test_bbox_expand_grows_and_clamps_to_the_world():
    assert BBox(104.0, 30.6, 104.2, 30.7).expand(0.1).as_list() == pytest.approx(
        [103.9, 30.5, 104.3, 30.8]
    )
    assert BBox(-179.95, -89.95, 179.95, 89.95).expand(1).as_list() == [-180, -90, 180, 90]


def test_bbox_is_frozen():
    with pytest.raises(AttributeError):
        BBox(0, 0, 1, 1).min_lon = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("104.0,30.6,104.2,30.7", BBox(104.0, 30.6, 104.2, 30.7)),
        (" 104.0 , 30.6,104.2 ,30.7 ", BBox(104.0, 30.6, 104.2, 30.7)),
        ("-1,-1,1,1", BBox(-1, -1, 1, 1)),
    ],
)
def test_parse_bbox_accepts_lon_lat_order(text, expected):
    assert parse_bbox(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (None, "bbox_missing"),
        ("", "bbox_missing"),
        ("   ", "bbox_missing"),
        ("104,30,105", "bbox_malformed"),
        ("104,30,105,31,0", "bbox_malformed"),
        ("104;30;105;31", "bbox_malformed"),
        ("104,30,,31", "bbox_malformed"),
        ("104,thirty,105,31", "bbox_malformed"),
        ("nan,30,105,31", "bbox_not_finite"),
        ("104,30,inf,31", "bbox_not_finite"),
        ("104,30,1e400,31", "bbox_not_finite"),
        ("190,30,191,31", "bbox_out_of_range"),
        ("104,-91,105,-90.5", "bbox_out_of_range"),
        ("105,30,104,31", "bbox_inverted"),
        ("104,31,105,30", "bbox_inverted"),
        ("104,30,104,31", "bbox_inverted"),
        ("100,25,110,31", "bbox_too_large"),
    ],
)
def test_parse_bbox_error_codes(text, code):
    err = raised(parse_bbox, text)
    assert err.code == code
    assert err.field == "bbox"
    assert err.message_zh and err.message_en and str(err) == err.message_en


@pytest.mark.parametrize("text", [None, "1,2,3", "a,b,c,d", "nan,1,2,3", "190,0,191,1", "2,2,1,1"])
def test_parse_bbox_messages_state_the_order(text):
    err = raised(parse_bbox, text)
    assert ORDER in err.message_en and ORDER in err.message_zh


def test_parse_bbox_says_when_lat_lon_look_swapped():
    err = raised(parse_bbox, "30.6,104.0,30.7,104.2")
    assert err.code == "bbox_out_of_range"
    assert "swapped" in err.message_en and "写反" in err.message_zh


def test_parse_bbox_does_not_claim_a_swap_that_cannot_be():
    err = raised(parse_bbox, "190,100,191,101")
    assert "swapped" not in err.message_en and "写反" not in err.message_zh


def test_parse_bbox_too_large_says_zoom_in_and_honours_max_span():
    err = raised(parse_bbox, "100,25,110,31")
    assert "zoom in" in err.message_en and "放大" in err.message_zh
    assert parse_bbox("100,25,110,31", max_span_deg=10.0).width == 10
    assert raised(parse_bbox, "104,30,104.2,30.1", max_span_deg=0.1).code == "bbox_too_large"


def test_check_point_accepts_a_point_in_the_service_area():
    assert check_point(104.06, 30.66, service_area=CHENGDU_AREA) is None


def test_check_point_out_of_range_that_looks_swapped_names_geojson_order():
    err = raised(check_point, 30.66, 104.06, service_area=CHENGDU_AREA)
    assert err.code == "coord_out_of_range"
    assert "swapped" in err.message_en and "[lon, lat]" in err.message_en
    assert "写反" in err.message_zh and "[经度, 纬度]" in err.message_zh


def test_check_point_outside_area_that_looks_swapped_names_geojson_order():
    lon, lat = URUMQI
    err = raised(check_point, lat, lon, service_area=URUMQI_AREA)
    assert err.code == "outside_service_area"
    assert "swapped" in err.message_en and "[lon, lat]" in err.message_en
    assert "写反" in err.message_zh


def test_check_point_outside_area_without_swap_hint():
    err = raised(check_point, *PARIS, service_area=CHENGDU_AREA)
    assert err.code == "outside_service_area"
    assert "swapped" not in err.message_en and "写反" not in err.message_zh


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(181.0, 30.0), (-180.5, 30.0), (104.0, 91.0), (math.nan, 30.0), (104, math.inf)],
)
def test_check_point_out_of_range(lon, lat):
    assert raised(check_point, lon, lat, service_area=CHENGDU_AREA).code == "coord_out_of_range"


def test_check_point_refuses_null_island_even_if_served():
    err = raised(check_point, 0.0, 0.0, service_area=BBox(-1, -1, 1, 1))
    assert err.code == "null_island"
    assert check_point(0.0, 0.5, service_area=BBox(-1, -1, 1, 1)) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (22, 22), (12.0, 12), ("12", 12), (" 7 ", 7), (None, None)],
)
def test_validate_zoom_accepts(value, expected):
    assert validate_zoom(value) == expected


@pytest.mark.parametrize("value", [-1, 23, 12.5, math.nan, "abc", "12.5", "", True, "-1"])
def test_validate_zoom_refuses(value):
    err = raised(validate_zoom, value)
    assert err.code == "zoom_invalid" and err.field == "zoom"


def test_validate_zoom_honours_limits():
    assert validate_zoom(5, min_zoom=5, max_zoom=10) == 5
    assert raised(validate_zoom, 4, min_zoom=5).code == "zoom_invalid"
    assert raised(validate_zoom, 11, max_zoom=10).code == "zoom_invalid"
