"""Campaign-instance benchmark: the planner against PyVRP and OR-Tools on real provinces.

A province of a scenario (by default ``scenarios/vietnam-2020-may.toml``) holds more rules
than the peers can express. The benchmark therefore derives the *passes-only subset*, the
part of the campaign instance every solver can be given, states it exactly, solves it with
every solver at the same wall time, and scores every answer with one evaluator.

The passes-only subset, for one province (built from the planner's own :class:`Instance` of
the scenario with ``conferences.allowed = false``, ``propaganda.max_passes = 1`` and no
fairness minimum, so the matrices are the ones the planner plans on):

1. One route per *team-day*: each team, on each day it works, may drive one route from its
   base post office and back (a team-day with no stop is simply not used).
2. Each commune may receive at most one propaganda pass over the campaign; its prize is the
   value of a first pass, ``reach_weight x reached + enrolment_weight x enrolments`` =
   ``pass_points[c, 0]``.
3. A pass takes the commune's dwell minutes; travel takes the instance's integer minutes for
   the team's vehicle; the arc cost is the instance's road km x ``travel_cost_per_km``.
4. Working hours: the route leaves at the start of the day and is back by its end. The peer
   that can model the lunch break (OR-Tools, as a break interval of the right length that
   starts inside the lunch window and never overlaps a pass) gets the whole day and the
   break; the others (PyVRP, the orienteering core) get the day *minus the lunch minutes* as
   their shift, with no break.
5. Isolation, forbidden days and reach: a commune may be visited on a team-day only when a
   pass is allowed there that day (``pass_open``) and the team can get there
   (``team_may_visit``: an island needs a boat the team has). OR-Tools expresses this with
   allowed vehicles per node; PyVRP with one routing profile per set of allowed communes, in
   which a commune not allowed is farther than a whole day; the orienteering core with its
   per-route ``allowed`` mask.
6. Objective: the sum of the prizes collected minus the arc costs, which is what the
   planner's :func:`planner.solve.evaluate.evaluate` computes for such routes (every solver
   is given it).
7. Equal time: the planner's limit is a deterministic work limit, so the planner runs first
   and every other solver gets ``max(--time-limit, the planner's wall seconds)``.

Every answer is scored by :func:`score_routes`: the planner's own timing of a day
(:func:`planner.solve.routes.schedule`, with the lunch break placed by the planner's rule:
between stops, never while driving) and value (:func:`planner.solve.evaluate.evaluate`),
then the independent rule checks of ``planner check`` (:func:`planner.rules.checks.violations`).
An answer that breaks a rule is reported infeasible, with what it broke; its *repaired*
value (the visits that break a rule dropped, the least valuable first) is reported beside it.

The planner's full-rules plan (repeat passes with spacing, conferences in slots with caps,
limits and spacing, fairness minimums, the lunch break) is reported for the same province,
so the note can say what the rules the peers cannot express are worth.

The default provinces (:data:`DEFAULT_PROVINCES`, 2020 codes of ``data/geo/vn2020.gpkg``)
cover the kinds of province the campaign meets:

* 34 Thái Bình: a dense delta plain (242 communes, 6.5 km² each);
* 02 Hà Giang: the northern mountains (193 communes, 42 km² each, long drives);
* 48 Đà Nẵng: a city (47 communes, 36 of them urban);
* 27 Bắc Ninh: a small dense delta province, half urban (121 communes);
* 38 Thanh Hóa: the largest instance of the country (547 communes in 26 districts, up to
  190 km apart), the size a province solver must still handle;
* 45 Quảng Trị: a central coastal province, a narrow strip from the sea to the Lao border
  (119 communes, 43 km² each, up to 88 km apart): crowded coastal lowland communes and sparse
  western ones, where a team-day is bound by travel rather than by dwell time, unlike the
  four compact provinces; small enough to keep a run short beside Thanh Hóa.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import io
import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from planner.errors import PlannerError
from planner.geo.load import GeoData, load_geodata
from planner.instance import Instance, build_instance
from planner.orienteering import SearchParams, make_problem
from planner.orienteering import solve as solve_orienteering
from planner.plan import ProvincePlan
from planner.problem import build_province_problem
from planner.rules.checks import violations
from planner.scenario import Scenario, load_scenario
from planner.solve import solve_province
from planner.solve.core import RECOMBINE_WORK_PER_SECOND
from planner.solve.core import SEARCH as CORE_SEARCH
from planner.solve.evaluate import evaluate
from planner.solve.greedy import greedy_routes
from planner.solve.routes import Routes, TeamDay, Visit, schedule
from planner.travel import TravelTimeSource, travel_source

#: The solvers of the passes-only subset, in table order.
SOLVERS = ("pyvrp", "ortools", "core", "planner", "greedy")
#: The planner on the province's full rules (a different, larger instance).
FULL = "planner-full"
DEFAULT_PROVINCES = ("34", "02", "48", "27", "38", "45")
#: Integer units per point (prizes and arc costs) in the integer engines.
VALUE_SCALE = 1000

#: Which rule of the campaign each solver expresses: "yes", "relaxed: ..." or "no: ...".
RULES: tuple[tuple[str, dict[str, str]], ...] = (
    (
        "one route per team-day, from the team's base and back, within working hours",
        {"pyvrp": "yes", "ortools": "yes", "core": "yes", "planner": "yes", FULL: "yes"},
    ),
    (
        "optional passes with a prize, dwell time, the instance's travel minutes",
        {"pyvrp": "yes", "ortools": "yes", "core": "yes", "planner": "yes", FULL: "yes"},
    ),
    (
        "arc cost = travel cost per km",
        {
            "pyvrp": "yes",
            "ortools": "yes",
            "core": "yes (prizes less arc costs)",
            "planner": "yes",
            FULL: "yes",
        },
    ),
    (
        "lunch break (its minutes, starting inside its window, between stops, never while driving)",
        {
            "pyvrp": "relaxed: shift minus lunch minutes",
            "ortools": "relaxed: break interval, may fall while driving",
            "core": "relaxed: shift minus lunch minutes",
            "planner": "yes",
            FULL: "yes",
        },
    ),
    (
        "isolation / passes forbidden on some days, islands a team cannot reach (per commune,"
        " team and day)",
        {
            "pyvrp": "yes: a routing profile per set of allowed communes",
            "ortools": "yes: the team-days not allowed removed from the node's vehicle variable",
            "core": "yes: allowed communes per route",
            "planner": "yes",
            FULL: "yes",
        },
    ),
    (
        "repeat passes worth less (diminishing returns), spacing >= N days between passes",
        {"pyvrp": "no", "ortools": "no", "core": "no", "planner": "no (subset)", FULL: "yes"},
    ),
    (
        "conferences in slots at post offices, caps (gathering, hall area, people left)",
        {"pyvrp": "no", "ortools": "no", "core": "no", "planner": "no (subset)", FULL: "yes"},
    ),
    (
        "conference limits per venue, spacing at a venue, crew needed, per team-day",
        {"pyvrp": "no", "ortools": "no", "core": "no", "planner": "no (subset)", FULL: "yes"},
    ),
    (
        "fairness minimum per district (passes, conferences)",
        {"pyvrp": "no", "ortools": "no", "core": "no", "planner": "no (subset)", FULL: "yes"},
    ),
)


# --- the scenario variants -------------------------------------------------------------


def passes_only(scenario: Scenario) -> Scenario:
    """The scenario restricted to what every peer can express: no conferences, one pass per
    commune, no fairness minimum (no peer can express a minimum per district), teams free in
    their province (the peers' vehicles are not bound to a district), no launch day (a common
    clock) and no driving limits (breaks inserted on the way): the peers express neither."""
    safety = scenario.safety.model_copy(
        update={"max_driving_minutes": 1440, "max_continuous_driving_minutes": 1440}
    )
    return scenario.model_copy(
        update={
            "launch": None,
            "safety": safety,
            "teams": scenario.teams.model_copy(update={"territory": "province"}),
            "conferences": scenario.conferences.model_copy(update={"allowed": False}),
            "propaganda": scenario.propaganda.model_copy(update={"max_passes": 1}),
            "fairness": scenario.fairness.model_copy(
                update={"min_passes_per_group": 0, "min_conferences_per_group": 0}
            ),
        }
    )


def first_days(scenario: Scenario, days: int | None) -> Scenario:
    """The scenario cut to its first ``days`` calendar days (None: the whole campaign)."""
    if days is None:
        return scenario
    if days < 1:
        raise ValueError(f"days: expected at least 1, got {days}")
    campaign = scenario.campaign
    end = min(campaign.end, campaign.start + dt.timedelta(days=days - 1))
    return scenario.model_copy(update={"campaign": campaign.model_copy(update={"end": end})})


# --- the passes-only subset ---------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PassSubset:
    """The passes-only subset of one province (see the module docstring), as numbers.

    Peers see *nodes*: the distinct team bases first, then the candidate communes.
    """

    instance: Instance
    """The planner's instance of the passes-only scenario: the matrices every solver uses."""
    team_days: tuple[TeamDay, ...]
    """The routes: every (team, day) the team works, by day then team."""
    communes: tuple[int, ...]
    """Communes open to a pass on at least one team-day (the peers' customers)."""
    bases: tuple[int, ...]
    """Distinct site indices of the team bases."""

    @property
    def sites(self) -> tuple[int, ...]:
        """The instance site of each node: bases, then communes."""
        return self.bases + self.communes

    @property
    def n_bases(self) -> int:
        return len(self.bases)

    def base_node(self, team: int) -> int:
        return self.bases.index(int(self.instance.team_base_site[team]))

    def commune_node(self, position: int) -> int:
        return self.n_bases + position

    def prizes(self) -> NDArray[np.float64]:
        """Points of a first pass per node (0 at the bases)."""
        values = np.zeros(len(self.sites))
        values[self.n_bases :] = self.instance.pass_points[list(self.communes), 0]
        return values

    def minutes(self, team: int) -> NDArray[np.int64]:
        """Travel minutes between nodes for the team's vehicle."""
        index = np.array(self.sites)
        return np.asarray(self.instance.team_minutes(team)[np.ix_(index, index)], dtype=np.int64)

    def arc_cost(self) -> NDArray[np.float64]:
        """Points lost driving between nodes: road km x travel cost per km."""
        index = np.array(self.sites)
        per_km = self.instance.problem.weights.travel_cost_per_km
        return np.asarray(self.instance.km[np.ix_(index, index)], dtype=np.float64) * per_km

    def service(self) -> NDArray[np.int64]:
        """Dwell minutes per node (0 at the bases)."""
        values = np.zeros(len(self.sites), dtype=np.int64)
        values[self.n_bases :] = self.instance.dwell[list(self.communes)]
        return values

    def allowed_mask(self, team: int, day: int) -> NDArray[np.bool_]:
        """Which candidate communes (by position) ``team`` may pass through on ``day``: open
        that day and within the team's reach (an island needs a boat)."""
        communes = list(self.communes)
        open_that_day = self.instance.pass_open[communes, day]
        return np.asarray(open_that_day & self.instance.team_may_visit[team, communes])

    def shift(self, team: int) -> int:
        """Minutes from the start to the end of the team's working day (lunch included)."""
        day = self.instance.problem.teams[team].working_day
        return day.end_min - day.start_min

    def shift_without_lunch(self, team: int) -> int:
        """The shift a solver with no lunch break gets: working minutes minus lunch."""
        return self.instance.problem.teams[team].working_day.usable_minutes

    def routes_from_nodes(self, node_routes: Mapping[TeamDay, Sequence[int]]) -> Routes:
        """Routes of visits from the communes' node numbers on each team-day."""
        routes: Routes = {}
        for team_day, nodes in node_routes.items():
            visits: list[Visit] = [
                ("pass", self.communes[node - self.n_bases])
                for node in nodes
                if node >= self.n_bases
            ]
            if visits:
                routes[team_day] = visits
        return routes


