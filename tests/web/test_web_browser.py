"""`planner serve` in a real browser: headless Chromium driven by Playwright.

A real server (`python -m planner.web`, uvicorn) on a free loopback port, a workspace with
the demo; every request not to 127.0.0.1 / localhost is aborted (`page.route`), so the app
shows it needs nothing from outside. The test opens the scenarios, starts a run of the demo,
watches its progress arrive over server-sent events to the end (the page is never
reloaded), opens the province map, downloads the workbook, and sees a bad upload refused
inline. With $PLANNER_SCREENSHOT_DIR set, each page is kept there at phone and desktop size
(web-*.png).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.export.browser.chromium import find_chromium
from tests.web.conftest import make_workspace

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("/usr/bin/chromium") or find_chromium()
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),
        reason="no Chromium installed (Debian: apt-get install chromium; or set PLANNER_CHROMIUM)",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`python -m planner.web` on a free port: (its address, its workspace)."""
    workspace = make_workspace(tmp_path_factory.mktemp("web-browser") / "ws")
    port = _free_port()
    log = open(workspace.parent / "server.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "planner.web", "--workspace", str(workspace), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=workspace,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/scenarios", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise AssertionError(
                    "planner serve did not start: "
                    + (workspace.parent / "server.log").read_text(errors="replace")
                )
            time.sleep(0.2)
        yield url, workspace
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.fail("no Chromium installed (CI needs it: apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Session:
    """A browser context whose requests may go to this machine only, and what went wrong."""

    def __init__(self, browser: Any, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.console: list[str] = []
        self.aborted: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: self.console.append(message.text) if message.type == "error" else None,
        )
        self.context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        host = route.request.url.split("/")[2].rsplit(":", 1)[0]
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.aborted.append(route.request.url)
            route.abort()

    def app_errors(self) -> list[str]:
        """Script errors and console errors, but for map tiles that could not be fetched."""
        return self.errors + [
            text for text in self.console if "Failed to load resource" not in text
        ]

    def close(self) -> None:
        self.context.close()


def _shot(page: Any, name: str) -> None:
    target = os.environ.get("PLANNER_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"web-{name}.png"), full_page=True)


def test_run_the_demo_in_a_browser(server: tuple[str, Path], browser: Any) -> None:
    url, workspace = server
    session = Session(browser, DESKTOP)
    page = session.page
    try:
        page.goto(f"{url}/scenarios")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.locator(".card h2").count() == 1
        _shot(page, "scenarios-desktop")
        page.click("text=Bắc Ninh — tháng vận động BHXH tự nguyện")
        page.wait_for_url(f"{url}/scenarios/demo")
        assert "1 đội mỗi huyện" in page.inner_text("dl.facts")
        _shot(page, "scenario-desktop")

        page.fill("input[name=time_limit]", "2")
        page.click("button:has-text('Bắt đầu chạy')")
        page.wait_for_url(f"{url}/runs/demo-*")
        run_url = page.url
        page.evaluate("window.plannerMarker = 'still this page'")
        page.wait_for_selector("[data-status=running]", timeout=120_000)
        _shot(page, "run-progress-desktop")
        page.wait_for_selector("[data-status=done]", timeout=240_000)
        # the result came over server-sent events: the page was never reloaded
        assert page.evaluate("window.plannerMarker") == "still this page"
        assert page.locator(".live progress").first.get_attribute("value") == "100"
        assert page.locator("#results").count() == 1
        _shot(page, "run-done-desktop")

        page.click("a:has-text('27 · Tỉnh Bắc Ninh')")
        page.wait_for_selector(".leaflet-container", timeout=30_000)
        assert "/files/maps/27.html" in page.url
        assert page.locator("path.pl-route").count() > 0  # the routes of the first day
        _shot(page, "map-desktop")

        page.goto(run_url)
        with page.expect_download() as download:
            page.click("a:has-text('Sổ lịch trình (Excel)')")
        saved = download.value.path()
        assert saved is not None and Path(saved).read_bytes()[:2] == b"PK"
        assert download.value.suggested_filename.endswith("-schedule.xlsx")

        page.goto(f"{url}/runs")
        assert page.locator("table.runs tbody tr").count() == 1
        _shot(page, "runs-desktop")

        page.goto(f"{url}/scenarios")
        bad = workspace.parent / "bad.toml"
        bad.write_text('name = "bad"\n[campaign]\nstart = 2020-05-30\nend = 2020-05-23\n')
        page.set_input_files("input[type=file]", str(bad))
        page.click("button:has-text('Kiểm tra và lưu')")
        alert = page.wait_for_selector("#upload-result [role=alert]")
        assert "bad.toml" in alert.inner_text()
        assert page.url == f"{url}/scenarios"  # shown in place
        assert not (workspace / "scenarios" / "bad.toml").exists()
        _shot(page, "upload-error-desktop")

        assert session.app_errors() == []
        assert all("tile" in u for u in session.aborted), session.aborted
    finally:
        session.close()


def test_pages_on_a_phone(server: tuple[str, Path], browser: Any) -> None:
    url, _ = server
    session = Session(browser, PHONE)
    page = session.page
    try:
        for path, name in (
            ("/scenarios", "scenarios"),
            ("/scenarios/demo", "scenario"),
            ("/runs", "runs"),
        ):
            page.goto(f"{url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width}px wide"
            _shot(page, f"{name}-phone")
        page.goto(f"{url}/scenarios/demo")
        page.fill("input[name=time_limit]", "3")
        page.click("button:has-text('Bắt đầu chạy')")
        page.wait_for_selector("[data-status=running]", timeout=120_000)
        _shot(page, "run-progress-phone")
        page.wait_for_selector("[data-status=done]", timeout=240_000)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the run page is {width}px wide"
        _shot(page, "run-done-phone")
        page.goto(f"{url}/scenarios?lang=en")
        assert page.locator("html").get_attribute("lang") == "en"
        _shot(page, "scenarios-en-phone")
        assert session.app_errors() == []
    finally:
        session.close()
