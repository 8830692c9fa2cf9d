"""What teams report they did, read in the forms people produce.

During the campaign every team says which of its stops it made and which it did not.
`read_reports(paths)` reads one or more report files into `ReportedStop` values, one per stop
reported: `planner replan --done` pins the done ones; a command that follows progress or
calibrates the turnout rates can use the rest (skipped stops and why, attendance, sign-ups,
actual times), which is why every field a given form may lack is optional.

Accepted files
--------------

**The planner's own workbook**, `schedule.xlsx` (planner/export/excel.py): one sheet per team
with schedule.csv's columns under Vietnamese or English headers, and after them the columns a
team fills in: "Đã thực hiện" / "Done", "Lý do không thực hiện" / "Reason not done", "Số
người dự thực tế" / "Actual attendance", "Số người đăng ký tham gia" / "Sign-ups", "Ghi chú" /
"Note". A workbook of an older run has no such columns: add one headed "done" (or "Đã thực
hiện"). Sheets without a done column (the summary, the places not served, a sheet of the
user's own) are skipped, and so are sheets whose done column is empty throughout (a team
that has not reported); at least one sheet must be filled in. In a filled-in sheet an empty
done cell is a stop not done. Dates, times and numbers may be Excel's own or text. An old
`.xls` workbook is refused with the advice to save it as `.xlsx` or CSV.

**Text tables** (`.csv`, `.txt`, any other name): `schedule.csv`'s rows for the stops done
(every row is a done stop: the format `planner replan` has always read), or `schedule.csv`,
or a workbook sheet saved as text, with a done column.

- Encodings, in the order they are tried: (1) a byte order mark: UTF-8 (Excel's "CSV UTF-8"
  and what the planner writes), UTF-16 little or big endian (Excel's "Unicode Text"),
  UTF-32; (2) no mark but NUL bytes: UTF-16 without a mark, its byte order from where the
  NULs fall; (3) strict UTF-8; (4) Windows-1258, the Vietnamese Windows code page (Excel's
  plain "CSV" on a Vietnamese Windows). UTF-8 goes before Windows-1258 because a Vietnamese
  text in Windows-1258 is practically never valid UTF-8 (its letters and tone marks are bytes
  from 0xC0, never followed by the 0x80-0xBF bytes UTF-8 needs after them), while nearly any
  byte string decodes as Windows-1258. Windows-1258 writes most tone marks as combining
  characters after the letter ("Hòa" is "Ho" + U+0300 + "a"); every text read is normalised
  to NFC, so names and codes compare equal whatever the form. TCVN3 (ABC) and VNI text is
  not recognised: it reads as Windows-1258 with the wrong letters (codes and dates, plain
  ASCII, still match; Vietnamese words such as the activity do not).
- Separators: comma, semicolon (Excel where the decimal separator is a comma, as in
  Vietnamese settings) or tab (Excel's "Unicode Text"), whichever splits the header row into
  the most known columns; a first line `sep=;` (Excel's hint) is honoured.

**Headers** are recognised in either language and as people retype them: without regard to
case, accents (Đ as D), spaces, "_" or "-" ("team_id", "Team ID", "Đội", "doi" are one
column). The header row is the first of the first ten rows that names a team and a date
column (a title row above it is fine). Columns:

- `team_id` (Đội), `date` (Ngày), `kind` (Hoạt động), and `commune_code` (Mã xã) for a pass
  or `venue_id` (Mã địa điểm) for a conference: which stop. Required. A date is an Excel
  date, 2020-05-23, or day first as Vietnamese writes it: 23/05/2020, 23-05-2020, 23.5.2020
  (month first, 5/23/2020, only when the first number cannot be a month). The activity is
  pass / conference or the workbook's words in either language ("Tuyên truyền lưu động",
  "Hội nghị").
- `done` (Đã thực hiện): 1 / yes / y / true / x / có / đã / rồi / done / ok (done) or
  0 / no / n / false / không / chưa / skipped / empty (not done); a TRUE/FALSE cell; a
  number 1 or 0. Without the column every row is a done stop (text tables only).
- Optional: `province_code` (Mã tỉnh), `skip_reason` (Lý do không thực hiện), `note` (Ghi
  chú), `attendance` (Số người dự thực tế) and `sign_ups` (Số người đăng ký tham gia) as
  whole numbers, `actual_start` / `actual_end` (Giờ bắt đầu / kết thúc thực tế) as times,
  `reported_at` (Thời điểm báo cáo) as a date and time. Every other column is ignored.

Codes that Excel turned into numbers (09001 read back as 9001) are kept as the digits given
and compared by value (`code_key`): with the plan's codes, and between reports.

Several files
-------------

Files are read in the order given. The same stop (team, date, activity, place) reported
twice: the latest report wins, by the reported time stamp when both rows have one, otherwise
the file later in the list. Each such case is an `Override` in `Reports.overrides`, with a
line to print (`Override.line()`). Within one file the same stop twice is a mistake (an
error naming both rows), unless both rows carry a time stamp.

Errors
------

A file that cannot be read, a missing column or a bad value raises `DataError` naming the
file (and sheet), the row and the column: the row is the data row of a text table (1 = the
first row under the header, as everywhere in the planner) and the row number Excel shows for
a workbook; the column as its header is written in the file. Nothing is returned, so nothing
is written from a half-read report.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from planner.errors import DataError
from planner.export.i18n import COLUMNS, LANGS, REPORT_COLUMNS, kind_label, t
from planner.messages import Msg, msg

__all__ = [
    "FIELDS",
    "Override",
    "ReportSource",
    "ReportedStop",
    "Reports",
    "code_key",
    "decode_text",
    "fold",
    "read_reports",
]

StopKind = Literal["pass", "conference"]

# --- the in-memory form ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSource:
    """Where a reported stop was read: the file (and sheet), the row, the headers as written."""

    path: Path
    row: int  # data row of a text table (1 = under the header); Excel's row number in a workbook
    sheet: str | None = None
    file_index: int = 0  # the file's position in the list given to `read_reports`
    headers: tuple[tuple[str, str], ...] = ()  # (field, its header as written in the file)

    @property
    def file(self) -> str:
        """The file, and the sheet of a workbook: what an error line starts with."""
        return str(self.path) if self.sheet is None else f"{self.path}, sheet '{self.sheet}'"

    def where(self) -> str:
        return f"{self.file}, row {self.row}"

    def header(self, name: str) -> str:
        """The column of field `name` as the file heads it (the field name if it has none)."""
        return dict(self.headers).get(name, name)

    def error(self, problem: str, name: str | None = None) -> DataError:
        """A DataError naming this file, row and the column of field `name`."""
        return DataError(
            self.file, problem, row=self.row, field=None if name is None else self.header(name)
        )


@dataclass(frozen=True)
class ReportedStop:
    """One stop as a team reports it: which stop, done or not, and what it saw there.

    `commune_code` is the commune of a pass (and of a conference, when the report gives it);
    `venue_id` the venue of a conference. Fields a report form does not have are None.
    """

    team_id: str
    date: dt.date
    kind: StopKind
    commune_code: str
    venue_id: str
    done: bool
    province_code: str | None = None
    skip_reason: str | None = None
    note: str | None = None
    attendance: int | None = None
    sign_ups: int | None = None
    actual_start: dt.time | None = None
    actual_end: dt.time | None = None
    reported_at: dt.datetime | None = None
    source: ReportSource = field(default=ReportSource(Path("-"), 0), compare=False)

    @property
    def place(self) -> str:
        """The commune code of a pass, the venue id of a conference."""
        return self.commune_code if self.kind == "pass" else self.venue_id

    @property
    def place_field(self) -> str:
        return "commune_code" if self.kind == "pass" else "venue_id"

    @property
    def key(self) -> tuple[str, dt.date, str, str]:
        """The stop reported: team, date, kind, place (a digit code by value: `code_key`)."""
        return (self.team_id, self.date, self.kind, code_key(self.place))

    @property
    def skipped(self) -> bool:
        return not self.done

    def describe(self) -> str:
        """'team 27-256-1, 2020-05-23, pass at 09001'."""
        return f"team {self.team_id}, {self.date}, {self.kind} at {self.place}"


@dataclass(frozen=True)
class Override:
    """The same stop reported twice: the report kept and the one it replaces."""

    kept: ReportedStop
    dropped: ReportedStop
    by: Literal["time stamp", "file order"]

    def line(self) -> Msg:
        """The line `planner progress` prints: English as a string, and said again in
        Vietnamese by `localize` (a `Msg`)."""

        def state(stop: ReportedStop) -> Msg:
            done = msg("reports.done") if stop.done else msg("reports.not_done")
            if stop.reported_at is not None:
                done = msg(
                    "reports.reported_at", state=done, at=f"{stop.reported_at:%Y-%m-%d %H:%M}"
                )
            where = msg("error.where_row", where=str(stop.source.file), row=stop.source.row)
            return msg("reports.state", where=where, state=done)

        kept = self.kept
        kind = msg(f"word.{kept.kind}") if kept.kind in ("pass", "conference") else kept.kind
        return msg(
            "reports.twice",
            stop=msg(
                "reports.stop", team=kept.team_id, date=kept.date, kind=kind, place=kept.place
            ),
            reason=msg("reports.by_stamp" if self.by == "time stamp" else "reports.by_order"),
            kept=state(kept),
            dropped=state(self.dropped),
        )


@dataclass(frozen=True)
class Reports:
    """Every stop reported, once each after the merge, in the order first reported."""

    stops: tuple[ReportedStop, ...]
    overrides: tuple[Override, ...]
    files: tuple[Path, ...]

    @property
    def done(self) -> tuple[ReportedStop, ...]:
        return tuple(s for s in self.stops if s.done)

    @property
    def skipped(self) -> tuple[ReportedStop, ...]:
        return tuple(s for s in self.stops if not s.done)


# --- words as people write them ------------------------------------------------------------


def code_key(code: str) -> str:
    """A code as compared: digits by value ("09001" and "9001" are one commune, since Excel
    reads a code in a CSV as a number and drops its leading zero), anything else as written."""
    return (code.lstrip("0") or "0") if code.isdigit() else code


def fold(text: str) -> str:
    """`text` for comparing words as people type them: NFC, no case, no accents (Đ as D),
    "_" and "-" as spaces, spaces collapsed."""
    text = unicodedata.normalize("NFD", str(text).replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s_\-]+", " ", text).strip()


def _aliases() -> dict[str, str]:
    """folded header -> field: the names, both languages' headers, and a few usual words."""
    names: dict[str, Iterable[str]] = {
        "team_id": ("team", "team id", "ma doi", "ten doi"),
        "date": ("ngay thuc hien", "day"),
        "kind": ("activity", "hinh thuc"),
        "commune_code": ("ma xa phuong",),
        "venue_id": ("ma dia diem",),
        "province_code": ("ma tinh",),
        "done": ("da lam", "hoan thanh", "thuc hien", "status", "trang thai"),
        "skip_reason": ("reason", "ly do", "reason skipped", "skip reason"),
        "note": ("notes", "ghi chu", "comment", "comments"),
        "attendance": ("actual attendance", "so nguoi du", "so nguoi tham du"),
        "sign_ups": ("signups", "sign up", "so nguoi dang ky", "dang ky"),
        "actual_start": ("gio bat dau thuc te",),
        "actual_end": ("gio ket thuc thuc te",),
        "reported_at": ("timestamp", "time stamp", "thoi gian bao cao", "ngay bao cao"),
    }
    out: dict[str, str] = {}
    for name, extra in names.items():
        labels = COLUMNS.get(name) or REPORT_COLUMNS.get(name) or {}
        for word in (name, *labels.values(), *extra):
            out[fold(word)] = name
    return out


