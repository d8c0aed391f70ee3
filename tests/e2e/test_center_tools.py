"""The command center's tools in Chromium: record a hotline call, read the figures."""

from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer
from tests.e2e.conftest import log_in, new_page
from tests.server.helpers import one


def test_record_a_call_then_see_it_counted(browser: Browser, live_server: LiveServer) -> None:
    url = live_server.db_url
    before = one(url, "SELECT count(*) FROM reports WHERE source = 'hotline'")[0]
    op = new_page(browser, viewport={"width": 1440, "height": 900})
    log_in(op, live_server.base, "operator")
    expect(op.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
    op.click("button#record-open")
    expect(op.locator("#record-form")).to_be_visible()
    op.select_option("select#record-source", "hotline")
    op.fill("#record-name", "李女士")
    op.fill("#record-phone", "13812345678")
    op.select_option("select#record-category", "dispute")
    op.fill("#record-description", "12345来电：楼上装修噪音扰民")
    box = op.locator("#map").bounding_box()
    assert box is not None
    op.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    op.click("button#record-submit")
    rid = None
    for _ in range(50):
        rows = one(url, "SELECT count(*), max(id) FROM reports WHERE source = 'hotline'")
        if rows[0] == before + 1:
            rid = rows[1]
            break
        op.wait_for_timeout(200)
    assert rid is not None, "the call was not recorded"
    expect(op.locator(f"#report-detail[data-report-id='{rid}']")).to_have_count(1, timeout=10_000)
    recorded = one(url, "SELECT reporter_name, recorded_by IS NOT NULL, location_source "
                        "FROM reports WHERE id = %s", rid)
    assert recorded == ("李女士", True, "map")
    op.click("button#figures-open")
    expect(op.locator("tr.gl-figures-row").first).to_be_visible(timeout=10_000)
    assert op.locator("tr.gl-figures-row").count() == one(
        url, "SELECT count(*) FROM grids WHERE level = 'community'")[0]
    assert op.errors == [] and op.outside == []  # type: ignore[attr-defined]
