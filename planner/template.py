"""`planner data template`: a province's communes, venues and teams as the planner assumes
them, as a workbook (and CSV files) for a planner to correct and hand back.

`write_template(out_dir, provinces)` writes `danh-sach-<codes>.xlsx` with four sheets:

- **Xã** (communes): code, name, district (cluster), population (for reference), target
  people and whether it is estimated, point (lat, lon) and whether it is estimated, and how
  the point was found (for reference);
- **Địa điểm** (venues): id, name, kind (main post office or commune cultural post office),
  commune, district, address (blank), point and whether it is estimated, hall seats and
  whether they are estimated, contact name and phone (blank), opening hours (blank);
- **Đội** (teams): each team's id, district and base (venue id);
- **Hướng dẫn** (legend): what each sheet does and how it is read back, in Vietnamese and
  English;

and the same three sheets as CSV files (UTF-8 with a byte order mark, for Excel) in the
folder `danh-sach-<codes>/`, which a scenario may name instead of the workbook. Row 1 of each
sheet holds the Vietnamese headers, row 2 the English ones. The lists are read back by
`planner.geo.lists` (a scenario's ``[data] lists``); an existing workbook is never replaced
without ``force`` (it may hold the planner's corrections).

With a scenario, its structure, its data files (so a corrected list can be written again
with its corrections) and its teams are used; without one, the shipped data and one team per
district (cluster) based at its main post office, as the planner's team rule makes them.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.errors import PlannerError, ScenarioError
from planner.export.i18n import LIST_COLUMNS, LIST_SHEETS, LIST_WORDS, Lang
from planner.geo.lists import CSV_FILES, SEAT_M2, SHEET_COLUMNS
from planner.geo.load import GeoData, load_geodata
from planner.messages import msg, text

__all__ = ["TemplateTeam", "template_rows", "write_template"]

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ENGLISH_FONT = Font(italic=True, color="555555")
_TEXT_COLUMNS = frozenset(
    {
        "province_code",
        "commune_code",
        "group_code",
        "venue_id",
        "team_id",
        "base_venue_id",
        "contact_phone",
        "opening_hours",
    }
)
_MARK_COLUMNS = frozenset({"target_estimated", "position_estimated", "seats_estimated"})


@dataclass(frozen=True)
class TemplateTeam:
    """A team as the template lists it."""

    province_code: str
    team_id: str
    group_code: str
    base_venue_id: str


def _mark(estimated: bool) -> str:
    return LIST_WORDS["yes" if estimated else "no"]["vi"]


def _group_names(geo: GeoData) -> dict[str, str]:
    names: dict[str, str] = {}
    for _, row in geo.groups.iterrows():
        code = str(row["group_code"])
        names[code] = next(
            (
                str(row[c])
                for c in ("district_name", "cluster_name")
                if c in row and isinstance(row[c], str)
            ),
            code,
        )
    return names


def _rule_teams(geo: GeoData, codes: Sequence[str]) -> list[TemplateTeam]:
    """One team per district (cluster) with communes, at its main post office: the rule's."""
    offices = geo.post_offices[geo.post_offices["kind"] == "group"]
    office_of = dict(
        zip(offices["group_code"].astype(str), offices["venue_id"].astype(str), strict=True)
    )
    with_communes = set(geo.communes["group_code"].astype(str))
    teams: list[TemplateTeam] = []
    for _, group in geo.groups.sort_values(["province_code", "group_code"]).iterrows():
        code, province = str(group["group_code"]), str(group["province_code"])
        if province in codes and code in office_of and code in with_communes:
            teams.append(TemplateTeam(province, f"{province}-{code}-1", code, office_of[code]))
    return teams


