"""The redistricting assistant on a draft: the blocks of a street or community regrouped into
k contiguous grids of even load (geo.redistrict.propose), in place of the draft's
comprehensive grids there.

Each block is a unit: its households (by care color) and residents through its buildings,
the valid reports nearest to it, and its share of its grid's area and street length, weighed
with the planner's weights; its current grid is the one it is filed in, its zone its
community, so no grid crosses a community boundary. A proposed grid that continues a current
one keeps that grid's key, code and name; the others are new, numbered after their community
("<社区>第N网格"); the current grids left over are retired. Dedicated grids are untouched.
"""

import asyncio
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import shapely
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from geo.load import Weights, load_of
from geo.plan import Limits
from geo.redistrict import Proposal, Unit, propose
from server.errors import InvalidInput
from server.planning import check, preview, shapes, workload
from server.planning.edits import Edit
from server.planning.models import Plan
from server.planning.schemas import RedistrictIn, Redistricting
from server.sqlfile import sql

MAX_SECONDS = 60.0  # the search stops here and answers the best grouping found so far
Community = dict[str, Any]
CONTINUE = text(
    "UPDATE plan_grids SET geom = ST_Multi(ST_GeomFromWKB(:wkb, 4326)), "
    "action = CASE WHEN action = 'new' THEN 'new' ELSE 'change' END "
    "WHERE plan_id = :plan AND key = :key")
RETIRE = text("UPDATE plan_grids SET action = 'retire' WHERE plan_id = :plan "
              "AND key = ANY(:keys) AND grid_id IS NOT NULL")
DROP = text("DELETE FROM plan_grids WHERE plan_id = :plan AND key = ANY(:keys) "
            "AND grid_id IS NULL")
CODES = text(
    "SELECT code FROM plan_grids WHERE plan_id = :plan AND action <> 'retire' "
    "AND starts_with(code, :prefix) "
    "UNION SELECT g.code FROM grids g WHERE g.retired_at IS NULL "
    "AND starts_with(g.code, :prefix) AND NOT EXISTS (SELECT 1 FROM plan_grids p "
    "    WHERE p.plan_id = :plan AND p.grid_id = g.id)")


async def redistrict(*, db: AsyncSession, plan: Plan, data: RedistrictIn,
                     lim: Limits) -> tuple[Edit, Redistricting]:
    """Replace the draft's comprehensive grids under the parent with a proposal of k grids."""
    communities = await _communities(db, plan, data.parent_id)
    units = await units_of(db=db, communities=list(communities), weights=data.weights.weights())
    _check_k(data.k, units)
    parents = await shapes.parents(db=db, ids={_id(u.zone) for u in units})
    draft = await asyncio.to_thread(
        propose, units=units, k=data.k, parent=parents, seed=data.seed, start=data.start,
        max_seconds=MAX_SECONDS)
    changed = await _apply(db, plan, draft, communities)
    found = await check.whole(db=db, plan_id=plan.id, lim=lim, parent_ids=communities)
    await shapes.save(db=db, plan_id=plan.id, geoms=found.cleaned)
    figures = await _figures(db, plan, data, draft, communities, len(units))
    return Edit(sorted(changed, key=shapes.key_order), found), figures


async def _figures(db: AsyncSession, plan: Plan, data: RedistrictIn, draft: Proposal,
                   communities: Mapping[int, Community], blocks: int) -> Redistricting:
    """Each grid's load on the map and in the draft (as publishing would move households)."""
    moves = await preview.moves(db=db, plan_id=plan.id)
    load = await workload.of_plan(
        db=db, plan_id=plan.id, weights=data.weights.weights(), parents=communities,
        homes={m.id: (m.from_key, m.to_key) for m in moves if m.what == "household"})
    return Redistricting(
        parent_id=data.parent_id, k=data.k, blocks=blocks, spread_before=load.spread_before,
        spread_after=load.spread_after, seconds=round(draft.seconds, 2),
        kept=round(draft.kept, 3), converged=draft.converged, before=load.before,
        after=load.after)


async def _communities(db: AsyncSession, plan: Plan, parent_id: int) -> dict[int, Community]:
    """The parent's communities by id (itself when it is one), if it is in the plan's scope."""
    parent = await workload.scope_row(db=db, grid_id=parent_id, field="parent_id")
    if parent_id != plan.scope_id and parent["parent_id"] != plan.scope_id:
        raise InvalidInput(f"{parent['name']}（{parent_id}）不在本规划的范围内",
                           f"{parent_id} is not in this plan's scope",
                           code="parent_out_of_scope", field="parent_id")
    found = await workload.children(db=db, parent=parent) or [parent]
    return {int(c["id"]): c for c in found}


