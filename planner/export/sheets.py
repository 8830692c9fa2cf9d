"""Printable route sheets: one page per team and day, in one HTML file per team.

`write_route_sheets(plan, out_dir)` writes `<team-id>.html` for each team (a page break
before each day, A4 portrait; the names of the team pages of the maps, `team_files`: a team
whose id is not a plain file name, or is `index`, gets `team-<id>.html`) and `index.html`
listing them. A sheet gives, in time order:
leaving the base, each stop (arrival, start and end, commune and district, what to do there,
how many people are expected, a navigation link), the lunch break and the return; then room
to tick what was done and sign, so that the team's report can pin what is done when the
rest is re-planned. Printed, each link also shows its coordinates.

Pages are rendered with Jinja2 with autoescaping on: names from the input data are text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from planner.export._offline import check_offline
from planner.export.i18n import (
    Lang,
    check_lang,
    format_date,
    format_number,
    group_word,
    kind_label,
    slot_label,
    t,
    vehicle_label,
)
from planner.export.maps import navigation_url, team_files
from planner.plan import Plan, ProvincePlan, TeamDayRoute, hhmm

__all__ = ["write_route_sheets"]


@dataclass(frozen=True)
class SheetRow:
    """One line of a day's sheet: a stop, or leaving, lunch, coming back."""

    kind: str  # depart | pass | conference | lunch | return
    number: int | None
    arrival: str
    start: str
    end: str
    commune: str
    group: str
    activity: str
    detail: str
    expected: str
    navigation: str | None
    coords: str


@dataclass(frozen=True)
class SheetDay:
    date_text: str
    route: TeamDayRoute
    rows: tuple[SheetRow, ...]
    travel_km: str
    lunch: str


def _day_rows(route: TeamDayRoute, lang: Lang) -> tuple[SheetRow, ...]:
    base_coords = f"{route.base_lat:.5f}, {route.base_lon:.5f}"
    rows: list[tuple[int, int, SheetRow]] = [
        (
            route.depart_min,
            0,
            SheetRow(
                "depart",
                None,
                "",
                hhmm(route.depart_min),
                "",
                route.base_name,
                "",
                t("depart", lang),
                "",
                "",
                None,
                base_coords,
            ),
        )
    ]
    for n, stop in enumerate(route.stops, start=1):
        if stop.kind == "conference":
            cap = (
                t("no_cap", lang)
                if stop.gathering_cap is None
                else format_number(stop.gathering_cap, lang)
            )
            parts = [
                stop.venue_name or stop.venue_id or "",
                slot_label(stop.slot, lang),
                f"{t('invited', lang)}: {format_number(stop.invited or 0, lang)}",
                f"{t('gathering_cap', lang)}: {cap}",
            ]
            detail = " · ".join(p for p in parts if p)
            expected = format_number(stop.expected_attendance or 0, lang)
        else:
            detail = ""
            expected = format_number(stop.people_reached, lang)
        rows.append(
            (
                stop.arrival_min,
                1,
                SheetRow(
                    stop.kind,
                    n,
                    hhmm(stop.arrival_min),
                    hhmm(stop.start_min),
                    hhmm(stop.end_min),
                    stop.commune_name,
                    stop.group_name,
                    kind_label(stop.kind, lang, stop.pass_number),
                    detail,
                    expected,
                    navigation_url(stop.lat, stop.lon),
                    f"{stop.lat:.5f}, {stop.lon:.5f}",
                ),
            )
        )
    if route.lunch_minutes:
        rows.append(
            (
                route.lunch_start_min,
                1,
                SheetRow(
                    "lunch",
                    None,
                    "",
                    hhmm(route.lunch_start_min),
                    hhmm(route.lunch_start_min + route.lunch_minutes),
                    "",
                    "",
                    t("lunch", lang),
                    "",
                    "",
                    None,
                    "",
                ),
            )
        )
    rows.append(
        (
            route.return_min,
            2,
            SheetRow(
                "return",
                None,
                hhmm(route.return_min),
                "",
                "",
                route.base_name,
                "",
                t("return", lang),
                "",
                "",
                navigation_url(route.base_lat, route.base_lon),
                base_coords,
            ),
        )
    )
    rows.sort(key=lambda item: (item[0], item[1]))
    return tuple(row for _, _, row in rows)


