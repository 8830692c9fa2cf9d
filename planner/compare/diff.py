"""Plans side by side: their figures, the differences by province and group, and per team.

`compare_plans(folders)` reads each run folder and compares every plan with the FIRST one,
the baseline:

1. **Plans.** Each plan's totals (`Figures`): reach, enrolments and their band, conferences,
   passes, team-days, travel, value against the upper bound, communes left out by reason.
2. **Provinces and groups.** The same figures per province (from summary.json) and per group
   (district or cluster, summed from schedule.csv and unserved.csv: reach, enrolments,
   passes, conferences, communes left out), each with its difference against the baseline.
   A unit a plan does not cover counts as 0 in the difference (nobody is reached there).
   Units come largest absolute difference in reach first (then in enrolments, then by code).
3. **Teams.** When two plans share team ids (a variant of the same scenario, a re-plan),
   each team's stops are matched: the same stop (kind, commune, venue) on the same day is
   kept (its position in the day may change), on another day it moved; what is left is
   added (only in the plan) or removed (only in the baseline).

4. **Against the record, realism, capacity.** summary.json's `history`, `realism` and
   `capacity` blocks (`planner.history`), plan by plan (`SECTIONS`): the plan as a national
   month beside the best month on record and 2019's conferences, with the ratios and
   warnings; stops outside the team's territory, conferences per team-week, new participants
   per conference; team-days full, light and idle, and why. A plan written before a block
   existed shows "—" there. Then the marginal figures (`MARGINALS`, issue 15): each plan's
   extra new participants (expected enrolments) per extra team-day used, per extra km and
   per extra team, against the baseline.

Plans on different structures ("2020" and "2025") are compared in the 2025 structure through
`planner.compare.crosswalk` (2020 provinces mapped whole, communes by their centroids); the
comparison carries its caveat line in `notes`. Districts do not exist in 2025, so groups are
then 2025 clusters; teams are not compared (their ids mean different things).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from planner.compare.crosswalk import Crosswalk, crosswalk_2020_to_2025
from planner.compare.load import (
    CapacityFigures,
    Figures,
    HistoryFigures,
    PlanOutputs,
    RealismFigures,
    ScheduledStop,
    load_plan_outputs,
    sum_figures,
)
from planner.errors import CompareError, DataError
from planner.messages import msg

__all__ = [
    "CHANGE_KINDS",
    "GROUP_METRICS",
    "HISTORY_WARNINGS",
    "MARGINALS",
    "PLAN_METRICS",
    "SECTIONS",
    "TEAMS",
    "CompareError",
    "Comparison",
    "Marginal",
    "Metric",
    "PlanColumn",
    "Section",
    "StopChange",
    "TeamChanges",
    "UnitComparison",
    "compare_outputs",
    "compare_plans",
    "metrics_for",
    "team_changes",
]

Level = Literal["province", "group"]
ChangeKind = Literal["added", "removed", "moved"]
TeamStatus = Literal["both", "only_plan", "only_baseline"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("added", "removed", "moved")
GROUP_LABELS = {"2020": "district", "2025": "cluster"}


@dataclass(frozen=True)
class Metric:
    """One figure of the comparison: its name in compare.csv, words, and how it is read."""

    name: str
    label: str
    digits: int  # decimals shown
    read: Callable[[Figures], float | None]
    additive: bool = True  # an absent unit counts as 0 in differences
    percent: bool = False
    compared: bool = True  # False: a figure of the record, the same for every plan


def _band_part(part: str) -> Callable[[Figures], float | None]:
    def read(f: Figures) -> float | None:
        return None if f.band is None else float(getattr(f.band, part))

    return read


def _reason_count(reason: str) -> Callable[[Figures], float | None]:
    def read(f: Figures) -> float | None:
        return float(dict(f.unserved_by_reason).get(reason, 0))

    return read


PLAN_METRICS: tuple[Metric, ...] = (
    Metric("expected_reach", "expected reach", 0, lambda f: f.expected_reach),
    Metric("expected_enrolments", "expected enrolments", 1, lambda f: f.expected_enrolments),
    Metric("enrolments_p10", "enrolments p10", 1, _band_part("p10"), additive=False),
    Metric("enrolments_p50", "enrolments p50", 1, _band_part("p50"), additive=False),
    Metric("enrolments_p90", "enrolments p90", 1, _band_part("p90"), additive=False),
    Metric("conferences", "conferences", 0, lambda f: f.conferences),
    Metric("passes", "passes", 0, lambda f: f.passes),
    Metric("team_days", "team-days used", 0, lambda f: f.team_days),
    Metric("team_days_available", "team-days available", 0, lambda f: f.team_days_available),
    Metric("travel_km", "travel km", 0, lambda f: f.travel_km),
    Metric("objective", "value", 0, lambda f: f.objective),
    Metric("upper_bound", "upper bound", 0, lambda f: f.upper_bound),
    Metric("gap", "gap to bound", 1, lambda f: f.gap, additive=False, percent=True),
    Metric("unserved_communes", "communes left out", 0, lambda f: f.unserved_communes),
)
"""Figures of a plan or a province; `metrics_for` adds one row per reason for leaving out."""

GROUP_METRICS: tuple[Metric, ...] = tuple(
    m
    for m in PLAN_METRICS
    if m.name
    in ("expected_reach", "expected_enrolments", "conferences", "passes", "unserved_communes")
)
"""Figures known per group (district or cluster): those schedule.csv and unserved.csv give."""


def _history(read: Callable[[HistoryFigures], float | None]) -> Callable[[Figures], float | None]:
    return lambda f: None if f.history is None else read(f.history)


def _realism(read: Callable[[RealismFigures], float | None]) -> Callable[[Figures], float | None]:
    return lambda f: None if f.realism is None else read(f.realism)


def _capacity(
    read: Callable[[CapacityFigures], float | None],
) -> Callable[[Figures], float | None]:
    return lambda f: None if f.capacity is None else read(f.capacity)


def _own_days(history: HistoryFigures) -> bool:
    """Whether the plan's new participants were judged on its own days (shorter than a
    month: planner/history.py, "The warnings")."""
    return history.new_participants_judged_on == "plan_days"


@dataclass(frozen=True)
class Section:
    """Plan figures of one summary.json block, shown under a heading."""

    name: str  # history | realism | capacity
    heading: str
    metrics: tuple[Metric, ...]
    present: Callable[[Figures], bool]


HISTORY_WARNINGS = {
    "new_participants_implausible": "implausible (>1.5x best month)",
    "new_participants_above_best_month": "above the best month",
    "conferences_above_twice_launch_day_groups": "conferences >2x 2022 launch day",
}
"""The `history.warnings` codes in words (`planner.history.history_block`)."""

SECTIONS: tuple[Section, ...] = (
    Section(
        "history",
        "against the record (the plan as a national month)",
        (
            Metric(
                "history.scale",
                "scale to a national month (x)",
                2,
                _history(lambda h: h.scale_to_national_month),
                compared=False,
            ),
            Metric(
                "history.new_participants_month",
                "new participants a month",
                0,
                _history(lambda h: h.new_participants),
            ),
            Metric(
                "history.best_month_new_participants",
                "best month on record",
                0,
                _history(lambda h: h.best_month_new_participants),
                compared=False,
            ),
            Metric(
                "history.new_participants_vs_best_month",
                "plan / best month",
                2,
                _history(lambda h: h.new_participants_vs_best_month),
            ),
            Metric(
                "history.new_participants_plan_days",
                "new participants in the plan's own days",
                0,
                _history(lambda h: h.plan_days_new_participants if _own_days(h) else None),
            ),
            Metric(
                "history.plan_days_vs_best_month",
                "plan's own days / best month",
                2,
                _history(
                    lambda h: h.plan_days_new_participants_vs_best_month if _own_days(h) else None
                ),
            ),
            Metric(
                "history.conferences_month",
                "conferences a month",
                0,
                _history(lambda h: h.conferences),
            ),
            Metric(
                "history.record_conferences_2019_month",
                "2019's conferences, average month",
                0,
                _history(lambda h: h.record_conferences_2019_month),
                compared=False,
            ),
            Metric(
                "history.conferences_vs_2019_month",
                "plan / 2019 month",
                2,
                _history(lambda h: h.conferences_vs_2019_month),
            ),
            Metric(
                "history.conferences_vs_launch_day_groups",
                "plan / groups of the 2022 launch day",
                2,
                _history(lambda h: h.conferences_vs_launch_day_groups),
            ),
            Metric(
                "history.people_reached_directly_month",
                "people reached directly a month",
                0,
                _history(lambda h: h.people_reached_directly),
            ),
            Metric(
                "history.people_reached_directly_vs_launch_day",
                "plan / the 2022 launch day",
                2,
                _history(lambda h: h.people_reached_directly_vs_launch_day),
            ),
        ),
        lambda f: f.history is not None,
    ),
    Section(
        "realism",
        "realism",
        (
            Metric(
                "realism.share_outside_territory",
                "stops outside the team's territory",
                1,
                _realism(lambda r: r.share_outside_territory),
                percent=True,
            ),
            Metric(
                "realism.conferences_per_team_week",
                "conferences per team-week",
                2,
                _realism(lambda r: r.conferences_per_team_week),
            ),
            Metric(
                "realism.new_participants_per_conference",
                "new participants per conference",
                2,
                _realism(lambda r: r.new_participants_per_conference),
            ),
            Metric(
                "realism.record_new_participants_per_conference_2019_ceiling",
                "  record: 2019 ceiling",
                1,
                _realism(lambda r: r.record_new_participants_per_conference_2019_ceiling),
                compared=False,
            ),
            Metric(
                "realism.record_new_participants_per_group_launch_day",
                "  record: 2022 launch day, per group",
                1,
                _realism(lambda r: r.record_new_participants_per_group_launch_day),
                compared=False,
            ),
            Metric(
                "realism.share_of_attendees_joining",
                "attendees who join",
                1,
                _realism(lambda r: r.share_of_attendees_joining),
                percent=True,
            ),
            Metric(
                "realism.record_share_joining_launch_day",
                "  record: 2022 launch day",
                1,
                _realism(lambda r: r.record_share_joining_launch_day),
                percent=True,
                compared=False,
            ),
        ),
        lambda f: f.realism is not None,
    ),
    Section(
        "capacity",
        "capacity (team-days)",
        (
            Metric(
                "capacity.team_days_with_work",
                "with work",
                0,
                _capacity(lambda c: c.team_days_with_work),
            ),
            Metric("capacity.team_days_full", "  full", 0, _capacity(lambda c: c.team_days_full)),
            Metric(
                "capacity.team_days_light",
                "  light (under half a day out)",
                0,
                _capacity(lambda c: c.team_days_light),
            ),
            Metric("capacity.team_days_idle", "idle", 0, _capacity(lambda c: c.team_days_idle)),
            Metric(
                "capacity.spare_because_territory_exhausted",
                "light or idle: territory has nothing left",
                0,
                _capacity(lambda c: c.spare_because_territory_exhausted),
            ),
            Metric(
                "capacity.spare_because_nothing_fits",
                "light or idle: what is left does not fit",
                0,
                _capacity(lambda c: c.spare_because_nothing_fits),
            ),
            Metric(
                "capacity.spare_because_not_needed",
                "light or idle: not needed (compact plan)",
                0,
                _capacity(lambda c: c.spare_because_not_needed),
            ),
            Metric(
                "capacity.average_hours_out",
                "average hours out a team-day",
                1,
                _capacity(lambda c: c.average_hours_out),
            ),
        ),
        lambda f: f.capacity is not None,
    ),
)
"""The plan-level blocks of summary.json (`planner.history`), in the order shown."""


@dataclass(frozen=True)
class Marginal:
    """New participants (expected enrolments) gained per unit of a resource added."""

    name: str
    label: str
    digits: int
    per: Callable[[Figures], float | None]

    def value(self, base: Figures, other: Figures) -> float | None:
        """(enrolments - baseline's) / (resource - baseline's); None when the resource is
        unknown or the same in both (no extra resource to divide by)."""
        a, b = self.per(base), self.per(other)
        if a is None or b is None or abs(b - a) < 1e-9:
            return None
        return (other.expected_enrolments - base.expected_enrolments) / (b - a)


TEAMS = Metric("teams", "teams with a route", 0, lambda f: f.teams)
MARGINALS: tuple[Marginal, ...] = (
    Marginal(
        "marginal.enrolments_per_team_day", "per extra team-day used", 2, lambda f: f.team_days
    ),
    Marginal("marginal.enrolments_per_km", "per extra km", 3, lambda f: f.travel_km),
    Marginal("marginal.enrolments_per_team", "per extra team", 1, lambda f: f.teams),
)
"""Marginal figures against the baseline (issue 15): a negative resource difference (fewer
team-days) with fewer participants is a positive figure: what each team-day saved costs."""


def metrics_for(figures: Sequence[Figures | None], base: Sequence[Metric]) -> tuple[Metric, ...]:
    """`base` without the band rows when no figures have a band, plus one row per reason."""
    has_band = any(f is not None and f.band is not None for f in figures)
    reasons = sorted({r for f in figures if f is not None for r, _ in f.unserved_by_reason})
    kept = [m for m in base if has_band or not m.name.startswith("enrolments_p")]
    per_reason = [
        Metric(f"unserved_communes:{r}", f"  left out: {r}", 0, _reason_count(r)) for r in reasons
    ]
    if "unserved_communes" not in {m.name for m in base}:
        per_reason = []
    return (*kept, *per_reason)


@dataclass(frozen=True)
class PlanColumn:
    """One plan of the comparison, with its totals."""

    label: str
    folder: Path
    scenario: str
    structure: str
    provinces: int
    figures: Figures
    title: str = ""  # the scenario's title ("" when it has none: then label it by its name)


@dataclass(frozen=True)
class UnitComparison:
    """A province or group, and its figures in each plan (None where a plan does not cover it)."""

    level: Level
    province_code: str
    code: str  # the province code again at the province level, the group code below
    name: str
    figures: tuple[Figures | None, ...]

    def value(self, plan: int, metric: Metric) -> float | None:
        f = self.figures[plan]
        return None if f is None else metric.read(f)

    def difference(self, plan: int, metric: Metric) -> float | None:
        """Plan minus baseline; an absent unit counts as 0 for an additive figure."""
        return _difference(self.figures[0], self.figures[plan], metric)

    def largest_difference(self, metric: Metric) -> float:
        return max(
            (abs(self.difference(i, metric) or 0.0) for i in range(1, len(self.figures))),
            default=0.0,
        )


@dataclass(frozen=True)
class StopChange:
    """A stop of a team only in the plan (added), only in the baseline (removed), or moved."""

    change: ChangeKind
    kind: str  # pass | conference
    commune_code: str
    commune_name: str
    venue_id: str
    baseline_date: str  # ISO date, "" when added
    plan_date: str  # ISO date, "" when removed


@dataclass(frozen=True)
class TeamChanges:
    """How one team's stops differ between the baseline and one plan."""

    plan: int  # index of the plan compared with the baseline
    province_code: str
    team_id: str
    status: TeamStatus
    kept: int
    changes: tuple[StopChange, ...]

    def count(self, change: ChangeKind) -> int:
        return sum(1 for c in self.changes if c.change == change)


