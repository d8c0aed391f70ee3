"""Stops along a track: where someone stayed within a small radius for a while.

A stop is the classic stay point (Li et al., 2008): from a fix, take the following fixes
while each stays within ``radius_m`` of it; if the first and last of them are at least
``min_seconds`` apart, they form a stop at their mean position, and the search goes on after
them. Fixes must be in time order; times are seconds on any common clock.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from geo.metric import haversine_m

STOP_RADIUS_M = 30.0
STOP_MIN_SECONDS = 300.0


@dataclass(frozen=True)
class Stop:
    """Fixes ``first`` to ``last`` (indexes, inclusive) stayed together at (lon, lat)."""

    first: int
    last: int
    lon: float
    lat: float


def find_stops(times: Sequence[float], lons: Sequence[float], lats: Sequence[float], *,
               radius_m: float = STOP_RADIUS_M,
               min_seconds: float = STOP_MIN_SECONDS) -> list[Stop]:
    """Return the stops of a track given as parallel sequences, in time order.

    >>> times = [0, 60, 120, 180, 240, 300, 360, 420]
    >>> lons = [104.0600, 104.0601, 104.0600, 104.0601, 104.0600, 104.0601, 104.07, 104.08]
    >>> [(s.first, s.last, round(s.lon, 5)) for s in find_stops(times, lons, [30.66] * 8)]
    [(0, 5, 104.06005)]
    """
    stops: list[Stop] = []
    i, n = 0, len(times)
    while i < n:
        j = i + 1
        while j < n and haversine_m(lons[i], lats[i], lons[j], lats[j]) <= radius_m:
            j += 1
        if times[j - 1] - times[i] >= min_seconds:
            count = j - i
            stops.append(Stop(i, j - 1, sum(lons[i:j]) / count, sum(lats[i:j]) / count))
            i = j
        else:
            i += 1
    return stops


def path_length_m(lons: Sequence[float], lats: Sequence[float]) -> float:
    """Return the length in metres of the path through the points, great circle per leg.

    >>> round(path_length_m([104.06, 104.06, 104.07], [30.66, 30.67, 30.67]))
    2068
    """
    return sum(haversine_m(lons[k - 1], lats[k - 1], lons[k], lats[k])
               for k in range(1, len(lons)))
