import pytest

from geo.errors import GeoInputError
from geo.load import CARE_COLORS, Weights, apportion, load_of, spread


def test_red_households_weigh_most_and_green_least():
    per_color = [load_of(households={color: 1}) for color in CARE_COLORS]
    assert per_color == sorted(per_color, reverse=True)
    assert per_color[0] > per_color[-1] == 1.0


def test_each_term_adds_its_named_weight():
    w = Weights(care={"red": 4.0, "green": 1.0}, resident=0.5, report_per_month=3.0,
                area_km2=10.0, street_km=2.0)
    got = load_of(households={"red": 1, "green": 2}, residents=4, reports_per_month=2,
                  area_m2=250_000, street_m=1_500, weights=w)
    assert got == pytest.approx(4 + 2 + 2 + 6 + 2.5 + 3)


def test_unknown_color_and_negative_counts_are_refused():
    with pytest.raises(GeoInputError) as err:
        load_of(households={"purple": 1})
    assert err.value.code == "care_color_unknown"
    with pytest.raises(GeoInputError) as err:
        load_of(households={"red": -1})
    assert err.value.code == "load_negative" and err.value.field == "households[red]"
    with pytest.raises(GeoInputError):
        load_of(households={}, area_m2=float("inf"))


def test_spread_is_the_population_coefficient_of_variation():
    assert spread([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx(2 / 5)
    assert spread([]) == spread([0, 0]) == spread([3]) == 0.0


def test_apportion_follows_load_within_caps():
    assert apportion([1.0, 1.0], 4) == [2, 2]
    assert apportion([90.0, 10.0], 10) == [9, 1]
    assert apportion([90.0, 10.0], 10, caps=[5, 10]) == [5, 5]
    assert apportion([0.0, 0.0, 0.0], 3) == [1, 1, 1]
    assert sum(apportion([3.0, 7.0, 11.0, 2.0], 539)) == 539


@pytest.mark.parametrize(("loads", "total", "caps"), [([1.0, 1.0], 1, None),
                                                      ([1.0, 1.0], 5, [2, 2])])
def test_apportion_refuses_what_cannot_be_shared(loads, total, caps):
    with pytest.raises(GeoInputError) as err:
        apportion(loads, total, caps=caps)
    assert err.value.code == "apportion_impossible"
