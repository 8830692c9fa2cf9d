"""Solve one province: greedy baseline -> CP-SAT month -> routed days -> fill -> Plan.

Candidates: the construction (cheapest insertion, days re-ordered by the routing library),
the greedy baseline filled, the orienteering core's first passes filled (core.py), the
CP-SAT month routed and filled, and the CP-SAT recombination of all their timed routes;
the best by (missed minimums, value) is the plan. A province whose plan is nothing but
first passes (no conference, one pass per commune, no minimum: ``routing_only``) is a Team
Orienteering Problem: the CP-SAT month is skipped there, the core's candidate is the plan's
heart.

Why this design (see README, "How the plan is made"): CP-SAT is strong at assignment with
side rules (which commune on which day for which team, conferences against caps, limits and
spacing, fairness minimums); the routing library is good at short day routes with time
windows and a break. The month is decided on an estimate of each day's driving, every day
is then routed and timed exactly, and the time left is filled by cheapest insertion. The
greedy baseline seeds CP-SAT and is reported beside the plan, with an upper bound.
"""

from __future__ import annotations

import itertools
import time

import numpy as np

from planner.errors import BoundBelowPlanError
from planner.instance import Instance
from planner.plan import Kpis, ProvincePlan, Unserved
from planner.rules.minimums import still_owed
from planner.rules.schedule import StopRequest
from planner.solve.bound import upper_bound
from planner.solve.capacity import spare_capacity
from planner.solve.compact import compact_routes
from planner.solve.core import core_routes, routing_only
from planner.solve.day import improve_days, order_day
from planner.solve.evaluate import Evaluation, evaluate
from planner.solve.fill import fill_routes
from planner.solve.greedy import greedy_routes
from planner.solve.month import candidate_teams, plan_month
from planner.solve.recombine import recombine
from planner.solve.routes import (
    Routes,
    fairness_shortfall,
    protected_visits,
    published_routes,
    stop_request,
)

__all__ = ["solve_province"]

# CP-SAT deterministic work units per second of --time-limit, measured on the demo (about
# 1.8 s of wall time per unit on a 2-core machine): the limit is a work limit, so plans are
# reproducible, and the wall time roughly follows it.
WORK_PER_SECOND = 0.5


