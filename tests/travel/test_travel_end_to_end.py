"""`planner run` with [travel] source = "osrm" on the local routing server, then `planner check`.

The plan's leg minutes must be the server's durations rounded up (the local server's road
model is unlike the great-circle one), `planner check` must re-check the plan with the same
matrices from the cache while the server is down, and a server that is down when planning
must give one clear line and exit code 2.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from planner.cli import main
from tests.travel.conftest import LocalRoutingServer, RoadModel, closed_port_url

SCENARIO = """\
name = "roads"
title = "Bắc Ninh, two days, travel times from a routing server"
structure = "2020"
provinces = ["27"]

[campaign]
start = 2020-05-25
end = 2020-05-26

[teams.rule]
per = "group"
vehicle = "motorbike"
crew = 3
base = "group_post_office"
teams_per_group = 1

[travel]
source = "osrm"
url = "{url}"
cache_dir = "cache/travel"
retries = {retries}

[solver]
time_limit_seconds = 1
seed = 1
workers = 1
"""


def write_scenario(folder: Path, url: str, retries: int = 2) -> Path:
    path = folder / "roads.toml"
    path.write_text(SCENARIO.format(url=url, retries=retries), encoding="utf-8")
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def open_road_server() -> LocalRoutingServer:
    server = LocalRoutingServer(RoadModel(island_lon=None))
    server.start()
    return server


def test_plan_minutes_come_from_the_server(
    open_road_server: LocalRoutingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = open_road_server
    scenario = write_scenario(tmp_path, server.url)
    out = tmp_path / "out"
    try:
        code = main(["run", str(scenario), "--time-limit", "1", "--out", str(out), "--quiet"])
        assert code == 0, capsys.readouterr().err
        # Planned district by district (planner/solve/split.py): 8 parts of ~30 places (its
        # communes and venues), one table request each, once for the motorbike teams (cars
        # would share them: both ask profile "driving").
        assert len(server.requests) == 8
        assert {r.profile for r in server.requests} == {"driving"}
    finally:
        server.stop()

    def server_minutes(a: tuple[str, str], b: tuple[str, str]) -> int:
        seconds = server.answered[(f"{a[1]},{a[0]}", f"{b[1]},{b[0]}")]
        return math.ceil(seconds / 60 - 1e-9)

    routes = read_rows(out / "routes.csv")
    schedule = read_rows(out / "schedule.csv")
    assert routes and schedule
    legs = 0
    for route in routes:
        base = (route["base_lat"], route["base_lon"])
        stops = sorted(
            (s for s in schedule if (s["team_id"], s["date"]) == (route["team_id"], route["date"])),
            key=lambda s: int(s["stop"]),
        )
        previous = base
        total = 0
        for stop in stops:
            here = (stop["lat"], stop["lon"])
            if here != previous:
                assert int(stop["minutes_from_previous"]) == server_minutes(previous, here)
                legs += 1
            total += int(stop["minutes_from_previous"])
            previous = here
        if previous != base:
            assert int(route["minutes_to_base"]) == server_minutes(previous, base)
        assert int(route["travel_minutes"]) == total + int(route["minutes_to_base"])
    assert legs >= 5
    assert len(list((tmp_path / "cache" / "travel").glob("*.npz"))) == 8  # one per part

    # The server is down now: `planner check` re-checks the plan with the cached matrices.
    capsys.readouterr()
    assert main(["check", str(out)]) == 0, capsys.readouterr().err


def test_server_down_stops_the_run_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = closed_port_url()
    scenario = write_scenario(tmp_path, url, retries=1)
    out = tmp_path / "never"
    argv = ["run", str(scenario), "--time-limit", "1", "--out", str(out), "--quiet", "--lang", "en"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.strip() == (
        f"planner: error: {scenario}, field 'travel.url': {url}: no answer after 2 tries "
        "(connection refused) to the table request of 35 x 35 places (profile driving)"
    )
    assert not out.exists()
