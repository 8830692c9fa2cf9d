"""Reading a run folder back: what a plan's folder gives, and one-line errors for what is not."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.compare.load import EnrolmentBand, load_plan_outputs
from planner.errors import DataError
from tests.compare.factory import BAND


def test_a_run_folder_reads_back_its_figures_stops_and_unserved(
    two_plans: tuple[Path, Path],
) -> None:
    base = load_plan_outputs(two_plans[0])
    assert (base.scenario, base.structure) == ("demo", "2020")
    assert base.figures.expected_reach == pytest.approx(430.0)
    assert (base.figures.passes, base.figures.conferences, base.figures.team_days) == (3, 1, 3)
    assert base.figures.unserved_by_reason == (("no_time_left", 1),)
    assert base.figures.band is None
    assert [p.province_code for p in base.provinces] == ["27"]
    assert len(base.stops) == 4
    first = base.stops[0]
    assert (first.team_id, first.date, first.commune_code, first.group_code) == (
        "27-256-1",
        dt.date(2020, 5, 23),
        "09001",
        "256",
    )
    assert [u.code for u in base.unserved] == ["09007"]


def test_the_band_is_read_when_the_summary_has_it(two_plans: tuple[Path, Path]) -> None:
    variant = load_plan_outputs(two_plans[1])
    assert variant.figures.band == EnrolmentBand(
        p10=3.5, p50=4.2, p90=5.0, mean=4.2, draws=500, seed=1
    )


def test_a_province_band_may_come_from_the_by_province_table(
    two_plans: tuple[Path, Path],
) -> None:
    path = two_plans[0] / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary["expected_enrolments_band_by_province"] = {"27": BAND}
    path.write_text(json.dumps(summary), encoding="utf-8")
    assert load_plan_outputs(two_plans[0]).provinces[0].figures.band is not None


def _remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def _write(name: str, text: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")

    return write


def _edit_summary(key: str, value: object) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "summary.json"
        summary = json.loads(path.read_text(encoding="utf-8"))
        if value is None:
            del summary[key]
        else:
            summary[key] = value
        path.write_text(json.dumps(summary), encoding="utf-8")

    return edit


def _edit_schedule(old: str, new: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "schedule.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    return edit


@pytest.mark.parametrize(
    ("spoil", "file", "expected"),
    [
        (_remove("summary.json"), "summary.json", "file not found"),
        (_write("summary.json", "{not json"), "summary.json", "not valid JSON"),
        (_write("summary.json", "[1, 2]"), "summary.json", "expected a JSON object"),
        (_edit_summary("expected_reach", None), "summary.json", "field 'expected_reach': missing"),
        (_edit_summary("passes", "many"), "summary.json", "field 'passes': expected a number"),
        (
            _edit_summary("expected_enrolments_band", {"p10": 5, "p50": 4, "p90": 6}),
            "summary.json",
            "expected p10 <= p50 <= p90",
        ),
        (_remove("schedule.csv"), "schedule.csv", "file not found"),
        (_write("schedule.csv", ""), "schedule.csv", "empty file"),
        (_edit_schedule("people_reached", "reach"), "schedule.csv", "no column people_reached"),
        (_edit_schedule(",100.0,", ",lots,"), "schedule.csv", "row 1, field 'people_reached'"),
        (_edit_schedule("2020-05-23", "23/05/2020"), "schedule.csv", "row 1, field 'date'"),
        (_write("unserved.csv", "province_code,kind\n"), "unserved.csv", "no column code"),
    ],
)
def test_a_folder_that_is_not_a_plan_gets_one_line_naming_the_file(
    two_plans: tuple[Path, Path], spoil: Callable[[Path], None], file: str, expected: str
) -> None:
    folder = two_plans[0]
    spoil(folder)
    with pytest.raises(DataError) as raised:
        load_plan_outputs(folder)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(str(folder / file))
    assert expected in message


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such folder"):
        load_plan_outputs(tmp_path / "nowhere")


def test_a_bad_utf8_schedule_is_reported(two_plans: tuple[Path, Path]) -> None:
    (two_plans[0] / "schedule.csv").write_bytes(b"province_code\n\xff\xfe\n")
    with pytest.raises(DataError, match=r"schedule\.csv: not UTF-8"):
        load_plan_outputs(two_plans[0])
