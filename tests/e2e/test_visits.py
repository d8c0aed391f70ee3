"""Household visits in Chromium: the patroller stands at an overdue household, opens the
走访 tab, is refused while offline and when too far, checks in and sees it marked; the
operator's visits panel follows live."""

from datetime import UTC, datetime, timedelta

import psycopg
from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer
from tests.e2e.conftest import log_in, new_page
from tests.server.factories import worker_of
from tests.server.helpers import one

LIVE = 30_000


def overdue_red_pair(url: str) -> tuple[int, int, int, float, float]:
    """The patroller's grid, a household there made red and overdue (lon, lat), and
    another household of the grid more than 80 m away from it."""
    grid, hid, lon, lat = one(
        url, "SELECT h.grid_id, h.id, ST_X(h.geom), ST_Y(h.geom) FROM users u "
             "JOIN worker_grids wg ON wg.worker_id = u.worker_id AND wg.duty <> 'linked' "
             "JOIN households h ON h.grid_id = wg.grid_id WHERE u.username = 'patroller' "
             "ORDER BY h.id LIMIT 1")
    far = one(url, "SELECT id FROM households WHERE grid_id = %s AND ST_Distance(geom::geography,"
                   " (SELECT geom FROM households WHERE id = %s)::geography) > 80 "
                   "ORDER BY id LIMIT 1", grid, hid)[0]
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("UPDATE households SET care_color = 'red' WHERE id = ANY(%s)", [[hid, far]])
        c.execute("DELETE FROM household_visits WHERE household_id = ANY(%s)", [[hid, far]])
        c.execute("INSERT INTO household_visits (household_id, worker_id, grid_id, visited_at, "
                  "geom, distance_m) SELECT id, %s, grid_id, %s, geom, 3 FROM households "
                  "WHERE id = ANY(%s)", [worker_of(url, "patroller"),
                                         datetime.now(UTC) - timedelta(days=10), [hid, far]])
    return int(grid), int(hid), int(far), float(lon), float(lat)


def test_check_in_at_a_household(browser: Browser, live_server: LiveServer) -> None:
    base, url = live_server.base, live_server.db_url
    grid, hid, far, lon, lat = overdue_red_pair(url)

    op = new_page(browser, viewport={"width": 1440, "height": 900})
    log_in(op, base, "operator")
    expect(op.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
    expect(op.locator("#conn-state[data-state='connected']")).to_have_count(1, timeout=LIVE)
    op.click("button#visits-open")
    row = op.locator(f"tr.gl-visits-row[data-grid-id='{grid}']")
    expect(row).to_be_visible(timeout=LIVE)
    assert op.locator("tr.gl-visits-row").count() == one(
        url, "SELECT count(DISTINCT grid_id) FROM households")[0]
    red_before = int(row.locator("td[data-col='red']").inner_text())
    assert red_before >= 2

    pat = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                   has_touch=True, geolocation={"longitude": lon, "latitude": lat},
                   permissions=["geolocation"])
    log_in(pat, base, "patroller")
    expect(pat.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
    expect(pat.locator("#gps-state[data-state='fix']")).to_have_count(1, timeout=LIVE)
    pat.click("button[data-tab='visits']")
    item = pat.locator(f".gl-visit[data-household-id='{hid}']")
    expect(item).to_have_attribute("data-overdue", "true", timeout=LIVE)
    expect(item).to_have_attribute("data-care", "red")
    assert "*" in item.locator(".gl-visit__name").inner_text(), "the name is masked"
    expect(pat.locator("#visit-count")).not_to_have_text("0")

    pat.context.set_offline(True)
    item.locator("button[data-action='checkin']").click()
    expect(item.locator(".gl-visit__msg[data-kind='error']")).to_contain_text("网络不通")
    pat.context.set_offline(False)

    away = pat.locator(f".gl-visit[data-household-id='{far}']")
    away.locator("button[data-action='checkin']").click()
    expect(away.locator(".gl-visit__msg[data-kind='error']")).to_contain_text("米", timeout=LIVE)
    assert one(url, "SELECT count(*) FROM household_visits WHERE household_id = ANY(%s) "
                    "AND visited_at > now() - interval '1 hour'", [hid, far])[0] == 0

    item.locator("button[data-action='checkin']").click()
    done = pat.locator(f".gl-visit[data-household-id='{hid}'][data-visited='today']")
    expect(done).to_have_count(1, timeout=LIVE)
    expect(done).to_have_attribute("data-overdue", "false")
    expect(done.locator(".gl-badge--visited")).to_be_visible()
    worker, distance = one(url, "SELECT worker_id, distance_m FROM household_visits "
                                "WHERE household_id = %s ORDER BY visited_at DESC LIMIT 1", hid)
    assert worker == worker_of(url, "patroller") and distance < 5

    expect(row.locator("td[data-col='red']")).to_have_text(str(red_before - 1), timeout=LIVE)
    row.click()
    expect(op.locator("path.gl-visits-focus")).to_have_count(1, timeout=LIVE)
    op.click("button#figures-open")
    expect(op.locator("#visits-panel")).to_be_hidden()
    for page in (op, pat):
        assert page.outside == [] and page.errors == [], page.url  # type: ignore[attr-defined]
