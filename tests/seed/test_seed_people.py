"""Workers, users, households and the report history."""

import re
from collections import Counter, defaultdict
from datetime import timedelta

from argon2 import PasswordHasher

from seed.generate import SeedData
from tests.seed.fixed import NOW


def comprehensive(data: SeedData) -> list[int]:
    return [g["id"] for g in data.grids if g["level"] == "grid" and g["kind"] == "comprehensive"]


def test_every_worker_has_a_unique_device_id(data: SeedData) -> None:
    ids = [w["device_id"] for w in data.workers]
    assert all(re.fullmatch(r"GL\d{6}", d) for d in ids)
    assert len(set(ids)) == len(ids)


def test_each_grid_has_one_head_and_two_members(data: SeedData) -> None:
    role = {w["id"]: w["role"] for w in data.workers}
    duties: dict[int, Counter] = defaultdict(Counter)
    for a in data.worker_grids:
        duties[a["grid_id"]][(a["duty"], role[a["worker_id"]])] += 1
    for gid in comprehensive(data):
        d = duties[gid]
        assert d[("head", "grid_head")] == 1
        assert d[("member", "grid_worker")] == 2
        assert d[("linked", "police")] == 1
    roles = Counter(role.values())
    communities = sum(g["level"] == "community" for g in data.grids)
    assert roles["first_secretary"] == roles["police"] == communities
    assert roles["volunteer"] >= communities and roles["dept_staff"] >= 1
    staff = [w for w in data.workers if w["role"] == "dept_staff"]
    assert all(w["department_id"] is not None for w in staff)


def test_demo_users_link_to_the_right_workers(data: SeedData) -> None:
    users = {u["username"]: u for u in data.users}
    workers = {w["id"]: w for w in data.workers}
    duty = {(a["worker_id"], a["grid_id"]): a["duty"] for a in data.worker_grids}
    patroller = workers[users["patroller"]["worker_id"]]
    assert patroller["role"] == "grid_worker"
    [grid] = [g for (w, g), d in duty.items() if w == patroller["id"] and d == "member"]
    assert duty[(users["grid_head"]["worker_id"], grid)] == "head"
    assert workers[users["dept_staff"]["worker_id"]]["role"] == "dept_staff"
    assert all(users[r]["worker_id"] is None for r in ("admin", "operator", "planner"))


def test_the_demo_password_verifies(tiny: SeedData) -> None:
    assert PasswordHasher().verify(tiny.users[0]["password_hash"], "gridlink")


def test_every_worker_is_last_seen_offline_a_few_hours_ago(data: SeedData) -> None:
    assert [s["worker_id"] for s in data.worker_state] == [w["id"] for w in data.workers]
    for s in data.worker_state:
        assert s["status"] == "offline" and s["fix_time"] == s["received_at"]
        assert timedelta(hours=1) <= NOW - s["fix_time"] <= timedelta(hours=9)


def test_care_colors_are_skewed_and_tags_fit_them(demo: SeedData) -> None:
    share = Counter(h["care_color"] for h in demo.households)
    n = len(demo.households)
    assert 0.01 < share["red"] / n < 0.05
    assert share["green"] / n > 0.55
    assert share["red"] < share["orange"] < share["yellow"] < share["blue"] < share["green"]
    for h in demo.households:
        assert bool(h["tags"]) == (h["care_color"] != "green")
        assert 1 <= h["residents"] <= 6
        if "独居老人" in h["tags"]:
            assert h["residents"] == 1
        assert re.fullmatch(r"1380000\d{4}", h["phone"])


def test_addresses_name_community_road_building_unit_and_room(demo: SeedData) -> None:
    pattern = re.compile(r"\w+社区\w+(路|大道|街|巷)\d+号\d+栋(\d)单元(\d+)")
    for h in demo.households[::97]:
        m = pattern.fullmatch(h["address"])
        assert m, h["address"]
        assert int(m.group(2)) == h["unit"] and m.group(3) == h["room"]


def test_report_history_runs_ninety_days_up_to_now(demo: SeedData) -> None:
    created = [r["created_at"] for r in demo.reports]
    assert created == sorted(created)
    assert NOW - timedelta(days=90) <= created[0] and created[-1] < NOW
    per_day = Counter((NOW - c).days for c in created)
    assert len(per_day) == 90 and min(per_day.values()) >= 25 and max(per_day.values()) <= 40
    old = [r for r in demo.reports if NOW - r["created_at"] > timedelta(days=20)]
    assert Counter(r["status"] for r in old).most_common(1)[0][0] == "archived"
    assert {r["status"] for r in old} <= {"archived", "rejected", "merged"}
    assert all(r["closed_at"] is not None for r in old)
    recent = {r["status"] for r in demo.reports if NOW - r["created_at"] < timedelta(days=2)}
    assert {"submitted", "accepted", "dispatched", "claimed", "resolved"} <= recent
    for r in demo.reports:
        assert r["created_at"] <= r["updated_at"] <= NOW
        assert (r["closed_at"] is not None) == (r["status"] in ("archived", "rejected", "merged"))
    assert {r["source"] for r in demo.reports} == {
        "resident", "volunteer", "patroller", "hotline", "walk_in"}
    tokens = [r["tracking_token"] for r in demo.reports]
    assert len(set(tokens)) == len(tokens) and all(re.fullmatch(r"[0-9a-f]{20}", t)
                                                   for t in tokens)


def test_station_rota_uses_the_station_grids_workers(data: SeedData) -> None:
    in_grid = defaultdict(set)
    for a in data.worker_grids:
        in_grid[a["grid_id"]].add(a["worker_id"])
    station_grid = {s["id"]: s["grid_id"] for s in data.stations}
    days = defaultdict(set)
    for d in data.station_duties:
        assert d["worker_id"] in in_grid[station_grid[d["station_id"]]]
        days[d["station_id"]].add(d["weekday"])
    assert all(days[s] == set(range(1, 8)) for s in station_grid)
    for s in data.stations:
        assert {"政策咨询", "便民服务"} <= set(s["services"]) and s["areas"]
        assert s["opening_hours"] == "08:30-17:30"
