"""Stops (stay points) and path length on hand-made tracks at Tianfu Square."""

import pytest
from shapes import LAT0, LON0

from geo.metric import haversine_m
from geo.stops import find_stops, path_length_m

# about 9.6 m east per 0.0001 deg at lat 30.66
EAST_10M = 0.0001


def walk(seconds: range, *, east_per_fix: float) -> tuple[list[float], list[float], list[float]]:
    """A straight walk east from the origin, one fix per step of ``seconds``."""
    times = [float(s) for s in seconds]
    return times, [LON0 + k * east_per_fix for k in range(len(times))], [LAT0] * len(times)


def test_a_ten_minute_stay_between_two_walks_is_one_stop():
    t1, x1, y1 = walk(range(0, 300, 30), east_per_fix=5 * EAST_10M)  # 50 m per fix
    here = x1[-1] + 5 * EAST_10M
    t2 = [330.0 + 30 * k for k in range(21)]  # 10 minutes, 21 fixes jittering by ~5 m
    x2 = [here + (EAST_10M / 2 if k % 2 else 0.0) for k in range(21)]
    t3 = [t2[-1] + 30 * (k + 1) for k in range(10)]
    x3 = [here + (k + 1) * 5 * EAST_10M for k in range(10)]
    stops = find_stops(t1 + t2 + t3, x1 + x2 + x3, y1 + [LAT0] * 31)
    assert len(stops) == 1
    stop = stops[0]
    assert (stop.first, stop.last) == (10, 30)
    assert haversine_m(stop.lon, stop.lat, here, LAT0) < 5


def test_a_short_pause_is_not_a_stop():
    times = [0.0, 60, 120, 180, 240]  # four minutes in one place
    assert find_stops(times, [LON0] * 5, [LAT0] * 5) == []


def test_a_slow_drift_beyond_the_radius_is_not_a_stop():
    times, lons, lats = walk(range(0, 1200, 60), east_per_fix=EAST_10M * 0.8)  # 8 m/minute
    assert find_stops(times, lons, lats) == []
    assert len(find_stops(times, lons, lats, radius_m=200)) == 1


def test_empty_and_single_fix_tracks():
    assert find_stops([], [], []) == []
    assert find_stops([0.0], [LON0], [LAT0]) == []
    assert path_length_m([], []) == 0
    assert path_length_m([LON0], [LAT0]) == 0


def test_path_length_sums_the_legs():
    times, lons, lats = walk(range(0, 100, 10), east_per_fix=EAST_10M)
    leg = haversine_m(LON0, LAT0, LON0 + EAST_10M, LAT0)
    assert path_length_m(lons, lats) == pytest.approx(9 * leg)
    assert leg == pytest.approx(9.57, abs=0.01)
