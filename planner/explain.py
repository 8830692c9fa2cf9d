"""`planner explain`: what a written plan does for one commune, district or cluster, in words.

It reads the plan folder (schedule.csv, unserved.csv, summary.json, through
`planner.written_plan.read_plan`) and the scenario the plan was made from (for the rules in
force on each day and the minimums), never the solver:

- a commune: each pass (date, team, times, people reached) and each conference held there;
  or, when it gets no pass, why, in a full sentence: isolated on which days, boat only, the
  rule that forbids passes, too far for a day trip from any base, no team free, or no team
  time left with the value the pass would have added and the extra minutes it would need;
- a district (2020 structure) or cluster (2025): its passes and conferences, whether each
  minimum of the scenario is met, and if not, why;
- a province: its figures, and the communes and minimums not served, counted by reason;
- a team (its id, e.g. 27-256-1): its territory (the districts or clusters it may work in,
  by name), its days, passes and conferences, and the stops outside its territory.

Every stop says whether it lies in its team's territory, and every commune or group which
teams have it in theirs. Territories come from summary.json's `territories` block
(`territories_block`) when the plan has one, else from the scenario and the data, rebuilt as
`planner run` builds them (`planner.problem.with_territories`, as `planner check` does);
when neither can be read, the answer leaves them out.

Answers are in Vietnamese (lang="vi", the default) or English (lang="en").
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.domain import ProvinceProblem
from planner.errors import PlannerError
from planner.export.i18n import Lang, check_lang, format_date, format_number, reason_label
from planner.messages import LANGS, msg
from planner.plan import TeamDayRoute, Unserved, hhmm
from planner.rules.checks import driving_spans
from planner.rules.minimums import still_owed
from planner.rules.points import points_per_person
from planner.scenario import Scenario
from planner.scenario.rules import level_on
from planner.verify import scenario_of
from planner.written_plan import ScheduleRow, UnservedRow, WrittenPlan, read_plan

__all__ = ["Territory", "explain", "territories_block"]


def explain(
    out_dir: Path, code: str, lang: str = "vi", *, scenario_path: Path | None = None
) -> str:
    """What the plan in `out_dir` does for the commune, group, province or team `code`.

    Raises PlannerError for a code the plan does not know (and DataError / PlanCheckError
    for a plan folder that cannot be read or whose scenario changed, as `planner check`).
    """
    language = _language(lang)
    plan = read_plan(out_dir)
    scenario, path = scenario_of(plan.summary, scenario_path)
    code = code.strip()
    words = _WORDS[language]
    view = _PlanView(plan, scenario, language, words, path)
    if view.is_commune(code):
        return view.commune(code)
    if view.is_group(code):
        return view.group(code)
    if view.is_province(code):
        return view.province(code)
    if view.is_team(code):
        return view.team(code)
    group = "cluster" if plan.summary.structure == "2025" else "district"
    raise PlannerError(
        msg("explain.no_code", out_dir=out_dir, group=msg(f"word.{group}"), code=repr(code))
    )


# --- territories --------------------------------------------------------------------------


@dataclass(frozen=True)
class Territory:
    """The groups (districts, clusters) a team may work in: code -> name; None: the whole
    province."""

    team_id: str
    home: str
    groups: Mapping[str, str] | None

    def holds(self, group_code: str) -> bool:
        return self.groups is None or group_code in self.groups


def territories_block(problem: ProvinceProblem) -> dict[str, dict[str, Any]]:
    """One province's entry of summary.json's `territories`: team id -> {"home": its own
    group, "groups": {group code: name} it may work in, or None for the whole province}.

    What `planner run` would write as `summary["territories"][province_code]`; read by
    `planner explain` and the maps (`planner.export.maps.write_maps`).
    """
    names = {g.code: g.name for g in problem.groups}
    return {
        team.team_id: {
            "home": team.group_code,
            "groups": None
            if team.territory is None
            else {code: names.get(code, code) for code in team.territory},
        }
        for team in problem.teams
    }


def _territories_from(block: Any) -> dict[str, Territory] | None:
    """A province's `territories` entry as values; None when it is not one."""
    if not isinstance(block, Mapping):
        return None
    out: dict[str, Territory] = {}
    for team_id, entry in block.items():
        if not isinstance(entry, Mapping):
            return None
        groups = entry.get("groups")
        if isinstance(groups, Mapping):
            named: Mapping[str, str] | None = {str(k): str(v) for k, v in groups.items()}
        elif isinstance(groups, list):
            named = {str(k): str(k) for k in groups}
        elif groups is None:
            named = None
        else:
            return None
        out[str(team_id)] = Territory(str(team_id), str(entry.get("home") or ""), named)
    return out


