"""HTTP route of track playback (lead: add `track_router` to ROUTERS in server/app.py)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.patrol import tracks
from server.patrol.track_schemas import Track

router = APIRouter(prefix="/api/workers", tags=["workers"])
DayQuery = Annotated[date | None, Query(alias="date", description="local day (UTC+8), "
                                        "YYYY-MM-DD; today by default")]


@router.get("/{worker_id}/track", response_model=Track)
async def worker_track(worker_id: int, db: DbDep, user: CurrentUser,
                       day: DayQuery = None) -> Track:
    """A worker's fixes, line, stops and distance for one local day."""
    return await tracks.day_track(db=db, worker_id=worker_id, principal=user, day=day)
