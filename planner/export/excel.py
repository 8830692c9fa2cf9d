"""The plan as an Excel workbook: a summary sheet, one sheet per team, the places not served.

`write_excel(plan, path)` writes `schedule.xlsx`:

- the summary sheet ("Tổng hợp" / "Summary"): one row per province with its figures
  (`tables.province_summary`), and a total row;
- one sheet per team, named after the team (at most 31 characters, unique): the rows of
  schedule.csv for that team, in the same order and with the same columns, the headers in the
  chosen language. All team sheets together hold exactly the rows of schedule.csv. Dates are
  Excel dates, times Excel times, numbers numbers; `kind` is written in words. After them,
  empty and headed in yellow, the columns a team fills in to report what it did
  (`REPORT_SHEET_COLUMNS`: done, with a Có/Không list; the reason when not done; actual
  attendance; sign-ups; a note): the workbook sent back is what `planner replan --done`
  reads (planner/reports.py);
- the unserved sheet ("Chưa phục vụ" / "Not served"): the rows of unserved.csv, the reason
  in words next to its code, the detail in the workbook's language when the catalogue knows
  its wording (`planner.messages.localize`).

Codes are written in words in the workbook's language: the activity, vehicle, slot, the
rule level in force (`rule_level_label`: "Bình thường (không giới hạn tụ tập)" for `open`)
and the solver's status (`solver_status_label`: "Khả thi ..." for FEASIBLE).

Every sheet has a frozen, filtered header row, column widths fitted to its contents, and a
print setup: A4 landscape, fitted to one page wide (as many pages down as it takes), the
header row repeated on every printed page, the sheet's name above and the page number below.

Text from the data never breaks the file: control characters (U+0000-U+001F but tab, line
feed and carriage return), which the xlsx format cannot hold and openpyxl refuses, are
removed; text starting with "=" stays text, never a formula.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from planner.export.i18n import (
    DONE_CHOICES,
    REPORT_SHEET_COLUMNS,
    Lang,
    check_lang,
    column_label,
    kind_label,
    reason_label,
    rule_level_label,
    slot_label,
    solver_status_label,
    t,
    unserved_kind_label,
    vehicle_label,
)
from planner.export.tables import (
    FLAG_COLUMNS,
    SCHEDULE_COLUMNS,
    province_summary,
    schedule_rows,
)
from planner.messages import localize
from planner.plan import Plan

__all__ = [
    "REPORT_SHEET_COLUMNS",
    "SUMMARY_SHEET",
    "UNSERVED_SHEET",
    "clean_text",
    "sheet_names",
    "write_excel",
]

SUMMARY_SHEET = {"vi": "Tổng hợp", "en": "Summary"}
UNSERVED_SHEET = {"vi": "Chưa phục vụ", "en": "Not served"}
MAX_SHEET_NAME = 31

_INTEGER_COLUMNS = {"stop", "pass_number", "invited", "gathering_cap", "seats_by_area"}
_INTEGER_COLUMNS |= {"minutes_from_previous"}
_FLOAT_COLUMNS = {
    "lat": "0.000000",
    "lon": "0.000000",
    "people_reached": "#,##0.0",
    "expected_enrolments": "#,##0.00",
    "expected_attendance": "#,##0.0",
    "km_from_previous": "#,##0.00",
}
_TIME_COLUMNS = {"arrival", "start", "end"}
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_REPORT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the columns a team fills in
_REPORT_WIDTH = {"skip_reason": 24, "note": 30}  # room to write in; the others 12

# (summary key, label key, number format)
_SUMMARY_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("province_code", "code", None),
    ("province_name", "province", None),
    ("communes", "n_communes", "#,##0"),
    ("target_people", "target_people", "#,##0"),
    ("team_days", "team_days", "#,##0"),
    ("team_days_available", "team_days_available", "#,##0"),
    ("passes", "passes", "#,##0"),
    ("conferences", "conferences", "#,##0"),
    ("communes_served", "communes_served", "#,##0"),
    ("expected_reach", "people_reached", "#,##0"),
    ("reach_ratio", "reach_ratio", "0.0%"),
    ("expected_enrolments", "expected_enrolments", "#,##0.0"),
    ("travel_km", "travel_km", "#,##0"),
    ("objective", "objective", "#,##0.0"),
    ("upper_bound", "upper_bound", "#,##0.0"),
    ("gap", "gap", "0.0%"),
    ("greedy_value", "greedy_value", "#,##0.0"),
    ("solver_status", "solver_status", None),
)
_SUMMED = {
    "communes",
    "target_people",
    "team_days",
    "team_days_available",
    "passes",
    "conferences",
    "communes_served",
    "expected_reach",
    "expected_enrolments",
    "travel_km",
    "objective",
    "upper_bound",
    "greedy_value",
}


def sheet_names(wanted: Sequence[str], reserved: Iterable[str] = ()) -> list[str]:
    """Excel-safe, unique sheet names for `wanted`, none equal to a `reserved` one.

    Excel forbids : \\ / ? * [ ] (and control characters) in a name, limits it to 31
    characters and compares names case-insensitively; a clash gets a suffix "~2", "~3", ...
    """
    taken = {name.casefold() for name in reserved}
    out: list[str] = []
    for raw in wanted:
        name = re.sub(r"[:\\/?*\[\]]", "_", re.sub(r"[\x00-\x1f]", "", raw)).strip("'") or "_"
        name = name[:MAX_SHEET_NAME]
        candidate, n = name, 2
        while candidate.casefold() in taken:
            suffix = f"~{n}"
            candidate = name[: MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def clean_text(value: Any) -> Any:
    """`value` with the control characters the xlsx format cannot hold removed (strings only)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _append(sheet: Worksheet, values: Sequence[Any]) -> None:
    sheet.append([clean_text(v) for v in values])


