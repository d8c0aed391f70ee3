"""Workload of a grid as one number, its spread across sibling grids, and fair shares.

A grid's load is counted in household-equivalents: a green (no special care) household is 1,
a red one (closest attention: key persons, the elderly living alone with a disability …) is
5; residents, reports, area to patrol and street length add their own named weights. The
spread of sibling loads is their coefficient of variation (population std / mean), the figure
the 620 → 539 redistricting was meant to lower.
"""

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from geo.errors import GeoInputError

CARE_COLORS = ("red", "orange", "yellow", "blue", "green")  # closest attention first


def _care_weights() -> dict[str, float]:
    return {"red": 5.0, "orange": 3.0, "yellow": 2.0, "blue": 1.5, "green": 1.0}


@dataclass(frozen=True)
class Weights:
    """Named weights of the load function, in household-equivalents per unit counted."""

    care: Mapping[str, float] = field(default_factory=_care_weights)  # per household
    resident: float = 0.1  # per registered resident, on top of the household
    report_per_month: float = 2.0  # per valid report a month
    area_km2: float = 20.0  # per square kilometre to patrol
    street_km: float = 10.0  # per kilometre of street to walk


def _count(value: float, name: str) -> float:
    if not math.isfinite(value) or value < 0:
        raise GeoInputError(
            "load_negative",
            message_zh=f"{name} 必须是非负有限数，收到 {value}。",
            message_en=f"{name} must be a finite number >= 0, got {value}.",
            field=name,
        )
    return float(value)


def load_of(
    *,
    households: Mapping[str, int],
    residents: int = 0,
    reports_per_month: float = 0.0,
    area_m2: float = 0.0,
    street_m: float = 0.0,
    weights: Weights | None = None,
) -> float:
    """Return the weighted workload of one grid (or block) in household-equivalents.

    >>> load_of(households={"red": 2, "green": 10}, reports_per_month=3)
    26.0
    >>> load_of(households={"green": 10}, area_m2=500_000, street_m=2_000)
    40.0
    """
    w = weights or Weights()
    total = 0.0
    for color, count in households.items():
        if color not in w.care:
            raise GeoInputError(
                "care_color_unknown",
                message_zh=f"未知的关爱颜色 {color!r}（应为 {'、'.join(w.care)}）。",
                message_en=f"Unknown care color {color!r} (expected one of {', '.join(w.care)}).",
                field="households",
            )
        total += w.care[color] * _count(count, f"households[{color}]")
    total += w.resident * _count(residents, "residents")
    total += w.report_per_month * _count(reports_per_month, "reports_per_month")
    total += w.area_km2 * _count(area_m2, "area_m2") / 1e6
    return total + w.street_km * _count(street_m, "street_m") / 1e3


def spread(loads: Sequence[float]) -> float:
    """Return the coefficient of variation of loads (population std / mean; 0 if no load).

    >>> spread([10, 10, 10])
    0.0
    >>> round(spread([5, 10, 15]), 4)
    0.4082
    """
    if not loads:
        return 0.0
    mean = math.fsum(loads) / len(loads)
    if mean <= 0:
        return 0.0
    return math.sqrt(math.fsum((x - mean) ** 2 for x in loads) / len(loads)) / mean


def apportion(
    loads: Sequence[float], total: int, *, caps: Sequence[int] | None = None
) -> list[int]:
    """Return how many of ``total`` groups each part gets, at least one and at most its cap.

    Huntington-Hill (equal proportions): with every part balanced inside, giving the next
    group to the part with the largest load / sqrt(n (n + 1)) lowers the sum of squared
    deviations from the overall mean the most, so the spread across all groups is least.

    >>> apportion([30.0, 10.0, 60.0], 10)
    [3, 1, 6]
    >>> apportion([30.0, 10.0, 60.0], 10, caps=[2, 9, 9])
    [2, 1, 7]
    """
    caps = list(caps) if caps is not None else [total] * len(loads)
    if not len(loads) <= total <= sum(caps) or min(caps, default=1) < 1:
        raise GeoInputError(
            "apportion_impossible",
            message_zh=f"无法把 {total} 个网格分给 {len(loads)} 个部分（每部分 1 至其上限）。",
            message_en=f"Cannot share {total} groups among {len(loads)} parts "
            "(each gets 1 up to its cap).",
            field="k",
        )
    shares = [1] * len(loads)
    queue = [(-_priority(load, 1), i) for i, load in enumerate(loads) if caps[i] > 1]
    heapq.heapify(queue)
    for _ in range(total - len(loads)):
        _, i = heapq.heappop(queue)
        shares[i] += 1
        if shares[i] < caps[i]:
            heapq.heappush(queue, (-_priority(loads[i], shares[i]), i))
    return shares


def _priority(load: float, share: int) -> float:
    return max(load, 0.0) / math.sqrt(share * (share + 1))