def _language(lang: str) -> Lang:
    try:
        return check_lang(lang)
    except ValueError:
        raise PlannerError(
            msg("explain.unknown_language", lang=lang, langs=", ".join(LANGS))
        ) from None


# --- words --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    """The sentences of one language; {names} are filled in with str.format."""

    commune: str
    district: str
    cluster: str
    province: str
    served: str
    pass_line: str
    conference_line: str
    no_cap: str
    isolated_some_days: str
    not_passed: str
    conferences_held: str
    reasons: dict[str, str]
    no_passes_allowed: str
    forbidden_on: str
    isolated_on: str
    level_forbids: str
    on_day: str
    from_to: str
    group_header: str
    group_header_no_communes: str
    group_no_communes: str
    group_island: str
    minimum_met: str
    minimum_unmet: str
    minimum_none: str
    passes_word: tuple[str, str]
    conferences_word: tuple[str, str]
    not_served_count: str
    province_header: str
    unmet_minimums: str
    all_served: str
    territory: str
    whole_province: str
    inside: str
    outside: str
    teams_holding: str
    no_team_holds: str
    team_header: str
    team_territory: str
    all_inside: str
    team_driving: str
    stops_outside: str
    team: str


_EN = _Words(
    commune="Commune",
    district="District",
    cluster="Cluster",
    province="Province",
    served=(
        "{place} gets {passes} and {conferences}, reaching about {people} people, "
        "with {enrolments} expected enrolments:"
    ),
    pass_line=(
        "- {date}: pass {number} by team {team} ({vehicle}), {start}-{end}, stop {order} of "
        "the day; about {people} people reached, {enrolments} expected enrolments "
        "(rule level '{level}')."
    ),
    conference_line=(
        "- {date}: conference at {venue} ({venue_id}) by team {team}, {start}-{end}{slot}; "
        "{invited} invited, {attendance} expected to attend, {enrolments} expected enrolments; "
        "gathering cap {cap}, {seats} seats by hall area (rule level '{level}')."
    ),
    no_cap="none",
    isolated_some_days="It is isolated {days} (level '{level}'): no team enters it then.",
    not_passed="{place} gets no propaganda pass: {reason}",
    conferences_held="It hosts {conferences}:",
    reasons={
        "isolated": "it is isolated on every campaign day ({days}, level '{level}'), so no team may enter it.",
        "boat_only": (
            "it is an island commune reachable only by boat, and the scenario allows no boat "
            "(travel.boat_allowed = false)."
        ),
        "too_far": (
            "no team base is close enough for a day trip: from every base, driving there, "
            "holding the pass and driving back does not fit in a working day."
        ),
        "no_team": "no team that could reach it works on a day the rules allow a pass there.",
        "no_time_left": (
            "every team that can reach it is fully booked on the days it is open. A first "
            "pass would have reached about {people} people and added {value} to the plan's "
            "value (in people-equivalents); it would need {minutes} more minutes in the "
            "cheapest team-day."
        ),
        "other": "{detail} (reason '{reason}').",
    },
    no_passes_allowed="the scenario allows no propaganda passes (propaganda.allowed = false).",
    forbidden_on="the rules in force forbid passes on every campaign day: {spans}.",
    isolated_on="isolated ('{level}') {days}",
    level_forbids="level '{level}' (passes_allowed = false) {days}",
    on_day="on {day}",
    from_to="from {first} to {last}",
    group_header="{place}: {passes} through {served} of {communes} communes, and {conferences}.",
    group_header_no_communes="{place}: {passes} and {conferences}.",
    group_no_communes="It has no communes in the data planned on, so no team passes there.",
    group_island=(
        "It is an island {group} with no communes in the data, reachable only by boat: "
        "team routes do not cover it."
    ),
    minimum_met="Minimum of {minimum} per {group}: met ({count} planned).",
    minimum_unmet="Minimum of {minimum} per {group}: not met ({count} planned); why: {detail}.",
    minimum_none="No minimum of {what} per {group}.",
    passes_word=("propaganda pass", "propaganda passes"),
    conferences_word=("conference", "conferences"),
    not_served_count="Communes with no pass: {count} ({reasons}): {names}.",
    province_header=(
        "{place}: {team_days} team-days, {passes} and {conferences}; about {people} people "
        "reached, {enrolments} expected enrolments."
    ),
    unmet_minimums="Minimums not met: {count} ({names}); see `planner explain` on each code.",
    all_served="Every commune gets at least one pass.",
    territory="Territory of team {team}: {groups}.",
    whole_province="the whole province",
    inside=" Inside the team's territory.",
    outside=" OUTSIDE the team's territory.",
    teams_holding="In the territory of team(s): {teams}.",
    no_team_holds="In no team's territory.",
    team_header=(
        "{place}: {days} days with a route, {passes} and {conferences}; about {people} people "
        "reached, {enrolments} expected enrolments."
    ),
    team_territory="Territory: {groups}.",
    all_inside="Every stop is inside the team's territory.",
    team_driving=(
        "Driving (legs and loudspeaker passes): at most {day} in a day (limit {day_limit}), "
        "at most {stretch} without a break of {rest} min (limit {stretch_limit}); "
        "{breaks} break(s) on the way."
    ),
    stops_outside="Stops outside the team's territory: {count} ({stops}).",
    team="Team",
)

