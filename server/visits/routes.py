"""HTTP routes of household visits: check in, what is due in a grid, overdue per grid."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from server.auth.deps import require_roles
from server.auth.schemas import Principal
from server.db import DbDep
from server.idempotency import service as idempotency
from server.params import IdemKey
from server.visits import service
from server.visits.schemas import DueHousehold, GridOverdue, VisitIn, VisitOut
from server.visits.settings import Targets, visit_targets

router = APIRouter(prefix="/api/visits", tags=["visits"])

visit_targets()  # read and validate the settings at start-up, not on the first visit
TargetsDep = Annotated[Targets, Depends(visit_targets)]
Visitor = Annotated[Principal, Depends(require_roles("patroller", "grid_head"))]
Reader = Annotated[Principal, Depends(require_roles("admin", "operator", "grid_head",
                                                    "patroller"))]
Counter = Annotated[Principal, Depends(require_roles("admin", "operator", "planner",
                                                     "grid_head"))]
GridParam = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.post("", response_model=VisitOut, status_code=201)
async def check_in(request: Request, db: DbDep, user: Visitor, targets: TargetsDep,
                   data: VisitIn, key: IdemKey = None) -> JSONResponse:
    """Check in at a household of one's own grids, standing within the radius (50 m);
    retry-safe with Idempotency-Key."""
    async def work() -> VisitOut:
        return await service.check_in(db=db, principal=user, data=data, targets=targets,
                                      area=request.app.state.service_area,
                                      now=datetime.now(UTC))

    return await idempotency.run(db=db, scope=f"POST /api/visits|{user.user_id}", key=key,
                                 body=data, work=work, status_code=201)


@router.get("/due", response_model=list[DueHousehold])
async def due(request: Request, db: DbDep, user: Reader, targets: TargetsDep,
              grid_id: GridParam = None,
              near: Annotated[str | None, Query(max_length=64, description="lon,lat")] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[DueHousehold]:
    """Households of a grid (field roles: their own; default all of them) with name and
    address masked, when each is due, overdue first by care priority."""
    here = service.parse_near(near, area=request.app.state.service_area)
    return await service.due(db=db, principal=user, grid_id=grid_id, near=here, limit=limit,
                             targets=targets, now=datetime.now(UTC))


@router.get("/overdue", response_model=list[GridOverdue])
async def overdue(db: DbDep, user: Counter, targets: TargetsDep,
                  community_id: GridParam = None) -> list[GridOverdue]:
    """Overdue visits per grid and care color (grid heads: their own grids)."""
    return await service.overdue(db=db, principal=user, community_id=community_id,
                                 targets=targets, now=datetime.now(UTC))
