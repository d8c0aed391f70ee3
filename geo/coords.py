"""Conversion between WGS84, GCJ-02 (AMap, WeChat, Tencent) and BD-09 (Baidu).

This is the well-known public algorithm on the Krasovsky ellipsoid. Outside mainland China
the offsets are zero, as the standard algorithm does.
"""

import math

from geo.errors import GeoInputError

A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 algorithm uses
EE = 0.00669342162296594323  # Krasovsky eccentricity squared
X_PI = math.pi * 3000.0 / 180.0
COORD_SYSTEMS = ("wgs84", "gcj02", "bd09")

_INVERSE_STEP_DEG = 1e-12
_INVERSE_MAX_ITER = 30


def is_outside_china(lon: float, lat: float) -> bool:
    """Tell whether a point is outside the rough China box where GCJ-02 applies.

    >>> is_outside_china(116.39, 39.9), is_outside_china(2.35, 48.85)
    (False, True)
    """
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _shift_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset(lon: float, lat: float) -> tuple[float, float]:
    """Return the GCJ-02 offset (dlon, dlat) in degrees at a WGS84 point inside China."""
    dlat = _shift_lat(lon - 105.0, lat - 35.0)
    dlon = _shift_lon(lon - 105.0, lat - 35.0)
    radlat = math.radians(lat)
    magic = 1.0 - EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert WGS84 lon/lat to GCJ-02.

    >>> [round(v, 6) for v in wgs84_to_gcj02(116.404, 39.915)]
    [116.410244, 39.916404]
    """
    if is_outside_china(lon, lat):
        return lon, lat
    dlon, dlat = _gcj_offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert GCJ-02 lon/lat to WGS84 by fixed-point iteration (well under 1 cm).

    >>> [round(v, 6) for v in gcj02_to_wgs84(116.410244, 39.916404)]
    [116.404, 39.915]
    """
    if is_outside_china(lon, lat):
        return lon, lat
    # The offset changes slowly, so w <- w - (gcj(w) - target) converges in a few steps.
    wlon, wlat = lon, lat
    for _ in range(_INVERSE_MAX_ITER):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        step_lon, step_lat = glon - lon, glat - lat
        wlon, wlat = wlon - step_lon, wlat - step_lat
        if abs(step_lon) < _INVERSE_STEP_DEG and abs(step_lat) < _INVERSE_STEP_DEG:
            break
    return wlon, wlat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """Convert GCJ-02 lon/lat to Baidu BD-09.

    >>> [round(v, 6) for v in gcj02_to_bd09(116.404, 39.915)]
    [116.410369, 39.921337]
    """
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _bd09_to_gcj02_closed(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert Baidu BD-09 lon/lat to GCJ-02, refining the usual closed form to under 1 cm.

    >>> [round(v, 6) for v in bd09_to_gcj02(116.404, 39.915)]
    [116.397627, 39.908656]
    """
    # The closed form alone is off by up to ~0.2 m; a few fixed-point steps remove that.
    glon, glat = _bd09_to_gcj02_closed(lon, lat)
    for _ in range(_INVERSE_MAX_ITER):
        blon, blat = gcj02_to_bd09(glon, glat)
        step_lon, step_lat = blon - lon, blat - lat
        glon, glat = glon - step_lon, glat - step_lat
        if abs(step_lon) < _INVERSE_STEP_DEG and abs(step_lat) < _INVERSE_STEP_DEG:
            break
    return glon, glat


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """Convert WGS84 lon/lat to Baidu BD-09.

    >>> [round(v, 6) for v in wgs84_to_bd09(116.404, 39.915)]
    [116.416627, 39.9227]
    """
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert Baidu BD-09 lon/lat to WGS84.

    >>> [round(v, 5) for v in bd09_to_wgs84(116.416627, 39.9227)]
    [116.404, 39.915]
    """
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: float, lat: float, coord_sys: str) -> tuple[float, float]:
    """Convert a point declared in ``coord_sys`` (wgs84, gcj02 or bd09) to WGS84.

    >>> [round(v, 6) for v in to_wgs84(116.410244, 39.916404, "gcj02")]
    [116.404, 39.915]
    """
    name = coord_sys.strip().lower() if isinstance(coord_sys, str) else coord_sys
    if name == "wgs84":
        return lon, lat
    if name == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if name == "bd09":
        return bd09_to_wgs84(lon, lat)
    raise GeoInputError(
        "coord_sys_unknown",
        message_zh=(
            f"不支持的坐标系“{coord_sys}”，可选 wgs84（默认）、gcj02（高德/微信）、bd09（百度）。"
        ),
        message_en=(
            f"Unknown coordinate system {coord_sys!r}; use wgs84 (default), "
            "gcj02 (AMap/WeChat) or bd09 (Baidu)."
        ),
        field="coord_sys",
    )
