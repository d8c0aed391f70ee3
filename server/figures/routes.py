"""HTTP routes of figures."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from server.auth.deps import require_roles
from server.auth.schemas import Principal
from server.db import DbDep
from server.figures import service
from server.figures.schemas import Figures

router = APIRouter(prefix="/api/figures", tags=["figures"])
Readers = Annotated[Principal, Depends(require_roles("admin", "operator", "planner",
                                                     "grid_head"))]


@router.get("", response_model=list[Figures])
async def figures(db: DbDep, user: Readers,
                  level: Literal["street", "community", "grid"] = "community",
                  parent_id: Annotated[int | None, Query(ge=1)] = None,
                  days: Annotated[int, Query(ge=1, le=366)] = 30) -> list[Figures]:
    """Received, completion rate (办结率), on-time rate, satisfaction rate (满意率) and
    overdue now, per street, community or grid."""
    return await service.figures(db=db, level=level, parent_id=parent_id, days=days)
