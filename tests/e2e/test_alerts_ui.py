"""Alerts in Chromium: an SOS reaches the operator's banner live and is acknowledged there;
outside-grid and offline alerts are listed, acknowledged with a note and closed; the
patroller's SOS button asks first, sends, follows the status and survives no network."""

from datetime import UTC, datetime, timedelta

import httpx
import psycopg
from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.e2e.conftest import log_in, new_page
from tests.server.factories import patroller_point, worker_of
from tests.server.helpers import one
from tests.server.test_alerts import fix, on_duty, outside_point, scan

LIVE = 20_000
M = timedelta(minutes=1)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "permissions": ["geolocation"]}


def operator_page(browser: Browser, base: str) -> Page:
    op = new_page(browser, viewport={"width": 1440, "height": 900})
    log_in(op, base, "operator")
    expect(op.locator("body[data-ready='1']")).to_have_count(1, timeout=LIVE)
    expect(op.locator("#conn-state[data-state='connected']")).to_have_count(1, timeout=LIVE)
    return op


def api(server: LiveServer, role: str, path: str, body: dict | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.token(role)}"}
    return httpx.post(server.base + path, json=body or {}, headers=headers, timeout=10)


def status_of(url: str, alert_id: int) -> tuple:
    return one(url, "SELECT status, note FROM alerts WHERE id = %s", alert_id)


def test_sos_banner_arrives_live_and_goes_on_ack(browser: Browser,
                                                 live_server: LiveServer) -> None:
    url = live_server.db_url
    worker = worker_of(url, "patroller")
    name = one(url, "SELECT name FROM workers WHERE id = %s", worker)[0]
    _, lon, lat = patroller_point(url)
    op = operator_page(browser, live_server.base)
    expect(op.locator("#alerts-count[data-count='0']")).to_have_count(1, timeout=LIVE)
    assert op.locator("#sos-banner").is_hidden()

    r = api(live_server, "patroller", "/api/sos", {"lon": lon, "lat": lat})
    assert r.status_code == 201, r.text
    sos = r.json()["id"]
    row = op.locator(f"#sos-banner .gl-sos[data-alert-id='{sos}']")
    expect(row).to_be_visible(timeout=LIVE)  # live, no reload
    expect(row).to_contain_text(name)
    expect(op.locator(f".gl-sos-marker.is-pulsing[data-alert-id='{sos}']")).to_have_count(1)
    expect(op.locator("#alerts-count[data-count='1'][data-open='1']")).to_have_count(1)

    row.locator("button[data-action='locate']").click()
    expect(op.locator(f".gl-alert-marker.is-focused[data-alert-id='{sos}']")).to_have_count(1)
    item = op.locator(f"#alerts-panel .gl-alert[data-alert-id='{sos}']")
    expect(item).to_have_class("gl-alert gl-alert--sos is-selected")

    row.locator("button[data-action='ack']").click()
    expect(op.locator("#sos-banner")).to_be_hidden(timeout=LIVE)
    assert status_of(url, sos)[0] == "acknowledged"
    expect(item).to_have_attribute("data-status", "acknowledged")
    expect(op.locator(f".gl-sos-marker.is-pulsing[data-alert-id='{sos}']")).to_have_count(0)

    # a second SOS stacks; when another desk closes it, the feed takes it off the banner
    head = api(live_server, "grid_head", "/api/sos", {"lon": lon, "lat": lat})
    assert head.status_code == 201, head.text
    expect(op.locator("#sos-banner .gl-sos")).to_have_count(1, timeout=LIVE)
    r = api(live_server, "operator", f"/api/alerts/{head.json()['id']}/close")
    assert r.status_code == 200
    expect(op.locator("#sos-banner")).to_be_hidden(timeout=LIVE)
    assert op.errors == [] and op.outside == []  # type: ignore[attr-defined]


