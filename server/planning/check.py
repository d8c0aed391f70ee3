"""Checking a draft with geo.plan: around an edit (fast), or every parent in the scope.

The geometry work runs in a worker thread, so a whole street's check does not hold up the
other requests of the process.
"""

import asyncio
from collections.abc import Iterable, Mapping

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from geo.bbox import BBox
from geo.plan import Limits, PlanCheck, Violation, check_edit, check_plan
from server.planning import shapes
from server.planning.schemas import CheckOut


def limits(area: BBox | None) -> Limits:
    """The grid limits of this deployment: grids must lie in its service area."""
    return Limits(service_area=area)


def out(check: PlanCheck[str]) -> CheckOut:
    """The API shape of a check."""
    return CheckOut(ok=check.ok, errors=len(check.errors), fixed=len(check.fixed),
                    warnings=len(check.warnings), violations=check.to_feature_collection())


async def around(*, db: AsyncSession, plan_id: int, parent_id: int,
                 grids: Mapping[str, shapes.Draft], changed: list[str],
                 previous: Mapping[str, BaseGeometry], lim: Limits,
                 parent: BaseGeometry | None = None) -> PlanCheck[str]:
    """check_edit of the changed grids against their neighbours under one parent (its
    geometry loaded here unless the caller has it already)."""
    if parent is None:
        parent = (await shapes.parents(db=db, ids=[parent_id]))[parent_id]
    geoms = {key: d.geom for key, d in grids.items()}
    window = _window([*(geoms[k] for k in changed if k in geoms), *previous.values()])
    homes = await shapes.points(db=db, table="households", plan_id=plan_id,
                                parent_id=parent_id, window=window)
    stations = await shapes.points(db=db, table="stations", plan_id=plan_id,
                                   parent_id=parent_id, window=window)
    kinds = {key: d.kind for key, d in grids.items()}
    return await asyncio.to_thread(
        check_edit, parent=parent, grids=geoms, changed_keys=changed, previous=previous,
        kinds=kinds, households=homes, stations=stations, limits=lim)


def _window(geoms: list[BaseGeometry]) -> BaseGeometry | None:
    """A box around the edit, grown by 20% so points near its edge are looked at too."""
    if not geoms:
        return None
    west, south, east, north = shapely.total_bounds(geoms)
    dx, dy = (east - west) * 0.2 + 1e-4, (north - south) * 0.2 + 1e-4
    return shapely.box(west - dx, south - dy, east + dx, north + dy)


async def whole(*, db: AsyncSession, plan_id: int, lim: Limits,
                parent_ids: Iterable[int] | None = None) -> PlanCheck[str]:
    """check_plan over every parent in the scope (or those given), plus codes clashing."""
    drafts = await shapes.drafts(db=db, plan_id=plan_id, parent_ids=parent_ids)
    by_parent: dict[int, dict[str, shapes.Draft]] = {}
    for key, draft in drafts.items():
        by_parent.setdefault(draft.parent_id, {})[key] = draft
    parents = await shapes.parents(db=db, ids=by_parent)
    result: PlanCheck[str] = PlanCheck(violations=await _code_clashes(db, plan_id))
    homes = await shapes.points_by_parent(db=db, table="households", plan_id=plan_id,
                                          parent_ids=by_parent)
    stations = await shapes.points_by_parent(db=db, table="stations", plan_id=plan_id,
                                             parent_ids=by_parent)
    for parent_id, grids in sorted(by_parent.items()):
        found = await asyncio.to_thread(
            check_plan, parent=parents[parent_id], grids={k: d.geom for k, d in grids.items()},
            kinds={k: d.kind for k, d in grids.items()}, households=homes.get(parent_id, {}),
            stations=stations.get(parent_id, {}), limits=lim)
        result.violations.extend(found.violations)
        result.cleaned.update(found.cleaned)
    return result


async def _code_clashes(db: AsyncSession, plan_id: int) -> list[Violation]:
    """Codes used twice in the draft, or by a living grid the draft does not hold."""
    rows = await db.execute(text(
        "SELECT p.key, p.code, coalesce(q.key, CAST(g.id AS text)) AS other "
        "FROM plan_grids p "
        "LEFT JOIN plan_grids q ON q.plan_id = p.plan_id AND q.code = p.code "
        "  AND q.key < p.key AND q.action <> 'retire' "
        "LEFT JOIN grids g ON g.code = p.code AND g.retired_at IS NULL "
        "  AND NOT EXISTS (SELECT 1 FROM plan_grids r WHERE r.plan_id = p.plan_id "
        "                  AND r.grid_id = g.id) "
        "WHERE p.plan_id = :plan AND p.action <> 'retire' "
        "  AND (q.key IS NOT NULL OR g.id IS NOT NULL) ORDER BY p.key"), {"plan": plan_id})
    return [Violation("code_taken", f"网格 {key} 的编码 {code} 已被网格 {other} 使用。",
                      f"Grid {key} has code {code}, which grid {other} uses already.",
                      grid=key, other=other) for key, code, other in rows]
