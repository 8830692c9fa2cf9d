"""`planner.written_plan`: the written plan, the one place its format is defined and read.

A plan folder (`outputs/<name>/`, written by `planner run` and `planner replan`) holds

- `summary.json` (`SUMMARY_FILE`): the plan's figures, in total and per province, where it
  came from, and its blocks (bands, targets, history, realism, capacity, launch,
  territories, a re-plan's `replan`);
- `schedule.csv` (`SCHEDULE_FILE`, `SCHEDULE_COLUMNS`): one row per stop;
- `routes.csv` (`ROUTES_FILE`, `ROUTE_COLUMNS`): one row per team-day;
- `unserved.csv` (`UNSERVED_FILE`, `UNSERVED_COLUMNS`): one row per place left out;
- maps, workbook, GeoPackage, sheets and team packs, which nothing reads back.

This module owns

- the file names and the columns of the CSV tables: `planner.export.tables` writes them,
  every reader reads them from here;
- `Summary`, summary.json as a frozen value (`ProvinceFigures` per province, the enrolment
  band and the history, realism and capacity blocks typed, the deeper blocks as read-only
  mappings), read with `Summary.read` / `Summary.from_json`, written with `Summary.write` /
  `write_summary` (the object exactly as given, so that one plan always gives the same bytes);
- `read_plan(folder)`: the folder read back as a `WrittenPlan` (summary, team-days with their
  stops, schedule rows, places left out), the one reader used by `planner check`, `compare`,
  `explain` and `replan`; whatever cannot be read is a one-line `DataError` naming the
  file, the row and the field;
- the atomic writer of a folder: `OutputFolder`, `write_folder` and `Manifest`, re-exported
  from `planner.output_folder` (which keeps the logic: temporary folder, then moved in).

Every CSV is UTF-8 with a byte order mark (`CSV_ENCODING`), for Excel; the readers here read
them with or without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeVar, cast

from planner.errors import DataError
from planner.messages import Lang, msg
from planner.messages import number as format_number
from planner.output_folder import Manifest as Manifest
from planner.output_folder import OutputFolder as OutputFolder
from planner.output_folder import write_folder as write_folder
from planner.plan import Stop, TeamDayRoute, Unserved

__all__ = [
    "CSV_ENCODING",
    "FLAG_COLUMNS",
    "ROUTES_FILE",
    "ROUTE_COLUMNS",
    "ROUTE_REQUIRED_COLUMNS",
    "SCHEDULE_COLUMNS",
    "SCHEDULE_FILE",
    "SCHEDULE_REQUIRED_COLUMNS",
    "SUMMARY_FILE",
    "UNSERVED_COLUMNS",
    "UNSERVED_FILE",
    "CapacityFigures",
    "EnrolmentBand",
    "HistoryFigures",
    "Manifest",
    "OutputFolder",
    "ProvinceFigures",
    "RealismFigures",
    "RecordFigures",
    "ScheduleRow",
    "Summary",
    "UnservedRow",
    "WrittenPlan",
    "read_csv",
    "read_plan",
    "read_scenario_name",
    "read_summary",
    "read_text",
    "read_unserved",
    "summary_json",
    "write_folder",
    "write_summary",
]

# --- the files and their columns ---------------------------------------------------------

SUMMARY_FILE = "summary.json"
SCHEDULE_FILE = "schedule.csv"
ROUTES_FILE = "routes.csv"
UNSERVED_FILE = "unserved.csv"

CSV_ENCODING = "utf-8-sig"
"""How the planner writes every CSV: UTF-8 with a byte order mark, for Excel (a Vietnamese
Windows opens a CSV without one in the Windows-1258 code page). "utf-8-sig" also reads a
file without the mark."""

SCHEDULE_REQUIRED_COLUMNS = (
    "province_code",
    "team_id",
    "date",
    "vehicle",
    "stop",
    "kind",
    "commune_code",
    "commune_name",
    "group_code",
    "group_name",
    "venue_id",
    "venue_name",
    "lat",
    "lon",
    "arrival",
    "start",
    "end",
    "slot",
    "pass_number",
    "people_reached",
    "expected_enrolments",
    "invited",
    "expected_attendance",
    "gathering_cap",
    "seats_by_area",
    "rule_level",
    "km_from_previous",
    "minutes_from_previous",
)
"""The columns every schedule.csv has (and `read_plan` needs); plans written before the
estimate flags were added have only these."""

SCHEDULE_COLUMNS = (
    *SCHEDULE_REQUIRED_COLUMNS,
    # which figures are estimates (1/0; blank where it does not apply), and what the
    # planner's lists say of a conference's venue (planner/estimates.py)
    "position_estimated",
    "commune_position_estimated",
    "population_estimated",
    "hall_estimated",
    "venue_address",
    "contact_name",
    "contact_phone",
    "opening_hours",
)
"""The columns of schedule.csv, in the order written."""

FLAG_COLUMNS = (
    "position_estimated",
    "commune_position_estimated",
    "population_estimated",
    "hall_estimated",
    "base_position_estimated",
)
"""The estimate flags among the columns, written 1 (an estimate) or 0."""

ROUTE_REQUIRED_COLUMNS = (
    "province_code",
    "team_id",
    "date",
    "vehicle",
    "base_venue_id",
    "base_name",
    "base_lat",
    "base_lon",
    "depart",
    "return",
    "lunch_start",
    "lunch_minutes",
    "stops",
    "travel_km",
    "travel_minutes",
    "km_to_base",
    "minutes_to_base",
)
"""The columns every routes.csv has (and `read_plan` needs)."""

ROUTE_COLUMNS = (*ROUTE_REQUIRED_COLUMNS, "base_position_estimated")
"""The columns of routes.csv, in the order written."""

UNSERVED_COLUMNS = (
    "province_code",
    "kind",
    "code",
    "name",
    "group_code",
    "reason",
    "detail",
    "value_lost",
    "insertion_minutes",
)
"""The columns of unserved.csv, in the order written (all of them read)."""


# --- summary.json as values ----------------------------------------------------------------

BAND = "expected_enrolments_band"
REACH_BAND = "expected_reach_band"
BANDS_BY_PROVINCE = "expected_enrolments_band_by_province"


@dataclass(frozen=True)
class EnrolmentBand:
    """`expected_enrolments_band`: the spread of expected enrolments over turnout draws
    (planner/uncertainty.py), its 10th, 50th and 90th percentiles (`expected_reach_band`,
    the same of the people reached, has the same fields)."""

    p10: float
    p50: float
    p90: float
    mean: float | None = None
    draws: int | None = None
    seed: int | None = None

    def text(self, lang: Lang = "en") -> str:
        """'380–410': the 80 % band, rounded to whole people (1.380–1.410 in Vietnamese)."""
        return f"{format_number(self.p10, lang)}–{format_number(self.p90, lang)}"


@dataclass(frozen=True)
class RecordFigures:
    """One row of summary.json's `history.record`: a period on record
    (data/facts/campaign_history.csv), its figures None where the record has none."""

    key: str  # "2019_month", "2022_launch_day", ...
    label: str  # in Vietnamese
    label_en: str
    conferences: float | None
    people_reached_directly: float | None
    new_participants: float | None


@dataclass(frozen=True)
class HistoryFigures:
    """summary.json's `history` (planner/history.py): the plan scaled to a national month,
    beside the record; each figure the block lacks is None.

    The plan's figures are "national month equivalents" (x 30 / campaign days, / the plan's
    share of the country's target people), and a plan shorter than a month has its own days'
    new participants beside them (/ the share only); the record's are from
    data/facts/campaign_history.csv. `warnings` are the block's codes
    (`new_participants_implausible`, `new_participants_above_best_month`,
    `conferences_above_twice_launch_day_groups`).
    """

    scale_to_national_month: float | None
    new_participants: float | None
    conferences: float | None
    people_reached_directly: float | None
    best_month_new_participants: float | None
    new_participants_vs_best_month: float | None
    conferences_vs_2019_month: float | None
    conferences_vs_launch_day_groups: float | None
    people_reached_directly_vs_launch_day: float | None
    record_conferences_2019_month: float | None  # 2019's conferences, an average month
    record_groups_launch_day: float | None  # groups of the 8 May 2022 launch day
    warnings: tuple[str, ...] = ()
    record: tuple[RecordFigures, ...] = ()  # the rows on record, in the order written
    plan_days: int | None = None
    plan_days_new_participants: float | None = None
    """The plan's new participants over its own days, scaled to the whole country only."""
    plan_days_new_participants_vs_best_month: float | None = None
    new_participants_judged_on: str | None = None
    """What the warnings on new participants held against the best month: "month" (the
    national month equivalent) or "plan_days" (a plan shorter than a month: its own days;
    planner/history.py, "The warnings"); None in a summary written before."""


