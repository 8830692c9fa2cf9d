"""`planner explain`: what a plan does for a commune or a district, in full sentences.

One short variant of the demo is planned once: a single day (26 May 2020), Xã Phật Tích
(09349) isolated, Huyện Lương Tài (264) under Directive 16 (no passes, no conferences), and
two conferences required per district, which one day cannot give. So the plan has communes
served, isolated, forbidden and left for lack of time, and minimums met and not met.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from planner.cli import main
from planner.errors import PlannerError
from planner.explain import explain

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenarios" / "demo.toml"

VARIANT = f"""
extends = "{DEMO.as_posix()}"
name = "demo-one-day"

[campaign]
start = 2020-05-26
end = 2020-05-26

[fairness]
min_passes_per_group = 1
min_conferences_per_group = 2

[[covid.timeline]]
level = "isolated"
start = 2020-05-26
end = 2020-05-28
scope = "commune"
codes = ["09349"]

[[covid.timeline]]
level = "d16"
start = 2020-05-26
end = 2020-05-26
scope = "group"
codes = ["264"]
"""


@pytest.fixture(scope="module")
def one_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("explain")
    scenario = folder / "one-day.toml"
    scenario.write_text(VARIANT, encoding="utf-8")
    out = folder / "plan"
    assert main(["run", str(scenario), "--time-limit", "1", "--out", str(out), "--quiet"]) == 0
    return out


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_served_commune_lists_its_passes(one_day: Path) -> None:
    schedule = rows(one_day / "schedule.csv")
    stop = next(r for r in schedule if r["kind"] == "pass")

    text = explain(one_day, stop["commune_code"])

    lines = text.splitlines()
    assert lines[0].startswith(
        f"Commune {stop['commune_code']} {stop['commune_name']} ({stop['group_name']}, "
        "Tỉnh Bắc Ninh) gets 1 propaganda pass"
    )
    assert (
        f"- Tuesday 26 May 2020: pass 1 by team {stop['team_id']} (motorbike), "
        f"{stop['start']}-{stop['end']}, stop {stop['stop']} of the day; about "
        f"{float(stop['people_reached']):,.0f} people reached"
    ) in text


def test_conference_is_described_with_its_figures(one_day: Path) -> None:
    conference = next(r for r in rows(one_day / "schedule.csv") if r["kind"] == "conference")

    text = explain(one_day, conference["commune_code"])

    assert (
        f"conference at {conference['venue_name']} ({conference['venue_id']}) by team "
        f"{conference['team_id']}, {conference['start']}-{conference['end']}"
    ) in text
    assert f"{conference['invited']} invited" in text
    assert "gathering cap none" in text  # the demo's May 2020 rules have no numeric cap


def test_isolated_commune_says_on_which_days(one_day: Path) -> None:
    assert explain(one_day, "09349") == (
        "Commune 09349 Xã Phật Tích (Huyện Tiên Du, Tỉnh Bắc Ninh) gets no propaganda pass: "
        "it is isolated on every campaign day (on 26 May 2020, level 'isolated'), so no team "
        "may enter it."
    )


def test_forbidden_commune_names_the_rule(one_day: Path) -> None:
    assert explain(one_day, "09496").endswith(
        "gets no propaganda pass: the rules in force forbid passes on every campaign day: "
        "level 'd16' (passes_allowed = false) on 26 May 2020."
    )


def test_no_time_left_gives_the_value_and_the_minutes(one_day: Path) -> None:
    left = next(r for r in rows(one_day / "unserved.csv") if r["reason"] == "no_time_left")

    text = explain(one_day, left["code"])

    assert "every team that can reach it is fully booked on the days it is open" in text
    assert f"added {float(left['value_lost']):,.0f} to the plan's value" in text
    assert f"need {left['insertion_minutes']} more minutes in the cheapest team-day" in text


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("boat_only", "reachable only by boat, and the scenario allows no boat"),
        ("too_far", "no team base is close enough for a day trip"),
        ("no_team", "no team that could reach it works on a day the rules allow a pass"),
        ("something_new", "(reason 'something_new')"),
    ],
)
def test_every_reason_is_a_sentence(one_day: Path, tmp_path: Path, reason: str, words: str) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(one_day, plan)
    table = rows(plan / "unserved.csv")
    left = next(r for r in table if r["reason"] == "no_time_left")
    left["reason"] = reason
    with (plan / "unserved.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)

    assert words in explain(plan, left["code"])


def test_district_minimums_met_and_not_met(one_day: Path) -> None:
    text = explain(one_day, "260")

    assert text.startswith("District 260 Huyện Tiên Du (Tỉnh Bắc Ninh): ")
    assert "Minimum of 1 propaganda pass per district: met (" in text
    assert "Minimum of 2 conferences per district: not met (" in text
    assert "Communes with no pass: " in text and "09349 Xã Phật Tích" in text


def test_district_under_a_stricter_rule(one_day: Path) -> None:
    text = explain(one_day, "264")

    assert (
        "Minimum of 1 propaganda pass per district: not met (0 planned); why: forbidden by the "
        "rules in force."
    ) in text


def test_province(one_day: Path) -> None:
    text = explain(one_day, "27")

    # Lương Tài (264) is under Directive 16 that day: its team, kept to its own district, stays home.
    assert text.startswith("Province 27 Tỉnh Bắc Ninh: 7 team-days, ")
    assert "Minimums not met: " in text


def test_in_vietnamese(one_day: Path) -> None:
    assert explain(one_day, "09349", lang="vi") == (
        "Xã/phường 09349 Xã Phật Tích (Huyện Tiên Du, Tỉnh Bắc Ninh) không được tuyên truyền "
        "lưu động lượt nào: xã/phường bị cách ly trong mọi ngày của chiến dịch (ngày "
        "26/05/2020, mức 'isolated'), không đội nào được vào."
    )
    assert "Mức tối thiểu 2 hội nghị mỗi huyện: không đạt" in explain(one_day, "260", lang="vi")


def test_cli_prints_the_explanation(one_day: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(one_day), "09349"]) == 0  # Vietnamese first
    assert capsys.readouterr().out == explain(one_day, "09349", lang="vi") + "\n"


def test_unknown_code_is_one_line(one_day: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(one_day), "99999"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"planner: error: {one_day}: no commune, district or province has code '99999' in this "
        "plan; expected a code from schedule.csv or unserved.csv (e.g. a 5-digit commune code)\n"
    )


def test_unknown_language(one_day: Path) -> None:
    with pytest.raises(PlannerError, match="unknown language 'fr'"):
        explain(one_day, "09349", lang="fr")


def test_not_a_plan_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(tmp_path), "09349"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: error: ") and "summary.json: file not found" in err
    assert err.count("\n") == 1
