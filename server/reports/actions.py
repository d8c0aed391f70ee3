"""One shape for every lifecycle route: lock, check If-Match, act, commit, answer."""

from collections.abc import Awaitable, Callable

from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from server.reports.models import Report
from server.reports.schemas import Changed
from server.reports.steps import check_version, locked


async def act(*, db: AsyncSession, report_id: int, if_match: str | None,
              do: Callable[[Report], Awaitable[None]]) -> JSONResponse:
    """Apply `do` to the locked report and answer with its new status and version."""
    report = await locked(db=db, report_id=report_id)
    check_version(report, if_match)
    await do(report)
    await db.commit()
    body = Changed(id=report.id, status=report.status, version=report.version,
                   deadline_at=report.deadline_at, assignee_worker_id=report.assignee_worker_id,
                   assignee_department_id=report.assignee_department_id)
    return JSONResponse(body.model_dump(mode="json"), headers={"ETag": f'"{report.version}"'})