@dataclass(frozen=True)
class RealismFigures:
    """summary.json's `realism`: how the plan is run, beside the record (shares as 0-1)."""

    share_outside_territory: float | None
    conferences_per_team_week: float | None
    new_participants_per_conference: float | None
    record_new_participants_per_conference_2019_ceiling: float | None
    record_new_participants_per_group_launch_day: float | None
    share_of_attendees_joining: float | None
    record_share_joining_launch_day: float | None


@dataclass(frozen=True)
class CapacityFigures:
    """summary.json's `capacity`: team-days full, light (under half a day out) and idle, and
    why the light and idle ones are (nothing left the rules allow in the territory, nothing
    that fits in the day, or, in a compact plan, not needed: their work done on other days)."""

    team_days_available: float | None
    team_days_with_work: float | None
    team_days_full: float | None
    team_days_light: float | None
    team_days_idle: float | None
    spare_because_territory_exhausted: float | None
    spare_because_nothing_fits: float | None
    average_hours_out: float | None
    spare_because_not_needed: float | None = None  # a compact plan's days released
    compact: bool = False  # made with [objective] compact (`--compact`); absent: False


@dataclass(frozen=True)
class ProvinceFigures:
    """One entry of summary.json's `provinces` (`planner.export.tables.province_summary`)."""

    province_code: str
    province_name: str
    expected_reach: float
    expected_enrolments: float
    passes: int
    conferences: int
    team_days: int
    travel_km: float
    team_days_available: int | None = None
    communes: int | None = None
    communes_served: int | None = None
    target_people: float | None = None
    objective: float | None = None
    upper_bound: float | None = None
    gap: float | None = None
    greedy_value: float | None = None
    solver_status: str | None = None
    unserved_communes_by_reason: tuple[tuple[str, int], ...] = ()  # sorted (reason, count)
    unmet_minimums: tuple[Mapping[str, Any], ...] = ()  # {"group_code", "name", "reason", ...}
    notes: tuple[str, ...] = ()
    # the province's own `expected_enrolments_band`, else summary.json's
    # `expected_enrolments_band_by_province`[code]; None when neither is written
    expected_enrolments_band: EnrolmentBand | None = None


