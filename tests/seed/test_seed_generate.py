"""Determinism, sizes and labels of the generated presets."""

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from seed import SYNTHETIC
from seed.generate import TABLES, SeedData, generate
from tests.seed.fixed import NOW


def by_level(data: SeedData) -> Counter:
    return Counter((g["level"], g["kind"]) for g in data.grids)


def test_the_data_says_it_is_synthetic(tiny: SeedData) -> None:
    assert SYNTHETIC is True and tiny.synthetic is True
    import seed.generate

    assert "SYNTHETIC" in (seed.generate.__doc__ or "")


def test_same_seed_gives_identical_rows(tiny: SeedData) -> None:
    again = generate(preset="tiny", seed=1, now=NOW)
    assert again.digest() == tiny.digest()
    for table in TABLES:
        assert again.table(table) == tiny.table(table), table


def test_demo_is_deterministic_too(demo: SeedData) -> None:
    assert generate(preset="demo", seed=1, now=NOW).digest() == demo.digest()


def test_another_seed_gives_another_area(tiny: SeedData) -> None:
    other = generate(preset="tiny", seed=2, now=NOW)
    assert other.digest() != tiny.digest()
    assert [g["geom"].wkb for g in other.grids] != [g["geom"].wkb for g in tiny.grids]


def test_ids_are_explicit_and_dense(data: SeedData) -> None:
    for table in TABLES:
        rows = data.table(table)
        if rows and "id" in rows[0]:
            assert [r["id"] for r in rows] == list(range(1, len(rows) + 1)), table


def test_demo_sizes_match_one_real_street(demo: SeedData) -> None:
    levels = by_level(demo)
    assert levels[("street", "comprehensive")] == 1
    assert 8 <= levels[("community", "comprehensive")] <= 10
    assert 250 <= levels[("grid", "comprehensive")] <= 290
    assert 15 <= levels[("grid", "dedicated")] <= 25
    assert len(demo.stations) == 45
    assert 55_000 <= len(demo.households) <= 65_000
    assert 750 <= len(demo.workers) <= 900
    assert 90 * 25 <= len(demo.reports) <= 90 * 40


def test_tiny_sizes(tiny: SeedData) -> None:
    levels = by_level(tiny)
    assert levels[("community", "comprehensive")] == 2
    assert 10 <= levels[("grid", "comprehensive")] <= 14
    assert levels[("grid", "dedicated")] == 2
    assert 350 <= len(tiny.households) <= 450
    assert len(tiny.stations) == 3
    assert 80 <= len(tiny.reports) <= 130


def test_six_demo_users_named_after_their_roles(data: SeedData) -> None:
    assert [(u["username"], u["role"]) for u in data.users] == [
        (r, r) for r in ("admin", "operator", "planner", "grid_head", "patroller", "dept_staff")]
    assert all(u["is_demo"] and u["display_name"] for u in data.users)
    assert len({u["password_hash"] for u in data.users}) == 1


def test_codes_are_hierarchical(data: SeedData) -> None:
    code = {g["id"]: g["code"] for g in data.grids}
    assert len(set(code.values())) == len(code)
    street = next(g for g in data.grids if g["level"] == "street")
    assert re.fullmatch(r"\d{9}", street["code"])
    for g in data.grids:
        if g["parent_id"] is not None:
            assert g["code"].startswith(code[g["parent_id"]])
            assert len(g["code"]) == len(code[g["parent_id"]]) + 3


def test_grid_names_follow_the_field(demo: SeedData) -> None:
    street = next(g for g in demo.grids if g["level"] == "street")
    assert street["name"] == "锦城街道" and street["parent_id"] is None
    communities = {g["id"]: g["name"] for g in demo.grids if g["level"] == "community"}
    assert all(n.endswith("社区") for n in communities.values())
    for g in demo.grids:
        if g["level"] == "grid" and g["kind"] == "comprehensive":
            assert re.fullmatch(re.escape(communities[g["parent_id"]]) + r"第\d+网格", g["name"])
        elif g["kind"] == "dedicated":
            assert g["name"].endswith("专属网格")
            assert g["dedicated_type"] in ("school", "hospital", "market", "business")
            assert g["parent_id"] in communities
    assert {g["dedicated_type"] for g in demo.grids if g["kind"] == "dedicated"} == {
        "school", "hospital", "market", "business"}


def test_departments_and_categories(demo: SeedData) -> None:
    deps = {d["id"]: d["name"] for d in demo.departments}
    assert {"城管", "市场监管", "民政", "公安", "司法"} <= set(deps.values())
    cats = {c["code"]: c for c in demo.report_categories}
    assert set(cats) == {"environment", "facilities", "illegal_parking", "leak", "wiring_gas",
                         "dispute", "elderly_help", "hardship", "pipes", "greening", "market",
                         "other"}
    assert all(c["department_id"] in deps for c in cats.values() if c["code"] != "other")
    assert all(c["deadline_hours"] > 0 for c in cats.values())


def test_rows_do_not_depend_on_the_hash_seed(tiny: SeedData) -> None:
    code = ("from seed.generate import generate; from tests.seed.fixed import NOW; "
            "print(generate(preset='tiny', seed=1, now=NOW).digest())")
    for hash_seed in ("0", "4242"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": hash_seed},
                             cwd=Path(__file__).resolve().parents[2])
        assert out.stdout.strip() == tiny.digest()
