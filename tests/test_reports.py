"""Reports of what was done, in the forms people produce: the workbook, CSV in every encoding
and separator Excel writes, several files merged; and the CSVs the planner writes for Excel."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from planner.compare.load import load_plan_outputs
from planner.errors import DataError
from planner.export.excel import write_excel
from planner.export.i18n import COLUMNS, LANGS, REPORT_COLUMNS, column_label, kind_label
from planner.export.tables import SCHEDULE_COLUMNS, UNSERVED_COLUMNS, schedule_rows
from planner.plan import Plan
from planner.reports import FIELDS, ReportedStop, code_key, fold, read_reports
from planner.verify import _read_csv, read_unserved
from tests.compare.factory import baseline_plan, write_plan_folder
from tests.export.conftest import make_plan

DATA = Path(__file__).parent / "data" / "reports"
Row = dict[str, str]
Key = tuple[str, dt.date, str, str]

NOTE = "Trời mưa, hội trường ướt; dời sang tuần sau"  # tone marks Windows-1258 decomposes
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _key(row: Row) -> Key:
    """A schedule row's stop as `ReportedStop.key` names it (a digit code by value)."""
    place = row["commune_code"] if row["kind"] == "pass" else row["venue_id"]
    return (row["team_id"], dt.date.fromisoformat(row["date"]), row["kind"], code_key(place))


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan()


@pytest.fixture(scope="module")
def rows(plan: Plan) -> list[Row]:
    """schedule.csv's rows, every other one done; the not-done ones say why."""
    out = []
    for i, row in enumerate(schedule_rows(plan)):
        done = i % 2 == 0
        out.append(
            {
                **{c: str(v) for c, v in row.items()},
                "done": "1" if done else "0",
                "skip_reason": "" if done else NOTE,
            }
        )
    return out


def _expected(rows: list[Row]) -> dict[Key, bool]:
    return {_key(r): r["done"] == "1" for r in rows}


def _got(stops: tuple[ReportedStop, ...]) -> dict[Key, bool]:
    return {s.key: s.done for s in stops}


def windows_1258(text: str) -> bytes:
    """`text` as Vietnamese Windows writes it: a precomposed letter when the code page has
    it, otherwise the letter with its vowel mark and the tone as a combining character."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("cp1258")
            out.append(char)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def _table(rows: list[Row], columns: list[str], *, lang: str | None, delimiter: str) -> str:
    """The rows as text: schedule.csv's own columns, or the workbook's headers and words as
    Excel saves a sheet (dates day first, the activity and done in words)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if lang is None:
        writer.writerow(columns)
        writer.writerows([[r[c] for c in columns] for r in rows])
        return buffer.getvalue()
    writer.writerow([column_label(c, lang) for c in columns])  # type: ignore[arg-type]
    for r in rows:
        values = []
        for c in columns:
            value = r[c]
            if c == "date":
                value = dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            elif c == "kind":
                value = kind_label(value, lang)  # type: ignore[arg-type]
            elif c == "done":
                value = {"vi": {"1": "Có", "0": "Không"}, "en": {"1": "yes", "0": "no"}}[lang][
                    value
                ]
            values.append(value)
        writer.writerow(values)
    return buffer.getvalue()


ALL = [*SCHEDULE_COLUMNS, "done", "skip_reason"]

