"""The planner page in Chromium: a planner splits a grid along a drawn line and publishes,
and an operator's map shows the new grid without a reload; two planners on one draft
cannot overwrite each other (the second gets the conflict and sees the first's change)."""

import httpx
from playwright.sync_api import Browser, Locator, Page, expect

from tests.conftest import LiveServer
from tests.e2e.conftest import log_in, new_page
from tests.server.helpers import one

LIVE = 20_000
WIDE = {"width": 1400, "height": 900}


def largest_grid(url: str) -> tuple[int, int]:
    """A comprehensive grid big enough to halve, and its community."""
    grid, community = one(
        url, "SELECT id, parent_id FROM grids WHERE level = 'grid' AND kind = 'comprehensive' "
             "AND retired_at IS NULL ORDER BY ST_Area(geom::geography) DESC, id LIMIT 1")
    return int(grid), int(community)


def steady_box(locator: Locator) -> dict[str, float]:
    """The element's box once the map has stopped moving (two equal readings)."""
    page = locator.page
    last = None
    for _ in range(40):
        box = locator.bounding_box()
        if box and last and all(abs(box[k] - last[k]) < 0.5 for k in box):
            return box
        last = box
        page.wait_for_timeout(120)
    raise AssertionError("the map did not settle")


def open_planner(browser: Browser, server: LiveServer, query: str = "") -> Page:
    page = new_page(browser, viewport=WIDE)
    log_in(page, server.base, "planner")
    page.wait_for_url("**/planner.html*")
    if query:
        page.goto(server.base + "/planner.html" + query)
    expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=LIVE)
    return page


def operator_grid_ids(page: Page) -> set[str]:
    return set(page.eval_on_selector_all(".gl-grid[data-grid-id]",
                                         "els => els.map((e) => e.dataset.gridId)"))


def test_planner_splits_a_grid_and_the_operator_map_updates(browser: Browser,
                                                            live_server: LiveServer) -> None:
    grid, community = largest_grid(live_server.db_url)
    operator = new_page(browser, viewport=WIDE)
    log_in(operator, live_server.base, "operator")
    expect(operator.locator("body[data-ready='1']")).to_have_count(1, timeout=LIVE)
    expect(operator.locator("#conn-state[data-state='connected']")).to_have_count(1, timeout=LIVE)
    expect(operator.locator(f".gl-grid[data-grid-id='{grid}']")).to_have_count(1, timeout=LIVE)
    before = operator_grid_ids(operator)

    page = open_planner(browser, live_server)
    page.select_option("#plan-new-scope", str(community))
    page.click("#plan-create")
    current = page.locator("#plan-current[data-status='draft']")
    expect(current).to_be_visible(timeout=LIVE)
    item = page.locator(f".gl-plan-grid-item[data-key='{grid}']")
    expect(item).to_have_count(1, timeout=LIVE)
    item.click()
    expect(page.locator(f"#plan-grid-sel[data-key='{grid}'][data-action='keep']")).to_be_visible()

    # a line across the grid, from above it to below it, through the middle of its box
    box = steady_box(page.locator(f"path.gl-plan-grid[data-key='{grid}']"))
    x = box["x"] + box["width"] / 2
    page.click("#plan-grid-sel button[data-tool='split']")
    expect(page.locator("#plan-tool[data-tool='split']")).to_be_visible()
    page.mouse.click(x, box["y"] - 30)
    page.mouse.click(x, box["y"] + box["height"] + 30)
    page.click("#tool-finish")

    expect(page.locator("#plan-msg[data-kind='ok']")).to_be_visible(timeout=LIVE)
    expect(page.locator(".gl-plan-grid-item[data-action='new']")).to_have_count(1)
    expect(page.locator(f"path.gl-plan-grid[data-key='{grid}'][data-action='change']")).to_have_count(1)
    expect(page.locator("#plan-check[data-ok='1']")).to_have_count(1)
    expect(page.locator("#plan-current [data-count='new'][data-n='1']")).to_have_count(1)

    page.click("#plan-tabs button[data-tab='preview']")
    expect(page.locator("#plan-preview[data-state='ready']")).to_have_count(1, timeout=LIVE)
    expect(page.locator("#preview-spread")).to_be_visible()

    page.click("#plan-tabs button[data-tab='publish']")
    page.click("#publish-submit")
    page.click("#publish-confirm")
    expect(page.locator("#publish-result[data-state='ok']")).to_be_visible(timeout=LIVE)
    expect(page.locator("#publish-result [data-result='grids_new'][data-n='1']")).to_have_count(1)
    expect(page.locator("#plan-current[data-status='published']")).to_have_count(1, timeout=LIVE)

    # the operator's map: the new grid appears without a reload
    operator.wait_for_function(
        """(known) => [...document.querySelectorAll('.gl-grid[data-grid-id]')]
             .some((el) => !known.includes(el.dataset.gridId))""",
        arg=sorted(before), timeout=LIVE)
    assert operator_grid_ids(operator) - before
    for p in (page, operator):
        assert p.outside == [] and p.errors == []  # type: ignore[attr-defined]


def test_two_planners_on_one_draft_get_a_conflict(browser: Browser,
                                                  live_server: LiveServer) -> None:
    grid, community = largest_grid(live_server.db_url)
    token = live_server.token("planner")
    r = httpx.post(live_server.base + "/api/plans",
                   json={"name": "并发测试", "scope_id": community},
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    plan = r.json()["id"]
    first = open_planner(browser, live_server, f"?plan={plan}")
    second = open_planner(browser, live_server, f"?plan={plan}")
    for page in (first, second):
        expect(page.locator(f"#plan-current[data-plan-id='{plan}']")).to_be_visible(timeout=LIVE)
        page.click(f".gl-plan-grid-item[data-key='{grid}']")
        expect(page.locator(f"#plan-grid-sel[data-key='{grid}']")).to_be_visible()

    first.fill("#grid-name", "第一位规划员改的名")
    first.click("#grid-save")
    expect(first.locator("#plan-msg[data-kind='ok']")).to_be_visible(timeout=LIVE)

    second.fill("#grid-name", "第二位规划员改的名")
    second.click("#grid-save")
    message = second.locator("#plan-msg[data-kind='conflict']")
    expect(message).to_be_visible(timeout=LIVE)
    expect(message).to_contain_text("其他人")
    # the draft was reloaded: the first planner's name is there, the second's is not saved
    expect(second.locator(f".gl-plan-grid-item[data-key='{grid}']")).to_contain_text("第一位规划员改的名")
    expect(second.locator("#grid-name")).to_have_value("第一位规划员改的名")
    names = httpx.get(f"{live_server.base}/api/plans/{plan}/grids",
                      headers={"Authorization": f"Bearer {token}"}).json()
    named = {f["properties"]["key"]: f["properties"]["name"] for f in names["features"]}
    assert named[str(grid)] == "第一位规划员改的名"
    for p in (first, second):
        assert p.outside == [] and p.errors == []  # type: ignore[attr-defined]
