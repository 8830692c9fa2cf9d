"""Read a plan's output folder (what `planner run` wrote) back as values to compare.

A folder is a plan when it has

- `summary.json`: the plan's figures, in total and per province (`planner.export.tables.summary`),
  with an optional uncertainty band of enrolments, `expected_enrolments_band` =
  {"p10", "p50", "p90", "mean", "draws", "seed", ...}, in total and inside each province's
  entry, or per province in `expected_enrolments_band_by_province` = {code: band};
- `schedule.csv`: one row per stop (`SCHEDULE_COLUMNS`), of which the columns in
  `STOP_COLUMNS` are read;
- `unserved.csv`: one row per place left out (`UNSERVED_COLUMNS`), of which `UNSERVED_READ`.

summary.json's `history`, `realism` and `capacity` blocks (`planner.history`: the plan as a
national month beside the campaign record, how the plan is run, team-days full, light and
idle) are read into `HistoryFigures`, `RealismFigures` and `CapacityFigures` on the plan's
totals; a plan written before they existed has None there (each figure missing from a block
is None too), and compares all the same.

Anything else in the folder (maps, workbook, GeoPackage) is not needed. Whatever is missing
or unreadable is a one-line `DataError` naming the file, the row or field, and what was
expected, so that `planner compare` on a folder that is not a plan says so and stops.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from planner.errors import DataError
from planner.messages import Lang, msg, scenario_title
from planner.messages import number as format_number

__all__ = [
    "STOP_COLUMNS",
    "UNSERVED_READ",
    "CapacityFigures",
    "EnrolmentBand",
    "Figures",
    "HistoryFigures",
    "PlanOutputs",
    "ProvinceFigures",
    "RealismFigures",
    "ScheduledStop",
    "UnservedPlace",
    "load_plan_outputs",
    "sum_figures",
]

STOP_COLUMNS = (
    "province_code",
    "team_id",
    "date",
    "kind",
    "commune_code",
    "commune_name",
    "group_code",
    "group_name",
    "venue_id",
    "people_reached",
    "expected_enrolments",
)
UNSERVED_READ = ("province_code", "kind", "code", "name", "group_code", "reason")
BAND = "expected_enrolments_band"
BANDS_BY_PROVINCE = "expected_enrolments_band_by_province"
_NOT_A_PLAN = "expected the output folder of `planner run`"


@dataclass(frozen=True)
class EnrolmentBand:
    """The spread of expected enrolments over turnout draws: 10th, 50th, 90th percentiles."""

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
class HistoryFigures:
    """summary.json's `history`: the plan scaled to a national month, beside the record.

    The plan's figures are "national month equivalents" (x 30 / campaign days, / the plan's
    share of the country's target people: `planner.history`); the record's are from
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
class ProvinceFigures:
    province_code: str
    province_name: str
    figures: Figures


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
    """A plan as read back from its output folder."""

    folder: Path
    scenario: str
    structure: str
    figures: Figures
    provinces: tuple[ProvinceFigures, ...]
    stops: tuple[ScheduledStop, ...]
    unserved: tuple[UnservedPlace, ...]
    # the scenario's title (summary.json's scenario_title, else the scenario file's); None
    # when it has none or the file is gone
    title: str | None = None


