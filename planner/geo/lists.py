"""A planner's own lists: communes, venues and teams as `planner data template` wrote them,
corrected by the planner, read back and applied on top of the data (`load_geodata`'s
``lists_path``; a scenario's ``[data] lists``).

The file is the workbook (.xlsx), or a folder holding its sheets as CSV files
(`communes.csv`, `venues.csv`, `teams.csv`, UTF-8). A sheet's first row holds its headers
(Vietnamese, English or the column keys: any is read, in any order); the second header row
the template writes (English) is skipped. Rows are numbered as a spreadsheet numbers them
(the first header is row 1), so that an error names the row the planner sees. Every row is
checked, and the first fault is one `DataError` naming the file, the sheet, the row and the
column (its header as written).

What each sheet does (a sheet left out changes nothing):

- **Xã** (communes): one row per commune to correct, by its code (a code the data does not
  know is an error; a commune with no row keeps the data's figures). Its target people and
  point are used as written. A figure is still the planner's estimate only when it is
  unchanged and its mark ("... là ước tính") still says "có"; a changed figure, or a cleared
  mark, makes it the planner's own (method 'user_file'). An unchanged target people left
  marked is the planner's estimate, so the scenario's ``[targets]`` applies to it.
- **Địa điểm** (venues): the venues of every province that has a row here are exactly these
  rows: a row deleted is a venue that does not exist, a row added (venue id blank: one is
  made, ``PO-U-<commune>-<n>``) a new one. Seats are whole people, at least 1; a hall's area
  is its seats x `SEAT_M2` (the planner's halls were assumed at 1 m2 a seat: 30 and 80 seats,
  docs/rates.md), so the scenario's COVID spacing still applies. A blank point or seat count
  keeps the data's (or, for a new venue, the commune's point and the assumed hall), marked as
  an estimate. Address, contact name and phone and opening hours go to the route sheets
  (opening hours are shown, not planned around). Every district (cluster) must keep a main
  post office: its team is based there.
- **Đội** (teams): a team's base, by team id and venue id (the id a team rule gives,
  '<province>-<group>-<k>', or one of the scenario's teams.list: checked against the scenario
  by `check_team_bases`).

Points must lie in the province of their commune: inside its approximate polygon, or within
`PROVINCE_TOLERANCE_KM` of it (the polygons are Voronoi cells, not official boundaries).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from pyproj import Transformer
from shapely.geometry import Point

from planner.errors import DataError
from planner.estimates import USER_FILE_METHOD, position_is_estimated
from planner.export.i18n import LIST_COLUMNS, LIST_SHEETS
from planner.geo import _validate as check
from planner.geo.load import (
    MAX_COMMUNE_PEOPLE,
    METRIC_CRS,
    VENUE_DETAILS,
    VIETNAM_AREAS,
    WGS84,
    TeamBase,
)
from planner.messages import msg

__all__ = [
    "CSV_FILES",
    "PROVINCE_TOLERANCE_KM",
    "SEAT_M2",
    "SHEET_COLUMNS",
    "apply_lists",
    "assumed_seats",
    "read_mark",
]

# Floor area of one seat, m2: the planner's halls (30 and 80 m2) were assumed at about 1 m2 a
# seated person (docs/rates.md), so a hall of N seats is N m2 and the scenario's COVID
# spacing (m2_per_person) still applies to it.
SEAT_M2 = 1.0
# How far outside its province's approximate polygon a point may lie: the polygons are
# Voronoi cells of commune points, so near a border they may be off by about a commune's
# width (the largest communes are 20 km across); a slip in a coordinate's first decimal
# (11 km) past that is caught.
PROVINCE_TOLERANCE_KM = 10.0
# the CSV file of each sheet, in a folder of CSV files
CSV_FILES = {"communes": "communes.csv", "venues": "venues.csv", "teams": "teams.csv"}

# each sheet's columns, in the template's order; the required ones must be present
SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "communes": (
        "province_code",
        "commune_code",
        "commune_name",
        "group_code",
        "group_name",
        "population",
        "target_people",
        "target_estimated",
        "lat",
        "lon",
        "position_estimated",
        "position_method",
    ),
    "venues": (
        "province_code",
        "venue_id",
        "venue_name",
        "kind",
        "commune_code",
        "group_code",
        "address",
        "lat",
        "lon",
        "position_estimated",
        "seats",
        "seats_estimated",
        "contact_name",
        "contact_phone",
        "opening_hours",
    ),
    "teams": (
        "province_code",
        "team_id",
        "group_code",
        "group_name",
        "base_venue_id",
        "base_name",
    ),
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "communes": ("commune_code", "target_people", "lat", "lon"),
    "venues": ("venue_id", "venue_name", "kind", "commune_code", "lat", "lon", "seats"),
    "teams": ("team_id", "base_venue_id"),
}
_YES = frozenset({"có", "co", "x", "yes", "y", "true", "1", "ước tính", "uoc tinh"})
_NO = frozenset({"", "không", "khong", "k", "no", "n", "false", "0"})
_KINDS = {
    "group": "group",
    "huyện": "group",
    "huyen": "group",
    "cụm": "group",
    "cum": "group",
    "commune": "commune",
    "xã": "commune",
    "xa": "commune",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assumed_seats(kind: str) -> int:
    """The hall the data assumes: 80 m2 at a main post office, 30 at a commune's (README)."""
    return 80 if kind == "group" else 30


