"""Simplification per web-map zoom, so a layer sends no more detail than a screen shows."""

import math

import shapely
from shapely.geometry.base import BaseGeometry

from geo.tiles import TILE_SIZE_PX

FULL_DETAIL_ZOOM = 17  # at z17 a pixel is about 1 m, finer than any grid boundary survey


def tolerance_for_zoom(zoom: int, *, lat: float = 30.0, pixels: float = 0.5) -> float:
    """Return a simplify tolerance in degrees worth about ``pixels`` screen pixels at ``zoom``.

    >>> round(tolerance_for_zoom(10, lat=30.0), 7)
    0.0005947
    """
    # On a mercator screen a pixel spans 360 / (256 * 2**z) degrees of longitude everywhere,
    # but only cos(lat) of that in latitude; the smaller keeps the error under `pixels` both ways.
    deg_per_px = 360.0 / (TILE_SIZE_PX * 2.0**zoom)
    return pixels * deg_per_px * math.cos(math.radians(lat))


def simplify_for_zoom(geom: BaseGeometry, zoom: int, *, lat: float = 30.0) -> BaseGeometry:
    """Return ``geom`` simplified for ``zoom`` (unchanged from z17), never emptied.

    >>> circle = shapely.Point(104.06, 30.66).buffer(0.01, quad_segs=64)
    >>> int(shapely.get_num_coordinates(simplify_for_zoom(circle, 8)))
    9
    """
    if zoom >= FULL_DETAIL_ZOOM or geom.is_empty:
        return geom
    simplified = shapely.simplify(geom, tolerance_for_zoom(zoom, lat=lat), preserve_topology=True)
    if simplified.is_empty or (geom.area > 0 and simplified.area <= 0):
        return geom
    return simplified
