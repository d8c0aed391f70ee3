"""A draft's grids, their parents and the points they hold, as shapely for geo/plan.

Geometries travel as WKB both ways, so a vertex shared by neighbours stays bit-for-bit the
same; households and stations come as bare points (no personal data).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import NotFound
from server.planning.models import Plan


@dataclass(frozen=True)
class Draft:
    """One grid of a draft."""

    key: str
    grid_id: int | None
    action: str
    kind: str
    parent_id: int
    code: str
    name: str
    geom: BaseGeometry

    def moved_to(self, geom: BaseGeometry) -> "Draft":
        return replace(self, geom=geom)


POINT_TABLES = {"households": "households", "stations": "stations"}  # names never from input
COLUMNS = "key, grid_id, action, kind, parent_id, code, name, ST_AsBinary(geom) AS wkb"


def key_order(key: str) -> tuple[int, str]:
    """Sort key of grid keys: shorter first, so '9' < '10' and 'n2' < 'n10'.

    >>> sorted(["n10", "10", "n2", "9"], key=key_order)
    ['9', '10', 'n2', 'n10']
    """
    return len(key), key


def next_key(plan: Plan) -> str:
    """The key of the next grid new in the draft: n1, n2 …"""
    plan.new_keys += 1
    return f"n{plan.new_keys}"


def single(geom: BaseGeometry) -> BaseGeometry:
    """A one-part MultiPolygon as the Polygon the edits work on; anything else as it is."""
    if geom.geom_type == "MultiPolygon" and len(geom.geoms) == 1:
        return geom.geoms[0]
    return geom


def wkb(geom: BaseGeometry) -> bytes:
    """2D WKB of a geometry for ST_GeomFromWKB."""
    return bytes(shapely.to_wkb(shapely.force_2d(geom)))


async def drafts(*, db: AsyncSession, plan_id: int, parent_ids: Iterable[int] | None = None,
                 living: bool = True) -> dict[str, Draft]:
    """The draft's grids (not retired unless `living` is false), by key, in key order."""
    rows = await db.execute(text(
        f"SELECT {COLUMNS} FROM plan_grids WHERE plan_id = :plan "
        "AND (CAST(:parents AS int[]) IS NULL OR parent_id = ANY(CAST(:parents AS int[]))) "
        "AND (NOT :living OR action <> 'retire') ORDER BY length(key), key"),
        {"plan": plan_id, "parents": None if parent_ids is None else list(parent_ids),
         "living": living})
    found = rows.mappings().all()
    geoms = shapely.from_wkb([bytes(r["wkb"]) for r in found]) if found else []
    return {r["key"]: Draft(r["key"], r["grid_id"], r["action"], r["kind"], r["parent_id"],
                            r["code"], r["name"], single(g))
            for r, g in zip(found, geoms, strict=True)}


async def one(*, db: AsyncSession, plan_id: int, key: str) -> Draft:
    """One grid of the draft, retired or not (404 if the key is unknown)."""
    row = (await db.execute(text(f"SELECT {COLUMNS} FROM plan_grids WHERE plan_id = :plan "
                                 "AND key = :key"), {"plan": plan_id, "key": key})).mappings()
    found = row.first()
    if found is None:
        raise NotFound(f"规划中没有网格 {key}", f"The plan has no grid {key}",
                       code="plan_grid_not_found", field="key")
    geom = single(shapely.from_wkb(bytes(found["wkb"])))
    return Draft(found["key"], found["grid_id"], found["action"], found["kind"],
                 found["parent_id"], found["code"], found["name"], geom)


async def parents(*, db: AsyncSession, ids: Iterable[int]) -> dict[int, BaseGeometry]:
    """The parents' (community or street) geometries by id."""
    rows = (await db.execute(text("SELECT id, ST_AsBinary(geom) FROM grids "
                                  "WHERE id = ANY(:ids)"), {"ids": sorted(set(ids))})).all()
    return {r[0]: single(shapely.from_wkb(bytes(r[1]))) for r in rows}


async def points(*, db: AsyncSession, table: str, plan_id: int, parent_id: int,
                 window: BaseGeometry | None = None) -> dict[int, BaseGeometry]:
    """Households or stations now in the parent's grids (within a window's box) as points."""
    found = await points_by_parent(db=db, table=table, plan_id=plan_id, parent_ids=[parent_id],
                                   window=window)
    return found.get(parent_id, {})


async def points_by_parent(*, db: AsyncSession, table: str, plan_id: int,
                           parent_ids: Iterable[int], window: BaseGeometry | None = None
                           ) -> dict[int, dict[int, BaseGeometry]]:
    """`points` of several parents in one query, by parent (a parent with none is left out)."""
    table = POINT_TABLES[table]
    box = window.bounds if window is not None else (None, None, None, None)
    rows = (await db.execute(text(
        f"SELECT p.parent_id, t.id, ST_X(t.geom), ST_Y(t.geom) FROM {table} t "
        "JOIN plan_grids p ON p.grid_id = t.grid_id "
        "WHERE p.plan_id = :plan AND p.parent_id = ANY(:parents) "
        "AND (CAST(:minx AS float8) IS NULL "
        "     OR t.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326))"),
        {"plan": plan_id, "parents": sorted(set(parent_ids)), "minx": box[0],
         "miny": box[1], "maxx": box[2], "maxy": box[3]})).all()
    if not rows:
        return {}
    xy = np.array([(r[2], r[3]) for r in rows], dtype=np.float64)
    found: dict[int, dict[int, BaseGeometry]] = {}
    for r, point in zip(rows, shapely.points(xy), strict=True):
        found.setdefault(r[0], {})[r[1]] = point
    return found


async def save(*, db: AsyncSession, plan_id: int, geoms: Mapping[str, BaseGeometry]) -> None:
    """Store new shapes; a copied grid whose shape changed becomes 'change'."""
    for key, geom in geoms.items():
        await db.execute(text(
            "UPDATE plan_grids SET geom = ST_Multi(ST_GeomFromWKB(:wkb, 4326)), "
            "action = CASE WHEN action = 'keep' THEN 'change' ELSE action END "
            "WHERE plan_id = :plan AND key = :key"),
            {"wkb": wkb(geom), "plan": plan_id, "key": key})


async def insert(*, db: AsyncSession, plan_id: int, key: str, geom: BaseGeometry,
                 attrs: Mapping[str, Any]) -> None:
    """Add a new grid to the draft under `key`."""
    await db.execute(text(
        "INSERT INTO plan_grids (plan_id, key, grid_id, action, code, name, name_en, level, "
        "kind, dedicated_type, parent_id, geom) VALUES (:plan, :key, NULL, 'new', :code, "
        ":name, :name_en, 'grid', :kind, :dedicated_type, :parent_id, "
        "ST_Multi(ST_GeomFromWKB(:wkb, 4326)))"),
        {"plan": plan_id, "key": key, "wkb": wkb(geom), "code": attrs["code"],
         "name": attrs["name"], "name_en": attrs.get("name_en"), "kind": attrs["kind"],
         "dedicated_type": attrs.get("dedicated_type"), "parent_id": attrs["parent_id"]})