def read_mark(value: object) -> bool | None:
    """An estimate mark: True (có, x, yes, 1), False (không, blank, no, 0), None otherwise."""
    text = "" if check.is_missing(value) else _plain(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


# -- reading the sheets --------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _plain(value: object) -> str:
    """A cell as text: a whole float without its '.0' (a phone number typed as a number)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class _Sheet:
    """One sheet of the lists: its rows by spreadsheet row number, its columns by key."""

    name: str  # "communes" | "venues" | "teams"
    path: Path  # the workbook, or the CSV file
    title: str | None  # the sheet's name in the workbook; None for a CSV file
    columns: Mapping[str, tuple[int, str]]  # key -> (position, header as written)
    rows: tuple[tuple[int, tuple[Any, ...]], ...]

    def has(self, key: str) -> bool:
        return key in self.columns

    def header(self, key: str) -> str:
        return self.columns[key][1] if key in self.columns else key

    def cell(self, cells: Sequence[Any], key: str) -> Any:
        if key not in self.columns:
            return None
        position = self.columns[key][0]
        return cells[position] if position < len(cells) else None

    def error(self, problem: str, *, row: int | None = None, key: str | None = None) -> DataError:
        return DataError(
            self.path,
            problem,
            row=row,
            field=None if key is None else self.header(key),
            sheet=self.title,
        )


def _read(path: Path) -> dict[str, _Sheet]:
    """The sheets of a lists file: a workbook, or a folder of CSV files."""
    if path.is_dir():
        sheets = {
            name: _csv_sheet(name, path / file)
            for name, file in CSV_FILES.items()
            if (path / file).is_file()
        }
        if not sheets:
            raise DataError(
                path, msg("lists.no_csv", files=", ".join(CSV_FILES.values()), folder=path.name)
            )
        return sheets
    if not path.is_file():
        raise DataError(path, msg("data.file_not_found"))
    return _workbook_sheets(path)


def _workbook_sheets(path: Path) -> dict[str, _Sheet]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, InvalidFileException) as error:
        raise DataError(path, msg("lists.unreadable", reason=type(error).__name__)) from None
    try:
        titles = {_key(title): title for title in book.sheetnames}
        sheets: dict[str, _Sheet] = {}
        for name in SHEET_COLUMNS:
            words = LIST_SHEETS[name]
            title = next(
                (titles[k] for k in (_key(words["vi"]), _key(words["en"]), name) if k in titles),
                None,
            )
            if title is None:
                continue
            rows = tuple(
                (number, tuple(values))
                for number, values in enumerate(book[title].iter_rows(values_only=True), start=1)
            )
            sheets[name] = _sheet(name, path, title, rows)
    finally:
        book.close()
    if not sheets:
        names = ", ".join(f"'{LIST_SHEETS[n]['vi']}'" for n in SHEET_COLUMNS)
        raise DataError(path, msg("lists.no_sheets", sheets=names))
    return sheets


def _csv_sheet(name: str, path: Path) -> _Sheet:
    text = check.read_utf8(path)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise DataError(path, msg("data.empty_file"))
    separator = max((",", ";", "\t"), key=lines[0].count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        raise DataError(path, msg("lists.bad_csv", reason=str(error))) from None
    rows = tuple((number, tuple(r)) for number, r in enumerate(records, start=1))
    return _sheet(name, path, None, rows)


def _sheet(
    name: str, path: Path, title: str | None, rows: tuple[tuple[int, tuple[Any, ...]], ...]
) -> _Sheet:
    """The sheet's header (row 1), without the English header row, blank rows left out."""
    known: dict[str, str] = {}
    for key in SHEET_COLUMNS[name]:
        words = LIST_COLUMNS[f"{name}.{key}"]
        for word in (words["vi"], words["en"], key):
            known[_key(word)] = key
    if not rows:
        raise DataError(path, msg("data.empty_file"), sheet=title)
    header = rows[0][1]
    columns: dict[str, tuple[int, str]] = {}
    for position, cell in enumerate(header):
        if check.is_missing(cell):
            continue
        found = known.get(_key(str(cell)))
        if found is None:
            continue  # a column of the planner's own: ignored
        key = found
        if key in columns:
            raise DataError(
                path,
                msg("lists.duplicate_column", first=columns[key][1], position=position + 1),
                field=str(cell),
                sheet=title,
            )
        columns[key] = (position, str(cell).strip())
    missing = [k for k in _REQUIRED[name] if k not in columns]
    if missing:
        wanted = ", ".join(f"'{LIST_COLUMNS[f'{name}.{k}']['vi']}' ({k})" for k in missing)
        found = ", ".join(f"'{h}'" for _, h in columns.values()) or "-"
        raise DataError(
            path, msg("lists.missing_columns", columns=wanted, found=found), sheet=title
        )
    data = rows[1:]
    if data and _is_header_row(data[0][1], known):
        data = data[1:]
    kept = tuple((n, cells) for n, cells in data if any(not check.is_missing(c) for c in cells))
    return _Sheet(name, path, title, columns, kept)


def _is_header_row(cells: Sequence[Any], known: Mapping[str, str]) -> bool:
    """The template's second header row (English): every cell a known header."""
    texts = [str(c) for c in cells if not check.is_missing(c)]
    return bool(texts) and all(_key(t) in known for t in texts)


# -- cells -----------------------------------------------------------------------------------------


def _text(sheet: _Sheet, number: int, cells: Sequence[Any], key: str) -> str:
    value = sheet.cell(cells, key)
    if check.is_missing(value):
        return ""
    text = _plain(value).strip()
    found = _CONTROL.search(text)
    if found is not None:
        raise sheet.error(
            msg("lists.control_character", code=f"U+{ord(found.group()):04X}", value=repr(text)),
            row=number,
            key=key,
        )
    return text


def _code(sheet: _Sheet, number: int, cells: Sequence[Any], key: str, width: int | None) -> str:
    text = _text(sheet, number, cells, key)
    if width is not None and text.isdigit():
        text = text.zfill(width)
    return text


def _number(sheet: _Sheet, number: int, cells: Sequence[Any], key: str) -> float | None:
    value = sheet.cell(cells, key)
    if check.is_missing(value):
        return None
    if isinstance(value, bool):
        raise sheet.error(msg("lists.not_number", value=value), row=number, key=key)
    if isinstance(value, int | float):
        result = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # a decimal comma, as Vietnamese Excel writes
        try:
            result = float(text)
        except ValueError:
            raise sheet.error(msg("lists.not_number", value=value), row=number, key=key) from None
    if not math.isfinite(result):
        raise sheet.error(msg("lists.not_number", value=value), row=number, key=key)
    return result


def _whole(sheet: _Sheet, number: int, cells: Sequence[Any], key: str, *, least: int) -> int | None:
    value = _number(sheet, number, cells, key)
    if value is None:
        return None
    shown = sheet.cell(cells, key)
    if not value.is_integer() or value < least:
        name = "lists.seats_not_positive" if key == "seats" else "lists.not_count"
        raise sheet.error(msg(name, value=_plain(shown)), row=number, key=key)
    return int(value)


def _mark(sheet: _Sheet, number: int, cells: Sequence[Any], key: str) -> bool | None:
    """The estimate mark of a row, or None when the sheet has no such column."""
    if not sheet.has(key):
        return None
    value = sheet.cell(cells, key)
    mark = read_mark(value)
    if mark is None:
        raise sheet.error(msg("lists.bad_mark", value=_plain(value)), row=number, key=key)
    return mark


def _point(
    sheet: _Sheet,
    number: int,
    cells: Sequence[Any],
    provinces: _Provinces,
    province_code: str,
) -> tuple[float, float] | None:
    """The row's lat, lon (None when both are blank), in Vietnam and in the province."""
    lat = _number(sheet, number, cells, "lat")
    lon = _number(sheet, number, cells, "lon")
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise sheet.error(
            msg("lists.one_coordinate"), row=number, key="lat" if lat is None else "lon"
        )
    field = f"{sheet.header('lat')}/{sheet.header('lon')}"
    inside = any(
        south <= lat <= north and west <= lon <= east
        for _, south, north, west, east in VIETNAM_AREAS
    )
    if not inside:
        raise DataError(
            sheet.path,
            msg("lists.not_in_vietnam", lat=f"{lat:.6g}", lon=f"{lon:.6g}"),
            row=number,
            field=field,
            sheet=sheet.title,
        )
    km = provinces.km_outside(province_code, lat, lon)
    if km > PROVINCE_TOLERANCE_KM:
        raise DataError(
            sheet.path,
            msg(
                "lists.outside_province",
                lat=f"{lat:.6g}",
                lon=f"{lon:.6g}",
                km=f"{km:.1f}",
                province=province_code,
                name=provinces.name(province_code),
                limit=f"{PROVINCE_TOLERANCE_KM:g}",
            ),
            row=number,
            field=field,
            sheet=sheet.title,
        )
    return lat, lon


class _Provinces:
    """The provinces' approximate polygons, in metres, for 'is this point in the province'."""

    def __init__(self, provinces: gpd.GeoDataFrame) -> None:
        metric = provinces.to_crs(METRIC_CRS)
        codes = [str(c) for c in provinces["province_code"]]
        self._shapes = dict(zip(codes, metric.geometry, strict=True))
        self._names = dict(zip(codes, provinces["province_name"].astype(str), strict=True))
        self._to_metric = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    def km_outside(self, code: str, lat: float, lon: float) -> float:
        shape = self._shapes.get(code)
        if shape is None or shape.is_empty:
            return 0.0
        x, y = self._to_metric.transform(lon, lat)
        return float(shape.distance(Point(x, y))) / 1000.0


# -- applying them -----------------------------------------------------------------------------


def apply_lists(
    path: Path,
    *,
    structure: str,
    provinces: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    post_offices: gpd.GeoDataFrame,
    group_label: str,
    notes: list[str],
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, tuple[TeamBase, ...]]:
    """The communes and venues corrected by the lists in `path`, and the team bases they
    name. Raises DataError naming the file, sheet, row and column of the first fault."""
    sheets = _read(path)
    shapes = _Provinces(provinces)
    if "communes" in sheets:
        communes = _apply_communes(sheets["communes"], communes, shapes, structure)
    if "venues" in sheets:
        post_offices = _apply_venues(
            sheets["venues"], post_offices, communes, groups, shapes, structure, group_label
        )
    bases = _team_bases(sheets["teams"], post_offices) if "teams" in sheets else ()
    counts = ", ".join(f"{name} {len(sheet.rows)} rows" for name, sheet in sheets.items())
    notes.append(f"{path}: read the planner's lists ({counts})")
    return communes, post_offices, bases


def _apply_communes(
    sheet: _Sheet, communes: gpd.GeoDataFrame, provinces: _Provinces, structure: str
) -> gpd.GeoDataFrame:
    communes = communes.copy()
    at = {str(code): label for label, code in communes["commune_code"].items()}
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        code = _code(sheet, number, cells, "commune_code", 5)
        if not code:
            raise sheet.error(msg("lists.no_commune_code"), row=number, key="commune_code")
        if code not in at:
            raise sheet.error(
                msg("lists.unknown_commune", code=code, structure=structure),
                row=number,
                key="commune_code",
            )
        if code in seen:
            raise sheet.error(
                msg("lists.duplicate_commune", code=code, row=seen[code]),
                row=number,
                key="commune_code",
            )
        seen[code] = number
        label = at[code]
        row = communes.loc[label]
        target = _whole(sheet, number, cells, "target_people", least=0)
        if target is not None and target > MAX_COMMUNE_PEOPLE:
            raise sheet.error(
                msg("lists.too_many_people", value=f"{target:,}", limit=f"{MAX_COMMUNE_PEOPLE:,}"),
                row=number,
                key="target_people",
            )
        point = _point(sheet, number, cells, provinces, str(row["province_code"]))
        target_mark = _mark(sheet, number, cells, "target_estimated")
        place_mark = _mark(sheet, number, cells, "position_estimated")

        built_target = int(row["target_people"])
        if target is not None and (target != built_target or target_mark is False):
            communes.at[label, "target_people"] = target
            communes.at[label, "population_method"] = USER_FILE_METHOD
            communes.at[label, "population_estimated"] = False
            communes.at[label, "target_from_user"] = True

        moved = point is not None and (
            abs(point[0] - float(row["lat"])) > 5e-7 or abs(point[1] - float(row["lon"])) > 5e-7
        )
        if moved and point is not None:
            communes.at[label, "lat"], communes.at[label, "lon"] = point
            communes.at[label, "position_method"] = USER_FILE_METHOD
            communes.at[label, "position_estimated"] = False
        elif place_mark is not None:
            communes.at[label, "position_estimated"] = place_mark
            if not place_mark and position_is_estimated(str(row["position_method"])):
                communes.at[label, "position_method"] = USER_FILE_METHOD  # confirmed
    return communes


def _apply_venues(
    sheet: _Sheet,
    post_offices: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    provinces: _Provinces,
    structure: str,
    group_label: str,
) -> gpd.GeoDataFrame:
    commune_of = communes.set_index(communes["commune_code"].astype(str))
    group_province = dict(
        zip(groups["group_code"].astype(str), groups["province_code"].astype(str), strict=True)
    )
    built = post_offices.set_index(post_offices["venue_id"].astype(str))
    records: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    names: dict[tuple[str, str], int] = {}
    listed: set[str] = set()
    made: dict[str, int] = {}
    numbers: list[int] = []  # the row of each record
    for number, cells in sheet.rows:
        name = _text(sheet, number, cells, "venue_name")
        if not name:
            raise sheet.error(msg("lists.no_venue_name"), row=number, key="venue_name")
        kind_text = _text(sheet, number, cells, "kind")
        kind = _KINDS.get(kind_text.casefold())
        if kind is None:
            raise sheet.error(msg("lists.bad_kind", value=kind_text), row=number, key="kind")
        code = _code(sheet, number, cells, "commune_code", 5)
        if code:
            if code not in commune_of.index:
                raise sheet.error(
                    msg("lists.unknown_commune", code=code, structure=structure),
                    row=number,
                    key="commune_code",
                )
            commune = commune_of.loc[code]
            group = str(commune["group_code"])
            province = str(commune["province_code"])
        else:
            group = _code(sheet, number, cells, "group_code", None)
            if kind != "group" or not group:
                raise sheet.error(msg("lists.no_commune_code"), row=number, key="commune_code")
            if group not in group_province:
                raise sheet.error(
                    msg("lists.unknown_group", code=group, structure=structure),
                    row=number,
                    key="group_code",
                )
            commune = None
            province = group_province[group]
        venue_id = _text(sheet, number, cells, "venue_id")
        if venue_id and venue_id in ids:
            raise sheet.error(
                msg("lists.duplicate_venue_id", venue=venue_id, row=ids[venue_id]),
                row=number,
                key="venue_id",
            )
        same = (code or group, _key(name))
        if same in names:
            raise sheet.error(
                msg("lists.duplicate_venue", name=name, code=code or group, row=names[same]),
                row=number,
                key="venue_name",
            )
        names[same] = number
        old = built.loc[venue_id] if venue_id and venue_id in built.index else None
        if isinstance(old, pd.DataFrame):  # pragma: no cover - venue ids are unique
            old = old.iloc[0]

        point = _point(sheet, number, cells, provinces, province)
        place_mark = _mark(sheet, number, cells, "position_estimated")
        if point is None:  # blank: the data's point, or a new venue's commune's (an estimate)
            if old is not None:
                point = (float(old["lat"]), float(old["lon"]))
            elif commune is not None:
                point = (float(commune["lat"]), float(commune["lon"]))
            else:
                raise sheet.error(msg("lists.one_coordinate"), row=number, key="lat")
            place_estimated = bool(old["position_estimated"]) if old is not None else True
        elif old is not None and _same_point(point, old):
            place_estimated = bool(old["position_estimated"]) if place_mark is None else place_mark
        else:
            place_estimated = bool(place_mark) if old is None else False

        seats = _whole(sheet, number, cells, "seats", least=1)
        seats_mark = _mark(sheet, number, cells, "seats_estimated")
        if seats is None:  # blank: the data's hall, or the assumed one (an estimate)
            area = float(old["hall_area_m2"]) if old is not None else assumed_seats(kind) * SEAT_M2
            hall_estimated = bool(old["hall_estimated"]) if old is not None else True
        else:
            area = seats * SEAT_M2
            if old is not None and abs(area - float(old["hall_area_m2"])) < 1e-9:
                hall_estimated = bool(old["hall_estimated"]) if seats_mark is None else seats_mark
            else:
                hall_estimated = bool(seats_mark) if old is None else False

        if not venue_id:
            venue_id = _new_id(code or group, built.index, ids, made)
        ids[venue_id] = number
        numbers.append(number)
        listed.add(province)
        records.append(
            {
                "venue_id": venue_id,
                "venue_name": name,
                "kind": kind,
                "commune_code": code or None,
                "group_code": group,
                "province_code": province,
                "lat": point[0],
                "lon": point[1],
                "hall_area_m2": area,
                "position_estimated": place_estimated,
                "hall_estimated": hall_estimated,
                **{key: _text(sheet, number, cells, key) for key in VENUE_DETAILS},
            }
        )
    _check_group_offices(sheet, numbers, records, listed, groups, group_label)
    kept = post_offices[~post_offices["province_code"].astype(str).isin(listed)]
    rows = pd.DataFrame.from_records(records, columns=list(records[0])) if records else None
    if rows is None:
        return kept
    rows = rows.reindex(columns=[c for c in post_offices.columns if c != "geometry"])
    new = gpd.GeoDataFrame(
        rows, geometry=gpd.points_from_xy(rows["lon"], rows["lat"]), crs=post_offices.crs
    )
    merged = gpd.GeoDataFrame(pd.concat([kept, new], ignore_index=True), crs=post_offices.crs)
    codes = merged["commune_code"].astype(object)
    merged["commune_code"] = codes.where(codes.notna(), None)  # an island district's office
    return merged


def _same_point(point: tuple[float, float], old: pd.Series) -> bool:
    return abs(point[0] - float(old["lat"])) <= 5e-7 and abs(point[1] - float(old["lon"])) <= 5e-7


def _new_id(
    place: str, built: Iterable[str], taken: Mapping[str, int], made: dict[str, int]
) -> str:
    """A new venue's id: PO-U-<commune (or group) code>-<n>, n from 1, not taken."""
    used = set(built) | set(taken)
    n = made.get(place, 0)
    while True:
        n += 1
        venue_id = f"PO-U-{place}-{n}"
        if venue_id not in used:
            made[place] = n
            return venue_id


def _check_group_offices(
    sheet: _Sheet,
    rows: Sequence[int],
    records: Sequence[Mapping[str, Any]],
    listed: set[str],
    groups: gpd.GeoDataFrame,
    group_label: str,
) -> None:
    """Every district (cluster) of a listed province keeps one main post office: the rule's
    team is based there; without one the group would silently have no team, and with two
    the team's base would depend on how the ids sort."""
    offices: dict[str, int] = {}
    for number, record in zip(rows, records, strict=True):
        if record["kind"] != "group":
            continue
        code = str(record["group_code"])
        if code in offices:
            raise sheet.error(
                msg(
                    "lists.two_group_offices",
                    group=msg(f"word.{group_label}"),
                    code=code,
                    row=offices[code],
                ),
                row=number,
                key="kind",
            )
        offices[code] = number
    for _, group in groups.iterrows():
        code = str(group["group_code"])
        if str(group["province_code"]) not in listed or code in offices:
            continue
        name = next(
            (
                str(group[c])
                for c in ("district_name", "cluster_name")
                if c in group and isinstance(group[c], str)
            ),
            code,
        )
        raise sheet.error(
            msg("lists.no_group_office", group=msg(f"word.{group_label}"), code=code, name=name),
            key="kind",
        )


def _team_bases(sheet: _Sheet, post_offices: gpd.GeoDataFrame) -> tuple[TeamBase, ...]:
    venues = set(post_offices["venue_id"].astype(str))
    seen: dict[str, int] = {}
    bases: list[TeamBase] = []
    for number, cells in sheet.rows:
        team = _text(sheet, number, cells, "team_id")
        if not team:
            raise sheet.error(msg("lists.no_team_id"), row=number, key="team_id")
        if team in seen:
            raise sheet.error(
                msg("lists.duplicate_team", team=team, row=seen[team]), row=number, key="team_id"
            )
        seen[team] = number
        venue = _text(sheet, number, cells, "base_venue_id")
        if venue not in venues:
            raise sheet.error(
                msg("lists.unknown_base", venue=venue or "-"), row=number, key="base_venue_id"
            )
        bases.append(
            TeamBase(
                team_id=team,
                venue_id=venue,
                path=str(sheet.path),
                sheet=sheet.title,
                row=number,
                field=sheet.header("team_id"),
            )
        )
    return tuple(bases)
