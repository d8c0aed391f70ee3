"""Named reference geometries for the geo tests, like shapely's tests/common.py.

Everything sits at Tianfu Square, Chengdu; one STEP is 0.001 deg, about 96 m x 111 m there.
"""

import math

from shapely import Point, Polygon, box

from geo.bbox import BBox

LON0, LAT0 = ORIGIN = (104.06, 30.66)
STEP = 0.001


def cell(col: float, row: float, *, size: float = STEP) -> Polygon:
    """Return the square ``size`` deg wide whose south-west corner is col, row steps from ORIGIN."""
    west, south = LON0 + col * STEP, LAT0 + row * STEP
    return box(west, south, west + size, south + size)


def grid_cells(cols: int, rows: int) -> list[Polygon]:
    """Return cols x rows unit cells that tile grid_whole(cols, rows) exactly."""
    return [cell(c, r) for r in range(rows) for c in range(cols)]


def grid_whole(cols: int, rows: int) -> Polygon:
    """Return the rectangle that grid_cells(cols, rows) tiles."""
    return box(LON0, LAT0, LON0 + cols * STEP, LAT0 + rows * STEP)


def rect_area_m2(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> float:
    """Return the exact WGS84 ellipsoid area of a lon/lat rectangle (authalic formula)."""
    a, e2 = 6378137.0, 0.00669437999014
    e = math.sqrt(e2)
    b2 = a * a * (1 - e2)

    def band(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return b2 / 2 * (s / (1 - e2 * s * s) + math.atanh(e * s) / e)

    return math.radians(max_lon - min_lon) * (band(max_lat) - band(min_lat))


def box_area_m2(polygon: Polygon) -> float:
    """Return the exact ellipsoid area of an axis-aligned lon/lat box."""
    return rect_area_m2(*polygon.bounds)


unit_square = cell(0, 0)

# Two squares that tile a 2 x 1 rectangle.
rectangle = box(LON0, LAT0, LON0 + 2 * STEP, LAT0 + STEP)
left_half = cell(0, 0)
right_half = cell(1, 0)

# Two squares overlapping by half a step; their union is overlap_whole.
overlap_a = cell(0, 0)
overlap_b = cell(0.5, 0)
overlap_shared = box(LON0 + 0.5 * STEP, LAT0, LON0 + STEP, LAT0 + STEP)
overlap_whole = box(LON0, LAT0, LON0 + 1.5 * STEP, LAT0 + STEP)

# The rectangle with a 0.2-step strip down the middle that nobody covers.
gap_left = box(LON0, LAT0, LON0 + 0.9 * STEP, LAT0 + STEP)
gap_right = box(LON0 + 1.1 * STEP, LAT0, LON0 + 2 * STEP, LAT0 + STEP)
gap_strip = box(LON0 + 0.9 * STEP, LAT0, LON0 + 1.1 * STEP, LAT0 + STEP)

# A right part that runs half a step past the rectangle's east edge.
poking_out = box(LON0 + STEP, LAT0, LON0 + 2.5 * STEP, LAT0 + STEP)
poking_piece = box(LON0 + 2 * STEP, LAT0, LON0 + 2.5 * STEP, LAT0 + STEP)

# A self-intersecting "figure eight" ring crossing itself at the square's centre.
bowtie = Polygon(
    [(LON0, LAT0), (LON0 + STEP, LAT0 + STEP), (LON0 + STEP, LAT0), (LON0, LAT0 + STEP)]
)

detailed_circle = Point(ORIGIN).buffer(10 * STEP, quad_segs=64)  # 257 vertices, ~1 km radius
tiny_square = cell(0, 0, size=1e-6)  # about 10 cm across

TIANANMEN_WGS84 = (116.391275, 39.90765)
CHENGDU_AREA = BBox(103.5, 30.1, 104.9, 31.4)
URUMQI = (87.6168, 43.8256)
URUMQI_AREA = BBox(87.3, 43.6, 88.0, 44.1)
PARIS = (2.3522, 48.8566)