@dataclass(frozen=True)
class Comparison:
    """Plans side by side; the first is the baseline every difference is taken against."""

    plans: tuple[PlanColumn, ...]
    structure: str  # the structure provinces and groups are compared in
    group_label: str  # district | cluster | group
    provinces: tuple[UnitComparison, ...]  # largest absolute difference in reach first
    groups: tuple[UnitComparison, ...]
    teams: tuple[TeamChanges, ...]  # teams with at least one change, by plan, then team
    teams_compared: tuple[bool, ...]  # per plan: were its teams matched with the baseline's
    teams_unchanged: tuple[int, ...]  # per plan: shared teams with no change (0 for baseline)
    notes: tuple[str, ...]  # caveats, one line each (the mapping's first when there is one)
    crosswalk: Crosswalk | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.plans)


def compare_plans(
    folders: Sequence[str | Path],
    labels: Sequence[str] | None = None,
    *,
    data_dir: Path | None = None,
) -> Comparison:
    """Read each run folder and compare the plans with the first (see the module docstring).

    data_dir: the folder of vn2020.gpkg / vn2025.gpkg, read only when the plans are on
        different structures (default: the repository's data/geo).
    """
    if len(folders) < 2:
        raise CompareError(msg("compare.error.too_few", n=len(folders)))
    return compare_outputs([load_plan_outputs(f) for f in folders], labels, data_dir=data_dir)


