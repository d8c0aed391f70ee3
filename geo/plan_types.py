"""The vocabulary of grid planning: limits, violations and the outcome of a check."""

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import shapely
from shapely.geometry.base import BaseGeometry

from geo.bbox import BBox
from geo.metric import to_local_m

K = TypeVar("K", bound=Hashable)
Severity = Literal["error", "fixed", "warning"]
GridKind = Literal["comprehensive", "dedicated"]
PieceSize = Literal["noise", "sliver", "real"]
GRID_KINDS: tuple[GridKind, ...] = ("comprehensive", "dedicated")

# After these a grid cannot be measured or compared with its neighbours.
UNUSABLE = frozenset(
    {
        "geometry_type",
        "empty",
        "malformed",
        "ring_not_closed",
        "degenerate",
        "too_many_vertices",
        "invalid_coordinate",
        "crs_metres",
        "swapped_lat_lon",
        "out_of_range",
        "invalid_geometry",
    }
)


@dataclass(frozen=True)
class Limits:
    """Vertex, size and sliver limits for grids; pieces under the sliver limits are cleaned."""

    max_vertices: int = 5_000
    max_area_m2: float = 20_000_000.0
    min_area_m2: float = 2_000.0
    sliver_area_m2: float = 5.0  # a gap, overlap or overhang smaller than this is cleaned
    sliver_width_m: float = 0.5  # ... and so is one thinner than this, whatever its area
    noise_area_m2: float = 0.01  # below this a piece is floating-point noise, not a finding
    max_listed_points: int = 50  # orphaned households listed one by one, the rest together
    service_area: BBox | None = None  # where grids may be; None: only the China swap check


LIMITS = Limits()


@dataclass(frozen=True)
class Violation:
    """One thing wrong with (or fixed in) a plan: what, which grid, where, in zh and en."""

    code: str
    message_zh: str
    message_en: str
    grid: Hashable | None = None
    other: Hashable | None = None  # the other grid of an overlap or a shared boundary
    subject: Hashable | None = None  # the household or station concerned
    where: BaseGeometry | None = None
    severity: Severity = "error"

    def to_feature(self) -> dict[str, Any]:
        """Return a GeoJSON Feature the map can draw, its properties the rest.

        >>> Violation("gap", "有空隙", "A gap", where=shapely.Point(104.06, 30.66)).to_feature()[
        ...     "geometry"]
        {'type': 'Point', 'coordinates': [104.06, 30.66]}
        """
        empty = self.where is None or self.where.is_empty
        geometry = None if empty else json.loads(shapely.to_geojson(self.where))
        properties = {
            "code": self.code,
            "severity": self.severity,
            "grid": self.grid,
            "other": self.other,
            "subject": self.subject,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }
        return {"type": "Feature", "geometry": geometry, "properties": properties}


@dataclass
class PlanCheck(Generic[K]):
    """The outcome of checking a plan: violations, and the grids whose slivers were cleaned.

    ``cleaned`` holds only the grids that cleaning changed, to be saved with the edit.
    """

    violations: list[Violation] = field(default_factory=list)
    cleaned: dict[K, BaseGeometry] = field(default_factory=dict)

    @property
    def errors(self) -> list[Violation]:
        """Return the violations that make the plan unacceptable."""
        return [v for v in self.violations if v.severity == "error"]

    @property
    def fixed(self) -> list[Violation]:
        """Return the notes on slivers that were cleaned automatically."""
        return [v for v in self.violations if v.severity == "fixed"]

    @property
    def warnings(self) -> list[Violation]:
        """Return what a planner should know but that does not block the plan."""
        return [v for v in self.violations if v.severity == "warning"]

    @property
    def ok(self) -> bool:
        """Tell whether no violation is an error."""
        return not self.errors

    def codes(self) -> list[str]:
        """Return the violation codes in order, for quick assertions and logs."""
        return [v.code for v in self.violations]

    def applied_to(self, grids: Mapping[K, BaseGeometry]) -> dict[K, BaseGeometry]:
        """Return ``grids`` with the cleaned geometries in place."""
        return {key: self.cleaned.get(key, geom) for key, geom in grids.items()}

    def to_feature_collection(self) -> dict[str, Any]:
        """Return every violation as a GeoJSON FeatureCollection for the map."""
        return {"type": "FeatureCollection", "features": [v.to_feature() for v in self.violations]}


