"""OGC API – Features routes under /ogc/ (read side, public): landing page, conformance,
collections, items and single items. Every error is problem+json with `code` and
`description`, and any bad parameter is a 400, as the standard asks."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from server.db import DbDep
from server.errors import InvalidInput, NotFound
from server.interop.ogc import links, params, render, service
from server.interop.ogc.schemas import (
    CONFORMS_TO,
    Collection,
    Collections,
    Conformance,
    Feature,
    FeatureCollection,
    LandingPage,
)
from server.interop.routing import GuardedRoute
from server.mapquery import BBOX_DOC


class OGCRoute(GuardedRoute):
    """A route whose errors carry the OGC exception fields, bad parameters as 400
    (`writing` keeps 422 for refused content: the write routes)."""

    writing = False

    def answer(self, request: Request, exc: Exception) -> Response:
        return render.error(request, exc, writing=self.writing)


def _only(allowed: frozenset[str]) -> Callable[..., None]:
    def check(request: Request, f: Annotated[str | None, Query(
            description="json (GeoJSON for items): the one encoding served")] = None) -> None:
        """f=json (or geojson) only; a query parameter the endpoint lacks is refused."""
        params.unknown(set(request.query_params), allowed)
        if f is not None and f not in ("json", "geojson"):
            raise InvalidInput(f"不支持的格式 f={f}（可用 f=json）",
                               f"Unsupported format f={f} (use f=json)",
                               code="unsupported_format", field="f")

    return check


PLAIN = [Depends(_only(frozenset({"f"})))]
ITEMS = [Depends(_only(params.ITEM_PARAMS))]
router = APIRouter(prefix="/ogc", tags=["ogc"], route_class=OGCRoute)
CollectionId = Annotated[str, Path(alias="collectionId", description="grids, stations, reports")]
FeatureId = Annotated[str, Path(alias="featureId")]


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A bad parameter: problem+json with `code` and `description`"},
    404: {"description": "No such collection or feature: problem+json"}}


def ogc_base(request: Request) -> str:
    """The API's root URL (…/ogc) as this request reached it."""
    return f"{str(request.base_url).rstrip('/')}/ogc"


@router.get("/", dependencies=PLAIN, response_model=LandingPage, response_model_exclude_none=True)
async def landing(request: Request) -> LandingPage:
    """The landing page: links to the API definition, conformance and collections."""
    settings = request.app.state.settings
    return service.landing(base=ogc_base(request), docs=request.app.docs_url,
                           name=settings.deployment_name, name_en=settings.deployment_name_en)


# The console is mounted at "/" and would answer /ogc, so the bare path is a route too.
router.add_api_route("", landing, methods=["GET"], include_in_schema=False, dependencies=PLAIN,
                     response_model=LandingPage, response_model_exclude_none=True)


@router.get("/conformance", dependencies=PLAIN, response_model=Conformance)
async def conformance() -> Conformance:
    """Core, GeoJSON and OpenAPI 3.0 of OGC API – Features Part 1."""
    return Conformance(conformsTo=CONFORMS_TO)


@router.get("/collections", dependencies=PLAIN, response_model=Collections,
            response_model_exclude_none=True)
async def collections(request: Request, db: DbDep) -> Collections:
    """grids, stations and reports, with their extents."""
    return await service.collections(db=db, base=ogc_base(request))


@router.get("/collections/{collectionId}", dependencies=PLAIN, response_model=Collection,
            response_model_exclude_none=True)
async def collection(request: Request, db: DbDep, collection_id: CollectionId) -> Collection:
    """One collection with its spatial (and for reports, temporal) extent."""
    return await service.collection(db=db, base=ogc_base(request), collection_id=collection_id)


@router.get("/collections/{collectionId}/items", dependencies=ITEMS,
            response_class=render.GeoJSONResponse,
            responses={200: {"model": FeatureCollection}, **ERRORS})
async def items(
        request: Request, db: DbDep, collection_id: CollectionId,
        bbox: Annotated[str | None, Query(max_length=200, description=BBOX_DOC)] = None,
        limit: Annotated[int, Query(ge=1, description=f"page size, at most {params.MAX_LIMIT}",
                                    json_schema_extra={"maximum": params.MAX_LIMIT})]
        = params.DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, le=params.MAX_OFFSET)] = 0,
        datetime: Annotated[str | None, Query(max_length=100, description=(
            "RFC 3339 instant or interval; filters reports by creation time"))] = None,
        bbox_crs: Annotated[str | None, Query(alias="bbox-crs", max_length=200)] = None,
        crs: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """A page of features (GeoJSON) with numberMatched and next / prev links."""
    params.crs(bbox_crs, "bbox-crs")
    params.crs(crs, "crs")
    since, until = params.interval(datetime)
    query = params.ItemsQuery(bbox=params.bbox(bbox), limit=params.limit(limit), offset=offset,
                              since=since, until=until)
    page = await service.items(db=db, collection_id=collection_id, query=query)
    return render.feature_collection(page, links.page(
        request.url, ogc_base(request), collection_id, query=query, matched=page.matched,
        returned=page.returned))


@router.get("/collections/{collectionId}/items/{featureId}", dependencies=PLAIN,
            response_class=render.GeoJSONResponse,
            responses={200: {"model": Feature, "headers": {"ETag": {"schema": {"type": "string"}}}},
                       304: {"description": "If-None-Match matched the current version"},
                       **ERRORS})
async def feature(request: Request, db: DbDep, collection_id: CollectionId,
                  feature_id: FeatureId) -> Response:
    """One feature; its ETag changes whenever what is published of it changes."""
    page = await service.item(db=db, collection_id=collection_id, feature_id=feature_id)
    return render.feature(request, page, links.item(request.url, ogc_base(request), collection_id))


@router.get("/{path:path}", include_in_schema=False)
async def nowhere(path: str) -> Response:
    """Anything else under /ogc/ is a 404 in the same form (never the console's)."""
    raise NotFound(f"OGC API 中没有 /ogc/{path}（从 /ogc/ 开始）",
                   f"There is no /ogc/{path} in the OGC API (start at /ogc/)",
                   code="not_found")