def compare_outputs(
    outputs: Sequence[PlanOutputs],
    labels: Sequence[str] | None = None,
    *,
    crosswalk: Crosswalk | None = None,
    data_dir: Path | None = None,
) -> Comparison:
    """`compare_plans` on plans already read; `crosswalk` saves loading data/geo."""
    if len(outputs) < 2:
        raise CompareError(msg("compare.error.too_few_plans", n=len(outputs)))
    names = _labels(outputs, labels)
    structures = {o.structure for o in outputs}
    notes: list[str] = []
    if len(structures) > 1:
        if structures != {"2020", "2025"}:
            raise CompareError(
                msg("compare.error.structures", structures=", ".join(sorted(structures)))
            )
        if crosswalk is None:
            crosswalk = _load_crosswalk(outputs, data_dir)
        notes.append(crosswalk.note())
        structure = "2025"
    else:
        crosswalk = None
        structure = next(iter(structures))
    mapped = [crosswalk if o.structure != structure else None for o in outputs]

    per_plan = [_province_figures(o, m) for o, m in zip(outputs, mapped, strict=True)]
    provinces = _units("province", per_plan)
    groups = _units("group", [_group_figures(o, m) for o, m in zip(outputs, mapped, strict=True)])
    level = GROUP_LABELS.get(structure, "group")
    notes.append(msg("compare.note.summed", level=msg(f"compare.level_cap.{level}")))
    if len({frozenset(figures) for figures in per_plan}) > 1:  # after any mapping
        notes.append(msg("compare.note.other_provinces"))

    teams: list[TeamChanges] = []
    compared, unchanged = [False], [0]
    for i, other in enumerate(outputs[1:], start=1):
        changes = () if crosswalk else team_changes(outputs[0].stops, other.stops, plan=i)
        shared = any(c.status == "both" for c in changes)
        if crosswalk is None and not shared:
            notes.append(msg("compare.note.no_common_team", label=names[i]))
        teams += [c for c in changes if c.changes] if shared else []
        compared.append(shared)
        unchanged.append(sum(1 for c in changes if c.status == "both" and not c.changes))
    if crosswalk is not None:
        notes.append(msg("compare.note.structures"))
    if any(o.figures.history is not None for o in outputs):
        notes.append(msg("compare.note.record"))
    shown = [s for s in SECTIONS if any(s.present(o.figures) for o in outputs)]
    for name, o in zip(names, outputs, strict=True):
        missing = [section.name for section in shown if not section.present(o.figures)]
        if missing:
            notes.append(msg("compare.note.no_block", label=name, blocks=", ".join(missing)))

    return Comparison(
        plans=tuple(
            PlanColumn(
                label=name,
                folder=o.folder,
                scenario=o.scenario,
                structure=o.structure,
                provinces=len(o.provinces),
                figures=o.figures,
                title=o.title or "",
            )
            for name, o in zip(names, outputs, strict=True)
        ),
        structure=structure,
        group_label=GROUP_LABELS.get(structure, "group"),
        provinces=provinces,
        groups=groups,
        teams=tuple(teams),
        teams_compared=tuple(compared),
        teams_unchanged=tuple(unchanged),
        notes=tuple(notes),
        crosswalk=crosswalk,
    )


