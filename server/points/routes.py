"""Points routes: staff look up and redeem a reporter's points at a station."""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from server.auth.deps import require_roles
from server.auth.schemas import Principal
from server.db import DbDep
from server.points import service

router = APIRouter(prefix="/api/points", tags=["points"])
Staff = Annotated[Principal, Depends(require_roles("admin", "operator", "grid_head"))]


class RedeemIn(BaseModel):
    phone: str = Field(pattern=r"^[0-9+\- ]{5,20}$")
    units: int = Field(1, ge=1, le=20, description="each unit is 50 points")
    note: str | None = Field(None, max_length=200)


class Balance(BaseModel):
    phone: str
    balance: int


@router.post("/redeem", response_model=Balance)
async def redeem(db: DbDep, user: Staff, data: RedeemIn) -> Balance:
    """Spend 50 points per unit (兑换); refused when the balance is short."""
    left = await service.redeem(db=db, phone=data.phone, units=data.units,
                                by_user_id=user.user_id, note=data.note)
    await db.commit()
    return Balance(phone=data.phone, balance=left)
