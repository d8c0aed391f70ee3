"""Named reference geometries for grid planning, like shapely's tests/common.py.

A community square of 4 x 4 steps at Tianfu Square (one STEP is 0.001 deg, about 96 m east
and 111 m north) is tiled by four comprehensive grids, NW, NE, SW and SE, each about
42,500 m². The broken variants below each carry one problem.
"""

import math

import numpy as np
from shapely import LineString, MultiPolygon, Point, Polygon, box

from geo.metric import local_projector

LON0, LAT0 = 104.06, 30.66
STEP = 0.001
_M_EAST, _M_NORTH = (float(v) for v in local_projector(LON0, LAT0)[0](LON0 + 1, LAT0 + 1))


def east(metres: float) -> float:
    """Return how many degrees of longitude ``metres`` are at the square."""
    return metres / _M_EAST


def north(metres: float) -> float:
    """Return how many degrees of latitude ``metres`` are at the square."""
    return metres / _M_NORTH


def steps(west: float, south: float, east_: float, north_: float) -> Polygon:
    """Return the box between the given step offsets from the square's south-west corner."""
    return box(LON0 + west * STEP, LAT0 + south * STEP, LON0 + east_ * STEP, LAT0 + north_ * STEP)


MID_LON, MID_LAT = LON0 + 2 * STEP, LAT0 + 2 * STEP

parent = steps(0, 0, 4, 4)
nw, ne, sw, se = steps(0, 2, 2, 4), steps(2, 2, 4, 4), steps(0, 0, 2, 2), steps(2, 0, 4, 2)
plan = {"NW": nw, "NE": ne, "SW": sw, "SE": se}

# NE pulled back from NW: a 0.3 m strip (cleaned) and a 10 m strip (a real gap).
ne_sliver_gap = box(MID_LON + east(0.3), MID_LAT, LON0 + 4 * STEP, LAT0 + 4 * STEP)
ne_gap = box(MID_LON + east(10), MID_LAT, LON0 + 4 * STEP, LAT0 + 4 * STEP)
gap_strip = box(MID_LON, MID_LAT, MID_LON + east(10), LAT0 + 4 * STEP)

# SE pushed into SW: by 0.2 m (cleaned) and by 20 m (a real overlap).
se_sliver_overlap = box(MID_LON - east(0.2), LAT0, LON0 + 4 * STEP, MID_LAT)
se_overlap = box(MID_LON - east(20), LAT0, LON0 + 4 * STEP, MID_LAT)
overlap_strip = box(MID_LON - east(20), LAT0, MID_LON, MID_LAT)

# NE running past the parent's east edge: by 0.2 m (cleaned) and by 30 m.
ne_sliver_out = box(MID_LON, MID_LAT, LON0 + 4 * STEP + east(0.2), LAT0 + 4 * STEP)
ne_poking_out = box(MID_LON, MID_LAT, LON0 + 4 * STEP + east(30), LAT0 + 4 * STEP)
poking_piece = box(LON0 + 4 * STEP, MID_LAT, LON0 + 4 * STEP + east(30), LAT0 + 4 * STEP)

# NE as two grids, NE-a about 30 m x 30 m (900 m², under the 2,000 m² minimum).
ne_tiny = box(LON0 + 4 * STEP - east(30), LAT0 + 4 * STEP - north(30), LON0 + 4 * STEP,
              LAT0 + 4 * STEP)
ne_rest = ne.difference(ne_tiny)

# A dedicated school grid over the SW/SE boundary, and a market grid overlapping it.
school = box(MID_LON - east(40), LAT0 + north(40), MID_LON + east(40), LAT0 + north(120))
market = box(MID_LON + east(20), LAT0 + north(100), MID_LON + east(90), LAT0 + north(160))

# A self-intersecting "figure eight", crossing itself in NW's centre.
bowtie = Polygon([(LON0, MID_LAT), (MID_LON, LAT0 + 4 * STEP), (MID_LON, MID_LAT),
                  (LON0, LAT0 + 4 * STEP)])
bowtie_crossing = Point(LON0 + STEP, LAT0 + 3 * STEP)

# GeoJSON input that shapely would silently repair: an open ring, a ring of 3 positions.
unclosed_ring = {"type": "Polygon", "coordinates": [[list(c) for c in nw.exterior.coords[:-1]]]}
three_positions = {"type": "Polygon", "coordinates": [[[LON0, LAT0], [MID_LON, LAT0],
                                                       [LON0, LAT0]]]}
point_as_geojson = {"type": "Point", "coordinates": [LON0, LAT0]}

point_not_polygon = Point(LON0 + STEP, LAT0 + STEP)
line_not_polygon = LineString([(LON0, LAT0), (MID_LON, MID_LAT)])
collinear = Polygon([(LON0, LAT0), (LON0 + STEP, LAT0 + STEP), (MID_LON, MID_LAT), (LON0, LAT0)])
two_islands = MultiPolygon([steps(0, 0, 1, 1), steps(3, 3, 4, 4)])
too_large = box(LON0, LAT0, LON0 + east(5_000), LAT0 + north(5_000))  # 25 km²