def _labels(outputs: Sequence[PlanOutputs], labels: Sequence[str] | None) -> list[str]:
    """The given labels, checked; else each plan's scenario title (issue 15: what the
    planner called it), with its folder's name after it when two plans share a title; a plan
    whose scenario has no title is called by its folder's name. Made unique with ' (2)', ..."""
    if labels is not None:
        given = [str(label).strip() for label in labels]
        if len(given) != len(outputs):
            raise CompareError(
                msg("compare.error.labels_count", labels=len(given), plans=len(outputs))
            )
        if any(not label for label in given) or len(set(given)) != len(given):
            raise CompareError(msg("compare.error.labels_distinct"))
        return given
    titles = [o.title for o in outputs]
    names: list[str] = []
    for o in outputs:
        folder = o.folder.resolve().name or o.scenario
        base = folder
        if o.title:
            base = o.title if titles.count(o.title) == 1 else f"{o.title} ({folder})"
        name, n = base, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names


def _load_crosswalk(outputs: Sequence[PlanOutputs], data_dir: Path | None) -> Crosswalk:
    from planner.geo.load import load_geodata

    codes = sorted({p.province_code for o in outputs if o.structure == "2020" for p in o.provinces})
    old = load_geodata("2020", data_dir=data_dir, province_codes=codes)
    new = load_geodata("2025", data_dir=data_dir)
    return crosswalk_2020_to_2025(old, new)


