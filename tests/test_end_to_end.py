"""A seeded run of the demo scenario on real data: invariants, outputs, reproducibility."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.geo.load import load_geodata
from planner.problem import build_province_problem
from planner.rules.checks import violations
from planner.runner import RunSettings, run
from planner.scenario import load_scenario
from planner.travel import GreatCircleTravel

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo.toml"
SUMMARY_KEYS = {
    "scenario",
    "provinces",
    "team_days",
    "passes",
    "conferences",
    "expected_reach",
    "expected_enrolments",
    "upper_bound",
    "greedy_value",
    "travel_km",
    "unserved",
    "seed",
    "solve_seconds",
    "scenario_hash",
    "data_version",
    "solver",
}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("demo") / "demo"
    return run(DEMO, RunSettings(time_limit=3.0, seed=7, out_dir=out))


def test_demo_plan_keeps_every_rule(demo_run) -> None:
    scenario = load_scenario(DEMO)
    geo = load_geodata(scenario.structure, province_codes=["27"])
    problem = build_province_problem(geo, scenario, DEMO, "27")
    travel = GreatCircleTravel(scenario.travel.detour_factor, scenario.travel.speeds_kmh)
    (province,) = demo_run.plan.provinces
    assert province.routes, "the demo plans some routes"
    assert violations(problem, province.routes, travel) == []
    # The isolated commune of the demo (Phật Tích, 26-28 May) is never entered on its days.
    for route in province.routes:
        if route.date.day in (26, 27, 28):
            assert all(s.commune_code != "09349" for s in route.stops)


def test_demo_figures_are_consistent(demo_run) -> None:
    s = demo_run.summary
    assert set(s) >= SUMMARY_KEYS
    assert s["greedy_value"] <= s["objective"] <= s["upper_bound"]
    assert s["passes"] > 0 and s["team_days"] > 0
    (province,) = demo_run.plan.provinces
    served = {st.commune_code for r in province.routes for st in r.stops if st.kind == "pass"}
    unserved = {u.code for u in province.unserved if u.kind == "commune"}
    assert len(served) + len(unserved) == province.n_communes == 121
    written = json.loads((demo_run.out_dir / "summary.json").read_text(encoding="utf-8"))
    assert written["passes"] == s["passes"]
    rows = (demo_run.out_dir / "schedule.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) - 1 == s["passes"] + s["conferences"]


def test_same_seed_same_schedule_bytes(demo_run, tmp_path: Path) -> None:
    again = run(DEMO, RunSettings(time_limit=3.0, seed=7, out_dir=tmp_path / "again"))
    first = (demo_run.out_dir / "schedule.csv").read_bytes()
    assert (again.out_dir / "schedule.csv").read_bytes() == first


def test_cli_run_and_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DEMO)]) == 0
    assert "hợp lệ" in capsys.readouterr().out  # Vietnamese unless --lang en / PLANNER_LANG=en
    assert main(["validate", str(DEMO), "--lang", "en"]) == 0
    assert "valid" in capsys.readouterr().out
    out = tmp_path / "cli"
    assert (
        main(["run", str(DEMO), "--time-limit", "1", "--seed", "1", "--out", str(out), "--quiet"])
        == 0
    )
    assert (out / "summary.json").exists() and (out / "schedule.csv").exists()


def test_cli_bad_scenario_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nstructure = "2020"\nprovinces = ["99"]\n', encoding="utf-8")
    assert main(["run", str(bad), "--out", str(tmp_path / "never")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("planner: lỗi:") and "bad.toml" in err and "\n" not in err
    assert not (tmp_path / "never").exists()


def test_current_structure_demo_plans_and_checks(tmp_path: Path) -> None:
    """The 2025 structure (no districts: post-office clusters) runs end to end and checks."""
    from planner.verify import check_outputs

    scenario = DEMO.with_name("demo-2025.toml")
    result = run(
        scenario, RunSettings(time_limit=2.0, seed=1, out_dir=tmp_path / "d2025", workers=1)
    )
    (province,) = result.plan.provinces
    assert province.group_label == "cluster" and province.routes
    assert check_outputs(result.out_dir) == []
