"""Domain errors and the one table that maps them to problem+json responses."""

from typing import Any, NamedTuple

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from geo.errors import GeoInputError

PROBLEM = "application/problem+json"


class DomainError(Exception):
    """An error a person can read, in Chinese and English."""

    status = 400
    code = "bad_request"

    def __init__(self, message_zh: str, message_en: str, *, code: str | None = None,
                 field: str | None = None, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message_en)
        self.message_zh, self.message_en = message_zh, message_en
        self.code = code or self.code
        self.field = field
        self.headers = headers or {}
        self.extra = extra or {}  # more members of the problem body (e.g. the violations)


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class MethodNotAllowed(DomainError):
    status, code = 405, "method_not_allowed"


class Conflict(DomainError):
    status, code = 409, "conflict"


class PreconditionFailed(DomainError):
    status, code = 412, "precondition_failed"


class PreconditionRequired(DomainError):
    status, code = 428, "precondition_required"


class PayloadTooLarge(DomainError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(DomainError):
    status, code = 415, "unsupported_media_type"


class InvalidInput(DomainError):
    status, code = 422, "invalid_input"


class TooManyRequests(DomainError):
    status, code = 429, "too_many_requests"


TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 412: "Precondition failed",
    413: "Payload too large", 415: "Unsupported media type", 422: "Invalid input",
    428: "Precondition required", 429: "Too many requests", 500: "Internal error",
}
HTTP_MESSAGES = {
    401: ("请先登录", "Please log in first"),
    403: ("没有权限执行此操作", "You are not allowed to do this"),
    404: ("找不到请求的资源", "The requested resource was not found"),
    405: ("不支持此请求方法", "This method is not allowed here"),
}


def problem(request: Request | None, *, status: int, code: str, zh: str, en: str,
            field: str | None = None, headers: dict[str, str] | None = None,
            extra: dict[str, Any] | None = None) -> JSONResponse:
    """Build an RFC 9457 problem response with both languages."""
    lang = (request.headers.get("accept-language", "") if request else "").lower()
    body: dict[str, Any] = {
        "type": f"/problems/{code}", "title": TITLES.get(status, "Error"), "status": status,
        "detail": en if lang.startswith("en") else zh, "detail_zh": zh, "detail_en": en,
        "code": code,
    }
    if field:
        body["field"] = field
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


class Described(NamedTuple):
    """What a problem body says about an error: status, code, both messages and field."""

    status: int
    code: str
    zh: str
    en: str
    field: str | None = None


def describe(exc: DomainError | GeoInputError | StarletteHTTPException) -> Described:
    """The status, code, messages and field of a domain, geo or HTTP error."""
    if isinstance(exc, DomainError):
        return Described(exc.status, exc.code, exc.message_zh, exc.message_en, exc.field)
    if isinstance(exc, GeoInputError):
        return Described(422, exc.code, exc.message_zh, exc.message_en, exc.field)
    zh, en = HTTP_MESSAGES.get(exc.status_code, (str(exc.detail), str(exc.detail)))
    code = TITLES.get(exc.status_code, "error").lower().replace(" ", "_")
    return Described(exc.status_code, code, zh, en)


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem(request, **describe(exc)._asdict(), headers=exc.headers, extra=exc.extra)


async def _geo(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GeoInputError)
    return problem(request, **describe(exc)._asdict())


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
    en = f"Invalid {where}: {first.get('msg', 'invalid value')}" if where else "Invalid input"
    zh = f"参数 {where} 不正确：{first.get('msg', '')}" if where else "输入不正确"
    issues = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in errors[:20]]
    return problem(request, status=422, code="invalid_input", zh=zh, en=en, field=where or None,
                   extra={"errors": issues})


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(request, **describe(exc)._asdict(), headers=getattr(exc, "headers", None))


def install(app: FastAPI) -> None:
    """Register the mapping from exceptions to problem responses."""
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(GeoInputError, _geo)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