FIELDS = _aliases()
"""Folded header -> the field it names (see the module docstring for the fields)."""
_REQUIRED = ("team_id", "date", "kind")

_TRUE_WORDS = """1 1.0 yes y true x v ok done có đã rồi ✓ ✔ đã_thực_hiện hoàn_thành"""
_FALSE_WORDS = """0 0.0 no n false - ✗ skipped skip không k chưa bỏ_qua chưa_thực_hiện
    không_thực_hiện"""
_TRUE = frozenset(fold(w) for w in _TRUE_WORDS.split())
_FALSE = frozenset(fold(w) for w in _FALSE_WORDS.split()) | {""}


def _kinds() -> dict[str, StopKind]:
    out: dict[str, StopKind] = {}
    kinds: tuple[StopKind, ...] = ("pass", "conference")
    for lang in LANGS:
        for kind in kinds:
            out[fold(kind_label(kind, lang))] = kind
        out[fold(t("pass_short", lang))] = "pass"
    out.update({"pass": "pass", "conference": "conference", "luu dong": "pass"})
    return out


_KIND = _kinds()

# --- the front door -------------------------------------------------------------------------


def read_reports(paths: Path | str | Sequence[Path | str]) -> Reports:
    """Every stop reported in `paths` (one file or several, the latest report winning).

    Raises DataError naming the file, row and column of the first thing that cannot be read.
    """
    files = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    if not files:
        raise DataError("--done", "no report file given")
    read: list[ReportedStop] = []
    for index, path in enumerate(files):
        read.extend(_read_file(path, index))
    stops, overrides = _merge(read)
    return Reports(stops=tuple(stops), overrides=tuple(overrides), files=tuple(files))


