"""A candidate from the orienteering core: the first passes as a Team Orienteering Problem.

When a campaign is short for its province — the team-days cannot give every commune its
first pass — the heart of the plan is which communes get a pass at all and in which order
each team-day drives through them. That is the Team Orienteering Problem, and the planner's
routing core (planner/orienteering: iterated local search, within 0.3% of the best-known
scores on the TOP benchmarks, benchmarks/RESULTS.md) solves it better than cheapest
insertion. The campaign benchmark (benchmarks/campaign.py) showed the month pipeline alone
5-9% behind PyVRP on such short horizons; this candidate closes that gap.

The TOP given to the core: one route per working team-day, from the team's base and back;
budget = the day's usable minutes (working hours less lunch); prize = a commune's first-pass
points; arc cost = road km x travel cost per km (the plan's own value); service = its dwell;
travel = the team's vehicle minutes; per route, the communes it may visit (open that day,
inside the team's territory). What the core cannot see is restored afterwards: each day is
re-timed with the lunch rule (planner/rules/schedule.py) and a visit is dropped when the day
cannot hold it or a rule forbids it (a pass already planned, `may_add`); `fill_routes` then
adds repeats and conferences, and the candidate competes with the others on the plan's own
value.

The core keeps the routes it meets in a pool and, every 50 iterations and at the end, CP-SAT
picks the best combination of them (planner/orienteering/_pool.py). Measured on the campaign
benchmark's passes-only subset, 3 days, the core alone at 20 s (`python benchmarks/campaign.py
--days 3 --solvers core`): Thái Bình 13,642 -> 13,922, Hà Giang 8,089 -> 8,248 (PyVRP 13,927
and 8,248 on the same machine). It also swaps visits and route tails between team-days and,
when the days are full, searches three times longer (see SEARCH): the planner on the same
subset, Thanh Hóa 35,330 -> 35,790, Hà Giang 8,164 -> 8,254 (benchmarks/RESULTS.md 5c).

Measured before it was added (time limit 8, seed 1; construction -> this candidate, both
filled): Thái Bình over 3 days 13,303 -> 14,296 (+7.5%), Hà Giang over 3 days 7,633 -> 8,542
(+12%), Thái Bình over 8 days 30,671 -> 31,289 (+2.0%), the demo week 26,933 -> 27,097; over
a whole month, where every commune is covered early, it is 0.1-2% below the construction and
costs under a second. It runs when every team drives the same vehicle (the core has one
travel matrix). The search stops after an iteration budget proportional to the time limit
(on a province smaller than 250 communes it may go on while it still improves, up to a
multiple that follows the size: :func:`improving_factor`), so the candidate, like the rest of
the plan, depends only on the seed and the limit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from planner.instance import Instance
from planner.orienteering import Problem, SearchParams, make_problem
from planner.orienteering import solve as solve_orienteering
from planner.rules.points import travel_cost
from planner.solve.routes import Routes, Usage, Visit, may_add, schedule

# Iterations of the core per second of --time-limit: about half of what it does in a second
# on a 250-commune province with 16 team-days, so it stays a fraction of the province's time
# (100 iterations found the same plans as 200 on the short horizons above).
ITERATIONS_PER_SECOND = 12
#: The clock the core is given: none that it reaches. It stops at its iterations (and work
#: limit), so its routes depend on the seed and the settings only.
UNTIMED = 1e9

#: The core's settings. The recombination of the routes it met (planner/orienteering/_pool.py):
#: a pool of routes and, every 50 iterations and at the end, the best combination of them by
#: CP-SAT with a small deterministic work limit. Swaps of visits and of tails between routes
#: (``pair_moves``): on the campaign benchmark's first 3 days of Thanh Hóa (547 communes, 52
#: team-days) the core alone at 20 s went from 35,422-35,476 to 35,760-35,796 (seeds 2-4).
#: A swap puts each visit at its best place in the other route when that beats the other's
#: place (SWAP*): the core alone on Thanh Hóa's first 3 days, 50 iterations (x 3, full), seeds
#: 1-4, 35,623 / 35,760 / 35,749 / 35,774 -> 36,075 / 35,815 / 35,895 / 36,089; Thái Bình,
#: 240 iterations, seeds 1-3, 13,921 / 13,846 / 13,896 -> 13,929 / 13,924 / 13,923 (PyVRP
#: 13,927), by `python benchmarks/campaign.py --provinces 38 --days 3 --solvers core
#: --iterations 50 --seed 1 --no-full`. When the routes are full (communes worth a pass left
#: out for lack of time: a short campaign, where choosing them is the plan), the search goes
#: on to 3 times its iterations, while its counted work stays within the time limit
#: (:data:`FULL_ROUTES_WORK_PER_SECOND`).
#: The swaps and tail exchanges weigh a visit against the routes near it only (``granular``,
#: its 40 nearest communes): on the same Thanh Hóa runs, seeds 1-4, the same routes in
#: 21.9 / 22.5 / 22.3 / 22.9 s -> 16.6 / 16.9 / 19.7 / 22.0 s (20 nearest: other routes, as
#: good on average, 15.1-21.3 s).
#: The walk may go 0.5 % below the best score while communes worth a pass are left out, and
#: 3 % of the best's driving cost once none is (``covered_threshold``: a whole month, where
#: every commune gets its pass and only the driving is left to gain; 0.5 % of the score was
#: then most of the driving, and the walk wandered): the core on the planner's TOP, seed 1,
#: Đà Nẵng's month 12,176.9 -> 12,177.2 (PyVRP 12,177.2), Quảng Trị's 6,611.8 -> 6,615.7 at
#: 240 iterations (benchmarks/RESULTS.md, section 5h).
#: The walk's moves weigh minutes (room for more visits); at the end, once no commune worth a
#: pass is left out, the best is polished by the same moves weighing the km cost first
#: (``cost_moves``: never worse, seeds 1-3 a few tenths of a point better on 5 of 6 rows;
#: the walk's last quarter by cost too was +1.1 on Hà Giang's month and -0.4 on Quảng Trị's
#: 3 days over seeds 1-6, not kept; benchmarks/RESULTS.md, section 5i).
#: The search runs on a team's first days only, twice as many as the first construction
#: fills plus two (``prune_twins``: a month gives every team 25 identical days, a plan uses
#: 3-5; every array of the search has a row per team-day): Thanh Hóa's month on 186 of its
#: 650 team-days, 240 iterations in 24.4 s instead of 36.5 s (seed 1, with the move below),
#: the same values (seeds 1-6 without that move: means within a point on every month row). The tail exchange also hands a day's visits (or its
#: last ones) to an unused day of another team, which a relocation of one visit at a time
#: never does (the first visit to move pays the whole drive from the other base): seeds 1-6,
#: Hà Giang's month +1.4, Thanh Hóa's +2.7, Thái Bình's +0.3, Bắc Ninh's level, Quảng Trị's
#: -0.75 (12 seeds); the 3-day rows the same (benchmarks/RESULTS.md, section 5j).
#: When the days are full and the search goes on, a walk that has found no new best in 120
#: iterations (half the budget at --time-limit 20) ends, and a walk from its own construction
#: and seed gets the iterations it left when they are at least half the budget
#: (``full_routes_stall``): on Thanh Hóa's first 3 days every walk had settled by iteration
#: 200-400 and spent the rest of its 720 in one basin (seeds 1-4: 36,262 / 36,104 / 35,915 /
#: 35,799; PyVRP 36,266 / 36,149 / 36,105 on seeds 1-3 in
#: benchmarks/results/campaign-seeds-full-days.csv), and another walk lands in another:
#: 36,262 / 36,164 / 36,092 / 36,103, mean +135 (with walks of at least the whole budget,
#: 35,964 on seed 3); a walk that still improves (Hà Giang's and Thái Bình's 3 days) is
#: left as it was (benchmarks/RESULTS.md, section 5k).
#: A covered problem of more than 300 communes (Thanh Hóa's month, 547) is searched in parts
#: after half its iterations: its bases in groups of about 150 communes, each group's routes
#: by a walk of its own (``split_above``, planner/orienteering/_split.py): the core on the
#: planner's TOP, Thanh Hóa's month, seeds 1-7, mean 38,544.6 -> 38,547.1 in the same time
#: (PyVRP's mean over seeds 1-3: 38,555.1 and 38,556.1 in two runs, in
#: benchmarks/results/campaign-seeds.csv and campaign-seeds-split.csv; RESULTS.md, section
#: 5l). The benchmark's other provinces have 250 communes or fewer, and the national month's
#: parts are districts. A large province whose days are full (a short campaign: Thanh Hóa's
#: first 3 days) is searched in parts too, each with the communes left out nearest its bases
#: (``split_selective``): the core alone, seeds 1-12, 35,967.7 -> 36,027.0 on average in
#: less work (18.2 instead of 21.0). Only where the core's routes are the plan
#: (:func:`routing_only`): in a plan with conferences they are a start the CP-SAT month
#: re-decides, and there the full-rules plan of Thanh Hóa's first 3 days fell from 29,973.8
#: to 29,926.3 on average (seeds 1-3; benchmarks/RESULTS.md, section 5z).
#: Once every commune has its pass, the local search sends a pass through the commune a
#: team's base stands in (no km there and back) to an unused day of its own, which frees
#: its dwell in a driving day for the moves between days (``home_days``): a neutral move the
#: walk never made, and the one that separated the core's Quảng Trị month from PyVRP's. The
#: planner on the campaign benchmark's months, seeds 1-3 (Thái Bình, Hà Giang, Bắc Ninh 1-6):
#: Quảng Trị 6,614.9 -> 6,616.5 (PyVRP 6,616.6), Thanh Hóa +0.4, Hà Giang +0.7, Bắc Ninh
#: -0.1, Thái Bình -1.0, Đà Nẵng level; while communes worth a pass are left out it is not
#: made (it derailed Thanh Hóa's 3-day walks: -127 and -240 on seeds 1 and 3;
#: benchmarks/RESULTS.md, section 5m).
#: A plan of first passes only (a work limit) over more than 150 communes that all get their
#: pass is searched by four walks that share the route pool and cross their bests
#: (``islands``): the core alone on Thái Bình's month (242 communes), seeds 1-12, 19,847.17
#: -> 19,847.86 at the same work; Hà Giang's month (193) level or better, Thanh Hóa's month
#: level (its parts); Bắc Ninh's (121), where one walk makes 2,700 iterations, lost 0.2 on
#: its 3 days and is left to one walk (``islands_above``; benchmarks/RESULTS.md, section 5t).
SEARCH = SearchParams(
    threshold=0.005,
    covered_threshold=0.03,
    pool_size=20_000,
    recombine_every=50,
    pair_moves=True,
    cost_moves=True,
    full_routes_factor=3.0,
    full_routes_stall=120,
    granular=40,
    prune_twins=True,
    split_above=300,
    split_selective=True,
    home_days=True,
    islands=4,
    islands_above=150,
)
#: CP-SAT work per recombination, per second of --time-limit (2.0 at 20 s; a district of the
#: national month, with a fraction of a second, gets about a tenth). Thanh Hóa's first 3 days,
#: the core on the planner's TOP, 720 iterations, seeds 1-3: 35,951 / 35,871 / 35,906 with 0.5
#: (0.025 per second) and presolve on, 36,040 / 35,866 / 35,872 with presolve off,
#: 36,262 / 36,104 / 35,915 with presolve off and 2.0 (benchmarks/RESULTS.md, section 5g).
RECOMBINE_WORK_PER_SECOND = 0.1
#: The core's work (``SearchParams.full_routes_work``, about seconds, counted) per second of
#: --time-limit past which a search whose days are full is not lengthened: the 3 times its
#: iterations of ``full_routes_factor`` took Thanh Hóa's first 3 days (547 communes, 52
#: team-days) to 60-65 s at a 20 s limit, and PyVRP, given as long, gains more from the
#: time than the core (benchmarks/RESULTS.md, section 5p). Thái Bình's first 3 days, whose
#: lengthened search is about 18 s, are not changed.
FULL_ROUTES_WORK_PER_SECOND = 1.0
#: The core's work (``SearchParams.work_limit``) per second of --time-limit when its routes
#: are the whole plan (:func:`routing_only`: the CP-SAT month is skipped, and the time is
#: the core's): past its iterations the search goes on until its counted work reaches this,
#: instead of stopping at its iterations (Bắc Ninh's month, 121 communes, stopped after 3 s
#: of 20 at 14,654.4, PyVRP 14,654.9); the rest of the time is the recombination of the
#: candidates and the fill. The planner on the campaign benchmark, seeds 1-3, mean against
#: PyVRP's: Bắc Ninh's month -0.5 -> -0.1 (14,654.4 / 14,654.3 / 14,654.6 in 4.5-6.5 s ->
#: 14,654.8 / 14,654.9 / 14,655.0 in about 20 s), its 3 days +0.1, Thái Bình's 3 days +6.3 ->
#: +7.3, Quảng Trị's -0.6 -> +0.5, Hà Giang's +3.4 -> +4.5; in parts (its parts' walks
#: share the work the whole walk left), Thanh Hóa's month -2.2 -> -1.6 (benchmarks/RESULTS.md,
#: 5q).
WHOLE_PLAN_WORK_PER_SECOND = 0.9


def improving_factor(communes: int) -> float:
    """How far past its iteration budget the core may go while it still improves
    (``SearchParams.improving_factor``): (250 / communes)^1.5, between 3 and 8.

    The budget (:data:`ITERATIONS_PER_SECOND`) was set on a 250-commune province; an
    iteration on a smaller one costs less (a 120-commune province does about 80 a second, a
    250-commune one 25), so the same time limit affords more of them. They are spent only
    while the walk still finds new bests in its second half, so a part that has converged
    (a district of the national month) stops at the budget: Quảng Trị's month 6,615.7 ->
    6,616.6 (PyVRP 6,616.6), its first 3 days 6,607.8 -> 6,611.2 (PyVRP 6,610.9)
    (benchmarks/RESULTS.md, section 5h).

    At least as far as a search whose days are full goes anyway (``full_routes_factor``, 3):
    the budget was set on a short campaign, and a month's iteration, once every commune has
    its pass, costs half as much (Thái Bình's month, 242 communes: 240 iterations in about
    5 s). Thái Bình's month, the core alone, seeds 1-6: 19,845.9 -> 19,847.3 on average
    (PyVRP about 19,848), Hà Giang's +0.1; a search whose days are full, or a province in
    parts, is not changed (benchmarks/RESULTS.md, section 5n)."""
    if communes <= 0:
        return 1.0
    return min(8.0, max(SEARCH.full_routes_factor, (250 / communes) ** 1.5))


def routing_only(instance: Instance) -> bool:
    """Whether the province's plan is nothing but the first passes' routes, a Team
    Orienteering Problem the core solves as a whole: no conference may be held (the scenario
    forbids them, as under a ban on gatherings, or no hall is open), no commune may have a
    second pass, no district is owed a minimum, and the plan is not a re-plan (whose
    stability bonus only the CP-SAT month weighs).

    There the CP-SAT month, which decides the month on an estimate of each day's driving,
    adds nothing the core has not found: on the campaign benchmark's passes-only instances
    (Thanh Hóa, Thái Bình, Bắc Ninh; the month and its first 3 days, seed 1, 20 s) its plan
    was below the core's on every one, 0.1-12 % below, and the recombination of
    the candidates' routes kept the core's value, while it took half the planner's time
    (17 s of Thanh Hóa's month's 34 s). So :func:`planner.solve.solve_province` skips it
    (benchmarks/RESULTS.md, section 5o)."""
    if instance.keep_bonus or instance.n_teams == 0:
        return False
    conference_possible = bool(
        (instance.conf_open & (instance.conferences_left > 0)[:, None]).any()
        and instance.team_hosts_conferences.any()
    )
    second_pass = bool((instance.passes_left > 1).any())
    owed = any(instance.min_passes_left.values()) or any(instance.min_conferences_left.values())
    return not (conference_possible or second_pass or owed)


@dataclass(frozen=True)
class CoreSearch:
    """What the core is asked for a province: the TOP (one route per working team-day, in
    ``team_days`` order), the iterations and the settings. :func:`core_routes` solves it;
    benchmarks/core_alone.py runs the core on it alone (the search's own value, seeds,
    settings), with the same inputs as the planner."""

    problem: Problem
    team_days: tuple[tuple[int, int], ...]
    max_iterations: int
    params: SearchParams


def core_search(
    instance: Instance, *, time_limit: float, whole_plan: bool = False
) -> CoreSearch | None:
    """The core's TOP and settings for ``instance`` at ``time_limit``, or None when the core
    does not run (no working team-day, or teams that drive different vehicles). With
    ``whole_plan`` (:func:`routing_only`) the search uses the time limit as a counted work
    limit (:data:`WHOLE_PLAN_WORK_PER_SECOND`)."""
    problem = instance.problem
    vehicles = {team.vehicle for team in problem.teams}
    team_days = [
        (t, int(d)) for t in range(instance.n_teams) for d in np.flatnonzero(instance.team_works[t])
    ]
    if len(vehicles) != 1 or not team_days:
        return None
    n_c = instance.n_communes
    bases = sorted({int(instance.team_base_site[t]) for t, _ in team_days})
    sites = list(range(n_c)) + bases
    node_of_base = {site: n_c + k for k, site in enumerate(bases)}
    minutes = instance.minutes[next(iter(vehicles))][np.ix_(sites, sites)].astype(np.float64)
    open_on_some_day = (instance.pass_open & instance.team_works.any(axis=0)).any(axis=1)
    prizes = np.zeros(len(sites))
    prizes[:n_c] = np.where(open_on_some_day, instance.pass_points[:, 0], 0.0)
    service = np.zeros(len(sites))
    service[:n_c] = instance.dwell
    starts = [node_of_base[int(instance.team_base_site[t])] for t, _ in team_days]
    # a team-day may pass through a commune open that day inside the team's territory
    allowed = np.zeros((len(team_days), len(sites)), dtype=np.bool_)
    for r, (t, d) in enumerate(team_days):
        allowed[r, :n_c] = instance.pass_open[:, d] & instance.team_may_visit[t, :n_c]
    per_km = problem.weights.travel_cost_per_km
    arc_costs = travel_cost(problem.weights, instance.km[np.ix_(sites, sites)].astype(np.float64))
    tsp = make_problem(
        minutes,
        prizes,
        n_routes=len(team_days),
        start=starts,
        end=starts,
        max_duration=[float(problem.teams[t].working_day.usable_minutes) for t, _ in team_days],
        service_times=service,
        name=problem.province_code,
        arc_costs=arc_costs if per_km > 0 else None,
        allowed=allowed,
    )
    return CoreSearch(
        problem=tsp,
        team_days=tuple(team_days),
        max_iterations=max(1, round(ITERATIONS_PER_SECOND * time_limit)),
        params=replace(
            SEARCH,
            recombine_work=RECOMBINE_WORK_PER_SECOND * time_limit,
            improving_factor=improving_factor(int(np.count_nonzero(prizes))),
            full_routes_work=FULL_ROUTES_WORK_PER_SECOND * time_limit,
            work_limit=WHOLE_PLAN_WORK_PER_SECOND * time_limit if whole_plan else 0.0,
            split_selective=SEARCH.split_selective and whole_plan,
        ),
    )


def core_routes(
    instance: Instance, *, time_limit: float, seed: int, whole_plan: bool = False
) -> Routes:
    """First passes chosen and ordered by the orienteering core (:func:`core_search`), kept
    where the rules allow."""
    search = core_search(instance, time_limit=time_limit, whole_plan=whole_plan)
    if search is None:
        return {}
    result = solve_orienteering(
        search.problem,
        time_limit=UNTIMED,
        seed=seed,
        max_iterations=search.max_iterations,
        params=search.params,
    )
    n_c = instance.n_communes
    routes: Routes = {}
    usage = Usage(pass_days={}, conference_days={})
    for (t, d), nodes in zip(search.team_days, result.routes, strict=True):
        kept: list[Visit] = []
        for node in nodes[1:-1]:
            visit: Visit = ("pass", int(node))
            if node >= n_c or not may_add(instance, usage, routes, (t, d), visit):
                continue
            if schedule(instance, (t, d), [*kept, visit]) is None:
                continue
            kept.append(visit)
            usage.add(visit, d)
        if kept:
            routes[(t, d)] = kept
    return routes