def pass_subset(instance: Instance) -> PassSubset:
    """The passes-only subset of an instance built from :func:`passes_only`'s scenario."""
    team_days = tuple(
        (t, d)
        for d in range(instance.n_days)
        for t in range(instance.n_teams)
        if instance.team_works[t, d]
    )
    days = sorted({d for _, d in team_days})
    open_any = (
        instance.pass_open[:, days].any(axis=1)
        if days
        else np.zeros(instance.n_communes, dtype=bool)
    )
    communes = tuple(int(c) for c in np.flatnonzero(open_any))
    bases = tuple(sorted({int(s) for s in instance.team_base_site}))
    return PassSubset(instance=instance, team_days=team_days, communes=communes, bases=bases)


# --- the solvers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """How long each solver runs: ``seconds`` of wall time; with ``iterations``, an iteration
    (or solution) limit instead, so that a seed gives the same routes on every run."""

    seconds: float
    seed: int = 1
    iterations: int | None = None
    core_params: tuple[tuple[str, float | int | bool], ...] = ()
    """Settings of the core solver's search that differ from the planner's (``--core-params``,
    for tuning experiments; the planner row always runs the planner's own)."""


@dataclass(frozen=True)
class SolverRun:
    """A solver's routes on the subset (or full) instance and its wall seconds."""

    solver: str
    routes: Routes
    seconds: float
    note: str = ""


def run_pyvrp(subset: PassSubset, budget: Budget) -> SolverRun:
    """PyVRP: a prize-collecting VRP with optional clients.

    One depot per team base; one vehicle type per (team, set of communes it may visit that
    day), with as many vehicles as such team-days; distance = arc cost in points x
    :data:`VALUE_SCALE` (unit distance cost 1), prize = first-pass points x the same scale,
    so PyVRP's objective is the subset's. Duration = travel minutes, service = dwell, shift
    = working minutes minus lunch (PyVRP has no breaks). A set of allowed communes is a
    routing profile whose duration matrix puts every other commune farther than a day away.
    """
    import pyvrp
    from pyvrp.stop import MaxIterations, MaxRuntime

    started = time.perf_counter()
    n_nodes = len(subset.sites)
    distance = np.rint(subset.arc_cost() * VALUE_SCALE).astype(np.int64)
    prizes = np.rint(subset.prizes() * VALUE_SCALE).astype(np.int64)
    service = subset.service()
    locations = [pyvrp.Location(x=0, y=0, name=str(site)) for site in subset.sites]
    depots = [pyvrp.Depot(location=node) for node in range(subset.n_bases)]
    clients = [
        pyvrp.Client(
            location=node,
            service_duration=int(service[node]),
            prize=int(prizes[node]),
            required=False,
        )
        for node in range(subset.n_bases, n_nodes)
    ]
    instance = subset.instance
    profiles: dict[tuple[str, bytes], int] = {}
    durations: list[NDArray[np.int64]] = []
    groups: dict[tuple[int, int], list[TeamDay]] = {}
    for team, day in subset.team_days:
        vehicle = instance.problem.teams[team].vehicle
        mask = subset.allowed_mask(team, day)
        key = (vehicle, mask.tobytes())
        if key not in profiles:
            team_minutes = subset.minutes(team)
            far = np.int64(10 * max(subset.shift(t) for t, _ in subset.team_days))
            closed = np.flatnonzero(~mask) + subset.n_bases
            team_minutes[closed, :] = far
            team_minutes[:, closed] = far
            np.fill_diagonal(team_minutes, 0)
            profiles[key] = len(durations)
            durations.append(team_minutes)
        groups.setdefault((team, profiles[key]), []).append((team, day))
    vehicle_types = [
        pyvrp.VehicleType(
            num_available=len(members),
            start_depot=subset.base_node(team),
            end_depot=subset.base_node(team),
            shift_duration=subset.shift_without_lunch(team),
            tw_late=subset.shift_without_lunch(team),
            unit_distance_cost=1,
            profile=profile,
            name=f"team {team} profile {profile}",
        )
        for (team, profile), members in groups.items()
    ]
    distances: Any = [distance] * len(durations)  # PyVRP's stubs ask for ndarray[int]
    profile_durations: Any = durations
    data = pyvrp.ProblemData(
        locations, clients, depots, vehicle_types, distances, profile_durations
    )
    stop = MaxIterations(budget.iterations) if budget.iterations else MaxRuntime(budget.seconds)
    result = pyvrp.solve(data, stop=stop, seed=budget.seed, collect_stats=False, display=False)
    found: dict[int, list[list[int]]] = {k: [] for k in range(len(vehicle_types))}
    for route in result.best.routes():
        nodes = [subset.n_bases + a.idx for a in route if a.is_client()]
        found[route.vehicle_type()].append(nodes)
    node_routes: dict[TeamDay, Sequence[int]] = {}
    for k, members in enumerate(groups.values()):
        for team_day, nodes in zip(members, found[k], strict=False):
            node_routes[team_day] = nodes
    note = "" if result.is_feasible() else "PyVRP's best solution is infeasible"
    return SolverRun("pyvrp", subset.routes_from_nodes(node_routes), _since(started), note)


def run_ortools(subset: PassSubset, budget: Budget) -> SolverRun:
    """OR-Tools routing at default-ish settings (as :func:`benchmarks.lib.peers.solve_ortools`).

    One vehicle per team-day, from and to its base; every commune optional
    (``AddDisjunction``, penalty = its prize); arc cost = km x cost per km (both x
    :data:`VALUE_SCALE`, so the objective is the subset's); a time dimension over the working
    day with the dwell as the node's visit transit and the lunch as a break interval of its
    length starting inside its window; a commune closed on a day is not allowed on that
    day's vehicles (removed from the node's vehicle variable). PATH_CHEAPEST_ARC, then GUIDED_LOCAL_SEARCH on one thread until the
    time limit (or ``budget.iterations`` solutions).
    """
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    started = time.perf_counter()
    n_nodes = len(subset.sites)
    team_days = subset.team_days
    if not team_days:
        return SolverRun("ortools", {}, _since(started))
    instance = subset.instance
    starts = [subset.base_node(t) for t, _ in team_days]
    manager = pywrapcp.RoutingIndexManager(n_nodes, len(team_days), starts, starts)
    routing = pywrapcp.RoutingModel(manager)
    cost = np.rint(subset.arc_cost() * VALUE_SCALE).astype(np.int64)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost.tolist()))
    service = subset.service()
    by_vehicle: dict[str, int] = {}
    for team, _ in team_days:
        vehicle = instance.problem.teams[team].vehicle
        if vehicle not in by_vehicle:
            transit = subset.minutes(team) + service[:, None]  # the dwell, then the drive
            by_vehicle[vehicle] = routing.RegisterTransitMatrix(transit.tolist())
    callbacks = [by_vehicle[instance.problem.teams[t].vehicle] for t, _ in team_days]
    horizon = max(subset.shift(t) for t, _ in team_days)
    routing.AddDimensionWithVehicleTransits(callbacks, horizon, horizon, True, "time")
    clock = routing.GetDimensionOrDie("time")
    visit_transits = [int(service[manager.IndexToNode(i)]) for i in range(routing.Size())]
    solver = routing.solver()
    for v, (team, _) in enumerate(team_days):
        day = instance.problem.teams[team].working_day
        clock.CumulVar(routing.End(v)).SetMax(subset.shift(team))
        lunch = solver.FixedDurationIntervalVar(
            day.lunch_earliest_min - day.start_min,
            day.lunch_latest_min - day.start_min,
            day.lunch_minutes,
            False,
            f"lunch {v}",
        )
        clock.SetBreakIntervalsOfVehicle([lunch], v, visit_transits)
    prizes = np.rint(subset.prizes() * VALUE_SCALE).astype(np.int64)
    for position in range(len(subset.communes)):
        node = subset.commune_node(position)
        index = manager.NodeToIndex(node)
        routing.AddDisjunction([index], int(prizes[node]))
        closed_on = [
            v for v, (t, d) in enumerate(team_days) if not subset.allowed_mask(t, d)[position]
        ]
        if closed_on:  # SetAllowedVehiclesForIndex's Python binding rejects lists in 9.15
            routing.VehicleVar(index).RemoveValues(closed_on)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    if budget.iterations:
        params.solution_limit = budget.iterations
    else:
        params.time_limit.FromMilliseconds(max(1, int(budget.seconds * 1000)))
    solution = routing.SolveWithParameters(params)
    node_routes: dict[TeamDay, Sequence[int]] = {}
    note = ""
    if solution is None:
        note = f"no solution (status {routing.status()})"
    else:
        for v, team_day in enumerate(team_days):
            index = solution.Value(routing.NextVar(routing.Start(v)))
            nodes = []
            while not routing.IsEnd(index):
                nodes.append(manager.IndexToNode(index))
                index = solution.Value(routing.NextVar(index))
            node_routes[team_day] = nodes
    return SolverRun("ortools", subset.routes_from_nodes(node_routes), _since(started), note)