FORMS: dict[str, Callable[[list[Row]], bytes]] = {
    "utf-8, comma": lambda rows: _table(rows, ALL, lang=None, delimiter=",").encode(),
    "utf-8 with BOM, comma": lambda rows: (
        codecs.BOM_UTF8 + _table(rows, ALL, lang=None, delimiter=",").encode()
    ),
    "utf-8, semicolon, schedule.csv's headers": lambda rows: _table(
        rows, ALL, lang=None, delimiter=";"
    ).encode(),
    "windows-1258, semicolon, Vietnamese headers": lambda rows: windows_1258(
        _table(rows, ALL, lang="vi", delimiter=";")
    ),
    "utf-16 with BOM, tab (Excel's Unicode Text), English headers": lambda rows: _table(
        rows, ALL, lang="en", delimiter="\t"
    ).encode("utf-16"),
    "utf-16 without BOM, tab": lambda rows: _table(rows, ALL, lang="vi", delimiter="\t").encode(
        "utf-16-le"
    ),
    "sep= hint, semicolon": lambda rows: (
        "sep=;\n" + _table(rows, ALL, lang=None, delimiter=";")
    ).encode(),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_every_text_form_reads_back_the_same_stops(
    form: str, rows: list[Row], tmp_path: Path
) -> None:
    path = tmp_path / "done.csv"
    path.write_bytes(FORMS[form](rows))
    reports = read_reports(path)
    assert _got(reports.stops) == _expected(rows)
    assert {s.key for s in reports.done} == {k for k, done in _expected(rows).items() if done}
    skipped = reports.skipped
    assert skipped and all(s.skip_reason == NOTE for s in skipped)  # NFC, whatever the bytes
    assert all(unicodedata.is_normalized("NFC", s.skip_reason or "") for s in skipped)
    assert reports.overrides == ()


def test_windows_1258_really_uses_combining_tone_marks(rows: list[Row]) -> None:
    data = FORMS["windows-1258, semicolon, Vietnamese headers"](rows)
    assert b"\xcc" in data or b"\xf2" in data  # U+0300 or U+0323 after the letter
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_schedule_rows_without_done_column_are_done_stops(rows: list[Row], tmp_path: Path) -> None:
    """Today's format: the rows of schedule.csv for the stops done, as the planner wrote them."""
    done = [r for r in rows if r["done"] == "1"]
    path = tmp_path / "done.csv"
    path.write_text(_table(done, list(SCHEDULE_COLUMNS), lang=None, delimiter=","), "utf-8-sig")
    assert _got(read_reports(path).stops) == {_key(r): True for r in done}


def _fill_workbook(path: Path, rows: list[Row], *, lang: str = "vi") -> None:
    """A team's sheets filled in as a province team would: Có / Không in the done column."""
    done = {_key(r): r["done"] == "1" for r in rows}
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets[1:-1]:
        header = [c.value for c in sheet[1]]
        at = {c: header.index(column_label(c, lang)) for c in ("done", "skip_reason")}  # type: ignore[arg-type]
        for n in range(2, sheet.max_row + 1):
            cells = {
                c: sheet.cell(row=n, column=i + 1).value for i, c in enumerate(SCHEDULE_COLUMNS)
            }
            kind = "pass" if cells["kind"] == kind_label("pass", lang) else "conference"  # type: ignore[arg-type]
            place = cells["commune_code"] if kind == "pass" else cells["venue_id"]
            key = (str(cells["team_id"]), cells["date"].date(), kind, code_key(str(place)))
            yes, no = ("Có", "Không") if lang == "vi" else ("Yes", "No")
            sheet.cell(row=n, column=at["done"] + 1).value = yes if done[key] else no
            if not done[key]:
                sheet.cell(row=n, column=at["skip_reason"] + 1).value = NOTE
    book.save(path)


@pytest.mark.parametrize("lang", LANGS)
def test_the_workbook_with_its_done_column_filled_in(
    plan: Plan, rows: list[Row], tmp_path: Path, lang: str
) -> None:
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path, lang=lang)
    _fill_workbook(path, rows, lang=lang)
    reports = read_reports(path)
    assert _got(reports.stops) == _expected(rows)
    assert all(s.skip_reason == NOTE for s in reports.skipped)
    first = reports.stops[0].source
    assert first.sheet == "27-256-1" and first.row == 2  # Excel's own row number


