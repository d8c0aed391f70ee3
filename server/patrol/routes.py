"""HTTP routes of position ingest: the batch API and the OsmAnd protocol."""

import json
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from server.auth.deps import CurrentUser
from server.db import DbDep
from server.idempotency import service as idempotency
from server.params import IdemKey
from server.patrol import osmand, service
from server.patrol.filters import Rules
from server.patrol.schemas import PositionsIn, PositionsOut
from server.patrol.settings import ingest_rules

router = APIRouter(prefix="/api", tags=["patrol"])
osmand_router = APIRouter(tags=["patrol"])

ingest_rules()  # read and validate the thresholds at start-up, not on the first fix
RulesDep = Annotated[Rules, Depends(ingest_rules)]


@router.post("/positions", response_model=PositionsOut)
async def post_positions(request: Request, db: DbDep, user: CurrentUser, rules: RulesDep,
                         batch: PositionsIn, key: IdemKey = None) -> JSONResponse:
    """A batch of up to 1,000 fixes; bad fixes are refused one by one, good ones kept;
    retry-safe with Idempotency-Key."""
    async def work() -> PositionsOut:
        return await service.ingest_batch(
            db=db, items=batch.fixes, principal=user, area=request.app.state.service_area,
            rules=rules, remote=_remote(request))

    return await idempotency.run(db=db, scope=f"POST /api/positions|{user.user_id}", key=key,
                                 body=batch, work=work)


OSMAND_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"description": "stored (empty body)"},
    400: {"description": "malformed or refused fix"},
    404: {"description": "unknown device (logged)"}}


@osmand_router.get("/osmand", response_class=Response, responses=OSMAND_ANSWERS,
                   operation_id="osmand_get")
@osmand_router.post("/osmand", response_class=Response, responses=OSMAND_ANSWERS,
                    operation_id="osmand_post")
async def osmand_fix(request: Request, db: DbDep, rules: RulesDep) -> Response:
    """OsmAnd / Traccar Client: one fix as query or form parameters, or Traccar Client's
    JSON body; the device id is the credential."""
    reading = await _reading(request)
    out = await service.ingest_reading(db=db, reading=reading, rules=rules,
                                       area=request.app.state.service_area,
                                       remote=_remote(request))
    osmand.raise_refused(out)
    return Response(status_code=200)


async def _reading(request: Request) -> osmand.Reading:
    """As Traccar: a JSON content type means the JSON form; otherwise the query string, or
    the body read as form parameters when the query string is empty."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        return osmand.json_reading(_json(body))
    params: dict[str, str] = dict(request.query_params.items())
    if not params and body:
        params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return osmand.query_reading(params)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise osmand.BadFix("JSON 格式不正确", "The body is not valid JSON",
                            code="malformed_json") from None


def _remote(request: Request) -> str | None:
    return request.client.host if request.client else None
