"""Bounding boxes, point checks and zoom checks for input that arrives as text or numbers.

Order is always GeoJSON order: longitude first (RFC 7946).
"""

import math
from dataclasses import dataclass

from geo.errors import GeoInputError

BBOX_ORDER_ZH = "顺序应为 minLon,minLat,maxLon,maxLat（经度在前，纬度在后）"
BBOX_ORDER_EN = "expected order is minLon,minLat,maxLon,maxLat (longitude first)"


@dataclass(frozen=True)
class BBox:
    """An axis-aligned lon/lat box in degrees.

    >>> BBox(104.0, 30.6, 104.2, 30.7).center
    (104.1, 30.65)
    """

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @property
    def center(self) -> tuple[float, float]:
        """Return the (lon, lat) centre."""
        return (self.min_lon + self.max_lon) / 2, (self.min_lat + self.max_lat) / 2

    @property
    def width(self) -> float:
        """Return the span in degrees of longitude."""
        return self.max_lon - self.min_lon

    @property
    def height(self) -> float:
        """Return the span in degrees of latitude."""
        return self.max_lat - self.min_lat

    def as_list(self) -> list[float]:
        """Return [minLon, minLat, maxLon, maxLat], the GeoJSON ``bbox`` member."""
        return [self.min_lon, self.min_lat, self.max_lon, self.max_lat]

    def contains(self, lon: float, lat: float) -> bool:
        """Tell whether a point lies inside or on the edge."""
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat

    def intersects(self, other: "BBox") -> bool:
        """Tell whether two boxes share at least one point."""
        return not (
            other.min_lon > self.max_lon
            or other.max_lon < self.min_lon
            or other.min_lat > self.max_lat
            or other.max_lat < self.min_lat
        )

    def expand(self, deg: float) -> "BBox":
        """Return the box grown by ``deg`` on every side, clamped to the world."""
        return BBox(
            max(self.min_lon - deg, -180.0),
            max(self.min_lat - deg, -90.0),
            min(self.max_lon + deg, 180.0),
            min(self.max_lat + deg, 90.0),
        )


def _bbox_error(code: str, zh: str, en: str) -> GeoInputError:
    return GeoInputError(
        code,
        message_zh=f"{zh}；{BBOX_ORDER_ZH}。",
        message_en=f"{en}; {BBOX_ORDER_EN}.",
        field="bbox",
    )


def _parse_numbers(text: str | None) -> list[float]:
    if text is None or not text.strip():
        raise _bbox_error("bbox_missing", "缺少 bbox 参数", "bbox is missing")
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        raise _bbox_error(
            "bbox_malformed",
            f"bbox 需要 4 个用逗号分隔的数字，收到 {len(parts)} 个",
            f"bbox needs 4 comma-separated numbers, got {len(parts)}",
        )
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise _bbox_error(
            "bbox_malformed",
            f"bbox 中有非数字的值：{text!r}",
            f"bbox has a non-numeric value: {text!r}",
        ) from None
    if not all(math.isfinite(n) for n in numbers):
        raise _bbox_error(
            "bbox_not_finite",
            "bbox 中不能有 NaN 或无穷大",
            "bbox values must be finite (no NaN or inf)",
        )
    return numbers


def _in_range(lon: float, lat: float) -> bool:
    return -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0