def load_plan_outputs(folder: str | Path) -> PlanOutputs:
    """Read summary.json, schedule.csv and unserved.csv of one run folder.

    Raises DataError naming the folder or file when it is not a plan's output folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(folder, msg("data.not_a_plan", rest=msg("data.no_such_folder")))
    summary_path = folder / "summary.json"
    summary = _read_summary(summary_path)
    structure = _text(summary, "structure", summary_path)
    provinces = summary.get("provinces")
    if not isinstance(provinces, list):
        raise DataError(
            summary_path, f"expected a list of provinces; {_NOT_A_PLAN}", field="provinces"
        )
    stops = tuple(_stops(folder / "schedule.csv"))
    figures = replace(
        _figures(summary, summary_path, prefix="", by_reason=_plan_reasons(summary)),
        history=_history(summary.get("history"), summary_path),
        realism=_flat_block(summary.get("realism"), summary_path, "realism", RealismFigures),
        capacity=_flat_block(summary.get("capacity"), summary_path, "capacity", CapacityFigures),
        teams=len({(s.province_code, s.team_id) for s in stops}),
    )
    return PlanOutputs(
        folder=folder,
        scenario=_text(summary, "scenario", summary_path),
        structure=structure,
        figures=figures,
        provinces=tuple(
            _province(entry, summary_path, f"provinces[{i}].", _bands_by_province(summary))
            for i, entry in enumerate(provinces)
        ),
        stops=stops,
        unserved=tuple(_unserved(folder / "unserved.csv")),
        title=scenario_title(summary),
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


# -- summary.json ------------------------------------------------------------------------------


def _read_summary(path: Path) -> Mapping[str, Any]:
    if not path.is_file():
        raise DataError(path, msg("compare.error.no_summary"))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text ({exc.reason}); {_NOT_A_PLAN}") from exc
    except json.JSONDecodeError as exc:
        raise DataError(
            path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if not isinstance(data, dict):
        raise DataError(path, f"expected a JSON object; {_NOT_A_PLAN}")
    return data


def _text(data: Mapping[str, Any], key: str, path: Path, prefix: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
        raise DataError(path, f"missing or empty; {_NOT_A_PLAN}", field=prefix + key)
    return str(value)


def _number(
    data: Mapping[str, Any], key: str, path: Path, prefix: str, *, required: bool = True
) -> float | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problem = "missing" if value is None else f"expected a number, got {value!r}"
        raise DataError(path, f"{problem}; {_NOT_A_PLAN}", field=prefix + key)
    return float(value)


def _required(data: Mapping[str, Any], key: str, path: Path, prefix: str) -> float:
    value = _number(data, key, path, prefix)
    assert value is not None
    return value


def _figures(data: Mapping[str, Any], path: Path, *, prefix: str, by_reason: Any) -> Figures:
    def count(key: str) -> int:
        return int(_required(data, key, path, prefix))

    def optional(key: str) -> float | None:
        return _number(data, key, path, prefix, required=False)

    available = optional("team_days_available")
    return Figures(
        expected_reach=_required(data, "expected_reach", path, prefix),
        expected_enrolments=_required(data, "expected_enrolments", path, prefix),
        passes=count("passes"),
        conferences=count("conferences"),
        unserved_by_reason=_reasons(by_reason, path, prefix),
        team_days=count("team_days"),
        team_days_available=None if available is None else int(available),
        travel_km=_required(data, "travel_km", path, prefix),
        objective=optional("objective"),
        upper_bound=optional("upper_bound"),
        gap=optional("gap"),
        band=_band(data.get(BAND), path, prefix + BAND),
    )


_Block = TypeVar("_Block", RealismFigures, CapacityFigures)


def _object(value: Any, path: Path, field: str) -> Mapping[str, Any] | None:
    """A block of summary.json: None when absent (a plan written before it existed)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise DataError(path, "expected an object", field=field)
    return value


def _flat_block(value: Any, path: Path, name: str, kind: type[_Block]) -> _Block | None:
    """`realism` or `capacity`: every field of `kind` read as an optional number."""
    block = _object(value, path, name)
    if block is None:
        return None
    return kind(
        **{f.name: _number(block, f.name, path, f"{name}.", required=False) for f in fields(kind)}
    )


def _history(value: Any, path: Path) -> HistoryFigures | None:
    block = _object(value, path, "history")
    if block is None:
        return None
    month = _object(
        block.get("national_month_equivalent"), path, "history.national_month_equivalent"
    )
    ratios = _object(block.get("ratios"), path, "history.ratios")

    def number(part: Mapping[str, Any] | None, key: str, prefix: str) -> float | None:
        return None if part is None else _number(part, key, path, prefix, required=False)

    record: dict[str, Mapping[str, Any]] = {}
    rows = block.get("record")
    if rows is not None:
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise DataError(path, "expected a list of objects", field="history.record")
        record = {str(r.get("key")): r for r in rows}
    warnings = block.get("warnings")
    if warnings is not None and (
        not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings)
    ):
        raise DataError(path, "expected a list of warning codes", field="history.warnings")
    month_prefix, ratio_prefix = "history.national_month_equivalent.", "history.ratios."
    return HistoryFigures(
        scale_to_national_month=number(block, "scale_to_national_month", "history."),
        new_participants=number(month, "new_participants", month_prefix),
        conferences=number(month, "conferences", month_prefix),
        people_reached_directly=number(month, "people_reached_directly", month_prefix),
        best_month_new_participants=number(block, "best_month_new_participants", "history."),
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
    )


def _plan_reasons(summary: Mapping[str, Any]) -> Any:
    unserved = summary.get("unserved")
    return unserved.get("by_reason") if isinstance(unserved, dict) else None


def _reasons(value: Any, path: Path, prefix: str) -> tuple[tuple[str, int], ...]:
    """{"reason": count} as sorted pairs; absent means none left out."""
    field = prefix + ("unserved_communes_by_reason" if prefix else "unserved.by_reason")
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value.values()
    ):
        raise DataError(path, "expected an object of reason -> count of communes", field=field)
    return tuple(sorted((str(reason), int(n)) for reason, n in value.items()))