def test_a_workbook_of_an_older_run_with_a_done_column_added(
    plan: Plan, rows: list[Row], tmp_path: Path
) -> None:
    """No report columns: the team adds a column "done" and marks the stops done with x."""
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path)
    book = openpyxl.load_workbook(path)
    done = {_key(r) for r in rows if r["done"] == "1"}
    for sheet in book.worksheets[1:-1]:
        sheet.delete_cols(len(SCHEDULE_COLUMNS) + 1, 10)
        column = len(SCHEDULE_COLUMNS) + 1
        sheet.cell(row=1, column=column).value = "done"
        for n in range(2, sheet.max_row + 1):
            get = {c: sheet.cell(row=n, column=i + 1).value for i, c in enumerate(SCHEDULE_COLUMNS)}
            kind = "pass" if get["kind"] == kind_label("pass", "vi") else "conference"
            place = get["commune_code"] if kind == "pass" else get["venue_id"]
            if (get["team_id"], get["date"].date(), kind, code_key(place)) in done:
                sheet.cell(row=n, column=column).value = "x"
    book.save(path)
    assert {s.key for s in read_reports(path).done} == done


def test_an_unfilled_workbook_is_refused(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path)
    with pytest.raises(DataError, match="no sheet has its done column"):
        read_reports(path)


def test_a_team_that_did_not_fill_its_sheet_reports_nothing(
    plan: Plan, rows: list[Row], tmp_path: Path
) -> None:
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path)
    _fill_workbook(path, rows)
    book = openpyxl.load_workbook(path)
    done = len(SCHEDULE_COLUMNS) + 1
    for n in range(2, book["27-258-1"].max_row + 1):
        book["27-258-1"].cell(row=n, column=done).value = None
    book.save(path)
    assert {s.team_id for s in read_reports(path).stops} == {"27-256-1"}


def test_the_samples_in_tests_data(rows: list[Row]) -> None:
    """Files as Excel on a Vietnamese Windows saves the test plan's schedule (made once with
    the helpers above): plain CSV (Windows-1258, semicolons) and Unicode Text (UTF-16, tabs)."""
    for name in ("excel-csv-windows-1258-semicolon.csv", "excel-unicode-text-utf-16.txt"):
        assert _got(read_reports(DATA / name).stops) == _expected(rows), name


# --- several files ----------------------------------------------------------------------------


def _write(path: Path, rows: list[Row], columns: list[str]) -> Path:
    path.write_text(_table(rows, columns, lang=None, delimiter=","), "utf-8")
    return path


def test_the_same_stop_in_two_files_the_later_file_wins(rows: list[Row], tmp_path: Path) -> None:
    first = _write(tmp_path / "monday.csv", rows, ALL)
    changed = [{**rows[0], "done": "0", "skip_reason": "mưa"}]
    second = _write(tmp_path / "tuesday.csv", changed, ALL)
    reports = read_reports([first, second])
    got = _got(reports.stops)
    assert got[_key(rows[0])] is False and len(got) == len(rows)
    (override,) = reports.overrides
    assert override.by == "file order"
    assert override.kept.source.path == second and override.dropped.source.path == first
    line = override.line()
    assert "reported twice" in line and "tuesday.csv, row 1" in line and "monday.csv, row 1" in line
    # the other order: the first file's report wins
    again = read_reports([second, first])
    assert _got(again.stops)[_key(rows[0])] is True


def test_a_code_excel_stripped_of_its_zero_is_the_same_stop(
    rows: list[Row], tmp_path: Path
) -> None:
    row = next(r for r in rows if r["kind"] == "pass" and r["commune_code"].startswith("0"))
    first = _write(tmp_path / "a.csv", [row], ALL)
    second = _write(tmp_path / "b.csv", [{**row, "commune_code": row["commune_code"][1:]}], ALL)
    reports = read_reports([first, second])
    assert len(reports.stops) == 1 and len(reports.overrides) == 1
    assert reports.stops[0].commune_code == row["commune_code"][1:]  # kept as written


