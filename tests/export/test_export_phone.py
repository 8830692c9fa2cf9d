"""Route sheets on a phone and busy province maps, in Chromium driven by Playwright.

Every request that is not a local file is aborted (`page.route`), so a page that needed the
network would show it; only the background tiles are asked for, and they fail quietly.
Checks: a route sheet at 390 x 844 is no wider than the screen and its navigation link
shows; a province map of 30 teams lists them all in its legend, each in its own colour, and
draws one day's routes only; the team map opens on today's day when the campaign is on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.export.maps import write_maps
from planner.export.sheets import write_route_sheets
from planner.geo.load import GeoData
from planner.plan import Plan
from tests.export.browser.chromium import find_chromium
from tests.export.conftest import DAY1, DAY2

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("/usr/bin/chromium") or find_chromium()
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TEAMS = 30

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


class _Page:
    """A page with every non-file request aborted, and what went wrong on it."""

    def __init__(self, browser: Any, width: int, height: int, now: dt.datetime | None) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        if now is not None:
            self.page.clock.set_fixed_time(now)
        self.errors: list[str] = []
        self.aborted: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.aborted.append(url)
            route.abort()

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages: list[_Page] = []

    def opener(
        path: Path, width: int = 1200, height: int = 900, now: dt.datetime | None = None
    ) -> _Page:
        page = _Page(browser, width, height, now)
        pages.append(page)
        page.open(path)
        return page

    yield opener
    for page in pages:
        page.close()


def _busy(plan: Plan) -> Plan:
    """The test plan's province with TEAMS teams, each out on both days."""
    province = plan.provinces[0]
    template = max(province.routes, key=lambda r: len(r.stops))
    routes = tuple(
        dataclasses.replace(template, team_id=f"27-{team:03d}-1", date=day)
        for team in range(TEAMS)
        for day in (DAY1, DAY2)
    )
    return dataclasses.replace(plan, provinces=(dataclasses.replace(province, routes=routes),))


def test_route_sheet_fits_a_phone(plan: Plan, tmp_path: Path, open_page: Any) -> None:
    province = plan.provinces[0]
    note = "Ngày nhẹ: trong địa bàn của đội không còn việc mà quy định cho phép hôm nay."
    routes = tuple(dataclasses.replace(r, note=note) for r in province.routes)
    noted = dataclasses.replace(plan, provinces=(dataclasses.replace(province, routes=routes),))
    write_route_sheets(noted, tmp_path / "sheets")
    sheet = open_page(tmp_path / "sheets" / "27-256-1.html", 390, 844)
    page = sheet.page
    page.screenshot(path=str(tmp_path / "sheet.png"))
    assert sheet.errors == [] and sheet.aborted == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    link = page.locator("a.nav").first
    assert link.is_visible()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.locator(".daynote").first.is_visible()
    assert page.locator("section.day").first.locator("svg circle").count() == len(
        min((r for r in routes if r.team_id == "27-256-1"), key=lambda r: r.date).stops
    )
    # the table became cards: no header row, the fill-in box labelled
    assert not page.locator("table.stops thead").first.is_visible()
    assert page.get_by_text("Giờ đến thực tế:").first.is_visible()


def test_province_map_lists_the_teams_and_shows_one_day(
    plan: Plan, geo: GeoData, tmp_path: Path, open_page: Any
) -> None:
    busy = _busy(plan)
    write_maps(busy, geo, tmp_path / "maps")
    view = open_page(tmp_path / "maps" / "27.html")
    page = view.page
    page.screenshot(path=str(tmp_path / "province.png"))
    assert view.errors == []
    assert all("tile.openstreetmap.org" in url for url in view.aborted)
    legend = page.locator("#pl-teams li")
    assert legend.count() == TEAMS
    assert legend.first.is_visible()
    names = legend.evaluate_all("items => items.map(li => li.getAttribute('data-team'))")
    assert names == [f"27-{team:03d}-1" for team in range(TEAMS)]
    colours = legend.evaluate_all(
        "items => items.map(li => li.querySelector('.pl-line').style.background)"
    )
    assert len(set(colours)) == TEAMS
    routes = "document.querySelectorAll('path.pl-route').length"
    assert page.evaluate(routes) == TEAMS  # the first day only, not 2 x TEAMS
    assert page.evaluate("document.getElementById('pl-day').value") == DAY1.isoformat()
    page.evaluate("plStepDay(1)")
    assert page.evaluate("document.getElementById('pl-day').value") == DAY2.isoformat()
    assert page.evaluate(routes) == TEAMS
    page.select_option("#pl-team", "27-003-1")
    assert page.evaluate(routes) == 1
    assert page.locator("#pl-teams li.pl-idle").count() == TEAMS - 1
    scale = page.locator(".leaflet-control-scale").inner_text()
    assert "km" in scale or " m" in scale
    assert "mi" not in scale and "ft" not in scale


def test_team_map_opens_on_today_when_the_campaign_is_on(
    plan: Plan, geo: GeoData, tmp_path: Path, open_page: Any
) -> None:
    write_maps(plan, geo, tmp_path / "maps")
    team = tmp_path / "maps" / "teams" / "27-256-1.html"
    routes = "document.querySelectorAll('path.pl-route').length"
    active = "document.querySelector('.pl-days details.pl-active').getAttribute('data-day')"
    during = open_page(team, 390, 844, now=dt.datetime(2020, 5, 25, 9, 0))
    assert during.errors == []
    assert during.page.evaluate(routes) == 1
    assert during.page.evaluate(active) == DAY2.isoformat()
    # a day off inside the campaign opens on the next working day
    day_off = open_page(team, 390, 844, now=dt.datetime(2020, 5, 24, 9, 0))
    assert day_off.page.evaluate(active) == DAY2.isoformat()
    after = open_page(team, 390, 844, now=dt.datetime(2021, 1, 4, 9, 0))
    assert after.page.evaluate(routes) == 1
    assert after.page.evaluate(active) == DAY1.isoformat()
