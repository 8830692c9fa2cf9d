"""`planner explain`: what a plan does for a commune, district or team, in full sentences.

One short variant of the demo is planned once: a single day (26 May 2020), Xã Phật Tích
(09349) isolated, Huyện Lương Tài (264) under Directive 16 (no passes, no conferences), and
two conferences required per district, which one day cannot give. So the plan has communes
served, isolated, forbidden and left for lack of time, and minimums met and not met.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from planner.cli import main
from planner.errors import PlannerError
from planner.explain import explain, territories_block

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenarios" / "demo.toml"

VARIANT = """
extends = "demo.toml"
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


def _without_launch(text: str) -> str:
    """The demo without its [launch] table (a launch day is not one of these days)."""
    kept, skipping = [], False
    for line in text.splitlines():
        if line.strip().startswith("["):
            skipping = line.strip() == "[launch]"
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\n"


@pytest.fixture(scope="module")
def one_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("explain")
    demo = DEMO.read_text(encoding="utf-8")
    (folder / "demo.toml").write_text(_without_launch(demo), encoding="utf-8")
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

    text = explain(one_day, stop["commune_code"], lang="en")

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

    text = explain(one_day, conference["commune_code"], lang="en")

    assert (
        f"conference at {conference['venue_name']} ({conference['venue_id']}) by team "
        f"{conference['team_id']}, {conference['start']}-{conference['end']}"
    ) in text
    assert f"{conference['invited']} invited" in text
    assert "gathering cap none" in text  # the demo's May 2020 rules have no numeric cap


def test_isolated_commune_says_on_which_days(one_day: Path) -> None:
    assert explain(one_day, "09349", lang="en") == (
        "Commune 09349 Xã Phật Tích (Huyện Tiên Du, Tỉnh Bắc Ninh) gets no propaganda pass: "
        "it is isolated on every campaign day (on 26 May 2020, level 'isolated'), so no team "
        "may enter it.\nIn the territory of team(s): 27-260-1."
    )


def test_forbidden_commune_names_the_rule(one_day: Path) -> None:
    assert explain(one_day, "09496", lang="en").endswith(
        "gets no propaganda pass: the rules in force forbid passes on every campaign day: "
        "level 'd16' (passes_allowed = false) on 26 May 2020.\n"
        "In the territory of team(s): 27-264-1."
    )


def test_no_time_left_gives_the_value_and_the_minutes(one_day: Path) -> None:
    left = next(r for r in rows(one_day / "unserved.csv") if r["reason"] == "no_time_left")

    text = explain(one_day, left["code"], lang="en")

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

    assert words in explain(plan, left["code"], lang="en")


def test_district_minimums_met_and_not_met(one_day: Path) -> None:
    text = explain(one_day, "260", lang="en")

    assert text.startswith("District 260 Huyện Tiên Du (Tỉnh Bắc Ninh): ")
    assert "Minimum of 1 propaganda pass per district: met (" in text
    assert "Minimum of 2 conferences per district: not met (" in text
    assert "Communes with no pass: " in text and "09349 Xã Phật Tích" in text


def test_district_under_a_stricter_rule(one_day: Path) -> None:
    text = explain(one_day, "264", lang="en")

    assert (
        "Minimum of 1 propaganda pass per district: not met (0 planned); why: forbidden by the "
        "rules in force."
    ) in text


def test_province(one_day: Path) -> None:
    text = explain(one_day, "27", lang="en")

    # Lương Tài (264) is under Directive 16 that day: its team, kept to its own district, stays home.
    assert text.startswith("Province 27 Tỉnh Bắc Ninh: 7 team-days, ")
    assert "Minimums not met: " in text


def test_in_vietnamese(one_day: Path) -> None:
    assert explain(one_day, "09349", lang="vi") == (
        "Xã/phường 09349 Xã Phật Tích (Huyện Tiên Du, Tỉnh Bắc Ninh) không được tuyên truyền "
        "lưu động lượt nào: xã/phường bị cách ly trong mọi ngày của chiến dịch (ngày "
        "26/05/2020, mức 'isolated'), không đội nào được vào.\n"
        "Thuộc địa bàn của đội: 27-260-1."
    )
    assert "Mức tối thiểu 2 hội nghị mỗi huyện: không đạt" in explain(one_day, "260", lang="vi")


def test_cli_prints_the_explanation(one_day: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(one_day), "09349"]) == 0  # Vietnamese first
    assert capsys.readouterr().out == explain(one_day, "09349", lang="vi") + "\n"


