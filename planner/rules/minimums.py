"""Fairness minimums: every group (district, or cluster in the 2025 structure) gets at least
``[fairness] min_passes_per_group`` passes and ``min_conferences_per_group`` conferences.

Why: the value alone would send teams where the most people live; a remote district with
few target people would get nothing. The minimums are soft in the models (a shortfall is
penalised above every other value, so they are met whenever some plan can meet them) and
reported when missed. A re-plan's done stops count toward them.

Counts are of stops (passes or conferences) whose commune or venue lies in the group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from planner.domain import Fairness, ProvinceProblem

Kind = Literal["pass", "conference"]


def group_minimum(fairness: Fairness, kind: Kind) -> int:
    """The scenario's minimum of passes or conferences per group."""
    return fairness.min_passes_per_group if kind == "pass" else fairness.min_conferences_per_group


def still_owed(minimum: int, count: int) -> int:
    """Stops a group still lacks against a minimum when it has ``count``: minimum - count,
    and never below zero (more than the minimum owes nothing)."""
    return max(0, minimum - count)


def every_one_counts(count: int, minimum: int) -> bool:
    """A group with ``count`` stops at or below its minimum would miss it (or miss it by
    more) if any one of them were dropped: each of them carries the minimum."""
    return count <= minimum


def minimums_left(problem: ProvinceProblem, kind: Kind) -> dict[str, int]:
    """Group code -> what the plan still owes the group's minimum: the minimum less the
    group's done stops of a re-plan (or of the launch day's parades), at least zero."""
    minimum = group_minimum(problem.fairness, kind)
    done: dict[str, int] = {}
    if problem.history is not None:
        if kind == "pass":
            group_of = {c.code: c.group_code for c in problem.communes}
            entries = problem.history.passes_done
        else:
            group_of = {v.venue_id: v.group_code for v in problem.venues}
            entries = problem.history.conferences_done
        for code, days in entries:
            if code in group_of:
                done[group_of[code]] = done.get(group_of[code], 0) + len(days)
    return {g.code: still_owed(minimum, done.get(g.code, 0)) for g in problem.groups}