def run_core(subset: PassSubset, budget: Budget) -> SolverRun:
    """The planner's orienteering core (:func:`planner.orienteering.solve`), one process,
    with the settings the province solver gives it (:data:`planner.solve.core.SEARCH`: the
    pool of routes recombined by CP-SAT).

    One route per team-day from its base node and back, travel = the team's minutes, service
    = dwell, budget = working minutes minus lunch, prize = first-pass points, arc cost = km x
    cost per km, and per route the communes open that day within the team's reach
    (``allowed``).
    """
    started = time.perf_counter()
    if not subset.team_days:
        return SolverRun("core", {}, _since(started))
    team_days = subset.team_days
    vehicles = {subset.instance.problem.teams[t].vehicle for t, _ in team_days}
    if len(vehicles) > 1:
        raise ValueError("the orienteering core has one travel matrix: expected one vehicle")
    allowed = np.zeros((len(team_days), len(subset.sites)), dtype=np.bool_)
    for r, (team, day) in enumerate(team_days):
        allowed[r, subset.n_bases :] = subset.allowed_mask(team, day)
    first_team = team_days[0][0]
    problem = make_problem(
        subset.minutes(first_team).astype(np.float64),
        subset.prizes(),
        n_routes=len(team_days),
        start=[subset.base_node(t) for t, _ in team_days],
        end=[subset.base_node(t) for t, _ in team_days],
        max_duration=[float(subset.shift_without_lunch(t)) for t, _ in team_days],
        service_times=subset.service().astype(np.float64),
        name=subset.instance.problem.province_code,
        arc_costs=subset.arc_cost(),
        allowed=allowed,
    )
    params = replace(CORE_SEARCH, recombine_work=RECOMBINE_WORK_PER_SECOND * budget.seconds)
    if budget.core_params:  # names and types checked by core_params()
        overrides: dict[str, Any] = dict(budget.core_params)
        params = replace(params, **overrides)
    if budget.iterations:
        result = solve_orienteering(
            problem,
            time_limit=1e9,
            seed=budget.seed,
            max_iterations=budget.iterations,
            params=params,
        )
    else:
        result = solve_orienteering(
            problem, time_limit=budget.seconds, seed=budget.seed, params=params
        )
    node_routes = {
        team_day: route[1:-1] for team_day, route in zip(team_days, result.routes, strict=True)
    }
    return SolverRun("core", subset.routes_from_nodes(node_routes), _since(started))


