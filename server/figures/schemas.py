"""API shapes of figures."""

from pydantic import BaseModel


class Figures(BaseModel):
    """One unit's figures; rates are 0–1, null when there is nothing to divide by."""

    id: int
    name: str
    level: str
    parent_id: int | None
    received: int
    valid: int
    completed: int
    completion_rate: float | None
    on_time_rate: float | None
    rated: int
    satisfaction_rate: float | None
    overdue_now: int
