"""Draft plans: create one over a scope, list, read, lock for an edit (If-Match), discard."""

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.schemas import Principal
from server.errors import Conflict, InvalidInput, NotFound, PreconditionFailed, PreconditionRequired
from server.planning.models import Plan
from server.planning.schemas import Counts, PlanIn, PlanOut
from server.sqlfile import sql

SCOPE_LEVELS = ("street", "community")


def etag(plan_id: int, version: int) -> str:
    """The plan's strong ETag, quoted as the header carries it.

    >>> etag(3, 7)
    '"plan-3-v7"'
    """
    return f'"plan-{plan_id}-v{version}"'


def matches(if_match: str, current: str) -> bool:
    """Whether an If-Match header names the current ETag (weak prefix and lists allowed).

    >>> matches('W/"plan-3-v7", "plan-3-v8"', '"plan-3-v8"'), matches('"plan-3-v7"', '"plan-3-v8"')
    (True, False)
    """
    tags = [t.strip().removeprefix("W/") for t in if_match.split(",")]
    return "*" in tags or current in tags or current.strip('"') in tags


async def create(*, db: AsyncSession, data: PlanIn, principal: Principal) -> PlanOut:
    """A new draft holding a copy of the living grids under its scope."""
    await _require_scope(db, data.scope_id)
    plan = await new(db=db, name=data.name, scope_id=data.scope_id, principal=principal)
    await db.commit()
    return await read(db=db, plan_id=plan.id)


async def new(*, db: AsyncSession, name: str, scope_id: int, principal: Principal) -> Plan:
    """A draft over the scope holding a copy of its living grids; the caller commits."""
    plan = Plan(name=name, scope_id=scope_id, created_by=principal.user_id)
    db.add(plan)
    await db.flush()
    await db.execute(sql(__file__, "copy.sql"), {"plan": plan.id, "scope": scope_id})
    await db.refresh(plan)
    return plan


async def _require_scope(db: AsyncSession, scope_id: int) -> None:
    level = await db.scalar(text("SELECT level FROM grids WHERE id = :g AND retired_at IS NULL"),
                            {"g": scope_id})
    if level is None:
        raise NotFound(f"范围 {scope_id} 不存在", f"Scope {scope_id} does not exist",
                       code="scope_not_found", field="scope_id")
    if level not in SCOPE_LEVELS:
        raise InvalidInput(f"规划范围必须是街道或社区，{scope_id} 是 {level}",
                           f"A plan's scope must be a street or a community; {scope_id} is a "
                           f"{level}", code="scope_level", field="scope_id")


async def listing(*, db: AsyncSession, status: str | None) -> list[PlanOut]:
    """Plans, newest first, optionally of one status."""
    rows = (await db.execute(sql(__file__, "plans.sql"), {"id": None, "status": status}))
    return [_out(row) for row in rows.mappings()]


async def read(*, db: AsyncSession, plan_id: int) -> PlanOut:
    """One plan (404 if there is none)."""
    row = (await db.execute(sql(__file__, "plans.sql"),
                            {"id": plan_id, "status": None})).mappings().first()
    if row is None:
        raise _missing(plan_id)
    return _out(row)


def _out(row: object) -> PlanOut:
    data = dict(row)  # type: ignore[call-overload]
    data["etag"] = etag(data["id"], data["version"])
    data["counts"] = Counts(**data["counts"])
    return PlanOut.model_validate(data)


def _missing(plan_id: int) -> NotFound:
    return NotFound(f"规划 {plan_id} 不存在", f"Plan {plan_id} does not exist",
                    code="plan_not_found")


async def lock(*, db: AsyncSession, plan_id: int, if_match: str | None) -> Plan:
    """The draft, locked until the transaction ends, if the caller names its current ETag."""
    plan = await db.scalar(select(Plan).where(Plan.id == plan_id).with_for_update())
    if plan is None:
        raise _missing(plan_id)
    if not if_match:
        raise PreconditionRequired(
            "修改规划必须带上 If-Match（规划的 ETag），以免覆盖他人的修改",
            "Send If-Match with the plan's ETag, so that nobody's changes are overwritten",
            code="if_match_required")
    if not matches(if_match, etag(plan.id, plan.version)):
        raise PreconditionFailed(
            "规划草稿已被他人修改，请刷新后再改", "Someone else changed this draft since you "
            "loaded it; reload it and make your change again", code="stale_etag",
            headers={"ETag": etag(plan.id, plan.version)})
    if plan.status != "draft":
        raise Conflict(f"规划已{'发布' if plan.status == 'published' else '废弃'}，不能再修改",
                       f"The plan is {plan.status} and can no longer be changed",
                       code="plan_not_draft")
    return plan


def bump(plan: Plan) -> None:
    """A new version of the draft: its ETag changes."""
    plan.version += 1
    plan.updated_at = func.now()


async def discard(*, db: AsyncSession, plan: Plan) -> str:
    """Set a locked draft aside; its grids stay for the record. Returns the new ETag."""
    plan.status = "discarded"
    bump(plan)
    await db.commit()
    return etag(plan.id, plan.version)
