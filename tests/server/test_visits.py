"""Household visits: check-in within the radius, targets per care color, overdue per grid,
scoping and masking, bad input."""

import asyncio
import math
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import psycopg
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

import server.models  # noqa: F401 - every table for the ORM
from seed.visits import EVERY_DAYS
from server.auth.schemas import Principal
from server.db import make_engine, make_sessionmaker
from server.households.models import CARE_COLORS
from server.visits import service
from server.visits.schemas import DueHousehold, GridOverdue, VisitOut
from server.visits.settings import COLORS, Targets, VisitSettings, visit_targets
from tests.conftest import login
from tests.server.factories import worker_of
from tests.server.helpers import one

T = TypeVar("T")
M_PER_DEG = 111_320.0
DAY = timedelta(days=1)


def offset(lon: float, lat: float, metres: float, bearing_deg: float = 90.0
           ) -> tuple[float, float]:
    """A point `metres` away towards `bearing_deg` (0 north, 90 east)."""
    b = math.radians(bearing_deg)
    return (lon + metres * math.sin(b) / (M_PER_DEG * math.cos(math.radians(lat))),
            lat + metres * math.cos(b) / M_PER_DEG)


def home_grid(url: str, username: str = "patroller") -> int:
    return int(one(url, "SELECT min(wg.grid_id) FROM users u JOIN worker_grids wg ON "
                        "wg.worker_id = u.worker_id AND wg.duty <> 'linked' JOIN households h "
                        "ON h.grid_id = wg.grid_id WHERE u.username = %s", username)[0])


def households_of(url: str, grid_id: int, n: int = 1) -> list[tuple[int, float, float]]:
    """The first n households of a grid, each with no visit at all (history cleared)."""
    with psycopg.connect(url, autocommit=True) as c:
        rows = c.execute("SELECT id, ST_X(geom), ST_Y(geom) FROM households WHERE grid_id = %s "
                         "ORDER BY id LIMIT %s", [grid_id, n]).fetchall()
        c.execute("DELETE FROM household_visits WHERE household_id = ANY(%s)",
                  [[r[0] for r in rows]])
    assert len(rows) == n
    return [(int(r[0]), float(r[1]), float(r[2])) for r in rows]


def foreign_household(url: str, grid_ids: list[int]) -> tuple[int, float, float]:
    return tuple(one(url, "SELECT id, ST_X(geom), ST_Y(geom) FROM households "  # type: ignore
                          "WHERE grid_id <> ALL(%s) ORDER BY id LIMIT 1", grid_ids))


def set_color(url: str, household_id: int, color: str) -> None:
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("UPDATE households SET care_color = %s WHERE id = %s", [color, household_id])


def visited(url: str, household_id: int, at: datetime, worker: int) -> None:
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("INSERT INTO household_visits (household_id, worker_id, grid_id, visited_at, "
                  "geom, distance_m) SELECT id, %s, grid_id, %s, geom, 0 FROM households "
                  "WHERE id = %s", [worker, at, household_id])


def visit_count(url: str, household_id: int | None = None) -> int:
    if household_id is None:
        return int(one(url, "SELECT count(*) FROM household_visits")[0])
    return int(one(url, "SELECT count(*) FROM household_visits WHERE household_id = %s",
                   household_id)[0])


