"""Grid planning as the routes use it: each write locks the draft, checks its ETag, does the
work, bumps the version and commits, or leaves nothing behind."""

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from geo.plan import Limits
from server.auth.schemas import Principal
from server.planning import check, drafts, publish, redistrict
from server.planning.edits import Edit
from server.planning.models import Plan
from server.planning.schemas import (
    CheckOut,
    EditOut,
    PublishIn,
    PublishOut,
    RedistrictIn,
    RedistrictOut,
)
from server.sqlfile import sql


async def edit(*, db: AsyncSession, plan_id: int, if_match: str | None,
               do: Callable[[Plan], Awaitable[Edit]]) -> EditOut:
    """Apply one edit to the locked draft and answer the new plan, the keys and the check."""
    plan = await drafts.lock(db=db, plan_id=plan_id, if_match=if_match)
    done = await do(plan)
    drafts.bump(plan)
    await db.commit()
    return EditOut(plan=await drafts.read(db=db, plan_id=plan_id), changed=done.changed,
                   check=check.out(done.check))


async def redistrict_plan(*, db: AsyncSession, plan_id: int, if_match: str | None,
                          data: RedistrictIn, lim: Limits) -> RedistrictOut:
    """Regroup the blocks under a parent of the locked draft into k grids (redistrict.py)."""
    plan = await drafts.lock(db=db, plan_id=plan_id, if_match=if_match)
    done, figures = await redistrict.redistrict(db=db, plan=plan, data=data, lim=lim)
    drafts.bump(plan)
    await db.commit()
    return RedistrictOut(plan=await drafts.read(db=db, plan_id=plan_id), changed=done.changed,
                         check=check.out(done.check), redistrict=figures)


async def discard(*, db: AsyncSession, plan_id: int, if_match: str | None) -> str:
    """Set a draft aside; returns its last ETag."""
    plan = await drafts.lock(db=db, plan_id=plan_id, if_match=if_match)
    return await drafts.discard(db=db, plan=plan)


async def publish_plan(*, db: AsyncSession, plan_id: int, if_match: str | None,
                       data: PublishIn, principal: Principal, lim: Limits) -> PublishOut:
    """Publish the locked draft (see publish.py)."""
    plan = await drafts.lock(db=db, plan_id=plan_id, if_match=if_match)
    return await publish.publish(db=db, plan=plan, principal=principal,
                                 effective_at=data.effective_at, lim=lim)


async def features(*, db: AsyncSession, plan_id: int) -> str | None:
    """The draft's grids as a JSON array of features (404 for an unknown plan)."""
    await drafts.read(db=db, plan_id=plan_id)
    return await db.scalar(sql(__file__, "features.sql"), {"plan": plan_id})


async def full_check(*, db: AsyncSession, plan_id: int, lim: Limits) -> CheckOut:
    """The whole draft checked, every parent in its scope."""
    await drafts.read(db=db, plan_id=plan_id)
    return check.out(await check.whole(db=db, plan_id=plan_id, lim=lim))
