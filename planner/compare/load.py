"""Read a plan's output folder (what `planner run` wrote) back as values to compare.

The folder is read by `planner.written_plan.read_plan`, the one reader of a written plan
(summary.json, schedule.csv, routes.csv and unserved.csv; every file, column and figure
checked as `planner check` checks it). This module turns it into what a comparison needs:

- `Figures` for the plan and for each province (`ProvinceOutputs`) from summary.json
  (`planner.written_plan.Summary`), with the optional band of enrolments
  (`expected_enrolments_band`, in total and per province) and, on the plan's figures, the
  `history`, `realism` and `capacity` blocks (`HistoryFigures`, `RealismFigures`,
  `CapacityFigures`: None for a plan written before they existed, and each figure missing
  from a block None too; such a plan compares all the same);
- the stops of schedule.csv (`ScheduledStop`) and the places of unserved.csv
  (`UnservedPlace`), flat.

Anything else in the folder (maps, workbook, GeoPackage) is not needed. Whatever is missing
or unreadable is a one-line `DataError` naming the file, the row or field, and what was
expected, so that `planner compare` on a folder that is not a plan says so and stops.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.messages import scenario_title
from planner.written_plan import (
    CapacityFigures,
    EnrolmentBand,
    HistoryFigures,
    ProvinceFigures,
    RealismFigures,
    ScheduleRow,
    Summary,
    UnservedRow,
    read_plan,
)

__all__ = [
    "CapacityFigures",
    "EnrolmentBand",
    "Figures",
    "HistoryFigures",
    "PlanOutputs",
    "ProvinceOutputs",
    "RealismFigures",
    "ScheduledStop",
    "UnservedPlace",
    "load_plan_outputs",
    "sum_figures",
]


@dataclass(frozen=True)
class Figures:
    """What a plan, one of its provinces or one of its groups is expected to achieve.

    Team-days, travel, objective, bound and gap are known per province and for the plan, not
    per group (None there); the band only where summary.json gives it. The history, realism
    and capacity blocks and the number of teams are known for the plan only.
    """

    expected_reach: float
    expected_enrolments: float
    passes: int
    conferences: int
    unserved_by_reason: tuple[tuple[str, int], ...] = ()
    team_days: int | None = None
    team_days_available: int | None = None
    travel_km: float | None = None
    objective: float | None = None
    upper_bound: float | None = None
    gap: float | None = None
    band: EnrolmentBand | None = None
    history: HistoryFigures | None = None
    realism: RealismFigures | None = None
    capacity: CapacityFigures | None = None
    teams: int | None = None  # teams with at least one stop (schedule.csv)

    @property
    def unserved_communes(self) -> int:
        return sum(count for _, count in self.unserved_by_reason)


@dataclass(frozen=True)
class ProvinceOutputs:
    """One province of a plan as compared: its entry of summary.json and its `Figures`."""

    entry: ProvinceFigures
    figures: Figures

    @property
    def province_code(self) -> str:
        return self.entry.province_code

    @property
    def province_name(self) -> str:
        return self.entry.province_name


@dataclass(frozen=True)
class ScheduledStop:
    """One row of schedule.csv: a pass through a commune or a conference, on a team's day."""

    province_code: str
    team_id: str
    date: dt.date
    kind: str
    commune_code: str
    commune_name: str
    group_code: str
    group_name: str
    venue_id: str
    people_reached: float
    expected_enrolments: float


@dataclass(frozen=True)
class UnservedPlace:
    """One row of unserved.csv: a commune, group or group minimum the plan does not serve."""

    province_code: str
    kind: str
    code: str
    name: str
    group_code: str
    reason: str


@dataclass(frozen=True)
class PlanOutputs:
    """A plan as read back from its output folder; `summary` is its summary.json, whole."""

    folder: Path
    scenario: str
    structure: str
    figures: Figures
    provinces: tuple[ProvinceOutputs, ...]
    stops: tuple[ScheduledStop, ...]
    unserved: tuple[UnservedPlace, ...]
    summary: Summary
    # the scenario's title (summary.json's scenario_title, else the scenario file's); None
    # when it has none or the file is gone
    title: str | None = None


