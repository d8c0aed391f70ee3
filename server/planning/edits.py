"""Edits of a locked draft: reshape, split, merge, add and retire grids.

Each edit changes the draft in memory, checks it around the change (geo.plan.check_edit),
stores the result with any slivers the check cleaned, and says which keys changed. The
caller bumps the plan's version and commits: an edit that fails leaves nothing behind.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from geo.plan import Limits, PlanCheck
from geo.plan import merge as merge_grids
from geo.plan import split as split_grid
from server.errors import Conflict, InvalidInput
from server.planning import check, inputs, shapes
from server.planning.models import Plan
from server.planning.schemas import GridEdit, MergeIn, NewGridIn, SplitIn

ATTRIBUTES = ("code", "name", "name_en", "head_worker_id", "worker_ids")


@dataclass
class Edit:
    """What an edit changed and how the draft looks around it."""

    changed: list[str]
    check: PlanCheck[str]


async def reshape(*, db: AsyncSession, plan: Plan, key: str, data: GridEdit,
                  lim: Limits) -> Edit:
    """Replace a grid's shape (snapped to its neighbours) and/or its attributes."""
    target = _living(await shapes.one(db=db, plan_id=plan.id, key=key))
    attrs = {k: getattr(data, k) for k in ATTRIBUTES
             if k in data.model_fields_set and getattr(data, k) is not None}
    await set_attributes(db, plan.id, key, attrs)
    if data.geometry is None:
        return Edit([key], PlanCheck())
    grid = inputs.polygon(data.geometry, key=key, lim=lim)
    grids = await shapes.drafts(db=db, plan_id=plan.id, parent_ids=[target.parent_id])
    parent = (await shapes.parents(db=db, ids=[target.parent_id]))[target.parent_id]
    others = [d.geom for k, d in grids.items() if k != key]
    grids[key] = target.moved_to(inputs.snapped(grid, neighbours=others, parent=parent))
    return await _settle(db, plan, target.parent_id, grids, [key], {key: target.geom}, lim,
                         parent=parent)


async def split(*, db: AsyncSession, plan: Plan, data: SplitIn, lim: Limits) -> Edit:
    """Cut a grid along a line: the key keeps the largest piece, the rest become new keys."""
    target = _living(await shapes.one(db=db, plan_id=plan.id, key=data.key))
    pieces = split_grid(target.geom, inputs.line(data.line), limits=lim)
    grids = await shapes.drafts(db=db, plan_id=plan.id, parent_ids=[target.parent_id])
    grids[target.key] = target.moved_to(pieces[0])
    added = []
    for piece in pieces[1:]:
        key, n = shapes.next_key(plan), await _free_suffix(db, plan.id, target.code)
        await db.execute(text(
            "INSERT INTO plan_grids (plan_id, key, grid_id, action, code, name, name_en, "
            "level, kind, dedicated_type, parent_id, geom) "
            "SELECT plan_id, :key, NULL, 'new', code || :suffix, name || :suffix, "
            "name_en || :suffix, level, kind, dedicated_type, parent_id, "
            "ST_Multi(ST_GeomFromWKB(:wkb, 4326)) FROM plan_grids "
            "WHERE plan_id = :plan AND key = :source"),
            {"key": key, "suffix": f"-{n}", "wkb": shapes.wkb(piece), "plan": plan.id,
             "source": target.key})
        grids[key] = shapes.Draft(key, None, "new", target.kind, target.parent_id,
                                  f"{target.code}-{n}", f"{target.name}-{n}", piece)
        added.append(key)
    return await _settle(db, plan, target.parent_id, grids, [target.key, *added],
                         {target.key: target.geom}, lim)


