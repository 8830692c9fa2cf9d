"""`planner data template` and a planner's own lists: the workbook as the planner assumes the
province, read back unchanged to the same problem, filled in and planned with (seats,
contacts on the route sheet), every bad row one line naming sheet, row and column; the target
definitions; `planner validate`'s warning on estimated positions."""

from __future__ import annotations

import csv
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from planner.cli import main
from planner.errors import DataError, PlannerError, ScenarioError
from planner.export.i18n import LIST_COLUMNS, LIST_SHEETS
from planner.geo.lists import SHEET_COLUMNS
from planner.geo.load import load_geodata
from planner.messages import error_line
from planner.problem import build_province_problem
from planner.runner import RunSettings, load_scenario_geodata, run
from planner.scenario import load_scenario
from planner.scenario.schema import (
    CENSUS_POPULATION_2019,
    DEFAULT_SHARE_OF_POPULATION,
    INFORMAL_NON_AGRICULTURAL_2020,
    VOLUNTARY_PARTICIPANTS_2019,
)
from planner.template import write_template

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenarios" / "demo.toml"
VENUE = "PO-C-09163"  # Điểm BĐ-VH phường Vũ Ninh, Thành phố Bắc Ninh (256): 30 seats assumed
CONTACT = "Nguyễn Thị Lan"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template of Bắc Ninh (27), written once."""
    out = tmp_path_factory.mktemp("template")
    written = write_template(out, ["27"])
    assert [p.name for p in written] == [
        "danh-sach-27.xlsx",
        "communes.csv",
        "venues.csv",
        "teams.csv",
    ]
    return written[0]


class Lists:
    """The template's workbook opened for editing, cells found by sheet and column key."""

    def __init__(self, path: Path) -> None:
        self.book = openpyxl.load_workbook(path)

    def sheet(self, name: str) -> Any:
        return self.book[LIST_SHEETS[name]["vi"]]

    def column(self, name: str, key: str) -> int:
        return SHEET_COLUMNS[name].index(key) + 1

    def row_of(self, name: str, key: str, value: str) -> int:
        sheet, column = self.sheet(name), self.column(name, key)
        for row in range(3, sheet.max_row + 1):
            if sheet.cell(row, column).value == value:
                return row
        raise KeyError(value)

    def set(self, name: str, row: int, key: str, value: Any) -> None:
        self.sheet(name).cell(row, self.column(name, key)).value = value

    def get(self, name: str, row: int, key: str) -> Any:
        return self.sheet(name).cell(row, self.column(name, key)).value

    def add(self, name: str, values: dict[str, Any]) -> int:
        row = self.sheet(name).max_row + 1
        for key, value in values.items():
            self.set(name, row, key, value)
        return row

    def save(self, path: Path) -> Path:
        self.book.save(path)
        return path


def _scenario(folder: Path, lists: str, name: str = "demo-lists", extra: str = "") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(
        f'extends = "{DEMO.as_posix()}"\nname = "{name}"\n{extra}\n[data]\nlists = "{lists}"\n',
        encoding="utf-8",
    )
    return path


def _problem(scenario: Path, code: str = "27") -> Any:
    loaded = load_scenario(scenario)
    return build_province_problem(
        load_scenario_geodata(loaded, scenario, None), loaded, scenario, code
    )


@pytest.fixture(scope="module")
def demo_problem() -> Any:
    return _problem(DEMO)


# --- the template ---------------------------------------------------------------------------


