"""The launch day: every team's parade on a common clock, pinned, and the month around it.

On tiny hand-made provinces (tests/solve/factory.py: communes on a line east of the base,
30 km/h, working day 07:30-17:00 with an hour's lunch between 11:00 and 13:00), and on the
demo scenario, whose [launch] table opens the week on 23 May 2020 at 08:00.
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
from planner.execute import ProvinceTask, solve_task
from planner.launch import (
    NOTE_PREFIX,
    launch_note,
    launch_routes,
    launch_summary,
    parade_communes,
    plan_launch_summary,
    solve_with_launch,
)
from planner.plan import Plan, ProvincePlan, TeamDayRoute
from planner.problem import build_province_problem
from planner.rules.checks import launch_departure, violations
from planner.runner import load_scenario_geodata
from planner.scenario import load_scenario
from planner.solve import solve_province
from planner.verify import check_outputs, check_pass_figures
from tests.solve.factory import ISOLATED, TRAVEL, commune, instance, problem

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo.toml"
EIGHT = 480  # 08:00


def launch(day: dt.date, **kw: object) -> domain.Launch:
    values: dict[object, object] = {
        "start_min": EIGHT,
        "parade_communes": 3,
        "group_minutes": 120,
        "people_per_group": 25.0,
    }
    values.update(kw)
    return domain.Launch(date=day, **values)  # type: ignore[arg-type]


def two_districts(days: int = 5, **kw: object) -> domain.ProvinceProblem:
    """District G1: four wards and a town of different sizes, and a large rural commune;
    district G2: rural communes only. One team per district, each based in its own."""
    communes = [
        commune("W1", 2, target=1000, kind="Phường"),
        commune("W2", 6, target=3000, kind="Phường"),
        commune("W3", 4, target=500, kind="Phường"),
        commune("T1", 9, target=2000, kind="Thị trấn"),
        commune("X1", 3, target=9000),
        commune("Y1", -3, target=800, group="G2"),
        commune("Y2", -6, target=2500, group="G2"),
        commune("Y3", -9, target=1500, group="G2"),
        commune("Y4", -12, target=400, group="G2"),
    ]
    p = problem(communes, days=days, **kw)  # type: ignore[arg-type]
    g2_base = replace(p.venues[1], lat=communes[5].lat, lon=communes[5].lon)
    team = p.teams[0]
    teams = (
        team,
        replace(team, team_id="T2", base_venue_id=g2_base.venue_id, group_code="G2"),
    )
    return replace(p, venues=(p.venues[0], g2_base), teams=teams)


def with_launch(p: domain.ProvinceProblem, d: int = 0, **kw: object) -> domain.ProvinceProblem:
    return replace(p, launch=launch(p.dates[d], **kw))


def routes_on(plan: ProvincePlan, day: dt.date) -> dict[str, TeamDayRoute]:
    return {r.team_id: r for r in plan.routes if r.date == day}


def codes(route: TeamDayRoute) -> list[str]:
    return [s.commune_code for s in route.stops]


# --- the parades ---------------------------------------------------------------------------


def test_every_team_starts_its_parade_on_the_common_clock() -> None:
    p = with_launch(two_districts())
    routes, _ = launch_routes(instance(p))

    assert {r.team_id for r in routes} == {"T1", "T2"}
    for route in routes:
        first = route.stops[0]
        assert first.start_min == first.arrival_min == EIGHT
        assert route.depart_min == EIGHT - first.minutes_from_previous
        assert all(s.kind == "pass" for s in route.stops)
        assert route.stops == tuple(sorted(route.stops, key=lambda s: s.start_min))


def test_the_parade_goes_through_the_most_populous_built_up_communes_of_its_own_district() -> None:
    p = with_launch(two_districts())
    routes = {r.team_id: r for r in launch_routes(instance(p))[0]}

    # G1: the three most populous wards and towns (W2, T1, W1), not the larger rural X1 nor
    # the smallest ward W3; driven nearest first from the base.
    assert codes(routes["T1"]) == ["W1", "W2", "T1"]
    # G2 has no ward or town: its most populous communes, nearest first from its base (Y1).
    assert codes(routes["T2"]) == ["Y1", "Y2", "Y3"]
    assert all(s.group_code == "G2" for s in routes["T2"].stops)


def test_parade_communes_stops_at_the_limit() -> None:
    p = with_launch(two_districts(), parade_communes=1)
    chosen = parade_communes(instance(p))
    names = {p.teams[t].team_id: [p.communes[i].code for i in v] for t, v in chosen.items()}
    assert names == {"T1": ["W2"], "T2": ["Y2"]}


def test_two_teams_of_one_district_share_its_communes_out() -> None:
    p = with_launch(two_districts())
    extra = replace(p.teams[0], team_id="T3")
    p = replace(p, teams=(*p.teams, extra))
    routes = {r.team_id: r for r in launch_routes(instance(p))[0]}

    assert sorted(codes(routes["T1"]) + codes(routes["T3"])) == ["T1", "W1", "W2", "W3"]
    assert not set(codes(routes["T1"])) & set(codes(routes["T3"]))


def test_no_parade_where_passes_are_closed() -> None:
    base = two_districts()
    rules = {("W2", 0): ISOLATED, ("T1", 0): ISOLATED}
    for code in ("Y1", "Y2", "Y3", "Y4"):
        rules[(code, 0)] = ISOLATED
    communes = list(base.communes)
    closed = replace(
        base,
        rules=tuple(
            tuple(rules.get((c.code, d), level) for d, level in enumerate(row))
            for c, row in zip(communes, base.rules, strict=True)
        ),
    )
    p = with_launch(closed)
    routes, notes = launch_routes(instance(p))

    assert [(r.team_id, codes(r)) for r in routes] == [("T1", ["W1", "W3"])]
    assert any("team T2 has no parade" in n for n in notes)

    plan = solve_with_launch(p, TRAVEL, time_limit=1, seed=1)
    assert set(routes_on(plan, p.dates[0])) == {"T1"}, "T2's launch day is no solver day"
    assert any("team T2 has no parade" in n for n in plan.notes)


def test_the_note_gives_the_parade_and_the_small_groups_in_vietnamese() -> None:
    p = with_launch(two_districts())
    routes = {r.team_id: r for r in launch_routes(instance(p))[0]}

    assert routes["T1"].note == (
        "Lễ ra quân: diễu hành qua 3 phường, thị trấn lúc 08:00; sau đó 2 nhóm nhỏ tuyên "
        "truyền trực tiếp 120 phút (ước tính 50 người)"
    )
    one = replace(p.teams[0], crew=1)
    assert launch_note(["Phường"], one, launch(p.dates[0], group_minutes=0)) == (
        "Lễ ra quân: diễu hành qua 1 phường lúc 08:00"
    )
    assert "1 nhóm nhỏ" in launch_note(["Xã"], one, launch(p.dates[0]))


def test_the_small_groups_take_their_time_before_the_team_drives_home() -> None:
    p = with_launch(two_districts())
    route = next(r for r in launch_routes(instance(p))[0] if r.team_id == "T1")
    last = route.stops[-1]
    assert route.return_min >= last.end_min + 120 + route.minutes_to_base


def test_a_parade_far_from_the_base_leaves_before_the_working_day() -> None:
    """The first pass is on the clock even when the drive there starts before 07:30."""
    p = with_launch(two_districts(), start_min=452)  # 07:32: W1 is 5 minutes away
    plan = solve_with_launch(p, TRAVEL, time_limit=1, seed=1)
    route = routes_on(plan, p.dates[0])["T1"]
    leg = route.stops[0].minutes_from_previous

    assert leg == 5 and route.stops[0].start_min == 452
    assert route.depart_min == 452 - leg < p.teams[0].working_day.start_min
    assert launch_departure(p, route) == route.depart_min
    assert any("leaves its base at 07:27, before its working hours" in n for n in plan.notes)
    # planner check's working-hours rule takes the launch departure: no violation.
    assert violations(p, plan.routes, TRAVEL) == []


# --- the month around the launch -----------------------------------------------------------


def test_the_month_keeps_spacing_from_the_parades_and_plans_the_days_before() -> None:
    p = with_launch(two_districts(days=7, passes={"max_passes": 3, "min_days_between": 3}), d=2)
    plan = solve_with_launch(p, TRAVEL, time_limit=1, seed=1)
    launch_day = p.dates[2]
    parades = routes_on(plan, launch_day)

    paraded = {c for r in parades.values() for c in codes(r)}
    assert paraded == {"W1", "W2", "T1", "Y1", "Y2", "Y3"}
    others = [(r.date, c) for r in plan.routes if r.date != launch_day for c in codes(r)]
    assert any(day < launch_day for day, _ in others), "days before the launch are planned"
    for day, code in others:
        if code in paraded:
            assert abs((day - launch_day).days) >= 3, (day, code)
    assert violations(p, plan.routes, TRAVEL) == []
    assert list(check_pass_figures(p, plan.routes)) == []


def test_a_pass_before_the_launch_is_the_first_in_its_commune() -> None:
    p = with_launch(two_districts(days=7, passes={"max_passes": 3, "min_days_between": 3}), d=4)
    plan = solve_with_launch(p, TRAVEL, time_limit=1, seed=1)
    numbers: dict[str, list[tuple[dt.date, int | None]]] = {}
    for route in sorted(plan.routes, key=lambda r: r.date):
        for stop in route.stops:
            numbers.setdefault(stop.commune_code, []).append((route.date, stop.pass_number))
    assert any(len(v) > 1 for v in numbers.values())
    for seen in numbers.values():
        assert [n for _, n in seen] == list(range(1, len(seen) + 1))
    people = sum(s.people_reached for r in plan.routes for s in r.stops)
    assert plan.kpis.people_reached == pytest.approx(people)


def test_the_launch_date_gets_no_other_stops() -> None:
    p = with_launch(two_districts(days=3, passes={"max_passes": 3, "min_days_between": 1}))
    plan = solve_with_launch(p, TRAVEL, time_limit=1, seed=1)
    parades = {r.team_id: r for r in launch_routes(instance(p))[0]}

    on_launch = routes_on(plan, p.dates[0])
    assert set(on_launch) == set(parades)
    for team_id, route in on_launch.items():
        assert codes(route) == codes(parades[team_id])
        assert route.note.startswith(NOTE_PREFIX)
    assert plan.kpis.team_days_used == len(plan.routes)
    assert plan.kpis.team_days_available == 6
    assert plan.kpis.passes == sum(len(r.stops) for r in plan.routes)
    served = {c for r in plan.routes for c in codes(r)}
    assert not {u.code for u in plan.unserved if u.kind == "commune"} & served


def test_without_a_launch_nothing_changes() -> None:
    p = two_districts(days=3)
    task = ProvinceTask(problem=p, travel=TRAVEL, time_limit=1, seed=1, solver_workers=1)
    direct = solve_province(instance(p), time_limit=1, seed=1)
    via_task = solve_task(task)
    assert via_task.routes == direct.routes
    assert via_task.kpis.objective == direct.kpis.objective
    assert not any(r.note.startswith(NOTE_PREFIX) for r in via_task.routes)
    assert launch_summary(p, via_task) is None


def test_solve_task_plans_the_launch() -> None:
    p = with_launch(two_districts(days=3))
    task = ProvinceTask(problem=p, travel=TRAVEL, time_limit=1, seed=1, solver_workers=1)
    plan = solve_task(task)
    assert len([r for r in plan.routes if r.note.startswith(NOTE_PREFIX)]) == 2


def test_the_launch_summary_counts_parades_groups_and_people() -> None:
    p = with_launch(two_districts(days=3))
    plan = solve_with_launch(p, TRAVEL, time_limit=1, seed=1)

    assert launch_summary(p, plan) == {
        "date": p.dates[0].isoformat(),
        "start": "08:00",
        "parades": 2,
        "vehicles": 2,
        "groups": 4,  # crew of 3 less the driver, per team
        "people_reached_directly": 100.0,
        "parade_passes": 6,
    }
    other = replace(plan, province_code="98")
    both = Plan("t", "2020", (plan, other), 1, 1.0)
    national = plan_launch_summary({"99": p, "98": replace(p, province_code="98")}, both)
    assert national is not None
    assert (national["parades"], national["groups"], national["people_reached_directly"]) == (
        4,
        8,
        200.0,
    )
    assert national["history"] == {
        "parades_2022": 600,
        "vehicles_2022": 9000,
        "groups_2022": 6600,
        "people_2022": 168000,
    }
    assert [x["province_code"] for x in national["provinces"]] == ["99", "98"]


def test_a_replan_after_the_launch_takes_it_as_done() -> None:
    """A re-plan from a day after the launch plans no new parade (they are reported done)."""
    p = with_launch(two_districts(days=3))
    history = domain.History(from_date=p.dates[1])
    plan = solve_with_launch(replace(p, history=history), TRAVEL, time_limit=1, seed=1)
    assert not any(r.note.startswith(NOTE_PREFIX) for r in plan.routes)
    assert not routes_on(plan, p.dates[0])


def test_conferences_of_the_month_are_not_held_to_a_replans_lead_time() -> None:
    """The parades' History does not bind conferences to lead_days (lead_binds=False)."""
    p = with_launch(
        two_districts(days=3, conferences={"allowed": True, "lead_days": 3}), start_min=EIGHT
    )
    from planner.launch import month_problem

    routes, _ = launch_routes(instance(p))
    month = instance(month_problem(p, routes))
    assert month.problem.history is not None and not month.problem.history.lead_binds
    assert month.conf_open[:, 1:].any()
    assert not month.team_works[:, 0].any()
    assert month.team_works[:, 1:].all()