def _cell_value(column: str, value: Any, lang: Lang) -> Any:
    """A schedule.csv value as the workbook holds it."""
    if value == "" or value is None:
        return None
    if column == "date":
        return dt.date.fromisoformat(str(value))
    if column in _TIME_COLUMNS:
        hours, minutes = str(value).split(":")
        return dt.time(int(hours), int(minutes))
    if column == "kind":
        return kind_label(str(value), lang)
    if column == "vehicle":
        return vehicle_label(str(value), lang)
    if column == "slot":
        return slot_label(str(value), lang)
    if column == "rule_level":
        return rule_level_label(str(value), lang)
    if column in FLAG_COLUMNS:  # an estimate: "Có" / "Không"
        yes, no = DONE_CHOICES[lang]
        return yes if str(value) == "1" else no
    if column in _INTEGER_COLUMNS:
        return int(value)
    if column in _FLOAT_COLUMNS:
        return float(value)
    return value


def _formats(lang: Lang) -> dict[str, str]:
    formats = dict(_FLOAT_COLUMNS)
    formats["date"] = "dd/mm/yyyy" if lang == "vi" else "yyyy-mm-dd"
    formats.update(dict.fromkeys(_TIME_COLUMNS, "hh:mm"))
    return formats


def _as_text(sheet: Worksheet) -> None:
    """Keep text that starts with "=" text: a name from the data is never a formula."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _header(sheet: Worksheet, labels: Sequence[str]) -> None:
    _append(sheet, list(labels))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, one page wide, the header row on every page, name and page number."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows take
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.oddHeader.center.text = sheet.title.replace("&", "&&")
    sheet.oddFooter.center.text = "&P / &N"
    sheet.freeze_panes = "A2"


def _fit_columns(sheet: Worksheet, *, minimum: int = 6, maximum: int = 45) -> None:
    widths: dict[int, int] = {}
    for row_number, row in enumerate(sheet.iter_rows(), start=1):
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, dt.date | dt.time):
                length = 10
            elif isinstance(cell.value, float):
                length = len(f"{cell.value:,.2f}")
            else:
                length = len(str(cell.value))
            if row_number == 1:  # headers wrap: half their length is enough
                length = max(minimum, (length + 1) // 2)
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(
            maximum, max(minimum, width + 2)
        )
    if sheet.max_row > 1 and sheet.max_column > 0:
        sheet.auto_filter.ref = sheet.dimensions


def _summary_sheet(sheet: Worksheet, plan: Plan, lang: Lang) -> None:
    _header(sheet, [t(label, lang) for _, label, _ in _SUMMARY_COLUMNS])
    totals: dict[str, float] = dict.fromkeys(_SUMMED, 0.0)
    for province in plan.provinces:
        summary = province_summary(province)
        target = summary["target_people"]
        summary["reach_ratio"] = summary["expected_reach"] / target if target else 0.0
        summary["solver_status"] = solver_status_label(str(summary["solver_status"]), lang)
        _append(sheet, [summary[key] for key, _, _ in _SUMMARY_COLUMNS])
        for key in _SUMMED:
            totals[key] += float(summary[key] or 0)
    _as_text(sheet)
    if len(plan.provinces) > 1:
        total_row: list[Any] = []
        for key, _, _ in _SUMMARY_COLUMNS:
            if key == "province_name":
                total_row.append(t("total", lang))
            elif key in _SUMMED:
                total_row.append(totals[key])
            elif key == "reach_ratio":
                target = totals["target_people"]
                total_row.append(totals["expected_reach"] / target if target else 0.0)
            elif key == "gap":
                bound = totals["upper_bound"]
                total_row.append(
                    max(0.0, (bound - totals["objective"]) / bound) if bound > 0 else 0.0
                )
            else:
                total_row.append(None)
        _append(sheet, total_row)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, (_, _, number_format) in enumerate(_SUMMARY_COLUMNS, start=1):
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    _fit_columns(sheet)


def _team_sheet(sheet: Worksheet, rows: Sequence[dict[str, Any]], lang: Lang) -> None:
    columns = (*SCHEDULE_COLUMNS, *REPORT_SHEET_COLUMNS)
    _header(sheet, [column_label(c, lang) for c in columns])
    formats = _formats(lang)
    for row in rows:
        _append(sheet, [_cell_value(c, row[c], lang) for c in SCHEDULE_COLUMNS])
    _as_text(sheet)
    for index, column in enumerate(SCHEDULE_COLUMNS, start=1):
        if column in formats:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = formats[column]
    _fit_columns(sheet)
    _report_columns(sheet, lang, first=len(SCHEDULE_COLUMNS) + 1, rows=len(rows))


def _report_columns(sheet: Worksheet, lang: Lang, *, first: int, rows: int) -> None:
    """The empty columns a team fills in: yellow headers, a Có/Không list for done."""
    for index, column in enumerate(REPORT_SHEET_COLUMNS, start=first):
        sheet.cell(row=1, column=index).fill = _REPORT_FILL
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = max(dimension.width or 0, _REPORT_WIDTH.get(column, 12))
    if rows == 0:
        return
    yes, no = DONE_CHOICES[lang]
    done = DataValidation(
        type="list",
        formula1=f'"{yes},{no}"',
        allow_blank=True,
        errorStyle="warning",  # 1 / 0 / x are read too: warn, do not refuse
        showErrorMessage=True,
        error=f"{yes} / {no} (1 / 0)",
    )
    column = get_column_letter(first + REPORT_SHEET_COLUMNS.index("done"))
    done.add(f"{column}2:{column}{rows + 1}")
    sheet.add_data_validation(done)


def _unserved_sheet(sheet: Worksheet, plan: Plan, lang: Lang) -> None:
    labels = [
        column_label("province_code", lang),
        t("kind", lang),
        t("code", lang),
        t("name", lang),
        column_label("group_code", lang),
        t("reason", lang),
        t("reason_code", lang),
        t("detail", lang),
        t("value_lost", lang),
        t("insertion_minutes", lang),
    ]
    _header(sheet, labels)
    for province in plan.provinces:
        for u in province.unserved:
            _append(
                sheet,
                [
                    province.province_code,
                    unserved_kind_label(u.kind, lang),
                    u.code,
                    u.name,
                    u.group_code,
                    reason_label(u.reason, lang),
                    u.reason,
                    localize(u.detail, lang),
                    round(u.value_lost, 1),
                    u.insertion_minutes,
                ],
            )
    _as_text(sheet)
    _fit_columns(sheet, maximum=60)


def write_excel(plan: Plan, path: Path, *, lang: str = "vi") -> None:
    """Write the workbook described in the module docstring to `path`."""
    language = check_lang(lang)
    rows = schedule_rows(plan)
    by_team: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        by_team.setdefault((row["province_code"], row["team_id"]), []).append(row)
    teams = sorted(by_team)
    team_ids = [team_id for _, team_id in teams]
    # a team id that two provinces share is prefixed with its province code
    wanted = [
        team_id if team_ids.count(team_id) == 1 else f"{province}-{team_id}"
        for province, team_id in teams
    ]
    names = sheet_names(wanted, reserved=(SUMMARY_SHEET[language], UNSERVED_SHEET[language]))

    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = SUMMARY_SHEET[language]
    _summary_sheet(summary, plan, language)
    for key, name in zip(teams, names, strict=True):
        _team_sheet(workbook.create_sheet(name), by_team[key], language)
    _unserved_sheet(workbook.create_sheet(UNSERVED_SHEET[language]), plan, language)
    for sheet in workbook.worksheets:
        _print_setup(sheet)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