def _web_mercator(lon: float, lat: float) -> tuple[float, float]:
    r = 6378137.0
    return r * math.radians(lon), r * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


# NW with EPSG:3857 metres passed as lon/lat, and with lat/lon swapped.
nw_in_metres = Polygon([_web_mercator(x, y) for x, y in nw.exterior.coords])
nw_swapped = Polygon([(y, x) for x, y in nw.exterior.coords])

# A circle of 100,000 vertices, about 100 m across, in NW.
_angles = np.linspace(0, 2 * np.pi, 100_000, endpoint=False)
huge = Polygon(np.column_stack([LON0 + STEP + east(50) * np.cos(_angles),
                                LAT0 + 3 * STEP + north(50) * np.sin(_angles)]))

# Households: one inside each grid, one on the NW/NE edge, one outside the square.
households = {
    101: Point(LON0 + STEP, LAT0 + 3 * STEP),
    102: Point(LON0 + 3 * STEP, LAT0 + 3 * STEP),
    103: Point(LON0 + STEP, LAT0 + STEP),
    104: Point(LON0 + 3 * STEP, LAT0 + STEP),
}
on_nw_ne_edge = Point(MID_LON, LAT0 + 3 * STEP)
outside_square = Point(LON0 + 5 * STEP, LAT0 + STEP)
in_gap_strip = Point(MID_LON + east(5), LAT0 + 3 * STEP)
stations = {"S1": Point(LON0 + 0.5 * STEP, LAT0 + 0.5 * STEP)}

# Lines for splitting NW: straight across (20 m past both sides), stopping 1 m short of the
# far side, through household 101, zigzag (three pieces), stopping halfway, missing NW.
CUT_LON = LON0 + 1.25 * STEP
across_nw = LineString([(CUT_LON, MID_LAT - north(20)), (CUT_LON, LAT0 + 4 * STEP + north(20))])
nearly_across_nw = LineString([(CUT_LON, MID_LAT - north(20)),
                               (CUT_LON, LAT0 + 4 * STEP - north(1))])
through_household_101 = LineString([(LON0 + STEP, LAT0 + 1.9 * STEP),
                                    (LON0 + STEP, LAT0 + 4.1 * STEP)])
halfway_nw = LineString([(LON0 + STEP, MID_LAT - north(20)), (LON0 + STEP, LAT0 + 3 * STEP)])
zigzag_nw = LineString([(LON0 - east(10), LAT0 + 2.5 * STEP), (MID_LON + east(1), LAT0 + 3 * STEP),
                        (LON0 - east(10), LAT0 + 3.5 * STEP)])
missing_nw = LineString([(LON0 + 5 * STEP, LAT0), (LON0 + 5 * STEP, LAT0 + 4 * STEP)])

# NE moved 1 m east (a 1 m gap to NW, 1 m past the parent), for snapping back.
ne_one_metre_off = box(MID_LON + east(1), MID_LAT, LON0 + 4 * STEP + east(1), LAT0 + 4 * STEP)
# NE drawn 0.6 m short of NW at its top corner only, with NW's corner not on NE's edge.
ne_skewed = Polygon([(MID_LON + east(0.8), MID_LAT), (LON0 + 4 * STEP, MID_LAT),
                     (LON0 + 4 * STEP, LAT0 + 4 * STEP), (MID_LON + east(0.6), LAT0 + 4 * STEP)])
# A street running north-south 2 m east of the NW/NE boundary.
street = LineString([(MID_LON + east(2), LAT0 - north(50)), (MID_LON + east(2), LAT0 + north(500))])

# Corner neighbours (touch at one point only) and far apart grids, for merging.
diagonal_pair = [nw, se]
far_pair = [steps(0, 0, 1, 1), steps(3, 3, 4, 4)]
# SW and SE with a 0.1 mm hairline between them, as rounding leaves.
se_hairline = box(MID_LON + 1e-9, LAT0, LON0 + 4 * STEP, MID_LAT)

# SW with a 0.5 m x 0.5 m notch on its edge with SE: merged, the notch is a sliver hole.
notch = box(MID_LON - east(0.5), LAT0 + STEP, MID_LON, LAT0 + STEP + north(0.5))
sw_notched = sw.difference(notch)
# NE's upper half with its south-west corner 1 m east of the middle of NW's east edge.
ne_upper_off = box(MID_LON + east(1), LAT0 + 3 * STEP, LON0 + 4 * STEP, LAT0 + 4 * STEP)
# NE pulled back 0.1 m from NW along the whole edge, and 5 m more in one 5 m square: the gap's
# mean width is 0.2 m, but its square is no sliver.
_tail = box(MID_LON, MID_LAT, MID_LON + east(0.1), LAT0 + 4 * STEP)
_square = box(MID_LON, LAT0 + 3 * STEP, MID_LON + east(5), LAT0 + 3 * STEP + north(5))
ne_gap_with_tail = ne.difference(_tail.union(_square))
