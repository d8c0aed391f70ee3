"""Who handles reports in the synthetic history: the center, grid teams and departments."""

from dataclasses import dataclass

Actor = tuple[str, int | None, int | None]  # label, user id, worker id


@dataclass
class Staffing:
    """Who does what, from the generated rows: the center, grid teams, departments."""

    operator: Actor
    center: list[dict]  # users told at level 3
    heads: dict[int, int]  # comprehensive grid id → its head
    members: dict[int, list[int]]  # grid id → member worker ids
    linked: dict[int, list[int]]  # community id → workers linked to it (level 2)
    department_staff: dict[int, list[int]]  # department id → its workers
    worker: dict[int, dict]
    user_of: dict[int, int]  # worker id → demo user id
    category: dict[str, dict]
    department_name: dict[int, str]

    def actor(self, worker_id: int) -> Actor:
        return self.worker[worker_id]["name"], self.user_of.get(worker_id), worker_id

    def told(self, kind: str, ids: list[int]) -> list[dict]:
        return [{"kind": kind, "id": w, "name": self.worker[w]["name"],
                 "role": self.worker[w]["role"]} for w in ids]

    def notified(self, report: dict, level: int) -> list[dict]:
        """Who the ladder tells at `level` (as server/dispatch/ladder.py finds them)."""
        if level == 1:
            return self.told("worker", [self.heads[report["grid_id"]]])
        if level == 2:
            return self.told("worker", self.linked.get(report["community_id"], []))
        if level == 3:
            return self.center
        dep = self.category[report["category_code"]]["department_id"]
        return self.told("worker", self.department_staff.get(dep, []))


def staffing(workers: list[dict], worker_grids: list[dict], users: list[dict],
             grids: list[dict], departments: list[dict],
             categories: list[dict]) -> Staffing:
    """The lookups a report's life needs."""
    level = {g["id"]: (g["level"], g["kind"]) for g in grids}
    heads: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    linked: dict[int, list[int]] = {}
    for a in worker_grids:
        gid, wid = a["grid_id"], a["worker_id"]
        if level[gid] == ("grid", "comprehensive") and a["duty"] == "head":
            heads[gid] = wid
        elif a["duty"] == "member":
            members.setdefault(gid, []).append(wid)
        elif level[gid][0] == "community":
            linked.setdefault(gid, []).append(wid)
    dep_staff: dict[int, list[int]] = {}
    for w in workers:
        if w["department_id"] is not None and w["active"]:
            dep_staff.setdefault(w["department_id"], []).append(w["id"])
    op = next(u for u in users if u["role"] == "operator")
    center = [{"kind": "user", "id": u["id"], "name": u["display_name"], "role": u["role"]}
              for u in users if u["role"] in ("operator", "admin") and u["active"]]
    return Staffing(
        operator=(op["display_name"], op["id"], None), center=center, heads=heads,
        members=members, linked={k: sorted(v) for k, v in linked.items()},
        department_staff=dep_staff, worker={w["id"]: w for w in workers},
        user_of={u["worker_id"]: u["id"] for u in users if u["worker_id"] is not None},
        category={c["code"]: c for c in categories},
        department_name={d["id"]: d["name"] for d in departments})

