"""The whole loop in Chromium: a resident reports with a photo → the operator accepts and
dispatches → the patroller claims and resolves with a photo → the resident rates →
archived; every step seen live on the operator's screen."""

from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.e2e.conftest import log_in, new_page
from tests.server.factories import jpeg, patroller_point, worker_of
from tests.server.helpers import one

LIVE = 30_000  # generous: a loaded CI machine, not a timing assertion


def photo_file(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg()}


def detail_status(op: Page, rid: int, status: str) -> None:
    expect(op.locator(f"#report-detail[data-report-id='{rid}'][data-status='{status}']")
           ).to_have_count(1, timeout=LIVE)


def test_the_whole_loop(browser: Browser, live_server: LiveServer) -> None:
    base, url = live_server.base, live_server.db_url
    _, lon, lat = patroller_point(url)
    patroller = worker_of(url, "patroller")
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
             "geolocation": {"longitude": lon, "latitude": lat},
             "permissions": ["geolocation"]}

    op = new_page(browser, viewport={"width": 1440, "height": 900})
    log_in(op, base, "operator")
    expect(op.locator("#conn-state[data-state='connected']")).to_have_count(1, timeout=20_000)

    resident = new_page(browser, **phone)
    resident.goto(f"{base}/report.html?lon={lon}&lat={lat}")
    expect(resident.locator("body[data-ready='1']")).to_have_count(1, timeout=LIVE)
    resident.set_input_files("#report-photo", files=[photo_file("problem.jpg")])
    expect(resident.locator(".gl-photo[data-state='done']")).to_have_count(1, timeout=LIVE)
    resident.select_option("#report-category", "environment")
    resident.fill("#report-description", "楼下垃圾堆积两天了")
    resident.fill("#report-phone", "13911112222")
    resident.click("#report-submit")
    link = resident.locator("a#track-link")
    expect(link).to_be_visible(timeout=LIVE)
    token = (link.get_attribute("href") or "").split("t=")[-1]
    rid = one(url, "SELECT id FROM reports WHERE tracking_token = %s", token)[0]

    item = op.locator(f".gl-queue-item[data-report-id='{rid}']")
    expect(item).to_have_count(1, timeout=LIVE)  # arrived live, no reload
    expect(op.locator(f".gl-report[data-report-id='{rid}']")).to_have_count(1, timeout=LIVE)
    item.click()
    detail_status(op, rid, "submitted")
    op.click("#report-detail button[data-action='accept']")
    detail_status(op, rid, "accepted")
    op.click("#report-detail button[data-action='dispatch']")
    candidate = op.locator(f".gl-candidate-item[data-worker-id='{patroller}']")
    expect(candidate).to_have_count(1, timeout=LIVE)
    candidate.locator("button[data-assign]").click()
    detail_status(op, rid, "dispatched")

    pat = new_page(browser, **phone)
    log_in(pat, base, "patroller")
    expect(pat.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
    pat.click("button[data-tab='tasks']")
    task = pat.locator(f".gl-task[data-report-id='{rid}']")
    expect(task).to_have_count(1, timeout=LIVE)
    task.locator("button[data-action='claim']").click()
    detail_status(op, rid, "claimed")
    pat.locator(f".gl-task[data-report-id='{rid}'] button[data-action='resolve']").click()
    pat.fill("#resolve-note", "已清运完毕")
    pat.set_input_files("#resolve-photo", files=[photo_file("result.jpg")])
    expect(pat.locator("#resolve-submit")).to_be_enabled(timeout=LIVE)
    pat.click("#resolve-submit")
    detail_status(op, rid, "resolved")

    resident.goto(f"{base}/track.html?t={token}")
    expect(resident.locator("#track-status[data-status='resolved']")).to_have_count(
        1, timeout=LIVE)
    resident.click("button[data-star='5']")
    resident.click("#rate-submit")
    expect(resident.locator("#track-status[data-status='verified']")).to_have_count(
        1, timeout=LIVE)
    detail_status(op, rid, "verified")
    op.click("#report-detail button[data-action='archive']")
    detail_status(op, rid, "archived")

    actions = op.locator("#report-detail .gl-step").evaluate_all(
        "els => els.map(e => e.dataset.action)")
    for step in ("create", "accept", "dispatch", "claim", "resolve", "verify", "archive"):
        assert step in actions, (step, actions)
    assert one(url, "SELECT count(*) FROM photos WHERE report_id = %s", rid)[0] == 2
    for page in (op, resident, pat):
        assert page.outside == [] and page.errors == [], page.url  # type: ignore[attr-defined]
