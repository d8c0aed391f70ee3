"""The closed loop behind the report history: lifecycle columns, steps, reporters, points,
and the figures the console computes from them."""

from collections import Counter, defaultdict
from datetime import timedelta

import pytest

from seed.generate import SeedData
from server.reports.lifecycle import NOTES, TRANSITIONS
from tests.seed.fixed import NOW

OPEN_WORK = ("dispatched", "claimed")
DONE = ("resolved", "verified", "archived")
TICK = timedelta(seconds=10)  # the ticker picks up a due report within seconds


def steps_of(data: SeedData) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    for s in data.report_steps:
        out[s["report_id"]].append(s)
    return out


def window_start(steps: list[dict]) -> dict:
    """The last dispatch or reopen: when the current deadline was given."""
    return [s for s in steps if s["action"] in ("dispatch", "reopen")][-1]


def test_status_fits_the_lifecycle_columns(data: SeedData) -> None:
    steps = steps_of(data)
    cat_hours = {c["code"]: c["deadline_hours"] for c in data.report_categories}
    for r in data.reports:
        s, mine = r["status"], steps[r["id"]]
        assert r["version"] == 1 + len(mine) and r["updated_at"] == mine[-1]["at"], r["id"]
        assert r["location_source"] in ("device", "map")
        assert (r["accuracy_m"] is None) == (r["location_source"] == "map")
        assert (r["recorded_by"] is not None) == (r["source"] in ("hotline", "walk_in"))
        assert (r["reject_reason"] is not None) == (s == "rejected")
        assert (r["merged_into_id"] is not None) == (s == "merged")
        if s in ("submitted", "accepted", "rejected", "merged"):
            assert r["deadline_at"] is None and r["assignee_worker_id"] is None
            assert r["assignee_department_id"] is None and r["pool_grid_id"] is None
            assert r["escalation_level"] == 0 and r["resolved_at"] is None
            assert r["satisfaction"] is None
        else:
            assert r["deadline_at"] is not None
            given = window_start(mine)["at"]
            assert r["deadline_at"] == given + timedelta(hours=cat_hours[r["category_code"]])
        if s in OPEN_WORK:
            assert r["resolved_at"] is None
            assert (r["assignee_worker_id"], r["assignee_department_id"],
                    r["pool_grid_id"]) != (None, None, None)
            if s == "claimed":
                assert r["assignee_worker_id"] is not None and r["pool_grid_id"] is None
            assert r["deadline_at"] is not None
            if r["deadline_at"] < NOW - TICK:
                assert r["escalation_level"] >= 1
        else:
            assert r["due_at"] is None and r["due_kind"] is None and r["pool_grid_id"] is None
        if s in DONE:
            assert r["created_at"] < r["resolved_at"] <= r["updated_at"]
            assert r["assignee_worker_id"] is not None and r["resolution_note"]
            if r["resolved_at"] > r["deadline_at"]:
                assert r["escalation_level"] >= 1
        if s in ("verified", "archived"):
            assert r["satisfaction"] in (3, 4, 5)
        if s == "resolved":
            assert r["satisfaction"] in (None, 1, 2)  # 1–2: reopened earlier
        if s == "archived":
            assert r["closed_at"] == mine[-1]["at"] and r["closed_at"] > r["resolved_at"]


def test_due_times_are_what_the_ticker_would_have_left(data: SeedData) -> None:
    steps = steps_of(data)
    for r in data.reports:
        if r["status"] not in OPEN_WORK:
            continue
        kind, due, deadline = r["due_kind"], r["due_at"], r["deadline_at"]
        if kind is None:  # escalated to the top of the ladder: nothing more is due
            assert r["escalation_level"] == 4 and due is None
            continue
        assert due > NOW - TICK, r["id"]
        given = window_start(steps[r["id"]])["at"]
        if kind == "warn":
            assert due == deadline - (deadline - given) / 4 and r["escalation_level"] == 0
        elif kind == "claim_window":
            assert r["status"] == "dispatched" and r["pool_grid_id"] == r["grid_id"]
            assert due == given + timedelta(minutes=30)
        else:
            assert kind == "overdue"
            if r["escalation_level"] == 0:
                assert due == deadline
                assert steps[r["id"]][-1]["action"] == "warn"
            else:
                assert deadline < NOW and steps[r["id"]][-1]["action"] == "escalate"