def run(url: str, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Call a service function on its own engine (an injected clock, no HTTP)."""
    async def go() -> T:
        engine = make_engine(url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                return await fn(db)
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def fetch(url: str, query: str, *params: object) -> list[tuple]:
    with psycopg.connect(url) as c:
        return [tuple(r) for r in c.execute(query, params).fetchall()]


def due_of(rows: list[dict[str, Any]], household_id: int) -> DueHousehold:
    return next(DueHousehold.model_validate(r) for r in rows if r["household_id"] == household_id)


@pytest.fixture
def patroller(client: TestClient) -> dict[str, str]:
    return login(client, "patroller")


def test_check_in_within_the_radius_moves_the_due_date(client: TestClient, seeded_url: str,
                                                        patroller: dict[str, str]) -> None:
    url, grid = seeded_url, home_grid(seeded_url)
    (hid, lon, lat), = households_of(url, grid)
    set_color(url, hid, "orange")
    before = due_of(client.get("/api/visits/due", headers=patroller).json(), hid)
    assert before.last_visited_at is None and before.every_days == 14
    x, y = offset(lon, lat, 20)
    r = client.post("/api/visits", json={"household_id": hid, "lon": x, "lat": y,
                                         "accuracy": 8, "note": "老人身体好"}, headers=patroller)
    assert r.status_code == 201, r.text
    v = VisitOut.model_validate(r.json())
    assert v.household_id == hid and v.distance_m == pytest.approx(20, abs=0.5)
    assert v.next_due_at - v.visited_at == timedelta(days=14)
    assert abs(v.visited_at - datetime.now(UTC)) < timedelta(minutes=1)
    after = due_of(client.get("/api/visits/due", headers=patroller).json(), hid)
    assert after.last_visited_at == v.visited_at and after.due_at == v.next_due_at
    assert after.due_at > before.due_at and not after.overdue and after.overdue_days == 0
    stored = one(url, "SELECT worker_id, grid_id, accuracy, note, round(ST_Distance("
                      "geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)) "
                      "FROM household_visits WHERE id = %s", x, y, v.id)
    assert stored == (worker_of(url, "patroller"), grid, 8.0, "老人身体好", 0)
    kind, grid_ids, payload = one(url, "SELECT kind, grid_ids, payload FROM events "
                                       "WHERE topic = 'visits' ORDER BY seq DESC LIMIT 1")
    assert kind == "checked_in" and grid_ids == [grid]
    assert payload["id"] == v.id and payload["household_id"] == hid
    assert payload["care_color"] == "orange" and "name" not in payload
    head = client.post("/api/visits", json={"household_id": hid, "lon": x, "lat": y},
                       headers=login(client, "grid_head"))
    assert head.status_code == 201, "the grid head visits as their own worker"
    assert one(url, "SELECT worker_id FROM household_visits WHERE id = %s",
               head.json()["id"])[0] == worker_of(url, "grid_head")


def test_too_far_is_refused_with_the_distance(client: TestClient, seeded_url: str,
                                              patroller: dict[str, str]) -> None:
    (hid, lon, lat), = households_of(seeded_url, home_grid(seeded_url))
    x, y = offset(lon, lat, 60, bearing_deg=30)
    before = visit_count(seeded_url)
    r = client.post("/api/visits", json={"household_id": hid, "lon": x, "lat": y},
                    headers=patroller)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "too_far"
    assert "60 米" in body["detail_zh"] and "50 米" in body["detail_zh"]
    assert "60 m" in body["detail_en"]
    assert visit_count(seeded_url) == before
    assert one(seeded_url, "SELECT count(*) FROM events WHERE topic = 'visits'")[0] == 0


def test_a_wider_radius_from_the_settings(client: TestClient, seeded_url: str,
                                          patroller: dict[str, str]) -> None:
    (hid, lon, lat), = households_of(seeded_url, home_grid(seeded_url))
    x, y = offset(lon, lat, 60)
    app: Any = client.app
    app.dependency_overrides[visit_targets] = lambda: Targets(radius_m=100)
    try:
        r = client.post("/api/visits", json={"household_id": hid, "lon": x, "lat": y},
                        headers=patroller)
    finally:
        app.dependency_overrides.clear()
    assert r.status_code == 201, r.text


def test_who_may_check_in_where(client: TestClient, seeded_url: str,
                                patroller: dict[str, str]) -> None:
    url = seeded_url
    me = client.get("/api/me", headers=patroller).json()
    hid, lon, lat = foreign_household(url, me["grid_ids"])
    body = {"household_id": hid, "lon": lon, "lat": lat}
    before = visit_count(url)
    r = client.post("/api/visits", json=body, headers=patroller)
    assert r.status_code == 403 and r.json()["code"] == "household_out_of_scope"
    assert r.json()["detail_zh"] and r.json()["detail_en"]
    r = client.post("/api/visits", json={**body, "household_id": 999_999}, headers=patroller)
    assert r.status_code == 404 and r.json()["code"] == "household_not_found"
    for role in ("dept_staff", "operator", "planner", "admin"):
        assert client.post("/api/visits", json=body,
                           headers=login(client, role)).status_code == 403, role
    assert client.post("/api/visits", json=body).status_code == 401
    assert visit_count(url) == before


def test_bad_positions_and_notes_are_refused(client: TestClient, seeded_url: str,
                                             patroller: dict[str, str]) -> None:
    (hid, lon, lat), = households_of(seeded_url, home_grid(seeded_url))
    ok = {"household_id": hid, "lon": lon, "lat": lat}
    bad = [({"lon": 200.0}, "coord_out_of_range"), ({"lat": 91.0}, "coord_out_of_range"),
           ({"lon": lat, "lat": lon}, None), ({"lon": 0.0, "lat": 0.0}, "null_island"),
           ({"lon": "east"}, "invalid_input"), ({"lat": None}, "invalid_input"),
           ({"note": "访" * 501}, "invalid_input"), ({"accuracy": -1}, "invalid_input"),
           ({"household_id": 0}, "invalid_input"), ({"coord_sys": "utm"}, "invalid_input")]
    for change, code in bad:
        r = client.post("/api/visits", json={**ok, **change}, headers=patroller)
        assert r.status_code == 422, (change, r.text)
        assert code is None or r.json()["code"] == code, (change, r.json())
    swapped = client.post("/api/visits", json={**ok, "lon": lat, "lat": lon}, headers=patroller)
    assert "swapped" in swapped.json()["detail_en"]
    no_lat = {k: v for k, v in ok.items() if k != "lat"}
    assert client.post("/api/visits", json=no_lat, headers=patroller).status_code == 422
    assert visit_count(seeded_url, hid) == 0
    r = client.post("/api/visits", json={**ok, "note": "访" * 500}, headers=patroller)
    assert r.status_code == 201, "500 characters are fine"


def test_an_idempotent_retry_returns_the_same_visit(client: TestClient, seeded_url: str,
                                                    patroller: dict[str, str]) -> None:
    (hid, lon, lat), = households_of(seeded_url, home_grid(seeded_url))
    body = {"household_id": hid, "lon": lon, "lat": lat, "accuracy": 5}
    h = {**patroller, "Idempotency-Key": "visit-abc-1"}
    first = client.post("/api/visits", json=body, headers=h)
    again = client.post("/api/visits", json=body, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert visit_count(seeded_url, hid) == 1
    other = client.post("/api/visits", json={**body, "accuracy": 6}, headers=h)
    assert other.status_code == 409
    assert one(seeded_url, "SELECT count(*) FROM events WHERE topic = 'visits'")[0] == 1


def test_targets_per_color_with_explicit_times(client: TestClient, seeded_url: str,
                                               patroller: dict[str, str]) -> None:
    url, grid, worker = seeded_url, home_grid(seeded_url), worker_of(seeded_url, "patroller")
    red_ok, red_late, green_ok, green_late = (h[0] for h in households_of(url, grid, 4))
    now = datetime.now(UTC)
    for hid, color, age in ((red_ok, "red", 6), (red_late, "red", 8), (green_ok, "green", 179),
                            (green_late, "green", 181)):
        set_color(url, hid, color)
        visited(url, hid, now - age * DAY - timedelta(hours=1), worker)
        visited(url, hid, now - 300 * DAY, worker)  # an older visit does not count
    rows = client.get("/api/visits/due", params={"grid_id": grid}, headers=patroller).json()
    got = {hid: due_of(rows, hid) for hid in (red_ok, red_late, green_ok, green_late)}
    for hid, days in ((red_ok, 7), (red_late, 7), (green_ok, 180), (green_late, 180)):
        assert got[hid].every_days == days
        assert got[hid].last_visited_at is not None
        assert got[hid].due_at == got[hid].last_visited_at + days * DAY
    assert (got[red_ok].overdue, got[red_late].overdue) == (False, True)
    assert (got[green_ok].overdue, got[green_late].overdue) == (False, True)
    assert got[red_late].overdue_days == got[green_late].overdue_days == 1
    order = [r["household_id"] for r in rows]
    overdue = [r["household_id"] for r in rows if r["overdue"]]
    assert order[:len(overdue)] == overdue, "overdue first"
    assert order.index(red_late) < order.index(green_late), "red before green"
    ranks = [COLORS.index(r["care_color"]) for r in rows if r["overdue"]]
    assert ranks == sorted(ranks), "overdue by care priority"


def test_never_visited_is_due_from_the_ledger_entry(seeded_url: str) -> None:
    url, grid = seeded_url, home_grid(seeded_url)
    (hid, _, _), = households_of(url, grid)
    set_color(url, hid, "yellow")
    created = one(url, "SELECT created_at FROM households WHERE id = %s", hid)[0]
    me = Principal(user_id=1, username="p", role="patroller", display_name="p",
                   worker_id=worker_of(url, "patroller"), grid_ids=(grid,))

    def at(now: datetime) -> DueHousehold:
        rows = run(url, lambda db: service.due(db=db, principal=me, grid_id=grid, near=None,
                                               limit=1000, targets=Targets(), now=now))
        return next(r for r in rows if r.household_id == hid)

    early, late = at(created + 29 * DAY), at(created + 32 * DAY + timedelta(hours=1))
    assert early.due_at == late.due_at == created + 30 * DAY
    assert (early.overdue, late.overdue, late.overdue_days) == (False, True, 2)
    short = run(url, lambda db: service.due(
        db=db, principal=me, grid_id=grid, near=None, limit=1000,
        targets=Targets(every_days={**EVERY_DAYS, "yellow": 3}), now=created + 4 * DAY))
    assert next(r for r in short if r.household_id == hid).overdue


def test_due_is_scoped_masked_and_near(client: TestClient, seeded_url: str,
                                       patroller: dict[str, str]) -> None:
    url = seeded_url
    me = client.get("/api/me", headers=patroller).json()
    rows = client.get("/api/visits/due", headers=patroller).json()
    assert rows and {r["grid_id"] for r in rows} <= set(me["grid_ids"])
    for r in rows:
        DueHousehold.model_validate(r)
    raw = {hid: (name, address, room) for hid, name, address, room in fetch(
        url, "SELECT id, head_name, address, room FROM households WHERE id = ANY(%s)",
        [r["household_id"] for r in rows])}
    for r in rows:
        name, address, room = raw[r["household_id"]]
        assert r["name"] != name and r["name"][0] == name[0] and set(r["name"][1:]) == {"*"}
        assert r["address"] != address and r["address"].endswith("**")
        assert not r["address"].endswith(room)
        assert "phone" not in r and "head_name" not in r
    text = client.get("/api/visits/due", headers=patroller).text
    assert not any(name in text for name, _, _ in raw.values())
    foreign = one(url, "SELECT min(grid_id) FROM households WHERE grid_id <> ALL(%s)",
                  me["grid_ids"])[0]
    r = client.get("/api/visits/due", params={"grid_id": foreign}, headers=patroller)
    assert r.status_code == 403 and r.json()["code"] == "grid_out_of_scope"
    assert client.get("/api/visits/due", params={"grid_id": 999_999},
                      headers=patroller).status_code == 404
    op = login(client, "operator")
    r = client.get("/api/visits/due", headers=op)
    assert r.status_code == 422 and r.json()["code"] == "grid_required"
    r = client.get("/api/visits/due", params={"grid_id": foreign, "limit": 5}, headers=op)
    assert r.status_code == 200 and len(r.json()) == 5
    assert {x["grid_id"] for x in r.json()} == {foreign}
    for role in ("planner", "dept_staff"):
        assert client.get("/api/visits/due", params={"grid_id": foreign},
                          headers=login(client, role)).status_code == 403, role
    assert client.get("/api/visits/due").status_code == 401
    (hid, lon, lat), = households_of(url, home_grid(url))
    x, y = offset(lon, lat, 35, bearing_deg=200)
    near = client.get("/api/visits/due", params={"near": f"{x},{y}"}, headers=patroller).json()
    assert due_of(near, hid).distance_m == pytest.approx(35, abs=0.5)
    later = [r["distance_m"] for r in near if not r["overdue"]]
    assert later == sorted(later), "the rest nearest first"
    for bad in ("abc", "104.1", f"{y},{x}", "0,0", "1,2,3"):
        r = client.get("/api/visits/due", params={"near": bad}, headers=patroller)
        assert r.status_code == 422, bad
    for bad_limit in (0, 1001):
        assert client.get("/api/visits/due", params={"limit": bad_limit},
                          headers=patroller).status_code == 422


def test_overdue_per_grid(client: TestClient, seeded_url: str) -> None:
    url, grid = seeded_url, home_grid(seeded_url)
    op = login(client, "operator")
    before = {g["grid_id"]: GridOverdue.model_validate(g)
              for g in client.get("/api/visits/overdue", headers=op).json()}
    assert set(before) == {r[0] for r in fetch(url, "SELECT DISTINCT grid_id FROM households")}
    assert sum(g.overdue_total for g in before.values()) > 0, "the seed has overdue visits"
    assert sum(g.visited_7d for g in before.values()) > 0, "… and recent ones"
    for g in before.values():
        assert g.overdue_total == sum(g.overdue_by_color.model_dump().values())
        assert g.overdue_total <= g.households
    totals = [g.overdue_total for g in before.values()]
    assert totals == sorted(totals, reverse=True)
    households = one(url, "SELECT count(*) FROM households WHERE grid_id = %s", grid)[0]
    assert before[grid].households == households
    (hid, lon, lat), = households_of(url, grid)
    set_color(url, hid, "red")
    visited(url, hid, datetime.now(UTC) - 10 * DAY, worker_of(url, "patroller"))
    mid = {g["grid_id"]: g for g in client.get("/api/visits/overdue", headers=op).json()}
    assert mid[grid]["overdue_by_color"]["red"] >= 1
    h = login(client, "patroller")
    assert client.post("/api/visits", json={"household_id": hid, "lon": lon, "lat": lat},
                       headers=h).status_code == 201
    after = {g["grid_id"]: g for g in client.get("/api/visits/overdue", headers=op).json()}
    assert after[grid]["overdue_by_color"]["red"] == mid[grid]["overdue_by_color"]["red"] - 1
    assert after[grid]["overdue_total"] == mid[grid]["overdue_total"] - 1
    assert after[grid]["visited_7d"] == mid[grid]["visited_7d"] + 1
    community = before[grid].community_id
    assert community is not None and before[grid].community_name
    inside = client.get("/api/visits/overdue", params={"community_id": community},
                        headers=op).json()
    assert inside and {g["community_id"] for g in inside} == {community}
    assert len(inside) < len(before)
    assert client.get("/api/visits/overdue", params={"community_id": grid},
                      headers=op).status_code == 404, "a grid is not a community"


def test_overdue_scoping(client: TestClient, seeded_url: str) -> None:
    head = login(client, "grid_head")
    mine = client.get("/api/me", headers=head).json()["grid_ids"]
    rows = client.get("/api/visits/overdue", headers=head).json()
    assert rows and {g["grid_id"] for g in rows} <= set(mine)
    planner = client.get("/api/visits/overdue", headers=login(client, "planner"))
    assert planner.status_code == 200 and len(planner.json()) > len(rows)
    for role in ("patroller", "dept_staff"):
        r = client.get("/api/visits/overdue", headers=login(client, role))
        assert r.status_code == 403, role
    assert client.get("/api/visits/overdue").status_code == 401


def test_settings_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    assert COLORS == CARE_COLORS
    assert VisitSettings().targets().every_days == EVERY_DAYS, "the seed follows the defaults"
    assert Targets().radius_m == VisitSettings().radius_m == 50
    monkeypatch.setenv("GRIDLINK_VISIT_EVERY_DAYS__RED", "3")
    monkeypatch.setenv("GRIDLINK_VISIT_RADIUS_M", "80")
    targets = VisitSettings().targets()
    assert targets.days("red") == 3 and targets.days("green") == 180 and targets.radius_m == 80
    assert targets.params()["days"][0] == 3
    for name, value in (("GRIDLINK_VISIT_EVERY_DAYS__RED", "0"),
                        ("GRIDLINK_VISIT_RADIUS_M", "-5")):
        with monkeypatch.context() as m:
            m.setenv(name, value)
            with pytest.raises(ValidationError):
                VisitSettings()


def test_the_seeded_history_is_deterministic_and_plausible() -> None:
    from seed.generate import generate
    from seed.visits import visit_rows

    now = datetime(2026, 11, 20, 4, tzinfo=UTC)
    data = generate(preset="tiny", seed=1, now=now)
    rows = visit_rows(data)
    again = visit_rows(generate(preset="tiny", seed=1, now=now))
    assert [(r["household_id"], r["visited_at"], r["geom"].wkb) for r in rows] == \
        [(r["household_id"], r["visited_at"], r["geom"].wkb) for r in again]
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))
    team = {(w["grid_id"], w["worker_id"]) for w in data.worker_grids
            if w["duty"] in ("head", "member")}
    assert all((r["grid_id"], r["worker_id"]) in team for r in rows)
    assert all(r["visited_at"] < now and 0 < r["distance_m"] <= 30 for r in rows)
    color = {h["id"]: h["care_color"] for h in data.households}
    last: dict[int, datetime] = {}
    for r in rows:
        last[r["household_id"]] = max(r["visited_at"], last.get(r["household_id"], r["visited_at"]))
    late = [hid for hid, at in last.items() if at + EVERY_DAYS[color[hid]] * DAY < now]
    assert 0 < len(late) < len(last) / 3, "some households overdue, most visited on time"
    assert any(now - at < 7 * DAY for at in last.values()), "some visited this week"