_VI = _Words(
    commune="Xã/phường",
    district="Huyện",
    cluster="Cụm xã",
    province="Tỉnh/thành phố",
    served=(
        "{place} có {passes} và {conferences}, tiếp cận khoảng {people} người, "
        "dự kiến {enrolments} người tham gia:"
    ),
    pass_line=(
        "- {date}: lượt tuyên truyền thứ {number}, đội {team} ({vehicle}), {start}-{end}, "
        "điểm dừng thứ {order} trong ngày; tiếp cận khoảng {people} người, dự kiến "
        "{enrolments} người tham gia (mức quy định '{level}')."
    ),
    conference_line=(
        "- {date}: hội nghị tại {venue} ({venue_id}), đội {team}, {start}-{end}{slot}; mời "
        "{invited} người, dự kiến {attendance} người dự, {enrolments} người tham gia; giới hạn "
        "tụ tập: {cap}, số chỗ theo diện tích: {seats} (mức quy định '{level}')."
    ),
    no_cap="không giới hạn",
    isolated_some_days=(
        "Xã/phường bị cách ly {days} (mức '{level}'): không đội nào vào trong những ngày này."
    ),
    not_passed="{place} không được tuyên truyền lưu động lượt nào: {reason}",
    conferences_held="Tại đây có {conferences}:",
    reasons={
        "isolated": (
            "xã/phường bị cách ly trong mọi ngày của chiến dịch ({days}, mức '{level}'), "
            "không đội nào được vào."
        ),
        "boat_only": (
            "đây là xã đảo chỉ đến được bằng thuyền, mà kịch bản không cho phép đi thuyền "
            "(travel.boat_allowed = false)."
        ),
        "too_far": (
            "không có nơi xuất phát nào của các đội đủ gần để đi về trong ngày: đi đến, "
            "tuyên truyền rồi quay về không vừa một ngày làm việc."
        ),
        "no_team": ("không có đội nào đến được xã/phường vào ngày quy định cho phép tuyên truyền."),
        "no_time_left": (
            "mọi đội có thể đến đều đã kín lịch trong những ngày được phép tuyên truyền. Lượt "
            "tuyên truyền đầu tiên sẽ tiếp cận khoảng {people} người, thêm {value} vào giá trị "
            "của kế hoạch (quy ra số người), và cần thêm {minutes} phút trong ngày-đội ít tốn "
            "kém nhất."
        ),
        "other": "{detail} (lý do '{reason}').",
    },
    no_passes_allowed=(
        "kịch bản không cho phép tuyên truyền lưu động (propaganda.allowed = false)."
    ),
    forbidden_on="quy định đang áp dụng không cho phép tuyên truyền trong mọi ngày: {spans}.",
    isolated_on="bị cách ly ('{level}') {days}",
    level_forbids="mức '{level}' (passes_allowed = false) {days}",
    on_day="ngày {day}",
    from_to="từ {first} đến {last}",
    group_header=("{place}: {passes} qua {served}/{communes} xã/phường, và {conferences}."),
    group_header_no_communes="{place}: {passes} và {conferences}.",
    group_no_communes=(
        "Không có xã/phường nào trong dữ liệu được dùng, nên không đội nào tuyên truyền ở đây."
    ),
    group_island=(
        "Đây là {group} đảo không có xã/phường trong dữ liệu, chỉ đến được bằng thuyền: "
        "tuyến của các đội không đi tới."
    ),
    minimum_met="Mức tối thiểu {minimum} mỗi {group}: đạt ({count} theo kế hoạch).",
    minimum_unmet=(
        "Mức tối thiểu {minimum} mỗi {group}: không đạt ({count} theo kế hoạch); lý do: {detail}."
    ),
    minimum_none="Không có mức tối thiểu {what} mỗi {group}.",
    passes_word=("lượt tuyên truyền", "lượt tuyên truyền"),
    conferences_word=("hội nghị", "hội nghị"),
    not_served_count="Xã/phường không được tuyên truyền: {count} ({reasons}): {names}.",
    province_header=(
        "{place}: {team_days} ngày-đội, {passes} và {conferences}; tiếp cận khoảng {people} "
        "người, dự kiến {enrolments} người tham gia."
    ),
    unmet_minimums=(
        "Mức tối thiểu không đạt: {count} ({names}); xem `planner explain` cho từng mã."
    ),
    all_served="Mọi xã/phường đều được tuyên truyền ít nhất một lượt.",
    territory="Địa bàn của đội {team}: {groups}.",
    whole_province="cả tỉnh",
    inside=" Trong địa bàn của đội.",
    outside=" NGOÀI địa bàn của đội.",
    teams_holding="Thuộc địa bàn của đội: {teams}.",
    no_team_holds="Không thuộc địa bàn của đội nào.",
    team_header=(
        "{place}: {days} ngày có lộ trình, {passes} và {conferences}; tiếp cận khoảng {people} "
        "người, dự kiến {enrolments} người tham gia."
    ),
    team_territory="Địa bàn của đội: {groups}.",
    all_inside="Mọi điểm dừng đều trong địa bàn của đội.",
    team_driving=(
        "Lái xe (đường đi và lượt phát loa): nhiều nhất {day} một ngày (giới hạn {day_limit}), "
        "nhiều nhất {stretch} liên tục không nghỉ {rest} phút (giới hạn {stretch_limit}); "
        "{breaks} lần nghỉ giữa đường."
    ),
    stops_outside="Điểm dừng ngoài địa bàn của đội: {count} ({stops}).",
    team="Đội",
)