def test_steps_form_a_legal_chain_up_to_now(data: SeedData) -> None:
    steps = steps_of(data)
    reports = {r["id"]: r for r in data.reports}
    assert set(steps) == set(reports)
    for rid, mine in steps.items():
        r = reports[rid]
        first = mine[0]
        assert (first["action"], first["from_status"], first["to_status"]) == (
            "create", None, "submitted")
        assert first["at"] == r["created_at"] and first["data"] == {"source": r["source"]}
        status = "submitted"
        for prev, s in zip(mine, mine[1:], strict=False):
            assert prev["at"] < s["at"] <= NOW and prev["id"] < s["id"], rid
            assert s["actor_label"]
            if s["action"] in NOTES:
                assert s["action"] != "create"
                assert s["from_status"] is None and s["to_status"] == status, (rid, s)
            else:
                assert s["from_status"] == status, (rid, s)
                assert TRANSITIONS[s["action"]][status] == s["to_status"], (rid, s)
                status = s["to_status"]
        assert status == r["status"], rid


def test_step_contents(data: SeedData) -> None:
    reports = {r["id"]: r for r in data.reports}
    workers = {w["id"]: w["name"] for w in data.workers}
    for s in data.report_steps:
        r, d = reports[s["report_id"]], s["data"]
        if s["action"] == "dispatch":
            targets = [k for k in ("worker", "department") if k in d] + (
                ["pool"] if d["pool"] else [])
            assert len(targets) == 1 and d["deadline_at"], s
            if "worker" in d:
                assert d["worker"]["name"] == workers[d["worker"]["id"]]
        elif s["action"] in ("claim", "resolve"):
            assert s["actor_worker_id"] is not None
            assert s["actor_label"] == workers[s["actor_worker_id"]]
        elif s["action"] in ("verify", "reopen"):
            assert d["channel"] in ("link", "phone")
            assert d["satisfaction"] in ((3, 4, 5) if s["action"] == "verify" else (1, 2))
            assert s["actor_label"] == ("居民" if d["channel"] == "link" else "指挥中心值班员")
            if d["channel"] == "link":
                assert r["reporter_id"] is not None
        elif s["action"] in ("warn", "escalate"):
            assert s["actor_label"] == "系统" and s["actor_user_id"] is None
            if s["action"] == "escalate":
                assert 1 <= d["level"] <= 4 and d["to"]
                if d["level"] < 4 or r["category_code"] != "other":
                    assert d["notified"], s
        elif s["action"] in ("accept", "reject", "merge", "archive") and r["source"] != \
                "patroller":
            assert s["actor_label"] == "指挥中心值班员" and s["actor_user_id"] is not None
    for r in data.reports:
        if r["merged_into_id"] is not None:
            original = reports[r["merged_into_id"]]
            assert original["id"] < r["id"]
            assert original["category_code"] == r["category_code"]
            assert original["grid_id"] == r["grid_id"]
            assert r["geom"].distance(original["geom"]) < 0.0005  # a few tens of metres
            assert r["created_at"] - original["created_at"] < timedelta(hours=36)


