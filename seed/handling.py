"""A report's handling after review: dispatch, claim, resolve, the resident's revisit."""

import random
from datetime import datetime, timedelta
from typing import Any

from seed.life import CLAIM_WINDOW, MIN_STEP, MINUTE, RESIDENT, SECOND, WARN_SHARE, Life, whole
from seed.staffing import Actor, Staffing
from seed.tuning import (
    BADLY_LATE,
    DEPARTMENT_SHARE,
    HEAD_SHARE,
    LATE_DEFAULT,
    LATE_SHARE,
    LINK_REVISIT,
    MAX_LATE,
    POOL_SHARE,
    REOPEN_NOTES,
    REOPEN_SHARE,
    RESOLUTIONS,
    SATISFACTION,
    VERIFY_NOTES,
)


class Handling:
    """The steps History takes once a report is accepted (a mixin over its state)."""

    rng: random.Random
    st: Staffing
    now: datetime
    holds: dict[int, str]
    late_now: int

    def patroller(self, r: dict) -> int:
        team = self.st.members.get(r["grid_id"]) or [self.st.heads[r["grid_id"]]]
        return team[-1]

    def dispatch(self, life: Life, t: datetime, hold: str | None = None) -> bool:
        """To a grid worker (the finder for patrollers' findings), the department, or
        the grid's pool; the category's deadline starts."""
        rng, st, r = self.rng, self.st, life.r
        dep = st.category[r["category_code"]]["department_id"]
        team = st.members.get(r["grid_id"]) or []
        fields: dict[str, Any] = {"assignee_worker_id": None, "assignee_department_id": None,
                                  "pool_grid_id": None}
        data: dict[str, Any] = {"pool": False}
        roll = {"pool": 1.0, "dispatched": 0.5}.get(hold or "", rng.random())
        if r["source"] == "patroller" and roll < 0.7:
            wid: int | None = self.patroller(r)
        elif dep is not None and roll < DEPARTMENT_SHARE and st.department_staff.get(dep):
            wid = None
            fields["assignee_department_id"] = dep
            data["department"] = {"id": dep, "name": st.department_name[dep]}
        elif roll > 1 - POOL_SHARE:
            wid = None
            fields["pool_grid_id"] = r["grid_id"]
            data["pool"] = True
        elif team and rng.random() >= HEAD_SHARE:
            wid = rng.choice(team)
        else:
            wid = st.heads[r["grid_id"]]
        if wid is not None:
            fields["assignee_worker_id"] = wid
            data["worker"] = {"id": wid, "name": st.worker[wid]["name"]}
        at = max(whole(t), life.last() + SECOND)
        if not life.reach(at):
            return False
        life.start_window(at)
        if data["pool"]:
            life.due(at + CLAIM_WINDOW, "claim_window")
        data["deadline_at"] = r["deadline_at"].isoformat()
        return life.act(at, "dispatch", st.operator, data=data, **fields)

    def claimer(self, r: dict) -> int:
        if r["assignee_worker_id"] is not None:
            return int(r["assignee_worker_id"])
        if r["pool_grid_id"] is not None:
            return self.rng.choice([self.st.heads[r["grid_id"]],
                                    *self.st.members.get(r["grid_id"], [])])
        return self.rng.choice(self.st.department_staff[r["assignee_department_id"]])

    def work(self, life: Life, *, first: bool) -> bool:
        """Claim, then resolve: mostly in time, some late (escalated meanwhile)."""
        rng, r, hours = self.rng, life.r, life.hours
        wid = self.claimer(r)
        from_pool = r["pool_grid_id"] is not None
        if from_pool:
            wait = timedelta(minutes=rng.uniform(2, 28))
        elif r["assignee_department_id"] is not None and r["assignee_worker_id"] is None:
            wait = timedelta(hours=rng.uniform(0.15, min(8, 0.3 * hours)))
        elif rng.random() < 0.5:
            wait = timedelta(minutes=rng.uniform(2, 30))
        else:
            wait = timedelta(hours=rng.uniform(0.5, min(5, 0.3 * hours)))
        claimed = whole(life.last() + wait)
        hold = self.holds.get(r["id"])
        if hold in ("pool", "dispatched"):
            claimed = max(claimed, self.now + MINUTE)
        if not life.reach(claimed):
            return False
        if from_pool:  # claiming from the pool schedules the warning again
            life.due(r["deadline_at"] - (r["deadline_at"] - life.given) * WARN_SHARE, "warn")
        me = self.st.actor(wid)
        if not life.act(claimed, "claim", me, data={"from_pool": from_pool},
                        assignee_worker_id=wid, pool_grid_id=None):
            return False
        deadline = r["deadline_at"]
        step = max(MIN_STEP, timedelta(hours=hours * WARN_SHARE))
        if first and self.late_now and self.now - 2 * step < deadline < self.now - 10 * MINUTE \
                and rng.random() < 0.25:
            self.late_now -= 1
            hold = "late"
        late = first and rng.random() < LATE_SHARE.get(hours, LATE_DEFAULT) or hold == "late"
        if late:
            over = rng.uniform(0.8, 2) if rng.random() < BADLY_LATE else rng.uniform(0.05, 0.8)
            at = deadline + min(timedelta(hours=hours * over), MAX_LATE) + 10 * MINUTE
            if hold == "late":
                at = max(at, self.now + timedelta(hours=rng.uniform(1, 12)))
        else:
            span = deadline - life.last()
            at = life.last() + max(5 * MINUTE, span * rng.triangular(0.1, 0.97, 0.55))
        return self.resolve(life, at, me)

    def resolve(self, life: Life, at: datetime, me: Actor) -> bool:
        if not life.reach(max(whole(at), life.last() + SECOND)):
            return False
        note = self.rng.choice(RESOLUTIONS[life.r["category_code"]])
        at = max(whole(at), life.last() + SECOND)
        life.due(None, None)
        return life.act(at, "resolve", me, note, {"photos": 0}, resolution_note=note,
                        resolved_at=at)

    def revisit(self, life: Life) -> None:
        """The resident rates the result (or the center calls); then it is archived."""
        rng, r = self.rng, life.r
        late = r["resolved_at"] > r["deadline_at"]
        link = r["reporter_id"] is not None and rng.random() < LINK_REVISIT
        actor, channel = (RESIDENT, "link") if link else (self.st.operator, "phone")
        at = whole(r["resolved_at"] + timedelta(hours=rng.uniform(1, 48)))
        if not late and r["escalation_level"] == 0 and rng.random() < REOPEN_SHARE \
                and not any(s["action"] == "reopen" for s in life.steps):
            score = rng.choice((1, 2))
            if not life.reach(at):
                return
            life.start_window(at)
            life.act(at, "reopen", actor, rng.choice(REOPEN_NOTES),
                     {"satisfaction": score, "channel": channel}, satisfaction=score,
                     resolved_at=None)
            if life.stopped or not self.work(life, first=False):
                return
            self.revisit(life)
            return
        values, weights = SATISFACTION[late]
        score = rng.choices(values, weights)[0]
        if not life.act(at, "verify", actor, rng.choice(VERIFY_NOTES[score]),
                        {"satisfaction": score, "channel": channel}, satisfaction=score):
            return
        at = whole(life.last() + timedelta(hours=rng.uniform(1, 72)))
        life.act(at, "archive", self.st.operator, closed_at=at)
