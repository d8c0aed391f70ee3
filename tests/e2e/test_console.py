"""The command center and the patroller page in Debian Chromium."""

from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer
from tests.e2e.conftest import log_in, new_page
from tests.server.helpers import one


def send_fix(server: LiveServer, token: str, device: str, lon: float, lat: float,
             *, ago: timedelta = timedelta(0)) -> None:
    at = (datetime.now(UTC) - ago).isoformat()
    fix = {"device_id": device, "lon": lon, "lat": lat, "time": at}
    r = httpx.post(server.base + "/api/positions", json={"fixes": [fix]},
                   headers={"Authorization": f"Bearer {token}"})
    assert r.json()["accepted"] == 1, r.text


def test_operator_sees_grids_and_a_worker_move(browser: Browser,
                                               live_server: LiveServer) -> None:
    url = live_server.db_url
    worker, device, lon, lat = one(
        url, "SELECT w.id, w.device_id, ST_X(p), ST_Y(p) FROM workers w JOIN worker_grids wg "
             "ON wg.worker_id = w.id AND wg.duty = 'member' JOIN grids g ON g.id = wg.grid_id, "
             "ST_PointOnSurface(g.geom) p ORDER BY w.id LIMIT 1")
    gateway = live_server.token("admin")
    # two minutes before the move, so ~220 m is a walk, not an impossible jump
    send_fix(live_server, gateway, device, lon, lat, ago=timedelta(minutes=2))
    page = new_page(browser, viewport={"width": 1400, "height": 900})
    log_in(page, live_server.base, "operator")
    page.wait_for_url(live_server.base + "/")
    expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
    assert page.locator(".gl-grid").count() > 0
    expect(page.locator("#conn-state[data-state='connected']")).to_have_count(1, timeout=10_000)
    marker = page.locator(f".gl-worker[data-worker-id='{worker}']")
    expect(marker).to_have_count(1, timeout=10_000)
    before = marker.bounding_box()
    send_fix(live_server, gateway, device, lon + 0.002, lat + 0.001)
    page.wait_for_function(
        """([id, x, y]) => {
             const el = document.querySelector(`.gl-worker[data-worker-id='${id}']`);
             if (!el) return false;
             const r = el.getBoundingClientRect();
             return Math.abs(r.x - x) > 3 || Math.abs(r.y - y) > 3;
           }""", arg=[worker, before["x"], before["y"]], timeout=10_000)
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]


def test_new_report_appears_live(browser: Browser, live_server: LiveServer) -> None:
    url = live_server.db_url
    lon, lat = one(url, "SELECT ST_X(p), ST_Y(p) FROM grids g, ST_PointOnSurface(g.geom) p "
                        "WHERE g.level = 'grid' ORDER BY g.id LIMIT 1")
    page = new_page(browser, viewport={"width": 1400, "height": 900})
    log_in(page, live_server.base, "operator")
    expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
    expect(page.locator("#conn-state[data-state='connected']")).to_have_count(1, timeout=10_000)
    r = httpx.post(live_server.base + "/api/reports", json={
        "category": "environment", "description": "浏览器测试上报", "lon": lon, "lat": lat})
    rid = r.json()["id"]
    expect(page.locator(f".gl-report[data-report-id='{rid}']")).to_have_count(1, timeout=10_000)


def test_patroller_sees_their_own_grid(browser: Browser, live_server: LiveServer) -> None:
    grid, lon, lat = one(
        live_server.db_url,
        "SELECT wg.grid_id, ST_X(p), ST_Y(p) FROM users u JOIN worker_grids wg ON "
        "wg.worker_id = u.worker_id AND wg.duty <> 'linked' JOIN grids g ON g.id = wg.grid_id, "
        "ST_PointOnSurface(g.geom) p WHERE u.username = 'patroller' ORDER BY wg.grid_id LIMIT 1")
    page = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                    has_touch=True, geolocation={"longitude": lon, "latitude": lat},
                    permissions=["geolocation"])
    log_in(page, live_server.base, "patroller")
    page.wait_for_url("**/patrol.html*")
    expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
    expect(page.locator(f".gl-own-grid[data-grid-id='{grid}']")).to_have_count(1)
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]


def test_wrong_password_shows_a_message(browser: Browser, live_server: LiveServer) -> None:
    page = new_page(browser)
    page.goto(live_server.base + "/login.html")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    expect(page.get_by_text("用户名或密码错误")).to_be_visible(timeout=5_000)
    assert page.url.endswith("/login.html")