def run_planner(subset: PassSubset, budget: Budget) -> SolverRun:
    """The planner's province solver on the passes-only instance (its own model: CP-SAT
    month, routed days, fill). Its time limit is CP-SAT's deterministic work limit, so it
    is deterministic for a seed whatever ``budget.iterations`` says."""
    started = time.perf_counter()
    plan = solve_province(subset.instance, time_limit=budget.seconds, seed=budget.seed)
    return SolverRun("planner", routes_of_plan(subset.instance, plan), _since(started))


def run_greedy(subset: PassSubset, budget: Budget) -> SolverRun:
    """The planner's by-hand baseline: day by day, each team to the nearest commune it may
    still visit until the next would not leave time to get home (a floor, instant)."""
    started = time.perf_counter()
    return SolverRun("greedy", greedy_routes(subset.instance), _since(started))


RUNNERS: dict[str, Callable[[PassSubset, Budget], SolverRun]] = {
    "pyvrp": run_pyvrp,
    "ortools": run_ortools,
    "core": run_core,
    "planner": run_planner,
    "greedy": run_greedy,
}


def routes_of_plan(instance: Instance, plan: ProvincePlan) -> Routes:
    """A plan's team-day routes as visits again (team, day and place by their codes)."""
    problem = instance.problem
    team_index = {team.team_id: t for t, team in enumerate(problem.teams)}
    day_index = {day: d for d, day in enumerate(problem.dates)}
    commune_index = problem.commune_index()
    venue_index = problem.venue_index()
    routes: Routes = {}
    for route in plan.routes:
        visits: list[Visit] = []
        for stop in route.stops:
            if stop.kind == "pass":
                visits.append(("pass", commune_index[stop.commune_code]))
            else:
                visits.append(("conference", venue_index[str(stop.venue_id)]))
        routes[(team_index[route.team_id], day_index[route.date])] = visits
    return routes


