"""The inputs of a plan, read and checked: the geo data a scenario plans on, and its version.

Light on purpose: `planner check`, `explain`, `validate` and the web app read plans and
scenarios through here without loading the solver (OR-Tools) or the exporters (folium).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from planner.errors import ScenarioError
from planner.geo.load import GeoData, load_geodata
from planner.messages import msg
from planner.problem import (
    check_absence_teams,
    check_boat_crossings,
    check_team_bases,
    check_timeline_codes,
)
from planner.scenario import Scenario

REPO_ROOT = Path(__file__).resolve().parents[1]


def load_scenario_geodata(
    scenario: Scenario, scenario_path: Path, data_dir: Path | None
) -> GeoData:
    """The geo data a scenario plans on: data/geo, or the user's files named in [data].

    The scenario's COVID timeline is checked against it: every code must name a place.
    """
    base = scenario_path.resolve().parent

    def user_file(name: str | None, field: str) -> Path | None:
        if name is None:
            return None
        path = Path(os.path.normpath(base / name))
        if not path.is_file():
            key = "data.folder_not_file" if path.is_dir() else "data.not_found"
            raise ScenarioError(scenario_path, msg(key, path=path), field=field)
        return path

    lists = scenario.data.lists
    lists_path = None
    if lists is not None:
        lists_path = Path(os.path.normpath(base / lists))
        if not lists_path.exists():
            raise ScenarioError(scenario_path, f"{lists_path}: not found", field="data.lists")
    geo = load_geodata(
        scenario.structure,
        data_dir=data_dir,
        communes_path=user_file(scenario.data.communes, "data.communes"),
        post_offices_path=user_file(scenario.data.post_offices, "data.post_offices"),
        lists_path=lists_path,
    )
    check_scenario_against(geo, scenario, scenario_path)
    return geo


def check_scenario_against(geo: GeoData, scenario: Scenario, scenario_path: Path) -> None:
    """The scenario's codes and team ids (and the lists' team bases) name places and teams
    of the data."""
    check_timeline_codes(geo, scenario, scenario_path)
    check_absence_teams(geo, scenario, scenario_path)
    check_boat_crossings(geo, scenario, scenario_path)
    check_team_bases(geo, scenario)


def data_version(data_dir: Path | None) -> str:
    manifest = (data_dir or REPO_ROOT / "data" / "geo") / "MANIFEST.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8")).get("data_version", "unknown"))
    except (OSError, ValueError):
        return "unknown"