def test_reporters_and_points(data: SeedData) -> None:
    reporters = {p["id"]: p for p in data.reporters}
    assert len({p["phone"] for p in reporters.values()}) == len(reporters)
    per_reporter = Counter(r["reporter_id"] for r in data.reports if r["reporter_id"])
    assert set(per_reporter) == set(reporters)
    assert max(per_reporter.values()) > 1
    for r in data.reports:
        if r["source"] == "patroller":
            assert r["reporter_id"] is None and r["reporter_phone"] is None
        if r["reporter_id"] is not None:
            who = reporters[r["reporter_id"]]
            assert (r["reporter_phone"], r["reporter_name"]) == (who["phone"], who["name"])
            assert who["kind"] == ("volunteer" if r["source"] == "volunteer" else "resident")
            assert who["created_at"] <= r["created_at"]
        else:
            assert r["reporter_phone"] is None
    earned = Counter(e["report_id"] for e in data.points_ledger if e["reason"] == "valid_report")
    for r in data.reports:
        valid = r["status"] not in ("submitted", "rejected", "merged")
        assert earned[r["id"]] == (1 if valid and r["reporter_id"] else 0), r["id"]
    balance: Counter = Counter()
    for e in sorted(data.points_ledger, key=lambda e: (e["created_at"], e["id"])):
        assert e["created_at"] <= NOW
        if e["reason"] == "valid_report":
            assert e["delta"] == 10 and e["reporter_id"] == \
                next(r for r in data.reports if r["id"] == e["report_id"])["reporter_id"]
        else:
            assert e["reason"] == "redeem" and e["delta"] == -50 and e["report_id"] is None
        balance[e["reporter_id"]] += e["delta"]
        assert balance[e["reporter_id"]] >= 0, e


def figures(data: SeedData) -> dict[str, float]:
    """The street's figures as server/figures/figures.sql computes them."""
    valid = [r for r in data.reports if r["status"] not in ("rejected", "merged")]
    old = [r for r in valid if NOW - r["created_at"] > timedelta(days=7)]
    done = [r for r in data.reports if r["status"] in DONE]
    rated = [r for r in data.reports if r["satisfaction"] is not None]
    return {
        "completion_7d": sum(r["status"] in DONE for r in old) / len(old),
        "on_time": sum(r["resolved_at"] <= r["deadline_at"] for r in done) / len(done),
        "satisfaction": sum(r["satisfaction"] >= 4 for r in rated) / len(rated),
        "overdue_now": sum(r["status"] in OPEN_WORK and r["deadline_at"] < NOW
                           for r in data.reports),
    }


def test_demo_figures_look_like_a_working_street(demo: SeedData) -> None:
    f = figures(demo)
    assert f["completion_7d"] > 0.85
    assert 0.80 <= f["on_time"] <= 0.95
    assert 0.80 <= f["satisfaction"] <= 0.95
    assert 1 <= f["overdue_now"] <= 15
    kinds = Counter(r["due_kind"] for r in demo.reports)
    assert kinds["warn"] >= 5 and kinds["overdue"] >= 1 and kinds["claim_window"] >= 1
    actions = Counter(s["action"] for s in demo.report_steps)
    assert actions["reopen"] and actions["merge"] and actions["reject"]
    assert actions["warn"] and actions["escalate"]
    assert Counter(e["reason"] for e in demo.points_ledger)["redeem"] >= 5
    assert any(r["assignee_department_id"] for r in demo.reports)


@pytest.mark.parametrize("seed", [2])
def test_other_seeds_keep_something_open_and_overdue(seed: int) -> None:
    from seed.generate import generate

    data = generate(preset="demo", seed=seed, now=NOW)
    open_now = Counter(r["status"] for r in data.reports if r["status"] != "archived")
    assert {"submitted", "accepted", "dispatched", "claimed"} <= set(open_now)
    assert figures(data)["overdue_now"] >= 1


def test_tiny_leaves_nothing_on_the_deadline_clock(tiny: SeedData) -> None:
    assert all(r["due_at"] is None and r["due_kind"] is None for r in tiny.reports)
    assert not [r for r in tiny.reports if r["status"] in OPEN_WORK]
    assert {"archived", "verified"} <= {r["status"] for r in tiny.reports}