def template_rows(
    geo: GeoData, codes: Sequence[str], teams: Sequence[TemplateTeam]
) -> dict[str, list[dict[str, Any]]]:
    """The rows of each sheet, by column key (see `planner.geo.lists.SHEET_COLUMNS`)."""
    names = _group_names(geo)
    group_word = LIST_WORDS["kind_cluster" if geo.group_label == "cluster" else "kind_district"]
    communes = geo.communes[geo.communes["province_code"].isin(codes)].sort_values(
        ["province_code", "group_code", "commune_code"]
    )
    venues = geo.post_offices[geo.post_offices["province_code"].isin(codes)].sort_values(
        ["province_code", "venue_id"]
    )
    venue_names = dict(
        zip(geo.post_offices["venue_id"].astype(str), geo.post_offices["venue_name"], strict=True)
    )
    rows: dict[str, list[dict[str, Any]]] = {"communes": [], "venues": [], "teams": []}
    for _, c in communes.iterrows():
        rows["communes"].append(
            {
                "province_code": str(c["province_code"]),
                "commune_code": str(c["commune_code"]),
                "commune_name": str(c["commune_name"]),
                "group_code": str(c["group_code"]),
                "group_name": names.get(str(c["group_code"]), str(c["group_code"])),
                "population": int(c["population"]),
                "target_people": int(c["target_people"]),
                "target_estimated": _mark(bool(c["population_estimated"])),
                "lat": round(float(c["lat"]), 6),
                "lon": round(float(c["lon"]), 6),
                "position_estimated": _mark(bool(c["position_estimated"])),
                "position_method": str(c["position_method"]),
            }
        )
    for _, v in venues.iterrows():
        kind = str(v["kind"])
        commune = v["commune_code"]
        rows["venues"].append(
            {
                "province_code": str(v["province_code"]),
                "venue_id": str(v["venue_id"]),
                "venue_name": str(v["venue_name"]),
                "kind": group_word["vi"] if kind == "group" else LIST_WORDS["kind_commune"]["vi"],
                "commune_code": "" if not isinstance(commune, str) else commune,
                "group_code": str(v["group_code"]),
                "address": str(v.get("address") or ""),
                "lat": round(float(v["lat"]), 6),
                "lon": round(float(v["lon"]), 6),
                "position_estimated": _mark(bool(v["position_estimated"])),
                "seats": round(float(v["hall_area_m2"]) / SEAT_M2),
                "seats_estimated": _mark(bool(v["hall_estimated"])),
                "contact_name": str(v.get("contact_name") or ""),
                "contact_phone": str(v.get("contact_phone") or ""),
                "opening_hours": str(v.get("opening_hours") or ""),
            }
        )
    for team in teams:
        rows["teams"].append(
            {
                "province_code": team.province_code,
                "team_id": team.team_id,
                "group_code": team.group_code,
                "group_name": names.get(team.group_code, team.group_code),
                "base_venue_id": team.base_venue_id,
                "base_name": str(venue_names.get(team.base_venue_id, "")),
            }
        )
    return rows


def write_template(
    out_dir: Path,
    provinces: Sequence[str],
    *,
    structure: str = "2020",
    scenario_path: Path | None = None,
    data_dir: Path | None = None,
    force: bool = False,
) -> list[Path]:
    """Write the workbook and its CSV files for `provinces` into `out_dir`; return them.

    Raises PlannerError when the workbook exists (unless `force`), DataError or
    ScenarioError for unknown provinces or a bad scenario.
    """
    codes = tuple(
        sorted({c.strip().zfill(2) if c.strip().isdigit() else c.strip() for c in provinces})
    )
    if scenario_path is not None:
        geo, teams, structure = _from_scenario(scenario_path, codes, data_dir)
    else:
        geo = load_geodata(structure, data_dir=data_dir, province_codes=codes)
        teams = _rule_teams(geo, codes)
    rows = template_rows(geo, codes, teams)
    stem = "danh-sach-" + "-".join(codes)
    out_dir = Path(out_dir)
    book_path = out_dir / f"{stem}.xlsx"
    if book_path.exists() and not force:
        raise PlannerError(msg("error.located", where=book_path, problem=msg("template.exists")))
    out_dir.mkdir(parents=True, exist_ok=True)
    _workbook(rows, geo, codes, structure, book_path, data_dir).save(book_path)
    written = [book_path]
    folder = out_dir / stem
    folder.mkdir(exist_ok=True)
    for sheet, file in CSV_FILES.items():
        path = folder / file
        _write_csv(path, sheet, rows[sheet])
        written.append(path)
    return written


def _from_scenario(
    scenario_path: Path, codes: Sequence[str], data_dir: Path | None
) -> tuple[GeoData, list[TemplateTeam], str]:
    from planner.problem import build_province_problem
    from planner.runner import load_scenario_geodata
    from planner.scenario import load_scenario

    scenario = load_scenario(scenario_path)
    geo = load_scenario_geodata(scenario, scenario_path, data_dir)
    unknown = [c for c in codes if c not in set(geo.provinces["province_code"])]
    if unknown:
        raise ScenarioError(
            scenario_path,
            msg("data.unknown_provinces", codes=", ".join(unknown), structure=scenario.structure),
            field="provinces",
        )
    teams: list[TemplateTeam] = []
    for code in codes:
        problem = build_province_problem(geo, scenario, scenario_path, code)
        teams += [
            TemplateTeam(code, t.team_id, t.group_code, t.base_venue_id) for t in problem.teams
        ]
    return geo, teams, scenario.structure


