"""Plausible mistakes that used to give silently wrong plans (issue 13), through the command line.

Each bad input is a tiny file of tests/data/bad_input named after its fault. A fault in the
data is caught when the scenario is loaded: `planner validate` and `planner run` both end with
exit code 2 and one line "planner: error: <file>, row N, field 'f': ...", before any solve,
with no traceback and no output folder. Odd but possible input (a commune far from its
district) is planned with one warning line. Valid input that leaves a province without a
working team, or a team at an isolated base, gives a plan that says so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from planner.cli import main
from planner.export.maps import province_file, team_files
from tests.test_bad_input_cli import plan_quietly, read_rows

REPO = Path(__file__).resolve().parents[1]
BAD = REPO / "tests" / "data" / "bad_input"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These lines are checked word for word in English (PLANNER_LANG=en); the Vietnamese
    frame, "planner: lỗi: ...", is checked in tests/test_bad_input_cli.py."""
    monkeypatch.setenv("PLANNER_LANG", "en")


# scenario file -> the words its one error line must hold after "planner: error: "
ERRORS: dict[str, tuple[str, ...]] = {
    "communes_ten_billion_people": (
        "communes_ten_billion_people.csv, row 2, field 'population': 10,000,000,000 is more "
        "people than is plausible for one commune; expected at most 2,000,000",
    ),
    "communes_population_overflows_int64": (
        "communes_population_overflows_int64.csv, row 1, field 'population': 1e+23 is more "
        "people than is plausible for one commune",
    ),
    "communes_population_infinite": (
        "communes_population_infinite.csv, row 2, field 'population': inf is not finite",
    ),
    "communes_outside_vietnam": (
        "communes_outside_vietnam.csv, row 3, field 'lat/lon': position lat 7.2, lon 101.3 is "
        "not in Vietnam",
    ),
    "post_offices_outside_vietnam": (
        "post_offices_outside_vietnam.csv, row 2, field 'lat/lon': position lat 20, lon 112 is "
        "not in Vietnam",
    ),
    "communes_duplicate_column": (
        "communes_duplicate_column.csv, field 'Population': column 'Population' appears twice "
        "in the header line: columns 5 (as 'population') and 8",
    ),
    "communes_control_character": (
        "communes_control_character.csv, row 2, field 'commune_name': control character U+0007 "
        "in 'Phường Kinh\\x07Bắc'",
    ),
    "team_id_of_a_rule_team": (
        "team_id_of_a_rule_team.toml, field 'teams.list[0].id': team id '27-256-1' is the id "
        "the team rule gives team 1 of district 256 in province 27",
    ),
}


def assert_one_error_line(code: int, out: str, err: str, words: tuple[str, ...]) -> None:
    assert code == 2, err
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("planner: error: "), lines[0]
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_input_is_one_clear_line_before_any_solve(
    name: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, str(BAD / f"{name}.toml")]
    never = tmp_path / "never"
    if command == "run":
        argv += ["--time-limit", "1", "--out", str(never), "--quiet"]

    code = main(argv)

    captured = capsys.readouterr()
    assert_one_error_line(code, captured.out, captured.err, ERRORS[name])
    assert not never.exists()
    assert not list(tmp_path.iterdir())  # no temporary folder either


def test_no_traceback_reaches_a_real_stderr() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner.cli",
            "validate",
            str(BAD / "communes_control_character.toml"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_one_error_line(
        done.returncode, done.stdout, done.stderr, ERRORS["communes_control_character"]
    )


def test_a_commune_far_from_its_district_validates_with_one_warning_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["validate", str(BAD / "communes_far_from_district.toml")])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("planner: warning: ")
    assert (
        "communes_far_from_district.csv, row 3, field 'lat/lon': commune 09163 (Phường Vũ "
        "Ninh) lies 62.9 km outside the approximate boundary of its district 256" in lines[0]
    )
    assert "valid" in captured.out


# --- valid, but a province has no working team: the plan says why ---------------------------