def _since(started: float) -> float:
    return time.perf_counter() - started


# --- the one evaluator ----------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """What one answer is worth on the subset, by the planner's own rules and value."""

    value: float | None
    """Reach and enrolment points minus travel cost; None when a rule is broken."""
    repaired_value: float
    """The value once the visits that break a rule are dropped (= value when feasible)."""
    feasible: bool
    passes: int
    team_days: int
    km: float
    problems: tuple[str, ...]


def score_routes(subset: PassSubset, routes: Routes, travel: TravelTimeSource) -> Score:
    """Score routes on the passes-only subset with the planner's rules; see the module doc.

    1. every visit is a pass, on a day its team works and the commune is open, to a commune
       within the team's reach (an island needs a boat) not passed through before (in date
       order);
    2. each team-day is timed by the planner's :func:`schedule` (lunch included): a route it
       rejects breaks the working day;
    3. the routes that keep 1-2 are valued by :func:`evaluate`, and the timed routes are
       checked once more by ``planner check``'s rules (:func:`violations`).

    A broken rule makes the answer infeasible; the visits that break it are dropped (in a
    route that does not fit its day, the least valuable visit whose removal makes it fit,
    else the least valuable one, until it fits) and the rest is valued as the repaired value.
    """
    instance = subset.instance
    codes = [commune.code for commune in instance.problem.communes]
    problems: list[str] = []
    kept: Routes = {}
    passed: set[int] = set()
    for team, day in sorted(routes, key=lambda td: (td[1], td[0])):
        label = f"team {instance.problem.teams[team].team_id} day {instance.problem.dates[day]}"
        if not instance.team_works[team, day]:
            problems.append(f"{label}: the team does not work that day")
            continue
        visits: list[Visit] = []
        for kind, index in routes[(team, day)]:
            if kind != "pass":
                problems.append(f"{label}: a conference, not allowed in the subset")
            elif index in passed or ("pass", index) in visits:
                problems.append(f"{label}: commune {codes[index]} passed through twice")
            elif not instance.pass_open[index, day]:
                problems.append(f"{label}: commune {codes[index]} is closed that day")
            elif not instance.team_may_visit[team, index]:
                problems.append(f"{label}: commune {codes[index]} is out of the team's reach")
            else:
                visits.append(("pass", index))
        if schedule(instance, (team, day), visits) is None:
            problems.append(f"{label}: the route does not fit the working day with lunch")
            visits = _fit_day(instance, (team, day), visits)
        passed.update(index for _, index in visits)
        if visits:
            kept[(team, day)] = visits
    evaluation = evaluate(instance, kept)
    problems.extend(str(v) for v in violations(instance.problem, evaluation.routes, travel))
    feasible = not problems
    return Score(
        value=evaluation.objective if feasible else None,
        repaired_value=evaluation.objective,
        feasible=feasible,
        passes=evaluation.passes,
        team_days=len(evaluation.routes),
        km=evaluation.travel_km,
        problems=tuple(problems),
    )


def _fit_day(instance: Instance, team_day: TeamDay, visits: list[Visit]) -> list[Visit]:
    """Drop visits until the day's schedule accepts the route: the least valuable visit whose
    removal makes it fit, or else the least valuable visit, and again."""
    visits = list(visits)
    while visits and schedule(instance, team_day, visits) is None:
        order = sorted(range(len(visits)), key=lambda i: instance.pass_points[visits[i][1], 0])
        fixing = [i for i in order if schedule(instance, team_day, visits[:i] + visits[i + 1 :])]
        del visits[(fixing or order)[0]]
    return visits


# --- one province -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the results: one solver on one province."""

    province: str
    name: str
    solver: str
    instance: str
    """"passes-only" (the subset every solver gets) or "full" (every rule of the scenario)."""
    days: int
    """Calendar days planned (the campaign, or its first days with --days)."""
    communes: int
    team_days_available: int
    value: float | None
    repaired_value: float
    feasible: bool
    passes: int
    conferences: int
    team_days: int
    km: float
    seconds: float
    vs_pyvrp: float | None
    note: str
    seed: int = 1
    """The seed every solver of the row's province and horizon was given (--seeds)."""


@dataclass(frozen=True, eq=False)
class ProvinceBenchmark:
    """One province's results: the subset, each solver's run and score, and the rows."""

    subset: PassSubset
    runs: tuple[SolverRun, ...]
    scores: tuple[Score, ...]
    rows: tuple[Row, ...]

    def run_of(self, solver: str) -> SolverRun:
        return next(run for run in self.runs if run.solver == solver)

    def score_of(self, solver: str) -> Score:
        return next(
            s for run, s in zip(self.runs, self.scores, strict=True) if run.solver == solver
        )


