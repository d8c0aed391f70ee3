"""The patroller's phone feeds the command center: positions from the patrol page's
geolocation watch move the worker's marker on the operator's map."""

import psycopg
from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer
from tests.e2e.conftest import log_in, new_page
from tests.server.helpers import one

MOVED = """([id, x, y]) => {
  const el = document.querySelector(`.gl-worker[data-worker-id='${id}']`);
  if (!el) return false;
  const r = el.getBoundingClientRect();
  return Math.abs(r.x - x) > 3 || Math.abs(r.y - y) > 3;
}"""


def test_patrol_page_positions_move_the_operators_marker(browser: Browser,
                                                         live_server: LiveServer) -> None:
    worker, lon, lat = one(
        live_server.db_url,
        "SELECT u.worker_id, ST_X(p), ST_Y(p) FROM users u JOIN worker_grids wg ON "
        "wg.worker_id = u.worker_id AND wg.duty <> 'linked' JOIN grids g ON g.id = wg.grid_id, "
        "ST_PointOnSurface(g.geom) p WHERE u.username = 'patroller' ORDER BY wg.grid_id LIMIT 1")
    with psycopg.connect(live_server.db_url, autocommit=True) as c:  # start where the phone is
        c.execute("UPDATE worker_state SET geom = ST_Point(%s, %s, 4326), status = 'online', "
                  "fix_time = now() - interval '1 minute', received_at = now() "
                  "WHERE worker_id = %s", [lon, lat, worker])
    operator = new_page(browser, viewport={"width": 1400, "height": 900})
    log_in(operator, live_server.base, "operator")
    expect(operator.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
    expect(operator.locator("#conn-state[data-state='connected']")).to_have_count(
        1, timeout=10_000)

    phone = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                     has_touch=True, geolocation={"longitude": lon, "latitude": lat},
                     permissions=["geolocation"])
    log_in(phone, live_server.base, "patroller")
    phone.wait_for_url("**/patrol.html*")
    expect(phone.locator(".gl-me")).to_have_count(1, timeout=20_000)
    expect(phone.locator("#pending-fixes[data-pending='0']")).to_have_count(1, timeout=10_000)

    marker = operator.locator(f".gl-worker[data-worker-id='{worker}']")
    expect(marker).to_have_count(1, timeout=15_000)
    expect(marker).to_have_attribute("data-status", "online")
    before = marker.bounding_box()
    assert before is not None
    # about 40 m east: a walk, not an impossible jump
    phone.context.set_geolocation({"longitude": lon + 0.0004, "latitude": lat})
    operator.wait_for_function(MOVED, arg=[worker, before["x"], before["y"]], timeout=15_000)
    expect(phone.locator("#pending-fixes[data-pending='0']")).to_have_count(1, timeout=10_000)
    stored = one(live_server.db_url, "SELECT count(*), max(ST_X(geom)) FROM positions "
                                     "WHERE worker_id = %s", worker)
    assert stored[0] >= 2 and abs(stored[1] - (lon + 0.0004)) < 1e-6
    for page in (operator, phone):
        assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]
