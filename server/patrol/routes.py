"""HTTP routes of position ingest."""

from fastapi import APIRouter, Request

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.patrol import service
from server.patrol.schemas import PositionsIn, PositionsOut

router = APIRouter(prefix="/api", tags=["patrol"])


@router.post("/positions", response_model=PositionsOut)
async def post_positions(request: Request, db: DbDep, user: CurrentUser,
                         batch: PositionsIn) -> PositionsOut:
    """A batch of up to 1,000 fixes; bad fixes are refused one by one, good ones kept."""
    return await service.ingest(db=db, fixes=batch.fixes, principal=user,
                                service_area=request.app.state.service_area)
