"""HTTP routes of alerts: SOS from the field, the alert list, acknowledge and close."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends

from server.alerts import service
from server.alerts.schemas import AlertOut, NoteIn, SosIn, Status
from server.auth.deps import require_roles
from server.auth.schemas import Principal
from server.db import DbDep

router = APIRouter(prefix="/api", tags=["alerts"])
Field = Annotated[Principal, Depends(require_roles("patroller", "grid_head"))]
Viewer = Annotated[Principal, Depends(require_roles("admin", "operator", "grid_head",
                                                    "patroller"))]
Handler = Annotated[Principal, Depends(require_roles("admin", "operator", "grid_head"))]


@router.post("/sos", response_model=AlertOut, status_code=201)
async def post_sos(db: DbDep, user: Field, data: SosIn | None = None) -> AlertOut:
    """Call for help now: the caller and their position go to the top of the alert list."""
    return await service.sos(db=db, principal=user, data=data or SosIn())


@router.get("/alerts", response_model=list[AlertOut])
async def list_alerts(db: DbDep, user: Viewer, status: Status | None = None) -> list[AlertOut]:
    """Alerts the caller may see (field roles: their own grids), SOS first then newest."""
    return await service.listing(db=db, principal=user, status=status)


@router.post("/alerts/{alert_id}/ack", response_model=AlertOut)
async def ack_alert(db: DbDep, user: Handler, alert_id: int,
                    data: NoteIn | None = None) -> AlertOut:
    """Someone is on it (only an open alert)."""
    return await service.acknowledge(db=db, principal=user, alert_id=alert_id,
                                     note=(data or NoteIn()).note, now=datetime.now(UTC))


@router.post("/alerts/{alert_id}/close", response_model=AlertOut)
async def close_alert(db: DbDep, user: Handler, alert_id: int,
                      data: NoteIn | None = None) -> AlertOut:
    """Done (an open or acknowledged alert)."""
    return await service.close(db=db, principal=user, alert_id=alert_id,
                               note=(data or NoteIn()).note, now=datetime.now(UTC))
