"""Fieldwork progress: what the teams report against what the published plan asked.

`progress(plan_dir, report_paths)` reads the published plan (`planner.verify.read_plan`) and
the teams' reports (`planner.reports.read_reports`: the CSV a team pack sends, the workbook,
schedule.csv with a done column; several files, the latest report of a stop winning), matches
every reported stop to its planned stop, and writes `<plan_dir>/progress/` (or `out_dir`):

- `index.html`: one self-contained page (no script, no network) with planned against done by
  province, district, team and day; expected people reached and enrolments beside the
  attendance and sign-ups reported; the stops not done, by district, with the reason the team
  gave, for mop-up teams; the teams that have not reported; the stops reported twice and
  which report was kept;
- `by_province.csv`, `by_district.csv`, `by_team.csv`, `by_day.csv`: the same figures;
- `missed.csv`: the stops not done, with their place, point and reason;
- `not_reported.csv`: the team-days that are due and have no report at all.

Every CSV is UTF-8 with a byte order mark (for Excel), with English column names like the
plan's own CSVs. The folder is written aside and swapped in whole
(`planner.output_folder.write_folder`), and never replaces a folder of other files.

The status of a planned stop
----------------------------

A team-day is *due* when its date is before `as_of` (default: today). A planned stop is

- `done`: reported done (whatever its date);
- `skipped`: reported not done, with the team's reason;
- `not_in_report`: due, its team sent a report for that day, but this stop is not in it;
- `not_reported`: due, and its team sent nothing for that day;
- `upcoming`: not due and not reported.

The stops *not done* (missed) are the skipped ones and the ones missing from a day's report;
a team-day with no report at all is listed apart (not known to be missed). A reported stop
that is not in the plan (team, date, activity and place) is an error naming the file and
row, and nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner import __version__
from planner.errors import PlannerError
from planner.export.i18n import (
    Lang,
    check_lang,
    format_date,
    format_number,
    format_percent,
    format_short_date,
    group_word,
    kind_label,
)
from planner.messages import error_line, msg, resolve_lang
from planner.output_folder import Manifest, write_folder
from planner.plan import Stop, hhmm
from planner.reports import Override, ReportedStop, Reports, code_key, fold, read_reports

if TYPE_CHECKING:
    from planner.verify import WrittenPlan

__all__ = [
    "FieldProgress",
    "Figures",
    "PlannedStop",
    "StopProgress",
    "add_progress_arguments",
    "cmd_progress",
    "compute_progress",
    "main_progress",
    "progress",
    "progress_lines",
    "skip_reason_code",
]

# The heavy modules (the plan reader, Leaflet for pages) are imported where they are used, so
# that the command line can add `planner progress` to its parser without loading them.

SKIP_REASONS: tuple[tuple[str, dict[Lang, str]], ...] = (
    ("lockdown", {"vi": "Khu vực bị phong tỏa", "en": "Area locked down"}),
    ("nobody", {"vi": "Không có người", "en": "Nobody there"}),
    ("weather", {"vi": "Thời tiết", "en": "Weather"}),
    ("vehicle", {"vi": "Xe hỏng", "en": "Vehicle broke down"}),
    ("other", {"vi": "Khác", "en": "Other"}),
)
"""Why a stop was skipped: the code, and the words the team pack offers and writes in its
report (planner/export/teampack.py); `skip_reason_code` reads them back in either language."""

CSV_ENCODING = "utf-8-sig"
STATUSES = ("done", "skipped", "not_in_report", "not_reported", "upcoming")
MISSED = ("skipped", "not_in_report")


# --- the stops and their status -------------------------------------------------------------


@dataclass(frozen=True)
class PlannedStop:
    """A stop of the published plan, with its team-day and the team's home district."""

    province_code: str
    team_id: str
    date: dt.date
    number: int  # 1 = the day's first stop
    stop: Stop
    team_group_code: str
    team_group_name: str

    @property
    def place(self) -> str:
        return (
            (self.stop.venue_id or "") if self.stop.kind == "conference" else self.stop.commune_code
        )

    @property
    def key(self) -> tuple[str, dt.date, str, str]:
        """As `ReportedStop.key`: team, date, kind, place (a digit code by value)."""
        return (self.team_id, self.date, self.stop.kind, code_key(self.place))


@dataclass(frozen=True)
class StopProgress:
    planned: PlannedStop
    status: str  # one of STATUSES
    report: ReportedStop | None = None


