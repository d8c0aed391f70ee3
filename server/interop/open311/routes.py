"""Open311 GeoReport v2 routes under /open311/v2/: every answer in .json or .xml, every
error as Open311's [{code, description}] (never problem+json)."""

from datetime import UTC, datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from server.db import DbDep
from server.errors import InvalidInput, NotFound
from server.idempotency import service as idempotency
from server.interop.open311 import intake, render, service
from server.interop.open311.schemas import Fmt, Lang, PostedList, RequestIn
from server.interop.routing import GuardedRoute
from server.params import IdemKey

SCOPE = "POST /open311/v2/requests"
BOTH: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}, "text/xml": {}}}}
FORM_BODY = {"requestBody": {"content": {
    "application/x-www-form-urlencoded": {"schema": RequestIn.model_json_schema()},
    "application/json": {"schema": RequestIn.model_json_schema()}}}}
Filter = Annotated[str | None, Query(max_length=20_000)]


class Open311Route(GuardedRoute):
    """A route whose errors answer in Open311's own format, in the format asked for."""

    def answer(self, request: Request, exc: Exception) -> Response:
        return render.error(request, exc)


def _format(fmt: Annotated[str, Path(description="json or xml")]) -> Fmt:
    if fmt in ("json", "xml"):
        return cast(Fmt, fmt)
    raise NotFound(f"不支持的格式：.{fmt}（可用 .json 或 .xml）",
                   f"Unsupported format: .{fmt} (use .json or .xml)", code="unsupported_format")


def _language(request: Request, lang: Annotated[str | None, Query(
        max_length=8, description="zh (default) or en")] = None) -> Lang:
    return render.language(request) or "zh"


router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=Open311Route)
FmtDep = Annotated[Fmt, Depends(_format)]
LangDep = Annotated[Lang, Depends(_language)]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/discovery.{fmt}", response_class=Response, responses=BOTH)
async def discovery(request: Request, fmt: FmtDep) -> Response:
    """Where this endpoint is, what it speaks, whom to ask."""
    return render.respond(service.discovery(base_url=_base(request),
                                            settings=request.app.state.settings),
                          fmt, "discovery")


@router.get("/services.{fmt}", response_class=Response, responses=BOTH)
async def services(db: DbDep, fmt: FmtDep, lang: LangDep) -> Response:
    """One service per active category (service_code = category code)."""
    return render.respond(await service.services(db=db, lang=lang), fmt, "services")


@router.get("/services/{service_code}.{fmt}", response_class=Response, responses=BOTH)
async def service_definition(db: DbDep, fmt: FmtDep, service_code: str) -> Response:
    """A service's attributes: none, every service has metadata false."""
    return render.respond(await service.definition(db=db, code=service_code), fmt,
                          "service_definition")


@router.post("/requests.{fmt}", status_code=201, response_class=Response,
             responses={201: BOTH[200]}, openapi_extra=FORM_BODY)
async def post_request(request: Request, db: DbDep, fmt: FmtDep, lang: LangDep,
                       key: IdemKey = None) -> Response:
    """File a report (form-encoded as the spec says, or JSON); retry-safe with
    Idempotency-Key."""
    data = intake.parse(await _fields(request))

    async def work() -> PostedList:
        return await intake.submit(db=db, data=data, area=request.app.state.service_area,
                                   lang=lang)

    answer = await idempotency.run(db=db, scope=SCOPE, key=key, body=data, work=work,
                                   status_code=201)
    return render.relay(answer, fmt, "service_requests")


async def _fields(request: Request) -> dict[str, Any]:
    """The posted fields: a JSON object or a form (query parameters fill the gaps)."""
    fields: dict[str, Any] = dict(request.query_params)
    if "json" in request.headers.get("content-type", "").lower():
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise InvalidInput("请求体应为 JSON 对象或表单",
                               "The body must be a JSON object or a form", code="bad_body")
        return {**fields, **body}
    async with request.form() as form:
        return {**fields, **_strings(form)}


def _strings(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


@router.get("/requests.{fmt}", response_class=Response, responses=BOTH)
async def list_requests(request: Request, db: DbDep, fmt: FmtDep, lang: LangDep,
                        service_request_id: Filter = None, service_code: Filter = None,
                        start_date: Filter = None, end_date: Filter = None,
                        status: Filter = None) -> Response:
    """Service requests, newest first, at most 1000; the last 90 days unless dated."""
    where = service.filters(ids=service_request_id, service_code=service_code,
                            start_date=start_date, end_date=end_date, status=status,
                            now=datetime.now(UTC))
    return render.respond(await service.requests(db=db, where=where, base_url=_base(request),
                                                 lang=lang), fmt, "service_requests")


@router.get("/requests/{request_id}.{fmt}", response_class=Response, responses=BOTH)
async def get_request(request: Request, db: DbDep, fmt: FmtDep, lang: LangDep,
                      request_id: str) -> Response:
    """One service request, as a list of one."""
    return render.respond(await service.request(db=db, request_id=request_id,
                                                base_url=_base(request), lang=lang),
                          fmt, "service_requests")


@router.get("/tokens/{token}.{fmt}", response_class=Response, responses=BOTH)
async def request_for_token(db: DbDep, fmt: FmtDep, token: str) -> Response:
    """The service request id behind a token from POST requests."""
    return render.respond(await service.by_token(db=db, token=token), fmt, "service_requests")
