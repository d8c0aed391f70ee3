"""OGC API – Features Part 4 on grids: create, replace, update (merge-patch) and delete.

A write names the version it read (If-Match with the item's ETag); under the publish lock
the current version is compared, then the change goes to the planning domain as a plan of
one edit that is checked and published at once (server.planning.external). Only living
grids at level `grid` are written; the hierarchy above them is the planner page's work.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from geo.plan import Limits
from server.auth.schemas import Principal
from server.errors import (
    InvalidInput,
    MethodNotAllowed,
    PreconditionFailed,
    PreconditionRequired,
)
from server.interop.ogc import service
from server.interop.ogc.bodies import GridFeature
from server.params import etag_tags
from server.planning import external

WRITABLE = ("code", "name", "name_en", "dedicated_type")
FIXED = ("level", "kind", "parent_id")  # set on create, read-only afterwards
COLLECTION = "grids"


@dataclass(frozen=True)
class Current:
    """The living grid as published now."""

    id: int
    properties: dict[str, Any]


def writable(collection_id: str) -> None:
    """Only grids are written; the other collections are read-only (405), unknown 404."""
    service.layer(collection_id)
    if collection_id != COLLECTION:
        raise MethodNotAllowed(f"集合 {collection_id} 只读，只有 grids 可以编辑",
                               f"The collection {collection_id} is read-only; only grids "
                               "can be edited", code="read_only_collection",
                               headers={"Allow": "GET, OPTIONS"})


def require_if_match(if_match: str | None) -> str:
    """428 without If-Match: a write must name the version it was made from."""
    if not if_match or not if_match.strip():
        raise PreconditionRequired(
            "修改网格必须带上 If-Match（先 GET 该要素取得 ETag），以免覆盖他人的修改",
            "Send If-Match with the feature's ETag (GET the feature first), so that "
            "nobody's changes are overwritten", code="if_match_required", field="If-Match")
    return if_match


def matches(if_match: str, current: str) -> bool:
    """Whether If-Match names the current ETag (`*`, lists and a W/ a proxy added allowed).

    >>> matches('"a", W/"b"', '"b"'), matches('"a"', '"b"'), matches("*", '"b"')
    (True, False, True)
    """
    tags = etag_tags(if_match)
    return "*" in tags or current in tags


async def create(*, db: AsyncSession, principal: Principal, feature: GridFeature,
                 lim: Limits) -> int:
    """A new grid under a community, published at once; its id."""
    attrs = _new_grid(feature.properties)
    assert feature.geometry is not None
    external.polygon(feature.geometry, key=None, lim=lim)
    await external.hold_map(db=db)
    try:
        made = await external.add(db=db, principal=principal, geometry=feature.geometry,
                                  attrs=attrs, lim=lim)
    except InvalidInput as exc:
        if "plan_id" in exc.extra:  # the check's messages name the grid by its draft key
            exc.message_zh += "（新网格在检查中记为 n1）"
            exc.message_en += " (The new grid is n1 in the check.)"
        raise
    return made.grid_id


def _new_grid(props: Mapping[str, Any]) -> dict[str, Any]:
    """A new grid's properties: code, name and parent required, dedicated by default."""
    _require(props, ("code", "name", "parent_id"))
    if props.get("level") not in (None, "grid"):
        raise _fixed("level", props["level"], "grid")
    kind = props.get("kind") or "dedicated"
    _require_type(kind, props.get("dedicated_type"))
    return {"code": props["code"], "name": props["name"], "name_en": props.get("name_en"),
            "kind": kind, "dedicated_type": props.get("dedicated_type"),
            "parent_id": props["parent_id"]}