def test_a_time_stamp_beats_the_order_of_files(rows: list[Row], tmp_path: Path) -> None:
    columns = [*ALL, "reported_at"]
    late = _write(tmp_path / "a.csv", [{**rows[0], "reported_at": "25/05/2020 18:30"}], columns)
    early = _write(
        tmp_path / "b.csv", [{**rows[0], "done": "0", "reported_at": "2020-05-24 09:00"}], columns
    )
    reports = read_reports([late, early])
    assert _got(reports.stops) == {_key(rows[0]): True}
    (override,) = reports.overrides
    assert override.by == "time stamp" and override.kept.reported_at == dt.datetime(
        2020, 5, 25, 18, 30
    )
    assert "by time stamp" in override.line()


def test_the_same_stop_twice_in_one_file(rows: list[Row], tmp_path: Path) -> None:
    path = _write(tmp_path / "twice.csv", [rows[0], rows[1], rows[0]], ALL)
    with pytest.raises(DataError) as error:
        read_reports(path)
    assert str(error.value).startswith(
        f"{path}, row 3, field 'commune_code': the same stop as row 1"
    )
    # with time stamps it is a log of reports: the latest wins
    columns = [*ALL, "reported_at"]
    log = [
        {**rows[0], "reported_at": "2020-05-23T20:00"},
        {**rows[0], "done": "0", "reported_at": "2020-05-23T21:00"},
    ]
    reports = read_reports(_write(tmp_path / "log.csv", log, columns))
    assert _got(reports.stops) == {_key(rows[0]): False} and len(reports.overrides) == 1


# --- mistakes: one line naming file, row and column -----------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "field", "words"),
    [
        ("date", "2020-13-45", "date", "expected a date like 2020-05-23"),
        ("date", "hôm qua", "date", "expected a date like 2020-05-23"),
        ("done", "maybe", "done", "expected 1/yes/true/x"),
        ("kind", "picnic", "kind", "expected pass or conference"),
        ("team_id", "", "team_id", "is empty"),
        ("commune_code", "", "commune_code", "is empty"),
    ],
)
def test_a_bad_value_names_file_row_and_column(
    rows: list[Row], tmp_path: Path, column: str, value: str, field: str, words: str
) -> None:
    bad = [dict(r) for r in rows if r["kind"] == "pass"][:3]
    bad[1][column] = value
    path = _write(tmp_path / "bad.csv", bad, ALL)
    with pytest.raises(DataError) as error:
        read_reports(path)
    message = str(error.value)
    assert message.startswith(f"{path}, row 2, field '{field}': ") and words in message
    assert "\n" not in message


def test_bad_values_in_a_vietnamese_file_name_the_column_as_written(
    rows: list[Row], tmp_path: Path
) -> None:
    text = _table(rows[:2], ALL, lang="vi", delimiter=";").replace("Có", "chắc thế", 1)
    path = tmp_path / "bad.csv"
    path.write_bytes(windows_1258(text))
    with pytest.raises(DataError, match=r"row 1, field 'Đã thực hiện': expected 1/yes"):
        read_reports(path)


def test_bad_values_in_the_workbook_name_sheet_and_excel_row(
    plan: Plan, rows: list[Row], tmp_path: Path
) -> None:
    path = tmp_path / "schedule.xlsx"
    write_excel(plan, path)
    _fill_workbook(path, rows)
    book = openpyxl.load_workbook(path)
    book["27-258-1"].cell(row=3, column=SCHEDULE_COLUMNS.index("date") + 1).value = "32/05/2020"
    book.save(path)
    with pytest.raises(DataError) as error:
        read_reports(path)
    assert str(error.value).startswith(f"{path}, sheet '27-258-1', row 3, field 'Ngày': expected")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"team;date\n27-256-1;2020-05-23\n", "missing column kind"),
        (b"nothing,here\n1,2\n", "missing columns team_id, date, kind"),
        (b"team_id,date,kind\n27-256-1,2020-05-23,pass\n", "needs a commune_code"),
        (b"team_id,date,kind,commune_code\n\x81\x8a\xff\n", "neither UTF-8 nor Windows-1258"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel workbook (.xls)"),
        (b"team_id,done,date,kind,commune_code,Done\n", "two columns for done"),
    ],
)
def test_files_that_are_not_reports(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as error:
        read_reports(path)
    assert str(error.value).startswith(str(path)) and words in str(error.value)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        read_reports([tmp_path / "nowhere.csv"])


# --- values as people write them --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2020-05-23", "23/05/2020", "23/5/2020", "5/23/2020", "23.05.2020", "23-05-2020", "23/05/20"],
)
def test_dates_as_people_write_them(tmp_path: Path, text: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"team_id,date,kind,commune_code\n27-256-1,{text},pass,09001\n", "utf-8")
    (stop,) = read_reports(path).stops
    assert stop.date == dt.date(2020, 5, 23)


