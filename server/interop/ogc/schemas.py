"""OGC API – Features shapes: landing page, conformance, collections, feature collections."""

from typing import Any, Literal

from pydantic import BaseModel, Field

from server.grids.models import DEDICATED_TYPES

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON_CLASS = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
OAS30 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"
PART4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf"
# Part 4 (create, replace, update, delete) is served on grids only; see write_routes.py.
CONFORMS_TO = [CORE, GEOJSON_CLASS, OAS30, f"{PART4}/create-replace-delete",
               f"{PART4}/update", f"{PART4}/features"]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
JSON = "application/json"
GEOJSON = "application/geo+json"
# FastAPI writes OpenAPI 3.1; clients (GDAL, QGIS) look for the 3.0 media type and read it.
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"
SCHEMA_REL = "http://www.opengis.net/def/rel/ogc/1.0/schema"


class Link(BaseModel):
    href: str
    rel: str
    type: str | None = None
    title: str | None = None


class LandingPage(BaseModel):
    title: str
    description: str
    links: list[Link]


class Conformance(BaseModel):
    conformsTo: list[str]  # noqa: N815 - the standard's name


class SpatialExtent(BaseModel):
    bbox: list[list[float]]
    crs: str = CRS84


class TemporalExtent(BaseModel):
    interval: list[list[str | None]]
    trs: str = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"


class Extent(BaseModel):
    spatial: SpatialExtent | None = None
    temporal: TemporalExtent | None = None


class Collection(BaseModel):
    id: str
    title: str
    description: str
    links: list[Link]
    extent: Extent | None = None
    itemType: Literal["feature"] = "feature"  # noqa: N815
    crs: list[str] = [CRS84]


class Collections(BaseModel):
    links: list[Link]
    collections: list[Collection]


class FeatureCollection(BaseModel):
    """An items page (features are built in SQL and spliced in as they are)."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    timeStamp: str  # noqa: N815
    numberMatched: int  # noqa: N815
    numberReturned: int  # noqa: N815
    links: list[Link]
    features: list[dict[str, Any]] = Field(default_factory=list)


class Feature(BaseModel):
    """One item, with its links."""

    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any]
    properties: dict[str, Any]
    links: list[Link] = []


def grid_schema(*, partial: bool = False) -> dict[str, Any]:
    """JSON Schema of a grid feature as it is written (`partial`: a merge-patch body)."""
    props: dict[str, Any] = {
        "id": {"type": "integer", "readOnly": True},
        "code": {"type": "string", "minLength": 1, "maxLength": 40,
                 "description": "unique among living grids"},
        "name": {"type": "string", "minLength": 1, "maxLength": 80},
        "name_en": {"type": ["string", "null"], "maxLength": 120},
        "level": {"type": "string", "readOnly": True, "description": "always grid when written"},
        "kind": {"enum": ["comprehensive", "dedicated"],
                 "description": "set on create (default dedicated), read-only afterwards"},
        "dedicated_type": {"enum": [*DEDICATED_TYPES, None],
                           "description": "required for a dedicated grid, null otherwise"},
        "parent_id": {"type": "integer",
                      "description": "the community; set on create, read-only afterwards"},
    }
    geometry = {"type": "object", "required": ["type", "coordinates"],
                "description": "GeoJSON Polygon (or a MultiPolygon of one part), CRS84 "
                               "[lon, lat]",
                "properties": {"type": {"enum": ["Polygon", "MultiPolygon"]},
                               "coordinates": {"type": "array"}}}
    return {"type": "object", "title": "grid",
            "required": [] if partial else ["type", "geometry", "properties"],
            "properties": {
                "type": {"const": "Feature"},
                "id": {"type": ["integer", "string"], "readOnly": True},
                "geometry": geometry,
                "properties": {"type": "object", "additionalProperties": False,
                               "required": [] if partial else ["code", "name"],
                               "properties": props}}}