def _sheet_days(routes: Sequence[TeamDayRoute], lang: Lang) -> list[SheetDay]:
    return [
        SheetDay(
            date_text=format_date(route.date, lang),
            route=route,
            rows=_day_rows(route, lang),
            travel_km=format_number(route.travel_km, lang, 1),
            lunch=(
                f"{hhmm(route.lunch_start_min)}–{hhmm(route.lunch_start_min + route.lunch_minutes)}"
                if route.lunch_minutes
                else ""
            ),
        )
        for route in sorted(routes, key=lambda r: r.date)
    ]


_STYLE = """
body { font: 14px/1.35 Arial, "Helvetica Neue", sans-serif; color: #111; margin: 0 auto;
  max-width: 1100px; padding: 12px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 6px; color: #333; }
.meta { margin: 2px 0 8px; color: #333; }
table { width: 100%; border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #777; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #e8eef4; font-size: 12px; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.time { white-space: nowrap; }
tr.lunch td, tr.depart td, tr.return td { background: #f6f6f6; font-style: italic; }
tr.conference td { background: #fff8e1; }
.detail { color: #444; font-size: 12px; }
.box { display: inline-block; width: 16px; height: 16px; border: 1.5px solid #333; }
.sign { display: flex; justify-content: space-between; margin-top: 18px; gap: 24px; }
.sign div { flex: 1; border-top: 1px dotted #555; padding-top: 4px; min-height: 56px; }
.note { color: #555; font-size: 12px; }
.toolbar { margin: 8px 0 16px; }
.toolbar button { font-size: 15px; padding: 8px 16px; }
a.nav { white-space: nowrap; }
.coords { display: none; }
section.day { margin-bottom: 32px; }
@page { size: A4 portrait; margin: 10mm; }
.print-only { display: none; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; line-height: 1.25; }
  h1 { font-size: 13pt; }
  th, td { padding: 2px 4px; }
  th { font-size: 8.5pt; }
  .toolbar, .noprint, a.nav { display: none; }
  .print-only { display: inline; }
  section.day { break-after: page; page-break-after: always; margin: 0; }
  section.day:last-of-type { break-after: auto; page-break-after: auto; }
  a { color: #000; text-decoration: none; }
  .coords { display: inline; font-size: 8.5pt; color: #222; }
  .sign div { min-height: 40px; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"""

_TEAM_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ L.route_sheet }} — {{ L.team }} {{ team_id }}</title>
<style>{{ style|safe }}</style>
</head>
<body>
<div class="toolbar noprint">
<a href="index.html">← {{ L.route_sheets }}</a> ·
<button type="button" onclick="window.print()">{{ L.print }}</button>
</div>
{% for day in days %}
<section class="day">
<h1>{{ L.route_sheet }} · {{ L.team }} {{ team_id }} · {{ day.date_text }}</h1>
<div class="meta">{{ province.province_name }}{% if groups %} · {{ groups }}{% endif %}
 · {{ L.vehicle }}: {{ vehicle }} · {{ L.base }}: {{ day.route.base_name }}</div>
