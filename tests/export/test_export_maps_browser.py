"""The history panel, the launch parades and the territories in headless Chromium, offline.

The national page gets summary.json's `history` (its panel) and `launch` (the day's routes as
the layer "Lễ ra quân", which the layer control hides and shows again); a team page outlines
its team's territory. No script error, no request but background tiles; screenshots are
copied to $PLANNER_SCREENSHOT_DIR when set.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from planner.export.maps import write_maps
from planner.geo.load import GeoData
from planner.plan import Plan
from tests.export.browser.chromium import PageReport, find_chromium, open_page
from tests.export.conftest import DAY1
from tests.export.test_export_maps import HISTORY, LAUNCH, TERRITORIES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None and not os.environ.get("CI"),
        reason="no Chromium installed (Debian: apt-get install chromium; or set PLANNER_CHROMIUM)",
    ),
]

TILE_HOST = "tile.openstreetmap.org"

# untick, then tick again, the layer control's row named like `words`; the parade lines
# drawn after each click
TOGGLE = """
(function () {
  var rows = Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'));
  var row = rows.find(function (r) { return r.textContent.indexOf(%s) >= 0; });
  if (!row) { return null; }
  var box = row.querySelector('input'), counts = [];
  box.click(); counts.push(document.querySelectorAll('path.pl-launch').length);
  box.click(); counts.push(document.querySelectorAll('path.pl-launch').length);
  return counts;
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
    summary = {"history": HISTORY, "launch": LAUNCH, "territories": TERRITORIES}
    write_maps(plan, geo, out, summary=summary)
    return out


def test_overview_shows_history_and_the_launch_layer(
    plan: Plan, maps_dir: Path, tmp_path: Path
) -> None:
    parades = [r for r in plan.provinces[0].routes if r.date == DAY1]
    report = open_page(
        maps_dir / "index.html",
        expressions={
            "parades": "document.querySelectorAll('path.pl-launch').length",
            "bases": "document.querySelectorAll('path.pl-launch-base').length",
            "history": "document.querySelector('.pl-history').textContent",
            "warning": "getComputedStyle(document.querySelector('.pl-warning')).color",
            "legend": "document.querySelector('.pl-launch-legend').textContent",
            "toggle": TOGGLE % "'Lễ ra quân'",
        },
        screenshot=tmp_path / "overview-launch.png",
    )
    _keep(report)
    _assert_clean(report)
    values = report.values
    assert values["parades"] == len(parades) == 2
    assert values["bases"] == len(parades)
    assert "So với lịch sử" in values["history"] and "55.763" in values["history"]
    assert "Tháng tốt nhất từng có" in values["history"]
    assert values["warning"] == "rgb(183, 28, 28)"
    assert values["legend"].startswith("Lễ ra quân 23/05/2020, 07:30")
    assert values["toggle"] == [0, len(parades)]  # hidden, then shown again
    assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000


def test_team_page_outlines_the_territory(maps_dir: Path, tmp_path: Path) -> None:
    report = open_page(
        maps_dir / "teams" / "27-256-1.html",
        expressions={
            "outline": "document.querySelectorAll('path.pl-territory').length",
            "dashed": "document.querySelector('path.pl-territory').getAttribute('stroke-dasharray')",
            "legend": "document.querySelector('.pl-territory-legend').textContent",
            "routes": "document.querySelectorAll('path.pl-route').length",
        },
        screenshot=tmp_path / "team-27-256-1-territory.png",
    )
    _keep(report)
    _assert_clean(report)
    values = report.values
    assert values["outline"] == 1
    assert values["dashed"] == "8 6"
    assert values["legend"] == "Địa bàn của đội: Thành phố Bắc Ninh, Huyện Yên Phong"
    assert values["routes"] == 1


def test_province_page_has_the_territories_layer_off(maps_dir: Path, tmp_path: Path) -> None:
    report = open_page(
        maps_dir / "27.html",
        expressions={
            "before": "document.querySelectorAll('path.pl-territory').length",
            "after": """
(function () {
  var rows = Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'));
  var row = rows.find(function (r) { return r.textContent.indexOf('Địa bàn các đội') >= 0; });
  row.querySelector('input').click();
  return document.querySelectorAll('path.pl-territory').length;
})()""",
        },
        screenshot=tmp_path / "province-27-territories.png",
    )
    _keep(report)
    _assert_clean(report)
    assert report.values["before"] == 0
    assert report.values["after"] == 2
