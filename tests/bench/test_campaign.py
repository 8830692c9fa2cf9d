"""The campaign-instance benchmark on a tiny real window: Đà Nẵng, 6-8 June 2020.

The window is one Saturday, a Sunday off and a Monday: 7 teams x 2 working days. Phường Hòa
Khánh Bắc (20197) is isolated on the Saturday in vietnam-2020-may.toml (1-7 June), so the
rule that a commune may be closed on some team-days and open on others is exercised.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import benchmarks.lib.campaign as campaign_lib
from benchmarks.lib.campaign import (
    FULL,
    SOLVERS,
    Budget,
    PassSubset,
    ProvinceBenchmark,
    benchmark_province,
    core_params,
    csv_text,
    first_days,
    markdown_table,
    merged_csv_text,
    pass_subset,
    passes_only,
    run_core,
    run_ortools,
    run_pyvrp,
    score_routes,
    seeds_table,
)
from planner.geo.load import load_geodata
from planner.instance import build_instance
from planner.problem import build_province_problem
from planner.scenario import Scenario, load_scenario
from planner.solve.evaluate import evaluate
from planner.solve.routes import Routes, schedule
from planner.travel import TravelTimeSource, travel_source

pytest.importorskip("pyvrp")

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "vietnam-2020-may.toml"
PROVINCE = "48"
ISOLATED = "20197"  # Phường Hòa Khánh Bắc, isolated 1-7 June in the scenario
SATURDAY, MONDAY = 0, 2  # day indices of 6 and 8 June in the window


def _window(scenario: Scenario, start: dt.date, days: int) -> Scenario:
    campaign = scenario.campaign.model_copy(update={"start": start})
    return first_days(scenario.model_copy(update={"campaign": campaign}), days)


@pytest.fixture(scope="module")
def setting() -> tuple[Scenario, TravelTimeSource]:
    scenario = _window(load_scenario(SCENARIO), dt.date(2020, 6, 6), 3)
    return scenario, travel_source(scenario.travel, SCENARIO)


@pytest.fixture(scope="module")
def geo():
    return load_geodata("2020", province_codes=[PROVINCE])


@pytest.fixture(scope="module")
def subset(setting, geo) -> PassSubset:
    scenario, travel = setting
    problem = build_province_problem(geo, passes_only(scenario), SCENARIO, PROVINCE)
    return pass_subset(build_instance(problem, travel))


@pytest.fixture(scope="module")
def bench(setting, geo) -> ProvinceBenchmark:
    scenario, travel = setting
    return benchmark_province(
        geo, scenario, SCENARIO, PROVINCE, travel, budget=Budget(seconds=1.0, seed=1)
    )


def _isolated(subset: PassSubset) -> int:
    return subset.instance.problem.commune_index()[ISOLATED]


def test_the_subset_scenario_keeps_passes_only() -> None:
    scenario = passes_only(load_scenario(SCENARIO))
    assert not scenario.conferences.allowed
    assert scenario.propaganda.max_passes == 1
    assert scenario.fairness.min_passes_per_group == 0
    assert scenario.fairness.min_conferences_per_group == 0
    short = first_days(scenario, 2)
    assert (short.campaign.start, short.campaign.end) == (
        dt.date(2020, 5, 23),
        dt.date(2020, 5, 24),
    )
    assert first_days(scenario, 1000).campaign.end == scenario.campaign.end


def test_the_subset_has_one_route_per_working_team_day_and_the_isolated_commune(subset) -> None:
    instance = subset.instance
    assert instance.n_days == 3 and instance.n_teams == 7
    assert subset.team_days == tuple((t, d) for d in (SATURDAY, MONDAY) for t in range(7))
    c = _isolated(subset)
    assert c in subset.communes  # open on Monday
    position = subset.communes.index(c)
    assert not subset.allowed_mask(0, SATURDAY)[position]
    assert subset.allowed_mask(0, MONDAY)[position]
    assert subset.prizes()[subset.commune_node(position)] == instance.pass_points[c, 0]
    assert subset.shift(0) - subset.shift_without_lunch(0) == 60


def test_every_solver_returns_a_feasible_comparable_result(bench) -> None:
    rows = {row.solver: row for row in bench.rows}
    assert set(rows) == {*SOLVERS, FULL}
    prizes = bench.subset.prizes().sum()
    greedy = rows["greedy"].value
    assert greedy is not None and greedy > 0
    for solver in SOLVERS:
        row = rows[solver]
        assert row.feasible, (solver, row.note)
        assert row.value == row.repaired_value
        assert 0.97 * greedy <= row.value <= prizes, solver
        assert row.team_days <= row.team_days_available == 14
        assert row.vs_pyvrp is not None
        # the value is the planner's own evaluation of the same routes
        routes = bench.run_of(solver).routes
        assert row.value == pytest.approx(evaluate(bench.subset.instance, routes).objective)
    assert rows["pyvrp"].vs_pyvrp == 1.0
    full = rows[FULL]
    assert full.feasible and full.instance == "full" and full.conferences > 0


def test_no_solver_passes_through_the_isolated_commune_on_its_closed_day(bench) -> None:
    c = _isolated(bench.subset)
    for run in bench.runs:
        for (_, day), visits in run.routes.items():
            if day == SATURDAY:
                assert ("pass", c) not in visits, run.solver
    # the core expresses the isolation with its per-route mask: the commune is still visited,
    # on a day it is open
    core_days = [
        d for (_, d), visits in bench.run_of("core").routes.items() if ("pass", c) in visits
    ]
    assert core_days and SATURDAY not in core_days


def test_core_params_are_typed_and_a_bad_one_is_named() -> None:
    assert core_params("threshold=0.002, max_removed=30,pair_moves=false") == (
        ("threshold", 0.002),
        ("max_removed", 30),
        ("pair_moves", False),
    )
    assert core_params("") == ()
    for bad, named in (
        ("treshold=0.1", "treshold"),
        ("max_removed=3.5", "int for max_removed"),
        ("pair_moves=yes", "bool for pair_moves"),
        ("threshold", "name=value"),
        ("improving_factor=-2", "improving_factor: expected a number >= 1"),
        ("threshold=nan", "threshold: expected a number >= 0"),
        ("removed_fraction=1.5", "removed_fraction: expected a fraction"),
    ):
        with pytest.raises(argparse.ArgumentTypeError, match=named):
            core_params(bad)


def test_the_core_runs_with_the_settings_it_is_given(subset, monkeypatch) -> None:
    seen = []
    real = campaign_lib.solve_orienteering

    def solve(problem, **settings):
        seen.append(settings["params"])
        return real(problem, **settings)

    monkeypatch.setattr(campaign_lib, "solve_orienteering", solve)
    budget = Budget(seconds=1.0, iterations=5, core_params=(("threshold", 0.002),))
    run_core(subset, budget)
    assert seen[0].threshold == 0.002 and seen[0].pair_moves


def test_an_iteration_budget_gives_the_same_routes_twice(subset) -> None:
    budget = Budget(seconds=30.0, seed=3, iterations=200)
    for runner in (run_pyvrp, run_core):
        assert runner(subset, budget).routes == runner(subset, budget).routes
    few = Budget(seconds=30.0, iterations=20)
    assert run_ortools(subset, few).routes == run_ortools(subset, few).routes


def test_a_commune_out_of_a_teams_reach_is_refused_to_every_peer_and_dropped(
    subset, setting
) -> None:
    """A commune team 0 cannot reach (an island without a boat): no peer is allowed it on
    team 0's routes, and a plan that goes there anyway is infeasible with that visit dropped
    (Thanh Hóa's month: PyVRP and the core went to Nghi Sơn by road before the peers were
    told)."""
    _, travel = setting
    budget = Budget(seconds=1.0, seed=1)
    before = run_core(subset, budget).routes  # a commune team 0 goes to when it may
    other = next(
        index for (team, _), route in sorted(before.items()) if team == 0 for _, index in route
    )
    reach = subset.instance.team_may_visit.copy()
    reach[0, other] = False
    cut = replace(subset, instance=replace(subset.instance, team_may_visit=reach))
    position = cut.communes.index(other)
    assert not cut.allowed_mask(0, MONDAY)[position] and cut.allowed_mask(1, MONDAY)[position]

    score = score_routes(cut, {(0, MONDAY): [("pass", other)]}, travel)
    assert not score.feasible and score.passes == 0 and score.repaired_value == 0
    assert any("out of the team's reach" in p for p in score.problems)

    for run in (run_core(cut, budget), run_pyvrp(cut, budget), run_ortools(cut, budget)):
        visits = {v for (team, _), route in run.routes.items() if team == 0 for v in route}
        assert ("pass", other) not in visits, run.solver
        assert score_routes(cut, run.routes, travel).feasible, run.solver


def test_the_evaluator_reports_each_broken_rule_and_repairs(subset, setting) -> None:
    _, travel = setting
    instance = subset.instance
    c = _isolated(subset)
    other = next(x for x in subset.communes if x != c)
    twice: Routes = {(0, SATURDAY): [("pass", other)], (1, MONDAY): [("pass", other)]}
    score = score_routes(subset, twice, travel)
    assert not score.feasible and score.value is None and score.passes == 1
    assert any("twice" in p for p in score.problems)

    closed = score_routes(subset, {(0, SATURDAY): [("pass", c)]}, travel)
    assert not closed.feasible and closed.passes == 0
    assert any("closed" in p for p in closed.problems)

    everything: Routes = {(0, MONDAY): [("pass", x) for x in subset.communes]}
    assert schedule(instance, (0, MONDAY), everything[(0, MONDAY)]) is None
    crammed = score_routes(subset, everything, travel)
    assert not crammed.feasible and 0 < crammed.passes < len(subset.communes)
    assert crammed.repaired_value > 0
    assert any("does not fit" in p for p in crammed.problems)

    fine = score_routes(subset, {(0, MONDAY): [("pass", other)]}, travel)
    assert fine.feasible and fine.problems == () and fine.passes == 1
    expected = (
        instance.pass_points[other, 0] - fine.km * instance.problem.weights.travel_cost_per_km
    )
    assert fine.value == pytest.approx(expected)


def test_the_tables_show_every_row_and_infeasible_values(bench) -> None:
    text = csv_text(bench.rows)
    lines = text.splitlines()
    assert lines[0].startswith("province,name,solver,instance,")
    assert len(lines) == len(bench.rows) + 1
    table = markdown_table(bench.rows)
    assert table.count("\n") == len(bench.rows) + 1
    broken = bench.rows[0].__class__(**{**bench.rows[0].__dict__, "value": None, "feasible": False})
    assert "infeasible (repaired" in markdown_table([broken])
    assert np.isfinite([r.repaired_value for r in bench.rows]).all()


def test_a_rerun_replaces_its_own_rows_and_keeps_the_others(bench) -> None:
    """Writing to an existing results CSV: a row of the new run takes the place of the stored
    row of the same province, solver, instance, horizon and seed; the other stored rows stay
    in their order; a run not stored before comes last; a file of other columns is replaced."""
    pyvrp = next(r for r in bench.rows if r.solver == "pyvrp")
    planner = next(r for r in bench.rows if r.solver == "planner")
    stored = [
        replace(pyvrp, repaired_value=100.0),
        replace(planner, repaired_value=101.0),
        replace(planner, days=3, repaired_value=50.0),
    ]
    rerun = [replace(planner, repaired_value=102.0), replace(planner, seed=2)]
    text, replaced, kept = merged_csv_text(csv_text(stored), rerun)
    assert (replaced, kept) == (1, 2)
    lines = text.splitlines()
    expected = csv_text([stored[0], rerun[0], stored[2], rerun[1]]).splitlines()
    assert lines == expected
    assert merged_csv_text("a,b\n1,2\n", rerun) == (csv_text(rerun), 0, 0)
    assert merged_csv_text("", rerun) == (csv_text(rerun), 0, 0)


def test_the_peers_plans_are_judged_under_the_full_rules(bench) -> None:
    """planner-full's note says whether PyVRP's and OR-Tools' passes-only plans hold under the
    full rules (checked by planner check's rules on the full instance) and, if so, what they
    are worth there."""
    full = next(row for row in bench.rows if row.solver == FULL)
    for peer in ("pyvrp", "ortools"):
        assert f"{peer}'s plan under the full rules: " in full.note
        said = full.note.split(f"{peer}'s plan under the full rules: ")[1]
        assert said.startswith(("infeasible (", "feasible, worth "))


def test_the_seeds_table_weighs_each_seed_against_pyvrps_same_seed(bench) -> None:
    """--seeds: per row the mean over the seeds, its spread, the mean against PyVRP's mean,
    and on how many seeds the solver was at or above PyVRP's value for that seed; the
    full-rules row has no peer and is left out."""
    pyvrp = next(r for r in bench.rows if r.solver == "pyvrp")
    planner = next(r for r in bench.rows if r.solver == "planner")
    full = next(r for r in bench.rows if r.solver == FULL)
    rows = [
        replace(pyvrp, seed=1, repaired_value=100.0),
        replace(planner, seed=1, repaired_value=101.0),
        replace(full, seed=1),
        replace(pyvrp, seed=2, repaired_value=110.0),
        replace(planner, seed=2, repaired_value=105.0),
    ]
    lines = seeds_table(rows).splitlines()
    assert len(lines) == 2 + 2  # header, rule, pyvrp, planner
    name = f"{planner.province} {planner.name}"
    assert (
        f"| {planner.days} | {name} | planner | 2 | 103.00 | 101.00 | 105.00 | 0.98095 | 1 of 2 |"
        in lines
    )
    assert (
        f"| {pyvrp.days} | {name} | pyvrp | 2 | 105.00 | 100.00 | 110.00 | 1.00000 | 2 of 2 |"
        in lines
    )
    assert csv_text(rows).splitlines()[0].endswith(",seed")


def test_seeds_are_whole_numbers_each_given_once(capsys) -> None:
    assert campaign_lib.seeds_arg("1, 2,3") == [1, 2, 3]
    with pytest.raises(argparse.ArgumentTypeError, match="seed 1 is given twice"):
        campaign_lib.seeds_arg("1,1")
    with pytest.raises(SystemExit) as stop:
        campaign_lib.main(["--seeds", "1,x"])
    assert stop.value.code == 2
    assert "argument --seeds: expected whole numbers >= 0, comma-separated, got 'x'" in (
        capsys.readouterr().err
    )