def _difference(base: Figures | None, other: Figures | None, metric: Metric) -> float | None:
    a = None if base is None else metric.read(base)
    b = None if other is None else metric.read(other)
    if metric.additive:
        a = 0.0 if a is None and base is None else a
        b = 0.0 if b is None and other is None else b
    if a is None or b is None:
        return None
    return b - a


# -- provinces and groups ------------------------------------------------------------------------

UnitKey = tuple[str, str]  # (province code, code)
UnitFigures = dict[UnitKey, tuple[str, Figures]]  # key -> (name, figures)


def _province_figures(outputs: PlanOutputs, crosswalk: Crosswalk | None) -> UnitFigures:
    """Province -> figures, summed into 2025 provinces when the plan is mapped."""
    if crosswalk is None:
        return {
            (p.province_code, p.province_code): (p.province_name, p.figures)
            for p in outputs.provinces
        }
    parts: dict[str, list[Figures]] = defaultdict(list)
    for p in outputs.provinces:
        parts[_mapped_province(crosswalk, p.province_code, outputs)].append(p.figures)
    return {
        (code, code): (crosswalk.province_names.get(code, code), sum_figures(figures))
        for code, figures in parts.items()
    }


def _mapped_province(crosswalk: Crosswalk, code: str, outputs: PlanOutputs) -> str:
    if code not in crosswalk.province:
        raise DataError(
            outputs.summary.path,
            msg("compare.error.province_not_2020", code=code),
        )
    return crosswalk.province[code]


