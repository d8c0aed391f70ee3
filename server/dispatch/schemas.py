"""API shapes of dispatch."""

from pydantic import BaseModel, Field, model_validator


class DispatchIn(BaseModel):
    """Exactly one target: a worker, a department, or the grid's pool (秒认领)."""

    worker_id: int | None = Field(None, ge=1)
    department_id: int | None = Field(None, ge=1)
    pool: bool = False
    deadline_hours: float | None = Field(None, gt=0, le=24 * 30)
    note: str | None = Field(None, max_length=1000)

    @model_validator(mode="after")
    def _one_target(self) -> "DispatchIn":
        if sum((self.worker_id is not None, self.department_id is not None, self.pool)) != 1:
            raise ValueError("give exactly one of worker_id, department_id or pool=true")
        return self


class Candidate(BaseModel):
    id: int
    name: str
    role: str
    grid_id: int | None
    status: str
    on_duty: bool
    lon: float | None
    lat: float | None
    distance_m: float | None
    eta_min: float | None
    responsible: bool
    open_tasks: int


class DepartmentOut(BaseModel):
    id: int
    code: str
    name: str
    name_en: str


class Candidates(BaseModel):
    report_id: int
    speed_kmh: float
    workers: list[Candidate]
    department: DepartmentOut | None


class Task(BaseModel):
    id: int
    status: str
    category: str
    category_name: str
    description: str
    lon: float
    lat: float
    grid_id: int | None
    deadline_at: str | None
    escalation_level: int
    mine: bool
    pool: bool
    version: int