# --- the demo --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("launch") / "plan"
    args = ["run", str(DEMO), "--out", str(out), "--time-limit", "1", "--workers", "1"]
    assert main([*args, "--quiet"]) == 0
    return out


def test_the_demo_opens_with_its_launch_and_keeps_every_rule(demo_plan: Path) -> None:
    assert check_outputs(demo_plan) == []
    scenario = load_scenario(DEMO)
    assert scenario.launch is not None and scenario.launch.date == dt.date(2020, 5, 23)
    geo = load_scenario_geodata(scenario, DEMO, None)
    p = build_province_problem(geo, scenario, DEMO, "27")
    summary = json.loads((demo_plan / "summary.json").read_text(encoding="utf-8"))
    notes = summary["provinces"][0].get("notes") or []
    assert any(n.startswith("launch 2020-05-23 at 08:00: 8 of 8 teams parade") for n in notes)
    with (demo_plan / "schedule.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["date"] == "2020-05-23"]
    first = {r["team_id"]: r for r in rows if r["stop"] == "1"}
    assert sorted(first) == sorted(t.team_id for t in p.teams)
    assert {r["start"] for r in first.values()} == {"08:00"}
    groups = {t.team_id: t.group_code for t in p.teams}
    kinds = {c.code: c.kind for c in p.communes}
    assert all(r["kind"] == "pass" and r["group_code"] == groups[r["team_id"]] for r in rows)
    assert all(kinds[r["commune_code"]] in ("Phường", "Thị trấn") for r in rows)
