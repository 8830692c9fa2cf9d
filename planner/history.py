"""Every prediction held against what past campaigns achieved (`data/facts/campaign_history.csv`).

A plan predicts conferences, people reached directly (conference attendance) and new
voluntary participants. On their own these numbers cannot be judged; beside the record they
can. The record (one source per row in the CSV):

- 2019: 14,000 conferences held by Vietnam Post with the social insurance agencies, and over
  276,000 new voluntary participants "thereby" (every channel of Vietnam Post);
- January-April 2020: 48,012 new participants through Vietnam Post's collection agents;
- May 2022, the campaign month: launch day with about 6,600 groups that reached 168,000
  people directly and 22,306 new participants that day; 32,870 new participants in the month.

**Scaling.** A plan covers some days and some provinces; the record is national, by month
(or by day). The plan's figures are scaled to a 30-day month (x 30 / campaign days) and to
the whole country (/ the plan's share of the country's target people), so that a one-week
plan of one province and the national month are held against the same rows. The scaled
figures are labelled "national month equivalent" wherever shown.

**The warnings.** The best month on record is the largest monthly figure of new participants
in the file (May 2022: 32,870). A plan whose national month equivalent exceeds it gets a
warning line; beyond 1.5 times it, the line says the prediction is implausible. A plan
shorter than a month is judged on its own days instead (scaled to the whole country only):
its days are the campaign's first, which carry the launch day and the first passes through
every commune, and the record shows how front-loaded a campaign month is (May 2022: 22,306
of the month's 32,870 new participants on the launch day alone), so x 30 / days overstates
the month it stands for (the demo, Bắc Ninh's first week, read 1.53 times the best month
by x 30 / 7 while the national month plan reads 0.76).
A week that already exceeds the best month on record is implausible whatever the rest of
the month brings. Conferences
are held against the 6,600 groups of the May 2022 launch day (a month of more than twice as
many sessions as the busiest day on record put in the field is not credible) and against
2019's monthly average (1,167).

**Realism line.** Share of stops outside their team's own district or cluster (the campaign
is "one team per district"), conferences per team-week, new participants per conference
(2019's ceiling: 276,000 / 14,000 = 19.7, if every participant of the year came through a
conference; May 2022 launch day: 22,306 / 6,600 = 3.4 per group, that day's sign-ups through
every channel), and the share of people reached directly who join (launch day: 13.3%).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import DataError
from planner.plan import Plan

if TYPE_CHECKING:
    from planner.written_plan import Summary

FACTS = Path(__file__).resolve().parents[1] / "data" / "facts" / "campaign_history.csv"
MONTH_DAYS = 30


@dataclass(frozen=True)
class Record:
    """One row of campaign_history.csv."""

    year: str
    period: str
    what: str
    value: float
    unit: str
    source: str


def load_records(path: Path = FACTS) -> tuple[Record, ...]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as error:
        raise DataError(path, f"cannot read the campaign history ({error.strerror})") from None
    out = []
    for n, row in enumerate(rows, start=1):
        try:
            out.append(
                Record(
                    year=row["year"],
                    period=row["period"],
                    what=row["what"],
                    value=float(row["value"]),
                    unit=row["unit"],
                    source=row["source"],
                )
            )
        except (KeyError, TypeError, ValueError):
            raise DataError(path, "expected a number in 'value'", row=n, field="value") from None
    return tuple(out)


def _find(records: Sequence[Record], year: str, period: str, unit: str) -> Record:
    for r in records:
        if r.year == year and r.period.startswith(period) and r.unit == unit:
            return r
    raise DataError(FACTS, f"no row for {year} {period} ({unit})")


@dataclass(frozen=True)
class Reference:
    """A row of the record as a monthly (or one-day) figure."""

    key: str
    label_vi: str
    label_en: str
    conferences: float | None  # conferences or direct groups
    people_reached_directly: float | None
    new_participants: float | None
    source: str


def references(records: Sequence[Record]) -> tuple[Reference, ...]:
    """The record as months (and the May 2022 launch day), in the order they are shown."""
    conf_2019 = _find(records, "2019", "year", "conferences")
    new_2019 = _find(records, "2019", "year", "people")
    new_2020 = _find(records, "2020", "Jan-Apr", "people")
    groups_2022 = _find(records, "2022", "8 May", "groups")
    reached_2022 = next(
        r
        for r in records
        if r.year == "2022" and r.period.startswith("8 May") and "reached" in r.what
    )
    launch_new = next(
        r
        for r in records
        if r.year == "2022"
        and r.period.startswith("8 May")
        and r.what.startswith("new voluntary")
        and r.unit == "people"
    )
    month_2022 = _find(records, "2022", "May (the campaign month)", "people")
    return (
        Reference(
            "2019_month",
            "2019, trung bình một tháng",
            "2019, average month",
            conf_2019.value / 12,
            None,
            new_2019.value / 12,
            conf_2019.source,
        ),
        Reference(
            "2020_jan_apr_month",
            "Tháng 1-4/2020, trung bình một tháng (đại lý Bưu điện)",
            "Jan-Apr 2020, average month (Vietnam Post agents)",
            None,
            None,
            new_2020.value / 4,
            new_2020.source,
        ),
        Reference(
            "2022_launch_day",
            "Ngày phát động 8/5/2022 (một ngày)",
            "Launch day 8 May 2022 (one day)",
            groups_2022.value,
            reached_2022.value,
            launch_new.value,
            groups_2022.source,
        ),
        Reference(
            "2022_month",
            "Tháng vận động 5/2022",
            "Campaign month May 2022",
            None,
            None,
            month_2022.value,
            month_2022.source,
        ),
    )


@dataclass(frozen=True)
class PlanFigures:
    """What a plan predicts, raw and as a national month equivalent."""

    days: int
    coverage: float  # the plan's share of the country's target people
    conferences: float
    people_reached_directly: float  # expected conference attendance
    new_participants: float
    conference_enrolments: float

    @property
    def scale(self) -> float:
        """To a national month: x 30 / days, / the share of the country's target people."""
        return (MONTH_DAYS / max(1, self.days)) * self.national_scale

    @property
    def national_scale(self) -> float:
        """To the whole country over the plan's own days: / the share of target people."""
        return 1.0 / max(self.coverage, 1e-9)

    @property
    def partial_month(self) -> bool:
        """Whether the plan is shorter than a month (its new participants are then judged on
        its own days: see the module's "The warnings")."""
        return self.days < MONTH_DAYS


