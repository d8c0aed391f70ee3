"""The English switch: chosen on the login page, kept after logging in."""

from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer
from tests.e2e.conftest import new_page


def test_lang_from_the_url_survives_login(browser: Browser, live_server: LiveServer) -> None:
    page = new_page(browser, viewport={"width": 1280, "height": 800})
    page.goto(live_server.base + "/login.html?lang=en")
    page.fill("#username", "operator")
    page.fill("#password", "wrong")
    page.click("#login-submit")
    expect(page.get_by_text("Wrong username or password")).to_be_visible(timeout=5_000)
    page.fill("#password", "gridlink")
    page.click("#login-submit")
    expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
    assert page.evaluate("document.documentElement.lang").startswith("en")
    page.click("#lang-switch button[data-lang='zh-CN']")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