async def units_of(*, db: AsyncSession, communities: Sequence[int],
                   weights: Weights) -> list[Unit]:
    """The communities' blocks as units: each with its load, current grid and community."""
    rows = (await db.execute(sql(__file__, "redistrict.sql"), {
        "communities": sorted(communities), "days": workload.REPORT_DAYS})).mappings().all()
    if not rows:
        raise InvalidInput("这里没有可划分的街区（没有街区归属这些网格）",
                           "There are no blocks here to regroup (none is filed in these "
                           "grids)", code="no_blocks", field="parent_id")
    geoms = shapely.from_wkb([bytes(r["wkb"]) for r in rows])
    return [Unit(key=r["id"], geom=g, grid=r["grid_id"], zone=r["community"],
                 load=load_of(households=r["care"] or {}, residents=int(r["residents"]),
                              reports_per_month=r["reports"] * 30 / workload.REPORT_DAYS,
                              area_m2=r["area_m2"], street_m=r["street_m"], weights=weights))
            for r, g in zip(rows, geoms, strict=True)]


def _id(key: Hashable) -> int:
    """A block's or community's key back as the row id it was made from."""
    assert isinstance(key, int)
    return key


def _check_k(k: int, units: Sequence[Unit]) -> None:
    """Each community keeps at least one grid, and a grid holds at least one block."""
    low, high = len({u.zone for u in units}), len(units)
    if not low <= k <= high:
        raise InvalidInput(
            f"网格数应在 {low} 到 {high} 之间（每个社区至少一个网格，每个网格至少一个街区），"
            f"收到 {k}",
            f"The number of grids must be between {low} (one per community) and {high} (one "
            f"per block), got {k}", code="k_out_of_range", field="k")


async def _apply(db: AsyncSession, plan: Plan, draft: Proposal,
                 communities: Mapping[int, Community]) -> set[str]:
    """Write the proposal into the draft; returns the keys it touched."""
    zones = {_id(z) for z in draft.zones}
    current = {key: d for key, d in (await shapes.drafts(
        db=db, plan_id=plan.id, parent_ids=list(zones), living=False)).items()
        if d.kind == "comprehensive"}
    kept: dict[str, int] = {}  # key → group
    for n, (heir, zone) in enumerate(zip(draft.from_grid, draft.zones, strict=True)):
        key = str(heir)
        if heir is not None and key in current and current[key].parent_id == _id(zone):
            kept[key] = n
    gone = [k for k, d in current.items() if k not in kept and d.action != "retire"]
    await db.execute(RETIRE, {"plan": plan.id, "keys": gone})
    await db.execute(DROP, {"plan": plan.id, "keys": gone})
    for key, n in kept.items():
        await db.execute(CONTINUE, {"plan": plan.id, "key": key,
                                    "wkb": shapes.wkb(draft.polygons[n])})
    continued = set(kept.values())
    fresh = [(n, communities[_id(zone)]) for n, zone in enumerate(draft.zones)
             if n not in continued]
    used = {prefix: set((await db.scalars(CODES, {"plan": plan.id, "prefix": prefix})).all())
            for prefix in sorted({str(c["code"]) for _, c in fresh})}
    added = [await _add(db, plan, draft.polygons[n], community, used) for n, community in fresh]
    return {*kept, *gone, *added}


async def _add(db: AsyncSession, plan: Plan, geom: shapely.Polygon, community: Community,
               used: dict[str, set[str]]) -> str:
    """A new comprehensive grid, numbered after its community with the first free code.

    `used` holds the codes in use by prefix (CODES); the new code joins every prefix's set
    it starts with, as CODES would now find it."""
    prefix = str(community["code"])
    n = 1
    while f"{prefix}{n:03d}" in used[prefix]:
        n += 1
    code = f"{prefix}{n:03d}"
    for start, codes in used.items():
        if code.startswith(start):
            codes.add(code)
    key = shapes.next_key(plan)
    await shapes.insert(db=db, plan_id=plan.id, key=key, geom=geom, attrs={
        "code": code, "name": f"{community['name']}第{n}网格",
        "name_en": f"{community['name_en']} Grid {n}" if community["name_en"] else None,
        "kind": "comprehensive", "parent_id": community["id"]})
    return key