def predicted_figures(plan: Plan, *, days: int, national_target_people: float) -> PlanFigures:
    attendance = conf_enrolled = 0.0
    for province in plan.provinces:
        for route in province.routes:
            for stop in route.stops:
                if stop.kind == "conference":
                    attendance += stop.expected_attendance or 0.0
                    conf_enrolled += stop.expected_enrolments
    target = sum(p.target_people for p in plan.provinces)
    return PlanFigures(
        days=days,
        coverage=min(1.0, target / national_target_people) if national_target_people > 0 else 1.0,
        conferences=plan.total("conferences"),
        people_reached_directly=attendance,
        new_participants=plan.total("expected_enrolments"),
        conference_enrolments=conf_enrolled,
    )


def history_block(figures: PlanFigures, records: Sequence[Record]) -> dict[str, Any]:
    """summary.json's `history`: the plan as a national month, the record, ratios, warnings."""
    refs = references(records)
    by_key = {r.key: r for r in refs}
    s = figures.scale
    month = {
        "conferences": round(figures.conferences * s),
        "people_reached_directly": round(figures.people_reached_directly * s),
        "new_participants": round(figures.new_participants * s),
    }
    own_days = round(figures.new_participants * figures.national_scale)
    monthly_new = [
        r.new_participants for r in refs if r.new_participants and r.key != "2022_launch_day"
    ]
    best_month = max(monthly_new)
    launch = by_key["2022_launch_day"]
    ratios = {
        "new_participants_vs_best_month": _ratio(month["new_participants"], best_month),
        "plan_days_new_participants_vs_best_month": _ratio(own_days, best_month),
        "conferences_vs_2019_month": _ratio(month["conferences"], by_key["2019_month"].conferences),
        "conferences_vs_launch_day_groups": _ratio(month["conferences"], launch.conferences),
        "people_reached_directly_vs_launch_day": _ratio(
            month["people_reached_directly"], launch.people_reached_directly
        ),
    }
    judged = own_days if figures.partial_month else month["new_participants"]
    warnings = []
    if judged > 1.5 * best_month:
        warnings.append("new_participants_implausible")
    elif judged > best_month:
        warnings.append("new_participants_above_best_month")
    if launch.conferences and month["conferences"] > 2 * launch.conferences:
        warnings.append("conferences_above_twice_launch_day_groups")
    return {
        "plan_days": figures.days,
        "plan_share_of_target_people": round(figures.coverage, 4),
        "scale_to_national_month": round(s, 4),
        "national_month_equivalent": month,
        "plan_days_national_new_participants": own_days,
        "new_participants_judged_on": "plan_days" if figures.partial_month else "month",
        "best_month_new_participants": round(best_month),
        "record": [
            {
                "key": r.key,
                "label": r.label_vi,
                "label_en": r.label_en,
                "conferences": _opt(r.conferences),
                "people_reached_directly": _opt(r.people_reached_directly),
                "new_participants": _opt(r.new_participants),
                "source": r.source,
            }
            for r in refs
        ],
        "ratios": ratios,
        "warnings": warnings,
        "facts_file": "data/facts/campaign_history.csv",
    }