Provenance = Literal["scenario_file", "scenario_hash", "data_version"]


@dataclass(frozen=True)
class Summary:
    """summary.json, read: its figures typed, its deeper blocks as read-only mappings.

    Made by `Summary.read(path)` or `Summary.from_json(data, path)`. `data` is the JSON
    object itself (read-only); `to_json` and `write` give it back as `planner run` writes it,
    byte for byte. The figures every plan has are required; where the plan came from
    (`scenario_file`, `scenario_hash`, ...) and the blocks are None when absent (plans
    written before they existed, plans written by hand); `required` asks for the ones a
    command needs.
    """

    scenario: str
    structure: str
    provinces: tuple[ProvinceFigures, ...]
    expected_reach: float
    expected_enrolments: float
    passes: int
    conferences: int
    team_days: int
    travel_km: float
    team_days_available: int | None = None
    objective: float | None = None
    upper_bound: float | None = None
    gap: float | None = None
    greedy_value: float | None = None
    unserved_by_reason: tuple[tuple[str, int], ...] = ()  # `unserved.by_reason`, sorted
    unserved_communes: int | None = None  # `unserved.communes`
    seed: int | None = None
    time_limit_seconds: float | None = None
    solve_seconds: float | None = None
    # where the plan came from (planner.runner.provenance_of)
    scenario_file: str | None = None
    scenario_title: str | None = None
    run_folder: str = ""  # the folder `planner run` was started in (plans since manifests)
    scenario_hash: str | None = None
    data_version: str | None = None
    planner_version: str | None = None
    solver: str | None = None
    python: str | None = None
    # fields the run changed on top of the scenario file (`--compact`, a sweep's --vary)
    overrides: tuple[tuple[str, Any], ...] = ()
    # the blocks
    expected_enrolments_band: EnrolmentBand | None = None
    expected_reach_band: EnrolmentBand | None = None
    history: HistoryFigures | None = None
    realism: RealismFigures | None = None
    capacity: CapacityFigures | None = None
    targets: Mapping[str, Any] | None = None
    uncertainty: Mapping[str, Any] | None = None
    launch: Mapping[str, Any] | None = None
    territories: Mapping[str, Any] | None = None  # {province: {team: {"home", "groups"}}}
    replan: Mapping[str, Any] | None = None
    replanned_from: dt.date | None = None  # a re-plan: days before this are reported, not planned
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    path: Path = Path(SUMMARY_FILE)

    @classmethod
    def read(cls, path: Path) -> Summary:
        """summary.json at `path`; DataError naming the file (and field) when unreadable."""
        text = read_text(path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DataError(
                path,
                msg("plan.bad_json", line=error.lineno, column=error.colno, reason=error.msg),
            ) from None
        if not isinstance(data, dict):
            raise DataError(path, "expected a JSON object, as `planner run` writes")
        return cls.from_json(data, path)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], path: Path = Path(SUMMARY_FILE)) -> Summary:
        """The summary in `data` (summary.json's object); DataError naming `path` and the
        field of the first value that is missing or of the wrong kind."""
        top = _Json(path, data, "")
        provinces = data.get("provinces")
        if not isinstance(provinces, list) or not provinces:
            raise DataError(path, "expected a non-empty list of provinces", field="provinces")
        bands = top.block(BANDS_BY_PROVINCE) or {}
        figures = tuple(
            _province(path, entry, f"provinces[{i}]", bands) for i, entry in enumerate(provinces)
        )
        codes = [f.province_code for f in figures]
        if len(set(codes)) != len(codes):
            raise DataError(path, "a province is listed twice", field="provinces")
        unserved = top.block("unserved")
        replan = top.block("replan")
        return cls(
            scenario=top.text("scenario"),
            structure=top.text("structure"),
            provinces=figures,
            expected_reach=top.number("expected_reach"),
            expected_enrolments=top.number("expected_enrolments"),
            passes=top.count("passes"),
            conferences=top.count("conferences"),
            team_days=top.count("team_days"),
            travel_km=top.number("travel_km"),
            team_days_available=top.optional_count("team_days_available"),
            objective=top.optional_number("objective"),
            upper_bound=top.optional_number("upper_bound"),
            gap=top.optional_number("gap"),
            greedy_value=top.optional_number("greedy_value"),
            unserved_by_reason=_reasons(
                path, None if unserved is None else unserved.get("by_reason"), "unserved.by_reason"
            ),
            unserved_communes=None
            if unserved is None
            else _Json(path, unserved, "unserved.").optional_count("communes"),
            seed=top.optional_count("seed"),
            time_limit_seconds=top.optional_number("time_limit_seconds"),
            solve_seconds=top.optional_number("solve_seconds"),
            scenario_file=top.optional_text("scenario_file"),
            scenario_title=top.optional_text("scenario_title"),
            run_folder=str(data.get("run_folder") or ""),
            scenario_hash=top.optional_text("scenario_hash"),
            data_version=top.optional_text("data_version"),
            planner_version=top.optional_text("planner_version"),
            solver=top.optional_text("solver"),
            python=top.optional_text("python"),
            overrides=_overrides(path, data),
            expected_enrolments_band=_band(path, data.get(BAND), BAND),
            expected_reach_band=_band(path, data.get(REACH_BAND), REACH_BAND),
            history=_history(path, top.block("history")),
            realism=_flat_block(path, top.block("realism"), "realism", RealismFigures),
            capacity=_capacity(path, top.block("capacity")),
            targets=top.block("targets"),
            uncertainty=top.block("uncertainty"),
            launch=top.block("launch"),
            territories=top.block("territories"),
            replan=replan,
            replanned_from=_replanned_from(path, replan),
            data=MappingProxyType(dict(data)),
            path=path,
        )

    def required(self, key: Provenance) -> str:
        """Where the plan came from, which a command needs (`planner check`, `explain` and
        `replan` need the scenario file, its hash and the data version): DataError naming
        the field when summary.json lacks it."""
        value = cast(str | None, getattr(self, key))
        if value is None:
            raise DataError(self.path, msg("data.is_missing"), field=key)
        return value

    def to_json(self) -> str:
        """summary.json's text: `data` as `planner run` writes it (`summary_json`)."""
        return summary_json(self.data)

    def write(self, path: Path) -> None:
        """Write `to_json()` at `path` (UTF-8)."""
        write_summary(self.data, path)