async def merge(*, db: AsyncSession, plan: Plan, data: MergeIn, lim: Limits) -> Edit:
    """Merge neighbours into the first key; the others are retired."""
    if len(set(data.keys)) != len(data.keys):
        raise InvalidInput("合并的网格有重复", "A grid is listed twice in the merge",
                           code="merge_duplicate", field="keys")
    targets = [_living(await shapes.one(db=db, plan_id=plan.id, key=k)) for k in data.keys]
    first = targets[0]
    if any(t.parent_id != first.parent_id for t in targets):
        raise InvalidInput("只能合并同一社区内的网格", "Only grids of the same community can be "
                           "merged", code="merge_parents", field="keys")
    if any(t.kind != first.kind for t in targets):
        raise InvalidInput("综合网格与专属网格不能合并", "A comprehensive and a dedicated grid "
                           "cannot be merged", code="merge_kinds", field="keys")
    merged = merge_grids([t.geom for t in targets], limits=lim)
    grids = await shapes.drafts(db=db, plan_id=plan.id, parent_ids=[first.parent_id])
    grids[first.key] = first.moved_to(merged)
    for other in targets[1:]:
        del grids[other.key]
        await _retire(db, plan.id, other)
    edit = await _settle(db, plan, first.parent_id, grids, [first.key],
                         {t.key: t.geom for t in targets}, lim)
    return Edit(_ordered({*edit.changed, *data.keys}), edit.check)


async def add(*, db: AsyncSession, plan: Plan, data: NewGridIn, lim: Limits) -> Edit:
    """A new grid under one of the scope's communities."""
    if (data.kind == "dedicated") != (data.dedicated_type is not None):
        raise InvalidInput("专属网格必须给出类型（dedicated_type），综合网格不能有",
                           "A dedicated grid needs its dedicated_type; a comprehensive one "
                           "has none", code="dedicated_type", field="dedicated_type")
    await _require_parent(db, plan, data.parent_id)
    key = shapes.next_key(plan)
    await _require_free_code(db, plan.id, key, data.code)
    grid = inputs.polygon(data.geometry, key=key, lim=lim)
    grids = await shapes.drafts(db=db, plan_id=plan.id, parent_ids=[data.parent_id])
    parent = (await shapes.parents(db=db, ids=[data.parent_id]))[data.parent_id]
    grid = inputs.snapped(grid, neighbours=[d.geom for d in grids.values()], parent=parent)
    await shapes.insert(db=db, plan_id=plan.id, key=key, geom=grid,
                        attrs=data.model_dump(exclude={"geometry"}))
    grids[key] = shapes.Draft(key, None, "new", data.kind, data.parent_id, data.code,
                              data.name, grid)
    return await _settle(db, plan, data.parent_id, grids, [key], {}, lim, parent=parent)


async def retire(*, db: AsyncSession, plan: Plan, key: str, lim: Limits) -> Edit:
    """Retire a grid (a new one is simply dropped); the check reports any gap left."""
    target = _living(await shapes.one(db=db, plan_id=plan.id, key=key))
    grids = await shapes.drafts(db=db, plan_id=plan.id, parent_ids=[target.parent_id])
    del grids[key]
    await _retire(db, plan.id, target)
    edit = await _settle(db, plan, target.parent_id, grids, [], {key: target.geom}, lim)
    return Edit(_ordered({*edit.changed, key}), edit.check)


async def _settle(db: AsyncSession, plan: Plan, parent_id: int,
                  grids: dict[str, shapes.Draft], changed: list[str],
                  previous: dict[str, Any], lim: Limits,
                  parent: BaseGeometry | None = None) -> Edit:
    """Check around the edit and store the changed shapes with the slivers cleaned."""
    found = await check.around(db=db, plan_id=plan.id, parent_id=parent_id, grids=grids,
                               changed=changed, previous=previous, lim=lim, parent=parent)
    geoms = {k: grids[k].geom for k in changed} | dict(found.cleaned)
    await shapes.save(db=db, plan_id=plan.id, geoms=geoms)
    return Edit(_ordered(set(geoms)), found)


def _ordered(keys: set[str]) -> list[str]:
    return sorted(keys, key=shapes.key_order)


def _living(draft: shapes.Draft) -> shapes.Draft:
    if draft.action == "retire":
        raise Conflict(f"网格 {draft.key} 在本规划中已撤销", f"Grid {draft.key} is retired in "
                       "this plan", code="grid_retired", field="key")
    return draft


