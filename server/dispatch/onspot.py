"""Found and fixed on the spot: a patroller's finding accepted, claimed and resolved at once."""

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.schemas import Principal
from server.dispatch import service
from server.dispatch.schemas import DispatchIn
from server.errors import InvalidInput
from server.reports import review
from server.reports.models import Report
from server.reports.schemas import FoundIn
from server.reports.steps import Actor


def check(data: FoundIn, principal: Principal) -> None:
    """Fixed on the spot needs a result and a worker to credit — checked before intake."""
    if not data.result_note or not data.result_photos:
        raise InvalidInput("现场处置需要填写处置结果并上传结果照片",
                           "Fixed on the spot needs a result note and a result photo",
                           code="result_required", field="result_photos")
    if principal.worker_id is None:
        raise InvalidInput("账号未关联网格员", "This account is not linked to a worker",
                           code="no_worker")


async def close(*, db: AsyncSession, report: Report, principal: Principal,
                data: FoundIn) -> None:
    """Run accept → dispatch (to self) → claim → resolve, each step on the timeline."""
    actor = Actor.of(principal)
    await review.accept(db=db, report=report, actor=actor, note="网格员巡查发现")
    await service.dispatch(db=db, report=report, actor=actor,
                           target=DispatchIn(worker_id=principal.worker_id, note="现场处置"))
    await service.claim(db=db, report=report, principal=principal)
    await service.resolve(db=db, report=report, principal=principal,
                          note=data.result_note or "",
                          photo_tokens=data.result_photos)
