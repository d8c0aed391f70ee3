"""OGC answers: GeoJSON bodies spliced around SQL-built features, and errors as
problem+json that also carry the OGC exception's `code` and `description`."""

import json
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from geo.errors import GeoInputError
from server.errors import Described, DomainError, describe, problem
from server.interop.ogc import service
from server.interop.ogc.schemas import GEOJSON, FeatureCollection, Link
from server.params import etag_tags


class GeoJSONResponse(JSONResponse):
    """GeoJSON; a str body (built in SQL) is sent as it is."""

    media_type = GEOJSON

    def render(self, content: Any) -> bytes:
        return content.encode() if isinstance(content, str) else super().render(content)


def feature_collection(page: service.Page, links: list[Link]) -> Response:
    """The page's features (JSON text from SQL) inside the collection's metadata."""
    meta = FeatureCollection(timeStamp=service.now(), numberMatched=page.matched,
                             numberReturned=page.returned, links=links)
    head = json.dumps(meta.model_dump(mode="json", exclude={"features"}, exclude_none=True),
                      ensure_ascii=False)
    return GeoJSONResponse(f'{head[:-1]},"features":{page.features}}}')


def feature(request: Request, page: service.Page, links: list[Link]) -> Response:
    """One feature with its links and ETag; 304 when the client has this version."""
    tag = service.etag(page)
    headers = {"ETag": tag} if tag else {}
    if tag and tag in etag_tags(request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    return GeoJSONResponse(_with_links(page, links), headers=headers)


def written(page: service.Page, links: list[Link], *, status: int = 200,
            location: str | None = None) -> Response:
    """The feature as it is now stored, with its new ETag (and Location when created)."""
    headers = {"ETag": service.etag(page) or ""}
    if location:
        headers["Location"] = location
    return GeoJSONResponse(_with_links(page, links), status_code=status, headers=headers)


def _with_links(page: service.Page, links: list[Link]) -> str:
    body: dict[str, Any] = json.loads(page.features)[0]
    body["links"] = [link.model_dump(exclude_none=True) for link in links]
    return json.dumps(body, ensure_ascii=False)


def error(request: Request, exc: Exception, *, writing: bool = False) -> JSONResponse:
    """problem+json as everywhere else plus `description`; a read's bad parameter is a 400,
    a write keeps 422 for content that is well-formed but refused (and its violations)."""
    status, code, zh, en, field = _describe(exc, writing)
    english = request.headers.get("accept-language", "").lower().startswith("en")
    extra = (getattr(exc, "extra", None) or {}) if writing else {}
    return problem(request, status=status, code=code, zh=zh, en=en, field=field,
                   headers=getattr(exc, "headers", None) or None,
                   extra={**extra, "description": en if english else zh})


def _describe(exc: Exception, writing: bool) -> Described:
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
        msg = first.get("msg", "invalid value")
        return Described(400, "invalid_parameter", f"参数 {where} 不正确：{msg}",
                         f"Invalid {where}: {msg}", where or None)
    if isinstance(exc, StarletteHTTPException):
        return describe(exc)
    assert isinstance(exc, DomainError | GeoInputError)
    found = describe(exc)  # content refused (422) is a bad parameter (400) on a read
    return found._replace(status=400) if found.status == 422 and not writing else found
