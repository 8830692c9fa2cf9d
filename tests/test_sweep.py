"""What-if variants: --vary overrides, batches of scenarios, and `planner sweep`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.errors import ScenarioError
from planner.runner import RunSettings, run_batch, scenario_job
from planner.scenario import load_scenario, scenario_hash
from planner.sweep import SweepError, parse_vary, toml_value

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo.toml"


def _variant(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(f'extends = "{DEMO}"\nname = "{name}"\n{body}', encoding="utf-8")
    return path


def test_variant_file_equals_parent_with_the_field_changed(tmp_path: Path) -> None:
    parent = load_scenario(DEMO)
    variant = load_scenario(_variant(tmp_path, "two", "[teams.rule]\nteams_per_group = 2\n"))
    assert parent.teams.rule is not None
    expected = parent.model_copy(
        update={
            "name": "two",
            "teams": parent.teams.model_copy(
                update={"rule": parent.teams.rule.model_copy(update={"teams_per_group": 2})}
            ),
        }
    )
    assert variant.model_dump(exclude={"extends"}) == expected.model_dump(exclude={"extends"})
    # --vary gives the same scenario as the variant file.
    varied = load_scenario(DEMO, {"name": "two", "teams.rule.teams_per_group": 2})
    assert scenario_hash(varied) == scenario_hash(variant)


def test_vary_errors_name_the_field_and_the_option() -> None:
    with pytest.raises(ScenarioError, match=r"--vary teams.rule.teams_per_group.*at least 1"):
        load_scenario(DEMO, {"teams.rule.teams_per_group": 0})
    with pytest.raises(ScenarioError, match=r"field 'teams.rule.nope': unknown field"):
        load_scenario(DEMO, {"teams.rule.nope": 1})
    with pytest.raises(SweepError, match="expected FIELD=V1,V2"):
        parse_vary("teams_per_group")
    with pytest.raises(SweepError, match="given twice"):
        parse_vary("teams.rule.crew=2,2")


def test_values_are_read_as_toml() -> None:
    assert toml_value("2") == 2
    assert toml_value("0.5") == 0.5
    assert str(toml_value("2020-06-14")) == "2020-06-14"
    assert toml_value("car") == "car"
    vary = parse_vary('teams.weekdays=["mon", "tue"],["sat"]')
    assert vary.values == (["mon", "tue"], ["sat"])


def test_batch_refuses_two_scenarios_writing_to_one_folder(tmp_path: Path) -> None:
    settings = RunSettings(out_dir=tmp_path / "same")
    jobs = [scenario_job(DEMO, settings), scenario_job(DEMO, settings)]
    with pytest.raises(ScenarioError, match="same folder"):
        run_batch(jobs, settings)


@pytest.fixture(scope="module")
def week_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-day demo swept over 1, 2 and 3 teams per district (in one batch)."""
    tmp = tmp_path_factory.mktemp("sweep")
    base = _variant(tmp, "short", "[campaign]\nend = 2020-05-26\n")
    out = tmp / "out"
    code = main(
        [
            "sweep",
            str(base),
            "--vary",
            "teams.rule.teams_per_group=1,2,3",
            "--time-limit",
            "1",
            "--workers",
            "1",
            "--quiet",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def test_sweep_of_team_count_gives_non_decreasing_reach(week_sweep: Path) -> None:
    with (week_sweep / "sweep.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [r["teams.rule.teams_per_group"] for r in rows] == ["1", "2", "3"]
    reach = [float(r["expected_reach"]) for r in rows]
    assert reach == sorted(reach) and reach[0] < reach[-1]
    days = [int(r["team_days"]) for r in rows]
    assert days[0] < days[1] <= days[2]


def test_each_variant_records_what_it_changed(week_sweep: Path) -> None:
    summary = json.loads(
        (week_sweep / "short--teams_per_group-2" / "summary.json").read_text(encoding="utf-8")
    )
    assert summary["overrides"] == {
        "name": "short--teams_per_group-2",
        "teams.rule.teams_per_group": 2,
    }
    assert summary["scenario"] == "short--teams_per_group-2"


def test_the_sweep_page_is_vietnamese_and_named_by_the_field_and_the_title(
    week_sweep: Path,
) -> None:
    """Issue 15: not "Comparison: 1 / 2 / 3" in English, but the field in words, each value,
    and the scenario's title; the picture beside it."""
    page = (week_sweep / "compare" / "index.html").read_text(encoding="utf-8")
    title = "Bắc Ninh — tháng vận động BHXH tự nguyện (tuần đầu, 23–29/5/2020)"
    assert '<html lang="vi">' in page
    assert f"<title>Thử thay đổi Số đội mỗi huyện/cụm: {title}</title>" in page
    assert "Số đội mỗi huyện/cụm = 2" in page and "Comparison" not in page
    assert (week_sweep / "compare" / "sweep.png").is_file()
