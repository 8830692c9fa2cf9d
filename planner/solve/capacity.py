"""Spare capacity: which team-days are light or idle, and why.

A plan that says "649 of 650 team-days used" while most days end before noon hides what a
provincial director most needs to know: how many team-days the month really needs. Here each
working team-day is classed as

- **idle**: no route at all;
- **light**: a route whose time out (leaving the base to coming back, lunch excluded) is
  under half the team's usable working minutes;
- **full**: the rest;

and every idle or light day gets its reason, found by asking the rules (not the timing) whether
anything could still be added to that team-day:

- **exhausted**: nothing the rules allow is left in the team's territory that day: every
  commune has all the passes the rules allow (at most `max_passes`, spaced
  `min_days_between` days), every venue its conferences (per venue, per team-week), or the
  rules in force close what is left;
- **no_fit**: visits are still allowed, but none fits in the day's working hours (too far to
  drive there and back, or past the conference slots).
- **not_needed** (compact mode only): visits are still allowed, but the plan does without
  this day: its work was moved to the team's other days at a loss within the tolerance.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from planner.instance import Instance
from planner.plan import TeamDayRoute
from planner.solve.routes import Routes, Usage, Visit, may_add

LIGHT_SHARE = 0.5


def time_out(route: TeamDayRoute) -> int:
    """Minutes from leaving the base to coming back, lunch excluded."""
    return route.return_min - route.depart_min - route.lunch_minutes


def _why(instance: Instance, routes: Routes, usage: Usage, t: int, d: int) -> str:
    """'exhausted' if the rules allow nothing more on this team-day, else 'no_fit'."""
    candidates: list[Visit] = [
        ("pass", int(c))
        for c in np.flatnonzero(
            instance.pass_open[:, d] & instance.team_may_visit[t, : instance.n_communes]
        )
    ]
    candidates += [
        ("conference", int(v))
        for v in np.flatnonzero(
            instance.conf_open[:, d] & instance.team_may_visit[t, instance.n_communes :]
        )
    ]
    team_day = (t, d)
    visits = routes.get(team_day, [])
    for visit in candidates:
        if visit in visits:
            continue
        if may_add(instance, usage, routes, team_day, visit):
            return "no_fit"
    return "exhausted"


NOTES = {
    "exhausted": (
        "Ngày nhẹ: trong địa bàn của đội không còn việc mà quy định cho phép hôm nay (mỗi xã "
        "đã có đủ số lượt tuyên truyền, cách nhau đủ ngày; mỗi điểm đã có đủ hội nghị)."
    ),
    "no_fit": (
        "Ngày nhẹ: những điểm còn lại không vừa trong giờ làm việc hôm nay (quá xa để đi và "
        "về, hoặc ngoài khung giờ hội nghị)."
    ),
    "not_needed": (
        "Ngày nhẹ: kế hoạch gọn (ít ngày-đội nhất) không cần thêm việc hôm nay; việc còn lại "
        "đã dồn sang các ngày khác của đội."
    ),
}


def spare_capacity(
    instance: Instance, routes: Routes, timed: tuple[TeamDayRoute, ...]
) -> tuple[tuple[TeamDayRoute, ...], dict[str, int]]:
    """The routes with a note on each light day, and the counts of idle and light days by reason."""
    problem = instance.problem
    usage = Usage.of(routes)
    by_key = {(r.team_id, r.date): r for r in timed}
    counts = {"light": 0, "idle": 0, "exhausted": 0, "no_fit": 0, "not_needed": 0}
    compact = problem.weights.compact_tolerance is not None
    noted: dict[tuple[str, object], TeamDayRoute] = {}
    for t, team in enumerate(problem.teams):
        usable = team.working_day.usable_minutes
        for d in np.flatnonzero(instance.team_works[t]).tolist():
            route = by_key.get((team.team_id, problem.dates[d]))
            if route is not None and time_out(route) >= LIGHT_SHARE * usable:
                continue
            why = _why(instance, routes, usage, t, d)
            if compact and why == "no_fit":
                why = "not_needed"
            counts["idle" if route is None else "light"] += 1
            counts[why] += 1
            if route is not None:
                noted[(route.team_id, route.date)] = replace(route, note=NOTES[why])
    out = tuple(noted.get((r.team_id, r.date), r) for r in timed)
    return out, counts
