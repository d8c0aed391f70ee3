"""HTTP routes of grid planning: drafts, edits (If-Match), check, preview, publish."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from geo.plan import Limits
from server.auth.deps import require_roles
from server.auth.schemas import Principal
from server.db import DbDep
from server.mapquery import GEOJSON, feature_collection
from server.params import IfMatch, RowId
from server.planning import check, drafts, edits, preview, service, workload
from server.planning.schemas import (
    CheckOut,
    EditOut,
    GridEdit,
    MergeIn,
    NewGridIn,
    PlanIn,
    PlanOut,
    Preview,
    PublishIn,
    PublishOut,
    RedistrictIn,
    RedistrictOut,
    SplitIn,
    WeightsIn,
    WorkloadOut,
)

router = APIRouter(prefix="/api/plans", tags=["planning"])
workload_router = APIRouter(prefix="/api/planning", tags=["planning"])
Reader = Annotated[Principal, Depends(require_roles("admin", "planner", "operator"))]
Planner = Annotated[Principal, Depends(require_roles("admin", "planner"))]
KeyPath = Annotated[str, Path(max_length=16, pattern=r"^(\d{1,10}|n\d{1,6})$")]
ETAG = {"headers": {"ETag": {"schema": {"type": "string"}}}}


def grid_limits(request: Request) -> Limits:
    """Grid limits with this deployment's service area."""
    return check.limits(request.app.state.service_area)


LimitsDep = Annotated[Limits, Depends(grid_limits)]


def _answer(body: BaseModel, etag: str, status: int = 200) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json", by_alias=True), status_code=status,
                        headers={"ETag": etag})


@router.post("", response_model=PlanOut, status_code=201, responses={201: ETAG})
async def create_plan(db: DbDep, user: Planner, data: PlanIn) -> JSONResponse:
    """A new draft: a copy of the living grids under a street or community."""
    plan = await drafts.create(db=db, data=data, principal=user)
    return _answer(plan, plan.etag, 201)


@router.get("", response_model=list[PlanOut])
async def list_plans(db: DbDep, user: Reader, status: Annotated[
        Literal["draft", "published", "discarded"] | None, Query()] = None) -> list[PlanOut]:
    """Plans, newest first."""
    return await drafts.listing(db=db, status=status)


@router.get("/{plan_id}", response_model=PlanOut, responses={200: ETAG})
async def read_plan(db: DbDep, user: Reader, plan_id: RowId) -> JSONResponse:
    """One plan, with its ETag."""
    plan = await drafts.read(db=db, plan_id=plan_id)
    return _answer(plan, plan.etag)


@router.delete("/{plan_id}", status_code=204)
async def discard_plan(db: DbDep, user: Planner, plan_id: RowId,
                       if_match: IfMatch = None) -> Response:
    """Discard a draft (If-Match)."""
    tag = await service.discard(db=db, plan_id=plan_id, if_match=if_match)
    return Response(status_code=204, headers={"ETag": tag})


@router.get("/{plan_id}/grids", response_class=Response,
            responses={200: {"content": {GEOJSON: {}}}})
async def plan_grids(db: DbDep, user: Reader, plan_id: RowId) -> Response:
    """The draft's grids (retired ones with action 'retire') as GeoJSON."""
    return feature_collection(await service.features(db=db, plan_id=plan_id))


@router.put("/{plan_id}/grids/{key}", response_model=EditOut, responses={200: ETAG})
async def reshape_grid(db: DbDep, user: Planner, lim: LimitsDep, plan_id: RowId, key: KeyPath,
                       data: GridEdit, if_match: IfMatch = None) -> JSONResponse:
    """Replace a grid's shape (snapped to neighbours within 3 m) and/or attributes."""
    out = await service.edit(db=db, plan_id=plan_id, if_match=if_match, do=lambda plan:
                             edits.reshape(db=db, plan=plan, key=key, data=data, lim=lim))
    return _answer(out, out.plan.etag)


@router.post("/{plan_id}/split", response_model=EditOut, responses={200: ETAG})
async def split_grid(db: DbDep, user: Planner, lim: LimitsDep, plan_id: RowId, data: SplitIn,
                     if_match: IfMatch = None) -> JSONResponse:
    """Split a grid along a line; the largest piece keeps the key."""
    out = await service.edit(db=db, plan_id=plan_id, if_match=if_match, do=lambda plan:
                             edits.split(db=db, plan=plan, data=data, lim=lim))
    return _answer(out, out.plan.etag)


