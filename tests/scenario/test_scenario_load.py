"""Loading scenario files: the shipped scenarios, defaults, `extends`, hash, JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pydantic
import pytest

from planner.errors import ScenarioError
from planner.scenario import (
    Scenario,
    load_scenario,
    resolve_scenario_table,
    scenario_hash,
    scenario_json_schema,
)
from planner.scenario.__main__ import main, schema_text
from planner.scenario.rules import isolated_days, level_on

ROOT = Path(__file__).parents[2]
SCENARIOS = ROOT / "scenarios"
D = dt.date

MINIMAL = """\
name = "minimal"
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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped scenarios ---------------------------------------------------------------


def test_demo() -> None:
    demo = load_scenario(SCENARIOS / "demo.toml")
    assert demo.name == "demo"
    assert demo.structure == "2020"
    assert demo.provinces == ["27"]
    assert demo.campaign.days[0] == D(2020, 5, 23) and len(demo.campaign.days) == 7
    assert demo.teams.rule is not None
    assert (demo.teams.rule.vehicle, demo.teams.rule.crew) == ("motorbike", 3)
    assert demo.solver.time_limit_seconds == 20 and demo.solver.seed == 1
    assert {"open", "d19_low", "d19_medium", "d16", "isolated"} <= set(demo.covid.levels)
    assert demo.covid.levels["open"].max_gathering is None
    assert isolated_days(demo, "27", "260", "09349") == [
        D(2020, 5, 26),
        D(2020, 5, 27),
        D(2020, 5, 28),
    ]
    assert level_on(demo, D(2020, 5, 27), "27", "260", "09346").name == "open"
    assert demo.rule_team_days() == [D(2020, 5, d) for d in (23, 25, 26, 27, 28, 29)]


def test_national_replay() -> None:
    national = load_scenario(SCENARIOS / "vietnam-2020-may.toml")
    assert national.provinces == "all"
    assert (national.campaign.start, national.campaign.end) == (D(2020, 5, 23), D(2020, 6, 21))
    assert len(national.campaign.days) == 30
    assert national.covid.default_level == "open"
    isolated = national.covid.timeline[0]
    assert isolated.level == "isolated" and len(isolated.codes) >= 3
    assert level_on(national, D(2020, 6, 3), "30", "290", "10549").isolated
    assert not level_on(national, D(2020, 6, 8), "30", "290", "10549").isolated


def test_directive19_variant_extends_the_national_replay() -> None:
    national = load_scenario(SCENARIOS / "vietnam-2020-may.toml")
    strict = load_scenario(SCENARIOS / "vietnam-2020-may-directive19.toml")
    assert strict.name == "vietnam-2020-may-directive19"
    assert strict.extends == "vietnam-2020-may.toml"
    assert strict.campaign == national.campaign
    assert strict.teams == national.teams
    assert strict.covid.levels == national.covid.levels
    day = D(2020, 5, 25)
    for medium_risk in ("01", "79", "27", "02"):
        assert level_on(strict, day, medium_risk).max_gathering == 20
    assert level_on(strict, day, "30").max_gathering == 30
    assert level_on(strict, day, "30").m2_per_person == 1.0
    assert level_on(national, day, "01").max_gathering is None
    assert level_on(strict, D(2020, 6, 3), "30", "290", "10549").isolated


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_scenario_loads(path: Path) -> None:
    assert isinstance(load_scenario(path), Scenario)


# --- defaults ----------------------------------------------------------------------------


def test_defaults(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path / "minimal.toml", MINIMAL))
    teams = scenario.teams
    assert (teams.working_hours.start_min, teams.working_hours.end_min) == (450, 1020)
    lunch = teams.lunch_break
    assert (lunch.earliest_min, lunch.latest_min, lunch.minutes) == (660, 780, 60)
    assert teams.weekdays == ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert teams.list == []
    assert scenario.propaganda.dwell_minutes == {
        "Phường": 30,
        "Thị trấn": 30,
        "Xã": 45,
        "Đặc khu": 45,
    }
    assert (scenario.propaganda.reach_share, scenario.propaganda.repeat_value) == (0.05, 0.5)
    assert scenario.propaganda.max_passes == 3
    conferences = scenario.conferences
    assert [(s.name, s.earliest, s.latest) for s in conferences.slots] == [
        ("morning", "08:00", "09:30"),
        ("afternoon", "14:00", "15:00"),
    ]
    assert (conferences.show_up, conferences.conversion) == (0.7, 0.10)
    assert (conferences.max_per_team_week, conferences.lead_days) == (2, 3)
    assert (scenario.teams.territory, scenario.teams.loans) == ("own", [])
    assert conferences.venue_kinds == ["group", "commune"]
    assert scenario.covid.default_level == "open"
    assert scenario.covid.levels["open"].name == "open"
    assert scenario.fairness.min_passes_per_group == 1
    assert scenario.travel.speeds_kmh["car"] == {"urban": 30, "plain": 50, "mountain": 35}
    assert scenario.travel.speeds_kmh["motorbike"]["plain"] == 40
    assert scenario.objective.enrolment_weight == 10
    assert (scenario.solver.seed, scenario.solver.workers) == (1, 1)


