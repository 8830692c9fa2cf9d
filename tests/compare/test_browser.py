"""The compare page in headless Chromium, network cut off: the map draws and the lists work.

Checks that Leaflet ran with no script error, that the districts of Bắc Ninh are shaded and
the province replaces them when the list says so, that no request other than background
tiles was attempted, and that a district named like a script shows as text in its popup
(and opens no dialog).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.compare.diff import compare_plans
from planner.compare.write import write_comparison
from tests.compare.factory import XSS, baseline_plan, variant_plan, write_plan_folder
from tests.export.browser.chromium import find_chromium, open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None and not os.environ.get("CI"),
        reason="no Chromium installed (Debian: apt-get install chromium; or set PLANNER_CHROMIUM)",
    ),
]

TILE_HOST = "tile.openstreetmap.org"
STATE = {
    "districts": "document.querySelectorAll('path.leaflet-interactive').length",
    "legend": "document.getElementById('pc-legend').textContent",
    "popups": """
(function () {
  var map = Object.values(window).find(function (v) { return v instanceof L.Map; });
  var texts = [];
  map.eachLayer(function (layer) {
    if (layer.getPopup && layer.getPopup()) {
      layer.openPopup();
      texts.push(layer.getPopup().getElement().textContent);
      layer.closePopup();
    }
  });
  return texts;
})()""",
    "provinces": """
(function () {
  var level = document.getElementById('pc-level');
  level.value = 'province';
  level.dispatchEvent(new Event('change'));
  return document.querySelectorAll('path.leaflet-interactive').length;
})()""",
}


def test_the_difference_map_draws_offline_and_switches_level(tmp_path: Path) -> None:
    base = write_plan_folder(tmp_path / "base", baseline_plan(district_name=XSS))
    variant = write_plan_folder(tmp_path / "variant", variant_plan(district_name=XSS))
    out = write_comparison(compare_plans([base, variant]), tmp_path / "compare")
    report = open_page(out / "index.html", expressions=STATE, height=1600)
    assert report.exceptions == [] and report.console_errors == [] and report.dialogs == []
    assert [url for url in report.remote_requests if TILE_HOST not in url] == []
    assert report.values["districts"] == 8  # Bắc Ninh's districts in data/geo
    assert "không đổi" in report.values["legend"]  # Vietnamese by default
    assert any(XSS in text for text in report.values["popups"])
    assert report.values["provinces"] == 1
