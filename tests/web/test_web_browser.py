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


def _shot2(page: Any, name: str) -> None:
    """A page of the second increment (variants, compare, sweep, field reports): web2-*.png."""
    target = os.environ.get("PLANNER_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"web2-{name}.png"), full_page=True)


def _narrow_enough(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_variant_run_reports_in_a_browser(server: tuple[str, Path], browser: Any) -> None:
    """Make a variant of the demo through the form, run it, watch it to the end, open the
    province map, download the workbook, upload a team report, see the progress; then
    re-plan, compare with the plan, publish, and sweep one field."""
    from tests.web.test_web_fieldwork import AS_OF, team_report

    url, workspace = server
    session = Session(browser, DESKTOP)
    page = session.page
    try:
        page.goto(f"{url}/scenarios/demo")
        page.click("a:has-text('Tạo biến thể')")
        page.wait_for_url(f"{url}/variants/new?base=demo")
        assert page.locator("[data-field='conferences.show_up'] input").input_value() == "0.7"
        _shot2(page, "variant-desktop")
        page.fill("input[name=name]", "demo-hai-doi")
        page.fill("input[name=title]", "Bắc Ninh — hai đội mỗi huyện")
        page.fill("[data-field='teams.rule.teams_per_group'] input", "2")
        page.fill("[data-field='conferences.show_up'] input", "1.5")  # too much
        page.click("button:has-text('Kiểm tra và lưu biến thể')")
        error = page.wait_for_selector("[data-field='conferences.show_up'] .field-error")
        assert "conferences.show_up" in error.inner_text() and "1.5" in error.inner_text()
        assert not (workspace / "scenarios" / "demo-hai-doi.toml").exists()
        assert page.locator(".field-error").count() == 1
        _shot2(page, "variant-error-desktop")
        # what was typed is still there; put the share back and save
        assert page.locator("[data-field='teams.rule.teams_per_group'] input").input_value() == "2"
        page.fill("[data-field='conferences.show_up'] input", "0.7")
        page.click("button:has-text('Kiểm tra và lưu biến thể')")
        page.wait_for_url(f"{url}/scenarios/demo-hai-doi")
        assert "2 đội mỗi huyện" in page.inner_text("dl.facts")
        saved = (workspace / "scenarios" / "demo-hai-doi.toml").read_text(encoding="utf-8")
        assert 'extends = "demo.toml"' in saved and "teams_per_group = 2" in saved
        assert "show_up" not in saved  # only what differs from the base
        _shot2(page, "variant-saved-desktop")

        # run it and watch the progress arrive to the end
        page.fill("input[name=time_limit]", "2")
        page.click("button:has-text('Bắt đầu chạy')")
        page.wait_for_url(f"{url}/runs/demo-hai-doi-*")
        run_url = page.url
        run_id = run_url.rsplit("/", 1)[1]
        page.evaluate("window.plannerMarker = 'still this page'")
        page.wait_for_selector("[data-status=done]", timeout=240_000)
        assert page.evaluate("window.plannerMarker") == "still this page"
        assert page.locator("#results").count() == 1
        _shot2(page, "variant-run-done-desktop")
        page.click("a:has-text('27 · Tỉnh Bắc Ninh')")
        page.wait_for_selector(".leaflet-container", timeout=30_000)
        assert page.locator("path.pl-route").count() > 0
        page.goto(run_url)
        with page.expect_download() as download:
            page.click("a:has-text('Sổ lịch trình (Excel)')")
        saved_path = download.value.path()
        assert saved_path is not None and Path(saved_path).read_bytes()[:2] == b"PK"

        # a team's report: upload it, see the progress
        page.click("a:has-text('Báo cáo thực địa')")
        page.wait_for_url(f"{url}/runs/{run_id}/fieldwork")
        _shot2(page, "fieldwork-empty-desktop")
        bad = workspace.parent / "bao-cao-sai.csv"
        bad.write_bytes(b"a,b\n1,2\n")
        page.set_input_files("input[name=files]", str(bad))
        page.click("button:has-text('Kiểm tra và lưu báo cáo')")
        alert = page.wait_for_selector("#report-error")
        assert "bao-cao-sai.csv" in alert.inner_text()
        _shot2(page, "fieldwork-error-desktop")
        report = workspace.parent / "bao-cao-doi.csv"
        report.write_bytes(team_report(workspace / "outputs" / run_id))
        page.set_input_files("input[name=files]", str(report))
        page.fill("input[name=as_of]", AS_OF)
        page.click("button:has-text('Kiểm tra và lưu báo cáo')")
        page.wait_for_selector("#progress")
        assert "001-bao-cao-doi.csv" in page.inner_text("#reports")
        assert "Điểm dừng đến hạn đã thực hiện" in page.inner_text("#progress")
        _shot2(page, "fieldwork-desktop")
        page.click("a:has-text('Mở trang tiến độ')")
        page.wait_for_url(f"{url}/runs/{run_id}/files/progress/index.html")
        assert page.locator("table").count() > 0
        _shot2(page, "progress-page-desktop")

        # re-plan from a date, compare it with the plan, publish it
        page.goto(f"{url}/runs/{run_id}/fieldwork")
        page.fill("#replan input[name=from]", AS_OF)
        page.fill("#replan input[name=time_limit]", "2")
        page.click("button:has-text('Bắt đầu lập lại')")
        page.wait_for_url(f"{url}/runs/demo-hai-doi-replan-*")
        replan_url = page.url
        page.wait_for_selector("[data-status=done]", timeout=240_000)
        _shot2(page, "replan-done-desktop")
        page.click("button:has-text('So sánh với kế hoạch gốc')")
        page.wait_for_url(f"{url}/runs/compare-*")
        page.wait_for_selector("#marginals", timeout=120_000)
        assert "mỗi ngày-đội tăng thêm" in page.inner_text("#marginals")
        _shot2(page, "compare-desktop")
        compare_url = page.url
        page.click("a:has-text('Trang so sánh đầy đủ')")
        page.wait_for_load_state()
        assert "/files/index.html" in page.url
        _shot2(page, "compare-page-desktop")
        page.goto(run_url)
        page.click("button:has-text('Công bố kế hoạch này')")
        page.wait_for_selector(".published-note")
        page.goto(f"{url}/runs")
        published = page.locator("tr.is-published")
        assert published.count() == 1 and run_id in published.inner_text()
        _shot2(page, "runs-desktop")

        # a sweep of one field
        page.goto(f"{url}/scenarios/demo")
        page.fill("#sweep input[name=field]", "teams.rule.teams_per_group")
        page.fill("#sweep input[name=values]", "1,2")
        page.fill("#sweep input[name=time_limit]", "2")
        page.click("button:has-text('Bắt đầu quét')")
        page.wait_for_url(f"{url}/runs/demo-sweep-*")
        page.wait_for_selector("[data-status=running], [data-status=done]", timeout=120_000)
        _shot2(page, "sweep-progress-desktop")
        page.wait_for_selector("img.sweep-chart", timeout=240_000)
        page.wait_for_function("document.querySelector('img.sweep-chart').naturalWidth > 0")
        _shot2(page, "sweep-desktop")
        sweep_url = page.url

        for path, name in (
            ("/variants/new?base=demo", "variant"),
            (f"/runs/{run_id}/fieldwork", "fieldwork"),
            (replan_url.removeprefix(url), "replan-done"),
            (compare_url.removeprefix(url), "compare"),
            (sweep_url.removeprefix(url), "sweep"),
            ("/runs", "runs"),
        ):
            phone = Session(browser, PHONE)
            try:
                phone.page.goto(f"{url}{path}")
                _narrow_enough(phone.page)
                _shot2(phone.page, f"{name}-phone")
                assert phone.app_errors() == []
            finally:
                phone.close()

        assert session.app_errors() == []
        assert all("tile" in u for u in session.aborted), session.aborted
    finally:
        session.close()