def test_template_holds_the_province_as_the_planner_assumes_it(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["Xã", "Địa điểm", "Đội", "Hướng dẫn"]
    geo = load_geodata("2020", province_codes=["27"])
    for name, count in (("communes", 121), ("venues", 121 + 8), ("teams", 8)):
        sheet = book[LIST_SHEETS[name]["vi"]]
        vietnamese = [c.value for c in sheet[1]]
        english = [c.value for c in sheet[2]]
        assert vietnamese == [LIST_COLUMNS[f"{name}.{k}"]["vi"] for k in SHEET_COLUMNS[name]]
        assert english == [LIST_COLUMNS[f"{name}.{k}"]["en"] for k in SHEET_COLUMNS[name]]
        assert sheet.max_row - 2 == count, name
    lists = Lists(template)
    row = lists.row_of("venues", "venue_id", VENUE)
    assert lists.get("venues", row, "seats") == 30
    assert lists.get("venues", row, "seats_estimated") == "có"
    assert lists.get("venues", row, "position_estimated") == "có"
    assert lists.get("venues", row, "kind") == "xã"
    for key in ("address", "contact_name", "contact_phone", "opening_hours"):
        assert lists.get("venues", row, key) in (None, "")
    office = lists.row_of("venues", "venue_id", "PO-D-256")
    assert (lists.get("venues", office, "seats"), lists.get("venues", office, "kind")) == (
        80,
        "huyện",
    )
    commune = lists.row_of("communes", "commune_code", "09163")
    built = geo.communes.set_index("commune_code").loc["09163"]
    assert lists.get("communes", commune, "target_people") == int(built["target_people"])
    assert lists.get("communes", commune, "target_estimated") == "có"
    assert lists.get("communes", commune, "position_estimated") == "không"  # a source point
    spread = geo.communes[geo.communes["position_estimated"]]
    assert len(spread) == 3
    for code in spread["commune_code"]:
        assert (
            lists.get(
                "communes", lists.row_of("communes", "commune_code", code), "position_estimated"
            )
            == "có"
        )
    team = lists.row_of("teams", "team_id", "27-256-1")
    assert lists.get("teams", team, "base_venue_id") == "PO-D-256"
    legend = book["Hướng dẫn"]
    assert legend["A1"].value == "Tiếng Việt" and legend["B1"].value == "English"
    assert "[data] lists" in legend["A3"].value


def test_template_csv_files_hold_the_same_rows(template: Path) -> None:
    folder = template.with_suffix("")
    with (folder / "venues.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][1] == "Mã địa điểm" and rows[1][1] == "Venue id"
    assert len(rows) - 2 == 129


def test_template_never_replaces_a_workbook_without_force(template: Path) -> None:
    with pytest.raises(PlannerError, match="--force"):
        write_template(template.parent, ["27"])


def test_template_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "template", "--provinces", "27", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"đã ghi {tmp_path / 'danh-sach-27.xlsx'}"
    assert main(["data", "template", "--provinces", "27", "--out", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["data", "template", "--provinces", "99", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: lỗi:") and err.count("\n") == 1


def test_template_of_a_scenario_lists_its_teams(tmp_path: Path) -> None:
    scenario = tmp_path / "two.toml"
    scenario.write_text(
        f'extends = "{DEMO.as_posix()}"\nname = "two"\n[teams.rule]\nteams_per_group = 2\n',
        encoding="utf-8",
    )
    book = write_template(tmp_path, ["27"], scenario_path=scenario)[0]
    teams = Lists(book).sheet("teams")
    assert teams.max_row - 2 == 16


# --- read back ------------------------------------------------------------------------------


def test_unchanged_template_gives_the_same_problem(
    template: Path, demo_problem: Any, tmp_path: Path
) -> None:
    shutil.copy(template, tmp_path / "lists.xlsx")
    shutil.copytree(template.with_suffix(""), tmp_path / "csv")
    for lists in ("lists.xlsx", "csv"):
        problem = _problem(_scenario(tmp_path, lists, name=f"same-{lists.split('.')[0]}"))
        assert problem.communes == demo_problem.communes
        assert problem.venues == demo_problem.venues
        assert problem.teams == demo_problem.teams
        assert problem.groups == demo_problem.groups


def test_an_island_district_office_without_commune_round_trips(tmp_path: Path) -> None:
    """Đà Nẵng's Hoàng Sa district has a post office and no commune: its row has no commune
    code, and reads back the same."""
    book = write_template(tmp_path, ["48"])[0]
    lists = Lists(book)
    row = lists.row_of("venues", "venue_id", "PO-D-498")
    assert lists.get("venues", row, "commune_code") in (None, "")
    assert lists.get("venues", row, "group_code") == "498"
    scenario = tmp_path / "dn.toml"
    scenario.write_text(
        f'extends = "{DEMO.as_posix()}"\nname = "dn"\nprovinces = ["48"]\ncovid.timeline = []\n',
        encoding="utf-8",
    )
    with_lists = _scenario(
        tmp_path, book.name, name="dn-lists", extra='provinces = ["48"]\ncovid.timeline = []'
    )
    plain, listed = _problem(scenario, "48"), _problem(with_lists, "48")
    assert listed.venues == plain.venues
    assert listed.communes == plain.communes


def test_filled_figures_replace_the_estimates(template: Path, tmp_path: Path) -> None:
    lists = Lists(template)
    spread = lists.row_of("communes", "commune_code", "09307")  # Xã Mộ Đạo: a spread point
    assert lists.get("communes", spread, "position_estimated") == "có"
    lists.set("communes", spread, "lat", 21.13)
    lists.set("communes", spread, "lon", 106.15)
    target = lists.row_of("communes", "commune_code", "09163")
    lists.set("communes", target, "target_people", 5000)
    confirmed = lists.row_of("communes", "commune_code", "09166")
    lists.set("communes", confirmed, "target_estimated", "không")  # checked, not changed
    row = lists.row_of("venues", "venue_id", "PO-C-09166")
    lists.set("venues", row, "seats", 45)
    lists.set("venues", row, "contact_name", "Lê Văn Hùng")
    lists.set("venues", row, "contact_phone", "0912000111")
    gone = lists.row_of("venues", "venue_id", "PO-C-09169")
    lists.sheet("venues").delete_rows(gone)
    lists.add(
        "venues",
        {"venue_name": "Nhà văn hóa khu 3", "kind": "xã", "commune_code": "09169", "seats": 60},
    )
    team = lists.row_of("teams", "team_id", "27-256-1")
    lists.set("teams", team, "base_venue_id", "PO-C-09163")
    problem = _problem(_scenario(tmp_path, lists.save(tmp_path / "filled.xlsx").name))

    communes = {c.code: c for c in problem.communes}
    assert (communes["09307"].lat, communes["09307"].lon) == (21.13, 106.15)
    assert communes["09307"].position_method == "user_file"
    assert not communes["09307"].position_estimated
    assert communes["09163"].target_people == 5000
    assert not communes["09163"].population_estimated
    assert not communes["09166"].population_estimated  # the mark was cleared
    assert communes["09172"].population_estimated  # untouched: still the planner's estimate
    venues = {v.venue_id: v for v in problem.venues}
    assert venues["PO-C-09166"].hall_area_m2 == 45.0 and not venues["PO-C-09166"].hall_estimated
    assert venues["PO-C-09166"].contact_name == "Lê Văn Hùng"
    assert venues["PO-C-09166"].contact_phone == "0912000111"
    assert venues["PO-C-09166"].position_estimated  # its point is still the commune's
    assert "PO-C-09169" not in venues
    new = venues["PO-U-09169-1"]
    assert new.name == "Nhà văn hóa khu 3" and new.hall_area_m2 == 60.0
    assert new.position_estimated  # no point given: the commune's, an estimate
    assert not new.hall_estimated
    bases = {t.team_id: t.base_venue_id for t in problem.teams}
    assert bases["27-256-1"] == "PO-C-09163"
    group = next(g for g in problem.groups if g.code == "256")
    assert group.target_people == sum(
        c.target_people for c in problem.communes if c.group_code == "256"
    )


@pytest.fixture(scope="module")
def filled_run(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo planned with a venue of 120 seats and a contact (time limit 3 s)."""
    folder = tmp_path_factory.mktemp("filled")
    lists = Lists(template)
    row = lists.row_of("venues", "venue_id", VENUE)
    lists.set("venues", row, "seats", 120)
    lists.set("venues", row, "contact_name", CONTACT)
    lists.set("venues", row, "contact_phone", "0912 345 678")
    lists.set("venues", row, "address", "Số 1 đường Vũ Ninh")
    lists.set("venues", row, "opening_hours", "07:30-17:00")
    lists.save(folder / "filled.xlsx")
    scenario = _scenario(folder, "filled.xlsx", name="demo-filled")
    run(scenario, RunSettings(time_limit=3.0, seed=7, out_dir=folder / "out", workers=1))
    return folder / "out"


def test_a_larger_hall_allows_a_larger_conference(filled_run: Path) -> None:
    with (filled_run / "schedule.csv").open(encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if r["venue_id"] == VENUE]
    assert rows, "the 120-seat hall is the district's most valuable venue"
    assert max(int(r["invited"]) for r in rows) > 30  # the assumed hall held 30
    assert all(int(r["seats_by_area"]) == 120 for r in rows)
    assert all(r["hall_estimated"] == "0" and r["contact_name"] == CONTACT for r in rows)
    assert all(r["position_estimated"] == "1" for r in rows)  # the point was not corrected


def test_route_sheet_shows_the_contact_from_the_lists(filled_run: Path) -> None:
    with (filled_run / "schedule.csv").open(encoding="utf-8-sig") as f:
        team = next(r["team_id"] for r in csv.DictReader(f) if r["venue_id"] == VENUE)
    page = (filled_run / "sheets" / f"{team}.html").read_text(encoding="utf-8")
    assert f"Liên hệ: {CONTACT}, 0912 345 678" in page
    assert "Địa chỉ: Số 1 đường Vũ Ninh" in page
    assert "Hội trường: 120 chỗ ·" in page or "Hội trường: 120 chỗ<" in page
    assert "Chỉ đường (vị trí ước tính)" in page


def test_plan_with_lists_passes_check(filled_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(filled_run)]) == 0
    summary = json.loads((filled_run / "summary.json").read_text(encoding="utf-8"))
    assert summary["targets"]["definition"] == "informal_non_agricultural"


# --- bad rows -------------------------------------------------------------------------------


def _venue_row(lists: Lists) -> int:
    return lists.row_of("venues", "venue_id", VENUE)


BAD: dict[str, tuple[Callable[[Lists], int], str, str, str]] = {
    # name: (edit returning the row, sheet, column key, words of the problem)
    "unknown commune code": (
        lambda ls: (ls.set("communes", 3, "commune_code", "99999"), 3)[1],
        "communes",
        "commune_code",
        "no commune has code 99999",
    ),
    "unknown commune of a venue": (
        lambda ls: (ls.set("venues", _venue_row(ls), "commune_code", "01001"), _venue_row(ls))[1],
        "venues",
        "commune_code",
        "no commune has code 01001",
    ),
    "zero seats": (
        lambda ls: (ls.set("venues", _venue_row(ls), "seats", 0), _venue_row(ls))[1],
        "venues",
        "seats",
        "0 seats is not valid",
    ),
    "negative seats": (
        lambda ls: (ls.set("venues", _venue_row(ls), "seats", -3), _venue_row(ls))[1],
        "venues",
        "seats",
        "-3 seats is not valid",
    ),
    "seats not a number": (
        lambda ls: (ls.set("venues", _venue_row(ls), "seats", "ba mươi"), _venue_row(ls))[1],
        "venues",
        "seats",
        "is not a number",
    ),
    "point outside the province": (
        lambda ls: (
            ls.set("venues", _venue_row(ls), "lat", 20.85),  # Hải Phòng
            ls.set("venues", _venue_row(ls), "lon", 106.68),
            _venue_row(ls),
        )[2],
        "venues",
        "lat",
        "outside province 27",
    ),
    "commune point outside the province": (
        lambda ls: (ls.set("communes", 3, "lat", 21.03), ls.set("communes", 3, "lon", 105.85), 3)[
            2
        ],
        "communes",
        "lat",
        "outside province 27",
    ),
    "duplicate venue id": (
        lambda ls: (ls.set("venues", 4, "venue_id", ls.get("venues", 3, "venue_id")), 4)[1],
        "venues",
        "venue_id",
        "is also in row 3",
    ),
    "duplicate venue": (
        lambda ls: ls.add(
            "venues",
            {
                "venue_name": ls.get("venues", 3, "venue_name"),
                "kind": "xã",
                "commune_code": ls.get("venues", 3, "commune_code"),
                "seats": 40,
            },
        ),
        "venues",
        "venue_name",
        "is also in row 3",
    ),
    "two main post offices in a district": (
        lambda ls: (
            ls.set("venues", _venue_row(ls), "kind", "huyện"),
            ls.row_of("venues", "venue_id", "PO-D-256"),
        )[1],
        "venues",
        "kind",
        "has its main post office in row 3 already",
    ),
    "unknown team": (
        lambda ls: (ls.set("teams", 3, "team_id", "27-999-1"), 3)[1],
        "teams",
        "team_id",
        "no team of the scenario has id 27-999-1",
    ),
    "unknown base": (
        lambda ls: (ls.set("teams", 3, "base_venue_id", "PO-X"), 3)[1],
        "teams",
        "base_venue_id",
        "no venue has id PO-X",
    ),
    "bad estimate mark": (
        lambda ls: (ls.set("communes", 3, "position_estimated", "maybe"), 3)[1],
        "communes",
        "position_estimated",
        "is neither 'yes' nor 'no'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_row_is_one_line_naming_sheet_row_and_column(
    case: str, template: Path, tmp_path: Path
) -> None:
    edit, sheet, key, words = BAD[case]
    lists = Lists(template)
    row = edit(lists)
    scenario = _scenario(tmp_path, lists.save(tmp_path / "bad.xlsx").name)
    with pytest.raises(DataError) as caught:
        loaded = load_scenario(scenario)
        load_scenario_geodata(loaded, scenario, None)
    error = caught.value
    header = LIST_COLUMNS[f"{sheet}.{key}"]["vi"]
    assert error.sheet == LIST_SHEETS[sheet]["vi"]
    assert error.row == row
    assert error.field is not None and error.field.startswith(header)
    assert words in str(error)
    english = error_line(error, "en")
    assert f"sheet '{LIST_SHEETS[sheet]['vi']}', row {row}, column '{header}" in english
    vietnamese = error_line(error, "vi")
    assert f"trang '{LIST_SHEETS[sheet]['vi']}', dòng {row}, cột '{header}" in vietnamese
    assert "\n" not in vietnamese


def test_a_bad_row_stops_the_cli_with_one_line(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lists = Lists(template)
    lists.set("venues", _venue_row(lists), "seats", 0)
    scenario = _scenario(tmp_path, lists.save(tmp_path / "zero.xlsx").name)
    assert main(["validate", str(scenario)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "trang 'Địa điểm'" in err and "cột 'Số chỗ ngồi hội trường'" in err


def test_a_district_keeps_its_main_post_office(template: Path, tmp_path: Path) -> None:
    lists = Lists(template)
    lists.sheet("venues").delete_rows(lists.row_of("venues", "venue_id", "PO-D-258"))
    scenario = _scenario(tmp_path, lists.save(tmp_path / "nooffice.xlsx").name)
    with pytest.raises(DataError, match=r"district 258 .* has no main post office"):
        load_scenario_geodata(load_scenario(scenario), scenario, None)


# --- target definitions ---------------------------------------------------------------------


def test_the_default_share_is_the_data_s_and_the_facts(demo_problem: Any) -> None:
    facts = {
        row["what"]: float(row["value"])
        for row in csv.DictReader(
            (REPO / "data" / "facts" / "informal_workers.csv").open(encoding="utf-8")
        )
    }
    assert facts["informal_non_agricultural_workers"] == INFORMAL_NON_AGRICULTURAL_2020
    assert facts["voluntary_participants"] == VOLUNTARY_PARTICIPANTS_2019
    assert facts["census_population"] == CENSUS_POPULATION_2019
    people = sum(c.population for c in demo_problem.communes)
    target = sum(c.target_people for c in demo_problem.communes)
    assert target / people == pytest.approx(DEFAULT_SHARE_OF_POPULATION, abs=1e-4)


def test_informal_all_needs_a_share(tmp_path: Path) -> None:
    path = tmp_path / "all.toml"
    path.write_text(
        f'extends = "{DEMO.as_posix()}"\nname = "all"\n[targets]\ndefinition = "informal_all"\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"targets\.share_of_population") as caught:
        load_scenario(path)
    assert "not in the planner's sources" in str(caught.value)
    assert "không có trong các nguồn" in error_line(caught.value, "vi")


def test_a_share_sets_every_estimated_target(
    demo_problem: Any, template: Path, tmp_path: Path
) -> None:
    lists = Lists(template)
    lists.set("communes", lists.row_of("communes", "commune_code", "09163"), "target_people", 5000)
    lists.save(tmp_path / "mine.xlsx")
    scenario = _scenario(
        tmp_path,
        "mine.xlsx",
        name="all",
        extra='[targets]\ndefinition = "informal_all"\nshare_of_population = 0.5\n',
    )
    problem = _problem(scenario)
    for commune in problem.communes:
        if commune.code == "09163":
            assert commune.target_people == 5000  # the planner's own figure is kept
        else:
            assert commune.target_people == math.floor(commune.population * 0.5 + 0.5)
    urban_rural = tmp_path / "ur.toml"
    urban_rural.write_text(
        f'extends = "{DEMO.as_posix()}"\nname = "ur"\n[targets]\nshare_urban = 0.3\n'
        "share_rural = 0.1\n",
        encoding="utf-8",
    )
    problem = _problem(urban_rural)
    for commune in problem.communes:
        share = 0.3 if commune.kind in ("Phường", "Thị trấn") else 0.1
        assert commune.target_people == math.floor(commune.population * share + 0.5)


def test_summary_says_which_definition(tmp_path: Path) -> None:
    from planner.runner import targets_block

    path = tmp_path / "all.toml"
    path.write_text(
        f'extends = "{DEMO.as_posix()}"\nname = "all"\n[targets]\ndefinition = "informal_all"\n'
        'share_of_population = 0.4\nsource = "https://example.org/lfs"\n',
        encoding="utf-8",
    )
    block = targets_block(load_scenario(path))
    assert block["definition"] == "informal_all"
    assert block["share_of_population"] == 0.4
    assert block["source"] == "https://example.org/lfs"
    default = targets_block(load_scenario(DEMO))
    assert default["definition"] == "informal_non_agricultural"
    assert default["share_of_population"] == pytest.approx(0.205033, abs=1e-6)


# --- planner validate -----------------------------------------------------------------------


def test_validate_warns_of_estimated_positions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DEMO)]) == 0
    lines = capsys.readouterr().out.splitlines()
    warnings = [line for line in lines if line.startswith("cảnh báo:")]
    assert warnings == [
        next(
            line
            for line in lines
            if "tỉnh 27 (Tỉnh Bắc Ninh): 3 / 121 xã có vị trí ước tính" in line
        )
    ]
    assert lines[-1].startswith(f"{DEMO}: hợp lệ")
    assert main(["validate", str(DEMO), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "warning: province 27 (Tỉnh Bắc Ninh): 3 of 121 communes rest on an estimated" in out
