"""Route sheets on a phone and busy province maps, in Chromium driven by Playwright.

Every request that is not a local file is aborted (`page.route`), so a page that needed the
network would show it; only the background tiles are asked for, and they fail quietly.
Checks: a route sheet at 390 x 844 is no wider than the screen and its navigation link
shows; a province map of 30 teams lists them all in its legend, each in its own colour,
draws one day's routes only, and clusters their stop markers when zoomed out (a bubble zooms
in, where every marker shows); the team map opens on today's day when the campaign is on.
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
MAP = "window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))]"
# what the province map draws: stop markers, cluster bubbles (grey ones: teams mixed), and
# the stops they stand for (a marker "1·8" is two, a bubble says how many)
DRAWN = """() => {
  const pane = document.querySelector('.leaflet-marker-pane');
  const markers = [...pane.querySelectorAll('.pl-stop')];
  const bubbles = [...pane.querySelectorAll('.pl-cluster span')];
  return {markers: markers.length, bubbles: bubbles.length,
    grey: bubbles.filter(b => b.style.background === 'rgb(97, 97, 97)').length,
    stops: markers.reduce((n, m) => n + m.textContent.split('·').length, 0)
      + bubbles.reduce((n, b) => n + Number(b.textContent), 0)};
}"""
# a point of a cluster bubble that no other marker covers, to click
FREE_SPOT = """() => {
  for (const b of document.querySelectorAll('.leaflet-marker-pane .pl-cluster')) {
    const r = b.getBoundingClientRect();
    for (const [fx, fy] of [[.5, .5], [.2, .5], [.8, .5], [.5, .2], [.5, .8]]) {
      const x = r.x + fx * r.width, y = r.y + fy * r.height;
      if (b.contains(document.elementFromPoint(x, y))) { return [x, y]; }
    }
  }
  return null;
}"""

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

    # zoomed out, the stop markers cluster into bubbles; the day and team filters recluster
    per_day = TEAMS * len(max(plan.provinces[0].routes, key=lambda r: len(r.stops)).stops)
    page.select_option("#pl-team", "")
    page.evaluate(f"{MAP}.setZoom(11, {{animate: false}})")
    every = page.evaluate(DRAWN)
    assert every["bubbles"] == 0 and every["stops"] == per_day
    page.evaluate(f"{MAP}.setZoom(9, {{animate: false}})")
    far = page.evaluate(DRAWN)
    assert 0 < far["bubbles"] < every["markers"] and far["markers"] < every["markers"]
    assert far["grey"] > 0 and far["stops"] == per_day  # every stop is in one or the other
    assert page.evaluate("document.querySelectorAll('path.pl-route').length") == TEAMS
    page.evaluate("plStepDay(-1)")
    assert page.evaluate(DRAWN) == far  # the same routes on day 1
    page.select_option("#pl-team", "27-003-1")
    one = page.evaluate(DRAWN)
    assert one["grey"] == 0 and one["stops"] == per_day // TEAMS
    # a bubble zooms in past the threshold, where it gives way to the markers
    page.select_option("#pl-team", "")
    spot = page.evaluate(FREE_SPOT)  # a base marker may lie on part of a bubble
    assert spot is not None
    page.mouse.click(*spot)
    page.wait_for_function(
        f"{MAP}.getZoom() >= 11 && !document.querySelector('.leaflet-marker-pane .pl-cluster')",
        timeout=5000,
    )
    near = page.evaluate(DRAWN)
    assert near["bubbles"] == 0 and near["markers"] == every["markers"]
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