async def _retire(db: AsyncSession, plan_id: int, draft: shapes.Draft) -> None:
    """Mark a copied grid retired; a grid new in this draft never existed, so it goes."""
    params = {"plan": plan_id, "key": draft.key}
    if draft.grid_id is None:
        await db.execute(text("DELETE FROM plan_grids WHERE plan_id = :plan AND key = :key"),
                         params)
    else:
        await db.execute(text("UPDATE plan_grids SET action = 'retire' "
                              "WHERE plan_id = :plan AND key = :key"), params)


async def set_attributes(db: AsyncSession, plan_id: int, key: str,
                         attrs: Mapping[str, Any]) -> None:
    """Set a draft grid's columns (a kept grid becomes 'change'); a code must be free and
    workers must exist. The names are column names from the callers' constants, never input."""
    if not attrs:
        return
    if "code" in attrs:
        await _require_free_code(db, plan_id, key, attrs["code"])
    await _require_workers(db, [attrs.get("head_worker_id"), *(attrs.get("worker_ids") or [])])
    sets = ", ".join(f"{name} = :{name}" for name in attrs)
    await db.execute(text(
        f"UPDATE plan_grids SET {sets}, "
        "action = CASE WHEN action = 'keep' THEN 'change' ELSE action END "
        "WHERE plan_id = :plan AND key = :key"), {**attrs, "plan": plan_id, "key": key})


async def _require_workers(db: AsyncSession, ids: list[int | None]) -> None:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return
    known = set((await db.scalars(text("SELECT id FROM workers WHERE id = ANY(:ids) "
                                       "AND active"), {"ids": sorted(wanted)})).all())
    missing = sorted(wanted - known)
    if missing:
        raise InvalidInput(f"人员 {missing[0]} 不存在或已停用",
                           f"Worker {missing[0]} does not exist or is inactive",
                           code="worker_not_found", field="worker_ids")


async def _require_free_code(db: AsyncSession, plan_id: int, key: str, code: str) -> None:
    """409 when another grid of the draft, or a living grid outside it, has the code."""
    taken = await db.scalar(text(
        "SELECT coalesce((SELECT key FROM plan_grids WHERE plan_id = :plan AND code = :code "
        "                 AND key <> :key AND action <> 'retire' LIMIT 1), "
        "  (SELECT CAST(g.id AS text) FROM grids g WHERE g.code = :code "
        "   AND g.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM plan_grids p "
        "       WHERE p.plan_id = :plan AND p.grid_id = g.id) LIMIT 1))"),
        {"plan": plan_id, "code": code, "key": key})
    if taken is not None:
        raise Conflict(f"编码 {code} 已被网格 {taken} 使用", f"Code {code} is used by grid "
                       f"{taken} already", code="code_taken", field="code")


async def _free_suffix(db: AsyncSession, plan_id: int, code: str) -> int:
    """The smallest n >= 2 for which '<code>-n' is free in the draft and on the map."""
    used = set((await db.scalars(text(
        "SELECT code FROM plan_grids WHERE plan_id = :plan AND starts_with(code, :prefix) "
        "UNION SELECT code FROM grids WHERE retired_at IS NULL "
        "AND starts_with(code, :prefix)"), {"plan": plan_id, "prefix": f"{code}-"})).all())
    n = 2
    while f"{code}-{n}" in used:
        n += 1
    return n


async def _require_parent(db: AsyncSession, plan: Plan, parent_id: int) -> None:
    """A new grid's parent is the scope's community, or one of the scope's communities."""
    ok = await db.scalar(text(
        "SELECT EXISTS (SELECT 1 FROM grids WHERE id = :parent AND retired_at IS NULL "
        "AND level = 'community' AND (id = :scope OR parent_id = :scope))"),
        {"parent": parent_id, "scope": plan.scope_id})
    if not ok:
        raise InvalidInput(f"上级 {parent_id} 不在本规划的范围内",
                           f"Parent {parent_id} is not in this plan's scope",
                           code="parent_out_of_scope", field="parent_id")
