"""The workbook: one sheet per team whose rows together are schedule.csv's, real dates and times."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from planner.export.excel import (
    REPORT_SHEET_COLUMNS,
    SUMMARY_SHEET,
    UNSERVED_SHEET,
    sheet_names,
    write_excel,
)
from planner.export.i18n import (
    column_label,
    kind_label,
    rule_level_label,
    slot_label,
    vehicle_label,
)
from planner.export.tables import FLAG_COLUMNS, SCHEDULE_COLUMNS, schedule_rows
from planner.plan import Plan

_CSV_FORMATS = {
    "lat": "{:.6f}",
    "lon": "{:.6f}",
    "people_reached": "{:.1f}",
    "expected_enrolments": "{:.2f}",
    "expected_attendance": "{:.1f}",
    "km_from_previous": "{:.2f}",
}


def _as_csv(column: str, value: Any) -> str:
    """A workbook cell back as schedule.csv writes it."""
    if value is None:
        return ""
    if column == "date":
        assert isinstance(value, dt.datetime | dt.date), value
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    if column in ("arrival", "start", "end"):
        assert isinstance(value, dt.time), value
        return value.strftime("%H:%M")
    if column == "kind":
        return {kind_label(k, "vi"): k for k in ("pass", "conference")}[value]
    if column == "vehicle":
        return {vehicle_label(k, "vi"): k for k in ("car", "motorbike")}[value]
    if column == "slot":
        return {slot_label(k, "vi"): k for k in ("morning", "afternoon")}[value]
    if column == "rule_level":  # in words: "Bình thường (không giới hạn tụ tập)" for open
        return {rule_level_label(k, "vi"): k for k in ("open", "d19_low", "isolated")}[value]
    if column in FLAG_COLUMNS:  # an estimate, in words
        return {"Có": "1", "Không": "0"}[value]
    if column in _CSV_FORMATS:
        return _CSV_FORMATS[column].format(value)
    return str(value)


def test_team_sheets_hold_the_rows_of_schedule_csv(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SUMMARY_SHEET["vi"], "27-256-1", "27-258-1", UNSERVED_SHEET["vi"]]
    rows: list[dict[str, str]] = []
    for name in book.sheetnames[1:-1]:
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        assert header == [column_label(c, "vi") for c in (*SCHEDULE_COLUMNS, *REPORT_SHEET_COLUMNS)]
        assert sheet.freeze_panes == "A2"
        for values in sheet.iter_rows(min_row=2, values_only=True):
            plan_part, report_part = (
                values[: len(SCHEDULE_COLUMNS)],
                values[len(SCHEDULE_COLUMNS) :],
            )
            rows.append(
                {c: _as_csv(c, v) for c, v in zip(SCHEDULE_COLUMNS, plan_part, strict=True)}
            )
            assert report_part == (None,) * len(REPORT_SHEET_COLUMNS)  # for the team to fill in
    expected = [{c: str(v) for c, v in row.items()} for row in schedule_rows(plan)]
    assert rows == expected


def test_dates_and_times_are_real(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path)
    sheet = openpyxl.load_workbook(path)["27-256-1"]
    date_cell = sheet.cell(row=2, column=SCHEDULE_COLUMNS.index("date") + 1)
    time_cell = sheet.cell(row=2, column=SCHEDULE_COLUMNS.index("arrival") + 1)
    assert date_cell.is_date and date_cell.number_format == "dd/mm/yyyy"
    assert isinstance(time_cell.value, dt.time) and time_cell.number_format == "hh:mm"
    widths = [sheet.column_dimensions[c].width for c in ("A", "H")]
    assert all(w and w >= 6 for w in widths)


def test_text_that_looks_like_a_formula_stays_text(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path)
    sheet = openpyxl.load_workbook(path)["27-256-1"]
    venues = [
        c
        for (c,) in sheet.iter_rows(
            min_row=2,
            min_col=SCHEDULE_COLUMNS.index("venue_name") + 1,
            max_col=SCHEDULE_COLUMNS.index("venue_name") + 1,
        )
        if c.value
    ]
    assert [c.value for c in venues] == ["=1+2 Nhà văn hóa"]
    assert venues[0].data_type == "s"


def test_summary_and_unserved_sheets(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path, lang="en")
    book = openpyxl.load_workbook(path)
    summary = book["Summary"]
    assert [c.value for c in summary[1]][:2] == ["Code", "Province"]
    assert [c.value for c in summary[2]][:3] == ["27", "Bắc Ninh", 6]
    unserved = book["Not served"]
    assert unserved.max_row == 1 + len(plan.provinces[0].unserved)
    assert [c.value for c in unserved[2]][5:7] == ["Isolated", "isolated"]


def test_sheet_names_are_short_unique_and_legal() -> None:
    long = "x" * 40
    names = sheet_names([long, long, "a/b:c", "Tổng hợp", "tổng hợp"], reserved=["Tổng hợp"])
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[2] == "a_b_c"
    assert "Tổng hợp" not in names


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_sheet_prints_landscape_one_page_wide_with_its_header(
    plan: Plan, tmp_path: Path, lang: str
) -> None:
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path, lang=lang)
    book = openpyxl.load_workbook(path)
    assert len(book.worksheets) == 4
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"  # the header row on every printed page
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref
        widths = [
            sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width
            for i in range(1, sheet.max_column + 1)
        ]
        assert all(w is not None and 6 <= w <= 60 for w in widths), (sheet.title, widths)


def test_headers_in_the_language_asked(plan: Plan, tmp_path: Path) -> None:
    for lang, first, done, unserved in (
        ("vi", ["Mã tỉnh", "Đội", "Ngày"], "Đã thực hiện", "Chưa phục vụ"),
        ("en", ["Province code", "Team", "Date"], "Done", "Not served"),
    ):
        path = tmp_path / f"schedule-{lang}.xlsx"
        write_excel(plan, path, lang=lang)
        book = openpyxl.load_workbook(path)
        sheet = book["27-256-1"]
        header = [c.value for c in sheet[1]]
        assert header[:3] == first
        assert header[len(SCHEDULE_COLUMNS)] == done
        assert unserved in book.sheetnames
        # the done column offers a list in the language (warning only: 1 / 0 / x are read too)
        (validation,) = sheet.data_validations.dataValidation
        assert validation.type == "list" and validation.errorStyle == "warning"
        assert validation.formula1 == ('"Có,Không"' if lang == "vi" else '"Yes,No"')


def test_control_characters_in_names_do_not_break_the_writer(plan: Plan, tmp_path: Path) -> None:
    """openpyxl refuses U+0000-U+001F (but tab and line breaks): they are removed."""
    province = plan.provinces[0]
    route = province.routes[0]
    bad = "Xã\x00 Hòa\x01\x1f Long\tmới\x0b"
    stops = (dataclasses.replace(route.stops[0], commune_name=bad), *route.stops[1:])
    routes = tuple(
        dataclasses.replace(r, team_id=r.team_id + "\x02") if r.team_id == route.team_id else r
        for r in (dataclasses.replace(route, stops=stops), *province.routes[1:])
    )
    province = dataclasses.replace(province, routes=routes, province_name="Bắc\x07 Ninh")
    path = tmp_path / "schedule.xlsx"
    write_excel(dataclasses.replace(plan, provinces=(province,)), path)
    book = openpyxl.load_workbook(path)
    assert "27-256-1" in book.sheetnames
    names = [c.value for c in book["27-256-1"]["H"]]
    assert "Xã Hòa Long\tmới" in names
    summary = book[SUMMARY_SHEET["vi"]]
    assert summary["B2"].value == "Bắc Ninh"


def test_a_vietnamese_workbook_says_codes_in_words(plan: Plan, tmp_path: Path) -> None:
    """Issue 15: "Trạng thái lời giải: OPTIMAL", the rule level "open" and reason codes leaked
    English into the Vietnamese workbook."""
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path)
    book = openpyxl.load_workbook(path)
    summary = book[SUMMARY_SHEET["vi"]]
    header = [c.value for c in summary[1]]
    status = summary.cell(row=2, column=header.index("Trạng thái lời giải") + 1).value
    assert status == "Tối ưu"
    team = book["27-256-1"]
    header = [c.value for c in team[1]]
    levels = {
        row[header.index("Mức quy định")] for row in team.iter_rows(min_row=2, values_only=True)
    }
    assert levels == {"Bình thường (không giới hạn tụ tập)"}
    unserved = book[UNSERVED_SHEET["vi"]]
    header = [c.value for c in unserved[1]]
    rows = list(unserved.iter_rows(min_row=2, values_only=True))
    assert {r[header.index("Lý do")] for r in rows} == {
        "Bị cách ly, phong tỏa",
        "Không còn thời gian",
    }
    values = {str(v) for r in [*summary.iter_rows(values_only=True), *rows] for v in r}
    assert not values & {"OPTIMAL", "FEASIBLE", "open"}
    english = tmp_path / "en.xlsx"
    write_excel(plan, english, lang="en")
    sheet = openpyxl.load_workbook(english)[SUMMARY_SHEET["en"]]
    assert "Optimal" in [c.value for c in sheet[2]]
