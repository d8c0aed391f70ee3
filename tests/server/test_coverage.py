"""Patrol coverage on a hand-made grid with a known answer: a 300 m square whose streets are
road A (200 m, y = 100 m) and road B (100 m, y = 250 m), walked by fixes with an injected
clock; then the incremental pass, shifts, late fixes and the rebuild."""

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

import server.models  # noqa: F401 - every table for the ORM
from geo.metric import local_projector
from server.auth.schemas import Principal
from server.coverage import service
from server.coverage.schemas import GridCoverage
from server.coverage.settings import CoverageSettings, parse_shifts
from server.coverage.windows import current_start, window
from server.db import make_engine, make_sessionmaker
from server.patrol.filters import FLAG_JUMP, FLAG_POOR_ACCURACY

T = TypeVar("T")
ORIGIN = (104.06, 30.66)  # the square's south-west corner
FORWARD, INVERSE = local_projector(*ORIGIN)
DAY = date(2026, 11, 20)
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 09:00 local: the day shift
S = timedelta(seconds=1)
M = timedelta(minutes=1)
ADMIN = Principal(user_id=1, username="admin", role="admin", display_name="admin")
A_Y, A_X = 100.0, (50.0, 250.0)  # road A, 200 m
B_Y, B_X = 250.0, (100.0, 200.0)  # road B, 100 m


@dataclass(frozen=True)
class Square:
    url: str
    grid_id: int
    walker: int
    other: int


def lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = INVERSE(x, y)
    return float(lon), float(lat)


def coords(pts: list[tuple[float, float]]) -> str:
    return ", ".join("{:.9f} {:.9f}".format(*lonlat(x, y)) for x, y in pts)


def wkt_line(*pts: tuple[float, float]) -> str:
    return f"LINESTRING({coords(list(pts))})"


def wkt_square(size: float) -> str:
    return f"MULTIPOLYGON((({coords([(0, 0), (size, 0), (size, size), (0, size), (0, 0)])})))"


@pytest.fixture
def square(db_url: str) -> Square:
    """A street → community → grid, roads A and B inside it, two workers of the grid."""
    with psycopg.connect(db_url, autocommit=True) as c:
        ids = {}
        for code, level, parent in (("S1", "street", None), ("C1", "community", "S1"),
                                    ("G1", "grid", "C1")):
            ids[code] = c.execute(
                "INSERT INTO grids (code, name, level, parent_id, geom) VALUES "
                "(%s, %s, %s, %s, ST_GeomFromText(%s, 4326)) RETURNING id",
                [code, f"测试{code}", level, ids.get(parent or ""), wkt_square(300)]
            ).fetchone()[0]
        for name, y, (x0, x1) in (("甲路", A_Y, A_X), ("乙路", B_Y, B_X)):
            c.execute("INSERT INTO roads (name, class, geom) VALUES "
                      "(%s, 'local', ST_GeomFromText(%s, 4326))",
                      [name, wkt_line((x0, y), (x1, y))])
        workers = [c.execute("INSERT INTO workers (name, role) VALUES (%s, 'grid_worker') "
                             "RETURNING id", [n]).fetchone()[0] for n in ("张巡", "李巡")]
        for w in workers:
            c.execute("INSERT INTO worker_grids VALUES (%s, %s, 'member')", [w, ids["G1"]])
        c.execute("SELECT gridlink_ensure_position_partitions('2026-11-18', '2026-11-23')")
        c.execute("SELECT gridlink_coverage_pieces(NULL)")
    return Square(db_url, ids["G1"], workers[0], workers[1])


def put(url: str, worker: int, fixes: list[tuple[datetime, float, float]], *,
        received: datetime | None = None, flags: int = 0) -> None:
    """Fixes at (time, x m, y m) of the square; received 2 s after their time unless given."""
    with psycopg.connect(url, autocommit=True) as c:
        for t, x, y in fixes:
            c.execute("INSERT INTO positions (worker_id, fix_time, device_id, geom, flags, "
                      "received_at) VALUES (%s, %s, 'dev', ST_SetSRID(ST_MakePoint(%s, %s), "
                      "4326), %s, %s)", [worker, t, *lonlat(x, y), flags, received or t + 2 * S])


def walk(x0: float, x1: float, y: float, start: datetime,
         step_m: float = 12.0) -> list[tuple[datetime, float, float]]:
    """Fixes every 10 s at 1.2 m/s from x0 to x1 (both ends included)."""
    n = max(1, round(abs(x1 - x0) / step_m))
    return [(start + 10 * k * S, x0 + (x1 - x0) * k / n, y) for k in range(n + 1)]


