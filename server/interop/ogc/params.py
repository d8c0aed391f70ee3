"""The items query: bbox, datetime, limit and offset, checked before any SQL runs."""

from dataclasses import dataclass
from datetime import UTC, datetime

from geo.bbox import BBox, parse_bbox
from server.errors import InvalidInput
from server.interop.ogc.schemas import CRS84

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1
OPEN = ("", "..")
# Items take these; anything else is refused (OGC API – Features /req/core/query-param-unknown).
ITEM_PARAMS = frozenset({"f", "bbox", "bbox-crs", "crs", "datetime", "limit", "offset"})


@dataclass(frozen=True)
class ItemsQuery:
    """A validated items request; `since`/`until` bound the creation time (None: open)."""

    bbox: BBox | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    since: datetime | None = None
    until: datetime | None = None

    def params(self) -> dict[str, object]:
        """Bound parameters of the collections' SQL."""
        b = self.bbox
        window = (b.min_lon, b.min_lat, b.max_lon, b.max_lat) if b else (None,) * 4
        return {**dict(zip(("minx", "miny", "maxx", "maxy"), window, strict=True)),
                "limit": self.limit, "offset": self.offset, "since": self.since,
                "until": self.until, "id": None}


def unknown(names: set[str], allowed: frozenset[str]) -> None:
    """Refuse query parameters this endpoint does not define."""
    if extra := sorted(names - allowed):
        known = ", ".join(sorted(allowed))
        raise InvalidInput(f"不支持的查询参数：{', '.join(extra)}（可用：{known}）",
                           f"Unknown query parameter: {', '.join(extra)} (known: {known})",
                           code="unknown_parameter", field=extra[0])


def bbox(text: str | None) -> BBox | None:
    """minLon,minLat,maxLon,maxLat in CRS84 (a 3-D box drops its heights); None: no filter.

    >>> bbox("104.0,30.6,0,104.2,30.7,50")
    BBox(min_lon=104.0, min_lat=30.6, max_lon=104.2, max_lat=30.7)
    """
    if text is None:
        return None
    parts = text.split(",")
    if len(parts) == 6:
        text = ",".join(parts[:2] + parts[3:5])
    # The page size bounds the work, so the window may be as large as the world.
    return parse_bbox(text, max_span_deg=360.0)


def crs(value: str | None, field: str) -> None:
    """Only CRS84 (lon/lat, as stored) is served."""
    if value is not None and value.strip() != CRS84:
        raise InvalidInput(f"{field} 只支持 {CRS84}（经度在前）",
                           f"{field} supports only {CRS84} (longitude first)",
                           code="unsupported_crs", field=field)


def limit(value: int | None) -> int:
    """The page size: 100 by default, clamped to 1000 as the standard allows.

    >>> limit(None), limit(5), limit(50_000)
    (100, 5, 1000)
    """
    return DEFAULT_LIMIT if value is None else min(value, MAX_LIMIT)


def interval(text: str | None) -> tuple[datetime | None, datetime | None]:
    """An RFC 3339 instant or interval (`a/b`, `../b`, `a/..`) as (since, until).

    >>> interval("2024-05-01T00:00:00Z/..")
    (datetime.datetime(2024, 5, 1, 0, 0, tzinfo=datetime.timezone.utc), None)
    """
    if text is None or not text.strip():
        return None, None
    parts = text.strip().split("/")
    if len(parts) > 2 or all(p in OPEN for p in parts):
        raise _bad_datetime(text)
    if len(parts) == 1:
        at = _instant(parts[0], text)
        return at, at
    since, until = (None if p in OPEN else _instant(p, text) for p in parts)
    if since and until and since > until:
        raise _bad_datetime(text)
    return since, until


def _instant(part: str, text: str) -> datetime:
    if "T" in part.upper() and " " in part:  # an unencoded '+' in the offset arrives as a space
        part = part.replace(" ", "+")
    try:
        at = datetime.fromisoformat(part.replace("z", "Z"))
    except ValueError:
        raise _bad_datetime(text) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _bad_datetime(text: str) -> InvalidInput:
    shown = text[:60]
    return InvalidInput(
        f"datetime 应为 RFC 3339 时间或区间，例如 2024-05-01T00:00:00Z/..（收到 {shown!r}）",
        f"datetime must be an RFC 3339 instant or interval, e.g. 2024-05-01T00:00:00Z/.. "
        f"(got {shown!r})", code="bad_datetime", field="datetime")
