"""Browser fixtures: Debian's Chromium driven by Playwright (no browser downloads)."""

import shutil
import tempfile
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test-deps)")
    profile = tempfile.mkdtemp(prefix="gridlink-chromium-")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield b
        finally:
            b.close()
            shutil.rmtree(profile, ignore_errors=True)


def new_page(browser: Browser, **context: object) -> Page:
    """A page in a fresh context that fails on any request leaving the machine."""
    ctx = browser.new_context(locale="zh-CN", **context)  # type: ignore[arg-type]
    page = ctx.new_page()
    page.outside: list[str] = []  # type: ignore[attr-defined]

    def guard(route, request) -> None:  # noqa: ANN001
        host = request.url.split("/")[2] if "://" in request.url else ""
        if request.url.startswith(("data:", "blob:")) or host.startswith(("127.0.0.1",
                                                                         "localhost")):
            route.continue_()
        else:
            page.outside.append(request.url)  # type: ignore[attr-defined]
            route.abort()

    ctx.route("**/*", guard)
    page.errors: list[str] = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
    return page


def log_in(page: Page, base: str, username: str) -> None:
    """Fill the login form as a person would."""
    page.goto(base + "/login.html")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "gridlink")
    page.click("button[type=submit]")
