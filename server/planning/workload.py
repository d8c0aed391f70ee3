"""How much work each grid is: what it holds, weighed into one load (geo.load), and the spread
of the loads of sibling grids.

One measure (workload.sql) serves the workload page (the living grids under a street or
community), the preview (the grids a draft copied, before and after) and the redistricting
answer. Households count in the grid they are filed in; after a draft, the moves the preview
found are applied to those counts, so the figures agree with what publishing would do.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from geo.load import CARE_COLORS, Weights, load_of, spread
from server.errors import InvalidInput, NotFound
from server.patrol.tracks import local_today
from server.planning import shapes
from server.planning.schemas import (
    CareCounts,
    GridLoad,
    ParentLoad,
    WeightsIn,
    Workload,
    WorkloadOut,
)
from server.sqlfile import sql

REPORT_DAYS = 90  # reports per month: the valid reports of the last 90 days, over 3
RESIDENTS = "_residents"
Row = dict[str, Any]
Tally = dict[str, Counter[str]]  # key → {care color: households, "_residents": residents}
HomeMoves = Mapping[int, tuple[str, str]]  # household id → (from key, to key)
FIELDS = "id, code, name, name_en, level, parent_id"
PARENT = text(f"SELECT {FIELDS} FROM grids WHERE id = :id AND retired_at IS NULL")
COMMUNITIES = text(f"SELECT {FIELDS} FROM grids WHERE parent_id = :id AND level = 'community' "
                   "AND retired_at IS NULL ORDER BY code, id")
LEVELS_ZH = {"county": "区县", "grid": "网格", "micro": "微网格"}


async def measure(*, db: AsyncSession, plan_id: int | None = None,
                  parents: Iterable[int] | None = None) -> dict[str, dict[str, Row]]:
    """workload.sql's rows by side ('before', 'after') and key."""
    rows = await db.execute(sql(__file__, "workload.sql"), {
        "plan": plan_id, "parents": None if parents is None else sorted(set(parents)),
        "days": REPORT_DAYS, "today": local_today()})
    sides: dict[str, dict[str, Row]] = {"before": {}, "after": {}}
    for row in rows.mappings():
        sides[row["side"]][row["key"]] = dict(row)
    return sides


def tally(rows: Mapping[str, Row]) -> Tally:
    """Households by care color and residents of the measured 'before' rows."""
    out: Tally = defaultdict(Counter)
    for key, row in rows.items():
        care = row["care"] or {}
        out[key].update({c: int(n) for c, n in care.items()})
        out[key][RESIDENTS] += int(row["residents"] or 0)
    return out


def grid_load(row: Row, counts: Counter[str], weights: Weights) -> GridLoad:
    """One grid's figures and load."""
    colors = {c: n for c, n in counts.items() if c in CARE_COLORS and n}
    per_month = round(float(row["reports"]) * 30 / REPORT_DAYS, 2)
    area, street = float(row["area_m2"]), float(row["street_m"])
    load = load_of(households=colors, residents=counts[RESIDENTS], reports_per_month=per_month,
                   area_m2=area, street_m=street, weights=weights)
    return GridLoad(key=str(row["key"]), grid_id=row["grid_id"], name=row["name"],
                    code=row["code"], kind=row["kind"], parent_id=row["parent_id"],
                    households=sum(colors.values()), residents=counts[RESIDENTS],
                    care=CareCounts(**colors), load=round(load, 2),
                    reports_per_month=per_month, area_m2=round(area, 1),
                    street_m=round(street, 1),
                    patrol_m=round(float(row["patrol_m"]), 1))


def spread_of(loads: Iterable[GridLoad]) -> float:
    """The spread (coefficient of variation) of the comprehensive grids' loads."""
    return round(spread([g.load for g in loads if g.kind == "comprehensive"]), 4)


def _ordered(rows: Mapping[str, Row]) -> list[tuple[str, Row]]:
    return sorted(rows.items(), key=lambda item: shapes.key_order(item[0]))


