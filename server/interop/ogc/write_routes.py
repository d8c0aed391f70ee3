"""OGC API – Features Part 4 routes: create, replace, update and delete grids.

Planners and admins only (a Bearer token); PUT, PATCH and DELETE name the version they
were made from with If-Match. Errors are problem+json with the OGC `description`; content
that is well-formed but refused is a 422 with the violations and their spots.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import URL

from server.db import DbDep
from server.interop.ogc import bodies, links, render, service, writes
from server.interop.ogc.routes import CollectionId, FeatureId, OGCRoute, ogc_base
from server.interop.ogc.schemas import SCHEMA, Feature, grid_schema
from server.params import IfMatch
from server.planning.routes import LimitsDep
from server.planning.routes import Planner as Writer


class WriteRoute(OGCRoute):
    """A write's errors in the OGC form, keeping their status (422 stays 422)."""

    writing = True


router = APIRouter(prefix="/ogc", tags=["ogc"], route_class=WriteRoute)
ContentCrs = Annotated[str | None, Header(alias="Content-Crs", description=(
    "only <http://www.opengis.net/def/crs/OGC/1.3/CRS84> (lon/lat)"))]
ITEM_METHODS = "GET, OPTIONS, PUT, PATCH, DELETE"


def _body(*types: str, partial: bool = False) -> dict[str, Any]:
    schema = grid_schema(partial=partial)
    return {"requestBody": {"required": True,
                            "content": {kind: {"schema": schema} for kind in types}}}


def _answers(ok: int, what: str) -> dict[int | str, dict[str, Any]]:
    etag = {"ETag": {"schema": {"type": "string"}, "description": "the new version's tag"}}
    shown = {"model": Feature, "description": what, "headers": etag}
    return {ok: shown if ok != 204 else {"description": what},
            400: {"description": "Not JSON, or a Content-Crs other than CRS84"},
            401: {"description": "No or a bad Bearer token"},
            403: {"description": "Not a planner or admin"},
            404: {"description": "No such collection or feature"},
            405: {"description": "A read-only collection (stations, reports)"},
            412: {"description": "If-Match names an older version: problem+json, current ETag"},
            415: {"description": "Not application/geo+json (or merge-patch+json for PATCH)"},
            422: {"description": "Refused: problem+json naming the problem, `violations` "
                                 "with each one's code, messages and spot"},
            428: {"description": "If-Match missing"}}


def _item_url(request: Request, grid_id: int | str) -> str:
    return f"{ogc_base(request)}/collections/grids/items/{grid_id}"


async def _answer(request: Request, db: DbDep, grid_id: int | str, status: int = 200, *,
                  created: bool = False) -> Response:
    """The stored feature now, its ETag, and where it is when it was just made."""
    page = await service.item(db=db, collection_id="grids", feature_id=str(grid_id))
    url = _item_url(request, grid_id)
    return render.written(page, links.item(URL(url), ogc_base(request), "grids"), status=status,
                          location=url if created else None)


@router.get("/collections/grids/schema", response_class=JSONResponse,
            responses={200: {"content": {SCHEMA: {}}}})
async def schema(request: Request) -> JSONResponse:
    """JSON Schema of a grid feature as POST and PUT take it."""
    body = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{ogc_base(request)}/collections/grids/schema", **grid_schema()}
    return JSONResponse(body, media_type=SCHEMA)


@router.options("/collections/{collectionId}/items", status_code=204)
async def items_options(collection_id: CollectionId) -> Response:
    """What the collection allows: grids also take POST (QGIS asks before editing)."""
    service.layer(collection_id)
    allow = "GET, OPTIONS, POST" if collection_id == writes.COLLECTION else "GET, OPTIONS"
    return Response(status_code=204, headers={"Allow": allow})


@router.options("/collections/{collectionId}/items/{featureId}", status_code=204)
async def item_options(collection_id: CollectionId, feature_id: FeatureId) -> Response:
    """What a feature allows: grids also PUT, PATCH and DELETE."""
    service.layer(collection_id)
    allow = ITEM_METHODS if collection_id == writes.COLLECTION else "GET, OPTIONS"
    return Response(status_code=204, headers={"Allow": allow})


@router.post("/collections/{collectionId}/items", status_code=201,
             openapi_extra=_body(*bodies.FEATURE_TYPES), response_class=render.GeoJSONResponse,
             responses=_answers(201, "Created and published; `Location` names the feature"))
async def create(request: Request, db: DbDep, user: Writer, lim: LimitsDep,
                 collection_id: CollectionId, content_crs: ContentCrs = None) -> Response:
    """A new grid (usually dedicated) under a community, checked and published at once."""
    writes.writable(collection_id)
    feature = _read(request, await request.body(), bodies.FEATURE_TYPES, content_crs)
    grid_id = await writes.create(db=db, principal=user, feature=feature, lim=lim)
    return await _answer(request, db, grid_id, 201, created=True)


@router.put("/collections/{collectionId}/items/{featureId}",
            openapi_extra=_body(*bodies.FEATURE_TYPES), response_class=render.GeoJSONResponse,
            responses=_answers(200, "Replaced and published"))
async def replace(request: Request, db: DbDep, user: Writer, lim: LimitsDep,
                  collection_id: CollectionId, feature_id: FeatureId,
                  if_match: IfMatch = None, content_crs: ContentCrs = None) -> Response:
    """Replace a grid's shape and properties (If-Match); checked and published at once."""
    writes.writable(collection_id)
    tag = writes.require_if_match(if_match)
    feature = _read(request, await request.body(), bodies.FEATURE_TYPES, content_crs)
    await writes.change(db=db, principal=user, feature_id=feature_id, if_match=tag,
                        feature=feature, merge=False, lim=lim)
    return await _answer(request, db, feature_id)


@router.patch("/collections/{collectionId}/items/{featureId}",
              openapi_extra=_body(*bodies.PATCH_TYPES, partial=True),
              response_class=render.GeoJSONResponse,
              responses=_answers(200, "Updated and published"))
async def update(request: Request, db: DbDep, user: Writer, lim: LimitsDep,
                 collection_id: CollectionId, feature_id: FeatureId,
                 if_match: IfMatch = None, content_crs: ContentCrs = None) -> Response:
    """Merge-patch (RFC 7396) a grid's properties and/or shape (If-Match)."""
    writes.writable(collection_id)
    tag = writes.require_if_match(if_match)
    feature = _read(request, await request.body(), bodies.PATCH_TYPES, content_crs,
                    partial=True)
    await writes.change(db=db, principal=user, feature_id=feature_id, if_match=tag,
                        feature=feature, merge=True, lim=lim)
    return await _answer(request, db, feature_id)


@router.delete("/collections/{collectionId}/items/{featureId}", status_code=204,
               responses=_answers(204, "Retired (kept in the history)"))
async def delete(db: DbDep, user: Writer, lim: LimitsDep, collection_id: CollectionId,
                 feature_id: FeatureId, if_match: IfMatch = None) -> Response:
    """Retire a grid (If-Match); a comprehensive one only when no gap is left."""
    writes.writable(collection_id)
    tag = writes.require_if_match(if_match)
    await writes.delete(db=db, principal=user, feature_id=feature_id, if_match=tag, lim=lim)
    return Response(status_code=204)


def _read(request: Request, raw: bytes, types: tuple[str, ...], content_crs: str | None, *,
          partial: bool = False) -> bodies.GridFeature:
    bodies.media(request.headers.get("content-type"), types)
    bodies.content_crs(content_crs)
    return bodies.feature(raw, partial=partial)