def run(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def go() -> T:
        engine = make_engine(url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                return await work(db)
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def advance(url: str, now: datetime) -> int:
    return run(url, lambda db: service.advance(db=db, now=now))


def grid(sq: Square, *, now: datetime, day: date = DAY, shift: str = "all") -> GridCoverage:
    out = run(sq.url, lambda db: service.coverage(db=db, principal=ADMIN, day=day.isoformat(),
                                                  shift=shift, community_id=None, now=now))
    return next(g for g in out.grids if g.grid_id == sq.grid_id)


def days(url: str) -> list[tuple]:
    with psycopg.connect(url) as c:
        return c.execute("SELECT grid_id, shift, day, round(walked_m), last_at, worker_ids "
                         "FROM coverage_days ORDER BY 1, 2, 3").fetchall()


def test_walking_road_a_covers_two_thirds_of_the_street_length(square: Square) -> None:
    fixes = walk(*A_X, A_Y, T0)
    put(square.url, square.walker, fixes)
    put(square.url, square.walker, [(T0 + 30 * M, 150.0, 180.0)])  # alone, 70 m from B
    end = T0 + 30 * M
    assert advance(square.url, end + M) > 0
    g = grid(square, now=end + timedelta(hours=2))
    assert g.street_m == pytest.approx(300, abs=1)
    assert g.walked_m == pytest.approx(200, abs=1)
    assert g.share == pytest.approx(200 / 300, abs=25 / 300)
    assert g.patrolled and [w.id for w in g.workers] == [square.walker]
    assert g.workers[0].name == "张巡"
    last = fixes[-1][0]  # the lone fix hit nothing, so the latest walk is on road A
    assert g.last_patrolled_at is not None
    assert abs((g.last_patrolled_at - last).total_seconds()) <= 30
    assert g.hours_since == pytest.approx((end + timedelta(hours=2) - last) / timedelta(hours=1),
                                          abs=0.02)
    with psycopg.connect(square.url) as c:
        kind, grids, payload = c.execute("SELECT kind, grid_ids, payload FROM events "
                                         "WHERE topic = 'coverage'").fetchone()
    assert kind == "advanced" and grids == [square.grid_id] == payload["grids"]


def test_a_fix_20_m_from_a_street_counts_and_40_m_does_not(square: Square) -> None:
    put(square.url, square.walker, [(T0, 150.0, B_Y - 40)])
    advance(square.url, T0 + M)
    assert grid(square, now=T0 + M).walked_m == 0
    put(square.url, square.walker, [(T0 + 10 * M, 150.0, B_Y + 20)])
    advance(square.url, T0 + 11 * M)
    g = grid(square, now=T0 + 11 * M)
    assert g.walked_m == pytest.approx(50, abs=1)  # B's two middle pieces of 25 m
    assert g.share == pytest.approx(50 / 300, abs=0.01)


def test_jumps_and_poor_fixes_do_not_count(square: Square) -> None:
    put(square.url, square.walker, [(T0, A_X[0], A_Y)])
    put(square.url, square.walker, [(T0 + S * 5, A_X[1], A_Y)], flags=FLAG_JUMP)
    put(square.url, square.other, [(T0, 150.0, B_Y)], flags=FLAG_POOR_ACCURACY)
    advance(square.url, T0 + M)
    g = grid(square, now=T0 + M)
    assert g.walked_m == pytest.approx(50, abs=1)  # the first fix's two pieces only
    assert [w.id for w in g.workers] == [square.walker]


def test_a_gap_over_five_minutes_is_not_bridged(square: Square) -> None:
    put(square.url, square.walker, [(T0, A_X[0], A_Y), (T0 + 5 * M + S, A_X[1], A_Y)])
    put(square.url, square.other, [(T0, B_X[0], B_Y), (T0 + 5 * M, B_X[1], B_Y)])
    advance(square.url, T0 + 10 * M)
    g = grid(square, now=T0 + 10 * M)
    assert g.walked_m == pytest.approx(50 + 50 + 100, abs=1)  # A's two ends, B whole
    assert [w.id for w in g.workers] == sorted([square.walker, square.other])


def test_day_and_night_shifts_are_counted_apart(square: Square) -> None:
    put(square.url, square.walker, walk(*A_X, A_Y, T0))  # 09:00 local
    night = datetime(2026, 11, 20, 13, 30, tzinfo=UTC)  # 21:30 local
    put(square.url, square.other, walk(*B_X, B_Y, night))
    early = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # 03:00 local on the 21st
    put(square.url, square.walker, [(early, A_X[0], A_Y)])
    now = early + 10 * M
    advance(square.url, now)
    assert grid(square, now=now, shift="day").walked_m == pytest.approx(200, abs=1)
    n = grid(square, now=now, shift="night")
    assert n.walked_m == pytest.approx(100 + 50, abs=1)  # B, and A at 03:00 the next day
    assert [w.id for w in n.workers] == sorted([square.walker, square.other])
    assert grid(square, now=now, shift="all").walked_m == pytest.approx(300, abs=1)
    nxt = date(2026, 11, 21)
    assert grid(square, now=now, day=nxt, shift="all").walked_m == pytest.approx(50, abs=1)
    assert grid(square, now=now, day=nxt, shift="day").walked_m == 0


def test_each_pass_counts_only_what_arrived_since(square: Square) -> None:
    put(square.url, square.walker, walk(A_X[0], 110.0, A_Y, T0))
    assert advance(square.url, T0 + 2 * M) > 0
    first = days(square.url)
    assert first and grid(square, now=T0 + 2 * M).walked_m == pytest.approx(100, abs=1)
    assert advance(square.url, T0 + 3 * M) == 0, "nothing new"
    assert days(square.url) == first
    # the walk goes on: its first new step joins the last fix counted before
    put(square.url, square.walker, walk(122.0, A_X[1], A_Y, T0 + 3 * M))
    assert advance(square.url, T0 + 5 * M) > 0
    assert grid(square, now=T0 + 5 * M).walked_m == pytest.approx(200, abs=1)


def test_a_late_fix_is_counted_with_the_steps_on_both_sides(square: Square) -> None:
    put(square.url, square.walker, [(T0, A_X[0], A_Y), (T0 + 8 * M, A_X[1], A_Y)])
    advance(square.url, T0 + 10 * M)
    assert grid(square, now=T0 + 10 * M).walked_m == pytest.approx(100, abs=1)  # the ends
    # queued offline: its time is old, it arrives now
    put(square.url, square.walker, [(T0 + 4 * M, 150.0, A_Y)], received=T0 + 20 * M)
    advance(square.url, T0 + 21 * M)
    assert grid(square, now=T0 + 21 * M).walked_m == pytest.approx(200, abs=1)


def test_rebuild_replays_the_open_windows_and_keeps_the_past(square: Square) -> None:
    put(square.url, square.walker, walk(*A_X, A_Y, T0 - timedelta(days=1)))  # the 19th
    put(square.url, square.walker, walk(*B_X, B_Y, T0))
    now = T0 + 10 * M
    advance(square.url, now)
    before = days(square.url)
    made = run(square.url, lambda db: service.rebuild(db=db, now=now))
    assert made == 12  # 8 + 4 pieces of 25 m
    assert days(square.url) == before
    assert grid(square, now=now).walked_m == pytest.approx(100, abs=1)
    yesterday = grid(square, now=now, day=DAY - timedelta(days=1))
    assert yesterday.walked_m == pytest.approx(200, abs=1)
    # after the rebuild, yesterday's windows are closed; today's go on counting
    put(square.url, square.walker, walk(*A_X, A_Y, T0 + 20 * M))
    advance(square.url, T0 + 30 * M)
    assert grid(square, now=now).walked_m == pytest.approx(300, abs=1)


def test_a_pass_skips_while_another_holds_the_watermark(square: Square) -> None:
    put(square.url, square.walker, walk(*A_X, A_Y, T0))
    with psycopg.connect(square.url) as other:
        other.execute("SELECT 1 FROM coverage_state FOR UPDATE")
        assert advance(square.url, T0 + 10 * M) == 0
    assert advance(square.url, T0 + 10 * M) > 0


@pytest.mark.parametrize("text", ["day=8-20,day=20-8", "day=08-08", "morning=25-03",
                                  "all=00-12", "day:08-20"])
def test_bad_shift_settings_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        CoverageSettings(shifts=text)


def test_shift_windows_in_utc() -> None:
    shifts = {s.name: s for s in parse_shifts("day=08-20,night=20-08")}
    assert window(DAY, shifts["night"]) == (datetime(2026, 11, 20, 12, tzinfo=UTC),
                                            datetime(2026, 11, 21, 0, tzinfo=UTC))
    assert window(DAY, shifts["all"])[0] == datetime(2026, 11, 19, 16, tzinfo=UTC)
    # at 03:00 local the open windows are the 21st (from 00:00) and the night of the 20th
    assert current_start(datetime(2026, 11, 20, 19, tzinfo=UTC), tuple(shifts.values())) \
        == datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_last_at_moves_on_by_whole_chunks(square: Square) -> None:
    put(square.url, square.walker, [(T0, A_X[0], A_Y)])
    advance(square.url, T0 + M)
    put(square.url, square.walker, [(T0 + 2 * M, A_X[0], A_Y)])
    assert advance(square.url, T0 + 3 * M) == 0, "within a chunk of the kept time"
    assert grid(square, now=T0 + 3 * M).last_patrolled_at == T0
    put(square.url, square.walker, [(T0 + 6 * M, A_X[0], A_Y)])
    assert advance(square.url, T0 + 7 * M) > 0
    assert grid(square, now=T0 + 7 * M).last_patrolled_at == T0 + 6 * M


def test_redrawn_grids_restart_their_open_windows_instead_of_counting_twice(
        square: Square) -> None:
    t0 = datetime.now(UTC).replace(microsecond=0) - 30 * M
    today = (t0 + timedelta(hours=8)).date()  # the local day of the walk
    put(square.url, square.walker, walk(*A_X, A_Y, t0))
    advance(square.url, t0 + 10 * M)
    assert grid(square, now=t0 + 10 * M, day=today).walked_m == pytest.approx(200, abs=1)
    with psycopg.connect(square.url, autocommit=True) as c:  # what a published plan does
        c.execute("SELECT gridlink_coverage_pieces_for(ARRAY[%s])", [square.grid_id])
    assert grid(square, now=t0 + 11 * M, day=today).walked_m == 0
    put(square.url, square.walker, walk(*A_X, A_Y, t0 + 12 * M))
    advance(square.url, t0 + 20 * M)
    assert grid(square, now=t0 + 20 * M, day=today).walked_m == pytest.approx(200, abs=1)
