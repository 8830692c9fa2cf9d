"""Comparing two hand-made plans gives the differences built into them (see factory.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from planner.compare.diff import PLAN_METRICS, CompareError, compare_plans, team_changes
from planner.compare.load import load_plan_outputs
from planner.compare.table import comparison_rows, terminal_table, write_compare_csv
from tests.compare.factory import (
    DAY1,
    baseline_plan,
    plan,
    province,
    route,
    stop,
    write_plan_folder,
)

REACH, ENROLMENTS = PLAN_METRICS[0], PLAN_METRICS[1]


def test_plan_totals_and_their_differences(two_plans: tuple[Path, Path]) -> None:
    comparison = compare_plans(two_plans)
    base, variant = (p.figures for p in comparison.plans)
    assert base.expected_reach == pytest.approx(430.0)
    assert variant.expected_reach == pytest.approx(330.0)
    assert (base.team_days, variant.team_days) == (3, 4)
    assert comparison.labels == ("base", "variant")
    assert comparison.structure == "2020" and comparison.group_label == "district"


def test_reach_difference_per_province_and_district(two_plans: tuple[Path, Path]) -> None:
    comparison = compare_plans(two_plans)
    [province] = comparison.provinces
    assert province.code == "27"
    assert province.difference(1, REACH) == pytest.approx(-100.0)
    by_code = {g.code: g for g in comparison.groups}
    assert by_code["256"].difference(1, REACH) == pytest.approx(210 - 350)
    assert by_code["258"].difference(1, REACH) == pytest.approx(120 - 80)
    assert by_code["256"].difference(1, ENROLMENTS) == pytest.approx(2.1 - 3.5)
    # largest absolute difference first
    assert [g.code for g in comparison.groups] == ["256", "258"]
    # the communes left out are counted in their district
    base_258 = by_code["258"].figures[0]
    assert base_258 is not None and dict(base_258.unserved_by_reason) == {"no_time_left": 1}


def test_team_stops_added_removed_and_moved(two_plans: tuple[Path, Path]) -> None:
    comparison = compare_plans(two_plans)
    teams = {t.team_id: t for t in comparison.teams}
    assert set(teams) == {"27-256-1", "27-258-2"}  # 27-258-1 is unchanged
    assert comparison.teams_unchanged == (0, 1)
    assert comparison.teams_compared == (False, True)

    first = teams["27-256-1"]
    assert first.status == "both" and first.kept == 1
    changes = {(c.change, c.commune_code, c.baseline_date, c.plan_date) for c in first.changes}
    assert changes == {
        ("moved", "09002", "2020-05-23", "2020-05-25"),
        ("removed", "09003", "2020-05-25", ""),
        ("added", "09004", "", "2020-05-25"),
    }
    new_team = teams["27-258-2"]
    assert new_team.status == "only_plan"
    assert [(c.change, c.commune_code) for c in new_team.changes] == [("added", "09006")]


def test_a_repeated_stop_is_matched_as_often_as_it_occurs(two_plans: tuple[Path, Path]) -> None:
    base = load_plan_outputs(two_plans[0]).stops
    twice = (*base, base[0])  # a second pass through 09001 on day 1
    [first, *_] = team_changes(base, twice)
    assert first.kept == 3 and [(c.change, c.commune_code) for c in first.changes] == [
        ("added", "09001")
    ]


def test_the_band_is_shown_or_a_dash(two_plans: tuple[Path, Path]) -> None:
    text = terminal_table(compare_plans(two_plans), "en")
    band_line = next(line for line in text.splitlines() if line.startswith("enrolments p10"))
    assert band_line.split()[-2:] == ["—", "4–5"]
    reach_line = next(line for line in text.splitlines() if line.startswith("expected reach"))
    assert reach_line.split()[-3:] == ["430", "330", "(-100)"]
    assert "stops moved" in text


def test_the_terminal_table_is_vietnamese_by_default(two_plans: tuple[Path, Path]) -> None:
    text = terminal_table(compare_plans(two_plans))
    band_line = next(line for line in text.splitlines() if line.startswith("người tham gia P10"))
    assert band_line.split()[-2:] == ["—", "4–5"]
    reach_line = next(
        line for line in text.splitlines() if line.startswith("số người tiếp cận dự kiến")
    )
    assert reach_line.split()[-3:] == ["430", "330", "(-100)"]
    enrolments = next(
        line for line in text.splitlines() if line.startswith("số người tham gia dự kiến")
    )
    assert enrolments.split()[-3:] == ["4,3", "3,3", "(-1,0)"]  # decimal comma
    assert text.splitlines()[0].split()[-3:] == ["base", "(gốc)", "variant"]
    assert "điểm dừng dời ngày" in text and "lưu ý: Số liệu theo huyện" in text


def test_compare_csv_is_tidy_with_the_known_differences(
    two_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    comparison = compare_plans(two_plans)
    path = tmp_path / "compare.csv"
    write_compare_csv(comparison, path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows == comparison_rows(comparison)

    def row(plan: str, level: str, code: str, metric: str) -> dict[str, str]:
        [found] = [
            r
            for r in rows
            if (r["plan"], r["level"], r["code"], r["metric"]) == (plan, level, code, metric)
        ]
        return found

    assert row("variant", "district", "256", "expected_reach")["difference"] == "-140"
    assert row("variant", "district", "258", "expected_reach")["value"] == "120"
    assert row("variant", "province", "27", "passes")["difference"] == "2"  # 3 -> 5
    assert row("variant", "plan", "", "enrolments_p10")["value"] == "3.5"
    assert row("base", "plan", "", "enrolments_p10")["value"] == ""
    assert row("variant", "team", "27-256-1", "stops_moved")["value"] == "1"
    assert row("base", "plan", "", "unserved_communes:no_time_left")["value"] == "1"
    keys = [(r["plan"], r["level"], r["code"], r["metric"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_labels_default_to_folder_names_and_are_checked(
    two_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    again = write_plan_folder(tmp_path / "again" / "base", baseline_plan())
    assert compare_plans([two_plans[0], again]).labels == ("base", "base (2)")
    assert compare_plans(two_plans, labels=["now", "two teams"]).labels == ("now", "two teams")
    with pytest.raises(CompareError, match="1 labels for 2 plans"):
        compare_plans(two_plans, labels=["only one"])
    with pytest.raises(CompareError, match="different, non-empty"):
        compare_plans(two_plans, labels=["same", "same"])
    with pytest.raises(CompareError, match="at least two"):
        compare_plans(two_plans[:1])


def test_plans_of_different_provinces_count_absent_ones_as_zero(
    two_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    hanoi = plan(
        "hn",
        "2020",
        [province("01", "Hà Nội", [route("01-001-1", DAY1, [stop("00001", 70, group="001")])])],
    )
    other = write_plan_folder(tmp_path / "hn", hanoi)
    comparison = compare_plans([two_plans[0], other])
    by_code = {p.code: p for p in comparison.provinces}
    assert by_code["27"].figures[1] is None
    assert by_code["27"].difference(1, REACH) == pytest.approx(-430.0)
    assert by_code["01"].difference(1, REACH) == pytest.approx(70.0)
    assert comparison.teams_compared == (False, False)
    assert any("no team in common" in note for note in comparison.notes)