def solve_province(
    instance: Instance, *, time_limit: float, seed: int, workers: int = 1
) -> ProvincePlan:
    """Plan one province. ``time_limit`` is CP-SAT's work limit (deterministic seconds)."""
    started = time.perf_counter()
    problem = instance.problem
    greedy = greedy_routes(instance)
    greedy_eval = evaluate(instance, greedy)
    notes: list[str] = list(problem.notes)
    # A strong start: the most valuable visits by cheapest insertion into empty days.
    construction = fill_routes(instance, improve_days(instance, fill_routes(instance, {})))
    candidates: list[tuple[str, Routes]] = [
        ("construction", construction),
        ("greedy, filled", fill_routes(instance, greedy)),
    ]
    routing = routing_only(instance)
    core = core_routes(instance, time_limit=time_limit, seed=seed, whole_plan=routing)
    if core:
        candidates.append(("orienteering core", fill_routes(instance, core)))
    hint = construction
    if instance.keep_bonus:  # a re-plan: the published plan, as far as it still holds
        hint = fill_routes(instance, published_routes(instance))
        candidates.append(("published, kept", hint))
    status = "NO_TEAMS"
    if core and routing:  # a team-less province is never routing only
        status = "ROUTING_ONLY"  # the first passes' routes are the plan: the core's work
        notes.append("cp-sat month: skipped (routing only: no conference, one pass a commune)")
    elif instance.n_teams > 0:
        month, status = plan_month(
            instance,
            hint=hint,
            work_limit=time_limit * WORK_PER_SECOND * 0.75,
            seed=seed,
            workers=workers,
        )
        if month:
            protected = frozenset(protected_visits(instance, month))
            routed = {td: order_day(instance, td, v, protected) for td, v in sorted(month.items())}
            candidates.insert(0, ("cp-sat month", fill_routes(instance, routed)))
    scored = _score(instance, candidates)
    if instance.n_teams > 0:
        # The month over real day routes: CP-SAT recombines the candidates' timed routes.
        best_routes = max(scored, key=lambda item: item[0])[2]
        pooled, pool_status = recombine(
            instance,
            [routes for _, routes in candidates],
            hint=best_routes,
            work_limit=time_limit * WORK_PER_SECOND * 0.25,
            seed=seed,
            workers=workers,
        )
        if pooled:
            status = pool_status
            recombined = fill_routes(instance, pooled)
            scored = _score(instance, [("cp-sat recombined", recombined)]) + scored
    best = max(scored, key=lambda item: item[0])
    _, chosen, filled, final = best
    notes.append(
        "candidates: " + ", ".join(f"{name} {ev.objective:.0f}" for _, name, _, ev in scored)
    )
    notes.append(f"plan from: {chosen}")
    tolerance = problem.weights.compact_tolerance
    if tolerance is not None and filled:
        compacted = compact_routes(instance, filled, tolerance)
        used_before = len(final.routes)
        filled, final = compacted, evaluate(instance, compacted)
        notes.append(
            f"compact: {len(final.routes)} team-days needed instead of {used_before}, "
            f"value {final.objective:.0f} (within {tolerance:.0%} of {best[3].objective:.0f})"
        )
    bound = checked_bound(upper_bound(instance), final.objective, problem.province_code)
    unserved = unserved_places(instance, filled, final)
    routes, spare = spare_capacity(instance, filled, final.routes)
    kpis = Kpis(
        people_reached=final.people_reached,
        expected_enrolments=final.expected_enrolments,
        passes=final.passes,
        conferences=final.conferences,
        team_days_used=len(final.routes),
        team_days_available=int(instance.team_works.sum()),
        travel_km=final.travel_km,
        objective=final.objective,
        upper_bound=bound,
        greedy_value=greedy_eval.objective,
        solve_seconds=time.perf_counter() - started,
        light_team_days=spare["light"],
        spare_exhausted=spare["exhausted"],
        spare_no_fit=spare["no_fit"],
        spare_not_needed=spare["not_needed"],
    )
    return ProvincePlan(
        province_code=problem.province_code,
        province_name=problem.province_name,
        group_label=problem.group_label,
        routes=routes,
        unserved=unserved,
        kpis=kpis,
        n_communes=instance.n_communes,
        target_people=sum(c.target_people for c in problem.communes),
        solver_status=status,
        notes=tuple(notes),
    )


def checked_bound(bound: float, objective: float, province_code: str) -> float:
    """The bound, after checking that it is not below the plan (which would be a bug)."""
    if objective > bound + 1e-6 * max(1.0, abs(bound)):
        raise BoundBelowPlanError(
            f"internal: province {province_code}: the upper bound {bound:.3f} is below the "
            f"plan's value {objective:.3f}; the bound's relaxation is wrong"
        )
    return bound


def _score(
    instance: Instance, candidates: list[tuple[str, Routes]]
) -> list[tuple[tuple[int, float], str, Routes, Evaluation]]:
    """Plans compare by missed fairness minimums first, then by value; ties keep the first."""
    scored = []
    for name, routes in candidates:
        evaluation = evaluate(instance, routes)
        value = evaluation.objective + evaluation.stability
        key = (-fairness_shortfall(instance, routes), round(value, 6))
        scored.append((key, name, routes, evaluation))
    return scored


