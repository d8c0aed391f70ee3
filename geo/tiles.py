"""Web mercator (EPSG:3857) tile math for 256-pixel XYZ tiles."""

import math
import numbers

from geo.bbox import BBox
from geo.errors import GeoInputError

EARTH_RADIUS_M = 6378137.0  # WGS84 semi-major axis, the sphere web mercator uses
ORIGIN_SHIFT_M = math.pi * EARTH_RADIUS_M  # half the world width in EPSG:3857 metres
MAX_MERCATOR_LAT = 85.05112877980659
TILE_SIZE_PX = 256


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def validate_tile(z: int, x: int, y: int, *, max_zoom: int = 22) -> None:
    """Refuse a tile address that is not integers with 0 <= z <= max_zoom and 0 <= x, y < 2**z.

    >>> validate_tile(14, 13000, 6700)
    """
    if _is_int(z) and _is_int(x) and _is_int(y) and 0 <= z <= max_zoom:
        n = 2 ** int(z)
        if 0 <= x < n and 0 <= y < n:
            return
    raise GeoInputError(
        "tile_out_of_range",
        message_zh=(
            f"瓦片 {z}/{x}/{y} 不存在：级别应在 0 到 {max_zoom} 之间，x、y 应在 0 到 2^z-1 之间。"
        ),
        message_en=(
            f"Tile {z}/{x}/{y} does not exist: zoom must be 0 to {max_zoom} "
            "and x, y must be 0 to 2^z-1."
        ),
        field="tile",
    )


def tile_bounds_3857(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """Return (minx, miny, maxx, maxy) of a tile in EPSG:3857 metres.

    >>> [round(v, 2) for v in tile_bounds_3857(0, 0, 0)]
    [-20037508.34, -20037508.34, 20037508.34, 20037508.34]
    """
    validate_tile(z, x, y)
    size = 2 * ORIGIN_SHIFT_M / 2**z
    min_x = -ORIGIN_SHIFT_M + x * size
    max_y = ORIGIN_SHIFT_M - y * size
    return min_x, max_y - size, min_x + size, max_y


def _tile_lat(z: int, y: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2**z))))


def tile_bounds_lonlat(z: int, x: int, y: int) -> BBox:
    """Return the lon/lat box of a tile.

    >>> tile_bounds_lonlat(1, 1, 0).as_list()
    [0.0, 0.0, 180.0, 85.0511287798066]
    """
    validate_tile(z, x, y)
    n = 2**z
    return BBox(
        x / n * 360.0 - 180.0, _tile_lat(z, y + 1), (x + 1) / n * 360.0 - 180.0, _tile_lat(z, y)
    )


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """Return the (x, y) of the tile at zoom ``z`` that holds a point.

    >>> lonlat_to_tile(116.391275, 39.90765, 14)
    (13489, 6208)
    """
    validate_tile(z, 0, 0)
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeoInputError(
            "coord_out_of_range",
            message_zh="坐标超出范围：经度应在 [-180, 180]，纬度应在 [-90, 90]（经度在前）。",
            message_en="Coordinates out of range: lon in [-180, 180], lat in [-90, 90], lon first.",
            field="coordinates",
        )
    n = 2**z
    lat_rad = math.radians(max(-MAX_MERCATOR_LAT, min(MAX_MERCATOR_LAT, lat)))
    x = math.floor((lon + 180.0) / 360.0 * n)
    y = math.floor((1.0 - math.asinh(math.tan(lat_rad)) / math.pi) / 2.0 * n)
    # lon = 180 and the polar clamp land exactly on the far edge; keep them in the last tile.
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def meters_per_pixel(zoom: float, lat: float) -> float:
    """Return the ground size of one 256-px tile pixel at a zoom and latitude.

    >>> round(meters_per_pixel(0, 0.0), 3)
    156543.034
    """
    return 2 * math.pi * EARTH_RADIUS_M * math.cos(math.radians(lat)) / (TILE_SIZE_PX * 2**zoom)