def _band(value: Any, path: Path, field: str) -> EnrolmentBand | None:
    """The optional band {"p10", "p50", "p90", "mean", "draws", "seed"}; None when absent."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise DataError(path, "expected an object with p10, p50 and p90", field=field)

    def part(key: str, *, required: bool) -> float | None:
        return _number(value, key, path, field + ".", required=required)

    p10, p50, p90 = (part(k, required=True) for k in ("p10", "p50", "p90"))
    assert p10 is not None and p50 is not None and p90 is not None
    if not p10 <= p50 <= p90:
        raise DataError(path, f"expected p10 <= p50 <= p90, got {p10}, {p50}, {p90}", field=field)
    draws, seed = part("draws", required=False), part("seed", required=False)
    return EnrolmentBand(
        p10=p10,
        p50=p50,
        p90=p90,
        mean=part("mean", required=False),
        draws=None if draws is None else int(draws),
        seed=None if seed is None else int(seed),
    )


def _bands_by_province(summary: Mapping[str, Any]) -> Mapping[str, Any]:
    """{province code: band} from the top-level `expected_enrolments_band_by_province`, if any."""
    value = summary.get(BANDS_BY_PROVINCE)
    return value if isinstance(value, dict) else {}


def _province(entry: Any, path: Path, prefix: str, bands: Mapping[str, Any]) -> ProvinceFigures:
    """One entry of summary["provinces"]; its band inside it, else from `bands` by code."""
    if not isinstance(entry, dict):
        raise DataError(path, "expected an object per province", field=prefix.rstrip("."))
    code = _text(entry, "province_code", path, prefix)
    figures = _figures(
        entry, path, prefix=prefix, by_reason=entry.get("unserved_communes_by_reason")
    )
    if figures.band is None and code in bands:
        figures = replace(figures, band=_band(bands[code], path, f"{BANDS_BY_PROVINCE}.{code}"))
    return ProvinceFigures(
        province_code=code,
        province_name=_text(entry, "province_name", path, prefix),
        figures=figures,
    )


# -- the CSV tables ------------------------------------------------------------------------------


def _rows(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(data row number, row) of a UTF-8 CSV that has every column in `columns`; with or
    without the byte order mark the planner writes (planner/export/tables.py)."""
    if not path.is_file():
        raise DataError(path, msg("data.not_a_plan", rest=msg("data.file_not_found")))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text ({exc.reason}); {_NOT_A_PLAN}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames
        if not header:
            raise DataError(path, f"empty file; expected a header with {', '.join(columns)}")
        missing = [c for c in columns if c not in header]
        if missing:
            raise DataError(
                path,
                f"no column {', '.join(missing)}; expected the columns written by `planner run`",
            )
        for number, row in enumerate(reader, start=1):
            if None in row or any(row[c] is None for c in columns):
                raise DataError(
                    path, "the row has more or fewer fields than the header", row=number
                )
            yield number, row
    except csv.Error as exc:
        raise DataError(path, f"not a well-formed CSV table ({exc})") from exc


def _float(row: Mapping[str, str], column: str, path: Path, number: int) -> float:
    text = row[column].strip()
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise DataError(path, f"expected a number, got {text!r}", row=number, field=column)
    return value


def _stops(path: Path) -> Iterator[ScheduledStop]:
    for number, row in _rows(path, STOP_COLUMNS):
        try:
            date = dt.date.fromisoformat(row["date"].strip())
        except ValueError as exc:
            raise DataError(
                path, f"expected a date YYYY-MM-DD, got {row['date']!r}", row=number, field="date"
            ) from exc
        kind = row["kind"].strip()
        if kind not in ("pass", "conference"):
            raise DataError(
                path, f"expected 'pass' or 'conference', got {kind!r}", row=number, field="kind"
            )
        yield ScheduledStop(
            province_code=row["province_code"].strip(),
            team_id=row["team_id"].strip(),
            date=date,
            kind=kind,
            commune_code=row["commune_code"].strip(),
            commune_name=row["commune_name"],
            group_code=row["group_code"].strip(),
            group_name=row["group_name"],
            venue_id=row["venue_id"].strip(),
            people_reached=_float(row, "people_reached", path, number),
            expected_enrolments=_float(row, "expected_enrolments", path, number),
        )


def _unserved(path: Path) -> Iterator[UnservedPlace]:
    for _, row in _rows(path, UNSERVED_READ):
        yield UnservedPlace(
            province_code=row["province_code"].strip(),
            kind=row["kind"].strip(),
            code=row["code"].strip(),
            name=row["name"],
            group_code=row["group_code"].strip(),
            reason=row["reason"].strip(),
        )
