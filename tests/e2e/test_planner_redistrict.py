"""The workload tab and the redistricting assistant in Chromium: a planner drafts a
community, reads each grid's load (and colours the map by it), asks for one grid fewer,
is told the allowed range when out of it, gets a more even draft of k grids that passes
the check, and sees the conflict when someone else changed the draft meanwhile."""

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.e2e.test_planner import open_planner
from tests.server.helpers import one

LIVE = 20_000
PROPOSE = 60_000  # the proposal runs in the server for up to 60 s


def busiest_community(url: str) -> tuple[int, int, int]:
    """The community with the most comprehensive grids: its id, that count, all its grids."""
    community, comprehensive, living = one(
        url, "SELECT parent_id, count(*) FILTER (WHERE kind = 'comprehensive'), count(*) "
             "FROM grids WHERE level = 'grid' AND retired_at IS NULL "
             "GROUP BY parent_id ORDER BY 2 DESC, parent_id LIMIT 1")
    return int(community), int(comprehensive), int(living)


def number(page: Page, selector: str, attr: str) -> float:
    value = page.get_attribute(selector, attr)
    assert value not in (None, ""), f"{selector} has no {attr}"
    return float(value)


def test_planner_redistricts_a_community(browser: Browser, live_server: LiveServer) -> None:
    community, current, living = busiest_community(live_server.db_url)
    assert current >= 2
    page = open_planner(browser, live_server)
    page.select_option("#plan-new-scope", str(community))
    page.click("#plan-create")
    expect(page.locator("#plan-current[data-status='draft']")).to_be_visible(timeout=LIVE)
    plan = page.get_attribute("#plan-current", "data-plan-id")

    # the workload of the map now: a row per grid, the community's count, mean and spread
    page.click("#plan-tabs button[data-tab='workload']")
    expect(page.locator(f"#plan-workload[data-state='ready'][data-parent='{community}']")) \
        .to_have_count(1, timeout=LIVE)
    expect(page.locator("tr.gl-wl-row")).to_have_count(living)
    expect(page.locator("tr.gl-wl-row[data-kind='comprehensive']")).to_have_count(current)
    summary = page.locator(f"#workload-summary[data-count='{current}']")
    expect(summary).to_be_visible()
    spread_now = number(page, "#workload-summary", "data-spread")
    page.click("#workload-table button[data-sort='load']")
    expect(page.locator("#workload-table th[aria-sort='descending'] button[data-sort='load']")) \
        .to_have_count(1)
    loads = [float(v) for v in page.eval_on_selector_all(
        "tr.gl-wl-row", "rows => rows.map((r) => r.dataset.load)")]
    assert loads == sorted(loads, reverse=True)
    page.check("#workload-map")
    expect(page.locator("path.gl-load-grid")).to_have_count(current, timeout=LIVE)
    expect(page.locator("#load-legend")).to_be_visible()

    # the assistant: k defaults to the draft's count; one past the blocks gives the range
    page.click("#plan-tabs button[data-tab='redistrict']")
    expect(page.locator("#redistrict-parent")).to_have_value(str(community))
    expect(page.locator("#redistrict-k")).to_have_value(str(current))
    page.fill("#redistrict-k", "100000")
    page.click("#redistrict-run")
    expect(page.locator("#redistrict-error[data-code='k_out_of_range']")).to_be_visible(
        timeout=PROPOSE)
    expect(page.locator("#redistrict-k[aria-invalid='true']")).to_have_count(1)
    low = number(page, "#redistrict-k-range", "data-min")
    high = number(page, "#redistrict-k-range", "data-max")
    assert low <= current - 1 <= high < 100_000

    # one grid fewer, fresh weights after a change and a reset
    page.fill("#redistrict-k", str(current - 1))
    page.click("#redistrict-weights summary")
    page.fill("input[data-weight='care.red']", "9")
    expect(page.locator("#redistrict-weights[data-changed='1']")).to_have_count(1)
    page.click("#redistrict-reset")
    expect(page.locator("#redistrict-weights[data-changed='0']")).to_have_count(1)
    page.click("#redistrict-run")
    expect(page.locator("#plan-redistrict[data-state='done']")).to_have_count(1, timeout=PROPOSE)
    expect(page.locator("#redistrict-progress[data-elapsed]")).to_be_hidden()
    result = page.locator("#redistrict-result")
    expect(result).to_be_visible()
    before = number(page, "#redistrict-result", "data-spread-before")
    after = number(page, "#redistrict-result", "data-spread-after")
    assert after < before and abs(before - spread_now) < 1e-6
    expect(page.locator(f"#redistrict-result[data-count-before='{current}']"
                        f"[data-count-after='{current - 1}']")).to_have_count(1)
    expect(page.locator("#redistrict-after tr.gl-rd-row")).to_have_count(current - 1)
    expect(page.locator("#redistrict-before tr.gl-rd-row")).to_have_count(current)
    expect(page.locator("#plan-msg[data-kind='ok']")).to_be_visible()

    # the draft: k living comprehensive grids under the community, and the check is fine
    drawn = page.locator("path.gl-plan-grid[data-kind='comprehensive']"
                         ":not([data-action='retire'])")
    expect(drawn).to_have_count(current - 1)
    expect(page.locator("#plan-check[data-ok='1']")).to_have_count(1)
    token = live_server.token("planner")
    grids = httpx.get(f"{live_server.base}/api/plans/{plan}/grids",
                      headers={"Authorization": f"Bearer {token}"}).json()["features"]
    mine = [f["properties"] for f in grids if f["properties"]["parent_id"] == community
            and f["properties"]["kind"] == "comprehensive"
            and f["properties"]["action"] != "retire"]
    assert len(mine) == current - 1

    # a row of the proposal selects its grid, ready for the usual tools
    key = page.get_attribute("#redistrict-after tr.gl-rd-row >> nth=0", "data-key")
    page.click(f"#redistrict-after tr.gl-rd-row[data-key='{key}']")
    expect(page.locator(f"#plan-grid-sel[data-key='{key}']")).to_be_visible()

    # someone else changes the draft: the next run is a conflict and the draft reloads
    etag = httpx.get(f"{live_server.base}/api/plans/{plan}",
                     headers={"Authorization": f"Bearer {token}"}).json()["etag"]
    r = httpx.put(f"{live_server.base}/api/plans/{plan}/grids/{key}", json={"name": "别人改的名"},
                  headers={"Authorization": f"Bearer {token}", "If-Match": etag})
    assert r.status_code == 200, r.text
    page.click("#plan-tabs button[data-tab='redistrict']")
    page.click("#redistrict-run")
    expect(page.locator("#plan-msg[data-kind='conflict']")).to_be_visible(timeout=PROPOSE)
    expect(page.locator("#redistrict-error[data-code='stale_etag']")).to_have_count(1)
    expect(page.locator(f".gl-plan-grid-item[data-key='{key}']")).to_contain_text("别人改的名",
                                                                                 timeout=LIVE)
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]
