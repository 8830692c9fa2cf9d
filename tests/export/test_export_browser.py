"""The maps in a real browser: headless Chromium, network cut off, no script error.

Each page is opened with a proxy to nowhere, so the only thing that fails is the background
tiles; the test checks that Leaflet ran, that routes and stops are in the DOM, that no
request other than tiles was attempted, that a commune named like a script shows as text in
its popup, and saves a screenshot (copied to $PLANNER_SCREENSHOT_DIR when set).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from planner.export.maps import write_maps
from planner.export.sheets import write_route_sheets
from planner.geo.load import GeoData
from planner.plan import Plan
from tests.export.browser.chromium import PageReport, find_chromium, open_page
from tests.export.conftest import XSS_NAME

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None and not os.environ.get("CI"),
        reason="no Chromium installed (Debian: apt-get install chromium; or set PLANNER_CHROMIUM)",
    ),
]

TILE_HOST = "tile.openstreetmap.org"

MAP_STATE = {
    "containers": "document.querySelectorAll('.leaflet-container').length",
    "routes": "document.querySelectorAll('path.pl-route').length",
    "stops": "document.querySelectorAll('.leaflet-marker-icon.pl-stop').length",
    "paths": "document.querySelectorAll('path.leaflet-interactive').length",
    "layer_rows": "document.querySelectorAll('.leaflet-control-layers-overlays label').length",
}

# open every popup in turn; return the texts that show the script-like name as text
POPUP_TEXTS = """
(function () {
  var map = Object.values(window).find(function (v) { return v instanceof L.Map; });
  var texts = [];
  map.eachLayer(function (layer) {
    if (layer.getPopup && layer.getPopup()) {
      layer.openPopup();
      var element = layer.getPopup().getElement();
      var content = element && element.querySelector('.leaflet-popup-content');
      if (content) { texts.push(content.textContent); }
      layer.closePopup();
    }
  });
  return texts;
})()
"""


def _keep(report: PageReport) -> None:
    target = os.environ.get("PLANNER_SCREENSHOT_DIR")
    if target and report.screenshot is not None:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(report.screenshot, Path(target) / report.screenshot.name)


def _assert_clean(report: PageReport) -> None:
    assert report.exceptions == []
    assert report.console_errors == []
    assert report.dialogs == []
    assert [u for u in report.remote_requests if TILE_HOST not in u] == []


@pytest.fixture
def maps_dir(plan: Plan, geo: GeoData, tmp_path: Path) -> Path:
    out = tmp_path / "maps"
    write_maps(plan, geo, out, isolated={"09005": [dt.date(2020, 5, 24)]})
    return out


def test_province_map_runs_offline(plan: Plan, maps_dir: Path, tmp_path: Path) -> None:
    province = plan.provinces[0]
    first_day = min(r.date for r in province.routes)
    opening = [r for r in province.routes if r.date == first_day]
    report = open_page(
        maps_dir / "27.html",
        expressions={
            **MAP_STATE,
            "all_routes": "plShowRoutes(true); document.querySelectorAll('path.pl-route').length",
            "all_stops": MAP_STATE["stops"],
            "popups": POPUP_TEXTS,
            "one_team": "document.getElementById('pl-team').value = '27-258-1'; plFilter(); "
            "document.querySelectorAll('path.pl-route').length",
        },
        screenshot=tmp_path / "province-27.png",
    )
    _keep(report)
    _assert_clean(report)
    values = report.values
    assert values["containers"] == 1
    # the page opens on the first day; "show all" draws every team-day
    assert values["routes"] == len(opening)
    assert values["stops"] == sum(len(r.stops) for r in opening)
    assert values["all_routes"] == len(province.routes)
    assert values["all_stops"] == sum(len(r.stops) for r in province.routes)
    assert values["one_team"] == sum(1 for r in province.routes if r.team_id == "27-258-1")
    assert values["paths"] >= 6 + len(province.routes)  # communes and routes
    assert values["layer_rows"] >= len(province.routes)
    assert any(XSS_NAME in text for text in values["popups"])
    assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000


def test_team_map_on_a_phone(plan: Plan, maps_dir: Path, tmp_path: Path) -> None:
    routes = [r for r in plan.provinces[0].routes if r.team_id == "27-256-1"]
    report = open_page(
        maps_dir / "teams" / "27-256-1.html",
        expressions={
            **MAP_STATE,
            "days": "document.querySelectorAll('.pl-days details').length",
            "smallest_tap": "Math.min.apply(null, Array.from(document.querySelectorAll("
            "'.pl-days summary, .pl-days button')).map(function (e) {"
            " return e.getBoundingClientRect().height; }))",
            "one_day": "plShowDay('2020-05-23'); document.querySelectorAll('path.pl-route').length",
            "all_days": "plShowDay(null); document.querySelectorAll('path.pl-route').length",
        },
        screenshot=tmp_path / "team-27-256-1-phone.png",
        width=390,
        height=844,
        mobile=True,
    )
    _keep(report)
    _assert_clean(report)
    values = report.values
    # the campaign (May 2020) is not on today: the page opens on its first day alone
    first = min(routes, key=lambda r: r.date)
    assert values["routes"] == 1
    assert values["stops"] == len(first.stops)
    assert values["days"] == len(routes)
    assert values["smallest_tap"] >= 44
    assert values["one_day"] == 1
    assert values["all_days"] == len(routes)


def test_overview_runs_offline(maps_dir: Path, tmp_path: Path) -> None:
    report = open_page(
        maps_dir / "index.html",
        expressions={"paths": MAP_STATE["paths"]},
        screenshot=tmp_path / "overview.png",
    )
    _keep(report)
    _assert_clean(report)
    assert report.values["paths"] == 2  # the planned province and the grey one


def test_route_sheet_renders(plan: Plan, tmp_path: Path) -> None:
    write_route_sheets(plan, tmp_path / "sheets")
    report = open_page(
        tmp_path / "sheets" / "27-256-1.html",
        expressions={"days": "document.querySelectorAll('section.day').length"},
        screenshot=tmp_path / "sheet-27-256-1.png",
    )
    _keep(report)
    _assert_clean(report)
    assert report.remote_requests == []
    assert report.values["days"] == 2