def test_outside_and_offline_alerts_are_listed_acked_and_closed(
        browser: Browser, live_server: LiveServer) -> None:
    url = live_server.db_url
    worker = worker_of(url, "patroller")
    home, _, _ = patroller_point(url)
    grid_name = one(url, "SELECT name FROM grids WHERE id = %s", home)[0]
    op = operator_page(browser, live_server.base)
    op.click("#alerts-open")
    expect(op.locator("#alerts-panel")).to_be_visible()
    expect(op.locator("#alerts-panel .gl-alerts__msg")).to_be_visible(timeout=LIVE)

    now = datetime.now(UTC)
    ox, oy = outside_point(url)
    on_duty(url, worker, lon=ox, lat=oy, received=now - 12 * M)
    for minutes in (14, 12):
        fix(url, worker, now - minutes * M, ox, oy)
    scan(url, now)  # the ticker's pass, with the clock in our hands
    outside = op.locator("#alerts-panel .gl-alert[data-kind='outside_grid']")
    offline = op.locator("#alerts-panel .gl-alert[data-kind='offline']")
    expect(outside).to_have_count(1, timeout=LIVE)  # live
    expect(offline).to_have_count(1, timeout=LIVE)
    expect(outside).to_contain_text(grid_name, timeout=LIVE)
    expect(outside).to_contain_text("出界")
    expect(offline).to_contain_text("离线")
    expect(op.locator("#alerts-count[data-count='2']")).to_have_count(1)
    assert op.locator("#sos-banner").is_hidden()

    offline_id = int(offline.get_attribute("data-alert-id") or 0)
    offline.locator(".gl-alert__meta").click()  # select: the note field shows
    expect(op.locator(f".gl-alert-marker.is-focused[data-alert-id='{offline_id}']")
           ).to_have_count(1)
    offline.locator("input.gl-alert__note").fill("已电话联系，手机没电")
    offline.locator("button[data-action='ack']").click()
    expect(offline).to_have_attribute("data-status", "acknowledged", timeout=LIVE)
    assert status_of(url, offline_id) == ("acknowledged", "已电话联系，手机没电")
    expect(offline).to_contain_text("已电话联系")

    outside_id = int(outside.get_attribute("data-alert-id") or 0)
    outside.locator("button[data-action='close']").click()
    expect(outside).to_have_count(0, timeout=LIVE)
    assert status_of(url, outside_id)[0] == "closed"
    expect(op.locator("#alerts-count[data-count='1']")).to_have_count(1)
    assert op.errors == [] and op.outside == []  # type: ignore[attr-defined]


def open_sos(url: str, worker: int) -> list[tuple]:
    with psycopg.connect(url) as c:
        return c.execute("SELECT id, status, lon, lat FROM alerts WHERE worker_id = %s "
                         "AND kind = 'sos' AND status <> 'closed'", [worker]).fetchall()


def test_patroller_sos_asks_first_then_follows_the_status(browser: Browser,
                                                          live_server: LiveServer) -> None:
    url = live_server.db_url
    worker = worker_of(url, "patroller")
    _, lon, lat = patroller_point(url)
    pat = new_page(browser, geolocation={"longitude": lon, "latitude": lat}, **PHONE)
    log_in(pat, live_server.base, "patroller")
    expect(pat.locator("body[data-ready='1']")).to_have_count(1, timeout=LIVE)
    expect(pat.locator(".gl-me")).to_have_count(1, timeout=LIVE)

    pat.click("#sos-button")  # a tap only asks
    expect(pat.locator("#sos-dialog")).to_be_visible()
    pat.click("#sos-cancel")
    expect(pat.locator("#sos-dialog")).to_be_hidden()
    pat.wait_for_timeout(500)
    assert open_sos(url, worker) == []
    expect(pat.locator("#sos[data-state='idle']")).to_have_count(1)

    pat.click("#sos-button")
    pat.click("#sos-confirm")
    expect(pat.locator("#sos-state[data-state='sent']")).to_be_visible(timeout=LIVE)
    expect(pat.locator("#sos-state")).to_contain_text("已发送，指挥中心已收到")
    rows = open_sos(url, worker)
    assert len(rows) == 1 and rows[0][1] == "open"
    sos = rows[0][0]
    assert abs(rows[0][2] - lon) < 1e-5 and abs(rows[0][3] - lat) < 1e-5

    assert api(live_server, "operator", f"/api/alerts/{sos}/ack").status_code == 200
    expect(pat.locator("#sos-state[data-state='acknowledged']")).to_be_visible(timeout=LIVE)
    expect(pat.locator("#sos-state")).to_contain_text("已响应")
    assert api(live_server, "operator", f"/api/alerts/{sos}/close").status_code == 200
    expect(pat.locator("#sos-state[data-state='closed']")).to_be_visible(timeout=LIVE)
    pat.click("#sos-dismiss")
    expect(pat.locator("#sos-state")).to_be_hidden()

    # no network: the call is kept and goes out when the phone is back online
    pat.context.set_offline(True)
    pat.click("#sos-button")
    pat.click("#sos-confirm")
    expect(pat.locator("#sos-state[data-state='queued']")).to_be_visible(timeout=LIVE)
    expect(pat.locator("#sos-state")).to_contain_text("恢复网络后自动发送")
    assert open_sos(url, worker) == []
    pat.context.set_offline(False)
    expect(pat.locator("#sos-state[data-state='sent']")).to_be_visible(timeout=LIVE)
    assert len(open_sos(url, worker)) == 1
    assert pat.errors == [] and pat.outside == []  # type: ignore[attr-defined]
