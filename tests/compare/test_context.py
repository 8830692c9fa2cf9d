"""The plans against the record, their realism and capacity, and the marginal figures.

summary.json's `history`, `realism` and `capacity` blocks (planner/history.py) are shown plan
by plan; a plan written before they existed (the factory's folders have none) compares all
the same, with "—" where its figures would be.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from planner.compare.diff import MARGINALS, compare_plans
from planner.compare.load import load_plan_outputs
from planner.compare.table import comparison_rows, side_by_side, terminal_table
from planner.compare.write import write_comparison
from planner.errors import DataError
from tests.compare.factory import baseline_plan, variant_plan, write_plan_folder

# the blocks as planner/history.py writes them (the demo's, May 2020, one week in Bắc Ninh)
HISTORY: dict[str, Any] = {
    "plan_days": 7,
    "plan_share_of_target_people": 0.0142,
    "scale_to_national_month": 301.1352,
    "national_month_equivalent": {
        "conferences": 5722,
        "people_reached_directly": 204471,
        "new_participants": 55763,
    },
    "best_month_new_participants": 32870,
    "record": [
        {
            "key": "2019_month",
            "label": "2019, trung bình một tháng",
            "label_en": "2019, average month",
            "conferences": 1166.7,
            "people_reached_directly": None,
            "new_participants": 23000.0,
            "source": "seed report",
        },
        {
            "key": "2022_launch_day",
            "label": "Ngày phát động 8/5/2022 (một ngày)",
            "label_en": "Launch day 8 May 2022 (one day)",
            "conferences": 6600.0,
            "people_reached_directly": 168000.0,
            "new_participants": 22306.0,
            "source": "VSS news",
        },
        {
            "key": "2022_month",
            "label": "Tháng vận động 5/2022",
            "label_en": "Campaign month May 2022",
            "conferences": None,
            "people_reached_directly": None,
            "new_participants": 32870.0,
            "source": "VSS news",
        },
    ],
    "ratios": {
        "new_participants_vs_best_month": 1.696,
        "conferences_vs_2019_month": 4.905,
        "conferences_vs_launch_day_groups": 0.867,
        "people_reached_directly_vs_launch_day": 1.217,
    },
    "warnings": ["new_participants_implausible"],
    "facts_file": "data/facts/campaign_history.csv",
}
REALISM = {
    "stops": 342,
    "stops_outside_territory": 17,
    "share_outside_territory": 0.0497,
    "conferences_per_team_week": 2.38,
    "new_participants_per_conference": 3.57,
    "record_new_participants_per_conference_2019_ceiling": 19.7,
    "record_new_participants_per_group_launch_day": 3.4,
    "share_of_attendees_joining": 0.1,
    "record_share_joining_launch_day": 0.1328,
}
CAPACITY = {
    "team_days_available": 48,
    "team_days_with_work": 44,
    "team_days_full": 35,
    "team_days_light": 9,
    "team_days_idle": 4,
    "light_means": "time out under half the working minutes",
    "spare_because_territory_exhausted": 13,
    "spare_because_nothing_fits": 0,
    "average_hours_out": 6.47,
}
BLOCKS = {"history": HISTORY, "realism": REALISM, "capacity": CAPACITY}


@pytest.fixture
def old_and_new(tmp_path: Path) -> tuple[Path, Path]:
    """The baseline written before the blocks existed; the variant with them."""
    old = write_plan_folder(tmp_path / "old", baseline_plan())
    new = write_plan_folder(tmp_path / "new", variant_plan(), extra_summary=BLOCKS)
    return old, new


def _line(text: str, words: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(words))


def test_the_blocks_are_read_and_an_old_plan_has_none(old_and_new: tuple[Path, Path]) -> None:
    old, new = (load_plan_outputs(f).figures for f in old_and_new)
    assert old.history is None and old.realism is None and old.capacity is None
    assert new.history is not None and new.realism is not None and new.capacity is not None
    assert new.history.new_participants == 55763
    assert new.history.best_month_new_participants == 32870
    assert new.history.new_participants_vs_best_month == pytest.approx(1.696)
    assert new.history.record_conferences_2019_month == pytest.approx(1166.7)
    assert new.history.warnings == ("new_participants_implausible",)
    assert new.realism.share_outside_territory == pytest.approx(0.0497)
    assert new.capacity.team_days_light == 9 and new.capacity.team_days_idle == 4
    assert (old.teams, new.teams) == (2, 3)


def test_a_block_missing_a_figure_reads_as_unknown(tmp_path: Path) -> None:
    partial = {"history": {"national_month_equivalent": {"new_participants": 10}}}
    folder = write_plan_folder(tmp_path / "p", baseline_plan(), extra_summary=partial)
    history = load_plan_outputs(folder).figures.history
    assert history is not None and history.new_participants == 10
    assert history.best_month_new_participants is None and history.warnings == ()


@pytest.mark.parametrize(
    ("blocks", "field"),
    [
        ({"history": "high"}, "history"),
        ({"realism": {"conferences_per_team_week": "many"}}, "realism.conferences_per_team_week"),
        ({"capacity": [1, 2]}, "capacity"),
        ({"history": {"warnings": "new_participants_implausible"}}, "history.warnings"),
    ],
)
def test_a_malformed_block_is_a_one_line_error(
    tmp_path: Path, blocks: dict[str, Any], field: str
) -> None:
    folder = write_plan_folder(tmp_path / "p", baseline_plan(), extra_summary=blocks)
    with pytest.raises(DataError, match=field.replace(".", r"\.")):
        load_plan_outputs(folder)


def test_the_terminal_table_shows_the_blocks_and_a_dash_for_the_old_plan(
    old_and_new: tuple[Path, Path],
) -> None:
    comparison = compare_plans(old_and_new)
    text = terminal_table(comparison, "en")
    assert "against the record (the plan as a national month):" in text
    assert _line(text, "  new participants a month").split()[-2:] == ["—", "55,763"]
    assert _line(text, "  best month on record").split()[-2:] == ["—", "32,870"]
    assert _line(text, "  plan / best month").split()[-2:] == ["—", "1.70"]
    assert _line(text, "  warnings").endswith("! implausible (>1.5x best month)")
    assert _line(text, "  stops outside the team's territory").split()[-2:] == ["—", "5.0%"]
    assert _line(text, "    light (under half a day out)").split()[-2:] == ["—", "9"]
    assert _line(text, "  idle").split()[-2:] == ["—", "4"]
    assert _line(text, "  light or idle: territory has nothing left").split()[-1] == "13"
    assert any("old: summary.json has no history, realism, capacity" in n for n in comparison.notes)


def test_marginal_figures_against_the_baseline(old_and_new: tuple[Path, Path]) -> None:
    comparison = compare_plans(old_and_new)
    base, variant = (p.figures for p in comparison.plans)
    # the variant: one more team-day and one more team, 1.0 fewer enrolments (4.3 -> 3.3)
    assert (base.team_days, variant.team_days) == (3, 4)
    assert variant.expected_enrolments - base.expected_enrolments == pytest.approx(-1.0)
    per_day, per_km, per_team = (m.value(base, variant) for m in MARGINALS)
    assert per_day == pytest.approx(-1.0)
    assert per_team == pytest.approx(-1.0)
    assert variant.travel_km is not None and base.travel_km is not None
    assert per_km == pytest.approx(-1.0 / (variant.travel_km - base.travel_km))
    text = terminal_table(comparison, "en")
    assert _line(text, "  teams with a route").split()[-2:] == ["3", "(+1)"]
    assert _line(text, "  per extra team-day used").split()[-1] == "-1.00"
    # nothing to divide by when the resource did not change
    assert MARGINALS[0].value(base, base) is None


def test_compare_csv_has_the_blocks_warnings_and_marginals(
    old_and_new: tuple[Path, Path],
) -> None:
    rows = comparison_rows(compare_plans(old_and_new))
    found = {(r["plan"], r["metric"]): r for r in rows if r["level"] == "plan"}
    new = found[("new", "history.new_participants_month")]
    assert (new["value"], new["baseline"], new["difference"]) == ("55763", "", "")
    assert found[("old", "history.new_participants_month")]["value"] == ""
    assert found[("new", "history.warning:new_participants_implausible")]["value"] == "1"
    assert found[("old", "history.warning:new_participants_implausible")]["value"] == ""
    assert found[("new", "realism.share_outside_territory")]["value"] == "0.0497"
    assert found[("new", "capacity.spare_because_territory_exhausted")]["value"] == "13"
    assert found[("new", "marginal.enrolments_per_team_day")]["value"] == "-1"
    assert ("old", "marginal.enrolments_per_team_day") not in found
    assert found[("new", "teams")]["difference"] == "1"


def test_two_old_plans_compare_without_the_blocks(tmp_path: Path) -> None:
    old = write_plan_folder(tmp_path / "a", baseline_plan())
    older = write_plan_folder(tmp_path / "b", variant_plan())
    comparison = compare_plans([old, older])
    words = [row.words for row in side_by_side(comparison, "en")]
    assert not any("against the record" in w or w.startswith("capacity") for w in words)
    assert "  per extra team-day used" in words  # the marginals need no block
    assert not any("summary.json has no" in note for note in comparison.notes)
    text = terminal_table(comparison, "en")
    assert "realism" not in text


def test_the_page_shows_the_blocks_side_by_side(
    old_and_new: tuple[Path, Path], tmp_path: Path
) -> None:
    out = write_comparison(compare_plans(old_and_new), tmp_path / "compare", lang="en")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<tr class='h'><td class='t' colspan='3'>against the record" in page
    assert "<td class='warn'>implausible (&gt;1.5x best month)</td>" in page
    assert "capacity (team-days)" in page and "per extra team-day used" in page
    assert "<td>—</td><td>55,763</td>" in page
    # compare.csv beside it holds the same figures
    csv_rows = list(
        csv.DictReader(io.StringIO((out / "compare.csv").read_text(encoding="utf-8-sig")))
    )
    assert any(r["metric"] == "capacity.team_days_idle" and r["value"] == "4" for r in csv_rows)
    assert "summary.json has no" in (out / "notes.txt").read_text(encoding="utf-8")


def test_the_blocks_planner_history_writes_are_read_whole(tmp_path: Path) -> None:
    """Every figure read here is one planner/history.py writes (no key renamed silently)."""
    from dataclasses import astuple

    from planner.history import (
        capacity_block,
        history_block,
        load_records,
        predicted_figures,
        realism_block,
    )

    the_plan = variant_plan()
    records = load_records()
    held = predicted_figures(the_plan, days=7, national_target_people=20_000_000)
    blocks = {
        "history": history_block(held, records),
        "realism": realism_block(the_plan, held, records, teams=3),
        "capacity": capacity_block(the_plan),
    }
    folder = write_plan_folder(tmp_path / "p", the_plan, extra_summary=blocks)
    figures = load_plan_outputs(folder).figures
    for block in (figures.history, figures.realism, figures.capacity):
        assert block is not None
        assert all(value is not None for value in astuple(block)), block


def test_the_blocks_in_vietnamese(old_and_new: tuple[Path, Path], tmp_path: Path) -> None:
    comparison = compare_plans(old_and_new)
    text = terminal_table(comparison)
    assert "so với lịch sử (kế hoạch quy ra một tháng toàn quốc):" in text
    assert _line(text, "  người tham gia mới một tháng").split()[-2:] == ["—", "55.763"]
    assert _line(text, "  kế hoạch / tháng cao nhất").split()[-2:] == ["—", "1,70"]
    assert _line(text, "  cảnh báo").endswith("! khó tin (>1,5 lần tháng cao nhất)")
    assert _line(text, "  điểm dừng ngoài địa bàn của đội").split()[-2:] == ["—", "5,0%"]
    assert _line(text, "  mỗi ngày-đội tăng thêm").split()[-1] == "-1,00"
    out = write_comparison(comparison, tmp_path / "compare")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<td class='warn'>khó tin (&gt;1,5 lần tháng cao nhất)</td>" in page
    assert "<td>—</td><td>55.763</td>" in page and "năng lực (ngày-đội)" in page
    assert "summary.json không có khối" in (out / "notes.txt").read_text(encoding="utf-8")


def test_a_plan_shorter_than_a_month_shows_its_own_days(tmp_path: Path) -> None:
    """The figure the warnings hold for a plan shorter than a month (planner/history.py) is
    a row of the comparison; a month's plan leaves it blank."""
    from planner.compare.diff import SECTIONS
    from planner.history import history_block, load_records, predicted_figures

    history = next(s for s in SECTIONS if s.name == "history")
    own = next(m for m in history.metrics if m.name == "history.new_participants_plan_days")
    ratio = next(m for m in history.metrics if m.name == "history.plan_days_vs_best_month")
    the_plan = variant_plan()
    for days, shown in ((7, True), (30, False)):
        held = predicted_figures(the_plan, days=days, national_target_people=20_000_000)
        block = {"history": history_block(held, load_records())}
        folder = write_plan_folder(tmp_path / f"p{days}", the_plan, extra_summary=block)
        figures = load_plan_outputs(folder).figures
        assert figures.history is not None
        if shown:
            assert own.read(figures) == block["history"]["plan_days_national_new_participants"]
            assert ratio.read(figures) == pytest.approx(
                block["history"]["ratios"]["plan_days_new_participants_vs_best_month"]
            )
        else:
            assert own.read(figures) is None and ratio.read(figures) is None
