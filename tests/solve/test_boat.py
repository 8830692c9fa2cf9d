"""Boat day trips: island communes of a mainland district, on the days the boat runs."""

from __future__ import annotations

from dataclasses import replace

from planner import domain
from planner.rules.checks import check_rules_in_force, violations
from planner.solve import solve_province
from tests.solve.factory import TRAVEL, commune, instance, problem


def _province(crossing: bool, runs_on: tuple[int, ...] = (1,)) -> domain.ProvinceProblem:
    communes = [
        commune("A", 2),
        commune("P", 6),  # the pier, on the mainland
        replace(commune("I", 14, target=3000), boat_only=True),  # the island commune
    ]
    p = problem(communes, days=3)
    if not crossing:
        return p
    boat = domain.BoatCrossing(
        name="P - I",
        pier_commune="P",
        communes=("I",),
        minutes=40,
        km=12.0,
        days=tuple(p.dates[d] for d in runs_on),
    )
    return replace(p, crossings=(boat,))


def _island_passes(plan) -> list[tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    return [
        (r.date.day, s.arrival_min, s.minutes_from_previous)
        for r in plan.routes
        for s in r.stops
        if s.commune_code == "I"
    ]


def test_without_a_boat_the_island_commune_is_unreachable() -> None:
    plan = solve_province(instance(_province(crossing=False)), time_limit=1.0, seed=1)
    assert _island_passes(plan) == []
    (island,) = [u for u in plan.unserved if u.code == "I"]
    assert island.reason == "boat_only" and "boat.crossings" in island.detail


def test_the_boat_takes_the_team_there_on_the_days_it_runs() -> None:
    p = _province(crossing=True, runs_on=(1,))
    plan = solve_province(instance(p), time_limit=1.0, seed=1)
    passes = _island_passes(plan)
    assert [day for day, _, _ in passes] == [p.dates[1].day]
    inst = instance(p)
    minutes = inst.team_minutes(0)
    i, pier = 2, 1
    # Any leg to the island is the drive to the pier plus the 40-minute crossing.
    assert int(minutes[0, i]) == int(minutes[0, pier]) + 40
    assert passes[0][2] >= 40
    assert violations(p, plan.routes, TRAVEL) == []
    assert inst.km[pier, i] == 12.0


def test_check_flags_a_pass_on_a_day_the_boat_does_not_run() -> None:
    p = _province(crossing=True, runs_on=(1,))
    plan = solve_province(instance(p), time_limit=1.0, seed=1)
    (route,) = [r for r in plan.routes if any(s.commune_code == "I" for s in r.stops)]
    moved = replace(route, date=p.dates[2])
    found = list(check_rules_in_force(p, (moved,)))
    assert [v.rule for v in found] == ["boat_only"]
    assert "does not run" in found[0].message
