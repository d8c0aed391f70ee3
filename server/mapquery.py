"""The bbox/zoom query every map layer takes, validated by geo/."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from geo.bbox import BBox, parse_bbox, validate_zoom
from geo.simplify import tolerance_for_zoom

GEOJSON = "application/geo+json"
BBOX_DOC = "minLon,minLat,maxLon,maxLat (WGS84, GeoJSON order)"


@dataclass(frozen=True)
class MapQuery:
    """A validated map window."""

    bbox: BBox
    zoom: int | None

    def params(self) -> dict[str, float]:
        """Bound parameters for ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)."""
        b = self.bbox
        return {"minx": b.min_lon, "miny": b.min_lat, "maxx": b.max_lon, "maxy": b.max_lat}

    def tolerance(self) -> float:
        """Simplification tolerance in degrees for this zoom (0 = none)."""
        if self.zoom is None or self.zoom >= 17:
            return 0.0
        return tolerance_for_zoom(self.zoom, lat=self.bbox.center[1])


def map_query(request: Request,
              bbox: Annotated[str | None, Query(description=BBOX_DOC)] = None,
              zoom: Annotated[str | None, Query(description="map zoom 0–22")] = None,
              ) -> MapQuery:
    """Parse and check bbox and zoom (422 with a clear message when wrong)."""
    span = request.app.state.settings.max_bbox_span_deg
    return MapQuery(bbox=parse_bbox(bbox, max_span_deg=span), zoom=validate_zoom(zoom))


MapQueryDep = Annotated[MapQuery, Depends(map_query)]


def feature_collection(features_json: str | None) -> Response:
    """Wrap a JSON array of features (built in SQL) as a FeatureCollection response."""
    body = '{"type":"FeatureCollection","features":' + (features_json or "[]") + "}"
    return Response(body, media_type=GEOJSON)