def _group_figures(outputs: PlanOutputs, crosswalk: Crosswalk | None) -> UnitFigures:
    """Group -> reach, enrolments, passes, conferences and communes left out."""
    names: dict[UnitKey, str] = {}
    stops: dict[UnitKey, list[ScheduledStop]] = defaultdict(list)
    left_out: dict[UnitKey, Counter[str]] = defaultdict(Counter)
    for number, stop in enumerate(outputs.stops, start=1):
        key = _group_key(
            outputs, crosswalk, stop.province_code, stop.group_code, stop.commune_code, number
        )
        stops[key].append(stop)
        names.setdefault(key, stop.group_name)
    for number, place in enumerate(outputs.unserved, start=1):
        if place.kind != "commune":
            continue
        key = _group_key(
            outputs,
            crosswalk,
            place.province_code,
            place.group_code,
            place.code,
            number,
            file="unserved.csv",
            field="code",
        )
        left_out[key][place.reason] += 1
    result: UnitFigures = {}
    for key in sorted(set(stops) | set(left_out)):
        group_stops = stops.get(key, [])
        name = names.get(key, key[1])
        if crosswalk is not None:
            name = crosswalk.group_names.get(key, key[1])
        result[key] = (
            name,
            Figures(
                expected_reach=sum(s.people_reached for s in group_stops),
                expected_enrolments=sum(s.expected_enrolments for s in group_stops),
                passes=sum(1 for s in group_stops if s.kind == "pass"),
                conferences=sum(1 for s in group_stops if s.kind == "conference"),
                unserved_by_reason=tuple(sorted(left_out.get(key, Counter()).items())),
            ),
        )
    return result


def _group_key(
    outputs: PlanOutputs,
    crosswalk: Crosswalk | None,
    province_code: str,
    group_code: str,
    commune_code: str,
    row: int,
    *,
    file: str = "schedule.csv",
    field: str = "commune_code",
) -> UnitKey:
    if crosswalk is None:
        return (province_code, group_code)
    if commune_code not in crosswalk.commune:
        raise DataError(
            outputs.folder / file,
            msg("compare.error.commune_not_2020", code=commune_code),
            row=row,
            field=field,
        )
    return (crosswalk.province[province_code], crosswalk.commune_group[commune_code])