def spot(geom: BaseGeometry) -> str:
    """Return 'lon, lat' of a point on ``geom``, six decimals (about 0.1 m), for messages.

    >>> spot(shapely.box(104.06, 30.66, 104.061, 30.661))
    '104.060500, 30.660500'
    """
    point = geom if geom.geom_type == "Point" else geom.point_on_surface()
    return f"{point.x:.6f}, {point.y:.6f}"


def grid_name(key: Hashable | None) -> tuple[str, str]:
    """Return how messages name a grid in Chinese and English.

    >>> grid_name("A-03")
    ('网格 A-03', 'Grid A-03')
    """
    return ("网格", "The grid") if key is None else (f"网格 {key}", f"Grid {key}")


def measure(piece: BaseGeometry) -> tuple[float, float]:
    """Return (area m², mean width m) of a piece; width is 2·area / perimeter.

    >>> [round(v, 2) for v in measure(shapely.box(104.06, 30.66, 104.06001, 30.661))]
    [106.25, 0.95]
    """
    return (0.0, 0.0) if piece.is_empty else _measure_local(_local(piece))


def _measure_local(local: BaseGeometry) -> tuple[float, float]:
    return float(local.area), 2 * float(local.area) / float(local.length or 1.0)


def _local(piece: BaseGeometry) -> BaseGeometry:
    center = piece.centroid
    return to_local_m(piece, origin=(float(center.x), float(center.y)))


def classify(piece: BaseGeometry, *, limits: Limits = LIMITS) -> tuple[PieceSize, float, float]:
    """Return ('noise' | 'sliver' | 'real', area m², mean width m) of a gap or overlap.

    A sliver is under the sliver area, or thinner than the sliver width everywhere: a square
    gap with a long thin tail is real even though its mean width is small.

    >>> classify(shapely.box(104.06, 30.66, 104.060003, 30.661))[0]  # 0.3 m x 111 m
    'sliver'
    """
    local = None if piece.is_empty else _local(piece)
    area, width = (0.0, 0.0) if local is None else _measure_local(local)
    if area < limits.noise_area_m2:
        return "noise", area, width
    if area < limits.sliver_area_m2:
        return "sliver", area, width
    if not width < limits.sliver_width_m:  # not ">=": a NaN width is not thin
        return "real", area, width
    half = limits.sliver_width_m / 2
    thin = (_local(piece) if local is None else local).buffer(-half).is_empty
    return ("sliver" if thin else "real"), area, width


def is_sliver(piece: BaseGeometry, *, limits: Limits = LIMITS) -> bool:
    """Tell whether a gap, overlap or overhang is small or thin enough to clean silently.

    >>> is_sliver(shapely.box(104.06, 30.66, 104.060003, 30.661))  # 0.3 m x 111 m
    True
    """
    return classify(piece, limits=limits)[0] != "real"


def violation(
    code: str, zh: str, en: str, *, key: Hashable | None = None, **extra: Any
) -> Violation:
    """Return a Violation whose messages start with the grid's name.

    >>> v = violation("gap", "有空隙。", "has a gap.", key=7)
    >>> v.message_zh, v.message_en
    ('网格 7 有空隙。', 'Grid 7 has a gap.')
    """
    name_zh, name_en = grid_name(key)
    joint = "" if key is None else " "
    return Violation(code, f"{name_zh}{joint}{zh}", f"{name_en} {en}", grid=key, **extra)