@dataclass
class Figures:
    """Planned against done for a set of stops (a province, district, team, day, or all)."""

    planned: int = 0
    due: int = 0
    done: int = 0
    skipped: int = 0
    not_in_report: int = 0
    not_reported: int = 0
    passes_done: int = 0
    conferences_done: int = 0
    people_due: float = 0.0  # expected people reached at the stops due
    people_done: float = 0.0  # expected people reached at the stops done
    attendance_expected: float = 0.0  # expected attendance of the conferences done
    attendance_reported: int = 0
    enrolments_due: float = 0.0  # expected enrolments at the stops due
    enrolments_done: float = 0.0  # expected enrolments at the stops done
    sign_ups_reported: int = 0

    def add(self, entry: StopProgress) -> None:
        stop = entry.planned.stop
        self.planned += 1
        if entry.status == "upcoming":
            return
        self.due += 1
        self.people_due += stop.people_reached
        self.enrolments_due += stop.expected_enrolments
        if entry.status == "done":
            self.done += 1
            self.people_done += stop.people_reached
            self.enrolments_done += stop.expected_enrolments
            if stop.kind == "conference":
                self.conferences_done += 1
                self.attendance_expected += stop.expected_attendance or 0.0
            else:
                self.passes_done += 1
            report = entry.report
            if report is not None:
                self.attendance_reported += report.attendance or 0
                self.sign_ups_reported += report.sign_ups or 0
        elif entry.status == "skipped":
            self.skipped += 1
        elif entry.status == "not_in_report":
            self.not_in_report += 1
        else:
            self.not_reported += 1

    @property
    def done_share(self) -> float:
        return self.done / self.due if self.due else 0.0


FIGURE_COLUMNS = (
    "planned_stops",
    "due_stops",
    "done",
    "skipped",
    "not_in_report",
    "not_reported",
    "done_share",
    "passes_done",
    "conferences_done",
    "expected_people_due",
    "expected_people_done",
    "expected_attendance_done",
    "attendance_reported",
    "expected_enrolments_due",
    "expected_enrolments_done",
    "sign_ups_reported",
)


def _figure_row(f: Figures) -> dict[str, Any]:
    return {
        "planned_stops": f.planned,
        "due_stops": f.due,
        "done": f.done,
        "skipped": f.skipped,
        "not_in_report": f.not_in_report,
        "not_reported": f.not_reported,
        "done_share": f"{f.done_share:.4f}",
        "passes_done": f.passes_done,
        "conferences_done": f.conferences_done,
        "expected_people_due": f"{f.people_due:.1f}",
        "expected_people_done": f"{f.people_done:.1f}",
        "expected_attendance_done": f"{f.attendance_expected:.1f}",
        "attendance_reported": f.attendance_reported,
        "expected_enrolments_due": f"{f.enrolments_due:.2f}",
        "expected_enrolments_done": f"{f.enrolments_done:.2f}",
        "sign_ups_reported": f.sign_ups_reported,
    }


@dataclass(frozen=True)
class TeamDay:
    """A team-day due with no report at all."""

    province_code: str
    team_id: str
    group_code: str
    group_name: str
    date: dt.date
    stops: int


@dataclass(frozen=True)
class FieldProgress:
    """The published plan's stops with their status, and the reports they were read from."""

    plan_dir: Path
    scenario: str
    structure: str
    as_of: dt.date
    province_names: dict[str, str]
    stops: tuple[StopProgress, ...]
    reports: Reports
    out_dir: Path | None = field(default=None)

    def _grouped(self, key: Callable[[StopProgress], Any]) -> list[tuple[Any, Figures]]:
        groups: dict[Any, Figures] = {}
        for entry in self.stops:
            groups.setdefault(key(entry), Figures()).add(entry)
        return sorted(groups.items(), key=lambda item: item[0])

    def total(self) -> Figures:
        figures = Figures()
        for entry in self.stops:
            figures.add(entry)
        return figures

    def by_province(self) -> list[tuple[Any, Figures]]:
        return self._grouped(lambda e: (e.planned.province_code,))

    def by_district(self) -> list[tuple[Any, Figures]]:
        """By the district (cluster) the stop is in: (province, group code, group name)."""
        return self._grouped(
            lambda e: (
                e.planned.province_code,
                e.planned.stop.group_code,
                e.planned.stop.group_name,
            )
        )

    def by_team(self) -> list[tuple[Any, Figures]]:
        """(province, team, the team's home district code and name)."""
        return self._grouped(
            lambda e: (
                e.planned.province_code,
                e.planned.team_id,
                e.planned.team_group_code,
                e.planned.team_group_name,
            )
        )

    def by_day(self) -> list[tuple[Any, Figures]]:
        return self._grouped(lambda e: (e.planned.date,))

    def count(self, status: str) -> int:
        return sum(1 for e in self.stops if e.status == status)

    @property
    def missed(self) -> list[StopProgress]:
        """Stops not done (skipped, or missing from their day's report), by district."""
        found = [e for e in self.stops if e.status in MISSED]
        return sorted(
            found,
            key=lambda e: (
                e.planned.province_code,
                e.planned.stop.group_name,
                e.planned.stop.group_code,
                e.planned.date,
                e.planned.team_id,
                e.planned.number,
            ),
        )

    @property
    def not_reported(self) -> list[TeamDay]:
        """Team-days due with no report at all, by team and date."""
        days: dict[tuple[str, str, dt.date], list[StopProgress]] = {}
        for entry in self.stops:
            if entry.status == "not_reported":
                p = entry.planned
                days.setdefault((p.province_code, p.team_id, p.date), []).append(entry)
        return [
            TeamDay(
                province_code=province,
                team_id=team,
                group_code=entries[0].planned.team_group_code,
                group_name=entries[0].planned.team_group_name,
                date=date,
                stops=len(entries),
            )
            for (province, team, date), entries in sorted(days.items())
        ]

    @property
    def overrides(self) -> tuple[Override, ...]:
        return self.reports.overrides


