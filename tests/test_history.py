"""`planner.history`: which figure the warnings on new participants hold against the best
month on record. A plan of a month is judged on its national month equivalent; a plan shorter
than a month on its own days for the whole country, since x 30 / days overstates a month
whose first days enrol most (the module's "The warnings")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.errors import DataError
from planner.export import tables
from planner.history import PlanFigures, history_block, history_lines, load_records
from planner.written_plan import SUMMARY_FILE, Summary, summary_json
from tests.compare.factory import baseline_plan

RECORDS = load_records()
BEST_MONTH = 32_870  # May 2022, data/facts/campaign_history.csv


def _figures(days: int, new_participants: float, coverage: float = 0.01) -> PlanFigures:
    return PlanFigures(
        days=days,
        coverage=coverage,
        conferences=10,
        people_reached_directly=1_000,
        new_participants=new_participants,
        conference_enrolments=40,
    )


def test_a_week_is_judged_on_its_own_days_not_stretched_to_a_month() -> None:
    # 167 new participants in 7 days of 1.42 % of the country (the demo): 11,761 for the
    # whole country in those days, 50,402 stretched to a month (1.53 x the best month)
    block = history_block(_figures(7, 167, coverage=0.0142), RECORDS)
    assert block["best_month_new_participants"] == BEST_MONTH
    assert block["national_month_equivalent"]["new_participants"] > 1.5 * BEST_MONTH
    assert block["plan_days_national_new_participants"] == round(167 / 0.0142)
    assert block["new_participants_judged_on"] == "plan_days"
    assert block["ratios"]["plan_days_new_participants_vs_best_month"] == pytest.approx(
        0.358, abs=0.001
    )
    assert block["warnings"] == []


def test_a_week_above_the_best_month_on_its_own_is_implausible() -> None:
    block = history_block(_figures(7, 500), RECORDS)  # 50,000 in a week
    assert block["new_participants_judged_on"] == "plan_days"
    assert block["warnings"] == ["new_participants_implausible"]
    block = history_block(_figures(7, 400), RECORDS)  # 40,000: above, not 1.5 x
    assert block["warnings"] == ["new_participants_above_best_month"]


def test_a_month_is_judged_on_its_month() -> None:
    block = history_block(_figures(30, 500), RECORDS)
    assert block["new_participants_judged_on"] == "month"
    assert block["national_month_equivalent"]["new_participants"] == 50_000
    assert block["warnings"] == ["new_participants_implausible"]
    assert history_block(_figures(30, 300), RECORDS)["warnings"] == []


def _summary(tmp_path: Path, history: dict[str, object]) -> Summary:
    data = tables.summary(baseline_plan(), provenance={}, solve_seconds=1.0)
    data["history"] = history
    return Summary.from_json(json.loads(summary_json(data)), tmp_path / SUMMARY_FILE)


def test_the_summary_carries_the_plan_days_and_the_lines_say_why(tmp_path: Path) -> None:
    week = _summary(tmp_path, history_block(_figures(7, 167, coverage=0.0142), RECORDS))
    assert week.history is not None
    assert week.history.new_participants_judged_on == "plan_days"
    assert (week.history.plan_days, week.history.plan_days_new_participants) == (7, 11_761)
    vi = history_lines(week, "vi")
    assert any(
        line.startswith("    chỉ 7 ngày của kế hoạch, quy ra cả nước: 11.761 người") for line in vi
    )
    en = history_lines(week, "en")
    assert any("0.36 of the best month (the warnings hold this figure)" in line for line in en)
    month = _summary(tmp_path, history_block(_figures(30, 300), RECORDS))
    assert not any("the warnings hold" in line for line in history_lines(month, "en"))


def test_a_bad_judged_on_names_its_field(tmp_path: Path) -> None:
    block = history_block(_figures(7, 167), RECORDS)
    block["new_participants_judged_on"] = "week"
    with pytest.raises(DataError, match=r"field 'history.new_participants_judged_on'"):
        _summary(tmp_path, block)