def load_plan_outputs(folder: str | Path) -> PlanOutputs:
    """Read one run folder (`planner.written_plan.read_plan`) as values to compare.

    Raises DataError naming the folder or file when it is not a plan's output folder.
    """
    written = read_plan(Path(folder))
    summary = written.summary
    stops = tuple(_scheduled(row) for row in written.schedule)
    return PlanOutputs(
        folder=written.out_dir,
        scenario=summary.scenario,
        structure=summary.structure,
        figures=Figures(
            expected_reach=summary.expected_reach,
            expected_enrolments=summary.expected_enrolments,
            passes=summary.passes,
            conferences=summary.conferences,
            unserved_by_reason=summary.unserved_by_reason,
            team_days=summary.team_days,
            team_days_available=summary.team_days_available,
            travel_km=summary.travel_km,
            objective=summary.objective,
            upper_bound=summary.upper_bound,
            gap=summary.gap,
            band=summary.expected_enrolments_band,
            history=summary.history,
            realism=summary.realism,
            capacity=summary.capacity,
            teams=len({(s.province_code, s.team_id) for s in stops}),
        ),
        provinces=tuple(
            ProvinceOutputs(entry=p, figures=_province_figures(p)) for p in summary.provinces
        ),
        stops=stops,
        unserved=tuple(_unserved(row) for row in written.unserved),
        summary=summary,
        title=scenario_title(summary.data),
    )


def _province_figures(p: ProvinceFigures) -> Figures:
    return Figures(
        expected_reach=p.expected_reach,
        expected_enrolments=p.expected_enrolments,
        passes=p.passes,
        conferences=p.conferences,
        unserved_by_reason=p.unserved_communes_by_reason,
        team_days=p.team_days,
        team_days_available=p.team_days_available,
        travel_km=p.travel_km,
        objective=p.objective,
        upper_bound=p.upper_bound,
        gap=p.gap,
        band=p.expected_enrolments_band,
    )


def _scheduled(row: ScheduleRow) -> ScheduledStop:
    stop = row.stop
    return ScheduledStop(
        province_code=row.province_code,
        team_id=row.team_id,
        date=row.date,
        kind=stop.kind,
        commune_code=stop.commune_code,
        commune_name=stop.commune_name,
        group_code=stop.group_code,
        group_name=stop.group_name,
        venue_id=stop.venue_id or "",
        people_reached=stop.people_reached,
        expected_enrolments=stop.expected_enrolments,
    )


def _unserved(row: UnservedRow) -> UnservedPlace:
    place = row.unserved
    return UnservedPlace(
        province_code=row.province_code,
        kind=place.kind,
        code=place.code,
        name=place.name,
        group_code=place.group_code,
        reason=place.reason,
    )


def sum_figures(parts: Sequence[Figures]) -> Figures:
    """The figures of a union of units: counts and amounts added, the gap recomputed.

    Why: reach, enrolments, passes, conferences, team-days, km, objective and bound add up
    over disjoint units; a gap does not (it is recomputed from the sums), and neither do
    percentiles (the band is kept only when there is one part).
    """
    if len(parts) == 1:
        return parts[0]
    reasons: dict[str, int] = {}
    for part in parts:
        for reason, count in part.unserved_by_reason:
            reasons[reason] = reasons.get(reason, 0) + count
    objective = _sum_known([p.objective for p in parts])
    bound = _sum_known([p.upper_bound for p in parts])
    gap = None
    if objective is not None and bound is not None:
        gap = max(0.0, (bound - objective) / bound) if bound > 0 else 0.0
    team_days = _sum_known([p.team_days for p in parts])
    available = _sum_known([p.team_days_available for p in parts])
    return Figures(
        expected_reach=sum(p.expected_reach for p in parts),
        expected_enrolments=sum(p.expected_enrolments for p in parts),
        passes=sum(p.passes for p in parts),
        conferences=sum(p.conferences for p in parts),
        unserved_by_reason=tuple(sorted(reasons.items())),
        team_days=None if team_days is None else int(team_days),
        team_days_available=None if available is None else int(available),
        travel_km=_sum_known([p.travel_km for p in parts]),
        objective=objective,
        upper_bound=bound,
        gap=gap,
        band=None,
    )


def _sum_known(values: Sequence[float | int | None]) -> float | None:
    """The sum, or None when any part does not know the figure."""
    if not values or any(v is None for v in values):
        return None
    return float(sum(v for v in values if v is not None))
