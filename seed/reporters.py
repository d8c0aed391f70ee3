"""Who reported each synthetic report: volunteers, residents with a phone, anonymous callers."""

import random
from datetime import datetime

from seed.names import person
from seed.staffing import Staffing
from seed.tuning import HAS_PHONE, REUSE_REPORTER


def volunteers(workers: list[dict], worker_grids: list[dict],
               grids: list[dict]) -> dict[int, list[int]]:
    """Community id → the volunteers linked to a grid in it."""
    parent = {g["id"]: g["parent_id"] for g in grids}
    role = {w["id"]: w["role"] for w in workers}
    out: dict[int, list[int]] = {}
    for a in worker_grids:
        if role[a["worker_id"]] == "volunteer":
            out.setdefault(parent[a["grid_id"]], []).append(a["worker_id"])
    return out



def assign_reporters(rng: random.Random, reports: list[dict], st: Staffing,
                     volunteers: dict[int, list[int]]) -> list[dict]:
    """Name and phone on each report; one reporter row per phone, reused across reports.

    Patrollers report as themselves (no reporter); volunteers with their own phone;
    residents, callers and walk-ins mostly leave a phone, some of them more than once."""
    reporters: list[dict] = []
    by_phone: dict[str, dict] = {}
    known: dict[int, list[dict]] = {}  # community id → resident reporters
    phones: set[str] = set()
    everyone = sorted(w for ws in volunteers.values() for w in ws)
    for r in reports:
        who: dict | None = None
        if r["source"] == "patroller":
            team = st.members.get(r["grid_id"]) or [st.heads[r["grid_id"]]]
            r["reporter_name"] = st.worker[team[-1]]["name"]
            continue
        if r["source"] == "volunteer":
            w = st.worker[rng.choice(volunteers.get(r["community_id"]) or everyone)]
            who = by_phone.get(w["phone"]) or _reporter(reporters, by_phone, w["phone"],
                                                      w["name"], "volunteer", r["created_at"])
        elif rng.random() < HAS_PHONE[r["source"]]:
            pool = known.setdefault(r["community_id"], [])
            if pool and rng.random() < REUSE_REPORTER:
                who = rng.choice(pool)
            else:
                phone = f"13800{rng.randrange(10**6):06d}"
                while phone in phones:
                    phone = f"13800{rng.randrange(10**6):06d}"
                who = _reporter(reporters, by_phone, phone, person(rng), "resident",
                                r["created_at"])
                pool.append(who)
        else:
            r["reporter_name"] = person(rng)
            continue
        phones.add(who["phone"])
        r["reporter_name"], r["reporter_phone"], r["reporter_id"] = (
            who["name"], who["phone"], who["id"])
    return reporters


def _reporter(reporters: list[dict], by_phone: dict[str, dict], phone: str, name: str,
              kind: str, at: datetime) -> dict:
    row = {"id": len(reporters) + 1, "phone": phone, "name": name, "kind": kind,
           "created_at": at}
    reporters.append(row)
    by_phone[phone] = row
    return row
