"""A team whose base commune is isolated stays home; a province with no working team says so.

Isolation means nobody enters or leaves the commune, the team based there included: its
working days are taken out when the problem is built (planner/problem.py), so no solver can
route it, the plan counts those days as not available, and `planner check` refuses a route
on them. Communes left out because no team works are reported as `no_team`, never `too_far`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from planner import domain
from planner.cli import main
from planner.plan import ProvincePlan
from planner.problem import _day_list, build_province_problem
from planner.runner import load_scenario_geodata
from planner.scenario import load_scenario
from planner.solve import solve_province
from tests.solve.factory import commune, instance, problem

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "bad_input" / "team_base_isolated.toml"
MAY_25, MAY_26 = dt.date(2020, 5, 25), dt.date(2020, 5, 26)


@pytest.fixture(scope="module")
def built() -> domain.ProvinceProblem:
    scenario = load_scenario(SCENARIO)
    geo = load_scenario_geodata(scenario, SCENARIO, None)
    return build_province_problem(geo, scenario, SCENARIO, "27")


def test_the_team_of_an_isolated_base_has_no_working_day_there(
    built: domain.ProvinceProblem,
) -> None:
    teams = {t.team_id: t for t in built.teams}

    assert teams["27-256-1"].days == (MAY_26,)
    assert teams["27-256-1"].home_days == (MAY_25,)
    for team_id, team in teams.items():
        if team_id != "27-256-1":
            assert team.days == (MAY_25, MAY_26) and team.home_days == (), team_id


def test_the_problem_says_why_the_team_stays_home(built: domain.ProvinceProblem) -> None:
    assert built.notes == (
        "team 27-256-1 stays at its base on 2020-05-25 (1 working day, not counted as "
        "available): its base PO-D-256 is in commune 09187 (Phường Suối Hoa), isolated then "
        "(level isolated), and nobody may leave it",
    )


def test_the_team_has_no_route_that_day_and_the_day_is_not_available(
    built: domain.ProvinceProblem,
) -> None:
    assert int(instance(built).team_works.sum()) == 15  # 8 teams x 2 days, less one


def test_a_run_keeps_the_team_home_and_passes_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "home"
    code = main(["run", str(SCENARIO), "--time-limit", "1", "--out", str(out), "--quiet"])
    assert code == 0, capsys.readouterr().err

    with (out / "routes.csv").open(encoding="utf-8", newline="") as f:
        days = {r["date"] for r in csv.DictReader(f) if r["team_id"] == "27-256-1"}
    assert "2020-05-25" not in days
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["team_days_available"] == 15
    assert main(["check", str(out)]) == 0


def test_day_lists_are_runs_of_days() -> None:
    days = [MAY_25, MAY_26, dt.date(2020, 5, 27), dt.date(2020, 5, 30)]
    assert _day_list(days) == "2020-05-25 to 2020-05-27, 2020-05-30"
    assert _day_list([MAY_26]) == "2020-05-26"


# --- no working team: no_team, not too_far ----------------------------------------------------


def solve(p: domain.ProvinceProblem) -> ProvincePlan:
    return solve_province(instance(p), time_limit=1.0, seed=1)


def reasons(plan: ProvincePlan, kind: str = "commune") -> dict[str, tuple[str, str]]:
    return {u.code: (u.reason, u.detail) for u in plan.unserved if u.kind == kind}


def test_a_province_with_no_team_reports_no_team() -> None:
    plan = solve(problem([commune("A", 2), commune("B", 4)], teams=0, fairness=(1, 0)))

    detail = (
        "no team works in province 99 (Tỉnh Thử): neither the scenario's team rule (a team "
        "at each district's main post office) nor teams.list gives it one"
    )
    assert reasons(plan) == {"A": ("no_team", detail), "B": ("no_team", detail)}
    assert [r for r, _ in reasons(plan, "group_minimum").values()] == ["no_team"]


def test_teams_away_every_day_report_no_team() -> None:
    p = problem([commune("A", 2)], teams=2)
    away = tuple(replace(t, days=()) for t in p.teams)
    plan = solve(replace(p, teams=away))

    assert reasons(plan) == {
        "A": (
            "no_team",
            "none of the 2 teams of province 99 (Tỉnh Thử) works on any campaign day: all are "
            "away ([[teams.absences]])",
        )
    }


def test_teams_kept_home_every_day_say_so() -> None:
    p = problem([commune("A", 2)], teams=1, days=2)
    home = tuple(domain.Team(**{**t.__dict__, "days": (), "home_days": p.dates}) for t in p.teams)
    plan = solve(domain.ProvinceProblem(**{**p.__dict__, "teams": home}))

    reason, detail = reasons(plan)["A"]
    assert reason == "no_team"
    assert detail == (
        "the only team of province 99 (Tỉnh Thử) works on no campaign day: it is kept at a "
        "base that is isolated on all of them"
    )


def test_a_conference_minimum_without_a_team_says_no_team() -> None:
    p = problem([commune("A", 2)], teams=0, fairness=(0, 1), conferences={"allowed": True})
    plan = solve(p)

    (minimum,) = [u for u in plan.unserved if u.kind == "group_minimum"]
    assert minimum.reason == "no_team"
    assert "no team works in province 99" in minimum.detail


def test_too_far_still_means_too_far_when_a_team_works() -> None:
    plan = solve(problem([commune("A", 2), commune("FAR", 400)], days=1))
    assert reasons(plan)["FAR"][0] == "too_far"


def test_an_island_district_commune_on_another_island_needs_a_boat() -> None:
    """Trường Sa: Song Tử Tây is about 310 km from Trường Sa Lớn; Phú Quốc's far end is on
    the road (its communes lie within about 50 km of the district seat)."""
    from dataclasses import replace as _replace

    from planner.domain import by_road
    from tests.solve.factory import commune as _commune

    base = _replace(_commune("B", 0), boat_only=True, lat=8.645, lon=111.92, group_code="576")
    far = _replace(base, code="F", lat=11.43, lon=114.33)
    near = _replace(base, code="N", lat=8.70, lon=111.95)
    assert by_road(base, near, boat_allowed=False)
    assert not by_road(base, far, boat_allowed=False)
    assert by_road(base, far, boat_allowed=True)
