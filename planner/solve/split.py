"""Split a province into the parts no team crosses, plan each, and put the plans together.

With the campaign's own territories ("one team per district"), a province is many small
problems side by side: a district's team works only its district, its venues host only its
team, its fairness minimums concern only it, and no rule links two districts. One CP-SAT model
of the whole province must still search them together and, within its work limit, leaves
some far from their best; planned apart, each small part is solved to (or near) optimality
in a fraction of the time. Lending teams ([[teams.loans]], "neighbours", "province") joins the
districts it connects into one part, so the split is always exact: a part is a connected
component of the graph linking each team to the groups (districts or clusters) it may work in.

Groups no team may work in (an island district without a team, a district whose post office
is missing) join the largest part, where their communes are reported with their reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from planner.domain import ProvinceProblem
from planner.plan import Kpis, ProvincePlan


def split_problem(problem: ProvinceProblem) -> list[ProvinceProblem]:
    """The province's independent parts, in order of their first group code (one part if
    the teams connect everything)."""
    groups = [g.code for g in problem.groups]
    parent = {g: g for g in groups}

    def find(g: str) -> str:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    worked: set[str] = set()
    for team in problem.teams:
        if not team.days:
            continue  # away all campaign: its district joins the largest part, which says why
        reach = _groups_worked(problem, team.territory, team.group_code, groups)
        worked.update(reach)
        for g in reach[1:]:
            parent[find(g)] = find(reach[0])
    parts: dict[str, list[str]] = {}
    for g in groups:
        if g in worked:
            parts.setdefault(find(g), []).append(g)
    if len(parts) <= 1:
        return [problem]
    members = sorted(parts.values(), key=lambda gs: min(gs))
    orphans = [g for g in groups if g not in worked]
    if orphans:
        largest = max(range(len(members)), key=lambda i: (_size(problem, members[i]), -i))
        members[largest] = sorted(members[largest] + orphans)
    return [_part(problem, set(gs)) for gs in members]


def _groups_worked(
    problem: ProvinceProblem, territory: tuple[str, ...] | None, home: str, groups: list[str]
) -> list[str]:
    """The groups a team may work in, its own first."""
    if territory is None:
        return [home, *[g for g in groups if g != home]]
    return [home, *[g for g in territory if g != home and g in set(groups)]]


def _size(problem: ProvinceProblem, groups: list[str]) -> int:
    wanted = set(groups)
    return sum(1 for c in problem.communes if c.group_code in wanted)


def _part(problem: ProvinceProblem, groups: set[str]) -> ProvinceProblem:
    """The province restricted to some groups, their communes, venues and teams."""
    keep = [i for i, c in enumerate(problem.communes) if c.group_code in groups]
    codes = {problem.communes[i].code for i in keep}
    return replace(
        problem,
        communes=tuple(problem.communes[i] for i in keep),
        rules=tuple(problem.rules[i] for i in keep),
        groups=tuple(g for g in problem.groups if g.code in groups),
        venues=tuple(v for v in problem.venues if v.group_code in groups),
        teams=tuple(t for t in problem.teams if t.group_code in groups),
        crossings=tuple(b for b in problem.crossings if b.pier_commune in codes),
        notes=tuple(n for n in problem.notes if _note_concerns(n, problem, groups)),
    )


def _note_concerns(note: str, problem: ProvinceProblem, groups: set[str]) -> bool:
    """A problem note (e.g. a team kept home) goes with the part of the team it names; notes
    naming no team go with the first part only."""
    named = [t for t in problem.teams if t.team_id in note]
    if named:
        return any(t.group_code in groups for t in named)
    return min(g.code for g in problem.groups if g.code in groups) == min(
        g.code for g in problem.groups
    )


def time_shares(problem: ProvinceProblem, parts: list[ProvinceProblem]) -> list[float]:
    """Each part's share of the province's search time: its share of the team-days, at least
    a fifth of an equal share (a part with few teams still gets a fair search)."""
    days = [sum(len(t.days) for t in part.teams) for part in parts]
    total = sum(days) or 1
    floor = 0.2 / len(parts)
    raw = [max(floor, d / total) for d in days]
    scale = sum(raw)
    return [r / scale for r in raw]


def solve_in_parts(
    problem: ProvinceProblem, solve: Callable[[ProvinceProblem, float], ProvincePlan], time: float
) -> ProvincePlan:
    """Plan the province part by part (`split_problem`) with ``solve(part, time)`` and merge."""
    parts = split_problem(problem)
    if len(parts) == 1:
        return solve(problem, time)
    plans = [
        solve(part, time * share)
        for part, share in zip(parts, time_shares(problem, parts), strict=True)
    ]
    return merge_parts(problem, plans)


#: CP-SAT statuses from the weakest claim to the strongest: a merged plan reports the weakest
#: of its parts (OPTIMAL only when every part is).
STATUS_STRENGTH = ("UNKNOWN", "MODEL_INVALID", "INFEASIBLE", "NO_TEAMS", "FEASIBLE", "OPTIMAL")


def merge_parts(problem: ProvinceProblem, plans: list[ProvincePlan]) -> ProvincePlan:
    """One province plan from its parts' plans: routes, unserved places and figures added."""
    kpis = Kpis(
        **{name: sum(getattr(p.kpis, name) for p in plans) for name in Kpis.__dataclass_fields__}
    )
    statuses = {p.solver_status for p in plans}
    weakest = min(statuses, key=lambda s: STATUS_STRENGTH.index(s) if s in STATUS_STRENGTH else 0)
    notes: list[str] = [f"planned in {len(plans)} independent parts (no team crosses them)"]
    sources: dict[str, int] = {}
    for p in plans:
        for note in p.notes:
            if note.startswith("plan from: "):
                source = note.removeprefix("plan from: ")
                sources[source] = sources.get(source, 0) + 1
            elif not note.startswith("candidates: ") and note not in notes:
                notes.append(note)
    notes.append(
        "plan from: "
        + ", ".join(
            f"{source} ({n} parts)" for source, n in sorted(sources.items(), key=lambda kv: -kv[1])
        )
    )
    return ProvincePlan(
        province_code=problem.province_code,
        province_name=problem.province_name,
        group_label=problem.group_label,
        routes=tuple(
            sorted((r for p in plans for r in p.routes), key=lambda r: (r.date, r.team_id))
        ),
        unserved=tuple(u for p in plans for u in p.unserved),
        kpis=kpis,
        n_communes=sum(p.n_communes for p in plans),
        target_people=sum(p.target_people for p in plans),
        solver_status=weakest,
        notes=tuple(notes),
    )