def benchmark_province(
    geo: GeoData,
    scenario: Scenario,
    scenario_path: Path,
    code: str,
    travel: TravelTimeSource,
    *,
    budget: Budget,
    solvers: Sequence[str] = SOLVERS,
    full: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ProvinceBenchmark:
    """Run every solver on one province's passes-only subset, one at a time, score each
    with :func:`score_routes`, then (with ``full``) the planner on the full rules."""
    subset_problem = build_province_problem(geo, passes_only(scenario), scenario_path, code)
    subset = pass_subset(build_instance(subset_problem, travel))
    name = subset_problem.province_name
    available = len(subset.team_days)
    runs: list[SolverRun] = []
    scores: list[Score] = []
    # Equal time: the planner's limit is a work limit, so it runs first and every other
    # solver gets at least its wall time.
    order = sorted(solvers, key=lambda name: name != "planner")
    timed: dict[str, SolverRun] = {}
    for solver in order:
        given = budget
        if "planner" in timed and not budget.iterations:
            given = replace(budget, seconds=max(budget.seconds, timed["planner"].seconds))
        timed[solver] = RUNNERS[solver](subset, given)
    for solver in solvers:
        run = timed[solver]
        runs.append(run)
        scores.append(score_routes(subset, run.routes, travel))
        if progress is not None:
            progress(f"{code} {solver}: {scores[-1].repaired_value:.0f} in {run.seconds:.1f} s")
    reference = next(
        (s.repaired_value for r, s in zip(runs, scores, strict=True) if r.solver == "pyvrp"), None
    )
    rows = [
        Row(
            province=code,
            name=name,
            solver=run.solver,
            instance="passes-only",
            days=subset.instance.n_days,
            communes=len(subset.communes),
            team_days_available=available,
            value=result.value,
            repaired_value=result.repaired_value,
            feasible=result.feasible,
            passes=result.passes,
            conferences=0,
            team_days=result.team_days,
            km=result.km,
            seconds=run.seconds,
            vs_pyvrp=_ratio(result.repaired_value, reference),
            note="; ".join(part for part in (run.note, _problem_note(result.problems)) if part),
            seed=budget.seed,
        )
        for run, result in zip(runs, scores, strict=True)
    ]
    if full:
        peers = {run.solver: run.routes for run in runs if run.solver in ("pyvrp", "ortools")}
        rows.append(
            full_rules_row(
                geo,
                scenario,
                scenario_path,
                code,
                travel,
                budget=budget,
                peer_plans=peers,
                subset=subset,
            )
        )
        if progress is not None:
            progress(f"{code} {FULL}: {rows[-1].repaired_value:.0f} in {rows[-1].seconds:.1f} s")
    return ProvinceBenchmark(
        subset=subset, runs=tuple(runs), scores=tuple(scores), rows=tuple(rows)
    )


def full_rules_row(
    geo: GeoData,
    scenario: Scenario,
    scenario_path: Path,
    code: str,
    travel: TravelTimeSource,
    *,
    budget: Budget,
    peer_plans: Mapping[str, Routes] | None = None,
    subset: PassSubset | None = None,
) -> Row:
    """The planner on every rule of the scenario, checked by ``planner check``'s rules.

    With ``peer_plans`` (a peer's routes on ``subset``), each peer's passes-only plan is also
    judged under the full rules: valued by the planner's evaluator on the full instance and
    checked by ``planner check``'s rules; the note says whether it is feasible there and, if
    so, how the planner's full-rules plan compares with it."""
    problem = build_province_problem(geo, scenario, scenario_path, code)
    instance = build_instance(problem, travel)
    started = time.perf_counter()
    plan = solve_province(instance, time_limit=budget.seconds, seed=budget.seed)
    seconds = _since(started)
    broken = [str(v) for v in violations(problem, plan.routes, travel)]
    k = plan.kpis
    shortfalls = sum(1 for u in plan.unserved if u.kind == "group_minimum")
    notes = [f"{k.people_reached:.0f} people reached, bound {k.upper_bound:.0f}"]
    if shortfalls:
        notes.append(f"{shortfalls} district minimums not met")
    if broken:
        notes.append(_problem_note(tuple(broken)))
    if subset is not None:
        for peer, routes in sorted((peer_plans or {}).items()):
            notes.append(
                _peer_under_full_rules(peer, routes, subset, instance, k.objective, travel)
            )
    return Row(
        province=code,
        name=problem.province_name,
        solver=FULL,
        instance="full",
        days=instance.n_days,
        communes=instance.n_communes,
        team_days_available=k.team_days_available,
        value=None if broken else k.objective,
        repaired_value=k.objective,
        feasible=not broken,
        passes=k.passes,
        conferences=k.conferences,
        team_days=k.team_days_used,
        km=k.travel_km,
        seconds=seconds,
        vs_pyvrp=None,
        note="; ".join(notes),
        seed=budget.seed,
    )


def _peer_under_full_rules(
    peer: str,
    routes: Routes,
    subset: PassSubset,
    instance: Instance,
    planner_value: float,
    travel: TravelTimeSource,
) -> str:
    """One note: a peer's passes-only plan moved onto the full-rules instance (by team, date
    and commune code), checked by ``planner check``'s rules and valued by the evaluator."""
    sub = subset.instance.problem
    full = instance.problem
    team_index = {team.team_id: t for t, team in enumerate(full.teams)}
    day_index = {day: d for d, day in enumerate(full.dates)}
    commune_index = full.commune_index()
    moved: Routes = {}
    for (t, d), visits in routes.items():
        key = (team_index[sub.teams[t].team_id], day_index[sub.dates[d]])
        moved[key] = [("pass", commune_index[sub.communes[c].code]) for _, c in visits]
    # a day the full rules cannot time (driving limits, the launch morning) is a problem too
    untimed = [td for td, visits in moved.items() if schedule(instance, td, visits) is None]
    evaluation = evaluate(instance, {td: v for td, v in moved.items() if td not in untimed})
    broken = violations(full, evaluation.routes, travel)
    if broken or untimed:
        lost = f", {len(untimed)} team-days do not fit their day" if untimed else ""
        first = f": {broken[0]}" if broken else ""
        return (
            f"{peer}'s plan under the full rules: infeasible ({len(broken)} problems{lost}{first})"
        )
    ratio = planner_value / evaluation.objective if evaluation.objective > 0 else float("nan")
    return (
        f"{peer}'s plan under the full rules: feasible, worth {evaluation.objective:.0f} "
        f"(planner-full / it = {ratio:.4f})"
    )


def _ratio(value: float, reference: float | None) -> float | None:
    if reference is None or reference <= 0:
        return None
    return value / reference


def _problem_note(problems: Sequence[str]) -> str:
    if not problems:
        return ""
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{len(problems)} broken: {problems[0]}{more}"


# --- output -----------------------------------------------------------------------------


def csv_text(rows: Sequence[Row]) -> str:
    """The rows as CSV, one column per :class:`Row` field, numbers rounded for reading."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [f.name for f in fields(Row)]
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in names])
    return buffer.getvalue()


#: The columns that name one run: a row of a new run replaces the stored row of the same key.
ROW_KEY = ("province", "solver", "instance", "days", "seed")


def merged_csv_text(existing: str, rows: Sequence[Row]) -> tuple[str, int, int]:
    """``existing`` (a results CSV) with ``rows`` in it: each new row takes the place of the
    stored row of the same :data:`ROW_KEY` (province, solver, instance, horizon, seed), rows
    of runs not repeated stay where they were, new runs come last. A re-run of one province
    or horizon so refreshes its lines of the committed table without dropping the others.
    Returns the text, the rows replaced and the rows kept. A file with other columns is
    replaced whole (its rows cannot be matched)."""
    new_text = csv_text(rows)
    new_lines = new_text.splitlines()
    header, new_body = new_lines[0], new_lines[1:]
    old_lines = existing.splitlines()
    if not old_lines or old_lines[0] != header:
        return new_text, 0, 0
    names = header.split(",")
    at = [names.index(name) for name in ROW_KEY]

    def key(line: str) -> tuple[str, ...]:
        cells = next(csv.reader([line]))
        return tuple(cells[i] for i in at)

    fresh = {key(line): line for line in new_body}
    out = [header]
    replaced = kept = 0
    for line in old_lines[1:]:
        k = key(line)
        if k in fresh:
            out.append(fresh.pop(k))
            replaced += 1
        else:
            out.append(line)
            kept += 1
    out.extend(line for line in new_body if key(line) in fresh)
    return "\n".join(out) + "\n", replaced, kept


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:.2f}"
    return str(value)


def markdown_table(rows: Sequence[Row]) -> str:
    """One line per province x solver: value (or "infeasible" and the repaired value),
    feasibility, passes, team-days, km, seconds and the ratio to PyVRP."""
    lines = [
        "| province | solver | instance | value | feasible | passes | conf. | team-days "
        "| km | s | / PyVRP |",
        "|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        value = (
            f"{r.value:.0f}"
            if r.value is not None
            else f"infeasible (repaired {r.repaired_value:.0f})"
        )
        ratio = "" if r.vs_pyvrp is None else f"{r.vs_pyvrp:.4f}"
        lines.append(
            f"| {r.province} {r.name} | {r.solver} | {r.instance} | {value} | "
            f"{'yes' if r.feasible else 'no'} | {r.passes}/{r.communes} | {r.conferences} | "
            f"{r.team_days}/{r.team_days_available} | {r.km:.0f} | {r.seconds:.1f} | {ratio} |"
        )
    return "\n".join(lines)


def seeds_table(rows: Sequence[Row]) -> str:
    """Over the seeds (--seeds): per horizon, province and passes-only solver, the mean value,
    its lowest and highest, the mean against PyVRP's mean, and on how many seeds the solver
    was at or above PyVRP's value for the same seed (markdown). One seed is a draw: on some
    rows two seeds of one solver differ by more than the solvers do (benchmarks/RESULTS.md,
    section 5k)."""
    groups: dict[tuple[int, str, str], dict[int, Row]] = {}
    for r in rows:
        if r.instance == "passes-only":
            groups.setdefault((r.days, r.province, r.solver), {})[r.seed] = r
    lines = [
        "| days | province | solver | seeds | mean | lowest | highest | mean / PyVRP's "
        "| seeds at or above PyVRP |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for (days, province, solver), by_seed in groups.items():
        values = [r.repaired_value for r in by_seed.values()]
        mean = sum(values) / len(values)
        reference = groups.get((days, province, "pyvrp"), {})
        shared = sorted(set(by_seed) & set(reference))
        ratio, wins = "", ""
        if shared:
            theirs = sum(reference[k].repaired_value for k in shared) / len(shared)
            ours = sum(by_seed[k].repaired_value for k in shared) / len(shared)
            ratio = f"{ours / theirs:.5f}" if theirs > 0 else ""
            # rounded as the CSV is, so that a tie on the table is a tie here
            at_or_above = sum(
                round(by_seed[k].repaired_value, 2) >= round(reference[k].repaired_value, 2)
                for k in shared
            )
            wins = f"{at_or_above} of {len(shared)}"
        name = next(iter(by_seed.values())).name
        lines.append(
            f"| {days} | {province} {name} | {solver} | {len(values)} | {mean:.2f} | "
            f"{min(values):.2f} | {max(values):.2f} | {ratio} | {wins} |"
        )
    return "\n".join(lines)


def rules_table(solvers: Sequence[str] = (*SOLVERS[:4], FULL)) -> str:
    """Which campaign rule each solver expresses (markdown)."""
    lines = [
        "| rule | " + " | ".join(solvers) + " |",
        "|---|" + "---|" * len(solvers),
    ]
    for rule, support in RULES:
        lines.append(f"| {rule} | " + " | ".join(support.get(s, "") for s in solvers) + " |")
    return "\n".join(lines)


# --- command line -----------------------------------------------------------------------


def core_params(text: str) -> tuple[tuple[str, float | int | bool], ...]:
    """``name=value,...`` -> settings of the core's search (:class:`SearchParams` fields),
    each converted to its field's type."""
    kinds: dict[str, type] = {f.name: type(f.default) for f in fields(SearchParams)}
    out: list[tuple[str, float | int | bool]] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, _, value = item.partition("=")
        name = name.strip()
        if name not in kinds or not value:
            raise argparse.ArgumentTypeError(
                f"{item!r}: expected name=value with a name among {', '.join(sorted(kinds))}"
            )
        kind = kinds[name]
        try:
            if kind is bool:
                if value not in ("true", "false"):
                    raise ValueError(value)
                out.append((name, value == "true"))
            else:
                out.append((name, kind(value)))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{item!r}: expected a {kind.__name__} for {name}"
            ) from None
    try:
        settings: dict[str, Any] = dict(out)
        SearchParams(**settings)  # the ranges: SearchParams checks them
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return tuple(out)