_WORDS: dict[Lang, _Words] = {"en": _EN, "vi": _VI}
_VEHICLES: dict[Lang, dict[str, str]] = {
    "en": {"motorbike": "motorbike", "car": "car"},
    "vi": {"motorbike": "xe máy", "car": "ô tô"},
}
_SLOTS: dict[Lang, dict[str, str]] = {
    "en": {},
    "vi": {"morning": "buổi sáng", "afternoon": "buổi chiều", "evening": "buổi tối"},
}


# --- the plan, seen from one place ---------------------------------------------------------


@dataclass(frozen=True)
class _PlanView:
    plan: WrittenPlan
    scenario: Scenario
    lang: Lang
    words: _Words
    scenario_path: Path | None = None
    _territories: dict[str, dict[str, Territory] | None] = field(default_factory=dict)

    # -- territories

    def territories(self, province: str) -> dict[str, Territory] | None:
        """Team id -> territory in `province`: summary.json's block, else rebuilt from the
        scenario and the data; None when neither can be read."""
        if province not in self._territories:
            self._territories[province] = self._read_territories(province)
        return self._territories[province]

    def _read_territories(self, province: str) -> dict[str, Territory] | None:
        block = self.plan.summary.territories
        if block is not None and province in block:
            return _territories_from(block[province])
        if self.scenario_path is None:
            return None
        from planner.inputs import load_scenario_geodata
        from planner.problem import build_province_problem

        try:
            geo = load_scenario_geodata(self.scenario, self.scenario_path, None)
            problem = build_province_problem(geo, self.scenario, self.scenario_path, province)
        except PlannerError:
            return None
        return _territories_from(territories_block(problem))

    def _territory_of(self, province: str, team: str) -> Territory | None:
        known = self.territories(province)
        return None if known is None else known.get(team)

    def _groups_text(self, territory: Territory) -> str:
        if territory.groups is None:
            return self.words.whole_province
        return ", ".join(f"{name} ({code})" for code, name in territory.groups.items())

    def _territory_lines(self, province: str, teams: Sequence[str]) -> list[str]:
        lines = []
        for team in dict.fromkeys(teams):
            territory = self._territory_of(province, team)
            if territory is not None:
                lines.append(
                    self.words.territory.format(team=team, groups=self._groups_text(territory))
                )
        return lines

    def _holders_line(self, province: str, group_code: str) -> list[str]:
        """Which teams have the group in their territory (none: said so); [] if unknown."""
        known = self.territories(province)
        if known is None:
            return []
        holders = sorted(t.team_id for t in known.values() if t.holds(group_code))
        if not holders:
            return [self.words.no_team_holds]
        return [self.words.teams_holding.format(teams=", ".join(holders))]

    def _inside(self, row: ScheduleRow) -> str:
        """ " Inside the team's territory." / " OUTSIDE ..." for a stop; "" when unknown."""
        territory = self._territory_of(row.province_code, row.team_id)
        if territory is None:
            return ""
        return self.words.inside if territory.holds(row.stop.group_code) else self.words.outside

    # -- what a code names

    def _commune_rows(self, code: str) -> list[ScheduleRow]:
        return [r for r in self.plan.schedule if r.stop.commune_code == code]

    def _unserved_commune(self, code: str) -> UnservedRow | None:
        return next(
            (
                u
                for u in self.plan.unserved
                if u.unserved.kind == "commune" and u.unserved.code == code
            ),
            None,
        )

    def is_commune(self, code: str) -> bool:
        return bool(self._commune_rows(code)) or self._unserved_commune(code) is not None

    def is_group(self, code: str) -> bool:
        return any(r.stop.group_code == code for r in self.plan.schedule) or any(
            u.unserved.group_code == code for u in self.plan.unserved
        )

    def is_province(self, code: str) -> bool:
        return any(p.province_code == code for p in self.plan.summary.provinces)

    # -- names and numbers

    def _number(self, value: float, digits: int = 0) -> str:
        return format_number(value, self.lang, digits)

    def _count(self, n: int, forms: tuple[str, str]) -> str:
        return f"{n} {forms[0] if n == 1 else forms[1]}"

    def _date(self, day: dt.date) -> str:
        return format_date(day, self.lang)

    def _days(self, days: Sequence[dt.date]) -> str:
        """Consecutive days as ranges: "from 26 May 2020 to 28 May 2020, on 30 May 2020"."""
        spans: list[str] = []
        ordinal = [d.toordinal() for d in sorted(days)]
        for _, run in itertools.groupby(enumerate(ordinal), key=lambda item: item[1] - item[0]):
            group = [dt.date.fromordinal(o) for _, o in run]
            first = format_date(group[0], self.lang, with_weekday=False)
            last = format_date(group[-1], self.lang, with_weekday=False)
            if len(group) == 1:
                spans.append(self.words.on_day.format(day=first))
            else:
                spans.append(self.words.from_to.format(first=first, last=last))
        return ", ".join(spans)

    def _group_word(self) -> str:
        return self.words.cluster if self.plan.summary.structure == "2025" else self.words.district

    def _province_name(self, code: str) -> str:
        for p in self.plan.summary.provinces:
            if p.province_code == code:
                return p.province_name
        return code

    def _group_name(self, code: str) -> str:
        for row in self.plan.schedule:
            if row.stop.group_code == code:
                return row.stop.group_name
        for u in self.plan.unserved:
            if u.unserved.kind != "commune" and u.unserved.code == code:
                return u.unserved.name
        return ""

    def _group_province(self, code: str) -> str:
        for row in self.plan.schedule:
            if row.stop.group_code == code:
                return row.province_code
        return next(u.province_code for u in self.plan.unserved if u.unserved.group_code == code)

    # -- a commune

    def commune(self, code: str) -> str:
        w = self.words
        rows = sorted(self._commune_rows(code), key=lambda r: (r.date, r.team_id, r.order))
        unserved = self._unserved_commune(code)
        if rows:
            first = rows[0]
            name, group_code, group_name = (
                first.stop.commune_name,
                first.stop.group_code,
                first.stop.group_name,
            )
            province = first.province_code
        else:
            assert unserved is not None
            name, group_code = unserved.unserved.name, unserved.unserved.group_code
            group_name, province = self._group_name(group_code), unserved.province_code
        where = ", ".join(x for x in (group_name or group_code, self._province_name(province)))
        place = f"{w.commune} {code} {name} ({where})"
        passes = [r for r in rows if r.stop.kind == "pass"]
        conferences = [r for r in rows if r.stop.kind == "conference"]
        lines: list[str] = []
        if passes:
            people = sum(r.stop.people_reached for r in rows)
            enrolments = sum(r.stop.expected_enrolments for r in rows)
            lines.append(
                w.served.format(
                    place=place,
                    passes=self._count(len(passes), w.passes_word),
                    conferences=self._count(len(conferences), w.conferences_word),
                    people=self._number(people),
                    enrolments=self._number(enrolments, 1),
                )
            )
            lines += [self._stop_line(r) for r in rows]
            lines += self._territory_lines(province, [r.team_id for r in rows])
        else:
            reason = (
                self._reason(unserved, province, group_code, code) if unserved is not None else ""
            )
            lines.append(w.not_passed.format(place=place, reason=reason))
            if conferences:
                lines.append(
                    w.conferences_held.format(
                        conferences=self._count(len(conferences), w.conferences_word)
                    )
                )
                lines += [self._stop_line(r) for r in conferences]
                lines += self._territory_lines(province, [r.team_id for r in conferences])
            lines += self._holders_line(province, group_code)
        if passes or (unserved is not None and unserved.unserved.reason != "isolated"):
            lines += self._isolation_note(province, group_code, code)
        return "\n".join(lines)

    def _stop_line(self, row: ScheduleRow) -> str:
        stop = row.stop
        common = {
            "date": self._date(row.date),
            "team": row.team_id,
            "start": hhmm(stop.start_min),
            "end": hhmm(stop.end_min),
            "enrolments": self._number(stop.expected_enrolments, 2),
            "level": stop.rule_level,
        }
        if stop.kind == "pass":
            vehicle = next(
                (
                    r.vehicle
                    for r in self.plan.routes.get(row.province_code, ())
                    if r.team_id == row.team_id and r.date == row.date
                ),
                "",
            )
            return self.words.pass_line.format(
                number=stop.pass_number,
                vehicle=_VEHICLES[self.lang].get(vehicle, vehicle),
                order=row.order,
                people=self._number(stop.people_reached),
                **common,
            ) + self._inside(row)
        slot = _SLOTS[self.lang].get(stop.slot or "", stop.slot or "")
        return self.words.conference_line.format(
            venue=stop.venue_name,
            venue_id=stop.venue_id,
            slot=f" ({slot})" if slot else "",
            invited=stop.invited,
            attendance=self._number(stop.expected_attendance or 0.0),
            cap=self.words.no_cap if stop.gathering_cap is None else stop.gathering_cap,
            seats=stop.seats_by_area,
            **common,
        ) + self._inside(row)

    def _isolation_note(self, province: str, group: str, commune: str) -> list[str]:
        days = [
            d
            for d in self.scenario.campaign.days
            if level_on(self.scenario, d, province, group, commune).isolated
        ]
        if not days:
            return []
        level = level_on(self.scenario, days[0], province, group, commune).name
        return [self.words.isolated_some_days.format(days=self._days(days), level=level)]

    def _reason(self, row: UnservedRow, province: str, group: str, commune: str) -> str:
        w, u = self.words, row.unserved
        days = self.scenario.campaign.days
        if u.reason == "isolated":
            levels = {level_on(self.scenario, d, province, group, commune).name for d in days}
            return w.reasons["isolated"].format(
                days=self._days(days), level="', '".join(sorted(levels))
            )
        if u.reason == "rule_forbids":
            if not self.scenario.propaganda.allowed:
                return w.no_passes_allowed
            spans: list[str] = []
            by_level: dict[str, list[dt.date]] = {}
            for d in days:
                name = level_on(self.scenario, d, province, group, commune).name
                by_level.setdefault(name, []).append(d)
            for name, on in by_level.items():
                level = self.scenario.covid.levels[name]
                template = w.isolated_on if level.isolated else w.level_forbids
                spans.append(template.format(level=name, days=self._days(on)))
            return w.forbidden_on.format(spans="; ".join(spans))
        if u.reason == "no_time_left":
            minutes = "?" if u.insertion_minutes is None else str(u.insertion_minutes)
            # value_lost = people x (reach_weight + conversion x enrolment_weight)
            per_person = points_per_person(
                self.scenario.objective, self.scenario.propaganda.conversion
            )
            people = u.value_lost / per_person if per_person > 0 else 0.0
            return w.reasons["no_time_left"].format(
                people=self._number(people), value=self._number(u.value_lost), minutes=minutes
            )
        if u.reason in w.reasons:
            return w.reasons[u.reason]
        return w.reasons["other"].format(detail=u.detail, reason=u.reason)

    # -- a district or cluster

    def group(self, code: str) -> str:
        w = self.words
        province = self._group_province(code)
        rows = [r for r in self.plan.schedule if r.stop.group_code == code]
        passes = [r for r in rows if r.stop.kind == "pass"]
        conferences = [r for r in rows if r.stop.kind == "conference"]
        served = {r.stop.commune_code for r in passes}
        unserved = [
            u
            for u in self.plan.unserved
            if u.unserved.group_code == code and u.province_code == province
        ]
        left_out = [u.unserved for u in unserved if u.unserved.kind == "commune"]
        word = self._group_word()
        name = self._group_name(code)
        place = f"{word} {code} {name} ({self._province_name(province)})".replace("  ", " ")
        n_communes = len(served) + len(left_out)
        header = w.group_header if n_communes else w.group_header_no_communes
        lines = [
            header.format(
                place=place,
                passes=self._count(len(passes), w.passes_word),
                served=len(served),
                communes=n_communes,
                conferences=self._count(len(conferences), w.conferences_word),
            )
        ]
        # a group with no communes (an island district): the reason of its minimums too
        no_communes = next((u.unserved for u in unserved if u.unserved.kind == "group"), None)
        if no_communes is not None:
            island = no_communes.reason == "boat_only"
            text = w.group_island if island else w.group_no_communes
            lines.append(text.format(group=word.lower()))
        fairness = self.scenario.fairness
        unmet = [u.unserved for u in unserved if u.unserved.kind == "group_minimum"]
        for what, minimum, count, forms in (
            ("passes", fairness.min_passes_per_group, len(passes), w.passes_word),
            (
                "conferences",
                fairness.min_conferences_per_group,
                len(conferences),
                w.conferences_word,
            ),
        ):
            if minimum == 0:
                lines.append(w.minimum_none.format(what=forms[1], group=word.lower()))
                continue
            text = self._count(minimum, forms)
            if not still_owed(minimum, count):
                lines.append(w.minimum_met.format(minimum=text, group=word.lower(), count=count))
                continue
            # unserved.csv has one row per unmet minimum; its detail names passes or conferences
            entry = no_communes or next((u for u in unmet if f" {what} " in f" {u.detail} "), None)
            lines.append(
                w.minimum_unmet.format(
                    minimum=text, group=word.lower(), count=count, detail=self._why(entry)
                )
            )
        if left_out:
            lines.append(self._not_served(left_out))
        lines += self._holders_line(province, code)
        outside = [r for r in rows if self._inside(r) == self.words.outside]
        if outside:
            lines.append(self._outside_line(outside))
        return "\n".join(lines)

    def _outside_line(self, rows: Sequence[ScheduleRow]) -> str:
        stops = ", ".join(
            f"{format_date(r.date, self.lang, with_weekday=False)} {r.team_id} "
            f"{r.stop.commune_code} {r.stop.commune_name}"
            for r in rows[:10]
        )
        if len(rows) > 10:
            stops += ", …"
        return self.words.stops_outside.format(count=len(rows), stops=stops)

    def _why(self, entry: Unserved | None) -> str:
        """The reasons of an unmet minimum, in words: those its communes were left out for."""
        if entry is None:
            return "?"
        _, found, listed = entry.detail.partition("left out for: ")
        reasons = [r.strip() for r in listed.split(",") if r.strip()] if found else []
        return ", ".join(reason_label(r, self.lang).lower() for r in reasons or [entry.reason])

    def _not_served(self, communes: Sequence[Unserved]) -> str:
        reasons = Counter(u.reason for u in communes)
        shown = ", ".join(
            f"{reason_label(r, self.lang).lower()}: {n}" for r, n in sorted(reasons.items())
        )
        names = ", ".join(f"{u.code} {u.name}" for u in communes[:10])
        if len(communes) > 10:
            names += ", …"
        return self.words.not_served_count.format(count=len(communes), reasons=shown, names=names)

    # -- a team

    def is_team(self, code: str) -> bool:
        return any(r.team_id == code for r in self.plan.schedule) or any(
            r.team_id == code for routes in self.plan.routes.values() for r in routes
        )

    def team(self, code: str) -> str:
        w = self.words
        rows = sorted(
            (r for r in self.plan.schedule if r.team_id == code),
            key=lambda r: (r.date, r.order),
        )
        province = next(
            (p for p, routes in self.plan.routes.items() if any(r.team_id == code for r in routes)),
            rows[0].province_code if rows else "",
        )
        days = {r.date for r in self.plan.routes.get(province, ()) if r.team_id == code}
        passes = [r for r in rows if r.stop.kind == "pass"]
        conferences = [r for r in rows if r.stop.kind == "conference"]
        lines = [
            w.team_header.format(
                place=f"{w.team} {code} ({self._province_name(province)})",
                days=len(days),
                passes=self._count(len(passes), w.passes_word),
                conferences=self._count(len(conferences), w.conferences_word),
                people=self._number(sum(r.stop.people_reached for r in rows)),
                enrolments=self._number(sum(r.stop.expected_enrolments for r in rows), 1),
            )
        ]
        territory = self._territory_of(province, code)
        if territory is not None:
            lines.append(w.team_territory.format(groups=self._groups_text(territory)))
            outside = [r for r in rows if not territory.holds(r.stop.group_code)]
            lines.append(self._outside_line(outside) if outside else w.all_inside)
        team_routes = [r for r in self.plan.routes.get(province, ()) if r.team_id == code]
        if team_routes:
            lines.append(self._driving_line(team_routes))
        return "\n".join(lines)

    def _driving_line(self, routes: Sequence[TeamDayRoute]) -> str:
        """The team's driving against the traffic-safety limits ([safety], `check`)."""
        safety = self.scenario.safety
        most_day = most_stretch = breaks = 0
        for route in routes:
            spans = driving_spans(route)
            most_day = max(most_day, sum(b - a for a, b in spans))
            stretch, last_end = 0, None
            for a, b in spans:
                if last_end is not None and a - last_end >= safety.break_minutes:
                    # The day's timing inserts a break of exactly break_minutes before a drive.
                    breaks += a - last_end == safety.break_minutes
                    stretch = 0
                stretch += b - a
                last_end = b
                most_stretch = max(most_stretch, stretch)
        return self.words.team_driving.format(
            day=self._duration(most_day),
            day_limit=self._duration(safety.max_driving_minutes),
            stretch=self._duration(most_stretch),
            rest=safety.break_minutes,
            stretch_limit=self._duration(safety.max_continuous_driving_minutes),
            breaks=breaks,
        )

    def _duration(self, minutes: int) -> str:
        hours, rest = divmod(minutes, 60)
        return f"{hours}h{rest:02d}" if hours else f"{rest} min"

    # -- a province

    def province(self, code: str) -> str:
        w = self.words
        figures = next(p for p in self.plan.summary.provinces if p.province_code == code)
        lines = [
            w.province_header.format(
                place=f"{w.province} {code} {figures.province_name}",
                team_days=figures.team_days,
                passes=self._count(figures.passes, w.passes_word),
                conferences=self._count(figures.conferences, w.conferences_word),
                people=self._number(figures.expected_reach),
                enrolments=self._number(figures.expected_enrolments, 1),
            )
        ]
        unserved = [u.unserved for u in self.plan.unserved if u.province_code == code]
        left_out = [u for u in unserved if u.kind == "commune"]
        lines.append(self._not_served(left_out) if left_out else w.all_served)
        unmet = [u for u in unserved if u.kind == "group_minimum"]
        if unmet:
            names = ", ".join(sorted({f"{u.code} {u.name}" for u in unmet}))
            lines.append(w.unmet_minimums.format(count=len(unmet), names=names))
        return "\n".join(lines)