def unserved_places(instance: Instance, routes: Routes, final: Evaluation) -> tuple[Unserved, ...]:
    """Every commune with no pass, island group and unmet fairness minimum, with its reason."""
    problem = instance.problem
    served = {s.commune_code for r in final.routes for s in r.stops if s.kind == "pass"}
    out: list[Unserved] = []
    for c, commune in enumerate(problem.communes):
        if commune.code in served:
            continue
        reason, detail, minutes = _commune_reason(instance, routes, c)
        value = float(instance.pass_points[c, 0]) if reason == "no_time_left" else 0.0
        out.append(
            Unserved(
                kind="commune",
                code=commune.code,
                name=commune.name,
                group_code=commune.group_code,
                reason=reason,
                detail=detail,
                value_lost=value,
                insertion_minutes=minutes,
            )
        )
    for group in problem.groups:
        if group.n_communes == 0:
            out.append(
                Unserved(
                    kind="group",
                    code=group.code,
                    name=group.name,
                    group_code=group.code,
                    reason="boat_only" if group.boat_only else "no_communes",
                    detail=(
                        f"island {problem.group_label} with no communes in the data; reachable by "
                        "boat only, which team routes do not cover"
                    ),
                )
            )
    out.extend(_fairness_shortfalls(instance, final, out))
    return tuple(out)


def _commune_reason(instance: Instance, routes: Routes, c: int) -> tuple[str, str, int | None]:
    problem = instance.problem
    commune = problem.communes[c]
    levels = problem.rules[c]
    if not problem.passes.allowed:
        return "rule_forbids", "the scenario allows no propaganda passes", None
    if (
        commune.boat_only
        and not instance.team_may_visit[:, c].any()
        and not any(problem.reachable(team, commune) for team in problem.teams)
    ):
        return (
            "boat_only",
            "island commune reachable by boat only; the scenario gives no boat to it (add a "
            "[[boat.crossings]] from a pier its team can drive to)",
            None,
        )
    isolated = [problem.dates[d] for d, lv in enumerate(levels) if lv.isolated]
    forbidden = [
        problem.dates[d] for d, lv in enumerate(levels) if not lv.isolated and not lv.passes_allowed
    ]
    if len(isolated) == len(levels):
        return "isolated", f"isolated on every campaign day ({levels[0].name})", None
    if len(isolated) + len(forbidden) == len(levels):
        return (
            "rule_forbids",
            f"isolated on {len(isolated)} days and passes forbidden by the rule in force on "
            f"{len(forbidden)} days",
            None,
        )
    no_team = _no_team_at_all(instance)
    if no_team is not None:
        return "no_team", no_team, None
    dwell = int(instance.dwell[c])
    if not instance.team_may_visit[:, c].any():
        return (
            "no_team",
            f"outside every team's territory: no team works in {problem.group_label} "
            f"{commune.group_code} ({commune.group_name}); lend one ([[teams.loans]]) or widen "
            "teams.territory",
            None,
        )
    teams = candidate_teams(instance, c, dwell, commune.group_code)
    if not teams:
        return "too_far", "no team base is within a day trip (there, the pass and back)", None
    open_days = instance.pass_open[c] & instance.team_works[teams].any(axis=0)
    if not open_days.any():
        return "no_team", "no team that can reach it works on a day the rules allow a pass", None
    cheapest = None
    for t in teams:
        for d in np.flatnonzero(instance.team_works[t] & instance.pass_open[c]):
            extra = _insertion_minutes(instance, (t, int(d)), routes.get((t, int(d)), []), c)
            cheapest = extra if cheapest is None else min(cheapest, extra)
    return (
        "no_time_left",
        f"every team that can reach it is fully booked on the days it is open; adding it would "
        f"need {cheapest} more minutes in the cheapest team-day",
        cheapest,
    )