def seeds_arg(text: str) -> list[int]:
    """``--seeds``: comma-separated whole numbers, each once."""
    seeds: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part.isdigit():
            raise argparse.ArgumentTypeError(
                f"expected whole numbers >= 0, comma-separated, got {part!r}"
            )
        if int(part) in seeds:
            raise argparse.ArgumentTypeError(f"seed {part} is given twice")
        seeds.append(int(part))
    return seeds


def horizons_arg(text: str) -> list[int | None]:
    """``--days``: comma-separated numbers of days, "all" for the whole campaign."""
    horizons: list[int | None] = []
    for part in (p.strip() for p in text.split(",")):
        if part == "all":
            horizons.append(None)
        elif part.isdigit() and int(part) >= 1:
            horizons.append(int(part))
        else:
            raise argparse.ArgumentTypeError(
                f"expected 'all' or a whole number of days >= 1 (comma-separated), got {part!r}"
            )
    return horizons


def seconds_arg(text: str) -> float:
    """``--time-limit``: a positive, finite number of seconds."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (seconds > 0 and math.isfinite(seconds)):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return seconds


def add_province_arguments(parser: argparse.ArgumentParser, *, time_limit_help: str) -> None:
    """The arguments every campaign benchmark takes: the scenario, the provinces (codes,
    comma-separated; :func:`province_codes`), the horizons and the time limit."""
    repo = Path(__file__).resolve().parents[2]
    parser.add_argument(
        "--scenario", type=Path, default=repo / "scenarios" / "vietnam-2020-may.toml"
    )
    parser.add_argument("--provinces", default=",".join(DEFAULT_PROVINCES))
    parser.add_argument(
        "--days",
        type=horizons_arg,
        default=[None],
        help="the first N calendar days of the campaign only; several runs comma-separated, "
        "'all' = the whole campaign (default)",
    )
    parser.add_argument("--time-limit", type=seconds_arg, default=20.0, help=time_limit_help)


def province_codes(text: str) -> list[str]:
    """The province codes of ``--provinces``."""
    return [code.strip() for code in text.split(",") if code.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    repo = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(
        description="Campaign-instance benchmark: the planner against PyVRP and OR-Tools on "
        "real provinces (passes-only subset, one evaluator), and the planner on the full rules."
    )
    add_province_arguments(parser, time_limit_help="seconds per solver")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--seeds",
        type=seeds_arg,
        default=None,
        help="several seeds, comma-separated (instead of --seed): every solver runs once per "
        "seed and a table gives each row's mean, spread and seeds at or above PyVRP",
    )
    parser.add_argument(
        "--iterations",
        type=int,
        default=None,
        help="stop PyVRP, OR-Tools and the core after N iterations (solutions for OR-Tools) "
        "instead of the time limit: reproducible routes",
    )
    parser.add_argument("--solvers", default=",".join(SOLVERS))
    parser.add_argument(
        "--core-params",
        type=core_params,
        default=(),
        help="the core solver's search settings that differ from the planner's, e.g. "
        "threshold=0.002,max_removed=30 (tuning experiments; the planner row is unchanged)",
    )
    parser.add_argument("--no-full", action="store_true", help="skip the full-rules plan")
    parser.add_argument(
        "--out",
        type=Path,
        default=repo / "benchmarks/results/campaign.csv",
        help="the results CSV; an existing one keeps its rows of runs not repeated here "
        "(a row of this run replaces the one of the same province, solver, instance, "
        "horizon and seed)",
    )
    parser.add_argument(
        "--replace", action="store_true", help="write only this run's rows to --out"
    )
    args = parser.parse_args(argv)
    solvers = [s for s in args.solvers.split(",") if s]
    unknown = sorted(set(solvers) - set(SOLVERS))
    if unknown:
        parser.error(f"--solvers: unknown {', '.join(unknown)}; expected some of {SOLVERS}")
    if args.iterations is not None and args.iterations < 1:
        parser.error(f"--iterations: expected at least 1, got {args.iterations}")
    codes = province_codes(args.provinces)
    try:
        tables = _run(args, codes, solvers)
    except PlannerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    rows = [row for _, table in tables for row in table]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text, merged = csv_text(rows), ""
    if args.out.exists() and not args.replace:
        text, replaced, kept = merged_csv_text(args.out.read_text(encoding="utf-8"), rows)
        if replaced or kept:
            added = len(rows) - replaced
            merged = f" ({replaced} rows replaced, {added} added, {kept} kept)"
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    for heading, table in tables:
        print(f"\n{heading}\n")
        print(markdown_table(table))
    if len(args.seeds or ()) > 1:
        print("\nOver the seeds\n")
        print(seeds_table(rows))
    print()
    print(rules_table())
    print(f"\nwrote {args.out}{merged}")
    return 0


def _progress(prefix: str, line: str) -> None:
    print(prefix + line, flush=True)


def _run(
    args: argparse.Namespace, codes: Sequence[str], solvers: Sequence[str]
) -> list[tuple[str, list[Row]]]:
    """Every horizon, every province, every solver, one at a time; a heading per horizon."""
    base = load_scenario(args.scenario)
    geo = load_geodata(base.structure, province_codes=list(codes))
    travel = travel_source(base.travel, args.scenario)
    seeds = args.seeds or [args.seed]
    tables: list[tuple[str, list[Row]]] = []
    for days in args.days:
        scenario = first_days(base, days)
        rows: list[Row] = []
        for code in codes:
            for seed in seeds:
                budget = Budget(
                    seconds=args.time_limit,
                    seed=seed,
                    iterations=args.iterations,
                    core_params=args.core_params,
                )
                result = benchmark_province(
                    geo,
                    scenario,
                    args.scenario,
                    code,
                    travel,
                    budget=budget,
                    solvers=solvers,
                    full=not args.no_full,
                    progress=functools.partial(_progress, f"seed {seed}: "),
                )
                rows.extend(result.rows)
        span = f"first {days} days" if days else "whole campaign"
        said = f"seed {seeds[0]}" if len(seeds) == 1 else "seeds " + ", ".join(map(str, seeds))
        heading = (
            f"{args.scenario.name}, {span} ({scenario.campaign.start} to "
            f"{scenario.campaign.end}), {args.time_limit:g} s per solver, {said}"
            + (f", {args.iterations} iterations" if args.iterations else "")
            + (
                ", core " + ", ".join(f"{k}={v}" for k, v in args.core_params)
                if args.core_params
                else ""
            )
        )
        tables.append((heading, rows))
    return tables