def summary_json(data: Mapping[str, Any]) -> str:
    """summary.json's text for `data`: indented, non-ASCII kept, a final newline."""
    return json.dumps(dict(data), ensure_ascii=False, indent=2) + "\n"


def write_summary(data: Mapping[str, Any], path: Path) -> None:
    """Write summary.json's object `data` at `path` as `planner run` does (`summary_json`).

    The object is written as given, in its key order: the same plan gives the same bytes."""
    path.write_text(summary_json(data), encoding="utf-8")


def read_summary(path: Path) -> Summary:
    """summary.json at `path` (`Summary.read`)."""
    return Summary.read(path)


def read_scenario_name(path: Path) -> str | None:
    """The `scenario` named by summary.json at `path`, read on its own: a folder written
    before manifests existed is known by it (`planner.output_folder.read_manifest`), even
    when the rest of its summary is not what `Summary` reads. None when the file cannot be
    read, is not a JSON object or names no scenario."""
    try:
        data = json.loads(read_text(path))
    except (DataError, ValueError):
        return None
    scenario = data.get("scenario") if isinstance(data, dict) else None
    return None if scenario is None else str(scenario)


def _province(path: Path, entry: Any, where: str, bands: Mapping[str, Any]) -> ProvinceFigures:
    """One entry of summary["provinces"]; its band inside it, else from `bands` by code."""
    if not isinstance(entry, dict):
        raise DataError(path, "expected an object", field=where)
    p = _Json(path, entry, where + ".")
    code = p.text("province_code")
    band = _band(path, entry.get(BAND), f"{where}.{BAND}")
    if band is None and code in bands:
        band = _band(path, bands[code], f"{BANDS_BY_PROVINCE}.{code}")
    unmet = entry.get("unmet_minimums") or []
    if not isinstance(unmet, list) or not all(isinstance(u, dict) for u in unmet):
        raise DataError(path, "expected a list of objects", field=f"{where}.unmet_minimums")
    notes = entry.get("notes") or []
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise DataError(path, "expected a list of texts", field=f"{where}.notes")
    return ProvinceFigures(
        province_code=code,
        province_name=p.text("province_name"),
        expected_reach=p.number("expected_reach"),
        expected_enrolments=p.number("expected_enrolments"),
        passes=p.count("passes"),
        conferences=p.count("conferences"),
        team_days=p.count("team_days"),
        travel_km=p.number("travel_km"),
        team_days_available=p.optional_count("team_days_available"),
        communes=p.optional_count("communes"),
        communes_served=p.optional_count("communes_served"),
        target_people=p.optional_number("target_people"),
        objective=p.optional_number("objective"),
        upper_bound=p.optional_number("upper_bound"),
        gap=p.optional_number("gap"),
        greedy_value=p.optional_number("greedy_value"),
        solver_status=p.optional_text("solver_status"),
        unserved_communes_by_reason=_reasons(
            path, entry.get("unserved_communes_by_reason"), f"{where}.unserved_communes_by_reason"
        ),
        unmet_minimums=tuple(MappingProxyType(u) for u in unmet),
        notes=tuple(notes),
        expected_enrolments_band=band,
    )