def _merge(read: Sequence[ReportedStop]) -> tuple[list[ReportedStop], list[Override]]:
    """One report per stop: the latest (time stamp, else file order); a stop twice in one file
    without time stamps is an error."""
    kept: dict[tuple[str, dt.date, str, str], ReportedStop] = {}
    overrides: list[Override] = []
    for stop in read:
        before = kept.get(stop.key)
        if before is None:
            kept[stop.key] = stop
            continue
        if before.reported_at is not None and stop.reported_at is not None:
            later = stop.reported_at >= before.reported_at
            winner, loser = (stop, before) if later else (before, stop)
            overrides.append(Override(winner, loser, "time stamp"))
        elif before.source.file_index == stop.source.file_index:
            raise stop.source.error(
                f"the same stop as row {before.source.row} ({stop.describe()}); report each "
                "stop once, or give both rows a reported_at time stamp",
                stop.place_field,
            )
        else:
            winner = stop
            overrides.append(Override(stop, before, "file order"))
        kept[stop.key] = winner
    return list(kept.values()), overrides


# --- files as tables ------------------------------------------------------------------------


@dataclass
class _Table:
    """The raw cells of one CSV file or one worksheet."""

    path: Path
    sheet: str | None
    rows: list[list[Any]]
    workbook: bool


