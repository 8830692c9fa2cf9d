"""Every user mistake, run through the command line: one clear line, never a traceback.

Each case is a tiny file named after its fault: in tests/data/bad_input/ (most extend
`valid_base.toml`, a small valid Bắc Ninh scenario), the shared bad scenarios of
tests/data/scenarios/ and the shared bad geographic files of tests/data/geo/ (through a
scenario's [data] table). Each runs `planner.cli.main` in-process and must end with exit
code 2, exactly one non-empty line on stderr, starting "planner: error:", naming the file
and the field or row (or the option, for a command-line mistake), no traceback, and no
output folder (not even a temporary one) left behind. Three run in a real subprocess.

Every case runs twice. In English (PLANNER_LANG=en) the line starts "planner: error:" and
holds every word of the case. In Vietnamese, the default, it starts "planner: lỗi:" and holds
the words that are the same in any language: the file's name, the field or option (quoted,
dotted or a path); the problem itself is said in Vietnamese when the catalogue knows it
(tests/test_messages.py checks the translations), so its English words are not asked for.

Input that is valid but leaves nothing to do must give a plan that explains itself: exit 0,
every commune and minimum not served listed in unserved.csv with its reason.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.cli import main

REPO = Path(__file__).resolve().parents[1]
BAD = REPO / "tests" / "data" / "bad_input"
SCENARIOS = REPO / "tests" / "data" / "scenarios"
BASE = BAD / "valid_base.toml"
EMPTY_DATA_DIR = "<empty folder>"  # replaced by a fresh empty folder


@dataclass(frozen=True)
class Case:
    """A command line, and the words its one error line must contain (file first)."""

    argv: tuple[str | Path, ...]
    words: tuple[str, ...]


def run_case(bad: Path, *words: str) -> Case:
    """`planner run FILE`: the line names the file (its name) and `words`."""
    return Case(("run", bad), (bad.name, *words))


def geo_case(stem: str, bad_file: str, *words: str) -> Case:
    """A scenario whose [data] table names a shared bad file of tests/data/geo."""
    return Case(("run", BAD / f"geo_{stem}.toml"), (bad_file, *words))


CASES: dict[str, Case] = {
    # -- the scenario file itself
    "malformed_toml": run_case(SCENARIOS / "malformed_toml.toml", "line 11, column 9"),
    "not_utf8": run_case(SCENARIOS / "not_utf8.toml", "not UTF-8"),
    "unknown_field": run_case(
        SCENARIOS / "unknown_field.toml", "'teams.working_hours.strat'", "did you mean 'start'"
    ),
    "unknown_table": run_case(SCENARIOS / "unknown_table.toml", "'conference'", "unknown field"),
    "wrong_type_crew": run_case(
        SCENARIOS / "wrong_type_crew.toml", "'teams.rule.crew'", "must be a whole number"
    ),
    "wrong_type_bool": run_case(
        SCENARIOS / "wrong_type_bool.toml", "'propaganda.allowed'", "true or false"
    ),
    "reversed_dates": run_case(
        SCENARIOS / "reversed_dates.toml", "'campaign.end'", "on or after campaign.start"
    ),
    "quoted_date": run_case(SCENARIOS / "quoted_date.toml", "'campaign.start'", "must be a date"),
    "empty_campaign_dates": run_case(
        BAD / "empty_campaign_dates.toml", "'campaign.start'", "required"
    ),
    "empty_team_days": run_case(
        BAD / "empty_team_days.toml", "'teams.list[0].days'", "must not be empty"
    ),
    "reversed_timeline_dates": run_case(
        SCENARIOS / "reversed_timeline_dates.toml", "'covid.timeline[0].end'", "on or after"
    ),
    "overlapping_levels": run_case(
        SCENARIOS / "overlapping_levels.toml", "'covid.timeline[1]'", "inconsistent overlap"
    ),
    "nan_reach_share": run_case(
        BAD / "nan_reach_share.toml", "'propaganda.reach_share'", "finite number"
    ),
    "nan_detour_factor": run_case(
        SCENARIOS / "nan_value.toml", "'travel.detour_factor'", "finite number"
    ),
    "huge_crew": run_case(BAD / "huge_crew.toml", "'teams.rule.crew'", "at most 50"),
    "huge_time_limit": run_case(
        SCENARIOS / "huge_number.toml", "'solver.time_limit_seconds'", "at most 86400"
    ),
    "zero_teams_per_group": run_case(
        BAD / "zero_teams_per_group.toml", "'teams.rule.teams_per_group'", "at least 1, got 0"
    ),
    "negative_teams_per_group": run_case(
        BAD / "negative_teams_per_group.toml", "'teams.rule.teams_per_group'", "got -2"
    ),
    "zero_crew": run_case(SCENARIOS / "zero_crew.toml", "'teams.rule.crew'", "at least 1"),
    "no_teams": run_case(SCENARIOS / "no_teams.toml", "'teams'", "no teams"),
    "extends_cycle": run_case(SCENARIOS / "extends_cycle_a.toml", "'extends'", "extends cycle"),
    "extends_missing_file": run_case(
        SCENARIOS / "extends_missing_file.toml", "'extends'", "does not exist"
    ),
    "zero_gathering_cap_with_conference_minimum": run_case(
        BAD / "zero_gathering_cap_with_conference_minimum.toml",
        "'fairness.min_conferences_per_group'",
        "max_gathering = 0",
    ),
    # -- the scenario against the data
    "bad_province_code": run_case(
        SCENARIOS / "bad_province_code.toml", "'provinces[1]'", "2-digit province code"
    ),
    "unknown_province": run_case(BAD / "unknown_province.toml", "'provinces'", "99"),
    "province_code_of_other_structure": run_case(
        BAD / "province_code_of_other_structure.toml", "'provinces'", "structure 2025"
    ),
    "unknown_district_in_timeline": run_case(
        BAD / "unknown_district_in_timeline.toml", "'covid.timeline[0].codes[1]'", "'999'"
    ),
    "unknown_commune_in_timeline": run_case(
        BAD / "unknown_commune_in_timeline.toml", "'covid.timeline[0].codes[0]'", "'99999'"
    ),
    "timeline_district_of_other_province": run_case(
        BAD / "timeline_district_of_other_province.toml",
        "'covid.timeline[0].codes[0]'",
        "province 01",
    ),
    "team_base_other_province": run_case(
        BAD / "team_base_other_province.toml", "'teams.list[0].base'", "'PO-D-001'"
    ),
    "venue_zero_area": Case(
        ("run", BAD / "venue_zero_area.toml"),
        ("post_offices_zero_area.csv", "row 2", "'hall_area_m2'", "no area"),
    ),
    "missing_data_file": run_case(
        BAD / "missing_data_file.toml", "'data.post_offices'", "no_such_post_offices.csv"
    ),
    # -- the user's geographic files (the shared bad files of tests/data/geo)
    "wrong_crs_swapped_latlon": geo_case(
        "communes_wrong_crs_swapped_latlon",
        "communes_wrong_crs_swapped_latlon.geojson",
        "row 1",
        "swapped",
    ),
    "projected_metres_without_crs": geo_case(
        "communes_projected_metres_no_crs",
        "communes_projected_metres_no_crs.geojson",
        "row 1",
        "projected metres",
    ),
    "shapefile_without_crs": geo_case(
        "communes_no_crs", "communes_no_crs.shp", "no coordinate reference system"
    ),
    "invalid_geometry": geo_case(
        "communes_invalid_geometry",
        "communes_invalid_geometry.geojson",
        "row 3",
        "invalid geometry",
    ),
    "empty_geometry": geo_case(
        "communes_empty_geometry", "communes_empty_geometry.geojson", "row 2", "empty"
    ),
    "null_geometry": geo_case(
        "communes_null_geometry", "communes_null_geometry.geojson", "row 4", "no geometry"
    ),
    "lines_not_polygons": geo_case(
        "communes_lines_not_polygons",
        "communes_lines_not_polygons.geojson",
        "row 1",
        "LineString",
    ),
    "duplicate_commune_codes": geo_case(
        "communes_duplicate_codes",
        "communes_duplicate_codes.geojson",
        "row 5",
        "'commune_code'",
        "duplicate",
    ),
    "duplicate_venue_ids": geo_case(
        "post_offices_duplicate_ids",
        "post_offices_duplicate_ids.csv",
        "row 4",
        "'venue_id'",
        "duplicate",
    ),
    "latin1_csv": geo_case("post_offices_latin1", "post_offices_latin1.csv", "not UTF-8"),
    "nan_in_csv": geo_case(
        "post_offices_nan", "post_offices_nan.csv", "row 2", "'hall_area_m2'", "NaN"
    ),
    "ragged_csv_row": geo_case(
        "post_offices_ragged_row", "post_offices_ragged_row.csv", "row 2", "8 fields"
    ),
    "header_only_csv": geo_case(
        "post_offices_header_only", "post_offices_header_only.csv", "no rows"
    ),
    "empty_csv": geo_case("empty_post_offices", "empty.csv", "empty file"),
    "empty_geojson": geo_case("empty_communes", "empty.geojson", "no communes"),
    "not_a_geofile": geo_case("not_a_geofile", "not_a_geofile.gpkg", "not a readable"),
    "missing_columns": geo_case(
        "communes_missing_column",
        "communes_missing_column.geojson",
        "missing required columns commune_name, group_code",
    ),
    "negative_population": geo_case(
        "communes_negative_population",
        "communes_negative_population.geojson",
        "row 1",
        "'population'",
    ),
    "csv_points_without_latlon": geo_case(
        "communes_points_missing_latlon", "communes_points_missing_latlon.csv", "lat, lon"
    ),
    "unknown_group_code": geo_case(
        "communes_unknown_group", "communes_unknown_group.geojson", "row 7", "'999'"
    ),
    "venue_in_unknown_commune": geo_case(
        "post_offices_unknown_commune", "post_offices_unknown_commune.csv", "row 2", "'99999'"
    ),
    "unknown_venue_kind": geo_case(
        "post_offices_bad_kind", "post_offices_bad_kind.csv", "row 1", "'kind'", "'office'"
    ),
    # -- boat crossings
    "boat_to_a_road_commune": run_case(
        BAD / "boat_road_commune.toml", "boat.crossings[0].communes[0]", "reached by road"
    ),
    "boat_to_an_unknown_commune": run_case(
        BAD / "boat_unknown_commune.toml", "boat.crossings[0].communes[0]", "'99999'"
    ),
    "boat_pier_in_another_province": run_case(
        BAD / "boat_pier_other_province.toml", "boat.crossings[0].pier", "its own province"
    ),
    # -- the command line
    "scenario_does_not_exist": Case(
        ("run", BAD / "does_not_exist.toml"), ("does_not_exist.toml", "file not found")
    ),
    "directory_as_scenario": Case(("run", BAD), ("bad_input", "is a directory")),
    "negative_time_limit": Case(("run", BASE, "--time-limit", "-1"), ("--time-limit", "'-1'")),
    "seed_not_a_number": Case(("run", BASE, "--seed", "abc"), ("--seed", "'abc'")),
    "zero_workers": Case(("run", BASE, "--workers", "0"), ("--workers", "'0'")),
    "provinces_option_outside_scenario": Case(
        ("run", BASE, "--provinces", "01"), ("valid_base.toml", "'provinces'", "--provinces 01")
    ),
    "provinces_option_unknown_code": Case(
        ("run", BASE, "--provinces", "99"), ("valid_base.toml", "'provinces'", "--provinces 99")
    ),
    "data_dir_empty": Case(
        ("run", BASE, "--data-dir", EMPTY_DATA_DIR), ("vn2020.gpkg", "file not found")
    ),
    "data_dir_not_a_geopackage": Case(
        ("run", BASE, "--data-dir", BAD / "data_dir_not_a_geopackage"),
        ("data_dir_not_a_geopackage/vn2020.gpkg", "not a readable GeoPackage"),
    ),
    "validate_unknown_district_in_timeline": Case(
        ("validate", BAD / "unknown_district_in_timeline.toml"),
        ("unknown_district_in_timeline.toml", "'covid.timeline[0].codes[1]'"),
    ),
}

SUBPROCESS_CASES = ("malformed_toml", "seed_not_a_number", "latin1_csv")


def argv_of(case: Case, tmp_path: Path) -> tuple[list[str], Path]:
    """The command line as text, with `--out tmp/never` for a run; and that folder."""
    never = tmp_path / "tmp" / "never"
    argv = [str(tmp_path / "empty") if a == EMPTY_DATA_DIR else str(a) for a in case.argv]
    if EMPTY_DATA_DIR in case.argv:
        (tmp_path / "empty").mkdir()
    if argv[0] == "run":
        argv += ["--out", str(never)]
    return argv, never


def neutral(case: Case) -> tuple[str, ...]:
    """The words of a case that no translation changes: the file, quoted names, options,
    dotted fields and paths."""
    kept = [
        w
        for w in case.words[1:]
        if w.startswith(("'", "--")) or re.fullmatch(r"[\w/.\[\]-]*[./\[][\w/.\[\]-]*", w)
    ]
    return (case.words[0], *kept)


def assert_one_clear_line(
    case: Case, code: int, out: str, err: str, never: Path, *, lang: str = "en"
) -> None:
    assert code == 2, err
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    frame = "planner: error: " if lang == "en" else "planner: lỗi: "
    assert lines[0].startswith(frame), lines[0]
    for word in case.words if lang == "en" else neutral(case):
        assert word in lines[0], lines[0]
    assert not never.exists()
    if never.parent.exists():
        assert not [p.name for p in never.parent.iterdir() if p.name.startswith(".never.")]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_one_clear_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_LANG", "en")
    case = CASES[name]
    argv, never = argv_of(case, tmp_path)

    code = main(argv)

    captured = capsys.readouterr()
    assert_one_clear_line(case, code, captured.out, captured.err, never)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_one_clear_line_in_vietnamese(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANNER_LANG", raising=False)
    case = CASES[name]
    argv, never = argv_of(case, tmp_path)

    code = main(argv)

    captured = capsys.readouterr()
    assert_one_clear_line(case, code, captured.out, captured.err, never, lang="vi")


# the translated problem of some cases, in Vietnamese
VIETNAMESE: dict[str, str] = {
    "malformed_toml": "lỗi cú pháp TOML ở dòng 11, cột 9",
    "not_utf8": "không phải văn bản UTF-8",
    "unknown_field": "không có trường này; có phải ý bạn là 'start'?",
    "wrong_type_crew": "phải là số nguyên",
    "wrong_type_bool": "phải là true hoặc false",
    "quoted_date": "phải là một ngày dạng 2020-05-23",
    "empty_campaign_dates": "bắt buộc nhưng chưa có",
    "empty_team_days": "không được để trống",
    "reversed_dates": "phải bằng hoặc sau campaign.start",
    "huge_crew": "không được quá 50",
    "zero_teams_per_group": "phải từ 1 trở lên, nhận được 0",
    "no_teams": "không có đội nào",
    "scenario_does_not_exist": "không tìm thấy tệp",
    "seed_not_a_number": "tham số --seed: cần một số nguyên, nhận được 'abc'",
    "negative_time_limit": "tham số --time-limit: cần một số giây lớn hơn 0",
}


@pytest.mark.parametrize("name", sorted(VIETNAMESE))
def test_the_common_mistakes_are_said_in_vietnamese(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANNER_LANG", raising=False)
    argv, _ = argv_of(CASES[name], tmp_path)
    assert main(argv) == 2
    line = capsys.readouterr().err.strip()
    assert VIETNAMESE[name] in line, line
    assert ", field '" not in line  # the frame is Vietnamese too: ", trường '"


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_no_traceback_reaches_a_real_stderr(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    argv, never = argv_of(case, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_LANG"}

    done = subprocess.run(
        [sys.executable, "-m", "planner.cli", *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )

    assert_one_clear_line(case, done.returncode, done.stdout, done.stderr, never, lang="vi")


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


# --- valid, but nothing (or not everything) can be done: the plan explains itself ---------


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def plan_quietly(scenario: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", str(scenario), "--time-limit", "1", "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == "" and "Traceback" not in captured.out


def test_all_communes_isolated_gives_an_empty_plan_that_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "isolated"
    plan_quietly(BAD / "all_communes_isolated.toml", out, capsys)

    assert read_rows(out / "schedule.csv") == []
    unserved = read_rows(out / "unserved.csv")
    communes = [r for r in unserved if r["kind"] == "commune"]
    assert len(communes) == 121  # every commune of Bắc Ninh
    assert {r["reason"] for r in communes} == {"isolated"}
    minimums = [r for r in unserved if r["kind"] == "group_minimum"]
    assert len(minimums) == 8 and {r["reason"] for r in minimums} == {"isolated"}

    assert main(["check", str(out)]) == 0
    assert main(["explain", str(out), "264", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Minimum of 1 propaganda pass per district: not met (0 planned); why: isolated." in text


def test_island_district_minimum_is_reported_unmet_boat_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "island"
    plan_quietly(BAD / "island_district_minimum.toml", out, capsys)

    unserved = read_rows(out / "unserved.csv")
    island = [r for r in unserved if r["code"] == "318"]  # Huyện Bạch Long Vĩ
    assert {(r["kind"], r["reason"]) for r in island} == {
        ("group", "boat_only"),
        ("group_minimum", "boat_only"),
    }
    assert main(["explain", str(out), "318", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "island district with no communes in the data, reachable only by boat" in text
    assert "not met (0 planned); why: reachable by boat only." in text


def test_names_with_html_and_quotes_pass_through_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "names"
    plan_quietly(BAD / "html_names.toml", out, capsys)

    given = {
        r["commune_code"]: r["commune_name"] for r in read_rows(BAD / "communes_html_names.csv")
    }
    written = {r["commune_code"]: r["commune_name"] for r in read_rows(out / "schedule.csv")}
    assert written, "the plan visits the communes of the file"
    assert written == {code: given[code] for code in written}
    assert "<script>alert('Vũ Ninh')</script>" in given.values()
    assert main(["check", str(out)]) == 0