def _units(level: Level, per_plan: Sequence[UnitFigures]) -> tuple[UnitComparison, ...]:
    """Every unit of any plan, largest absolute difference in reach first."""
    keys = sorted({key for figures in per_plan for key in figures})
    units = [
        UnitComparison(
            level=level,
            province_code=key[0],
            code=key[1],
            name=next(figures[key][0] for figures in per_plan if key in figures),
            figures=tuple(figures[key][1] if key in figures else None for figures in per_plan),
        )
        for key in keys
    ]
    reach, enrolments = PLAN_METRICS[0], PLAN_METRICS[1]
    return tuple(
        sorted(
            units,
            key=lambda u: (
                -round(u.largest_difference(reach), 6),
                -round(u.largest_difference(enrolments), 6),
                u.province_code,
                u.code,
            ),
        )
    )


# -- teams ---------------------------------------------------------------------------------------

StopKey = tuple[str, str, str]  # kind, commune code, venue id


def team_changes(
    baseline: Sequence[ScheduledStop], other: Sequence[ScheduledStop], *, plan: int = 1
) -> tuple[TeamChanges, ...]:
    """Each team's stops matched between two schedules (module docstring, point 3).

    Why this matching: a re-plan or a variant mostly shifts stops between days; calling such
    a stop "moved" rather than one removal and one addition is what a team leader wants to
    read. Same-day matches are taken first, then the remaining stops of the same commune and
    kind are paired in date order; a repeated stop (a second pass) is matched as many times
    as it occurs in both.
    """
    by_team_base = _by_team(baseline)
    by_team_other = _by_team(other)
    result: list[TeamChanges] = []
    for team in sorted(set(by_team_base) | set(by_team_other)):
        base_stops = by_team_base.get(team, [])
        other_stops = by_team_other.get(team, [])
        status: TeamStatus = (
            "both"
            if base_stops and other_stops
            else "only_plan"
            if other_stops
            else "only_baseline"
        )
        kept, changes = _match_stops(base_stops, other_stops)
        result.append(
            TeamChanges(
                plan=plan,
                province_code=team[0],
                team_id=team[1],
                status=status,
                kept=kept,
                changes=changes,
            )
        )
    return tuple(result)


def _by_team(stops: Sequence[ScheduledStop]) -> dict[tuple[str, str], list[ScheduledStop]]:
    teams: dict[tuple[str, str], list[ScheduledStop]] = defaultdict(list)
    for stop in stops:
        teams[(stop.province_code, stop.team_id)].append(stop)
    return teams


def _stop_key(stop: ScheduledStop) -> StopKey:
    return (stop.kind, stop.commune_code, stop.venue_id)


def _match_stops(
    base: Sequence[ScheduledStop], other: Sequence[ScheduledStop]
) -> tuple[int, tuple[StopChange, ...]]:
    names = {_stop_key(s): s.commune_name for s in (*base, *other)}
    base_days = Counter((_stop_key(s), s.date.isoformat()) for s in base)
    other_days = Counter((_stop_key(s), s.date.isoformat()) for s in other)
    same_day = base_days & other_days
    kept = sum(same_day.values())
    base_left: dict[StopKey, list[str]] = defaultdict(list)
    other_left: dict[StopKey, list[str]] = defaultdict(list)
    for (key, day), n in sorted((base_days - same_day).items()):
        base_left[key] += [day] * n
    for (key, day), n in sorted((other_days - same_day).items()):
        other_left[key] += [day] * n
    changes: list[StopChange] = []
    for key in sorted(set(base_left) | set(other_left)):
        before, after = base_left.get(key, []), other_left.get(key, [])
        pairs = min(len(before), len(after))

        def change(kind: ChangeKind, was: str, now: str, key: StopKey = key) -> StopChange:
            return StopChange(kind, key[0], key[1], names[key], key[2], was, now)

        changes += [
            change("moved", a, b) for a, b in zip(before[:pairs], after[:pairs], strict=True)
        ]
        changes += [change("removed", a, "") for a in before[pairs:]]
        changes += [change("added", "", b) for b in after[pairs:]]
    order = {"removed": 0, "moved": 1, "added": 2}
    changes.sort(
        key=lambda c: (c.baseline_date or c.plan_date, order[c.change], c.kind, c.commune_code)
    )
    return kept, tuple(changes)