def _read_file(path: Path, index: int) -> list[ReportedStop]:
    if not path.is_file():
        raise DataError(
            path,
            "no such file; expected a report of the stops done: schedule.xlsx or schedule.csv "
            "with a done column, or schedule.csv's rows for the stops done",
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(path, f"cannot be read: {error.strerror}") from None
    if data.startswith(b"PK\x03\x04"):
        return _read_workbook(path, index)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(
            path,
            "an old Excel workbook (.xls); save it as an Excel Workbook (.xlsx) or as CSV UTF-8",
        )
    text, _ = decode_text(path, data)
    table = _Table(path, None, _csv_rows(path, text), workbook=False)
    stops = _read_table(table, index)
    assert stops is not None
    return stops


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a report file and the encoding it was read in, NFC-normalised; the order
    of the tries is in the module docstring. Raises DataError when none fits."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    )
    for bom, codec, name in boms:
        if data.startswith(bom):
            try:
                return unicodedata.normalize("NFC", data.decode(codec)), name
            except UnicodeDecodeError as error:
                raise DataError(
                    path,
                    msg("data.bom_mismatch", name=name, byte=error.start),
                ) from None
    head = data[:4096]
    if b"\x00" in head:
        codec = "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"
        try:
            return unicodedata.normalize("NFC", data.decode(codec)), "UTF-16"
        except UnicodeDecodeError:
            raise DataError(
                path, "has NUL bytes but is not UTF-16 text; expected a CSV or text file"
            ) from None
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258")), "Windows-1258"
    except UnicodeDecodeError as error:
        raise DataError(
            path,
            msg("reports.not_encoding", byte=error.start),
        ) from None


def _csv_rows(path: Path, text: str) -> list[list[Any]]:
    lines = text.splitlines()
    hint = re.fullmatch(r"\s*sep=(.)\s*", lines[0]) if lines else None
    if hint:
        text = text.split("\n", 1)[1] if "\n" in text else ""
        delimiter = hint.group(1)
    else:
        delimiter = _sniff("\n".join(lines[:10]))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [list(row) for row in reader]
    except csv.Error as error:
        raise DataError(path, f"malformed CSV: {error}", row=reader.line_num) from None


def _sniff(head: str) -> str:
    """The separator that splits the header into the most known columns (then most columns)."""
    best, score = ",", (-1, -1)
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        for row in rows:
            known = len({FIELDS[fold(c)] for c in row if fold(c) in FIELDS})
            if (known, len(row)) > score:
                best, score = delimiter, (known, len(row))
    return best


def _read_workbook(path: Path, index: int) -> list[ReportedStop]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a damaged or encrypted file: openpyxl raises many kinds
        raise DataError(path, f"cannot be read as an Excel workbook ({error})") from None
    try:
        tables = [
            _Table(path, sheet.title, [list(r) for r in sheet.iter_rows(values_only=True)], True)
            for sheet in book.worksheets
        ]
    finally:
        book.close()
    stops: list[ReportedStop] = []
    schedule_sheets = 0
    for table in tables:
        found = _read_table(table, index)
        if found is not None:
            schedule_sheets += 1
            stops.extend(found)
    if not schedule_sheets:
        raise DataError(
            path,
            "no sheet has its done column (Đã thực hiện / Done) filled in beside the team, date "
            "and activity columns; mark each stop done (Có / 1 / x) or not (Không / 0)",
        )
    return stops


# --- rows as reported stops -----------------------------------------------------------------


def _header_row(rows: Sequence[Sequence[Any]]) -> int | None:
    """The index of the header row: the first of the first ten naming a team and a date."""
    for i, row in enumerate(rows[:10]):
        names = {FIELDS.get(fold(_text(c))) for c in row}
        if {"team_id", "date"} <= names:
            return i
    return None


def _columns(table: _Table, header: Sequence[Any]) -> dict[str, tuple[int, str]]:
    """field -> (column index, header as written); two columns for one field is an error."""
    where = table.path if table.sheet is None else f"{table.path}, sheet '{table.sheet}'"
    out: dict[str, tuple[int, str]] = {}
    for i, cell in enumerate(header):
        written = _text(cell)
        name = FIELDS.get(fold(written))
        if name is None:
            continue
        if name in out:
            raise DataError(
                where,
                f"two columns for {name}: '{out[name][1]}' and '{written}'; keep one",
            )
        out[name] = (i, written)
    return out


def _read_table(table: _Table, index: int) -> list[ReportedStop] | None:
    """The stops of one table; None for a worksheet that is not a filled-in schedule sheet."""
    where = table.path if table.sheet is None else f"{table.path}, sheet '{table.sheet}'"
    at = _header_row(table.rows)
    if at is None:
        heads = [r for r in table.rows if any(_text(c) for c in r)][:10] or [[]]
        named = [{FIELDS.get(fold(_text(c))) for c in r} for r in heads]
        if table.workbook and not any("done" in names for names in named):
            return None  # the summary, the places not served, a sheet of the user's own
        names = next((n for n in named if "done" in n), named[0])
        missing = [c for c in _REQUIRED if c not in names]
        raise DataError(
            where,
            msg(
                "reports.no_header_column" if len(missing) == 1 else "reports.no_header_columns",
                columns=", ".join(missing),
            ),
        )
    columns = _columns(table, table.rows[at])
    if table.workbook and not _filled_in(table.rows[at + 1 :], columns):
        return None  # a team that did not fill in its sheet
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        raise DataError(
            where,
            msg(
                "reports.missing_column" if len(missing) == 1 else "reports.missing_columns",
                columns=", ".join(missing),
            ),
        )
    if "commune_code" not in columns and "venue_id" not in columns:
        raise DataError(
            where,
            "needs a commune_code (passes) or venue_id (conferences) column (Mã xã, Mã địa điểm)",
        )
    headers = tuple((name, written) for name, (_, written) in columns.items())
    stops: list[ReportedStop] = []
    for i in range(at + 1, len(table.rows)):
        cells = table.rows[i]
        if not any(_text(c) for c in cells):
            continue
        number = i + 1 if table.workbook else i - at
        source = ReportSource(table.path, number, table.sheet, index, headers)
        stops.append(_stop(cells, columns, source))
    return stops


def _filled_in(rows: Sequence[Sequence[Any]], columns: dict[str, tuple[int, str]]) -> bool:
    """A worksheet with a done column that has something in it (an empty one: not reported)."""
    if "done" not in columns:
        return False
    i = columns["done"][0]
    return any(i < len(row) and _text(row[i]) for row in rows)


class _Bad(ValueError):
    """A value that is not what its column holds: `expected` says what it should be."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def _stop(
    cells: Sequence[Any], columns: dict[str, tuple[int, str]], source: ReportSource
) -> ReportedStop:
    def cell(name: str) -> Any:
        if name not in columns:
            return None
        i = columns[name][0]
        return cells[i] if i < len(cells) else None

    def parse(name: str, how: Any) -> Any:
        value = cell(name)
        try:
            return how(value)
        except _Bad as bad:
            raise source.error(f"expected {bad.expected}, got {_shown(value)}", name) from None

    done = True if "done" not in columns else parse("done", _flag)
    team_id = _text(cell("team_id"))
    if not team_id:
        raise source.error("is empty; expected the team's id, as in the schedule", "team_id")
    date = parse("date", _date)
    kind = parse("kind", _kind)
    commune_code = _code(cell("commune_code"))
    venue_id = _code(cell("venue_id"))
    place_field = "commune_code" if kind == "pass" else "venue_id"
    if place_field not in columns:
        raise source.error(
            msg(
                "reports.pass_needs_commune" if kind == "pass" else "reports.conference_needs_venue"
            ),
            "kind",
        )
    if not (commune_code if kind == "pass" else venue_id):
        raise source.error(
            msg("reports.pass_no_commune" if kind == "pass" else "reports.conference_no_venue"),
            place_field,
        )
    return ReportedStop(
        team_id=team_id,
        date=date,
        kind=kind,
        commune_code=commune_code,
        venue_id=venue_id,
        done=done,
        province_code=_code(cell("province_code")) or None,
        skip_reason=_text(cell("skip_reason")) or None,
        note=_text(cell("note")) or None,
        attendance=parse("attendance", _count),
        sign_ups=parse("sign_ups", _count),
        actual_start=parse("actual_start", _time),
        actual_end=parse("actual_end", _time),
        reported_at=parse("reported_at", _datetime),
        source=source,
    )


# --- values ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as text, NFC, trimmed; whole numbers without ".0" (Excel's numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return unicodedata.normalize("NFC", str(value)).strip()


def _shown(value: Any) -> str:
    return repr(_text(value))


def _code(value: Any) -> str:
    return _text(value)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = fold(_text(value))
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _Bad("1/yes/true/x/có for done or 0/no/false/không/empty for not done")


def _kind(value: Any) -> StopKind:
    word = re.sub(r"\s*\(.*\)\s*$", "", fold(_text(value)))  # "Tuyên truyền lưu động (lần 2)"
    if word in _KIND:
        return _KIND[word]
    raise _Bad("pass or conference (Tuyên truyền lưu động or Hội nghị)")


_DATE = "a date like 2020-05-23 or 23/05/2020"
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20_000 < value < 80_000:
        return (dt.datetime(1899, 12, 30) + dt.timedelta(days=int(value))).date()  # Excel serial
    text = _text(value)
    day_part = re.split(r"[ T]", text, maxsplit=1)[0] if text else ""
    try:
        return dt.date.fromisoformat(day_part)
    except ValueError:
        pass
    match = _DMY.fullmatch(day_part)
    if not match:
        raise _Bad(_DATE)
    first, second, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:
        year += 2000
    day, month = (second, first) if second > 12 >= first else (first, second)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _Bad(_DATE) from None


def _time(value: Any) -> dt.time | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(float(value) * 24 * 60)  # Excel's time as a fraction of a day
        return dt.time(minutes // 60 % 24, minutes % 60)
    match = re.fullmatch(r"(\d{1,2})\s*[:hg]\s*(\d{2})?(?::\d{2})?", fold(_text(value)))
    if not match:
        raise _Bad("a time like 08:30")
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        raise _Bad("a time from 00:00 to 23:59")
    return dt.time(hours, minutes)


def _datetime(value: Any) -> dt.datetime | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = _text(value)
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        pass
    day, _, clock = text.partition(" ")
    try:
        date = _date(day)
        time = _time(clock.strip()) if clock.strip() else dt.time()
    except _Bad:
        raise _Bad("a date and time like 2020-05-25 18:30 or 25/05/2020 18:30") from None
    return dt.datetime.combine(date, time or dt.time())


def _count(value: Any) -> int | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        raise _Bad("a whole number >= 0")
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(_text(value).replace(" ", "").replace(",", "."))
        except ValueError:
            raise _Bad("a whole number >= 0") from None
    if not number.is_integer() or number < 0:
        raise _Bad("a whole number >= 0")
    return int(number)
