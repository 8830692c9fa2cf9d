"""Every bad scenario file in tests/data/scenarios fails with one clear line.

Each file is named after its fault; the message must name the file, the field (where there
is one) and say what was expected.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import ScenarioError
from planner.scenario import load_scenario

BAD = Path(__file__).parents[1] / "data" / "scenarios"

# file stem -> (file named in the message, field named, words the problem must contain)
CASES: dict[str, tuple[str, str | None, str]] = {
    "malformed_toml": ("malformed_toml", None, "line 11, column 9"),
    "not_utf8": ("not_utf8", None, "not UTF-8"),
    "unknown_field": ("unknown_field", "teams.working_hours.strat", "did you mean 'start'"),
    "unknown_table": ("unknown_table", "conference", "did you mean 'conferences'"),
    "wrong_type_crew": ("wrong_type_crew", "teams.rule.crew", "must be a whole number"),
    "wrong_type_bool": ("wrong_type_bool", "propaganda.allowed", "must be true or false"),
    "reversed_dates": (
        "reversed_dates",
        "campaign.end",
        "must be on or after campaign.start (2020-05-23), got 2020-05-20",
    ),
    "campaign_too_long": ("campaign_too_long", "campaign.end", "at most 366 days"),
    "quoted_date": ("quoted_date", "campaign.start", "must be a date"),
    "empty_provinces": ("empty_provinces", "provinces", "must not be empty"),
    "bad_province_code": ("bad_province_code", "provinces[1]", "2-digit province code"),
    "duplicate_province": ("duplicate_province", "provinces[2]", "listed twice"),
    "provinces_not_all": ("provinces_not_all", "provinces", 'must be "all" or a list'),
    "zero_crew": ("zero_crew", "teams.rule.crew", "must be at least 1, got 0"),
    "unknown_vehicle": ("unknown_vehicle", "teams.rule.vehicle", "'car' or 'motorbike'"),
    "no_teams": ("no_teams", "teams", "no teams"),
    "duplicate_team_id": ("duplicate_team_id", "teams.list[1].id", "duplicate team id 'BN-1'"),
    "team_province_not_planned": (
        "team_province_not_planned",
        "teams.list[0].province",
        "must be one of the scenario's provinces",
    ),
    "team_day_outside_campaign": (
        "team_day_outside_campaign",
        "teams.list[0].days[1]",
        "must be inside the campaign",
    ),
    "negative_minutes": (
        "negative_minutes",
        "propaganda.dwell_minutes.Xã",
        "must be greater than 0, got -45",
    ),
    "unknown_commune_type": (
        "unknown_commune_type",
        "propaganda.dwell_minutes.Xa",
        "'Phường', 'Thị trấn', 'Xã' or 'Đặc khu'",
    ),
    "bad_time_format": ("bad_time_format", "teams.working_hours.start", "'HH:MM'"),
    "reversed_working_hours": (
        "reversed_working_hours",
        "teams.working_hours.end",
        "must be later than",
    ),
    "lunch_outside_hours": ("lunch_outside_hours", "teams.lunch_break", "ends after"),
    "conference_after_hours": (
        "conference_after_hours",
        "conferences.slots[1].latest",
        "ends after teams.working_hours.end",
    ),
    "staff_exceeds_crew": ("staff_exceeds_crew", "conferences.staff_needed", "largest crew"),
    "fairness_without_conferences": (
        "fairness_without_conferences",
        "fairness.min_conferences_per_group",
        "must be 0",
    ),
    "nan_value": ("nan_value", "travel.detour_factor", "finite number"),
    "huge_number": ("huge_number", "solver.time_limit_seconds", "must be at most 86400"),
    "undefined_level": ("undefined_level", "covid.timeline[0].level", "got 'lockdown'"),
    "missing_default_level": ("missing_default_level", "covid.default_level", "got 'normal'"),
    "bad_level_name": ("bad_level_name", 'covid.levels["Lock Down"]', "lowercase name"),
    "isolated_level_allows_passes": (
        "isolated_level_allows_passes",
        "covid.levels.lock.passes_allowed",
        "must be false",
    ),
    "overlapping_levels": (
        "overlapping_levels",
        "covid.timeline[1]",
        "inconsistent overlap with covid.timeline[0]: commune '09349'",
    ),
    "reversed_timeline_dates": (
        "reversed_timeline_dates",
        "covid.timeline[0].end",
        "on or after covid.timeline[0].start",
    ),
    "bad_commune_code": ("bad_commune_code", "covid.timeline[0].codes[0]", "5-digit commune"),
    "bad_district_code": ("bad_district_code", "covid.timeline[0].codes[0]", "3-digit district"),
    "missing_campaign": ("missing_campaign", "campaign", "[campaign] is required"),
    "missing_structure": ("missing_structure", "structure", "is required"),
    "bad_name": ("bad_name", "name", "lowercase name"),
    "extends_cycle_a": ("extends_cycle_b", "extends", "extends cycle"),
    "extends_cycle_b": ("extends_cycle_a", "extends", "extends cycle"),
    "extends_missing_file": ("extends_missing_file", "extends", "does not exist"),
    "extends_not_text": ("extends_not_text", "extends", "in quotes"),
    "extends_without_name": ("extends_without_name", "name", "its own name"),
    # The parent is at fault: the message names it, and the file loaded.
    "extends_bad_parent": ("zero_crew", "teams.rule.crew", "extends_bad_parent.toml"),
    "extends_nul": ("extends_nul", "extends", "without control characters"),
    # issue 13: ranges as TOML arrays, dates outside the campaign, what used to be a traceback
    "range_excludes_rate": (
        "range_excludes_rate",
        "uncertainty.pass_reach_share",
        "[0.03, 0.07] must contain propaganda.reach_share = 0.1",
    ),
    "range_reversed": ("range_reversed", "uncertainty.conference_show_up", "low <= high"),
    "range_three_numbers": ("range_three_numbers", "uncertainty.pass_conversion", "3 items"),
    "range_above_one": (
        "range_above_one",
        "uncertainty.conference_conversion[1]",
        "must be at most 1, got 1.5",
    ),
    "timeline_outside_campaign": (
        "timeline_outside_campaign",
        "covid.timeline[1].start",
        "2002-05-25 to 2002-05-27 is outside the campaign (2020-05-23 to 2020-05-29)",
    ),
    "absence_outside_campaign": (
        "absence_outside_campaign",
        "teams.absences[0].start",
        "is outside the campaign",
    ),
    "campaign_year_typo": ("campaign_year_typo", "campaign.start", "typo in the year"),
    "travel_url_malformed": ("travel_url_malformed", "travel.url", "http:// or https://"),
    "huge_seed": ("huge_seed", "solver.seed", "must be at most 2147483647"),
    "number_too_long": (
        "number_too_long",
        "objective.reach_weight",
        "line 15, column 16: a number of more than 4300 digits",
    ),
    "nested_too_deep": ("nested_too_deep", "propaganda.dwell_minutes", "nested more than 32"),
    "dotted_too_deep": ("dotted_too_deep", "objective.a.a.a.a.a...", "nested more than 32"),
    "data_path_control": ("data_path_control", "data.communes", "control characters"),
}


@pytest.mark.parametrize("stem", sorted(CASES))
def test_bad_scenario_gives_one_clear_line(stem: str) -> None:
    named_file, field, words = CASES[stem]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BAD / f"{stem}.toml")
    error = caught.value
    message = str(error)
    assert "\n" not in message
    assert Path(error.path).name == f"{named_file}.toml"
    assert message.startswith(f"{error.path}")
    assert error.field == field
    if field is not None:
        assert f"field '{field}'" in message
    assert words in message


def test_every_bad_file_has_a_case() -> None:
    assert {path.stem for path in BAD.glob("*.toml")} == set(CASES)


def test_missing_file() -> None:
    with pytest.raises(ScenarioError, match=r"no_such\.toml: file not found"):
        load_scenario(BAD / "no_such.toml")


def test_several_problems_are_counted_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "two.toml"
    path.write_text(
        'name = "two"\nstructure = "2020"\nprovinces = ["27"]\n'
        "[campaign]\nstart = 2020-05-23\nend = 2020-05-29\n"
        '[teams.rule]\nvehicle = "bus"\ncrew = 0\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"\(and 1 more problem\)$"):
        load_scenario(path)