<div class="meta">{{ L.depart }}: <b>{{ hhmm(day.route.depart_min) }}</b>
 · {{ L.return }}: <b>{{ hhmm(day.route.return_min) }}</b>
 · {{ day.route.stops|length }} {{ L.stops }} · {{ day.travel_km }} km
{% if day.lunch %} · {{ L.lunch }}: <b>{{ day.lunch }}</b>{% endif %}</div>
<table>
<thead><tr>
<th class="num">#</th><th>{{ L.arrival }}</th><th>{{ L.start }}</th><th>{{ L.end }}</th>
<th>{{ L.commune }}</th><th>{{ group_word }}</th><th>{{ L.activity }}</th>
<th class="num">{{ L.expected_attendance }}</th><th><span class="noprint">{{ L.navigate }}</span><span class="print-only">{{ L.coordinates }}</span></th><th>{{ L.done }}</th>
</tr></thead>
<tbody>
{% for row in day.rows %}
<tr class="{{ row.kind }}">
<td class="num">{{ row.number or "" }}</td>
<td class="time">{{ row.arrival }}</td><td class="time">{{ row.start }}</td>
<td class="time">{{ row.end }}</td>
<td>{{ row.commune }}</td><td>{{ row.group }}</td>
<td>{{ row.activity }}{% if row.detail %}<div class="detail">{{ row.detail }}</div>{% endif %}</td>
<td class="num">{{ row.expected }}</td>
<td>{% if row.navigation %}<a class="nav" href="{{ row.navigation }}" target="_blank" rel="noopener">{{ L.navigate }} ›</a><span class="coords">{{ row.coords }}</span>{% endif %}</td>
<td>{% if row.number %}<span class="box"></span>{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
<div class="sign"><div>{{ L.notes }}</div><div>{{ L.signature }}</div></div>
<p class="note">{{ L.printed_note }}.</p>
</section>
{% endfor %}
</body>
</html>
"""

_INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ L.route_sheets }} — {{ scenario }}</title>
<style>{{ style|safe }}</style>
</head>
<body>
<h1>{{ L.route_sheets }}</h1>
<div class="meta">{{ L.campaign }} · {{ scenario }}</div>
{% for province, teams in provinces %}
<h2>{{ province.province_name }} ({{ province.province_code }})</h2>
<table>
<thead><tr><th>{{ L.team }}</th><th>{{ group_word(province) }}</th><th class="num">{{ L.days }}</th>
<th class="num">{{ L.stops }}</th><th>{{ L.date }}</th></tr></thead>
<tbody>
{% for team in teams %}
<tr><td><a href="{{ team.href }}">{{ L.team }} {{ team.team_id }}</a></td><td>{{ team.groups }}</td>
<td class="num">{{ team.days }}</td><td class="num">{{ team.stops }}</td><td>{{ team.period }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endfor %}
</body>
</html>
"""


@dataclass(frozen=True)
class _TeamEntry:
    team_id: str
    href: str
    groups: str
    days: int
    stops: int
    period: str


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def _groups(routes: Sequence[TeamDayRoute]) -> str:
    return ", ".join(sorted({s.group_name for r in routes for s in r.stops}))


def _period(days: Sequence[dt.date], lang: Lang) -> str:
    if not days:
        return ""
    first = format_date(min(days), lang, with_weekday=False)
    last = format_date(max(days), lang, with_weekday=False)
    return first if first == last else f"{first} – {last}"


def write_route_sheets(plan: Plan, out_dir: Path, *, lang: str = "vi") -> list[Path]:
    """Write `<team-id>.html` for every team (see `team_files`) and `index.html` into
    `out_dir`; return them."""
    language = check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    labels = {key: t(key, language) for key in _LABEL_KEYS}
    env = _environment()
    team_template = env.from_string(_TEAM_TEMPLATE)
    files = team_files(plan)
    written: list[Path] = []
    index: list[tuple[ProvincePlan, list[_TeamEntry]]] = []
    for province in plan.provinces:
        entries: list[_TeamEntry] = []
        for team_id in sorted({r.team_id for r in province.routes}):
            routes = [r for r in province.routes if r.team_id == team_id]
            name = files[(province.province_code, team_id)]
            page = team_template.render(
                lang=language,
                L=labels,
                style=_STYLE,
                team_id=team_id,
                province=province,
                groups=_groups(routes),
                group_word=group_word(province.group_label, language),
                vehicle=vehicle_label(routes[0].vehicle, language),
                days=_sheet_days(routes, language),
                hhmm=hhmm,
            )
            path = out_dir / name
            check_offline(page, path)
            path.write_text(page, encoding="utf-8")
            written.append(path)
            entries.append(
                _TeamEntry(
                    team_id=team_id,
                    href=name,
                    groups=_groups(routes),
                    days=len({r.date for r in routes}),
                    stops=sum(len(r.stops) for r in routes),
                    period=_period([r.date for r in routes], language),
                )
            )
        index.append((province, entries))
    page = env.from_string(_INDEX_TEMPLATE).render(
        lang=language,
        L=labels,
        style=_STYLE,
        scenario=plan.scenario,
        provinces=index,
        group_word=lambda p: group_word(p.group_label, language),
    )
    path = out_dir / "index.html"
    check_offline(page, path)
    path.write_text(page, encoding="utf-8")
    return [path, *written]


_LABEL_KEYS = (
    "activity",
    "arrival",
    "base",
    "campaign",
    "commune",
    "coordinates",
    "date",
    "days",
    "depart",
    "done",
    "end",
    "expected_attendance",
    "lunch",
    "navigate",
    "notes",
    "print",
    "printed_note",
    "return",
    "route_sheet",
    "route_sheets",
    "signature",
    "start",
    "stops",
    "team",
    "vehicle",
)
