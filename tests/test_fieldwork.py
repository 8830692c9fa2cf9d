"""`planner.fieldwork`: reports matched to the plan, counted, and written as a page and CSVs.

The plan is the exporters' hand-made one (tests/export/conftest.py: two teams, two days,
seven stops), written as `planner run` writes a plan folder; the reports are in
tests/data/fieldwork/: one as a team pack sends it (Vietnamese headers, UTF-8 with BOM), one
typed by hand (English headers, semicolons, a code that lost its leading zero, a day-first
date), one correction with an older time stamp, and one naming a stop the plan does not have.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from planner.errors import DataError
from planner.export.tables import (
    summary,
    write_routes_csv,
    write_schedule_csv,
    write_summary,
    write_unserved_csv,
)
from planner.export.teampack import _CSV_COLUMNS
from planner.fieldwork import (
    compute_progress,
    main_progress,
    progress,
    progress_lines,
    skip_reason_code,
)
from planner.output_folder import MANIFEST, OutputFolderError
from planner.reports import read_reports
from planner.verify import read_plan
from tests.export.conftest import XSS_NAME, make_plan

DATA = Path(__file__).resolve().parent / "data" / "fieldwork"
PACK = DATA / "report-27-256-1.csv"
TYPED = DATA / "report-27-258-1-semicolon.csv"
CORRECTION = DATA / "report-27-256-1-correction.csv"
NOT_IN_PLAN = DATA / "report-not-in-plan.csv"
REPORTS = [PACK, TYPED, CORRECTION]
AS_OF = dt.date(2020, 5, 26)  # both planned days (23 and 25 May) are due


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    plan = make_plan()
    out = tmp_path / "plan"
    out.mkdir()
    provenance = {"scenario_file": "test.toml", "scenario_hash": "x", "data_version": "test"}
    write_summary(summary(plan, provenance=provenance, solve_seconds=1.0), out / "summary.json")
    write_schedule_csv(plan, out / "schedule.csv")
    write_routes_csv(plan, out / "routes.csv")
    write_unserved_csv(plan, out / "unserved.csv")
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _counts(row: dict[str, str]) -> tuple[int, ...]:
    names = ("planned_stops", "due_stops", "done", "skipped", "not_in_report", "not_reported")
    return tuple(int(row[n]) for n in names)


def test_the_pack_fixture_has_the_pack_headers() -> None:
    with PACK.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert header == [headers["vi"] for _, headers in _CSV_COLUMNS]


def test_counts_on_hand_made_reports(plan_dir: Path) -> None:
    result = progress(plan_dir, REPORTS, as_of=AS_OF)
    out = plan_dir / "progress"
    assert result.out_dir == out
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["kind"] == "progress"

    # 27-256-1: 23/5 09001 done, 09002 skipped (the correction is older: the pack's row
    # wins), 25/5 09001 not in its report, the conference done; 27-258-1: 23/5 09004 done,
    # 09005 not in its report, 25/5 nothing reported
    total = result.total()
    assert (total.planned, total.due, total.done, total.skipped) == (7, 7, 3, 1)
    assert (total.not_in_report, total.not_reported) == (2, 1)
    assert (total.attendance_reported, total.sign_ups_reported) == (120, 20)
    assert total.attendance_expected == 150.0

    teams = {r["team_id"]: r for r in _rows(out / "by_team.csv")}
    assert _counts(teams["27-256-1"]) == (4, 4, 2, 1, 1, 0)
    assert _counts(teams["27-258-1"]) == (3, 3, 1, 0, 1, 1)
    assert teams["27-256-1"]["group_name"] == "Thành phố Bắc Ninh"
    assert teams["27-256-1"]["done_share"] == "0.5000"
    assert (teams["27-256-1"]["attendance_reported"], teams["27-256-1"]["sign_ups_reported"]) == (
        "120",
        "20",
    )
    districts = {r["group_code"]: r for r in _rows(out / "by_district.csv")}
    assert _counts(districts["256"]) == (4, 4, 2, 1, 1, 0)
    assert _counts(districts["258"]) == (3, 3, 1, 0, 1, 1)
    days = {r["date"]: r for r in _rows(out / "by_day.csv")}
    assert _counts(days["2020-05-23"]) == (4, 4, 2, 1, 1, 0)
    assert _counts(days["2020-05-25"]) == (3, 3, 1, 0, 1, 1)
    provinces = _rows(out / "by_province.csv")
    assert [(r["province_name"], _counts(r)) for r in provinces] == [
        ("Bắc Ninh", (7, 7, 3, 1, 2, 1))
    ]

    missed = _rows(out / "missed.csv")
    assert [
        (r["group_name"], r["team_id"], r["date"], r["commune_code"], r["status"]) for r in missed
    ] == [
        ("Huyện Yên Phong", "27-258-1", "2020-05-23", "09005", "not_in_report"),
        ("Thành phố Bắc Ninh", "27-256-1", "2020-05-23", "09002", "skipped"),
        ("Thành phố Bắc Ninh", "27-256-1", "2020-05-25", "09001", "not_in_report"),
    ]
    skipped = missed[1]
    assert (skipped["skip_reason"], skipped["note"]) == ("Thời tiết", "Mưa to, đường ngập")
    assert skipped["reported_in"] == f"{PACK}, row 2"
    assert skipped["lat"] and skipped["lon"]

    assert _rows(out / "not_reported.csv") == [
        {
            "province_code": "27",
            "team_id": "27-258-1",
            "group_code": "258",
            "group_name": "Huyện Yên Phong",
            "date": "2020-05-25",
            "stops": "1",
        }
    ]

    # the same stop twice: the later time stamp wins, whatever the file order
    assert len(result.overrides) == 1
    override = result.overrides[0]
    assert override.by == "time stamp" and override.kept.source.path == PACK

    page = (out / "index.html").read_text(encoding="utf-8")
    for words in (
        "Tiến độ thực hiện",
        "Theo huyện",
        "Theo đội",
        "Theo ngày",
        "Các đội chưa báo cáo",
    ):
        assert words in page
    assert "Thời tiết" in page and "giữ báo cáo sau cùng" in page
    assert XSS_NAME not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()  # no script at all: opens anywhere, offline

    lines = progress_lines(result)
    assert lines[0].startswith("report: team 27-256-1, 2020-05-23, pass at 09002")
    assert lines[-1].startswith(
        "test: 3 of 7 stops due done (43%), 1 skipped, 2 not in the reports"
    )
    assert lines[-1].endswith(f"-> {out / 'index.html'}")


def test_later_days_are_not_due_yet(plan_dir: Path) -> None:
    result = compute_progress(
        read_plan(plan_dir), read_reports(REPORTS), as_of=dt.date(2020, 5, 24)
    )
    total = result.total()
    # 25 May is not due: its unreported stops are upcoming, its reported conference is done
    assert (total.planned, total.due, total.done, total.skipped) == (7, 5, 3, 1)
    assert (total.not_in_report, total.not_reported, result.count("upcoming")) == (1, 0, 2)
    assert result.not_reported == []


def test_english_page(plan_dir: Path, tmp_path: Path) -> None:
    progress(plan_dir, REPORTS, tmp_path / "en", lang="en", as_of=AS_OF)
    page = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert "Fieldwork progress" in page and "Teams that have not reported" in page
    assert "Weather" in page  # the pack's Vietnamese reason, shown in English


def test_a_stop_not_in_the_plan_is_one_error_and_nothing_is_written(plan_dir: Path) -> None:
    with pytest.raises(DataError) as caught:
        progress(plan_dir, [PACK, NOT_IN_PLAN], as_of=AS_OF)
    message = str(caught.value)
    assert message.startswith(
        f"{NOT_IN_PLAN}, row 2, field 'commune_code': no pass of team 27-258-1"
    )
    assert "09006" in message and "\n" not in message
    assert not (plan_dir / "progress").exists()


def test_a_team_not_in_the_plan(plan_dir: Path, tmp_path: Path) -> None:
    report = tmp_path / "other.csv"
    report.write_text("team_id,date,kind,commune_code,done\nX-1,2020-05-23,pass,09001,1\n")
    with pytest.raises(DataError, match=r"other\.csv, row 1, field 'team_id': team 'X-1'"):
        progress(plan_dir, [report])


def test_never_replaces_a_folder_of_other_files(plan_dir: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(OutputFolderError):
        progress(plan_dir, REPORTS, mine, as_of=AS_OF)
    assert (mine / "notes.txt").read_text() == "keep me"
    # a progress folder is replaced by the next progress
    progress(plan_dir, [PACK], as_of=AS_OF)
    progress(plan_dir, REPORTS, as_of=AS_OF)
    assert len(_rows(plan_dir / "progress" / "missed.csv")) == 3


def test_command(
    plan_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_LANG", "en")  # the error line in English, word for word
    args = [str(plan_dir), "--reports", *map(str, REPORTS), "--as-of", "2020-05-26"]
    assert main_progress(args) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2 and "3 of 7 stops due done" in printed[1]
    assert main_progress([str(plan_dir), "--reports", str(NOT_IN_PLAN)]) == 2
    error = capsys.readouterr().err.splitlines()
    assert len(error) == 1 and error[0].startswith(f"planner: error: {NOT_IN_PLAN}, row 2")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Khu vực bị phong tỏa", "lockdown"),
        ("khu vuc bi phong toa", "lockdown"),
        ("Nobody there", "nobody"),
        ("Thời tiết", "weather"),
        ("XE HỎNG", "vehicle"),
        ("other", "other"),
        ("đường ngập", None),
        (None, None),
    ],
)
def test_skip_reasons(text: str | None, code: str | None) -> None:
    assert skip_reason_code(text) == code