def test_partial_tables_keep_the_other_defaults(tmp_path: Path) -> None:
    text = MINIMAL + (
        '\n[propaganda.dwell_minutes]\n"Xã" = 60\n'
        "\n[travel.speeds_kmh.motorbike]\nmountain = 20.0\n"
    )
    scenario = load_scenario(write(tmp_path / "partial.toml", text))
    assert scenario.propaganda.dwell_minutes["Xã"] == 60
    assert scenario.propaganda.dwell_minutes["Phường"] == 30
    assert scenario.travel.speeds_kmh["motorbike"] == {"urban": 25, "plain": 40, "mountain": 20}
    assert scenario.travel.speeds_kmh["car"]["plain"] == 50


def test_listed_teams(tmp_path: Path) -> None:
    text = MINIMAL + (
        '\n[teams.working_hours]\nstart = "08:00"\nend = "17:30"\n'
        '\n[[teams.list]]\nid = "BN-car-1"\nbase = "PO-D-256"\nvehicle = "car"\ncrew = 4\n'
        'province = "27"\nweekdays = ["mon", "wed"]\n'
        '[teams.list.working_hours]\nend = "16:00"\n'
        '\n[[teams.list]]\nid = "BN-car-2"\nbase = "PO-D-258"\nvehicle = "car"\ncrew = 2\n'
        'province = "27"\ndays = [2020-05-29, 2020-05-24]\n'
    )
    scenario = load_scenario(write(tmp_path / "teams.toml", text))
    first, second = scenario.teams.list
    hours = scenario.teams.hours_of(first)
    assert (hours.start, hours.end) == ("08:00", "16:00")  # start from teams.working_hours
    assert scenario.teams.hours_of(second) == scenario.teams.working_hours
    assert scenario.days_of(first) == [D(2020, 5, 25), D(2020, 5, 27)]
    assert scenario.days_of(second) == [D(2020, 5, 24), D(2020, 5, 29)]


def test_models_are_frozen() -> None:
    demo = load_scenario(SCENARIOS / "demo.toml")
    with pytest.raises(pydantic.ValidationError):
        demo.campaign.start = D(2020, 1, 1)  # type: ignore[misc]


# --- extends -----------------------------------------------------------------------------


def test_child_overrides_and_lists_are_replaced(tmp_path: Path) -> None:
    write(
        tmp_path / "base.toml",
        MINIMAL
        + '\n[[conferences.slots]]\nname = "morning"\nearliest = "08:00"\nlatest = "09:00"\n'
        + '\n[[conferences.slots]]\nname = "noon"\nearliest = "12:00"\nlatest = "13:00"\n'
        + '\n[covid.levels.open]\nmax_gathering = 50\nnote = "base"\n',
    )
    child = write(
        tmp_path / "variants" / "child.toml",
        'extends = "../base.toml"\nname = "child"\n'
        "\n[campaign]\nend = 2020-05-25\n"
        '\n[[conferences.slots]]\nname = "evening"\nearliest = "15:00"\nlatest = "15:30"\n'
        "\n[covid.levels.open]\nmax_gathering = 10\n",
    )
    scenario = load_scenario(child)
    assert scenario.name == "child"
    assert scenario.campaign.start == D(2020, 5, 23)  # from the parent
    assert scenario.campaign.end == D(2020, 5, 25)  # the child wins
    assert [slot.name for slot in scenario.conferences.slots] == ["evening"]
    assert scenario.covid.levels["open"].max_gathering == 10
    assert scenario.covid.levels["open"].note == "base"  # tables merged key by key
    assert resolve_scenario_table(child)["campaign"] == {
        "start": D(2020, 5, 23),
        "end": D(2020, 5, 25),
    }