def test_a_province_without_a_team_is_unserved_for_no_team_not_too_far(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no-team"
    plan_quietly(BAD / "no_team_in_province.toml", out, capsys)

    unserved = read_rows(out / "unserved.csv")
    communes = [r for r in unserved if r["kind"] == "commune"]
    assert len(communes) == 121  # every commune of Bắc Ninh
    assert {r["reason"] for r in communes} == {"no_team"}
    assert {r["detail"] for r in communes} == {
        "no team works in province 27 (Tỉnh Bắc Ninh): neither the scenario's team rule (a "
        "team at each district's main post office) nor teams.list gives it one"
    }
    minimums = [r for r in unserved if r["kind"] == "group_minimum"]
    assert minimums and {r["reason"] for r in minimums} == {"no_team"}
    assert json.loads((out / "summary.json").read_text())["team_days_available"] == 0


def test_all_teams_away_is_unserved_for_no_team(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "absent"
    plan_quietly(BAD / "all_teams_absent.toml", out, capsys)

    communes = [r for r in read_rows(out / "unserved.csv") if r["kind"] == "commune"]
    assert len(communes) == 121
    assert {(r["reason"], r["detail"]) for r in communes} == {
        (
            "no_team",
            "none of the 8 teams of province 27 (Tỉnh Bắc Ninh) works on any campaign day: "
            "all are away ([[teams.absences]])",
        )
    }


# --- team ids that are page names -------------------------------------------------------------


def test_a_team_called_index_does_not_overwrite_the_index_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "index"
    plan_quietly(BAD / "team_id_index.toml", out, capsys)

    routes = read_rows(out / "routes.csv")
    assert "index" in {r["team_id"] for r in routes}
    sheets = out / "sheets"
    index = (sheets / "index.html").read_text(encoding="utf-8")
    assert 'href="team-index.html"' in index and 'href="27-256-1.html"' in index
    assert "index" in (sheets / "team-index.html").read_text(encoding="utf-8")
    assert (out / "maps" / "teams" / "team-index.html").is_file()
    assert (out / "maps" / "index.html").is_file()
    assert main(["check", str(out)]) == 0


def _plan(*teams: tuple[str, str]) -> Any:
    """A stand-in Plan with one route per (province code, team id): all team_files reads."""
    by_province: dict[str, list[str]] = {}
    for province, team in teams:
        by_province.setdefault(province, []).append(team)
    return SimpleNamespace(
        provinces=[
            SimpleNamespace(
                province_code=code, routes=[SimpleNamespace(team_id=team) for team in ids]
            )
            for code, ids in by_province.items()
        ]
    )


def test_team_file_names_are_safe_and_never_collide() -> None:
    teams = [
        ("27", "27-256-1"),
        ("27", "index"),
        ("27", "INDEX"),
        ("27", "lib"),
        ("27", "team-index"),
        ("27", "a/../../etc"),
        ("27", "a_.._.._etc"),
        ("27", ".."),
        ("27", "CON"),
        ("27", "con.x"),
        ("27", "Đội 1"),
        ("27", "x" * 300),
        ("01", "Team-A"),
        ("27", "team-a"),
    ]
    files = team_files(_plan(*teams))

    names = list(files.values())
    assert len({name.lower() for name in names}) == len(teams)  # unique, ignoring case
    for name in names:
        assert name.endswith(".html") and len(name) <= 110
        stem = name.removesuffix(".html")
        assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in stem), name
        assert not stem.startswith(".") and stem.lower().split(".")[0] not in {
            "index",
            "lib",
            "teams",
            "con",
        }
    # plain ids keep their names; the others get "team-" and their province if taken
    assert files[("27", "27-256-1")] == "27-256-1.html"
    assert files[("27", "team-index")] == "team-index.html"
    assert files[("27", "a_.._.._etc")] == "a_.._.._etc.html"
    assert files[("27", "INDEX")] == "27-team-INDEX.html"
    assert files[("27", "index")] == "27-team-index-2.html"
    assert files[("27", "lib")] == "team-lib.html"
    assert files[("27", "CON")] == "team-CON.html"
    assert files[("27", "con.x")] == "team-con.x.html"
    assert files[("27", "a/../../etc")] == "team-a_.._.._etc.html"
    assert files[("27", "..")] == "team-team.html"
    assert files[("27", "Đội 1")] == "team-i_1.html"
    assert files[("27", "x" * 300)] == "team-" + "x" * 100 + ".html"
    assert files[("01", "Team-A")] == "Team-A.html"
    assert files[("27", "team-a")] == "27-team-a.html"


def test_province_page_names_are_safe() -> None:
    assert province_file("27") == "27.html"
    assert province_file("index") == "province-index.html"
    assert province_file("../x") == "province-x.html"