def realism_block(
    plan: Plan, figures: PlanFigures, records: Sequence[Record], *, teams: int
) -> dict[str, Any]:
    """summary.json's `realism`: how the plan is run, each figure beside the record."""
    stops = outside = 0
    for province in plan.provinces:
        for route in province.routes:
            home = route.team_group_code
            for stop in route.stops:
                stops += 1
                if home and stop.group_code != home:
                    outside += 1
    weeks = figures.days / 7
    refs = {r.key: r for r in references(records)}
    conf_2019, new_2019 = refs["2019_month"].conferences, refs["2019_month"].new_participants
    launch = refs["2022_launch_day"]
    per_conf = figures.conference_enrolments / figures.conferences if figures.conferences else 0.0
    return {
        "stops": stops,
        "stops_outside_territory": outside,
        "share_outside_territory": round(outside / stops, 4) if stops else 0.0,
        "conferences_per_team_week": round(figures.conferences / (teams * weeks), 2)
        if teams and weeks
        else 0.0,
        "new_participants_per_conference": round(per_conf, 2),
        "record_new_participants_per_conference_2019_ceiling": round(
            (new_2019 or 0) / (conf_2019 or 1), 1
        ),
        "record_new_participants_per_group_launch_day": round(
            (launch.new_participants or 0) / (launch.conferences or 1), 1
        ),
        "share_of_attendees_joining": round(
            figures.conference_enrolments / figures.people_reached_directly, 4
        )
        if figures.people_reached_directly
        else 0.0,
        "record_share_joining_launch_day": round(
            (launch.new_participants or 0) / (launch.people_reached_directly or 1), 4
        ),
    }


def capacity_block(plan: Plan) -> dict[str, Any]:
    """summary.json's `capacity`: team-days with work, light and idle, and why (solve/capacity.py)."""
    available = int(plan.total("team_days_available"))
    used = int(plan.total("team_days_used"))
    light = int(plan.total("light_team_days"))
    out_minutes = [
        r.return_min - r.depart_min - r.lunch_minutes for p in plan.provinces for r in p.routes
    ]
    return {
        "team_days_available": available,
        "team_days_with_work": used,
        "team_days_full": used - light,
        "team_days_light": light,
        "team_days_idle": available - used,
        "light_means": "time out under half the working minutes",
        "spare_because_territory_exhausted": int(plan.total("spare_exhausted")),
        "spare_because_nothing_fits": int(plan.total("spare_no_fit")),
        "spare_because_not_needed": int(plan.total("spare_not_needed")),
        "average_hours_out": round(sum(out_minutes) / len(out_minutes) / 60, 2)
        if out_minutes
        else 0.0,
    }


_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+")


def _vi_numbers(line: str) -> str:
    """Numbers written the Vietnamese way: 50,369 -> 50.369, 301.14 -> 301,14."""
    return _NUMBER.sub(lambda m: m.group().translate(str.maketrans(",.", ".,")), line)


def history_lines(summary: Summary, lang: str = "vi") -> list[str]:
    """The history, realism, capacity and launch blocks of a plan's summary as the lines
    `planner run` prints (in Vietnamese, with Vietnamese separators: 50.369 người, x301,14)."""
    lines = _history_lines(summary, lang)
    return [_vi_numbers(line) for line in lines] if lang != "en" else lines


