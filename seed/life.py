"""One report's life replayed step by step, with the deadline ticker, up to `now`."""

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from seed.staffing import Actor, Staffing

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
SECOND = timedelta(seconds=1)
# The statuses each action leads to (server/reports/lifecycle.py checks where from).
MOVES = {"accept": "accepted", "reject": "rejected", "merge": "merged",
         "dispatch": "dispatched", "claim": "claimed", "resolve": "resolved",
         "verify": "verified", "reopen": "dispatched", "archive": "archived"}
CLOSED = ("rejected", "merged", "archived")
OPEN_WORK = ("dispatched", "claimed")
# As in server/dispatch: warn with a quarter of the window left, escalate every quarter
# window (at least an hour) up the ladder, a pool is claimable for half an hour.
WARN_SHARE, MIN_STEP, CLAIM_WINDOW = 0.25, HOUR, timedelta(minutes=30)
LEVELS = (("网格长", "grid head"), ("社区", "community"), ("街道指挥中心", "street center"),
          ("职能部门", "department"))
SYSTEM = ("系统", None, None)
RESIDENT = ("居民", None, None)


@dataclass
class Life:
    """One report's steps, replayed with the ticker's warnings and escalations, up to now."""

    rng: random.Random
    st: Staffing
    r: dict
    now: datetime
    steps: list[dict] = field(default_factory=list)
    given: datetime | None = None  # last dispatch or reopen: the start of the window
    fire: datetime | None = None  # when the ticker picks up due_at
    stopped: bool = False
    before_work: tuple | None = None  # the state before the latest dispatch from review

    @property
    def hours(self) -> int:
        return int(self.st.category[self.r["category_code"]]["deadline_hours"])

    def last(self) -> datetime:
        return self.steps[-1]["at"] if self.steps else self.r["created_at"]

    def step(self, at: datetime, action: str, actor: Actor, note: str | None = None,
             data: dict | None = None) -> None:
        before = self.r["status"]
        if action in MOVES:
            self.r["status"] = MOVES[action]
        label, user, worker = actor
        self.steps.append({"at": at, "action": action,
                           "from_status": before if action in MOVES else None,
                           "to_status": self.r["status"], "actor_user_id": user,
                           "actor_worker_id": worker, "actor_label": label, "note": note,
                           "data": data or {}})

    def due(self, at: datetime | None, kind: str | None) -> None:
        at = None if at is None else whole(at)
        self.r["due_at"], self.r["due_kind"] = at, kind
        self.fire = None if at is None else at + self.rng.randint(1, 9) * SECOND

    def reach(self, at: datetime) -> bool:
        """Let the ticker work until just before `at`; False (and stop) past now."""
        if self.stopped:
            return False
        while self.fire is not None and self.fire < at and self.fire <= self.now:
            self.tick(self.fire)
        if at > self.now:
            self.stopped = True
        return not self.stopped

    def tick(self, at: datetime) -> None:
        r, deadline = self.r, self.r["deadline_at"]
        if r["due_kind"] == "warn":
            left = max(0.0, (deadline - at).total_seconds() / 3600)
            self.due(deadline, "overdue")
            self.step(at, "warn", SYSTEM, f"距办理时限还有约 {left:.1f} 小时",
                      {"hours_left": round(left, 1)})
            return
        assert r["due_kind"] == "overdue", r["due_kind"]  # pools are claimed in time
        level = min(r["escalation_level"] + 1, len(LEVELS))
        r["escalation_level"] = level
        window = max(0.25, (deadline - self.given).total_seconds() / 3600)
        if level < len(LEVELS):
            self.due(at + max(MIN_STEP, timedelta(hours=window * WARN_SHARE)), "overdue")
        else:
            self.due(None, None)
        zh, en = LEVELS[level - 1]
        self.step(at, "escalate", SYSTEM, f"已超时，升级至{zh}",
                  {"level": level, "to": en, "notified": self.st.notified(r, level)})

    def act(self, at: datetime, action: str, actor: Actor, note: str | None = None,
            data: dict | None = None, **fields: Any) -> bool:
        """Take a step at `at` (if it comes before now), setting fields first."""
        at = max(whole(at), self.last() + SECOND)
        if not self.reach(at):
            return False
        self.r.update(fields)
        self.step(at, action, actor, note, data)
        return True

    def start_window(self, at: datetime) -> None:
        """deadlines.start: a fresh deadline, level 0, the warning scheduled (on dispatch
        after review, or reopen: remember the state before, see finish)."""
        self.before_work = (dict(self.r), len(self.steps), self.given, self.fire)
        self.given = at = whole(at)
        self.r["deadline_at"] = at + timedelta(hours=self.hours)
        self.r["escalation_level"] = 0
        self.due(self.r["deadline_at"] - timedelta(hours=self.hours * WARN_SHARE), "warn")

    def finish(self, open_work: bool) -> None:
        """Let the ticker catch up to now; without open work, undo the last dispatch."""
        self.reach(self.now + SECOND)
        if not open_work and self.r["status"] in OPEN_WORK:
            assert self.before_work is not None
            saved, n, self.given, self.fire = self.before_work
            self.r.clear()
            self.r.update(saved)
            del self.steps[n:]


def whole(at: datetime) -> datetime:
    """Times in whole seconds."""
    return at.replace(microsecond=0)


def status_at(steps: list[dict], at: datetime) -> str:
    """The status a report had at `at`, from its steps."""
    i = bisect_right([s["at"] for s in steps], at)
    return steps[i - 1]["to_status"] if i else "submitted"


def review_delay(rng: random.Random, at: datetime) -> timedelta:
    """The center works days (08:00–22:00 local); a night report waits for the morning."""
    local = (at + timedelta(hours=8)).hour
    if 8 <= local < 22:
        minutes = rng.uniform(3, 60) if rng.random() < 0.6 else rng.uniform(60, 300)
        return timedelta(minutes=minutes)
    wait = timedelta(hours=(8 - local) % 24, minutes=rng.uniform(0, 90) - at.minute,
                     seconds=-at.second)
    return max(wait, timedelta(minutes=3))