def test_unknown_code_is_one_line(
    one_day: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_LANG", "en")  # the error line in English, word for word
    assert main(["explain", str(one_day), "99999"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"planner: error: {one_day}: no commune, district, province or team has code '99999' "
        "in this plan; expected a code from schedule.csv or unserved.csv (e.g. a 5-digit "
        "commune code) or a team id\n"
    )


def test_unknown_language(one_day: Path) -> None:
    with pytest.raises(PlannerError, match="unknown language 'fr'"):
        explain(one_day, "09349", lang="fr")


def test_not_a_plan_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(tmp_path), "09349", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: error: ") and "summary.json: file not found" in err
    assert err.count("\n") == 1
    assert main(["explain", str(tmp_path), "09349"]) == 2  # Vietnamese first
    err = capsys.readouterr().err
    assert err.startswith("planner: lỗi: ") and "summary.json: không tìm thấy tệp" in err


# --- territories: the team's districts, and whether each stop lies in them -------------------


def test_vietnamese_is_the_default(one_day: Path) -> None:
    assert explain(one_day, "09349") == explain(one_day, "09349", lang="vi")
    assert explain(one_day, "09349").startswith("Xã/phường 09349 Xã Phật Tích")


def test_a_stop_says_it_is_in_its_team_territory(one_day: Path) -> None:
    stop = next(r for r in rows(one_day / "schedule.csv") if r["kind"] == "pass")
    team, group = stop["team_id"], stop["group_code"]

    text = explain(one_day, stop["commune_code"], lang="en")

    assert (
        "of the day; about" in text and "(rule level 'open'). Inside the team's territory." in text
    )
    assert f"Territory of team {team}: {stop['group_name']} ({group})." in text
    vi = explain(one_day, stop["commune_code"])
    assert "Trong địa bàn của đội." in vi
    assert f"Địa bàn của đội {team}: {stop['group_name']} ({group})." in vi


def test_a_team_is_explained_with_its_territory(one_day: Path) -> None:
    schedule = rows(one_day / "schedule.csv")
    stop = next(r for r in schedule if r["team_id"] == "27-256-1")
    mine = [r for r in schedule if r["team_id"] == "27-256-1"]

    text = explain(one_day, "27-256-1")

    driving = text.splitlines()[-1]
    assert driving.startswith("Lái xe (đường đi và lượt phát loa): nhiều nhất ")
    assert "(giới hạn 10h00)" in driving and "(giới hạn 4h00)" in driving
    assert text.splitlines()[:-1] == [
        f"Đội 27-256-1 (Tỉnh Bắc Ninh): 1 ngày có lộ trình, "
        f"{sum(r['kind'] == 'pass' for r in mine)} lượt tuyên truyền và "
        f"{sum(r['kind'] == 'conference' for r in mine)} hội nghị; tiếp cận khoảng "
        f"{text.split('tiếp cận khoảng ')[1].split(' người')[0]} người, dự kiến "
        f"{text.split('dự kiến ')[1].split(' người')[0]} người tham gia.",
        f"Địa bàn của đội: {stop['group_name']} (256).",
        "Mọi điểm dừng đều trong địa bàn của đội.",
    ]
    english = explain(one_day, "27-256-1", lang="en")
    assert "Territory: Thành phố Bắc Ninh (256)." in english
    assert "Every stop is inside the team's territory." in english
    assert "(limit 10h00)" in english.splitlines()[-1]


def test_a_district_names_the_teams_whose_territory_holds_it(one_day: Path) -> None:
    assert "In the territory of team(s): 27-256-1." in explain(one_day, "256", lang="en")
    assert "Thuộc địa bàn của đội: 27-256-1." in explain(one_day, "256")


def _with_territories(one_day: Path, tmp_path: Path, block: dict[str, object]) -> Path:
    plan = tmp_path / "plan"
    shutil.copytree(one_day, plan)
    summary = json.loads((plan / "summary.json").read_text(encoding="utf-8"))
    summary["territories"] = {"27": block}
    (plan / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    return plan


def test_territories_written_in_summary_json_are_used(one_day: Path, tmp_path: Path) -> None:
    """A team lent elsewhere (its territory here: district 258 only) stops outside it."""
    plan = _with_territories(
        one_day,
        tmp_path,
        {
            "27-256-1": {"home": "256", "groups": {"258": "Huyện Yên Phong"}},
            "27-258-1": {"home": "258", "groups": None},
        },
    )
    stop = next(r for r in rows(plan / "schedule.csv") if r["team_id"] == "27-256-1")

    commune = explain(plan, stop["commune_code"], lang="en")
    assert "OUTSIDE the team's territory." in commune
    assert "Territory of team 27-256-1: Huyện Yên Phong (258)." in commune
    team = explain(plan, "27-256-1", lang="en")
    assert "Territory: Huyện Yên Phong (258)." in team
    assert "Stops outside the team's territory: " in team and stop["commune_code"] in team
    assert "Địa bàn của đội: cả tỉnh." in explain(plan, "27-258-1")
    district = explain(plan, "256", lang="en")
    assert "In the territory of team(s): 27-258-1." in district  # the whole province
    assert "Stops outside the team's territory: " in district


def test_territories_block_of_a_problem() -> None:
    """What `planner run` would write as summary.json's `territories` for one province."""
    from types import SimpleNamespace

    from planner.domain import Group

    problem = SimpleNamespace(
        groups=(Group("256", "Thành phố Bắc Ninh", 1, 1, False, 1),),
        teams=(
            SimpleNamespace(team_id="27-256-1", group_code="256", territory=("256", "258")),
            SimpleNamespace(team_id="x", group_code="256", territory=None),
        ),
    )
    assert territories_block(problem) == {  # type: ignore[arg-type]
        "27-256-1": {"home": "256", "groups": {"256": "Thành phố Bắc Ninh", "258": "258"}},
        "x": {"home": "256", "groups": None},
    }
