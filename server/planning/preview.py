"""What publishing a draft would change: who moves to which grid, and the workload figures."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from server.planning import shapes, workload
from server.planning.people import People, people
from server.planning.schemas import (
    GridMove,
    HouseholdMoves,
    Preview,
    ReportMove,
    ReportMoves,
    StationMove,
    StationMoves,
    WorkerMove,
)
from server.sqlfile import sql

MAX_ITEMS = 1000  # listed one by one; the counts are always complete


@dataclass(frozen=True)
class Move:
    """One row changing grid: a household, station, block or open report."""

    what: str
    id: int
    from_key: str
    to_key: str
    name: str | None = None


async def moves(*, db: AsyncSession, plan_id: int) -> list[Move]:
    """Every row that publishing the draft would move (grids by plan key)."""
    rows = await db.execute(sql(__file__, "moves.sql"), {"plan": plan_id})
    return [Move(*row) for row in rows]


async def preview(*, db: AsyncSession, plan_id: int) -> Preview:
    """The preview of a draft: moves, people, and the workload before and after."""
    found = await moves(db=db, plan_id=plan_id)
    by_what: dict[str, list[Move]] = defaultdict(list)
    for move in found:
        by_what[move.what].append(move)
    homes = by_what["household"]
    pairs = Counter((m.from_key, m.to_key) for m in homes)
    return Preview(
        households=HouseholdMoves(moved=len(homes), by_grid=[
            GridMove(from_=a, to=b, count=n) for (a, b), n in pairs.most_common()]),
        stations=StationMoves(moved=len(by_what["station"]), items=[
            StationMove(id=m.id, name=m.name or "", from_=m.from_key, to=m.to_key)
            for m in by_what["station"][:MAX_ITEMS]]),
        open_reports=ReportMoves(moved=len(by_what["report"]), items=[
            ReportMove(id=m.id, from_=m.from_key, to=m.to_key)
            for m in by_what["report"][:MAX_ITEMS]]),
        workers=_workers(await people(db=db, plan_id=plan_id)),
        workload=await workload.of_plan(db=db, plan_id=plan_id, homes={
            m.id: (m.from_key, m.to_key) for m in homes}))


def _workers(staff: People) -> list[WorkerMove]:
    return [WorkerMove(id=w, name=staff.names.get(w, ""),
                       from_grids=_keys(staff.before.get(w, {})),
                       to_grids=_keys(staff.after.get(w, {}))) for w in staff.changed()]


def _keys(grids: dict[str, str]) -> list[str]:
    return sorted(grids, key=shapes.key_order)