def _reasons(path: Path, value: Any, field: str) -> tuple[tuple[str, int], ...]:
    """{"reason": count} as sorted pairs; absent means none left out."""
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value.values()
    ):
        raise DataError(path, "expected an object of reason -> count of communes", field=field)
    return tuple(sorted((str(reason), int(n)) for reason, n in value.items()))


def _band(path: Path, value: Any, field: str) -> EnrolmentBand | None:
    """The optional band {"p10", "p50", "p90", "mean", "draws", "seed"}; None when absent."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise DataError(path, "expected an object with p10, p50 and p90", field=field)
    part = _Json(path, value, field + ".")
    p10, p50, p90 = (part.number(k) for k in ("p10", "p50", "p90"))
    if not p10 <= p50 <= p90:
        raise DataError(path, f"expected p10 <= p50 <= p90, got {p10}, {p50}, {p90}", field=field)
    draws, seed = part.optional_number("draws"), part.optional_number("seed")
    return EnrolmentBand(
        p10=p10,
        p50=p50,
        p90=p90,
        mean=part.optional_number("mean"),
        draws=None if draws is None else int(draws),
        seed=None if seed is None else int(seed),
    )


_Block = TypeVar("_Block", RealismFigures, CapacityFigures)

_FLAGS = ("compact",)
"""The fields of the flat blocks that are true or false, not numbers."""


def _flat_block(
    path: Path, block: Mapping[str, Any] | None, name: str, kind: type[_Block]
) -> _Block | None:
    """`realism` or `capacity`: every number of `kind` read as an optional number."""
    if block is None:
        return None
    values = _Json(path, block, f"{name}.")
    read: dict[str, Any] = {
        f.name: values.optional_number(f.name) for f in fields(kind) if f.name not in _FLAGS
    }
    return kind(**read)


def _capacity(path: Path, block: Mapping[str, Any] | None) -> CapacityFigures | None:
    figures = _flat_block(path, block, "capacity", CapacityFigures)
    if figures is None or block is None:
        return None
    compact = _Json(path, block, "capacity.").optional_bool("compact")
    return replace(figures, compact=bool(compact))


def _history(path: Path, block: Mapping[str, Any] | None) -> HistoryFigures | None:
    if block is None:
        return None
    history = _Json(path, block, "history.")
    month = history.block("national_month_equivalent")
    ratios = history.block("ratios")

    def number(part: Mapping[str, Any] | None, key: str, prefix: str) -> float | None:
        return None if part is None else _Json(path, part, prefix).optional_number(key)

    record: dict[str, Mapping[str, Any]] = {}
    rows = block.get("record")
    if rows is not None:
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise DataError(path, "expected a list of objects", field="history.record")
        record = {str(r.get("key")): r for r in rows}
    record_rows = tuple(
        _record(path, row, f"history.record[{i}].") for i, row in enumerate(rows or ())
    )
    warnings = block.get("warnings")
    if warnings is not None and (
        not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings)
    ):
        raise DataError(path, "expected a list of warning codes", field="history.warnings")
    month_prefix, ratio_prefix = "history.national_month_equivalent.", "history.ratios."
    return HistoryFigures(
        scale_to_national_month=history.optional_number("scale_to_national_month"),
        new_participants=number(month, "new_participants", month_prefix),
        conferences=number(month, "conferences", month_prefix),
        people_reached_directly=number(month, "people_reached_directly", month_prefix),
        best_month_new_participants=history.optional_number("best_month_new_participants"),
        new_participants_vs_best_month=number(
            ratios, "new_participants_vs_best_month", ratio_prefix
        ),
        conferences_vs_2019_month=number(ratios, "conferences_vs_2019_month", ratio_prefix),
        conferences_vs_launch_day_groups=number(
            ratios, "conferences_vs_launch_day_groups", ratio_prefix
        ),
        people_reached_directly_vs_launch_day=number(
            ratios, "people_reached_directly_vs_launch_day", ratio_prefix
        ),
        record_conferences_2019_month=number(
            record.get("2019_month"), "conferences", "history.record[2019_month]."
        ),
        record_groups_launch_day=number(
            record.get("2022_launch_day"), "conferences", "history.record[2022_launch_day]."
        ),
        warnings=tuple(warnings or ()),
        record=record_rows,
        plan_days=history.optional_count("plan_days"),
        plan_days_new_participants=history.optional_number("plan_days_national_new_participants"),
        plan_days_new_participants_vs_best_month=number(
            ratios, "plan_days_new_participants_vs_best_month", ratio_prefix
        ),
        new_participants_judged_on=_judged_on(path, history),
    )


def _judged_on(path: Path, history: _Json) -> str | None:
    judged = history.optional_text("new_participants_judged_on")
    if judged not in (None, "month", "plan_days"):
        raise DataError(
            path,
            f"expected 'month' or 'plan_days', got {judged!r}",
            field="history.new_participants_judged_on",
        )
    return judged


def _record(path: Path, row: Mapping[str, Any], prefix: str) -> RecordFigures:
    values = _Json(path, row, prefix)
    return RecordFigures(
        key=str(row.get("key") or ""),
        label=values.optional_text("label") or "",
        label_en=values.optional_text("label_en") or "",
        conferences=values.optional_number("conferences"),
        people_reached_directly=values.optional_number("people_reached_directly"),
        new_participants=values.optional_number("new_participants"),
    )


def _overrides(path: Path, data: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """summary.json's overrides: {dotted field: value} the run applied to the scenario file."""
    overrides = data.get("overrides") or {}
    if not isinstance(overrides, dict) or not all(isinstance(k, str) for k in overrides):
        raise DataError(path, "must map scenario fields to values", field="overrides")
    return tuple(sorted((k, _json_value(v)) for k, v in overrides.items()))