# --- matching ------------------------------------------------------------------------------


def skip_reason_code(text: str | None) -> str | None:
    """The code of a reason the team pack offers ('lockdown', ...), from its words in either
    language or the code itself; None for another text (shown as the team wrote it)."""
    if not text:
        return None
    word = fold(text)
    for code, words in SKIP_REASONS:
        if word == code or word in {fold(w) for w in words.values()}:
            return code
    return None


def skip_reason_label(text: str | None, lang: Lang) -> str:
    code = skip_reason_code(text)
    if code is None:
        return text or ""
    return dict(SKIP_REASONS)[code][lang]


def _team_groups(written: WrittenPlan) -> dict[tuple[str, str], tuple[str, str]]:
    """(province, team) -> its home district: the one most of its stops are in."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    names: dict[str, str] = {}
    for code, routes in written.routes.items():
        for route in routes:
            counter = counts.setdefault((code, route.team_id), Counter())
            if route.team_group_code:
                counter[route.team_group_code] += 1000
            for stop in route.stops:
                counter[stop.group_code] += 1
                names.setdefault(stop.group_code, stop.group_name)
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for key, counter in counts.items():
        if not counter:
            out[key] = ("", "")
            continue
        group = min(counter, key=lambda g: (-counter[g], g))
        out[key] = (group, names.get(group, group))
    return out


def compute_progress(
    written: WrittenPlan, reports: Reports, *, as_of: dt.date | None = None
) -> FieldProgress:
    """Every planned stop with its status (module docstring). Raises DataError naming the
    file and row of the first reported stop that is not in the plan."""
    as_of = as_of or dt.date.today()
    groups = _team_groups(written)
    every: list[PlannedStop] = []
    team_provinces: dict[str, str] = {}
    for code, routes in written.routes.items():
        for route in sorted(routes, key=lambda r: (r.team_id, r.date)):
            team_provinces.setdefault(route.team_id, code)
            group = groups[(code, route.team_id)]
            for number, stop in enumerate(route.stops, start=1):
                every.append(PlannedStop(code, route.team_id, route.date, number, stop, *group))
    planned: dict[tuple[str, dt.date, str, str], PlannedStop] = {}
    for entry in every:
        planned.setdefault(entry.key, entry)
    schedule = written.out_dir / "schedule.csv"
    for report in reports.stops:
        source = report.source
        if report.team_id not in team_provinces:
            raise source.error(
                msg(
                    "fieldwork.team_not_in_plan",
                    team=repr(report.team_id),
                    folder=written.out_dir,
                ),
                "team_id",
            )
        match = planned.get(report.key)
        if match is None:
            raise source.error(
                f"no {report.kind} of team {report.team_id} on {report.date} at "
                f"{report.place or '(empty)'} in the published plan {schedule}",
                report.place_field,
            )
        if report.province_code and code_key(report.province_code) != code_key(match.province_code):
            raise source.error(
                f"team {report.team_id} works in province {match.province_code}, "
                f"not {report.province_code}",
                "province_code",
            )
    reported = {report.key: report for report in reports.stops}
    reported_days = {(r.team_id, r.date) for r in reports.stops}
    stops: list[StopProgress] = []
    for entry in every:
        found = reported.get(entry.key)
        if found is not None:
            status = "done" if found.done else "skipped"
        elif entry.date >= as_of:
            status = "upcoming"
        elif (entry.team_id, entry.date) in reported_days:
            status = "not_in_report"
        else:
            status = "not_reported"
        stops.append(StopProgress(entry, status, found))
    stops.sort(
        key=lambda e: (e.planned.province_code, e.planned.team_id, e.planned.date, e.planned.number)
    )
    return FieldProgress(
        plan_dir=written.out_dir,
        scenario=written.summary.scenario,
        structure=written.summary.structure,
        as_of=as_of,
        province_names={p.province_code: p.province_name for p in written.summary.provinces},
        stops=tuple(stops),
        reports=reports,
    )


# --- words --------------------------------------------------------------------------------

_LABELS: dict[str, dict[Lang, str]] = {
    "title": {"vi": "Tiến độ thực hiện", "en": "Fieldwork progress"},
    "campaign": {
        "vi": "Tuyên truyền vận động tham gia BHXH tự nguyện",
        "en": "Voluntary social insurance outreach campaign",
    },
    "as_of": {"vi": "Các ngày đến hết", "en": "Days up to and including"},
    "nothing_due": {"vi": "chưa có ngày nào đến hạn", "en": "no day is due yet"},
    "campaign_over": {
        "vi": "ngày cuối của kế hoạch: mọi ngày đã đến hạn",
        "en": "the plan's last day: every day is due",
    },
    "reports_read": {"vi": "Báo cáo đã đọc", "en": "Reports read"},
    "plan": {"vi": "Kế hoạch", "en": "Plan"},
    "stops_done": {"vi": "Điểm đã xong", "en": "Stops done"},
    "of_due": {"vi": "trên số điểm đến hạn", "en": "of the stops due"},
    "planned": {"vi": "Kế hoạch", "en": "Planned"},
    "due": {"vi": "Đến hạn", "en": "Due"},
    "done": {"vi": "Đã xong", "en": "Done"},
    "share": {"vi": "Tỷ lệ xong", "en": "Done"},
    "skipped": {"vi": "Bỏ qua", "en": "Skipped"},
    "not_in_report": {"vi": "Không có trong báo cáo", "en": "Not in the report"},
    "not_reported": {"vi": "Chưa báo cáo", "en": "Not reported"},
    "people": {
        "vi": "Người tiếp cận dự kiến: điểm đã xong / đến hạn",
        "en": "Expected people reached: done / due",
    },
    "attendance": {
        "vi": "Người dự hội nghị: báo cáo / dự kiến",
        "en": "Conference attendance: reported / expected",
    },
    "sign_ups": {
        "vi": "Đăng ký tham gia: báo cáo / dự kiến",
        "en": "Sign-ups: reported / expected",
    },
    "people_short": {
        "vi": "Người tiếp cận dự kiến (xong / đến hạn)",
        "en": "Expected people (done / due)",
    },
    "attendance_short": {
        "vi": "Người dự hội nghị (báo cáo / dự kiến)",
        "en": "Attendance (reported / expected)",
    },
    "sign_ups_short": {
        "vi": "Đăng ký tham gia (báo cáo / dự kiến)",
        "en": "Sign-ups (reported / expected)",
    },
    "by_province": {"vi": "Theo tỉnh", "en": "By province"},
    "by_district": {"vi": "Theo", "en": "By"},
    "by_team": {"vi": "Theo đội", "en": "By team"},
    "by_day": {"vi": "Theo ngày", "en": "By day"},
    "province": {"vi": "Tỉnh/thành phố", "en": "Province"},
    "team": {"vi": "Đội", "en": "Team"},
    "day": {"vi": "Ngày", "en": "Day"},
    "total": {"vi": "Tổng cộng", "en": "Total"},
    "missed": {
        "vi": "Các điểm chưa thực hiện, theo huyện (cho đội làm bù)",
        "en": "Stops not done, by district (for mop-up teams)",
    },
    "missed_none": {"vi": "Không có điểm nào.", "en": "None."},
    "stop": {"vi": "Điểm", "en": "Stop"},
    "activity": {"vi": "Hoạt động", "en": "Activity"},
    "place": {"vi": "Địa điểm", "en": "Place"},
    "time": {"vi": "Giờ dự kiến", "en": "Planned time"},
    "status": {"vi": "Tình trạng", "en": "Status"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "point": {"vi": "Tọa độ", "en": "Point"},
    "not_reported_title": {
        "vi": "Các đội chưa báo cáo",
        "en": "Teams that have not reported",
    },
    "never": {"vi": "chưa gửi báo cáo nào", "en": "no report at all"},
    "days_missing": {"vi": "Ngày chưa báo cáo", "en": "Days not reported"},
    "stops_those_days": {"vi": "Số điểm các ngày đó", "en": "Stops on those days"},
    "all_reported": {
        "vi": "Mọi đội đã báo cáo mọi ngày đến hạn.",
        "en": "Every team has reported every day due.",
    },
    "overrides": {
        "vi": "Điểm được báo cáo nhiều lần: giữ báo cáo sau cùng",
        "en": "Stops reported more than once: the latest report is kept",
    },
    "kept": {"vi": "giữ", "en": "kept"},
    "replaced": {"vi": "thay cho", "en": "over"},
    "by_stamp": {"vi": "theo thời điểm báo cáo", "en": "by time stamp"},
    "by_order": {"vi": "tệp đứng sau trong danh sách", "en": "later file in the list"},
    "row": {"vi": "dòng", "en": "row"},
    "yes_done": {"vi": "đã xong", "en": "done"},
    "not_done": {"vi": "không thực hiện", "en": "not done"},
    "reported_at": {"vi": "báo cáo lúc", "en": "reported"},
    "definitions": {
        "vi": "Một điểm đến hạn khi ngày của nó đã qua. «Không có trong báo cáo»: đội có báo "
        "cáo ngày đó nhưng không nhắc đến điểm này. «Chưa báo cáo»: đội chưa gửi báo cáo nào "
        "cho ngày đó. Người tiếp cận và số đăng ký dự kiến là của kế hoạch; số người dự và "
        "đăng ký là do đội báo cáo.",
        "en": "A stop is due when its day has passed. 'Not in the report': the team reported "
        "that day but not this stop. 'Not reported': the team sent no report for that day. "
        "Expected people and enrolments are the plan's; attendance and sign-ups are what "
        "the teams reported.",
    },
}


def _l(key: str, lang: Lang) -> str:
    return _LABELS[key][lang]


def override_line(override: Override, lang: Lang) -> str:
    """A stop reported twice, in words: which report was kept, and why."""

    def state(stop: ReportedStop) -> str:
        text = _l("yes_done", lang) if stop.done else _l("not_done", lang)
        if stop.reported_at is not None:
            text += f", {_l('reported_at', lang)} {stop.reported_at:%Y-%m-%d %H:%M}"
        where = f"{stop.source.file}, {_l('row', lang)} {stop.source.row}"
        return f"{where} ({text})"

    kept = override.kept
    why = _l("by_stamp", lang) if override.by == "time stamp" else _l("by_order", lang)
    return (
        f"{_l('team', lang)} {kept.team_id}, {kept.date.isoformat()}, "
        f"{kind_label(kept.kind, lang)} {kept.place}: {_l('kept', lang)} {state(kept)} "
        f"{_l('replaced', lang)} {state(override.dropped)} ({why})"
    )


# --- the page ------------------------------------------------------------------------------

_STYLE = """
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 12px; color: #17212b; background: #fff;
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
h1 { font-size: 22px; margin: 4px 0; }
h2 { font-size: 18px; margin: 22px 0 6px; border-bottom: 2px solid #1565c0; padding-bottom: 2px; }
h3 { font-size: 15px; margin: 14px 0 4px; color: #37474f; }
.meta { color: #455a64; margin: 2px 0; font-size: 14px; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 10px;
  margin: 12px 0; }
.card { border: 1px solid #cfd8dc; border-radius: 10px; padding: 10px 12px; background: #f7f9fb; }
.card .big { font-size: 24px; font-weight: 700; }
.card .small { font-size: 13px; color: #455a64; }
.card.warn { background: #fff8e1; border-color: #ffcc80; }
.card.bad { background: #fdf2f2; border-color: #ef9a9a; }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; font-size: 14px; }
th, td { border: 1px solid #cfd8dc; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #e8eef4; font-size: 13px; }
td.num { text-align: right; white-space: nowrap; }
th.num { text-align: right; }
td.id { white-space: nowrap; }
td.name { min-width: 9em; }
tr.total td { font-weight: 700; background: #f3f6f8; }
.bar { position: relative; min-width: 90px; height: 16px; background: #eceff1; border-radius: 3px; }
.bar span { position: absolute; left: 0; top: 0; bottom: 0; background: #43a047; border-radius: 3px; }
.bar em { position: absolute; right: 4px; top: -1px; font-size: 12px; font-style: normal; }
.status-skipped { color: #b71c1c; font-weight: 600; }
.status-not_in_report { color: #8d5a00; }
ul.overrides li { margin: 4px 0; overflow-wrap: anywhere; }
.note { color: #546e7a; font-size: 13px; }
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ L.title }} — {{ scenario }}</title>
<style>{{ style|safe }}</style>
</head>
<body>
<h1>{{ L.title }} — {{ scenario }}</h1>
<p class="meta">{{ L.campaign }} · {{ L.as_of }} {{ as_of_text }}</p>
<p class="meta">{{ L.reports_read }}: {{ files|join(", ") }}</p>

<div class="cards">
<div class="card"><div class="small">{{ L.stops_done }}</div>
<div class="big">{{ total.done_text }} / {{ total.due_text }}</div>
<div class="small">{{ total.share_text }} {{ L.of_due }} · {{ L.plan }}: {{ total.planned_text }}</div></div>
<div class="card{% if total.f.skipped %} bad{% endif %}"><div class="small">{{ L.skipped }}</div>
<div class="big">{{ total.skipped_text }}</div>
<div class="small">{{ L.not_in_report }}: {{ total.not_in_report_text }}</div></div>
<div class="card{% if total.f.not_reported %} warn{% endif %}"><div class="small">{{ L.not_reported }}</div>
<div class="big">{{ total.not_reported_text }}</div>
<div class="small">{{ not_reported_teams }} {{ L.team|lower }}</div></div>
<div class="card"><div class="small">{{ L.attendance }}</div>
<div class="big">{{ total.attendance_text }}</div>
<div class="small">{{ L.people }}: {{ total.people_text }}</div></div>
<div class="card"><div class="small">{{ L.sign_ups }}</div>
<div class="big">{{ total.sign_ups_text }}</div></div>
</div>

{% macro figure_cells(row) -%}
<td class="num">{{ row.planned_text }}</td><td class="num">{{ row.due_text }}</td>
<td class="num">{{ row.done_text }}</td>
<td><div class="bar"><span style="width: {{ row.width }}%"></span><em>{{ row.share_text }}</em></div></td>
<td class="num">{{ row.skipped_text }}</td><td class="num">{{ row.not_in_report_text }}</td>
<td class="num">{{ row.not_reported_text }}</td>
<td class="num">{{ row.people_text }}</td><td class="num">{{ row.attendance_text }}</td>
<td class="num">{{ row.sign_ups_text }}</td>
{%- endmacro %}
{% macro figure_heads() -%}
<th class="num">{{ L.planned }}</th><th class="num">{{ L.due }}</th><th class="num">{{ L.done }}</th>
<th>{{ L.share }}</th><th class="num">{{ L.skipped }}</th><th class="num">{{ L.not_in_report }}</th>
<th class="num">{{ L.not_reported }}</th><th class="num">{{ L.people_short }}</th>
<th class="num">{{ L.attendance_short }}</th><th class="num">{{ L.sign_ups_short }}</th>
{%- endmacro %}

{% for section in sections %}
<h2 id="{{ section.id }}">{{ section.title }}</h2>
<div class="wrap"><table>
<thead><tr>{% for head in section.heads %}<th>{{ head }}</th>{% endfor %}{{ figure_heads() }}</tr></thead>
<tbody>
{% for row in section.rows %}
<tr>{% for cell in row.cells %}<td class="{{ section.classes[loop.index0] }}">{{ cell }}</td>{% endfor %}{{ figure_cells(row) }}</tr>
{% endfor %}
<tr class="total"><td colspan="{{ section.heads|length }}">{{ L.total }}</td>{{ figure_cells(total) }}</tr>
</tbody>
</table></div>
{% endfor %}

<h2 id="missed">{{ L.missed }}</h2>
{% if not missed %}<p>{{ L.missed_none }}</p>{% endif %}
{% for group in missed %}
<h3>{{ group.title }} ({{ group.rows|length }})</h3>
<div class="wrap"><table>
<thead><tr><th>{{ L.day }}</th><th>{{ L.team }}</th><th class="num">{{ L.stop }}</th><th>{{ L.time }}</th>
<th>{{ L.activity }}</th><th>{{ L.place }}</th><th>{{ L.status }}</th><th>{{ L.reason }}</th><th>{{ L.note }}</th>
<th>{{ L.point }}</th></tr></thead>
<tbody>
{% for row in group.rows %}
<tr><td class="id">{{ row.date }}</td><td class="id">{{ row.team }}</td><td class="num">{{ row.number }}</td><td class="id">{{ row.time }}</td>
<td>{{ row.activity }}</td><td>{{ row.place }}</td><td class="status-{{ row.status }}">{{ row.status_text }}</td>
<td>{{ row.reason }}</td><td>{{ row.note }}</td><td>{{ row.point }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% endfor %}

<h2 id="not-reported">{{ L.not_reported_title }}</h2>
{% if not not_reported %}<p>{{ L.all_reported }}</p>{% else %}
<div class="wrap"><table>
<thead><tr>{% if several %}<th>{{ L.province }}</th>{% endif %}<th>{{ L.team }}</th><th>{{ group_word }}</th><th>{{ L.days_missing }}</th>
<th class="num">{{ L.stops_those_days }}</th></tr></thead>
<tbody>
{% for row in not_reported %}
<tr>{% if several %}<td>{{ row.province }}</td>{% endif %}<td class="id">{{ row.team }}{% if row.never %} <em>({{ L.never }})</em>{% endif %}</td><td>{{ row.group }}</td>
<td>{{ row.days }}</td><td class="num">{{ row.stops }}</td></tr>
{% endfor %}
</tbody>
</table></div>
{% endif %}

{% if overrides %}
<h2 id="overrides">{{ L.overrides }}</h2>
<ul class="overrides">
{% for line in overrides %}<li>{{ line }}</li>{% endfor %}
</ul>
{% endif %}

<p class="note">{{ L.definitions }}</p>
</body>
</html>
"""


def _figure_view(f: Figures, lang: Lang) -> dict[str, Any]:
    def n(value: float, digits: int = 0) -> str:
        return format_number(value, lang, digits)

    return {
        "f": f,
        "planned_text": n(f.planned),
        "due_text": n(f.due),
        "done_text": n(f.done),
        "share_text": format_percent(f.done_share, lang, 0) if f.due else "–",
        "width": f"{100 * f.done_share:.1f}",
        "skipped_text": n(f.skipped),
        "not_in_report_text": n(f.not_in_report),
        "not_reported_text": n(f.not_reported),
        "people_text": f"{n(f.people_done)} / {n(f.people_due)}",
        "attendance_text": f"{n(f.attendance_reported)} / {n(f.attendance_expected)}",
        "sign_ups_text": f"{n(f.sign_ups_reported)} / {n(f.enrolments_done)}",
    }


def _missed_rows(result: FieldProgress, lang: Lang) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for entry in result.missed:
        p, stop, report = entry.planned, entry.planned.stop, entry.report
        place = stop.commune_name
        if stop.kind == "conference":
            place = f"{stop.venue_name or stop.venue_id} — {stop.commune_name}"
        groups.setdefault((p.province_code, stop.group_code, stop.group_name), []).append(
            {
                "date": format_short_date(p.date, lang),
                "team": p.team_id,
                "number": p.number,
                "time": f"{hhmm(stop.start_min)}–{hhmm(stop.end_min)}",
                "activity": kind_label(stop.kind, lang, stop.pass_number),
                "place": place,
                "status": entry.status,
                "status_text": _l(entry.status, lang),
                "reason": skip_reason_label(report.skip_reason if report else None, lang),
                "note": (report.note or "") if report else "",
                "point": f"{stop.lat:.5f}, {stop.lon:.5f}",
            }
        )
    multi = len({code for code, _, _ in groups}) > 1
    out = []
    for (province, _, name), rows in groups.items():
        title = name
        if multi:
            title = f"{result.province_names.get(province, province)} · {name}"
        out.append({"title": title, "rows": rows})
    return out


def _not_reported_rows(result: FieldProgress, lang: Lang) -> list[dict[str, Any]]:
    by_team: dict[tuple[str, str], list[TeamDay]] = {}
    for day in result.not_reported:
        by_team.setdefault((day.province_code, day.team_id), []).append(day)
    reported_teams = {s.team_id for s in result.reports.stops}
    return [
        {
            "province": result.province_names.get(province, province),
            "team": team,
            "group": days[0].group_name,
            "days": ", ".join(format_short_date(d.date, lang) for d in days),
            "stops": sum(d.stops for d in days),
            "never": team not in reported_teams,
        }
        for (province, team), days in by_team.items()
    ]


def progress_page(result: FieldProgress, lang: str = "vi") -> str:
    """The progress page (see the module docstring) as HTML text."""
    import jinja2

    language = check_lang(lang)
    labels = {key: _l(key, language) for key in _LABELS}
    group_label = "cluster" if result.structure == "2025" else "district"
    word = group_word(group_label, language)

    def rows(grouped: Iterable[tuple[Any, Figures]], cells: Callable[[Any], list[str]]) -> list:
        return [{**_figure_view(f, language), "cells": cells(key)} for key, f in grouped]

    names = result.province_names
    several = len(names) > 1  # the province column only when there is more than one

    def district_cells(k: Any) -> list[str]:
        return [names.get(k[0], k[0]), k[2]] if several else [k[2]]

    sections = [
        {
            "id": "by-district",
            "title": f"{labels['by_district']} {word.lower()}",
            "heads": [labels["province"], word] if several else [word],
            "classes": ["name", "name"] if several else ["name"],
            "rows": rows(result.by_district(), district_cells),
        },
        {
            "id": "by-team",
            "title": labels["by_team"],
            "heads": [labels["team"], word],
            "classes": ["id", "name"],
            "rows": rows(result.by_team(), lambda k: [k[1], k[3]]),
        },
        {
            "id": "by-day",
            "title": labels["by_day"],
            "heads": [labels["day"]],
            "classes": ["id"],
            "rows": rows(result.by_day(), lambda k: [format_date(k[0], language)]),
        },
    ]
    sections.insert(
        0,
        {
            "id": "by-province",
            "title": labels["by_province"],
            "heads": [labels["province"]],
            "classes": ["name"],
            "rows": rows(result.by_province(), lambda k: [names.get(k[0], k[0])]),
        },
    )
    days = [e.planned.date for e in result.stops]
    last_due = result.as_of - dt.timedelta(days=1)
    if days and last_due >= max(days):
        as_of_text = f"{format_date(max(days), language)} ({labels['campaign_over']})"
    elif not days or last_due < min(days):
        as_of_text = f"{format_date(last_due, language)} ({labels['nothing_due']})"
    else:
        as_of_text = format_date(last_due, language)
    not_reported = _not_reported_rows(result, language)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE).render(
        lang=language,
        L=labels,
        style=_STYLE,
        scenario=result.scenario,
        as_of_text=as_of_text,
        files=[str(p) for p in result.reports.files],
        total=_figure_view(result.total(), language),
        sections=sections,
        missed=_missed_rows(result, language),
        not_reported=not_reported,
        not_reported_teams=len(not_reported),
        group_word=word,
        several=several,
        overrides=[override_line(o, language) for o in result.overrides],
    )


# --- the files -----------------------------------------------------------------------------


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


MISSED_COLUMNS = (
    "province_code",
    "group_code",
    "group_name",
    "commune_code",
    "commune_name",
    "team_id",
    "date",
    "stop",
    "kind",
    "venue_id",
    "venue_name",
    "start",
    "end",
    "lat",
    "lon",
    "status",
    "skip_reason",
    "note",
    "reported_in",
)
NOT_REPORTED_COLUMNS = ("province_code", "team_id", "group_code", "group_name", "date", "stops")


def write_progress_files(result: FieldProgress, folder: Path, *, lang: str = "vi") -> list[Path]:
    """index.html and the CSVs of `result` into `folder` (an existing folder); return them."""
    from planner.export._offline import check_offline

    language = check_lang(lang)
    folder = Path(folder)
    page = progress_page(result, language)
    index = folder / "index.html"
    check_offline(page, index)
    index.write_text(page, encoding="utf-8")
    written = [index]

    def table(name: str, heads: Sequence[str], grouped: list[tuple[Any, Figures]]) -> None:
        path = folder / name
        rows = [{**dict(zip(heads, key, strict=True)), **_figure_row(f)} for key, f in grouped]
        _write_csv(path, [*heads, *FIGURE_COLUMNS], rows)
        written.append(path)

    names = result.province_names
    table(
        "by_province.csv",
        ("province_code", "province_name"),
        [((k[0], names.get(k[0], k[0])), f) for k, f in result.by_province()],
    )
    table("by_district.csv", ("province_code", "group_code", "group_name"), result.by_district())
    table("by_team.csv", ("province_code", "team_id", "group_code", "group_name"), result.by_team())
    table("by_day.csv", ("date",), [((k[0].isoformat(),), f) for k, f in result.by_day()])

    missed_rows = []
    for entry in result.missed:
        p, stop, report = entry.planned, entry.planned.stop, entry.report
        missed_rows.append(
            {
                "province_code": p.province_code,
                "group_code": stop.group_code,
                "group_name": stop.group_name,
                "commune_code": stop.commune_code,
                "commune_name": stop.commune_name,
                "team_id": p.team_id,
                "date": p.date.isoformat(),
                "stop": p.number,
                "kind": stop.kind,
                "venue_id": stop.venue_id or "",
                "venue_name": stop.venue_name or "",
                "start": hhmm(stop.start_min),
                "end": hhmm(stop.end_min),
                "lat": f"{stop.lat:.6f}",
                "lon": f"{stop.lon:.6f}",
                "status": entry.status,
                "skip_reason": (report.skip_reason or "") if report else "",
                "note": (report.note or "") if report else "",
                "reported_in": report.source.where() if report else "",
            }
        )
    path = folder / "missed.csv"
    _write_csv(path, MISSED_COLUMNS, missed_rows)
    written.append(path)

    path = folder / "not_reported.csv"
    _write_csv(
        path,
        NOT_REPORTED_COLUMNS,
        (
            {
                "province_code": d.province_code,
                "team_id": d.team_id,
                "group_code": d.group_code,
                "group_name": d.group_name,
                "date": d.date.isoformat(),
                "stops": d.stops,
            }
            for d in result.not_reported
        ),
    )
    written.append(path)
    return written


def progress(
    plan_dir: Path,
    report_paths: Path | str | Sequence[Path | str],
    out_dir: Path | None = None,
    *,
    lang: str = "vi",
    as_of: dt.date | None = None,
    force: bool = False,
) -> FieldProgress:
    """Read the plan in `plan_dir` and the reports, write the progress folder (default
    `<plan_dir>/progress`), and return what it shows. Raises DataError (a file, a row) before
    anything is written when a report cannot be read or names a stop not in the plan."""
    from planner.verify import read_plan

    language = check_lang(lang)
    plan_dir = Path(plan_dir)
    written = read_plan(plan_dir)
    reports = read_reports(report_paths)
    result = compute_progress(written, reports, as_of=as_of)
    target = Path(out_dir) if out_dir is not None else plan_dir / "progress"
    manifest = Manifest(kind="progress", scenario=result.scenario, planner_version=__version__)

    def fill(tmp: Path) -> None:
        write_progress_files(result, tmp, lang=language)

    write_folder(target, manifest, fill, force=force)
    return FieldProgress(
        plan_dir=result.plan_dir,
        scenario=result.scenario,
        structure=result.structure,
        as_of=result.as_of,
        province_names=result.province_names,
        stops=result.stops,
        reports=result.reports,
        out_dir=target,
    )


def progress_lines(result: FieldProgress) -> list[str]:
    """What the command prints: one line per stop reported twice, then the summary."""
    lines = [f"report: {o.line()}" for o in result.overrides]
    total = result.total()
    share = f"{100 * total.done_share:.0f}%" if total.due else "-"
    days = result.not_reported
    teams = len({(d.province_code, d.team_id) for d in days})
    where = f" -> {result.out_dir / 'index.html'}" if result.out_dir else ""
    lines.append(
        f"{result.scenario}: {total.done} of {total.due} stops due done ({share}), "
        f"{total.skipped} skipped, {total.not_in_report} not in the reports; "
        f"{len(days)} team-days of {teams} teams not reported; attendance "
        f"{total.attendance_reported:,} (expected {total.attendance_expected:,.0f}), "
        f"sign-ups {total.sign_ups_reported:,} (expected {total.enrolments_done:,.1f}){where}"
    )
    return lines


# --- the command ---------------------------------------------------------------------------


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2020-06-08, got {text!r}") from None


def add_progress_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `planner progress OUTDIR --reports FILE [FILE ...]`."""
    parser.add_argument("out_dir", type=Path, help="the published plan (a folder of planner run)")
    parser.add_argument(
        "--reports",
        type=Path,
        nargs="+",
        required=True,
        help="the teams' reports: the CSV files the team packs send, schedule.xlsx with its "
        "done column filled in, or CSV with a done column; several files: the latest report "
        "of a stop wins",
    )
    parser.add_argument("--out", type=Path, help="output folder (default OUTDIR/progress)")
    parser.add_argument(
        "--as-of",
        dest="as_of",
        type=_date,
        help="first day not yet due (YYYY-MM-DD; default today): days before it are due",
    )
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=None,
        help="language of the progress page (default: $PLANNER_LANG, else vi)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder that holds another plan or comparison "
        "(a folder of other files is never replaced)",
    )


def cmd_progress(args: argparse.Namespace) -> int:
    """Run `planner progress` from parsed arguments; print its lines; 0."""
    result = progress(
        args.out_dir.resolve(),
        args.reports,
        args.out,
        lang=args.lang,
        as_of=args.as_of,
        force=args.force,
    )
    for line in progress_lines(result):
        print(line)
    return 0


def main_progress(argv: Sequence[str] | None = None) -> int:
    """`python -m planner.fieldwork OUTDIR --reports FILE...`: 0, or 2 with one error line."""
    parser = argparse.ArgumentParser(
        prog="planner progress",
        description="Fieldwork progress: the teams' reports against the published plan.",
    )
    add_progress_arguments(parser)
    args = parser.parse_args(argv)
    args.lang = resolve_lang(args.lang)
    try:
        return cmd_progress(args)
    except (PlannerError, OSError) as error:  # OSError: a path given cannot be read or written
        print(error_line(error, args.lang), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main_progress())