def _check_bbox_range(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> None:
    if _in_range(min_lon, min_lat) and _in_range(max_lon, max_lat):
        return
    if _in_range(min_lat, min_lon) and _in_range(max_lat, max_lon):
        raise _bbox_error(
            "bbox_out_of_range",
            "bbox 中纬度超出 [-90, 90]，看起来经纬度写反了（纬度在前）",
            "bbox latitude is outside [-90, 90]; it looks like lat and lon are swapped",
        )
    raise _bbox_error(
        "bbox_out_of_range",
        "bbox 超出范围：经度应在 [-180, 180]，纬度应在 [-90, 90]",
        "bbox is out of range: longitude must be in [-180, 180] and latitude in [-90, 90]",
    )


def parse_bbox(text: str | None, *, max_span_deg: float = 5.0) -> BBox:
    """Parse ``minLon,minLat,maxLon,maxLat`` text into a BBox, refusing anything doubtful.

    >>> parse_bbox("104.0,30.6,104.2,30.7")
    BBox(min_lon=104.0, min_lat=30.6, max_lon=104.2, max_lat=30.7)
    """
    min_lon, min_lat, max_lon, max_lat = _parse_numbers(text)
    _check_bbox_range(min_lon, min_lat, max_lon, max_lat)
    if min_lon >= max_lon or min_lat >= max_lat:
        raise _bbox_error(
            "bbox_inverted",
            "bbox 的最小值必须小于最大值",
            "bbox minimum must be less than maximum",
        )
    if max_lon - min_lon > max_span_deg or max_lat - min_lat > max_span_deg:
        raise GeoInputError(
            "bbox_too_large",
            message_zh=f"查询范围过大（超过 {max_span_deg:g} 度），请放大地图后重试。",
            message_en=f"bbox too large (over {max_span_deg:g} degrees), zoom in and retry.",
            field="bbox",
        )
    return BBox(min_lon, min_lat, max_lon, max_lat)


def check_point(lon: float, lat: float, *, service_area: BBox) -> None:
    """Refuse a point that is out of range, at (0, 0) or outside the service area.

    >>> check_point(104.06, 30.66, service_area=BBox(103.5, 30.0, 104.9, 31.5))
    """
    if not (math.isfinite(lon) and math.isfinite(lat) and _in_range(lon, lat)):
        swapped = math.isfinite(lon) and math.isfinite(lat) and _in_range(lat, lon)
        hint_zh = "看起来经纬度写反了，GeoJSON 的顺序是 [经度, 纬度]。" if swapped else ""
        hint_en = " They look swapped: GeoJSON order is [lon, lat]." if swapped else ""
        raise GeoInputError(
            "coord_out_of_range",
            message_zh=f"坐标超出范围：经度应在 [-180, 180]，纬度应在 [-90, 90]。{hint_zh}",
            message_en=(
                "Coordinates out of range: longitude must be in [-180, 180] "
                f"and latitude in [-90, 90].{hint_en}"
            ),
            field="coordinates",
        )
    if lon == 0.0 and lat == 0.0:
        raise GeoInputError(
            "null_island",
            message_zh="坐标为 (0, 0)，多半是定位失败，请重新定位。",
            message_en="Coordinates are (0, 0), which usually means the location fix failed.",
            field="coordinates",
        )
    if service_area.contains(lon, lat):
        return
    if service_area.contains(lat, lon):
        raise GeoInputError(
            "outside_service_area",
            message_zh="坐标不在服务区域内，看起来经纬度写反了：GeoJSON 的顺序是 [经度, 纬度]。",
            message_en=(
                "Point is outside the service area; the coordinates look swapped: "
                "GeoJSON order is [lon, lat]."
            ),
            field="coordinates",
        )
    raise GeoInputError(
        "outside_service_area",
        message_zh=f"坐标 ({lon}, {lat}) 不在服务区域内（顺序为 [经度, 纬度]）。",
        message_en=f"Point ({lon}, {lat}) is outside the service area (order is [lon, lat]).",
        field="coordinates",
    )


def validate_zoom(
    z: int | float | str | None, *, min_zoom: int = 0, max_zoom: int = 22
) -> int | None:
    """Return the zoom as an int in [min_zoom, max_zoom]; None passes through.

    >>> validate_zoom("12"), validate_zoom(None)
    (12, None)
    """
    if z is None:
        return None
    zoom: int | None = None
    if isinstance(z, bool):
        zoom = None
    elif isinstance(z, int):
        zoom = z
    elif isinstance(z, float) and z.is_integer():
        zoom = int(z)
    elif isinstance(z, str) and z.strip().lstrip("+-").isdigit():
        zoom = int(z.strip())
    if zoom is None or not min_zoom <= zoom <= max_zoom:
        raise GeoInputError(
            "zoom_invalid",
            message_zh=f"缩放级别应为 {min_zoom} 到 {max_zoom} 之间的整数，收到 {z!r}。",
            message_en=f"Zoom must be an integer from {min_zoom} to {max_zoom}, got {z!r}.",
            field="zoom",
        )
    return zoom