def _json_value(value: Any) -> Any:
    """A value as the run gave it: JSON keeps dates as ISO strings (a sweep over the end)."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _replanned_from(path: Path, replan: Mapping[str, Any] | None) -> dt.date | None:
    """summary.json's replan.from, the first re-planned day (None for a plan from planner run)."""
    if replan is None:
        return None
    try:
        return dt.date.fromisoformat(str(replan["from"]))
    except (TypeError, KeyError, ValueError):
        raise DataError(path, "expected a date like 2020-06-01", field="replan.from") from None


class _Json:
    """Typed access to summary.json's fields: a bad value is a DataError naming the field."""

    def __init__(self, path: Path, data: Mapping[str, Any], prefix: str) -> None:
        self.path, self.data, self.prefix = path, data, prefix

    def _error(self, key: str, problem: str) -> DataError:
        return DataError(self.path, problem, field=self.prefix + key)

    def _present(self, key: str) -> Any:
        value = self.data.get(key)
        if value is None:
            raise self._error(key, msg("data.missing_or_empty"))
        return value

    def text(self, key: str) -> str:
        value = self._present(key)
        if not isinstance(value, str):
            raise self._error(key, f"expected text, got {value!r}")
        if not value.strip():
            raise self._error(key, msg("data.missing_or_empty"))
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.data.get(key) is None else self.text(key)

    def number(self, key: str) -> float:
        value = self._present(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._error(key, f"expected a number, got {value!r}")
        if not math.isfinite(value):
            raise self._error(key, "expected a finite number")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        return None if self.data.get(key) is None else self.number(key)

    def count(self, key: str) -> int:
        self.number(key)
        value = self.data[key]
        if not isinstance(value, int) or value < 0:
            raise self._error(key, f"expected a whole number >= 0, got {value!r}")
        return value

    def optional_count(self, key: str) -> int | None:
        return None if self.data.get(key) is None else self.count(key)

    def optional_bool(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is not None and not isinstance(value, bool):
            raise self._error(key, f"expected true or false, got {value!r}")
        return value

    def block(self, key: str) -> Mapping[str, Any] | None:
        """An object of summary.json, read-only; None when absent (written before it existed)."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self._error(key, "expected an object")
        return MappingProxyType(value)


# --- the plan folder as values -------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleRow:
    """One row of schedule.csv: a stop, the team-day it belongs to, and where it was read."""

    province_code: str
    team_id: str
    date: dt.date
    order: int
    row: int  # 1-based data row of schedule.csv
    stop: Stop


@dataclass(frozen=True)
class UnservedRow:
    """One row of unserved.csv: a commune, group or group minimum not served, and why."""

    province_code: str
    unserved: Unserved


@dataclass(frozen=True)
class WrittenPlan:
    """A plan folder read back: the routes with their stops, by province, and what was left out."""

    out_dir: Path
    summary: Summary
    routes: Mapping[str, tuple[TeamDayRoute, ...]]  # province code -> its team-days
    stop_counts: Mapping[tuple[str, str, dt.date], int]  # routes.csv's `stops` per team-day
    schedule: tuple[ScheduleRow, ...]  # in the order of schedule.csv
    unserved: tuple[UnservedRow, ...]

    @property
    def n_team_days(self) -> int:
        return sum(len(r) for r in self.routes.values())

    @property
    def n_stops(self) -> int:
        return len(self.schedule)


# --- reading the folder --------------------------------------------------------------------


def read_plan(out_dir: Path) -> WrittenPlan:
    """The plan written in `out_dir` by `planner run`. Raises DataError naming the file,
    the row and the field of the first thing that cannot be read."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise DataError(out_dir, msg("check.no_plan_folder"))
    summary = Summary.read(out_dir / SUMMARY_FILE)
    codes = {p.province_code for p in summary.provinces}
    routes_path = out_dir / ROUTES_FILE
    route_rows: dict[tuple[str, str, dt.date], tuple[int, dict[str, Any]]] = {}
    for n, row in enumerate(read_csv(routes_path, ROUTE_REQUIRED_COLUMNS), start=1):
        cell = _Cells(routes_path, n, row)
        key = (cell.province(codes), cell.text("team_id"), cell.date("date"))
        if key in route_rows:
            raise DataError(
                routes_path,
                f"team {key[1]} has a second route on {key[2]} (also row {route_rows[key][0]})",
                row=n,
                field="team_id",
            )
        route_rows[key] = (n, _route_fields(cell))
    schedule_path = out_dir / SCHEDULE_FILE
    schedule: list[ScheduleRow] = []
    for n, row in enumerate(read_csv(schedule_path, SCHEDULE_REQUIRED_COLUMNS), start=1):
        cell = _Cells(schedule_path, n, row)
        province = cell.province(codes)
        team_id, date = cell.text("team_id"), cell.date("date")
        if (province, team_id, date) not in route_rows:
            raise DataError(
                schedule_path,
                f"a stop of team {team_id} on {date}, a team-day that is not in {ROUTES_FILE}",
                row=n,
                field="team_id",
            )
        schedule.append(ScheduleRow(province, team_id, date, cell.count("stop"), n, _stop(cell)))
    stops_of: dict[tuple[str, str, dt.date], list[ScheduleRow]] = {}
    for entry in schedule:
        stops_of.setdefault((entry.province_code, entry.team_id, entry.date), []).append(entry)
    routes: dict[str, list[TeamDayRoute]] = {code: [] for code in codes}
    stop_counts: dict[tuple[str, str, dt.date], int] = {}
    for key, (_, values) in route_rows.items():
        entries = sorted(stops_of.get(key, []), key=lambda e: e.order)
        orders = [e.order for e in entries]
        if orders != list(range(1, len(entries) + 1)):
            bad = next(e for i, e in enumerate(entries, start=1) if e.order != i)
            raise DataError(
                schedule_path,
                f"the stops of team {key[1]} on {key[2]} are numbered {', '.join(map(str, orders))}; "
                "expected 1, 2, 3, ... once each",
                row=bad.row,
                field="stop",
            )
        stop_counts[key] = values.pop("stops")
        routes[key[0]].append(
            TeamDayRoute(
                team_id=key[1], date=key[2], stops=tuple(e.stop for e in entries), **values
            )
        )
    return WrittenPlan(
        out_dir=out_dir,
        summary=summary,
        routes={code: tuple(r) for code, r in routes.items()},
        stop_counts=stop_counts,
        schedule=tuple(schedule),
        unserved=read_unserved(out_dir / UNSERVED_FILE, codes),
    )


def read_unserved(path: Path, codes: set[str]) -> tuple[UnservedRow, ...]:
    """unserved.csv: every commune, island group and group minimum not served, with why;
    `codes` are the plan's provinces (a row of another is a DataError)."""
    out: list[UnservedRow] = []
    for n, row in enumerate(read_csv(path, UNSERVED_COLUMNS), start=1):
        cell = _Cells(path, n, row)
        kind = cell.text("kind")
        if kind not in ("commune", "group", "group_minimum"):
            raise DataError(
                path,
                f"expected commune, group or group_minimum, got {kind!r}",
                row=n,
                field="kind",
            )
        out.append(
            UnservedRow(
                cell.province(codes),
                Unserved(
                    kind=kind,  # type: ignore[arg-type]  # checked just above
                    code=cell.text("code"),
                    name=cell.text("name"),
                    group_code=cell.text("group_code"),
                    reason=cell.text("reason"),
                    detail=row["detail"],
                    value_lost=cell.number("value_lost"),
                    insertion_minutes=cell.optional_count("insertion_minutes"),
                ),
            )
        )
    return tuple(out)


def _route_fields(cell: _Cells) -> dict[str, Any]:
    return {
        "vehicle": cell.text("vehicle"),
        "base_venue_id": cell.text("base_venue_id"),
        "base_name": cell.raw("base_name"),
        "base_lat": cell.number("base_lat"),
        "base_lon": cell.number("base_lon"),
        "depart_min": cell.clock("depart"),
        "return_min": cell.clock("return"),
        "lunch_start_min": cell.clock("lunch_start"),
        "lunch_minutes": cell.count("lunch_minutes"),
        "km_to_base": cell.number("km_to_base"),
        "minutes_to_base": cell.count("minutes_to_base"),
        "stops": cell.count("stops"),
        "base_position_estimated": cell.flag("base_position_estimated") or False,
    }


def _stop(cell: _Cells) -> Stop:
    kind = cell.text("kind")
    if kind not in ("pass", "conference"):
        raise DataError(
            cell.path, f"expected pass or conference, got {kind!r}", row=cell.row, field="kind"
        )
    common: dict[str, Any] = {
        "commune_code": cell.text("commune_code"),
        "commune_name": cell.raw("commune_name"),
        "group_code": cell.text("group_code"),
        "group_name": cell.raw("group_name"),
        "lat": cell.number("lat"),
        "lon": cell.number("lon"),
        "arrival_min": cell.clock("arrival"),
        "start_min": cell.clock("start"),
        "end_min": cell.clock("end"),
        "km_from_previous": cell.number("km_from_previous"),
        "minutes_from_previous": cell.count("minutes_from_previous"),
        "people_reached": cell.number("people_reached"),
        "expected_enrolments": cell.number("expected_enrolments"),
        "rule_level": cell.text("rule_level"),
        # where the figures come from: written by plans since the estimate flags were added
        "position_estimated": cell.flag("position_estimated") or False,
        "commune_position_estimated": cell.flag("commune_position_estimated") or False,
        "population_estimated": cell.flag("population_estimated") or False,
    }
    if kind == "pass":
        return Stop(kind="pass", pass_number=cell.count("pass_number"), **common)
    return Stop(
        kind="conference",
        venue_id=cell.text("venue_id"),
        venue_name=cell.raw("venue_name"),
        slot=cell.raw("slot") or None,
        invited=cell.count("invited"),
        expected_attendance=cell.number("expected_attendance"),
        gathering_cap=cell.optional_count("gathering_cap"),
        seats_by_area=cell.count("seats_by_area"),
        hall_estimated=cell.flag("hall_estimated"),
        venue_address=cell.values.get("venue_address", ""),
        contact_name=cell.values.get("contact_name", ""),
        contact_phone=cell.values.get("contact_phone", ""),
        opening_hours=cell.values.get("opening_hours", ""),
        **common,
    )


def read_text(path: Path) -> str:
    """A file `planner run` wrote, as text: UTF-8, with or without the byte order mark its
    CSV files carry for Excel."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, msg("data.plan_file_not_found")) from None
    except IsADirectoryError:
        raise DataError(path, "is a folder, expected a file written by `planner run`") from None
    except OSError as error:
        raise DataError(path, f"cannot be read: {error.strerror}") from None
    try:
        return data.decode(CSV_ENCODING)
    except UnicodeDecodeError as error:
        raise DataError(path, msg("data.not_utf8", byte=error.start)) from None


def read_csv(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    """The rows of a CSV file written by `planner run`, each checked to have every column
    in `columns` (and as many fields as the header)."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    header = reader.fieldnames or []
    if not header:
        raise DataError(path, "empty file; expected the header and rows `planner run` writes")
    missing = [c for c in columns if c not in header]
    if missing:
        names = ", ".join(missing)
        raise DataError(
            path,
            msg("plan.missing_columns" if len(missing) > 1 else "plan.missing_column", names=names),
        )
    rows: list[dict[str, str]] = []
    try:
        for n, row in enumerate(reader, start=1):
            extra = cast(list[str], row.pop(None, None) or [])  # type: ignore[call-overload]
            present = sum(value is not None for value in row.values()) + len(extra)
            if present != len(header):
                raise DataError(
                    path, f"has {present} fields, expected {len(header)} as in the header", row=n
                )
            rows.append(row)
    except csv.Error as error:
        raise DataError(path, f"malformed CSV: {error}", row=reader.line_num) from None
    return rows


class _Cells:
    """Typed access to one CSV row: a bad value is a DataError naming file, row and field."""

    def __init__(self, path: Path, row: int, values: Mapping[str, str]) -> None:
        self.path, self.row, self.values = path, row, values

    def _bad(self, field: str, expected: str) -> DataError:
        return DataError(
            self.path, f"expected {expected}, got {self.values[field]!r}", row=self.row, field=field
        )

    def raw(self, field: str) -> str:
        return self.values[field]

    def flag(self, field: str) -> bool | None:
        """An estimate flag, 1 or 0; None when blank or when the file has no such column."""
        value = (self.values.get(field) or "").strip()
        if not value:
            return None
        if value not in ("0", "1"):
            raise self._bad(field, "1 or 0")
        return value == "1"

    def text(self, field: str) -> str:
        value = self.values[field].strip()
        if not value:
            raise DataError(self.path, "is empty", row=self.row, field=field)
        return value

    def province(self, codes: set[str]) -> str:
        code = self.text("province_code")
        if code not in codes:
            raise DataError(
                self.path,
                f"province {code} is not in {SUMMARY_FILE} (provinces {', '.join(sorted(codes))})",
                row=self.row,
                field="province_code",
            )
        return code

    def number(self, field: str) -> float:
        try:
            value = float(self.values[field])
        except ValueError:
            raise self._bad(field, "a number") from None
        if not math.isfinite(value):
            raise self._bad(field, "a finite number")
        return value

    def count(self, field: str) -> int:
        try:
            value = int(self.values[field])
        except ValueError:
            raise self._bad(field, "a whole number") from None
        if value < 0:
            raise self._bad(field, "a whole number >= 0")
        return value

    def optional_count(self, field: str) -> int | None:
        return None if not self.values[field].strip() else self.count(field)

    def date(self, field: str) -> dt.date:
        try:
            return dt.date.fromisoformat(self.values[field].strip())
        except ValueError:
            raise self._bad(field, "a date like 2020-05-23") from None

    def clock(self, field: str) -> int:
        """An "HH:MM" time as minutes since midnight."""
        text = self.values[field].strip()
        hours, _, minutes = text.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            raise self._bad(field, "a time 'HH:MM'")
        value = int(hours) * 60 + int(minutes)
        if int(minutes) > 59 or value > 24 * 60:
            raise self._bad(field, "a time 'HH:MM' from 00:00 to 24:00")
        return value