async def of_plan(*, db: AsyncSession, plan_id: int, homes: HomeMoves,
                  weights: Weights | None = None,
                  parents: Iterable[int] | None = None) -> Workload:
    """Each grid's load before and after the draft (under `parents`, if given), and spreads."""
    w = weights or Weights()
    sides = await measure(db=db, plan_id=plan_id, parents=parents)
    living = (await db.execute(text(
        "SELECT key FROM plan_grids WHERE plan_id = :plan AND action <> 'retire' "
        "AND (CAST(:parents AS int[]) IS NULL OR parent_id = ANY(CAST(:parents AS int[])))"),
        {"plan": plan_id, "parents": None if parents is None else sorted(set(parents))})).all()
    after = {key: sides["after"].get(key) or sides["before"][key] for (key,) in living}
    before_counts = tally(sides["before"])
    after_counts = await _moved(db, before_counts, homes)
    before = [grid_load(row, before_counts[key], w) for key, row in _ordered(sides["before"])]
    later = [grid_load(row, after_counts[key], w) for key, row in _ordered(after)]
    return Workload(before=before, after=later, spread_before=spread_of(before),
                    spread_after=spread_of(later))


async def _moved(db: AsyncSession, before: Tally, homes: HomeMoves) -> Tally:
    """The household counts after the moves."""
    after: Tally = defaultdict(Counter, {k: Counter(v) for k, v in before.items()})
    if not homes:
        return after
    details = await db.execute(text("SELECT id, care_color, residents FROM households "
                                    "WHERE id = ANY(:ids)"), {"ids": sorted(homes)})
    for hid, color, residents in details:
        for key, sign in zip(homes[hid], (-1, 1), strict=True):
            after[key][color] += sign
            after[key][RESIDENTS] += sign * residents
    return after


async def of_parent(*, db: AsyncSession, parent_id: int, weights: WeightsIn) -> WorkloadOut:
    """The living grids under a street or community, their loads, and the spread."""
    parent = await scope_row(db=db, grid_id=parent_id, field="parent_id")
    communities = await children(db=db, parent=parent)
    ids = [*(int(c["id"]) for c in communities), parent_id]  # a street may hold grids too
    rows = (await measure(db=db, parents=ids))["before"]
    counts = tally(rows)
    w = weights.weights()
    grids = [grid_load(row, counts[key], w) for key, row in rows.items()]
    order = {gid: n for n, gid in enumerate(ids)}
    grids.sort(key=lambda g: (order.get(g.parent_id or 0, 0), g.kind != "comprehensive",
                              g.code or "", g.key))
    return WorkloadOut(parent=summary(parent, grids), weights=weights, grids=grids,
                       communities=[summary(c, [g for g in grids if g.parent_id == c["id"]])
                                    for c in communities])


async def children(*, db: AsyncSession, parent: Row) -> list[Row]:
    """The living communities of a street (none for a community)."""
    if parent["level"] != "street":
        return []
    return [dict(r) for r in (await db.execute(COMMUNITIES, {"id": parent["id"]})).mappings()]


def summary(parent: Row, grids: list[GridLoad]) -> ParentLoad:
    """Count, mean load and spread of a parent's comprehensive grids."""
    loads = [g.load for g in grids if g.kind == "comprehensive"]
    return ParentLoad(id=parent["id"], code=parent["code"], name=parent["name"],
                      level=parent["level"], count=len(loads),
                      mean_load=round(sum(loads) / len(loads), 2) if loads else 0.0,
                      spread=round(spread(loads), 4))


async def scope_row(*, db: AsyncSession, grid_id: int, field: str) -> Row:
    """A living street or community (404 if there is none, 422 for another level)."""
    row = (await db.execute(PARENT, {"id": grid_id})).mappings().first()
    if row is None:
        raise NotFound(f"网格 {grid_id} 不存在", f"Grid {grid_id} does not exist",
                       code="parent_not_found", field=field)
    if row["level"] not in ("street", "community"):
        level = LEVELS_ZH.get(row["level"], row["level"])
        raise InvalidInput(f"{grid_id} 是{level}，需要街道或社区",
                           f"{grid_id} is a {row['level']}; a street or community is needed",
                           code="parent_level", field=field)
    return dict(row)