@router.post("/{plan_id}/merge", response_model=EditOut, responses={200: ETAG})
async def merge_grids(db: DbDep, user: Planner, lim: LimitsDep, plan_id: RowId, data: MergeIn,
                      if_match: IfMatch = None) -> JSONResponse:
    """Merge neighbouring grids into the first key; the others are retired."""
    out = await service.edit(db=db, plan_id=plan_id, if_match=if_match, do=lambda plan:
                             edits.merge(db=db, plan=plan, data=data, lim=lim))
    return _answer(out, out.plan.etag)


@router.post("/{plan_id}/grids", response_model=EditOut, status_code=201,
             responses={201: ETAG})
async def add_grid(db: DbDep, user: Planner, lim: LimitsDep, plan_id: RowId, data: NewGridIn,
                   if_match: IfMatch = None) -> JSONResponse:
    """A new grid (usually dedicated) in the draft."""
    out = await service.edit(db=db, plan_id=plan_id, if_match=if_match, do=lambda plan:
                             edits.add(db=db, plan=plan, data=data, lim=lim))
    return _answer(out, out.plan.etag, 201)


@router.delete("/{plan_id}/grids/{key}", response_model=EditOut, responses={200: ETAG})
async def retire_grid(db: DbDep, user: Planner, lim: LimitsDep, plan_id: RowId, key: KeyPath,
                      if_match: IfMatch = None) -> JSONResponse:
    """Retire a grid in the draft; the check reports any gap it leaves."""
    out = await service.edit(db=db, plan_id=plan_id, if_match=if_match, do=lambda plan:
                             edits.retire(db=db, plan=plan, key=key, lim=lim))
    return _answer(out, out.plan.etag)


@router.get("/{plan_id}/check", response_model=CheckOut)
async def check_plan(db: DbDep, user: Reader, lim: LimitsDep, plan_id: RowId) -> CheckOut:
    """The whole draft checked: every parent in the scope, households and stations."""
    return await service.full_check(db=db, plan_id=plan_id, lim=lim)


@router.get("/{plan_id}/preview", response_model=Preview)
async def preview_plan(db: DbDep, user: Reader, plan_id: RowId) -> JSONResponse:
    """Which households, stations, open reports and workers would change grid; workload."""
    await drafts.read(db=db, plan_id=plan_id)
    found = await preview.preview(db=db, plan_id=plan_id)
    return JSONResponse(found.model_dump(mode="json", by_alias=True))


@router.post("/{plan_id}/publish", response_model=PublishOut, responses={200: ETAG})
async def publish_plan(db: DbDep, user: Planner, lim: LimitsDep, plan_id: RowId,
                       data: PublishIn | None = None, if_match: IfMatch = None) -> JSONResponse:
    """Publish the draft atomically from its effective time; every console reloads."""
    out = await service.publish_plan(db=db, plan_id=plan_id, if_match=if_match,
                                     data=data or PublishIn(), principal=user, lim=lim)
    return _answer(out, out.plan.etag)


@router.post("/{plan_id}/redistrict", response_model=RedistrictOut, responses={200: ETAG})
async def redistrict_plan(db: DbDep, user: Planner, lim: LimitsDep, plan_id: RowId,
                          data: RedistrictIn, if_match: IfMatch = None) -> JSONResponse:
    """Regroup the blocks of a street or community into k contiguous grids of even load."""
    out = await service.redistrict_plan(db=db, plan_id=plan_id, if_match=if_match, data=data,
                                        lim=lim)
    return _answer(out, out.plan.etag)


Weight = Annotated[float, Query(ge=0, le=1000, allow_inf_nan=False)]
_W = WeightsIn()


def weights_query(care_red: Weight = _W.care.red, care_orange: Weight = _W.care.orange,
                  care_yellow: Weight = _W.care.yellow, care_blue: Weight = _W.care.blue,
                  care_green: Weight = _W.care.green, resident: Weight = _W.resident,
                  report_per_month: Weight = _W.report_per_month,
                  area_km2: Weight = _W.area_km2, street_km: Weight = _W.street_km) -> WeightsIn:
    """The load's weights from query parameters (care_red … street_km), defaults for the rest."""
    return WeightsIn.model_validate({
        "care": {"red": care_red, "orange": care_orange, "yellow": care_yellow,
                 "blue": care_blue, "green": care_green},
        "resident": resident, "report_per_month": report_per_month, "area_km2": area_km2,
        "street_km": street_km})


@workload_router.get("/workload", response_model=WorkloadOut)
async def grid_workload(db: DbDep, user: Reader, parent_id: Annotated[int, Query(
        ge=1, le=2**31 - 1, description="a street or community")],
        weights: Annotated[WeightsIn, Depends(weights_query)]) -> WorkloadOut:
    """Each living grid's workload under a street or community, and the spread of the loads."""
    return await workload.of_parent(db=db, parent_id=parent_id, weights=weights)
