"""API shapes of households."""

from pydantic import BaseModel


class CareCounts(BaseModel):
    """Households by care color (五色管理)."""

    red: int = 0
    orange: int = 0
    yellow: int = 0
    blue: int = 0
    green: int = 0