def _whole(value: float | None) -> str:
    """A count as written in summary.json, with thousands separators: 50,369 ("?" if absent)."""
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _fixed(value: float | None, spec: str) -> str:
    """`value` formatted by `spec` ("?" if absent)."""
    return "?" if value is None else format(value, spec)


def _history_lines(summary: Summary, lang: str) -> list[str]:
    h, r, cap = summary.history, summary.realism, summary.capacity
    if h is None:
        return []
    vi = lang != "en"
    lines = []
    scale = _fixed(h.scale_to_national_month, ".2f")
    new, conferences = _whole(h.new_participants), _whole(h.conferences)
    attendees = _whole(h.people_reached_directly)
    if vi:
        lines.append(
            f"  so với lịch sử (quy ra một tháng toàn quốc, x{scale}): "
            f"{new} người tham gia mới, {conferences} hội nghị, {attendees} người dự"
        )
    else:
        lines.append(
            f"  against the record (as a national month, x{scale}): "
            f"{new} new participants, {conferences} conferences, {attendees} attendees"
        )
    for ref in h.record:
        parts = []
        if ref.new_participants is not None:
            parts.append(
                f"{ref.new_participants:,.0f} " + ("người mới" if vi else "new participants")
            )
        if ref.conferences is not None:
            parts.append(
                f"{ref.conferences:,.0f} " + ("hội nghị/nhóm" if vi else "conferences/groups")
            )
        if ref.people_reached_directly is not None:
            parts.append(
                f"{ref.people_reached_directly:,.0f} "
                + ("người được tiếp cận trực tiếp" if vi else "people reached directly")
            )
        lines.append(f"    {ref.label if vi else ref.label_en}: {', '.join(parts)}")
    best = _whole(h.best_month_new_participants)
    ratio = _fixed(h.new_participants_vs_best_month, ".2f")
    lines.append(
        f"    kế hoạch / tháng tốt nhất ({best}): {ratio}"
        if vi
        else f"    plan / best month ({best}): {ratio}"
    )
    if h.new_participants_judged_on == "plan_days":
        days = _whole(h.plan_days)
        own = _whole(h.plan_days_new_participants)
        own_ratio = _fixed(h.plan_days_new_participants_vs_best_month, ".2f")
        on_record = {row.key: row.new_participants for row in h.record}
        launch_new, month_new = on_record.get("2022_launch_day"), on_record.get("2022_month")
        if vi:
            lines.append(
                f"    chỉ {days} ngày của kế hoạch, quy ra cả nước: {own} người tham gia mới, "
                f"bằng {own_ratio} tháng tốt nhất (cảnh báo dựa trên số này)"
            )
            if launch_new and month_new:
                lines.append(
                    "      quy ra 30 ngày theo tỷ lệ thẳng là phóng đại: các ngày đầu (lễ ra quân, "
                    "lượt đầu qua mỗi xã) đông người tham gia nhất (ngày phát động 8/5/2022: "
                    f"{_whole(launch_new)} trong {_whole(month_new)} người mới của cả tháng)"
                )
        else:
            lines.append(
                f"    the plan's {days} days alone, for the whole country: {own} new "
                f"participants, {own_ratio} of the best month (the warnings hold this figure)"
            )
            if launch_new and month_new:
                lines.append(
                    "      x 30 / days overstates a month: the first days (launch parade, first "
                    "pass through each commune) enrol most (launch day 8 May 2022: "
                    f"{_whole(launch_new)} of the month's {_whole(month_new)} new participants)"
                )
    warn_vi = {
        "new_participants_implausible": "CẢNH BÁO: dự báo người tham gia mới vượt 1,5 lần tháng tốt nhất từng có; kiểm tra các tỷ lệ",
        "new_participants_above_best_month": "CẢNH BÁO: dự báo người tham gia mới vượt tháng tốt nhất từng có",
        "conferences_above_twice_launch_day_groups": "CẢNH BÁO: số hội nghị vượt hai lần số nhóm của ngày phát động 2022",
    }
    warn_en = {
        "new_participants_implausible": "WARNING: predicted new participants exceed 1.5 times the best month on record; check the rates",
        "new_participants_above_best_month": "WARNING: predicted new participants exceed the best month on record",
        "conferences_above_twice_launch_day_groups": "WARNING: conferences exceed twice the groups of the 2022 launch day",
    }
    for w in h.warnings:
        lines.append("  " + (warn_vi if vi else warn_en)[w])
    if r is not None:
        outside = _fixed(r.share_outside_territory, ".0%")
        per_week = _fixed(r.conferences_per_team_week, ".1f")
        per_conference = _fixed(r.new_participants_per_conference, ".1f")
        ceiling = _fixed(r.record_new_participants_per_conference_2019_ceiling, "")
        per_group = _fixed(r.record_new_participants_per_group_launch_day, "")
        if vi:
            lines.append(
                f"  thực tế: {outside} điểm dừng ngoài địa bàn của đội; "
                f"{per_week} hội nghị/đội/tuần; "
                f"{per_conference} người mới/hội nghị "
                f"(2019: tối đa {ceiling}; "
                f"ngày phát động 2022: {per_group}/nhóm)"
            )
        else:
            lines.append(
                f"  realism: {outside} of stops outside their team's territory; "
                f"{per_week} conferences per team-week; "
                f"{per_conference} new participants per conference "
                f"(2019: at most {ceiling}; "
                f"2022 launch day: {per_group} per group)"
            )
    if cap is not None:
        full, light = _whole(cap.team_days_full), _whole(cap.team_days_light)
        idle, available = _whole(cap.team_days_idle), _whole(cap.team_days_available)
        hours = _fixed(cap.average_hours_out, ".1f")
        exhausted = _whole(cap.spare_because_territory_exhausted)
        no_fit = _whole(cap.spare_because_nothing_fits)
        if vi:
            lines.append(
                f"  ngày-đội: {full} đủ việc, {light} nhẹ "
                f"(dưới nửa ngày), {idle} không có việc / "
                f"{available} ngày có thể làm; trung bình "
                f"{hours} giờ ngoài đường; ngày nhẹ hoặc trống vì địa bàn đã "
                f"hết việc quy định cho phép: {exhausted}, vì việc "
                f"còn lại không vừa trong ngày: {no_fit}"
            )
        else:
            lines.append(
                f"  team-days: {full} full, {light} light "
                f"(under half a day), {idle} idle of "
                f"{available} available; {hours} hours out "
                f"on average; light or idle because the territory has nothing left the rules "
                f"allow: {exhausted}, because what is left does "
                f"not fit in a day: {no_fit}"
            )
    launch = summary.launch
    if launch:
        # the launch block stays a mapping (`Summary.launch`): planner/launch.py's figures
        ref = launch.get("history", {})
        if vi:
            lines.append(
                f"  lễ ra quân {launch['date']} lúc {launch['start']}: {launch['parades']:,} đoàn "
                f"diễu hành ({launch['parade_passes']:,} lượt qua xã, phường), "
                f"{launch['groups']:,} nhóm nhỏ, ước tính {launch['people_reached_directly']:,.0f} "
                f"người được tiếp cận trực tiếp (ngày phát động 8/5/2022: "
                f"{ref.get('parades_2022', 0):,.0f} đoàn, {ref.get('vehicles_2022', 0):,.0f} xe, "
                f"{ref.get('groups_2022', 0):,.0f} nhóm, {ref.get('people_2022', 0):,.0f} người)"
            )
        else:
            lines.append(
                f"  launch {launch['date']} at {launch['start']}: {launch['parades']:,} parades "
                f"({launch['parade_passes']:,} passes), {launch['groups']:,} small groups, about "
                f"{launch['people_reached_directly']:,.0f} people reached directly (launch day "
                f"8 May 2022: {ref.get('parades_2022', 0):,.0f} parades, "
                f"{ref.get('vehicles_2022', 0):,.0f} vehicles, {ref.get('groups_2022', 0):,.0f} "
                f"groups, {ref.get('people_2022', 0):,.0f} people)"
            )
    if cap is not None and cap.compact:
        work, available = _whole(cap.team_days_with_work), _whole(cap.team_days_available)
        lines.append(
            f"  kế hoạch gọn: tháng này cần {work} / {available} ngày-đội"
            if vi
            else f"  compact plan: this month needs {work} of {available} team-days"
        )
    return lines


def _ratio(a: float, b: float | None) -> float:
    return round(a / b, 3) if b else 0.0


def _opt(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