def _no_team_at_all(instance: Instance) -> str | None:
    """Why no team of the province works on any campaign day, or None if one does.

    Checked before distances: with no team there is no base to be too far from, and the
    planner must hear that the teams are missing (the team rule found nowhere to base one,
    every team is away, or every base is isolated), not that the communes are too far.
    """
    problem = instance.problem
    where = f"province {problem.province_code} ({problem.province_name})"
    if instance.n_teams == 0:
        return (
            f"no team works in {where}: neither the scenario's team rule (a team at each "
            f"{problem.group_label}'s main post office) nor teams.list gives it one"
        )
    if any(team.days for team in problem.teams):
        return None  # some team works (a re-plan may have closed its days: not this case)
    home = sum(1 for team in problem.teams if team.home_days)
    why = "away ([[teams.absences]])"
    if home == len(problem.teams):
        why = "kept at a base that is isolated"
    elif home:
        why = "away ([[teams.absences]]) or kept at a base that is isolated"
    n = len(problem.teams)
    if n == 1:
        return f"the only team of {where} works on no campaign day: it is {why} on all of them"
    return f"none of the {n} teams of {where} works on any campaign day: all are {why}"


def _insertion_minutes(instance: Instance, team_day: tuple[int, int], visits: list, c: int) -> int:
    """Extra minutes (driving detour + dwell) to insert a pass in commune c at its cheapest place."""
    t, _ = team_day
    minutes = instance.team_minutes(t)
    base = int(instance.team_base_site[t])
    sites = [base] + [stop_request(instance, v).site for v in visits] + [base]
    detour = min(
        int(minutes[a, c]) + int(minutes[c, b]) - int(minutes[a, b])
        for a, b in itertools.pairwise(sites)
    )
    return detour + StopRequest(site=c, service_minutes=int(instance.dwell[c])).service_minutes


def _fairness_shortfalls(
    instance: Instance, final: Evaluation, unserved: list[Unserved]
) -> list[Unserved]:
    problem = instance.problem
    passes: dict[str, int] = {}
    conferences: dict[str, int] = {}
    for route in final.routes:
        for stop in route.stops:
            table = passes if stop.kind == "pass" else conferences
            table[stop.group_code] = table.get(stop.group_code, 0) + 1
    reasons: dict[str, set[str]] = {}
    for u in unserved:
        if u.kind == "commune":
            reasons.setdefault(u.group_code, set()).add(u.reason)
    out: list[Unserved] = []
    for group in problem.groups:
        for what, minimum, count in (
            ("passes", instance.min_passes_left[group.code], passes.get(group.code, 0)),
            (
                "conferences",
                instance.min_conferences_left[group.code],
                conferences.get(group.code, 0),
            ),
        ):
            if not still_owed(minimum, count):
                continue
            if what == "passes":
                why = sorted(reasons.get(group.code, set()))
                if group.n_communes == 0:
                    why = ["boat_only" if group.boat_only else "no_communes"]
                elif not why:
                    why = ["no_time_left"]
                because = f"its communes were left out for: {', '.join(why)}"
            else:
                why, because = _conference_shortfall_reason(instance, group.code)
            out.append(
                Unserved(
                    kind="group_minimum",
                    code=group.code,
                    name=group.name,
                    group_code=group.code,
                    reason=why[0] if len(why) == 1 else "mixed",
                    detail=(
                        f"{problem.group_label} minimum of {minimum} {what} not met: {count} "
                        f"planned; {because}"
                    ),
                )
            )
    return out


def _conference_shortfall_reason(instance: Instance, group_code: str) -> tuple[list[str], str]:
    """Why a group got fewer conferences than its minimum, from the most to the least basic."""
    problem = instance.problem
    venues = [v for v, venue in enumerate(problem.venues) if venue.group_code == group_code]
    if not venues:
        return ["no_venue"], "it has no post office to hold a conference in"
    if not any(instance.conf_open[v].any() for v in venues):
        return (
            ["rule_forbids"],
            "on every campaign day its venues are isolated, conferences are forbidden, or the "
            "gathering cap (or the hall at the spacing required) leaves no seat",
        )
    no_team = _no_team_at_all(instance)
    if no_team is not None:
        return ["no_team"], no_team
    if not instance.team_hosts_conferences.any():
        return ["no_team"], "no team has the crew a conference needs"
    return (
        ["no_time_left"],
        "the teams that can reach its venues had no free conference slot or time on the days "
        "they were open",
    )
