"""Grid changes from outside the planner page (OGC API – Features Part 4 writes).

Each change is a plan of one edit: a draft over the grid's community, the same edit
functions and checks as the planner page, then published at once, so the map, history,
live event and reassignments happen exactly as there. All of it is one transaction under
the publish lock: a change the whole check refuses leaves its draft discarded (for the
record) and nothing else; any other failure leaves nothing at all.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from geo.plan import Limits
from server.auth.schemas import Principal
from server.errors import InvalidInput
from server.planning import drafts, edits, inputs, publish
from server.planning.edits import Edit
from server.planning.models import Plan
from server.planning.schemas import GridEdit, NewGridIn

NAMED = ("code", "name", "name_en")  # what edits.reshape sets (a null name_en is set here)
SET_HERE = ("name_en", "dedicated_type")  # what edits.reshape leaves alone
SHOWN = 3  # violations spelled out in the refusal's message


@dataclass(frozen=True)
class Published:
    """The published one-change plan and the grid it made or changed."""

    plan_id: int
    grid_id: int


def polygon(geometry: Mapping[str, Any], *, key: str | None, lim: Limits) -> BaseGeometry:
    """The polygon as the planner page would take it, or 422 naming the problem and spot."""
    return inputs.polygon(geometry, key=key, lim=lim)  # type: ignore[arg-type]


async def hold_map(*, db: AsyncSession) -> None:
    """Wait for the publish lock: until commit no other plan changes the map."""
    await publish.hold_map(db=db)


async def add(*, db: AsyncSession, principal: Principal, geometry: Mapping[str, Any],
              attrs: Mapping[str, Any], lim: Limits) -> Published:
    """A new grid under a community (attrs as NewGridIn without geometry)."""
    parent = attrs["parent_id"]
    await _require_community(db, parent)
    data = NewGridIn(geometry=dict(geometry), **attrs)
    plan_id = await _one_change(db, principal, parent, lim, lambda plan:
                                edits.add(db=db, plan=plan, data=data, lim=lim))
    made = await db.scalar(text("SELECT grid_id FROM plan_grids WHERE plan_id = :p "
                                "AND action = 'new'"), {"p": plan_id})
    return Published(plan_id=plan_id, grid_id=made)


async def reshape(*, db: AsyncSession, principal: Principal, grid_id: int,
                  geometry: Mapping[str, Any] | None, attrs: Mapping[str, Any],
                  lim: Limits) -> Published:
    """New shape and/or code, name, name_en, dedicated_type of a living grid."""
    key = str(grid_id)
    named = {k: v for k, v in attrs.items() if k in NAMED and v is not None}
    rest = {k: v for k, v in attrs.items() if k not in named}

    async def change(plan: Plan) -> Edit:
        # name_en (also to null) and dedicated_type, which edits.reshape leaves alone
        await edits.set_attributes(db, plan.id, key,
                                   {n: rest[n] for n in SET_HERE if n in rest})
        edit = GridEdit(geometry=None if geometry is None else dict(geometry), **named)
        return await edits.reshape(db=db, plan=plan, key=key, data=edit, lim=lim)

    plan_id = await _one_change(db, principal, await _parent(db, grid_id), lim, change)
    return Published(plan_id=plan_id, grid_id=grid_id)


async def retire(*, db: AsyncSession, principal: Principal, grid_id: int,
                 lim: Limits) -> Published:
    """Retire a living grid (a comprehensive one only if no gap is left)."""
    plan_id = await _one_change(db, principal, await _parent(db, grid_id), lim, lambda plan:
                                edits.retire(db=db, plan=plan, key=str(grid_id), lim=lim))
    return Published(plan_id=plan_id, grid_id=grid_id)


async def _one_change(db: AsyncSession, principal: Principal, scope_id: int, lim: Limits,
                      do: Callable[[Plan], Awaitable[Edit]]) -> int:
    """Draft, edit, publish; the plan's id. Refused by the check: discarded, 422."""
    plan = await _draft(db, scope_id, principal)
    await do(plan)
    drafts.bump(plan)
    try:
        await publish.publish(db=db, plan=plan, principal=principal, effective_at=None,
                              lim=lim)
    except InvalidInput as exc:
        if exc.code != "plan_invalid":
            raise
        await drafts.discard(db=db, plan=plan)
        raise _refused(plan.id, exc.extra["check"]) from None
    return plan.id


async def _draft(db: AsyncSession, scope_id: int, principal: Principal) -> Plan:
    """A draft over the scope, not yet committed, named after who and when."""
    at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return await drafts.new(db=db, name=f"OGC: {principal.display_name[:50]} {at}",
                            scope_id=scope_id, principal=principal)


async def _parent(db: AsyncSession, grid_id: int) -> int:
    parent: int = await db.scalar(text("SELECT parent_id FROM grids WHERE id = :g"),
                                  {"g": grid_id})
    return parent


async def _require_community(db: AsyncSession, parent_id: int) -> None:
    level = await db.scalar(text("SELECT level FROM grids WHERE id = :g "
                                 "AND retired_at IS NULL"), {"g": parent_id})
    if level != "community":
        what = f"是{level}" if level else "不存在"
        raise InvalidInput(f"上级 {parent_id} {what}：新网格要放在一个社区下",
                           f"Parent {parent_id} is {level or 'not on the map'}: a new grid "
                           "goes under a community", code="parent_not_community",
                           field="parent_id")


def _refused(plan_id: int, found: Mapping[str, Any]) -> InvalidInput:
    """422 naming the problems, each with its code, messages and spot; the draft id."""
    errors = [f for f in found["violations"]["features"]
              if f["properties"]["severity"] == "error"]
    zh = "；".join(f["properties"]["message_zh"] for f in errors[:SHOWN])
    en = " ".join(f["properties"]["message_en"] for f in errors[:SHOWN])
    more = len(errors) - SHOWN
    return InvalidInput(
        f"修改未保存（检查发现 {len(errors)} 个问题）：{zh}" + (f"；另有 {more} 个" if more > 0
                                                         else ""),
        f"Nothing was saved: the check found {len(errors)} problem(s). {en}"
        + (f" And {more} more." if more > 0 else ""),
        code=errors[0]["properties"]["code"] if errors else "plan_invalid",
        extra={"violations": {"type": "FeatureCollection", "features": errors},
               "plan_id": plan_id})