def _headers(sheet: str, lang: Lang) -> list[str]:
    return [LIST_COLUMNS[f"{sheet}.{key}"][lang] for key in SHEET_COLUMNS[sheet]]


def _write_csv(path: Path, sheet: str, rows: Sequence[Mapping[str, Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(_headers(sheet, "vi"))
        writer.writerow(_headers(sheet, "en"))
        for row in rows:
            writer.writerow([row[key] for key in SHEET_COLUMNS[sheet]])


def _workbook(
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    geo: GeoData,
    codes: Sequence[str],
    structure: str,
    book_path: Path,
    data_dir: Path | None,
) -> Workbook:
    from planner.runner import data_version

    book = Workbook()
    legend = book.active
    assert legend is not None
    legend.title = LIST_SHEETS["legend"]["vi"]
    group_kind = LIST_WORDS["kind_cluster" if geo.group_label == "cluster" else "kind_district"][
        "vi"
    ]
    group = "cụm" if geo.group_label == "cluster" else "huyện"
    group_en = "cluster" if geo.group_label == "cluster" else "district"
    lines = [
        (
            "template.title",
            {
                "provinces": ", ".join(codes),
                "structure": structure,
                "data_version": data_version(data_dir),
            },
        ),
        ("template.use", {"file": book_path.name}),
        ("template.headers", {}),
        ("template.communes", {}),
        ("template.targets", {}),
        ("template.marks", {}),
        ("template.venues", {"group_kind": group_kind}),
        ("template.seats", {}),
        ("template.teams", {}),
    ]
    legend.append(["Tiếng Việt", "English"])
    for cell in legend[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for key, params in lines:
        vi = text(key, "vi", **{**params, "group": group})
        en = text(key, "en", **{**params, "group": group_en})
        legend.append([vi, en])
    for cell in legend["A"] + legend["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    legend.column_dimensions["A"].width = 80
    legend.column_dimensions["B"].width = 80
    legend["A2"].font = Font(bold=True)
    legend["B2"].font = Font(bold=True)

    for name in ("communes", "venues", "teams"):
        sheet = book.create_sheet(LIST_SHEETS[name]["vi"])
        _fill(sheet, name, rows[name], group_kind)
    book.move_sheet(legend, offset=len(book.sheetnames) - 1)  # the lists first, the legend last
    book.active = 0
    return book


def _fill(sheet: Worksheet, name: str, rows: Sequence[Mapping[str, Any]], group_kind: str) -> None:
    keys = SHEET_COLUMNS[name]
    sheet.append(_headers(name, "vi"))
    sheet.append(_headers(name, "en"))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[2]:
        cell.font = _ENGLISH_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([row[key] for key in keys])
    last = max(sheet.max_row, 3)
    for index, key in enumerate(keys, start=1):
        letter = get_column_letter(index)
        if key in _TEXT_COLUMNS:  # codes keep their leading zeros, phones their 0
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = "@"
                if cell.value is not None and not isinstance(cell.value, str):
                    cell.value = str(cell.value)
        if key in ("lat", "lon"):
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = "0.000000"
        width = max(
            [len(str(sheet.cell(row=1, column=index).value)) // 2 + 2, 8]
            + [len(str(r[key])) + 2 for r in rows[:200]]
        )
        sheet.column_dimensions[letter].width = min(width, 40)
        if key in _MARK_COLUMNS:
            _choices(sheet, f"{letter}3:{letter}{last + 500}", ["có", "không"])
        elif key == "kind":
            _choices(sheet, f"{letter}3:{letter}{last + 500}", [group_kind, "xã"])
        elif key == "seats":
            whole = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="1",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                error="≥ 1",
            )
            whole.add(f"{letter}3:{letter}{last + 500}")
            sheet.add_data_validation(whole)
    sheet.freeze_panes = "C3"


def _choices(sheet: Worksheet, cells: str, words: Sequence[str]) -> None:
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(words) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        error=" / ".join(words),
    )
    validation.add(cells)
    sheet.add_data_validation(validation)
