"""Bad scenario input gets one clear line before any solving (issue 13).

Through `load_scenario` (a `ScenarioError` naming the file and the field) and through the
command line (`planner validate`: exit code 2, one line "planner: error: ...", no
traceback). The files are in tests/data/scenarios (named after their fault) or written
here; none is solved.

1. `[uncertainty]` ranges are TOML arrays; a rate set without its range takes a range
   around it; a range and a rate both set must agree.
2. Dates far outside the campaign (a typo in the year) are refused.
3. Deep `extends` chains, deep nesting, bad routing-server URLs and huge numbers.
4. Odd values in every field of the shipped scenarios: never anything but a ScenarioError.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main
from planner.errors import ScenarioError
from planner.scenario import load_scenario, resolve_scenario_table
from planner.scenario.load import MAX_EXTENDS_DEPTH, MAX_NESTING
from planner.scenario.schema import range_around, server_url_problem

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "scenarios"
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))

MINIMAL = """\
name = "odd"
structure = "2020"
provinces = ["27"]

[campaign]
start = 2020-05-23
end = 2020-05-29

[teams.rule]
vehicle = "motorbike"
crew = 3
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def scenario_error(path: Path, overrides: dict[str, Any] | None = None) -> ScenarioError:
    """The ScenarioError loading `path` gives; its message must be one line."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(str(caught.value.path))
    return caught.value


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These cases compare the English messages word for word (the Vietnamese frame and
    wording are tested in tests/test_bad_input_cli.py and tests/test_messages.py)."""
    monkeypatch.setenv("PLANNER_LANG", "en")


