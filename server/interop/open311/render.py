"""Open311's two formats (JSON as is, XML in the spec's shapes) and its error form."""

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from geo.errors import GeoInputError
from server.errors import DomainError
from server.interop.open311.schemas import Fmt, Lang

XML = "text/xml; charset=utf-8"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# A list's items are named after the list, as in the spec's examples.
ITEMS = {"services": "service", "service_requests": "request", "errors": "error",
         "endpoints": "endpoint", "formats": "format", "attributes": "attribute",
         "values": "value"}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_xml(root: str, data: Any) -> bytes:
    """The spec's XML for JSON-shaped data; null is an empty element, booleans lowercase.

    >>> ET.fromstring(to_xml("errors", [{"code": 400, "description": "x"}])).find(
    ...     "error/code").text
    '400'
    """
    return DECLARATION + ET.tostring(_element(root, data), encoding="unicode").encode()


def _element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        element.extend(_element(k, v) for k, v in value.items())
    elif isinstance(value, list):
        element.extend(_element(ITEMS.get(tag, "item"), v) for v in value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("", str(value))
    return element


def respond(data: Any, fmt: Fmt, root: str, *, status: int = 200,
            headers: dict[str, str] | None = None) -> Response:
    """JSON or XML of the same data."""
    payload = jsonable_encoder(data)
    if fmt == "json":
        return JSONResponse(payload, status_code=status, headers=headers)
    return Response(to_xml(root, payload), status_code=status, media_type=XML, headers=headers)


def relay(answer: Response, fmt: Fmt, root: str) -> Response:
    """A stored JSON answer (an idempotent replay included) in the format asked for."""
    if fmt == "json":
        return answer
    replayed = answer.headers.get("idempotent-replayed")
    return respond(json.loads(bytes(answer.body)), fmt, root, status=answer.status_code,
                   headers={"Idempotent-Replayed": replayed} if replayed else None)


def language(request: Request) -> Lang | None:
    """?lang=zh|en, else Accept-Language, else no preference."""
    wanted = (request.query_params.get("lang") or
              request.headers.get("accept-language", "")).lower()[:2]
    return "en" if wanted == "en" else "zh" if wanted == "zh" else None


def error(request: Request, exc: Exception) -> Response:
    """An error as Open311 answers one: [{code, description}], 422 read as 400."""
    status, zh, en, headers = _describe(exc)
    lang = language(request)
    text = en if lang == "en" else zh if lang == "zh" else f"{en} / {zh}"
    fmt: Fmt = "xml" if request.url.path.endswith(".xml") else "json"
    return respond([{"code": status, "description": text}], fmt, "errors", status=status,
                   headers=headers)


def _describe(exc: Exception) -> tuple[int, str, str, dict[str, str] | None]:
    if isinstance(exc, DomainError):
        return (400 if exc.status == 422 else exc.status), exc.message_zh, exc.message_en, \
            exc.headers or None
    if isinstance(exc, GeoInputError):
        return 400, exc.message_zh, exc.message_en, None
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path",
                                                                              "body"))
        msg = first.get("msg", "invalid value")
        return 400, f"参数 {where} 不正确：{msg}", f"Invalid {where}: {msg}", None
    assert isinstance(exc, StarletteHTTPException)
    return exc.status_code, str(exc.detail), str(exc.detail), getattr(exc, "headers", None)
