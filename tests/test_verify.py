"""`planner check`: the demo plan keeps every rule, and a copy broken by hand is caught.

The demo is planned once (module fixture); each test copies the plan folder, edits its CSV
or JSON files the way a person with a spreadsheet would, and runs `planner check` on it
through the command line's entry point.
"""

from __future__ import annotations

import csv
import itertools
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.cli import main
from planner.rules.checks import Violation
from planner.verify import check_outputs, describe

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenarios" / "demo.toml"

Row = dict[str, str]


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("check") / "demo"
    argv = ["run", str(DEMO), "--time-limit", "3", "--out", str(out), "--quiet"]
    assert main(argv) == 0
    return out


@pytest.fixture
def plan(demo_plan: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo plan, to break."""
    copy = tmp_path / "demo"
    shutil.copytree(demo_plan, copy)
    return copy


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[Row]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as f:
        columns = next(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit(path: Path, change: Callable[[list[Row]], None]) -> None:
    rows = read_rows(path)
    change(rows)
    write_rows(path, rows)


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def clock(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def check(out: Path, capsys: pytest.CaptureFixture[str], lang: str = "en") -> tuple[int, str, str]:
    """`planner check OUT --lang en` (English: the words these tests look for)."""
    code = main(["check", str(out), "--lang", lang])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_caught(out: Path, capsys: pytest.CaptureFixture[str], rule: str, *words: str) -> str:
    """`planner check` exits 1 and prints a line naming `rule` (and `words`), then a count."""
    code, stdout, err = check(out, capsys)
    assert code == 1, stdout + err
    assert err == ""
    lines = stdout.splitlines()
    hits = [line for line in lines if line.startswith(f"{rule}: ")]
    assert hits, stdout
    assert any(all(w in line for w in words) for line in hits), hits
    assert lines[-1].startswith(f"{out}: ") and "rule violation" in lines[-1]
    return stdout


def assert_error(out: Path, capsys: pytest.CaptureFixture[str], *words: str) -> str:
    """`planner check` exits 2 with one line on stderr naming `words`."""
    code, stdout, err = check(out, capsys)
    assert code == 2 and stdout == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("planner: error: "), err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def team_day(rows: list[Row], team: str, date: str) -> list[Row]:
    return [r for r in rows if r["team_id"] == team and r["date"] == date]


# --- the demo plan as written ------------------------------------------------------------


def test_demo_plan_keeps_every_rule(demo_plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, err = check(demo_plan, capsys)

    summary = json.loads((demo_plan / "summary.json").read_text(encoding="utf-8"))
    stops = summary["passes"] + summary["conferences"]
    assert (code, err) == (0, "")
    assert stdout == (
        f"{demo_plan}: plan keeps every rule ({summary['team_days']} team-days, "
        f"{stops} stops checked)\n"
    )
    code, stdout, err = check(demo_plan, capsys, lang="vi")
    assert (code, err) == (0, "")
    assert stdout == (
        f"{demo_plan}: kế hoạch tuân thủ mọi quy định (đã kiểm tra {summary['team_days']} "
        f"ngày-đội, {stops} điểm dừng)\n"
    )
    assert check_outputs(demo_plan) == []


# --- one rule broken by hand per test ----------------------------------------------------


def test_stop_moved_into_the_lunch_break(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    routes = read_rows(plan / "routes.csv")
    schedule = read_rows(plan / "schedule.csv")
    # the first stop after lunch of some team-day, moved to 15 minutes into the break
    for route in routes:
        lunch = minutes(route["lunch_start"])
        after = [
            s
            for s in team_day(schedule, route["team_id"], route["date"])
            if s["kind"] == "pass" and minutes(s["start"]) >= lunch + int(route["lunch_minutes"])
        ]
        if after:
            stop = after[0]
            break
    length = minutes(stop["end"]) - minutes(stop["start"])
    stop["arrival"] = stop["start"] = clock(lunch + 15)
    stop["end"] = clock(lunch + 15 + length)
    write_rows(plan / "schedule.csv", schedule)

    assert_caught(plan, capsys, "lunch_break", stop["commune_name"], "overlaps lunch")
    # in Vietnamese (the default): the rule in words, its code beside it, the count
    code, stdout, err = check(plan, capsys, lang="vi")
    lines = stdout.splitlines()
    assert code == 1 and err == ""
    hits = [line for line in lines if line.startswith("Nghỉ trưa (lunch_break): đội ")]
    assert any(stop["commune_name"] in h and "trùng giờ nghỉ trưa" in h for h in hits), stdout
    assert lines[-1].startswith(f"{plan}: ") and "vi phạm quy định" in lines[-1]
    assert "team" not in stdout.replace("team_", "") and "overlaps" not in stdout


def test_return_after_working_hours(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def late(rows: list[Row]) -> None:
        rows[0]["return"] = "17:45"

    edit(plan / "routes.csv", late)

    assert_caught(plan, capsys, "working_hours", "17:45", "hours 07:30-17:00")


def test_arrival_faster_than_the_drive(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schedule = read_rows(plan / "schedule.csv")
    previous, stop = next(
        (a, b)
        for a, b in itertools.pairwise(schedule)
        if (a["team_id"], a["date"]) == (b["team_id"], b["date"])
        and b["kind"] == "pass"
        and int(b["minutes_from_previous"]) >= 5
    )
    stop["arrival"] = previous["end"]  # as if the drive took no time
    write_rows(plan / "schedule.csv", schedule)

    assert_caught(plan, capsys, "travel_time", f"arrives at {stop['commune_name']}")


def test_pass_in_the_isolated_commune(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The demo isolates Xã Phật Tích (09349) from 26 to 28 May 2020.
    def into_phat_tich(rows: list[Row]) -> None:
        stop = next(
            r for r in rows if "2020-05-26" <= r["date"] <= "2020-05-28" and r["kind"] == "pass"
        )
        stop.update(commune_code="09349", commune_name="Xã Phật Tích", group_code="260")

    edit(plan / "schedule.csv", into_phat_tich)

    assert_caught(plan, capsys, "isolation", "enters Xã Phật Tích", "isolated that day")


def test_conference_above_cap_and_hall_seats(
    plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def crowd(rows: list[Row]) -> None:
        conference = next(r for r in rows if r["kind"] == "conference")
        conference["invited"] = "5000"

    edit(plan / "schedule.csv", crowd)

    assert_caught(plan, capsys, "conference_cap", "5000 invited", "hall seats")


def test_two_passes_closer_than_min_days_between(
    plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def repeat_next_day(rows: list[Row]) -> None:
        first = next(r for r in rows if r["date"] == "2020-05-25" and r["kind"] == "pass")
        other = next(
            r
            for r in rows
            if r["date"] == "2020-05-26"
            and r["kind"] == "pass"
            and r["team_id"] != first["team_id"]
        )
        for key in ("commune_code", "commune_name", "group_code", "group_name", "lat", "lon"):
            other[key] = first[key]

    edit(plan / "schedule.csv", repeat_next_day)

    assert_caught(plan, capsys, "spacing", "2020-05-25 and 2020-05-26", "at least 3 days apart")


def test_conference_outside_every_slot(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def late_morning(rows: list[Row]) -> None:
        conference = next(r for r in rows if r["kind"] == "conference")
        conference.update(arrival="10:30", start="10:45", end="12:15")

    edit(plan / "schedule.csv", late_morning)

    assert_caught(plan, capsys, "conference_slot", "starts 10:45, outside every slot")


def test_team_working_on_a_sunday(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The demo's teams work Monday to Saturday; 24 May 2020 is a Sunday.
    routes = read_rows(plan / "routes.csv")
    monday = next(r for r in routes if r["date"] == "2020-05-25")
    team = monday["team_id"]
    monday["date"] = "2020-05-24"
    write_rows(plan / "routes.csv", routes)

    def to_sunday(rows: list[Row]) -> None:
        for row in team_day(rows, team, "2020-05-25"):
            row["date"] = "2020-05-24"

    edit(plan / "schedule.csv", to_sunday)

    assert_caught(plan, capsys, "team_days", f"team {team} on 2020-05-24", "does not work")


def test_route_of_an_unknown_team(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    routes = read_rows(plan / "routes.csv")
    team, date = routes[0]["team_id"], routes[0]["date"]
    routes[0]["team_id"] = "27-999-1"
    write_rows(plan / "routes.csv", routes)

    def rename(rows: list[Row]) -> None:
        for row in team_day(rows, team, date):
            row["team_id"] = "27-999-1"

    edit(plan / "schedule.csv", rename)

    assert_caught(plan, capsys, "team_days", "team 27-999-1", "no such team in the scenario")


def test_route_from_another_base(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def move_base(rows: list[Row]) -> None:
        rows[0]["base_venue_id"] = "PO-D-999"

    edit(plan / "routes.csv", move_base)

    assert_caught(plan, capsys, "team_base", "leaves from PO-D-999")


# --- the figures -------------------------------------------------------------------------


def test_summary_reach_must_add_up(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = plan / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary["expected_reach"] += 100
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")

    stdout = assert_caught(plan, capsys, "figures", "summary.json: expected_reach")
    assert "province 27" not in stdout  # the province's own figure was left as it was


def test_pass_reach_follows_the_repeat_rule(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def inflate(rows: list[Row]) -> None:
        second = next(r for r in rows if r["kind"] == "pass" and r["pass_number"] == "2")
        second["people_reached"] = f"{2 * float(second['people_reached']):.1f}"

    edit(plan / "schedule.csv", inflate)

    # 0.05 x 0.5^(2-1): the demo's reach_share and repeat_value
    assert_caught(plan, capsys, "figures", "pass 2 in", "x 0.05 x 0.5^1")


def test_attendance_is_invited_times_show_up(
    plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def everyone_comes(rows: list[Row]) -> None:
        conference = next(r for r in rows if r["kind"] == "conference")
        conference["expected_attendance"] = f"{float(conference['invited']):.1f}"

    edit(plan / "schedule.csv", everyone_comes)

    assert_caught(plan, capsys, "figures", "invited x show-up 0.7")


def test_served_commune_listed_as_unserved(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stop = next(r for r in read_rows(plan / "schedule.csv") if r["kind"] == "pass")
    with (plan / "unserved.csv").open("a", encoding="utf-8", newline="") as f:
        f.write(f"27,commune,{stop['commune_code']},x,{stop['group_code']},no_time_left,x,1.0,5\n")

    assert_caught(plan, capsys, "unserved", stop["commune_code"], "listed in unserved.csv")


def test_describe_names_no_team_for_plan_wide_problems() -> None:
    assert describe(Violation("figures", "", "", "summary.json: passes is 3")) == (
        "figures: summary.json: passes is 3"
    )
    assert describe(Violation("spacing", "27-256-1", "2020-05-25", "too close")) == (
        "spacing: team 27-256-1 on 2020-05-25: too close"
    )


# --- files that cannot be checked: one line, exit 2 --------------------------------------


def test_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_error(tmp_path / "nowhere", capsys, "nowhere", "no such folder")
    assert main(["check", str(tmp_path / "nowhere"), "--lang", "vi"]) == 2
    assert capsys.readouterr().err == (
        f"planner: lỗi: {tmp_path / 'nowhere'}: không có thư mục này; cần một thư mục kế hoạch "
        "do `planner run` ghi (outputs/<tên>)\n"
    )


def test_folder_that_is_not_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_error(tmp_path, capsys, "summary.json", "file not found")


def test_missing_routes_file(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (plan / "routes.csv").unlink()
    assert_error(plan, capsys, "routes.csv", "file not found")


def test_summary_that_is_not_json(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (plan / "summary.json").write_text("{ not json", encoding="utf-8")
    assert_error(plan, capsys, "summary.json", "not valid JSON at line 1")


def test_summary_without_scenario_hash(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = plan / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    del summary["scenario_hash"]
    path.write_text(json.dumps(summary), encoding="utf-8")
    assert_error(plan, capsys, "summary.json", "field 'scenario_hash'", "is missing")


def test_bad_time_names_file_row_and_field(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def garble(rows: list[Row]) -> None:
        rows[2]["start"] = "25:99"

    edit(plan / "schedule.csv", garble)
    assert_error(plan, capsys, "schedule.csv, row 3, field 'start'", "'25:99'")


def test_missing_column(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = plan / "routes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("lunch_start", "lunch")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_error(plan, capsys, "routes.csv", "missing column lunch_start")


def test_latin1_schedule(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = plan / "schedule.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    assert_error(plan, capsys, "schedule.csv", "not UTF-8")


def test_stop_of_a_team_day_not_in_routes(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def orphan(rows: list[Row]) -> None:
        rows[0]["date"] = "2020-05-24"

    edit(plan / "schedule.csv", orphan)
    assert_error(plan, capsys, "schedule.csv, row 1, field 'team_id'", "not in routes.csv")


def test_changed_scenario_is_refused(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = tmp_path / "demo.toml"
    text = DEMO.read_text(encoding="utf-8")
    changed.write_text(text.replace("reach_share = 0.05", "reach_share = 0.06"), encoding="utf-8")
    path = plan / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary["scenario_file"] = str(changed)
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")

    assert_error(plan, capsys, str(changed), "the scenario changed since the plan")
    # the original file, given by hand, is accepted
    assert main(["check", str(plan), "--scenario", str(DEMO)]) == 0


def test_scenario_file_that_moved(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = plan / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary["scenario_file"] = "scenarios/moved-away.toml"
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")

    assert_error(plan, capsys, "summary.json, field 'scenario_file'", "--scenario")


def test_check_from_another_folder_finds_the_plans_own_scenario(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decoy scenarios/demo.toml in the current folder is not the plan's scenario."""
    decoy = tmp_path / "elsewhere" / "scenarios"
    decoy.mkdir(parents=True)
    (decoy / "demo.toml").write_text(
        DEMO.read_text(encoding="utf-8").replace("max_passes = 3", "max_passes = 1"),
        encoding="utf-8",
    )
    monkeypatch.chdir(decoy.parent)
    code, stdout, err = check(plan, capsys)
    assert (code, err) == (0, ""), stdout


def test_check_loads_neither_the_solver_nor_the_exporters() -> None:
    """`planner check` is independent of the solver: reading and checking a plan imports
    neither OR-Tools nor folium (planner/inputs.py holds what it needs of a run's inputs)."""
    import subprocess
    import sys

    code = (
        "import sys, planner.verify; "
        "print('ortools' in sys.modules, 'folium' in sys.modules, 'planner.solve' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]
