"""Browser tests: Debian's Chromium, headless, at a phone's size, against a real uvicorn server
on a free port with its own SQLite database. One server and one browser for the whole package; a
fresh browser context (cookies, storage) per test. A failing test leaves a screenshot in
test-artifacts/.

Package scope, not session: Playwright's sync API keeps an event loop running in this thread
while the browser is open, and the async tests that run after this package need the thread back."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from tests.world import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
START_TIMEOUT = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    """The app under uvicorn, as in production but on SQLite; yields its base URL."""
    var = tmp_path_factory.mktemp("browser-var")
    url = f"sqlite://{var / 'browser.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CRM_ENV")}
    env.update(DATABASE_URL=url, CRM_VAR_DIR=str(var), PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "-m", "tests.browser.seed", url], cwd=ROOT, env=env, check=True)
    port = _free_port()
    log = (var / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the test server did not start:\n" + (var / "server.log").read_text())
        time.sleep(0.1)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


def _new_page(browser, server, **options):
    context = browser.new_context(base_url=server, viewport=PHONE, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, server):
    context, page = _new_page(browser, server)
    # Nothing may be fetched from another host: every asset is served by the app.
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((server, "data:")) else None)
    yield page
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"


@pytest.fixture
def page_without_js(browser, server):
    context, page = _new_page(browser, server, java_script_enabled=False)
    yield page
    context.close()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for name in ("page", "page_without_js"):
        page = item.funcargs.get(name)
        if page is not None and not page.is_closed():
            ARTIFACTS.mkdir(exist_ok=True)
            path = ARTIFACTS / f"{item.name}.png"
            page.screenshot(path=str(path), full_page=True)
            report.sections.append(("screenshot", str(path)))