def test_optional_fields_and_words(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "Đội;Ngày;Hoạt động;Mã xã;Mã địa điểm;Đã thực hiện;Số người dự thực tế;"
        "Số người đăng ký tham gia;Giờ bắt đầu thực tế;Giờ kết thúc thực tế;Ghi chú;Mã tỉnh\n"
        "27-256-1;23/05/2020;Hội nghị;09003;BD-256;đã;85;12;8h30;10:45;đông người;27\n"
        "27-256-1;23/05/2020;tuyen truyen luu dong (lần 2);9001;;KHÔNG;;;;;;27\n",
        "utf-8",
    )
    conference, repeat = read_reports(path).stops
    assert conference.kind == "conference" and conference.place == "BD-256" and conference.done
    assert (conference.attendance, conference.sign_ups) == (85, 12)
    assert (conference.actual_start, conference.actual_end) == (dt.time(8, 30), dt.time(10, 45))
    assert conference.note == "đông người" and conference.province_code == "27"
    assert repeat.kind == "pass" and repeat.place == "9001" and not repeat.done
    assert repeat.attendance is None and repeat.reported_at is None


def test_headers_of_the_workbook_never_clash() -> None:
    """Every header the workbook writes names its own column or none the reader knows."""
    for column, labels in {**COLUMNS, **REPORT_COLUMNS}.items():
        for label in labels.values():
            assert FIELDS.get(fold(label)) in (None, column), (column, label)
    assert fold("Đã  Thực_hiện") == fold("da thuc-hien") == "da thuc hien"


# --- the CSVs the planner writes, for Excel ----------------------------------------------------


def test_the_planner_writes_csv_with_a_bom_and_reads_it_back(tmp_path: Path) -> None:
    plan = baseline_plan()
    folder = write_plan_folder(tmp_path / "plan", plan)
    for name in ("schedule.csv", "routes.csv", "unserved.csv"):
        data = (folder / name).read_bytes()
        assert data.startswith(codecs.BOM_UTF8), name
        assert not data[3:].startswith(codecs.BOM_UTF8)
    with_bom = _read_csv(folder / "schedule.csv", SCHEDULE_COLUMNS)
    unserved = read_unserved(folder / "unserved.csv", {"27"})
    loaded = load_plan_outputs(folder)
    # the same files without the mark read the same
    for name in ("schedule.csv", "routes.csv", "unserved.csv"):
        path = folder / name
        path.write_bytes(path.read_bytes()[len(codecs.BOM_UTF8) :])
    assert _read_csv(folder / "schedule.csv", SCHEDULE_COLUMNS) == with_bom
    assert read_unserved(folder / "unserved.csv", {"27"}) == unserved
    assert load_plan_outputs(folder) == loaded
    assert len(with_bom) == len(schedule_rows(plan)) and with_bom[0]["province_code"] == "27"
    assert set(UNSERVED_COLUMNS) <= set(_read_csv(folder / "unserved.csv", UNSERVED_COLUMNS)[0])
    # and schedule.csv itself is a report of done stops (today's format), mark or not
    assert len(read_reports(folder / "schedule.csv").done) == len(with_bom)