def test_three_generations(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", MINIMAL)
    write(tmp_path / "b.toml", 'extends = "a.toml"\nname = "b"\n[solver]\nseed = 7\n')
    c = write(tmp_path / "c.toml", 'extends = "b.toml"\nname = "c"\n[teams.rule]\ncrew = 5\n')
    scenario = load_scenario(c)
    assert (scenario.name, scenario.solver.seed) == ("c", 7)
    assert scenario.teams.rule is not None and scenario.teams.rule.crew == 5
    assert scenario.teams.rule.vehicle == "motorbike"


def test_cycle_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", 'extends = "b.toml"\nname = "a"\n')
    write(tmp_path / "b.toml", 'extends = "c.toml"\nname = "b"\n')
    write(tmp_path / "c.toml", 'extends = "a.toml"\nname = "c"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "a.toml")
    assert caught.value.field == "extends"
    assert Path(caught.value.path).name == "c.toml"
    assert "a.toml -> " in str(caught.value) and str(caught.value).endswith("a.toml")


def test_self_extension_is_a_cycle(tmp_path: Path) -> None:
    path = write(tmp_path / "self.toml", 'extends = "self.toml"\nname = "self"\n')
    with pytest.raises(ScenarioError, match="extends cycle"):
        load_scenario(path)


def test_an_error_in_the_child_names_the_child(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", MINIMAL)
    child = write(
        tmp_path / "child.toml",
        'extends = "base.toml"\nname = "child"\n[campaign]\nend = 2020-05-01\n',
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    assert Path(caught.value.path).name == "child.toml"
    assert caught.value.field == "campaign.end"


def test_data_file_stays_relative_to_the_file_that_sets_it(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", MINIMAL + '\n[data]\ncommunes = "matrices/bn.csv"\n')
    child = write(tmp_path / "variants" / "child.toml", 'extends = "../base.toml"\nname = "v"\n')
    assert load_scenario(child).data.communes == "../matrices/bn.csv"
    assert load_scenario(tmp_path / "base.toml").data.communes == "matrices/bn.csv"


# --- hash --------------------------------------------------------------------------------


def test_hash_is_stable_and_sees_meaning_not_wording(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain.toml", MINIMAL)
    worded = write(
        tmp_path / "worded.toml",
        "# the same scenario, defaults written out\n" + MINIMAL + "\n[solver]\nseed = 1\n",
    )
    changed = write(tmp_path / "changed.toml", MINIMAL + "\n[solver]\nseed = 2\n")
    digest = scenario_hash(plain)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert scenario_hash(plain) == digest == scenario_hash(load_scenario(plain))
    assert scenario_hash(worded) == digest
    assert scenario_hash(changed) != digest


def test_hash_is_taken_after_extends(tmp_path: Path) -> None:
    base = write(tmp_path / "base.toml", MINIMAL.replace('"minimal"', '"child"'))
    child = write(tmp_path / "child.toml", 'extends = "base.toml"\nname = "child"\n')
    assert scenario_hash(child) == scenario_hash(base)


# --- JSON Schema -------------------------------------------------------------------------


def test_schema_file_is_up_to_date() -> None:
    shipped = (SCENARIOS / "scenario.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(), (
        "run: python -m planner.scenario > scenarios/scenario.schema.json"
    )
    assert json.loads(shipped) == scenario_json_schema()


def test_schema_describes_every_field() -> None:
    schema = scenario_json_schema()
    assert schema["required"] == ["name", "structure", "provinces", "campaign", "teams"]
    for model in [schema, *schema["$defs"].values()]:
        for name, field in model.get("properties", {}).items():
            assert field.get("description"), f"{model['title']}.{name} has no description"
        assert model.get("additionalProperties") is False


def test_main_prints_the_schema_or_checks_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out == schema_text()
    assert main([str(SCENARIOS / "demo.toml")]) == 0
    assert "demo.toml: ok" in capsys.readouterr().out
    bad = ROOT / "tests" / "data" / "scenarios" / "zero_crew.toml"
    assert main([str(bad)]) == 1
    assert "teams.rule.crew" in capsys.readouterr().err
