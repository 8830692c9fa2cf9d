"""The small public API in planner/__init__: names load on first use, and plan a scenario."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import planner

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo.toml"


def test_import_planner_stays_light() -> None:
    code = "import sys, planner; print('ortools' in sys.modules, 'folium' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_every_public_name_resolves() -> None:
    for name in planner.__all__:
        assert getattr(planner, name) is not None


def test_load_a_scenario_through_the_api() -> None:
    scenario = planner.load_scenario(DEMO)
    assert scenario.name == "demo" and scenario.provinces == ["27"]
    assert planner.RunSettings(time_limit=1.0).time_limit == 1.0