async def change(*, db: AsyncSession, principal: Principal, feature_id: str, if_match: str,
                 feature: GridFeature, merge: bool, lim: Limits) -> None:
    """Replace (PUT) or merge-patch (PATCH) a grid's shape and properties."""
    if feature.geometry is not None:
        external.polygon(feature.geometry, key=feature_id, lim=lim)
    await external.hold_map(db=db)
    current = await _current(db, feature_id, if_match)
    _same_id(current.id, feature)
    attrs = _changes(current.properties, feature.properties, merge=merge)
    if attrs or feature.geometry is not None:
        await external.reshape(db=db, principal=principal, grid_id=current.id,
                               geometry=feature.geometry, attrs=attrs, lim=lim)


async def delete(*, db: AsyncSession, principal: Principal, feature_id: str, if_match: str,
                 lim: Limits) -> None:
    """Retire a grid; a comprehensive one only when its neighbours leave no gap."""
    await external.hold_map(db=db)
    current = await _current(db, feature_id, if_match)
    await external.retire(db=db, principal=principal, grid_id=current.id, lim=lim)


async def _current(db: AsyncSession, feature_id: str, if_match: str) -> Current:
    """The grid now (404), if it is the version the client names (412) and a grid (422)."""
    page = await service.item(db=db, collection_id=COLLECTION, feature_id=feature_id)
    tag = service.etag(page)
    assert tag is not None
    if not matches(if_match, tag):
        raise PreconditionFailed(
            f"网格 {feature_id} 已被修改（ETag 已变），请重新读取后再改",
            f"Grid {feature_id} has changed since you read it (its ETag moved on); GET it "
            "again and redo your change", code="stale_etag", field="If-Match",
            headers={"ETag": tag})
    props: dict[str, Any] = json.loads(page.features)[0]["properties"]
    if props["level"] != "grid":
        raise InvalidInput(f"{feature_id} 是{props['level']}层级，只有网格（grid）可以在这里编辑",
                           f"{feature_id} is a {props['level']}; only grids (level grid) are "
                           "edited here", code="level_read_only", field="level")
    return Current(id=int(props["id"]), properties=props)


def _changes(now: Mapping[str, Any], sent: Mapping[str, Any], *, merge: bool) -> dict[str, Any]:
    """The writable properties that differ; read-only ones may be repeated unchanged."""
    for name in FIXED:
        if sent.get(name) is not None and sent[name] != now[name]:
            raise _fixed(name, sent[name], now[name])
    if not merge:
        _require(sent, ("code", "name"))
    target = {name: sent[name] if name in sent else (now[name] if merge else None)
              for name in WRITABLE}
    if merge:
        _require(target, ("code", "name"))
    _require_type(now["kind"], target["dedicated_type"])
    return {name: value for name, value in target.items() if value != now[name]}


def _same_id(grid_id: int, feature: GridFeature) -> None:
    for where, value in (("id", feature.id), ("properties.id", feature.properties.get("id"))):
        if value is not None and str(value) != str(grid_id):
            raise InvalidInput(f"{where} 为 {value}，与地址中的要素 {grid_id} 不符",
                               f"{where} is {value}, but the URL names feature {grid_id}",
                               code="id_mismatch", field=where)


def _require(props: Mapping[str, Any], names: tuple[str, ...]) -> None:
    if missing := [n for n in names if props.get(n) is None]:
        raise InvalidInput(f"缺少属性：{', '.join(missing)}",
                           f"Missing property: {', '.join(missing)}",
                           code="missing_property", field=f"properties.{missing[0]}")


def _require_type(kind: str, dedicated_type: str | None) -> None:
    if (kind == "dedicated") != (dedicated_type is not None):
        raise InvalidInput("专属网格必须给出类型（dedicated_type），综合网格不能有",
                           "A dedicated grid needs its dedicated_type; a comprehensive one "
                           "has none", code="dedicated_type", field="properties.dedicated_type")


def _fixed(name: str, sent: Any, now: Any) -> InvalidInput:
    return InvalidInput(
        f"属性 {name} 不能在这里修改（现为 {now}，收到 {sent}）；请在规划页面调整",
        f"Property {name} cannot be changed here (it is {now}, got {sent}); use the planner "
        "page", code="read_only_property", field=f"properties.{name}")
