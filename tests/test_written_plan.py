"""`planner.written_plan`: the written plan's files, its summary type and its one reader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner.cli import main
from planner.errors import DataError
from planner.export import tables
from planner.history import (
    capacity_block,
    history_block,
    history_lines,
    load_records,
    predicted_figures,
    realism_block,
)
from planner.output_folder import Manifest, read_manifest
from planner.written_plan import (
    ROUTE_COLUMNS,
    SCHEDULE_COLUMNS,
    SCHEDULE_FILE,
    SUMMARY_FILE,
    Summary,
    read_plan,
    read_scenario_name,
    summary_json,
)
from tests.compare.factory import BAND, baseline_plan, write_plan_folder

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenarios" / "demo.toml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small plan folder written by the real writers (no solver)."""
    return write_plan_folder(
        tmp_path / "plan", baseline_plan(), extra_summary={"expected_enrolments_band": BAND}
    )


def test_the_summary_reads_typed_and_writes_back_the_same_bytes(
    folder: Path, tmp_path: Path
) -> None:
    path = folder / SUMMARY_FILE
    summary = Summary.read(path)
    assert (summary.scenario, summary.structure, summary.passes) == ("demo", "2020", 3)
    assert summary.unserved_by_reason == (("no_time_left", 1),)
    assert summary.expected_enrolments_band is not None
    assert summary.expected_enrolments_band.p90 == BAND["p90"]
    assert [p.province_code for p in summary.provinces] == ["27"]
    assert summary.history is None and summary.scenario_hash is None  # written before them
    assert summary.to_json() == path.read_text(encoding="utf-8")
    summary.write(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == path.read_bytes()
    assert Summary.from_json(json.loads(path.read_text(encoding="utf-8")), path) == summary


def test_what_a_command_needs_of_the_summary_is_asked_for_by_name(folder: Path) -> None:
    with pytest.raises(DataError, match=r"summary\.json, field 'scenario_hash': is missing"):
        Summary.read(folder / SUMMARY_FILE).required("scenario_hash")


def test_the_blocks_read_typed_and_print_as_planner_run_prints_them(tmp_path: Path) -> None:
    """history_lines reads the typed blocks: the record's rows, realism, capacity and
    whether the plan is compact; the counts print as whole numbers, as written."""
    plan = baseline_plan()
    records = load_records()
    held = predicted_figures(plan, days=7, national_target_people=0.0)
    data = tables.summary(plan, provenance={}, solve_seconds=1.0)
    data["expected_reach_band"] = BAND
    data["history"] = history_block(held, records)
    data["realism"] = realism_block(plan, held, records, teams=3)
    data["capacity"] = {**capacity_block(plan), "compact": True}
    summary = Summary.from_json(json.loads(summary_json(data)), tmp_path / SUMMARY_FILE)
    assert summary.unserved_communes == 1 and summary.expected_reach_band is not None
    assert summary.history is not None and summary.capacity is not None
    assert [r.key for r in summary.history.record] == [r["key"] for r in data["history"]["record"]]
    assert summary.capacity.compact is True
    en = history_lines(summary, "en")
    month = data["history"]["national_month_equivalent"]
    assert en[0].endswith(
        f"{month['new_participants']:,} new participants, "
        f"{month['conferences']:,} conferences, {month['people_reached_directly']:,} attendees"
    )
    assert any(line.startswith("    Launch day 8 May 2022") for line in en)
    assert en[-1] == (
        f"  compact plan: this month needs {data['capacity']['team_days_with_work']} of "
        f"{data['capacity']['team_days_available']} team-days"
    )
    assert history_lines(summary, "vi")[-1].startswith("  kế hoạch gọn: tháng này cần ")
    bare = Summary.from_json(tables.summary(plan, provenance={}, solve_seconds=1.0))
    assert history_lines(bare, "en") == [] and bare.capacity is None


def test_an_old_folder_is_known_by_the_scenario_its_summary_names(tmp_path: Path) -> None:
    """A plan folder written before manifests: its summary may lack what `Summary` needs."""
    (tmp_path / SUMMARY_FILE).write_text('\ufeff{"scenario": "demo"}', encoding="utf-8")
    (tmp_path / SCHEDULE_FILE).write_text("province_code\n", encoding="utf-8")
    assert read_scenario_name(tmp_path / SUMMARY_FILE) == "demo"
    assert read_manifest(tmp_path) == Manifest(kind="plan", scenario="demo")
    (tmp_path / SUMMARY_FILE).write_text("[1, 2]", encoding="utf-8")
    assert read_scenario_name(tmp_path / SUMMARY_FILE) is None
    assert read_scenario_name(tmp_path / "missing.json") is None


def test_the_writer_and_the_reader_share_the_columns(folder: Path) -> None:
    assert tables.SCHEDULE_COLUMNS is SCHEDULE_COLUMNS and tables.ROUTE_COLUMNS is ROUTE_COLUMNS
    header = (folder / SCHEDULE_FILE).read_text(encoding="utf-8-sig").splitlines()[0]
    assert tuple(header.split(",")) == SCHEDULE_COLUMNS


def test_a_missing_column_is_named_in_one_line(folder: Path) -> None:
    path = folder / "routes.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[0] = lines[0].replace("lunch_start", "lunch")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        read_plan(folder)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert "missing column lunch_start" in message


def test_one_province_figures_type_in_the_code_base() -> None:
    found = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "planner").rglob("*.py")
        if re.search(r"^class ProvinceFigures\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert found == ["planner/written_plan.py"]


@pytest.mark.slow
def test_the_folder_the_demo_writes_reads_back_whole(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert main(["run", str(DEMO), "--time-limit", "3", "--out", str(out), "--quiet"]) == 0
    plan = read_plan(out)
    written = json.loads((out / SUMMARY_FILE).read_text(encoding="utf-8"))
    summary = plan.summary
    assert summary.data == written
    assert summary.to_json() == (out / SUMMARY_FILE).read_text(encoding="utf-8")
    assert (summary.passes + summary.conferences, summary.team_days) == (
        plan.n_stops,
        plan.n_team_days,
    )
    assert summary.scenario_hash == written["scenario_hash"]
    assert None not in (summary.history, summary.realism, summary.capacity, summary.targets)
    assert summary.territories is not None and set(summary.territories) == {"27"}
    (province,) = summary.provinces
    assert province.expected_enrolments_band is not None  # from ..._band_by_province
    assert province.notes and province.solver_status