def validate_line(argv_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`planner validate FILE`: exit code 2 and its one error line, no traceback."""
    code = main(["validate", str(argv_path)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "Traceback" not in captured.out + captured.err
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("planner: error: "), lines[0]
    return lines[0]


# --- the command line: each fault file gives one line naming the file and the field -------

CLI_CASES: dict[str, tuple[str, ...]] = {
    "range_excludes_rate": (
        "'uncertainty.pass_reach_share'",
        "propaganda.reach_share = 0.1",
        "[0.03, 0.07]",
    ),
    "range_reversed": ("'uncertainty.conference_show_up'", "low <= high", "[0.9, 0.5]"),
    "range_three_numbers": ("'uncertainty.pass_conversion'", "[low, high]", "3 items"),
    "range_above_one": ("'uncertainty.conference_conversion[1]'", "at most 1, got 1.5"),
    "timeline_outside_campaign": (
        "'covid.timeline[1].start'",
        "2002-05-25 to 2002-05-27",
        "2020-05-23 to 2020-05-29",
    ),
    "absence_outside_campaign": ("'teams.absences[0].start'", "2020-05-23 to 2020-05-29"),
    "campaign_year_typo": ("'campaign.start'", "0202-05-23", "2000 to 2099"),
    "travel_url_malformed": ("'travel.url'", "http://", "'http//localhost:5000'"),
    "huge_seed": ("'solver.seed'", "at most 2147483647"),
    "number_too_long": ("'objective.reach_weight'", "line 15", "more than 4300 digits"),
    "nested_too_deep": ("'propaganda.dwell_minutes'", "line 15", f"more than {MAX_NESTING}"),
    "dotted_too_deep": ("'objective.a.a.a.a.a...'", f"more than {MAX_NESTING} deep"),
    "data_path_control": ("'data.communes'", "control characters"),
    "extends_nul": ("'extends'", "control characters"),
    "huge_number": ("'solver.time_limit_seconds'", "at most 86400"),
    "nan_value": ("'travel.detour_factor'", "finite number"),
}


@pytest.mark.parametrize("stem", sorted(CLI_CASES))
def test_cli_gives_one_line_naming_file_and_field(
    stem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = validate_line(BAD / f"{stem}.toml", capsys)
    assert f"{stem}.toml" in line
    for words in CLI_CASES[stem]:
        assert words in line, line


# --- 1. uncertainty ranges ---------------------------------------------------------------


def test_ranges_are_written_as_toml_arrays(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ranges.toml",
        MINIMAL + "\n[uncertainty]\npass_reach_share = [0.03, 0.07]\n"
        "conference_show_up = [0.5, 1]\npass_conversion = [0, 0.015]\n",
    )
    ranges = load_scenario(path).uncertainty
    assert ranges.pass_reach_share == (0.03, 0.07)
    assert ranges.conference_show_up == (0.5, 1.0)
    assert ranges.pass_conversion == (0.0, 0.015)


def test_a_rate_without_its_range_takes_a_range_around_it(tmp_path: Path) -> None:
    path = write(
        tmp_path / "rates.toml",
        MINIMAL + "\n[propaganda]\nreach_share = 0.1\nconversion = 0.02\n"
        "[conferences]\nshow_up = 0.95\nconversion = 0\n",
    )
    scenario = load_scenario(path)
    ranges = scenario.uncertainty
    assert ranges.pass_reach_share == (0.06, 0.14)  # 0.05 +- 40 %, moved to 0.1
    assert ranges.pass_conversion == (0.01, 0.03)  # 0.01 +- 50 %, moved to 0.02
    low, high = ranges.conference_show_up  # 0.7 +- 28.6 %, cut at 1
    assert math.isclose(low, 0.95 * 5 / 7) and high == 1.0
    assert ranges.conference_conversion == (0.0, 0.0)


def test_the_default_rate_written_out_keeps_the_default_range(tmp_path: Path) -> None:
    path = write(tmp_path / "same.toml", MINIMAL + "\n[propaganda]\nreach_share = 0.05\n")
    assert load_scenario(path).uncertainty.pass_reach_share == (0.03, 0.07)


@pytest.mark.parametrize(
    ("rate", "default_rate", "default_range"),
    [
        (0.1, 0.05, (0.03, 0.07)),
        (1.0, 0.05, (0.03, 0.07)),
        (1e-9, 0.01, (0.005, 0.015)),
        (0.0, 0.7, (0.5, 0.9)),
        (0.3333333333333333, 0.15, (0.08, 0.22)),
        (0.999, 0.7, (0.5, 0.9)),
    ],
)
def test_range_around_contains_the_rate_and_stays_in_0_1(
    rate: float, default_rate: float, default_range: tuple[float, float]
) -> None:
    low, high = range_around(rate, default_rate, default_range)
    assert 0 <= low <= rate <= high <= 1


def test_a_sweep_of_a_rate_outside_the_default_range_loads() -> None:
    # planner sweep --vary propaganda.reach_share=0.02,0.1 goes through load_scenario(path, overrides)
    for value in (0.02, 0.1):
        scenario = load_scenario(
            ROOT / "scenarios" / "demo.toml", {"propaganda.reach_share": value}
        )
        low, high = scenario.uncertainty.pass_reach_share
        assert math.isclose(low, value * 0.6) and math.isclose(high, value * 1.4)


def test_a_range_varied_as_a_toml_array_loads() -> None:
    scenario = load_scenario(
        ROOT / "scenarios" / "demo.toml", {"uncertainty.pass_reach_share": [0.02, 0.08]}
    )
    assert scenario.uncertainty.pass_reach_share == (0.02, 0.08)


def test_a_range_and_a_rate_that_disagree_name_both_fields(tmp_path: Path) -> None:
    error = scenario_error(BAD / "range_excludes_rate.toml")
    assert error.field == "uncertainty.pass_reach_share"
    assert "propaganda.reach_share = 0.1" in error.problem


def test_a_range_inherited_through_extends_must_contain_the_child_rate(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", MINIMAL + "\n[uncertainty]\npass_conversion = [0.005, 0.015]\n")
    child = write(
        tmp_path / "child.toml",
        'extends = "base.toml"\nname = "child"\n[propaganda]\nconversion = 0.05\n',
    )
    error = scenario_error(child)
    assert Path(error.path).name == "base.toml"  # the range is written there
    assert error.field == "uncertainty.pass_conversion"
    assert "propaganda.conversion = 0.05" in error.problem and "child.toml" in error.problem


def test_a_varied_rate_outside_a_written_range_says_which_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path / "written.toml", MINIMAL + "\n[uncertainty]\nconference_show_up = [0.5, 0.9]\n"
    )
    error = scenario_error(path, {"conferences.show_up": 0.95})
    assert error.field == "uncertainty.conference_show_up"
    assert "conferences.show_up = 0.95" in error.problem


@pytest.mark.parametrize(
    ("value", "field", "words"),
    [
        ("[0.07, 0.03]", "uncertainty.pass_reach_share", "low <= high, got [0.07, 0.03]"),
        ("[0.03]", "uncertainty.pass_reach_share", "a list of 1 items"),
        ("[]", "uncertainty.pass_reach_share", "an empty list"),
        ("0.05", "uncertainty.pass_reach_share", "[low, high]"),
        ('"0.03-0.07"', "uncertainty.pass_reach_share", "'0.03-0.07'"),
        ("{low = 0.03, high = 0.07}", "uncertainty.pass_reach_share", "a table"),
        ("[-0.01, 0.07]", "uncertainty.pass_reach_share[0]", "at least 0"),
        ("[0.03, nan]", "uncertainty.pass_reach_share[1]", "finite number"),
        ("[0.03, inf]", "uncertainty.pass_reach_share[1]", "finite number"),
        ('["a", 0.07]', "uncertainty.pass_reach_share[0]", "must be a number"),
        ("[true, 0.07]", "uncertainty.pass_reach_share[0]", "must be a number"),
    ],
)
def test_a_bad_range_gives_one_line(tmp_path: Path, value: str, field: str, words: str) -> None:
    path = write(
        tmp_path / "range.toml", MINIMAL + f"\n[uncertainty]\npass_reach_share = {value}\n"
    )
    error = scenario_error(path)
    assert error.field == field
    assert words in error.problem


# --- 2. dates outside the campaign -------------------------------------------------------


TIMELINE = """
[covid.levels.open]
[covid.levels.closed]
isolated = true

[[covid.timeline]]
level = "closed"
start = {start}
end = {end}
scope = "commune"
codes = ["09349"]
"""


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2002-05-25", "2002-05-27"),  # the year mistyped
        ("2021-05-25", "2021-05-26"),
        ("2019-05-25", "2019-05-26"),
    ],
)
def test_a_timeline_entry_far_outside_the_campaign_is_refused(
    tmp_path: Path, start: str, end: str
) -> None:
    path = write(tmp_path / "timeline.toml", MINIMAL + TIMELINE.format(start=start, end=end))
    error = scenario_error(path)
    assert error.field == "covid.timeline[0].start"
    assert f"{start} to {end}" in error.problem
    assert "2020-05-23 to 2020-05-29" in error.problem


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2020-05-01", "2020-05-23"),  # in force before, runs into the first day
        ("2020-05-29", "2020-06-30"),  # starts on the last day
        ("2019-01-01", "2021-12-31"),  # covers the campaign
        ("2020-05-25", "2020-05-26"),
        # Near the campaign but outside it: a rule of those weeks that a shortened variant or
        # a sweep over the end date inherits; it does not apply and must not stop the load.
        ("2020-05-01", "2020-05-22"),
        ("2020-05-30", "2020-06-05"),
    ],
)
def test_a_timeline_entry_overlapping_or_near_the_campaign_is_fine(
    tmp_path: Path, start: str, end: str
) -> None:
    path = write(tmp_path / "timeline.toml", MINIMAL + TIMELINE.format(start=start, end=end))
    assert len(load_scenario(path).covid.timeline) == 1


def test_an_absence_wholly_outside_the_campaign_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "absent.toml",
        MINIMAL + '\n[[teams.absences]]\nteam = "27-256-1"\nstart = 2002-05-25\nend = 2002-05-27\n',
    )
    error = scenario_error(path)
    assert error.field == "teams.absences[0].start"
    assert "2020-05-23 to 2020-05-29" in error.problem


@pytest.mark.parametrize(("key", "day"), [("start", "1020-05-23"), ("end", "2200-05-29")])
def test_a_campaign_date_with_a_mistyped_year_is_refused(
    tmp_path: Path, key: str, day: str
) -> None:
    text = MINIMAL.replace(f"{key} = 2020-05-{'23' if key == 'start' else '29'}", f"{key} = {day}")
    error = scenario_error(write(tmp_path / "year.toml", text))
    assert error.field == f"campaign.{key}"
    assert day in error.problem


# --- 3. extends chains, nesting, URLs, huge numbers -----------------------------------------


def test_a_chain_of_2000_extends_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "s0.toml", MINIMAL)
    for index in range(1, 2000):
        write(tmp_path / f"s{index}.toml", f'extends = "s{index - 1}.toml"\nname = "s{index}"\n')
    top = tmp_path / "s1999.toml"
    error = scenario_error(top)
    assert error.field == "extends"
    assert f"more than {MAX_EXTENDS_DEPTH} scenario files extend each other" in error.problem
    assert "s1999.toml" in error.problem
    line = validate_line(top, capsys)
    assert "field 'extends'" in line


def test_a_chain_of_32_extends_still_loads(tmp_path: Path) -> None:
    write(tmp_path / "s0.toml", MINIMAL)
    for index in range(1, MAX_EXTENDS_DEPTH):
        write(tmp_path / f"s{index}.toml", f'extends = "s{index - 1}.toml"\nname = "s{index}"\n')
    assert load_scenario(tmp_path / f"s{MAX_EXTENDS_DEPTH - 1}.toml").name == "s31"


def test_a_long_extends_cycle_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for index in range(5):
        write(
            tmp_path / f"c{index}.toml", f'extends = "c{(index + 1) % 5}.toml"\nname = "c{index}"\n'
        )
    error = scenario_error(tmp_path / "c0.toml")
    assert error.field == "extends" and "extends cycle" in error.problem
    assert "field 'extends'" in validate_line(tmp_path / "c0.toml", capsys)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_extends_through_a_symlink_loop_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "loop.toml").symlink_to(tmp_path / "loop.toml")
    path = write(tmp_path / "child.toml", 'extends = "loop.toml"\nname = "child"\n')
    error = scenario_error(path)
    assert error.field == "extends"


def test_extends_with_too_long_a_file_name_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path / "long.toml", f'extends = "{"a" * 5000}.toml"\nname = "long"\n')
    error = scenario_error(path)
    assert error.field == "extends"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("x = " + "[" * 5000 + "]" * 5000, "x"),
        ("x = " + "{a = " * 3000 + "1" + "}" * 3000, "x"),
        ("[teams.rule]\ncrew = " + "[" * 2000 + "]" * 2000, "teams.rule.crew"),
    ],
)
def test_nesting_that_exhausts_tomllib_is_one_line(tmp_path: Path, text: str, field: str) -> None:
    path = write(tmp_path / "deep.toml", text + "\n")
    error = scenario_error(path)
    assert error.field == field
    assert f"nested more than {MAX_NESTING} deep" in error.problem
    assert "at line" in error.problem


@pytest.mark.parametrize(
    "text",
    [
        MINIMAL + "[objective]\nx = " + "[" * 100 + "]" * 100,
        MINIMAL + "[objective]\n" + ".".join(["a"] * 3000) + " = 1",
        MINIMAL + "[" + ".".join(["t"] * 500) + "]",
        MINIMAL + "[[" + ".".join(["t"] * 500) + "]]",
    ],
)
def test_nesting_deeper_than_a_scenario_needs_names_the_field(tmp_path: Path, text: str) -> None:
    error = scenario_error(write(tmp_path / "deep.toml", text + "\n"))
    assert error.field is not None and error.field.endswith("...")
    assert f"nested more than {MAX_NESTING} deep" in error.problem


def test_a_deep_value_from_the_command_line_is_one_line() -> None:
    deep: Any = 1
    for _ in range(3000):
        deep = [deep]
    error = scenario_error(ROOT / "scenarios" / "demo.toml", {"propaganda.max_passes": deep})
    assert error.field is not None and error.field.startswith("propaganda.max_passes[0]")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http//x", "must start with http:// or https://"),
        ("ftp://x", "must start with http:// or https://"),
        ("localhost:5000", "must start with http:// or https://"),
        ("http:x", "must start with http:// or https://"),
        ("http://[::1", "not a valid URL"),
        ("http://", "names no host"),
        ("https://:5000", "names no host"),
        ("http://a b", "spaces or control characters"),
        (" http://x", "spaces or control characters"),
        ("http://x\u0000", "spaces or control characters"),
        ("http://x:99999", "not a valid URL"),
        ("http://x:port", "not a valid URL"),
        ("http://x?profile=car", "without a ?query or #fragment"),
        ("http://x#top", "without a ?query or #fragment"),
        ("http://a..b", "invalid host name"),
        ("http://" + "a" * 64 + ".com", "invalid host name"),
        ("http://[::zz]", "not a valid URL"),
    ],
)
def test_a_malformed_routing_server_url_is_refused_at_load(
    tmp_path: Path, url: str, words: str
) -> None:
    escaped = url.replace("\u0000", "\\u0000")
    path = write(
        tmp_path / "url.toml", MINIMAL + f'\n[travel]\nsource = "osrm"\nurl = "{escaped}"\n'
    )
    error = scenario_error(path)
    assert error.field == "travel.url"
    assert words in error.problem


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:5000",
        "https://routing.example.org/osrm/",
        "http://127.0.0.1:8002",
        "http://[::1]:5000",
        "http://bản-đồ.vn",
        "http://user@host.example:80/base",
    ],
)
def test_a_good_routing_server_url_loads(url: str) -> None:
    assert server_url_problem(url) is None


@pytest.mark.parametrize(
    ("table", "key", "value", "words"),
    [
        ("solver", "seed", "2147483648", "at most 2147483647"),
        ("solver", "seed", "-1", "at least 0"),
        ("solver", "seed", "9" * 400, "about 400 digits"),
        ("solver", "seed", "1.5", "whole number"),
        ("solver", "time_limit_seconds", "inf", "finite number"),
        ("solver", "time_limit_seconds", "1e300", "at most 86400"),
        ("solver", "time_limit_seconds", "0", "greater than 0"),
        ("solver", "workers", "100000", "at most 256"),
        ("uncertainty", "seed", "-9223372036854775808", "at least 0"),
        ("uncertainty", "draws", "nan", "whole number"),
        ("uncertainty", "draws", "10000000", "at most 1000000"),
        ("objective", "reach_weight", "-inf", "finite number"),
        ("objective", "reach_weight", "1" * 400, "must be a number"),
        ("travel", "detour_factor", "nan", "finite number"),
        ("travel", "timeout_seconds", "1e308", "at most 3600"),
        ("conferences", "max_per_venue", "2147483648", "at most 1000"),
        ("propaganda", "max_passes", "-1", "at least 1"),
        ("fairness", "min_passes_per_group", "9223372036854775807", "at most 10000"),
        ("teams.rule", "teams_per_group", "1e3", "whole number"),
    ],
)
def test_a_huge_or_odd_number_gives_one_line(
    tmp_path: Path, table: str, key: str, value: str, words: str
) -> None:
    text = MINIMAL if table == "teams.rule" else MINIMAL + f"\n[{table}]\n"
    text += f"{key} = {value}\n"
    error = scenario_error(write(tmp_path / "number.toml", text))
    assert error.field == f"{table}.{key}"
    assert words in error.problem


def test_too_many_draws_for_a_national_plan_are_refused_before_solving() -> None:
    error = scenario_error(
        ROOT / "scenarios" / "vietnam-2020-may.toml", {"uncertainty.draws": 1_000_000}
    )
    assert error.field == "uncertainty.draws"
    assert "63 provinces" in error.problem
    one_province = load_scenario(ROOT / "scenarios" / "demo.toml", {"uncertainty.draws": 1_000_000})
    assert one_province.uncertainty.draws == 1_000_000


def test_a_gathering_cap_of_ten_billion_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "cap.toml", MINIMAL + "\n[covid.levels.open]\nmax_gathering = 10000000000\n"
    )
    error = scenario_error(path)
    assert error.field == "covid.levels.open.max_gathering"


# --- 4. odd files and odd values -----------------------------------------------------------


def test_a_directory_a_device_and_a_huge_file_are_one_line(tmp_path: Path) -> None:
    assert "is a directory" in scenario_error(tmp_path).problem
    if Path("/dev/zero").exists():
        assert "larger than a scenario file" in scenario_error(Path("/dev/zero")).problem
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as file:
        file.truncate(20_000_000)  # sparse: nothing is written
    assert "larger than a scenario file" in scenario_error(huge).problem


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_scenario_that_is_a_symlink_loop_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    assert "cannot be read" in scenario_error(loop).problem


@pytest.mark.parametrize(
    ("dotted", "words"),
    [
        ("teams.list.².crew", "teams.list"),
        ("teams.list." + "9" * 5000, "teams.list"),
        ("a." * 3000 + "a", "nested more than"),
        ("", "dotted field path"),
        ("solver..seed", "dotted field path"),
        ("name.x", "not a table"),
    ],
)
def test_an_odd_override_path_is_one_line(dotted: str, words: str) -> None:
    error = scenario_error(ROOT / "scenarios" / "demo.toml", {dotted: 1})
    assert words in str(error)


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("data", "communes", '"a\\u0000b.csv"'),
        ("data", "post_offices", '"post\\noffices.csv"'),
        ("travel", "cache_dir", '"cache\\u007f"'),
    ],
)
def test_a_path_with_a_control_character_is_refused(
    tmp_path: Path, table: str, key: str, value: str
) -> None:
    path = write(tmp_path / "path.toml", MINIMAL + f"\n[{table}]\n{key} = {value}\n")
    error = scenario_error(path)
    assert error.field == f"{table}.{key}"
    assert "control characters" in error.problem


# A seeded sample of (field, odd value) over every field of every shipped scenario, set as
# `planner sweep --vary` does. Each must load, or fail with one ScenarioError line naming the
# file: never another exception. (The whole product, 28,000 cases with every field also
# deleted, was run once by hand: no other exception.)
ODD_VALUES: tuple[Any, ...] = (
    "",
    " ",
    "\x00",
    "\x1b[31m",
    "a\nb",
    "Ωé😀",
    "9" * 80,
    0,
    -1,
    2**31,
    2**63 - 1,
    -(2**63),
    10**400,
    0.0,
    -0.5,
    1e308,
    1e-320,
    math.inf,
    -math.inf,
    math.nan,
    True,
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.datetime(2020, 5, 23, 10, 0),
    dt.time(7, 30),
    [],
    [1],
    ["a", "a"],
    [[]],
    {},
    {"x": 1},
    [{}],
)


def _fields(node: Any, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    """Dotted paths of every table, list and value in `node` (list items by index)."""
    if prefix:
        yield ".".join(prefix)
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _fields(value, (*prefix, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _fields(value, (*prefix, str(index)))


def _fuzz_cases() -> list[tuple[Path, str, Any]]:
    cases = [
        (path, field, value)
        for path in SHIPPED
        for field in _fields(resolve_scenario_table(path))
        if field != "extends"
        for value in ODD_VALUES
    ]
    return random.Random(13).sample(cases, min(len(cases), 600))


def test_odd_values_in_every_field_give_a_scenario_error_or_load() -> None:
    failures = []
    for path, field, value in _fuzz_cases():
        try:
            load_scenario(path, {field: value})
        except ScenarioError as error:
            message = str(error)  # may name a parent file, when the fault is in it
            if "\n" in message or not error.path.startswith(str(path.parent)):
                failures.append((path.name, field, value, message[:200]))
        except Exception as error:  # what this test is for
            failures.append((path.name, field, value, f"{type(error).__name__}: {error}"[:200]))
    assert not failures, failures[:5]
