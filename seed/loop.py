"""The closed loop behind the SYNTHETIC report history: reporters, every report's steps
(review, dispatch, claim, resolve, revisit, archive; the ticker's warnings and escalations)
and the points ledger, replayed the way server/reports and server/dispatch would have
written them, up to `now`.

Each report's life is planned forward from its creation and stops at `now`, so old reports
are archived, recent ones are still open, and a few late ones are overdue right now.
"""

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from seed.names import person

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
POINTS, REDEEM = 10, 50
SYSTEM = ("系统", None, None)
RESIDENT = ("居民", None, None)

# How the synthetic history behaves.
REJECT_SHARE = 0.04
ONSPOT_SHARE = 0.45  # patrollers' findings fixed on the spot
DEPARTMENT_SHARE = 0.22  # department categories sent to the department itself
POOL_SHARE = 0.06  # sent to the grid's pool
HEAD_SHARE = 0.2  # sent to the grid head rather than a member
LATE_SHARE = {4: 0.2}  # by deadline hours; else LATE_DEFAULT
LATE_DEFAULT = 0.1
BADLY_LATE = 0.25  # of late ones: most of a window late or more (at most MAX_LATE)
MAX_LATE = timedelta(hours=96)
REOPEN_SHARE = 0.03  # of resolved on time: the resident was not satisfied the first time
LINK_REVISIT = 0.65  # residents with a phone rating on the tracking link (else by phone)
SATISFACTION = {False: ((5, 4, 3), (58, 32, 10)), True: ((5, 4, 3), (30, 40, 30))}  # late?
REUSE_REPORTER = 0.3  # a resident who has reported before in the same community
HAS_PHONE = {"resident": 0.9, "hotline": 0.95, "walk_in": 0.8}
REDEEM_CHANCE = 0.35  # after an award that brings the balance to 50 or more
# At now, newest first: the stage the latest reports wait in (History.hold).
HOLDS = ("submitted", "accepted", "pool", "dispatched", "accepted", "pool", "submitted",
         "dispatched")
LATE_NOW = 3

REJECT_REASONS = ("不属于本辖区，已告知向属地反映", "现场核实无此问题",
                  "描述不清，且无法联系反映人核实", "属于民事纠纷，建议通过诉讼途径解决",
                  "问题已由相关单位处理完毕")
RESOLUTIONS = {
    "environment": ("已联系环卫清运，现场已清理干净", "垃圾已清运，并督促沿街商户落实门前三包"),
    "facilities": ("已报修，路灯恢复照明", "井盖已加固复位", "破损地砖已更换"),
    "illegal_parking": ("已联系车主挪车", "已劝离并张贴告知单", "非机动车已整理归位"),
    "leak": ("已联系物业关阀维修，漏点已修复", "已更换老化水管"),
    "wiring_gas": ("已拆除私拉电线并宣传安全用电", "燃气公司上门检测，已更换胶管",
                   "已劝导电动车移出楼道"),
    "dispute": ("经网格员调解，双方达成一致", "已组织双方协商并签订调解协议"),
    "elderly_help": ("已上门探访，老人身体状况良好", "已协调志愿者陪同就医", "已登记老年助餐服务"),
    "hardship": ("已协助提交临时救助申请", "已上门核实并转民政办理", "已解答政策并协助准备材料"),
    "pipes": ("已安排疏通，排水恢复正常", "已联系清掏，化粪池已处理"),
    "greening": ("已清理倒伏树木", "已安排除草", "已修剪遮挡树枝"),
    "market": ("已劝离流动摊贩", "已下架过期食品并立案调查", "已督促商户退店经营"),
    "other": ("已到现场处理完毕", "已协调相关单位处理"),
}
VERIFY_NOTES = {5: ("处理及时，非常满意", "感谢网格员", None, None), 4: ("处理得不错", None, None),
                3: ("基本解决", "处理有点慢", None)}
REOPEN_NOTES = ("没有处理干净", "问题仍然存在", "只处理了一半")
REDEEM_NOTES = ("兑换洗衣液一瓶", "兑换大米一袋", "兑换公交卡充值", "兑换家政服务券")

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


class History:
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

    def patroller(self, r: dict) -> int:
        team = self.st.members.get(r["grid_id"]) or [self.st.heads[r["grid_id"]]]
        return team[-1]

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


def ledger(rng: random.Random, reports: list[dict], lives: list[Life],
           operator: Actor, now: datetime) -> list[dict]:
    """+10 per accepted report with a reporter; now and then 50 points redeemed."""
    gains: dict[int, list[tuple[datetime, int]]] = {}
    for r, life in zip(reports, lives, strict=True):
        if r["reporter_id"] is None:
            continue
        accepted = next((s["at"] for s in life.steps if s["action"] == "accept"), None)
        if accepted is not None:
            gains.setdefault(r["reporter_id"], []).append((accepted, r["id"]))
    rows: list[dict] = []
    for reporter in sorted(gains):
        balance, free_from = 0, None
        for at, rid in sorted(gains[reporter]):
            rows.append({"reporter_id": reporter, "report_id": rid, "delta": POINTS,
                         "reason": "valid_report", "note": None, "by_user_id": None,
                         "created_at": at})
            balance += POINTS
            if free_from is not None and at <= free_from:
                continue  # one redemption at a time
            if balance >= REDEEM and rng.random() < REDEEM_CHANCE:
                when = whole(at + timedelta(hours=rng.uniform(2, 240)))
                if when < now:
                    rows.append({"reporter_id": reporter, "report_id": None, "delta": -REDEEM,
                                 "reason": "redeem", "note": rng.choice(REDEEM_NOTES),
                                 "by_user_id": operator[1], "created_at": when})
                    balance -= REDEEM
                    free_from = when
    rows.sort(key=lambda e: (e["created_at"], e["reporter_id"], e["delta"]))
    return [{"id": i + 1, **e} for i, e in enumerate(rows)]


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
