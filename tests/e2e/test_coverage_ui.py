"""Patrol coverage in Chromium: a walk along a street colours its grid on the coverage
layer (live, without a reload), the shift picker changes the window, and the daily
report lists the grids nobody walked and zooms to them."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
from playwright.sync_api import Browser, Page, expect

from server.coverage import service
from server.db import make_engine, make_sessionmaker
from tests.conftest import LiveServer
from tests.e2e.conftest import log_in, new_page
from tests.server.factories import patroller_point, worker_of
from tests.server.helpers import one

LIVE = 20_000
LOCAL = timedelta(hours=8)  # the deployment's local time (UTC+8)


def advance(url: str) -> int:
    """The ticker's coverage pass, a little ahead so that the fixes just written count."""
    async def go() -> int:
        engine = make_engine(url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                return await service.advance(db=db, now=datetime.now(UTC) + timedelta(seconds=6))
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def walk(url: str, worker: int, grid: int, start: datetime) -> None:
    """Fixes every 5 s along the first street pieces of a grid (received now)."""
    with psycopg.connect(url, autocommit=True) as c:
        points = c.execute(
            "SELECT ST_X(pt), ST_Y(pt) FROM (SELECT id FROM coverage_pieces WHERE grid_id = %s "
            "ORDER BY id LIMIT 8) p0 JOIN coverage_pieces p USING (id), "
            "unnest(ARRAY[0, 0.5, 1]) f, ST_LineInterpolatePoint(p.geom, f) pt "
            "ORDER BY p.id, f", [grid]).fetchall()
        assert len(points) >= 6, f"grid {grid} has no streets"
        for i, (x, y) in enumerate(points):
            c.execute("INSERT INTO positions (worker_id, fix_time, device_id, geom, accuracy) "
                      "VALUES (%s, %s, 'e2e', ST_SetSRID(ST_MakePoint(%s, %s), 4326), 5) "
                      "ON CONFLICT DO NOTHING", [worker, start + timedelta(seconds=5 * i), x, y])


def coverage_of(server: LiveServer, grid: int, shift: str = "all") -> dict:
    r = httpx.get(server.base + "/api/coverage", params={"shift": shift}, timeout=10,
                  headers={"Authorization": f"Bearer {server.token('operator')}"})
    assert r.status_code == 200, r.text
    return next(g for g in r.json()["grids"] if g["grid_id"] == grid)


def share_of(page: Page, grid: int) -> float:
    value = page.locator(f"path.gl-coverage[data-grid-id='{grid}']").first.get_attribute(
        "data-share")
    return float(value or 0)


def test_coverage_layer_and_daily_report(browser: Browser, live_server: LiveServer) -> None:
    url = live_server.db_url
    worker = worker_of(url, "patroller")
    name = one(url, "SELECT name FROM workers WHERE id = %s", worker)[0]
    home, _, _ = patroller_point(url)
    community = one(url, "SELECT parent_id FROM grids WHERE id = %s", home)[0]
    other = one(url, "SELECT id FROM grids g WHERE parent_id = %s AND id <> %s AND kind = "
                     "'comprehensive' AND EXISTS (SELECT 1 FROM coverage_pieces p WHERE "
                     "p.grid_id = g.id) ORDER BY id LIMIT 1", community, home)[0]
    start = datetime.now(UTC) - timedelta(minutes=3)
    walk(url, worker, home, start)
    advance(url)  # (or the server's ticker got there first)
    assert coverage_of(live_server, home)["share"] > 0

    op = new_page(browser, viewport={"width": 1440, "height": 900})
    log_in(op, live_server.base, "operator")
    expect(op.locator("body[data-ready='1']")).to_have_count(1, timeout=LIVE)
    expect(op.locator("#conn-state[data-state='connected']")).to_have_count(1, timeout=LIVE)
    toggle = op.locator("input[data-layer='coverage']")
    expect(toggle).not_to_be_checked()
    assert op.locator("path.gl-coverage").count() == 0
    toggle.check()
    mine = op.locator(f"path.gl-coverage[data-grid-id='{home}']")
    expect(mine).to_have_count(1, timeout=LIVE)
    assert share_of(op, home) > 0
    expect(op.locator(f"path.gl-coverage[data-grid-id='{other}'][data-share='0']")
           ).to_have_count(1)
    expect(op.locator("#coverage-legend")).to_be_visible()
    mine.dispatch_event("mouseover")
    expect(op.locator(".leaflet-tooltip .gl-cov-tip")).to_contain_text(name, timeout=LIVE)

    # the other shift of the day saw nothing of this walk
    local_hour = (start + LOCAL).hour
    other_shift = "night" if 8 <= local_hour < 20 else "day"
    op.select_option("select#coverage-shift", other_shift)
    expect(op.locator(f"path.gl-coverage[data-grid-id='{home}'][data-share='0']")
           ).to_have_count(1, timeout=LIVE)
    op.select_option("select#coverage-shift", "all")
    expect(op.locator(f"path.gl-coverage[data-grid-id='{home}'][data-band='none']")
           ).to_have_count(0, timeout=LIVE)

    # a new walk in the other grid arrives on the feed and recolours it without a reload
    walk(url, worker, other, start + timedelta(minutes=1))
    advance(url)
    expect(op.locator(f"path.gl-coverage[data-grid-id='{other}'][data-share='0']")
           ).to_have_count(0, timeout=LIVE)
    assert share_of(op, other) > 0

    # the daily report: the walked grids are patrolled, the rest of the community is not
    op.click("button#coverage-open")
    report = op.locator("#coverage-report[data-state='ready']")
    expect(report).to_be_visible(timeout=LIVE)
    section = op.locator(f".gl-cov-community[data-community-id='{community}']")
    expect(section).to_have_count(1)
    total = one(url, "SELECT count(*) FROM grids WHERE parent_id = %s AND level = 'grid'",
                community)[0]
    assert section.get_attribute("data-total") == str(total)
    assert int(section.get_attribute("data-patrolled") or 0) >= 2
    missed = section.locator("li.gl-cov-missed")
    assert missed.count() == total - int(section.get_attribute("data-patrolled") or 0) > 0
    assert section.locator(f"li.gl-cov-missed[data-grid-id='{home}']").count() == 0
    missed.first.click()
    expect(op.locator("path.gl-coverage-focus")).to_have_count(1, timeout=LIVE)

    op.select_option("select#coverage-report-community", str(community))
    expect(op.locator(".gl-cov-community")).to_have_count(1, timeout=LIVE)
    op.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    op.click("button#coverage-print")
    assert op.evaluate("() => window.__printed === true")
    assert op.errors == [] and op.outside == []  # type: ignore[attr-defined]
