"""API shapes of grid planning (the contract the planner page is built against)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from geo.load import Weights
from server.households.schemas import CareCounts

PlanStatus = Literal["draft", "published", "discarded"]
DedicatedType = Literal["school", "hospital", "market", "business", "industrial"]
# A draft grid: an existing grid by its id, a new one as n1, n2 …
Key = Annotated[str, StringConstraints(max_length=16, pattern=r"^(\d{1,10}|n\d{1,6})$")]
GeoJSON = dict[str, Any]  # checked by geo.plan.check_grid, which names what is wrong and where


class PlanIn(BaseModel):
    """A new draft over the grids of one street or community."""

    name: str = Field(min_length=1, max_length=80)
    scope_id: int = Field(ge=1, le=2**31 - 1)


class Counts(BaseModel):
    keep: int = 0
    change: int = 0
    new: int = 0
    retire: int = 0


class PlanOut(BaseModel):
    """A plan as lists and headers show it; `etag` is what If-Match must send."""

    id: int
    name: str
    scope_id: int
    scope_name: str
    status: PlanStatus
    version: int
    etag: str
    created_by: str | None = Field(description="display name of the planner")
    created_at: datetime
    updated_at: datetime
    effective_at: datetime | None
    published_at: datetime | None
    counts: Counts


class GridEdit(BaseModel):
    """Replace a draft grid's shape and/or attributes; what is left out stays."""

    geometry: GeoJSON | None = Field(None, description="GeoJSON Polygon, WGS84 [lon, lat]")
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=80)
    name_en: str | None = Field(None, max_length=120)
    head_worker_id: int | None = Field(None, ge=1, le=2**31 - 1)
    worker_ids: list[int] | None = Field(None, max_length=50)


class SplitIn(BaseModel):
    """Cut a draft grid along a drawn line (from outside one side to outside the other)."""

    key: Key
    line: GeoJSON = Field(description="GeoJSON LineString")


class MergeIn(BaseModel):
    """Merge neighbours: the first key keeps the union, the others are retired."""

    keys: list[Key] = Field(min_length=2, max_length=20)


class NewGridIn(BaseModel):
    """A new grid in the draft (usually a dedicated one over a school, market …)."""

    geometry: GeoJSON
    kind: Literal["dedicated", "comprehensive"] = "dedicated"
    dedicated_type: DedicatedType | None = None
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=80)
    name_en: str | None = Field(None, max_length=120)
    parent_id: int = Field(ge=1, le=2**31 - 1)


class CheckOut(BaseModel):
    """The outcome of a check; each violation a GeoJSON feature with its spot."""

    ok: bool
    errors: int
    fixed: int
    warnings: int
    violations: dict[str, Any]


class EditOut(BaseModel):
    plan: PlanOut
    changed: list[str]
    check: CheckOut


class _Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class GridMove(_Aliased):
    from_: str = Field(alias="from")
    to: str
    count: int


class HouseholdMoves(BaseModel):
    moved: int
    by_grid: list[GridMove]


class StationMove(_Aliased):
    id: int
    name: str
    from_: str = Field(alias="from")
    to: str


class StationMoves(BaseModel):
    moved: int
    items: list[StationMove]


class ReportMove(_Aliased):
    id: int
    from_: str = Field(alias="from")
    to: str


class ReportMoves(BaseModel):
    moved: int
    items: list[ReportMove]


class WorkerMove(BaseModel):
    id: int
    name: str
    from_grids: list[str]
    to_grids: list[str]


class GridLoad(BaseModel):
    """One grid's workload in household-equivalents (geo.load.load_of with the weights)."""

    key: str
    grid_id: int | None
    name: str
    households: int
    residents: int
    load: float
    reports_per_month: float
    area_m2: float
    street_m: float
    code: str | None = None
    kind: Literal["comprehensive", "dedicated"] = "comprehensive"
    parent_id: int | None = None
    care: CareCounts = Field(default_factory=CareCounts)
    patrol_m: float = Field(0.0, description="metres walked a day, last 7 days (0 if new)")


class Workload(BaseModel):
    before: list[GridLoad]
    after: list[GridLoad]
    spread_before: float
    spread_after: float


class Preview(BaseModel):
    """What publishing the draft would change; grids are named by plan key."""

    households: HouseholdMoves
    stations: StationMoves
    open_reports: ReportMoves
    workers: list[WorkerMove]
    workload: Workload


class PublishIn(BaseModel):
    effective_at: datetime | None = Field(
        None, description="when the new map takes effect (default now; at most 1 day ago)")


class PublishOut(BaseModel):
    plan: PlanOut
    grids_changed: int
    grids_new: int
    grids_retired: int
    households_moved: int
    stations_moved: int
    open_reports_moved: int
    seconds: float


class GridVersionOut(BaseModel):
    """One version of a grid; valid_from null: since the beginning, valid_to null: now."""

    version: int
    valid_from: datetime | None
    valid_to: datetime | None
    code: str
    name: str
    plan_id: int | None


_W = Weights()
Weight = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]


class CareWeights(BaseModel):
    """Household-equivalents per household of each care color."""

    red: Weight = _W.care["red"]
    orange: Weight = _W.care["orange"]
    yellow: Weight = _W.care["yellow"]
    blue: Weight = _W.care["blue"]
    green: Weight = _W.care["green"]


class WeightsIn(BaseModel):
    """The weighting of the load (geo.load.Weights); what is left out keeps its default."""

    care: CareWeights = Field(default_factory=CareWeights)
    resident: Weight = _W.resident
    report_per_month: Weight = _W.report_per_month
    area_km2: Weight = _W.area_km2
    street_km: Weight = _W.street_km

    def weights(self) -> Weights:
        """As geo.load takes them."""
        return Weights(care=self.care.model_dump(), resident=self.resident,
                       report_per_month=self.report_per_month, area_km2=self.area_km2,
                       street_km=self.street_km)


class ParentLoad(BaseModel):
    """A street's or community's comprehensive grids: how many, their mean load, its spread."""

    id: int
    code: str
    name: str
    level: Literal["street", "community"]
    count: int
    mean_load: float
    spread: float = Field(description="coefficient of variation of the grids' loads")


class WorkloadOut(BaseModel):
    """The workload of every living grid under a street or community."""

    parent: ParentLoad
    communities: list[ParentLoad] = Field(description="each community, when parent is a street")
    weights: WeightsIn
    grids: list[GridLoad]


class RedistrictIn(BaseModel):
    """Regroup the blocks of a street or community into k grids of even load."""

    parent_id: int = Field(ge=1, le=2**31 - 1, description="a community or street of the scope")
    k: int = Field(ge=1, le=100_000, description="how many comprehensive grids to make")
    weights: WeightsIn = Field(default_factory=WeightsIn)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    start: Literal["best", "current", "fresh"] = Field(
        "best", description="from the current grids, a fresh bisection, or the better")


class Redistricting(BaseModel):
    """The figures of a redistricting, before (the map) and after (the draft)."""

    parent_id: int
    k: int
    blocks: int
    spread_before: float
    spread_after: float
    seconds: float = Field(description="time to propose")
    kept: float = Field(description="share of blocks that stay with their grid")
    converged: bool = Field(description="false when the time limit cut the search short")
    before: list[GridLoad]
    after: list[GridLoad]


class RedistrictOut(EditOut):
    redistrict: Redistricting
