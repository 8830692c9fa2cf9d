"""The CP-SAT constraint families of the month models, one function each.

Both month models, the month over single visits (`planner.solve.month`) and the
recombination of day routes (`planner.solve.recombine`), keep the same rules across days:
pass counting with a lower value for each repeat, spacing, limits per venue and per team,
fairness minimums. Each family is built here once, from *uses*: the decision variables that
stand for a pass through a commune or a conference at a venue on a day (an ``x`` or ``y``
of the month, a day route ``w`` of the recombination, which may carry several visits).

The rules' quantities come from `planner.rules` and the instance (points, minimums left,
limits left after a re-plan's done stops). The objective is a list of (integer coefficient,
variable) terms, points scaled by `SCALE`; a family that values its variables appends to it.

The order in which a family adds variables and constraints is part of the model: with a
seed and a work limit fixed, the same model gives the same plan.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal

import numpy as np
from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import LinearExpr

from planner.rules import spacing

if TYPE_CHECKING:
    from planner.domain import Weights
    from planner.instance import Instance

#: Points are scaled to integers: 1 point = SCALE (two decimals of a person kept).
SCALE = 100

Objective = list[tuple[int, cp_model.IntVar]]
#: (day, variable) pairs per commune or venue: the variable stands for a visit there that day.
Uses = dict[int, list[tuple[int, cp_model.IntVar]]]


def scaled(points: float) -> int:
    """An objective coefficient: points x `SCALE`, rounded (CP-SAT takes integers only)."""
    return round(SCALE * points)


def add_spacing(
    model: cp_model.CpModel, uses: list[tuple[int, cp_model.IntVar]], min_days_between: int
) -> None:
    """At most one use in any window of ``min_days_between`` consecutive days (at least one
    day: `planner.rules.spacing`).

    Why: a repeat pass soon after the last tells the same people the same thing; a
    conference needs its invitations to go out again. ``uses`` are (day, variable) pairs for
    one place: passes in a commune, or conferences at a venue. Every pair of days too close
    together lies in the window starting at the first, so two uses d1 < d2 then always have
    d2 - d1 >= the gap (and never two on one day). A window with one variable needs no
    constraint.
    """
    by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for d, var in uses:
        by_day[d].append(var)
    days = sorted(by_day)
    for start in days:
        days_in = spacing.window(start, min_days_between)
        window = [var for d in days if d in days_in for var in by_day[d]]
        if len(window) > 1:
            model.add(LinearExpr.sum(window) <= 1)


def add_passes(
    model: cp_model.CpModel, instance: Instance, uses: Uses, objective: Objective
) -> None:
    """Per commune: its passes are counted, valued with diminishing returns, and spaced.

    Why: the k-th pass through a commune reaches fewer people than the one before
    (`planner.rules.reach.pass_people`), so a pass is worth the value of its rank, not of
    the variable that makes it. Boolean z[c,k] = "commune c gets at least k passes":
    sum_k z[c,k] = the commune's uses, z[c,k+1] => z[c,k], and the objective earns
    pass_points[c,k] on z[c,k]. At most the passes left (`max_passes` less a re-plan's done
    ones). Then `add_spacing` with ``min_days_between_passes``.
    """
    min_days_between = instance.problem.passes.min_days_between
    for c, items in uses.items():
        k_max = min(int(instance.passes_left[c]), len(items))
        z = [model.new_bool_var(f"z_{c}_{k}") for k in range(k_max)]
        model.add(LinearExpr.sum(z) == LinearExpr.sum([var for _, var in items]))
        for k in range(k_max - 1):
            model.add_implication(z[k + 1], z[k])
        for k in range(k_max):
            objective.append((scaled(float(instance.pass_points[c, k])), z[k]))
        add_spacing(model, items, min_days_between)


def add_conferences_per_venue(model: cp_model.CpModel, instance: Instance, uses: Uses) -> None:
    """Per venue: at most the conferences left (``max_per_venue`` less a re-plan's done
    ones), spaced ``min_days_between_at_venue`` days apart (`add_spacing`).

    Why: a venue's catchment is invited once or twice, not every day; the hall and its
    staff are the post office's.
    """
    min_days_between = instance.problem.conferences.min_days_between
    for v, items in uses.items():
        model.add(LinearExpr.sum([var for _, var in items]) <= int(instance.conferences_left[v]))
        add_spacing(model, items, min_days_between)


def add_conferences_per_team_day(
    model: cp_model.CpModel, uses: dict[tuple[int, int], list[cp_model.IntVar]], limit: int
) -> None:
    """At most ``limit`` (``max_per_team_day``) conferences per team-day.

    Why: a conference takes the whole crew for its duration and its slot (morning or
    afternoon); ``uses`` maps a team-day (t, d) to its conference variables. (The
    recombination needs no such constraint: each of its day routes keeps the limit.)
    """
    for vars_ in uses.values():
        model.add(LinearExpr.sum(vars_) <= limit)


def add_conferences_per_team_week(
    model: cp_model.CpModel,
    uses: dict[tuple[int, int], list[tuple[cp_model.IntVar, int]]],
    week_of_day: np.ndarray,
    limit: int | None,
    done: dict[tuple[int, int], int] | None = None,
) -> None:
    """At most ``limit`` conferences per team and calendar week (Monday to Sunday).

    Why: a conference is prepared days ahead (invitations through the commune and the post
    office), so a team holds one on some days of a week, not every day. ``uses`` maps a
    team-day (t, d) to (variable, conferences it stands for): a conference variable of the
    month model counts 1, a day route of the recombination counts its conferences. ``done``:
    a re-plan's conferences already held per (team, week), which count toward the limit.
    """
    if limit is None:
        return
    by_week: dict[tuple[int, int], list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for (t, d), items in uses.items():
        by_week[(t, int(week_of_day[d]))].extend(items)
    for key, items in by_week.items():
        left = max(0, limit - (done or {}).get(key, 0))
        if sum(n for _, n in items) > left:
            model.add(
                LinearExpr.weighted_sum([var for var, _ in items], [n for _, n in items]) <= left
            )


def by_group(
    instance: Instance, uses: Uses, kind: Literal["pass", "conference"]
) -> dict[str, list[cp_model.IntVar]]:
    """The variables of ``uses`` (per commune, or per venue) gathered per group, in order."""
    problem = instance.problem
    grouped: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for index, items in uses.items():
        group = (
            problem.communes[index].group_code
            if kind == "pass"
            else problem.venues[index].group_code
        )
        grouped[group].extend(var for _, var in items)
    return grouped


def minimum_penalty(weights: Weights, objective: Objective) -> int:
    """The cost of one stop missing from a group's minimum: more than all the value in the
    objective so far, and at least ``fairness_penalty``.

    Why: minimums are met whenever some plan can meet them (lexicographic: fairness first,
    then value); ``fairness_penalty`` is only a floor. Call it once every valued term is in.
    """
    total_value = sum(coef for coef, _ in objective if coef > 0)
    return max(scaled(weights.fairness_penalty), total_value + 1)


def add_group_minimums(
    model: cp_model.CpModel,
    instance: Instance,
    passes: Uses,
    conferences: Uses,
    objective: Objective,
) -> None:
    """Fairness minimums, soft: per group, its passes (conferences) + a shortfall s[g] >=
    the minimum still owed (`planner.rules.minimums`), each unit of shortfall costing
    `minimum_penalty`.

    Why: a hard minimum would make a month infeasible wherever the rules close a group's
    communes; a soft one with a penalty above every value is met whenever it can be, and the
    plan reports the groups it could not serve. ``passes`` and ``conferences`` are the uses
    per commune and per venue.
    """
    penalty = minimum_penalty(instance.problem.weights, objective)
    for minimums, table in (
        (instance.min_passes_left, by_group(instance, passes, "pass")),
        (instance.min_conferences_left, by_group(instance, conferences, "conference")),
    ):
        for group_code, vars_ in sorted(table.items()):
            minimum = minimums.get(group_code, 0)
            if minimum <= 0:
                continue
            short = model.new_int_var(0, minimum, f"short_{group_code}")
            model.add(LinearExpr.sum(vars_) + short >= minimum)
            objective.append((-penalty, short))


def maximize(model: cp_model.CpModel, objective: Objective) -> None:
    """The model's objective: maximise the sum of its (coefficient, variable) terms."""
    model.maximize(
        LinearExpr.weighted_sum([var for _, var in objective], [coef for coef, _ in objective])
    )
