"""The closed loop behind the SYNTHETIC report history: every report's steps, up to now."""

# Replayed the way server/reports and server/dispatch would have written them (review,
# dispatch, claim, resolve, revisit, archive; the ticker's warnings and escalations). Each
# report's life is planned forward from its creation and stops at `now`, so old reports
# are archived, recent ones are still open, and a few late ones are overdue right now.

import random
from datetime import datetime, timedelta

from seed.handling import Handling
from seed.ledger import POINTS, ledger
from seed.life import CLOSED, HOUR, MINUTE, RESIDENT, SECOND, Life, review_delay, status_at, whole
from seed.staffing import Actor, Staffing
from seed.tuning import HOLDS, LATE_NOW, ONSPOT_SHARE, REJECT_REASONS, REJECT_SHARE


class History(Handling):
    """Lives of all reports in creation order (originals before their duplicates)."""

    def __init__(self, rng: random.Random, st: Staffing, now: datetime, open_work: bool):
        self.rng, self.st, self.now, self.open_work = rng, st, now, open_work
        self.lives: list[Life] = []
        self.holds: dict[int, str] = {}
        self.late_now = 0

    def hold(self, reports: list[dict], dup_of: list[int | None]) -> None:
        """Whatever the hour, the center is mid-shift at now: the latest reports (an hour
        old or more) wait in each open stage (HOLDS), and a few whose deadline passed
        within the last two escalation steps are still being worked on (LATE_NOW, see
        work), so something is overdue now."""
        plain = [r for r, j in zip(reports, dup_of, strict=True)
                 if j is None and r["source"] != "patroller"]
        recent = [r for r in plain if r["created_at"] <= self.now - HOUR]
        for r, kind in zip(reversed(recent), HOLDS, strict=False):
            self.holds[r["id"]] = kind
        self.late_now = LATE_NOW

    def run(self, reports: list[dict], dup_of: list[int | None]) -> None:
        if self.open_work:
            self.hold(reports, dup_of)
        for r, j in zip(reports, dup_of, strict=True):
            life = Life(self.rng, self.st, r, self.now)
            self.lives.append(life)
            self.live(life, None if j is None else self.lives[j])
            life.finish(self.open_work)

    def live(self, life: Life, original: Life | None) -> None:
        rng, st, r = self.rng, self.st, life.r
        t = r["created_at"]
        op = st.operator
        if r["source"] in ("hotline", "walk_in"):
            creator = op
            r["recorded_by"] = op[1]
        elif r["source"] == "patroller":
            creator = st.actor(self.patroller(r))
        else:
            creator = RESIDENT
        life.step(t, "create", creator, data={"source": r["source"]})
        if r["source"] == "patroller" and rng.random() < ONSPOT_SHARE:
            self.fixed_on_the_spot(life, creator)
            return
        hold, now = self.holds.get(r["id"]), self.now
        t = whole(t + review_delay(rng, t))
        if hold == "submitted":
            t = max(t, now + MINUTE)
        elif hold in ("accepted", "pool", "dispatched") and t > now - 30 * MINUTE:
            t = whole(r["created_at"] + (now - r["created_at"]) * rng.uniform(0.1, 0.4))
        if original is not None and self.merge(life, original, t):
            return
        if hold is None and rng.random() < REJECT_SHARE:
            reason = rng.choice(REJECT_REASONS)
            life.act(t, "reject", op, reason, reject_reason=reason, closed_at=t)
            return
        if not life.act(t, "accept", op):
            return
        if r["reporter_id"] is not None:
            life.act(t, "note", op, f"举报人获得 {POINTS} 积分", {"points": POINTS})
        wait = rng.uniform(2, 45) if rng.random() < 0.65 else rng.uniform(45, 360)
        at = life.last() + timedelta(minutes=wait)
        if hold == "accepted":
            at = max(at, now + MINUTE)
        elif hold in ("pool", "dispatched"):
            at = max(now - timedelta(minutes=rng.uniform(3, 25)), life.last() + MINUTE)
        if not self.dispatch(life, at, hold):
            return
        if not self.work(life, first=True):
            return
        self.revisit(life)

    def fixed_on_the_spot(self, life: Life, me: Actor) -> None:
        """/api/reports/found with fixed: accept, dispatch to self, claim, resolve at once."""
        t, wid = life.r["created_at"], me[2]
        assert wid is not None
        if not life.act(t, "accept", me, "网格员巡查发现") or not life.reach(t + 2 * SECOND):
            return
        life.start_window(t + 2 * SECOND)
        life.act(t, "dispatch", me, "现场处置",
                 {"pool": False, "worker": {"id": wid, "name": me[0]},
                  "deadline_at": life.r["deadline_at"].isoformat()},
                 assignee_worker_id=wid)
        life.act(t, "claim", me, data={"from_pool": False})
        if self.resolve(life, t, me):
            self.revisit(life)

    def merge(self, life: Life, original: Life, t: datetime) -> bool:
        """A duplicate follows its original while that one is still open."""
        oid, op = original.r["id"], self.st.operator
        if status_at(original.steps, t) in CLOSED:
            return False
        if not life.act(t, "merge", op, f"与事件 #{oid} 合并处理", {"into_id": oid},
                        merged_into_id=oid, closed_at=t):
            return True
        at = life.last()
        taken = {s["at"] for s in original.steps}
        while at in taken:
            at += SECOND
        original.steps.append({
            "at": at, "action": "note", "from_status": None,
            "to_status": status_at(original.steps, at), "actor_user_id": op[1],
            "actor_worker_id": None, "actor_label": op[0],
            "note": f"合并了重复事件 #{life.r['id']}", "data": {"merged_id": life.r["id"]}})
        original.steps.sort(key=lambda s: s["at"])
        return True


def close_loop(rng: random.Random, reports: list[dict], dup_of: list[int | None],
               st: Staffing, *, now: datetime,
               open_work: bool) -> tuple[list[dict], list[dict]]:
    """Fill every report's lifecycle columns; return its steps and the points ledger."""
    history = History(rng, st, now, open_work)
    history.run(reports, dup_of)
    steps = []
    for r, life in zip(reports, history.lives, strict=True):
        r["updated_at"] = life.last()
        r["version"] = 1 + len(life.steps)
        for s in life.steps:
            steps.append({"report_id": r["id"], **s})
    steps.sort(key=lambda s: (s["at"], s["report_id"]))
    step_rows = [{"id": i + 1, **s} for i, s in enumerate(steps)]
    return step_rows, ledger(rng, reports, history.lives, st.operator, now)
