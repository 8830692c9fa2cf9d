"""Planning a province in the parts no team crosses: exact, and the parts add up."""

from __future__ import annotations

from dataclasses import replace

from planner import domain
from planner.rules.checks import violations
from planner.solve import solve_province
from planner.solve.split import merge_parts, solve_in_parts, split_problem
from tests.solve.factory import TRAVEL, commune, instance, problem


def _two_districts(territory: tuple[str, ...] | None = ("G1",)) -> domain.ProvinceProblem:
    communes = [commune(f"A{i}", km_east=2 * i, group="G1") for i in range(1, 5)]
    communes += [commune(f"B{i}", km_east=-2 * i, group="G2") for i in range(1, 5)]
    communes += [commune("C1", km_east=30, group="G3")]  # a district with no team
    p = problem(communes, days=3, teams=2, passes={"max_passes": 2})
    t1, t2 = p.teams
    v1 = next(v for v in p.venues if v.group_code == "G1")
    v2 = next(v for v in p.venues if v.group_code == "G2")
    teams = (
        replace(t1, team_id="T1", base_venue_id=v1.venue_id, group_code="G1", territory=territory),
        replace(t2, team_id="T2", base_venue_id=v2.venue_id, group_code="G2", territory=("G2",)),
    )
    return replace(p, teams=teams)


def test_own_territories_split_by_district_and_orphans_join_the_largest() -> None:
    parts = split_problem(_two_districts())
    assert [sorted(g.code for g in part.groups) for part in parts] == [["G1", "G3"], ["G2"]]
    assert [[t.team_id for t in part.teams] for part in parts] == [["T1"], ["T2"]]
    assert sum(len(part.communes) for part in parts) == 9


def test_a_lent_team_joins_the_districts_it_works() -> None:
    (whole,) = split_problem(_two_districts(territory=("G1", "G2")))
    assert len(whole.communes) == 9
    (whole,) = split_problem(_two_districts(territory=None))  # the whole province
    assert len(whole.teams) == 2


def test_the_parts_plan_keeps_every_rule_and_adds_up() -> None:
    p = _two_districts()

    def solve(part: domain.ProvinceProblem, time_limit: float):  # type: ignore[no-untyped-def]
        return solve_province(instance(part), time_limit=time_limit, seed=1)

    plan = solve_in_parts(p, solve, 2.0)
    whole = solve_province(instance(p), time_limit=2.0, seed=1)
    assert violations(p, plan.routes, TRAVEL) == []
    assert {r.team_id for r in plan.routes} == {"T1", "T2"}
    assert plan.kpis.objective >= whole.kpis.objective - 1e-6
    assert plan.kpis.upper_bound >= plan.kpis.objective
    assert plan.n_communes == 9
    (orphan,) = [u for u in plan.unserved if u.code == "C1"]
    assert orphan.reason == "no_team"
    assert plan.notes[0] == "planned in 2 independent parts (no team crosses them)"


def test_the_merged_status_is_the_weakest() -> None:
    p = _two_districts()
    parts = [solve_province(instance(part), time_limit=1.0, seed=1) for part in split_problem(p)]
    merged = merge_parts(
        p, [replace(parts[0], solver_status="OPTIMAL"), replace(parts[1], solver_status="FEASIBLE")]
    )
    assert merged.solver_status == "FEASIBLE"
    assert merged.kpis.passes == parts[0].kpis.passes + parts[1].kpis.passes
