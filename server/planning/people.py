"""Who works in which grid after a plan: the people of a retired grid go to the grid that
takes most of its area; a grid's head and members are replaced where the draft names them.

Assignments are {worker id: {grid key: duty}}; grids are named by plan key.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Assignments = dict[int, dict[str, str]]

TAKERS = text(
    "SELECT r.key, t.key FROM plan_grids r LEFT JOIN LATERAL ("
    "  SELECT l.key FROM plan_grids l WHERE l.plan_id = r.plan_id AND l.action <> 'retire' "
    "  AND ST_Intersects(l.geom, r.geom) "
    "  ORDER BY (l.kind = r.kind) DESC, ST_Area(ST_Intersection(l.geom, r.geom)) DESC, "
    "           length(l.key), l.key LIMIT 1) t ON true "
    "WHERE r.plan_id = :plan AND r.action = 'retire' AND r.grid_id IS NOT NULL")


@dataclass
class People:
    before: Assignments
    after: Assignments
    names: dict[int, str] = field(default_factory=dict)

    def changed(self) -> list[int]:
        """Workers whose set of grids changes, by id."""
        return sorted(w for w in self.before.keys() | self.after.keys()
                      if set(self.before.get(w, {})) != set(self.after.get(w, {})))


async def people(*, db: AsyncSession, plan_id: int) -> People:
    """Assignments now and after publishing, for the grids the draft holds."""
    rows = await db.execute(text(
        "SELECT wg.worker_id, CAST(wg.grid_id AS text), wg.duty, w.name FROM worker_grids wg "
        "JOIN workers w ON w.id = wg.worker_id "
        "WHERE wg.grid_id IN (SELECT grid_id FROM plan_grids WHERE plan_id = :plan "
        "                     AND grid_id IS NOT NULL)"), {"plan": plan_id})
    before: Assignments = defaultdict(dict)
    names = {}
    for worker, key, duty, name in rows:
        before[worker][key] = duty
        names[worker] = name
    takers: dict[str, str | None] = {
        key: taker for key, taker in await db.execute(TAKERS, {"plan": plan_id})}
    named = (await db.execute(text(
        "SELECT key, head_worker_id, worker_ids FROM plan_grids WHERE plan_id = :plan "
        "AND action <> 'retire' AND (head_worker_id IS NOT NULL OR worker_ids IS NOT NULL)"),
        {"plan": plan_id})).all()
    after = _hand_over(before, takers)
    for key, head, members in named:
        _name(after, key, head, members)
    _one_head(after, before, {key: head for key, head, _ in named if head is not None})
    missing = {w for w in after if w not in names}
    if missing:
        names.update(dict((await db.execute(text(
            "SELECT id, name FROM workers WHERE id = ANY(:ids)"), {"ids": sorted(missing)})).all()))
    return People(dict(before), {w: g for w, g in after.items() if g}, names)


def _hand_over(before: Assignments, takers: dict[str, str | None]) -> Assignments:
    """Each retired grid's people join its taker (keeping a duty they have there already).

    >>> after = _hand_over({5: {"1": "head"}, 6: {"2": "member", "1": "linked"}}, {"1": "2"})
    >>> sorted(after.items())
    [(5, {'2': 'head'}), (6, {'2': 'member'})]
    """
    after: Assignments = defaultdict(dict)
    for worker, grids in before.items():
        for key, duty in grids.items():
            if key not in takers:
                after[worker].setdefault(key, duty)
    for worker, grids in before.items():
        for key, duty in grids.items():
            taker = takers.get(key)
            if key in takers and taker is not None:
                after[worker].setdefault(taker, duty)
    return after


def _name(after: Assignments, key: str, head: int | None, members: list[int] | None) -> None:
    """The draft names the grid's head and/or members: they replace whoever was there."""
    for worker, grids in after.items():
        duty = grids.get(key)
        if (head is not None and duty == "head" and worker != head) or (
                members is not None and duty == "member" and worker not in members):
            del grids[key]
    if head is not None:
        after[head][key] = "head"
    for worker in members or []:
        if worker != head:
            after[worker][key] = "member"


def _one_head(after: Assignments, before: Assignments, named: dict[str, int]) -> None:
    """Where two heads meet (a merge), the one named, else the grid's own, else the first
    by id, stays head; the others become members.

    >>> after = {5: {"2": "head"}, 7: {"2": "head"}}
    >>> _one_head(after, {7: {"2": "head"}, 5: {"1": "head"}}, {}); after
    {5: {'2': 'member'}, 7: {'2': 'head'}}
    """
    heads: dict[str, list[int]] = defaultdict(list)
    for worker, grids in after.items():
        for key, duty in grids.items():
            if duty == "head":
                heads[key].append(worker)
    for key, workers in heads.items():
        if len(workers) < 2:
            continue
        own = [w for w in workers if before.get(w, {}).get(key) == "head"]
        keep = named.get(key) or (own or sorted(workers))[0]
        for worker in workers:
            if worker != keep:
                after[worker][key] = "member"
