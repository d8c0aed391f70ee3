"""Request bodies of the Part 4 writes: one GeoJSON Feature of a grid, checked before any
SQL runs; each problem is a 4xx that names what is wrong and where.

The media type comes first (415), then the JSON itself (400), then the Feature's shape and
its properties (422). The geometry is judged later, with the grid limits, by the planning
checks, so it is refused with the same codes and spots as on the planner page.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from server.errors import DomainError, InvalidInput, UnsupportedMediaType
from server.grids.models import DEDICATED_TYPES
from server.interop.ogc.schemas import CRS84, GEOJSON, JSON

MERGE_PATCH = "application/merge-patch+json"
FEATURE_TYPES = (GEOJSON, JSON)
PATCH_TYPES = (MERGE_PATCH, JSON, GEOJSON)
KINDS = ("comprehensive", "dedicated")
MAX_ID = 2**31 - 1
# name: (what it must be, zh, en); `None` is allowed where the column may be null.
PROPERTIES: dict[str, tuple[str, str]] = {
    "code": ("1–40 个字符的文字", "text of 1–40 characters"),
    "name": ("1–80 个字符的文字", "text of 1–80 characters"),
    "name_en": ("不超过 120 个字符的文字或 null", "text of at most 120 characters, or null"),
    "kind": (" 或 ".join(KINDS), " or ".join(KINDS)),
    "dedicated_type": (f"{', '.join(DEDICATED_TYPES)} 之一或 null",
                       f"one of {', '.join(DEDICATED_TYPES)}, or null"),
    "parent_id": ("社区的 id（整数）", "the id of a community (an integer)"),
    "level": ("grid", "grid"),
    "id": ("要素的 id", "the feature's id"),
}


@dataclass(frozen=True)
class GridFeature:
    """What a client sent: the geometry (None: not sent) and the properties it named."""

    geometry: dict[str, Any] | None
    properties: dict[str, Any] = field(default_factory=dict)
    id: Any = None


def media(header: str | None, allowed: tuple[str, ...]) -> None:
    """415 unless the Content-Type is one of `allowed` (parameters such as charset aside)."""
    kind = (header or "").split(";")[0].strip().lower()
    if kind not in allowed:
        raise UnsupportedMediaType(
            f"请求体的类型应为 {' 或 '.join(allowed)}（收到 {kind or '无'}）",
            f"The body must be {' or '.join(allowed)} (got {kind or 'none'})",
            code="unsupported_media_type", field="Content-Type")


def content_crs(header: str | None) -> None:
    """Only CRS84 (lon/lat) is taken; Content-Crs may name it, with or without <…>."""
    if header is not None and header.strip().strip("<>").strip() != CRS84:
        raise DomainError(f"Content-Crs 只支持 <{CRS84}>（经度在前）",
                          f"Content-Crs supports only <{CRS84}> (longitude first)",
                          code="unsupported_crs", field="Content-Crs")


def feature(raw: bytes, *, partial: bool) -> GridFeature:
    """The body as a grid Feature; `partial` (merge-patch) lets geometry and type be left out."""
    body = _json(raw)
    if not isinstance(body, dict) or body.get("type", "Feature" if partial else None) != "Feature":
        got = body.get("type") if isinstance(body, dict) else type(body).__name__
        hint_zh = "；一次只写一个要素" if got == "FeatureCollection" else ""
        hint_en = "; write one feature per request" if got == "FeatureCollection" else ""
        raise InvalidInput(f"请求体需要是一个 GeoJSON Feature（收到 {got}）{hint_zh}",
                           f"The body must be a GeoJSON Feature (got {got}){hint_en}",
                           code="not_a_feature", field="type")
    geometry = body.get("geometry")
    if (not partial or "geometry" in body) and not isinstance(geometry, dict):
        raise InvalidInput("要素需要一个面（geometry 为 GeoJSON Polygon）",
                           "The feature needs a geometry: a GeoJSON Polygon",
                           code="geometry_required", field="geometry")
    props = body.get("properties", {} if partial else None)
    if props is None and not partial:
        props = {}
    if not isinstance(props, dict):
        raise InvalidInput("properties 需要是一个对象", "properties must be an object",
                           code="malformed", field="properties")
    return GridFeature(geometry=geometry, properties=_checked(props), id=body.get("id"))


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        where = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        at = f"（第 {where[0]} 行第 {where[1]} 列）" if where[0] else ""
        at_en = f" (line {where[0]}, column {where[1]})" if where[0] else ""
        raise DomainError(f"请求体不是有效的 JSON{at}", f"The body is not valid JSON{at_en}",
                          code="malformed_json") from None


def _checked(props: dict[str, Any]) -> dict[str, Any]:
    """The properties, each of the right type; an unknown name is refused by name."""
    if unknown := sorted(set(props) - set(PROPERTIES)):
        known = ", ".join(PROPERTIES)
        raise InvalidInput(f"未知的属性：{', '.join(unknown)}（可用：{known}）",
                           f"Unknown property: {', '.join(unknown)} (known: {known})",
                           code="unknown_property", field=f"properties.{unknown[0]}")
    for name, value in props.items():
        if not _fits(name, value):
            zh, en = PROPERTIES[name]
            raise InvalidInput(f"属性 {name} 应为{zh}（收到 {json.dumps(value)[:40]}）",
                               f"Property {name} must be {en} (got {json.dumps(value)[:40]})",
                               code="invalid_property", field=f"properties.{name}")
    return dict(props)


def _fits(name: str, value: Any) -> bool:
    if value is None:
        return name != "code" and name != "name"
    if name in ("code", "name", "name_en"):
        longest = {"code": 40, "name": 80, "name_en": 120}[name]
        return isinstance(value, str) and bool(value.strip() or name == "name_en") \
            and len(value) <= longest
    if name == "kind":
        return value in KINDS
    if name == "dedicated_type":
        return value in DEDICATED_TYPES
    if name == "level":
        return isinstance(value, str)
    if name == "parent_id":
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID
    return isinstance(value, int | str) and not isinstance(value, bool)  # id
