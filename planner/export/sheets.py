"""Printable route sheets: one page per team and day, in one HTML file per team.

`write_route_sheets(plan, out_dir)` writes `<team-id>.html` for each team (a page break
before each day, A4 portrait; the names of the team pages of the maps, `team_files`: a team
whose id is not a plain file name, or is `index`, gets `team-<id>.html`) and `index.html`
listing them. A day's sheet gives:

- the day's header, and under it, when the plan says why the day is light (`note`), that
  reason in a box;
- a small map of the day drawn from the stop coordinates alone (`day_svg`: inline SVG, no
  tiles, no network): the base as a square, the stops as numbered circles, the route as a
  line, a km scale;
- in time order, leaving the base, each stop (arrival, an empty "actual arrival" box to
  fill in by hand, start and end, commune and district, what to do there, how many people
  are expected, a navigation link), the lunch break and the return; a link to a point that
  is an estimate says so ("Chỉ đường (vị trí ước tính)"), expected people computed from an
  estimated population carry a '*' explained under the table, and a conference gives its
  hall's seats (estimated or not) and what the planner's lists say of the venue: address,
  contact name and phone, opening hours;
- room to tick what was done and sign, so that the team's report can pin what is done when
  the rest is re-planned. Printed, each link also shows its coordinates.

Times are rounded to 5 minutes (`hhmm5`): a team reads "10:05", not "10:03", and the plan
is not that precise. Expected people are whole numbers (`whole`). On a phone (up to 640 px
wide) the table turns into one card per stop, with nothing wider than the screen.

Pages are rendered with Jinja2 with autoescaping on: names from the input data are text.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import jinja2
from markupsafe import Markup

from planner.export._offline import check_offline
from planner.export.i18n import (
    Lang,
    check_lang,
    day_note_label,
    format_date,
    format_number,
    group_word,
    kind_label,
    slot_label,
    t,
    vehicle_label,
)
from planner.export.maps import nav_label, navigation_url, team_files
from planner.plan import Plan, ProvincePlan, Stop, TeamDayRoute, hhmm

__all__ = [
    "day_svg",
    "hhmm5",
    "round5",
    "venue_details",
    "whole",
    "write_route_sheets",
]


def round5(minutes: float) -> int:
    """`minutes` rounded to the nearest 5 (halves up): 603 -> 605, 602 -> 600, 602.5 -> 605."""
    return 5 * math.floor(minutes / 5 + 0.5)


def hhmm5(minutes: float) -> str:
    """A time of day as hh:mm, rounded to the nearest 5 minutes."""
    return hhmm(round5(minutes))


def whole(value: float, lang: Lang) -> str:
    """A number of people as a whole number (halves up): 8.4 -> "8", 1234.5 -> "1.235"."""
    return format_number(math.floor(value + 0.5), lang)


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
    nav_label: str = ""  # "Chỉ đường", or "Chỉ đường (vị trí ước tính)" for a placed point

    @property
    def fill_in(self) -> bool:
        """True for the lines whose actual arrival the team writes down (stops, return)."""
        return self.kind in ("pass", "conference", "return")


@dataclass(frozen=True)
class SheetDay:
    date_text: str
    route: TeamDayRoute
    rows: tuple[SheetRow, ...]
    travel_km: str
    lunch: str
    map_svg: Markup
    note: str = ""  # why the day is light, in the sheet's language (`day_note_label`)
    estimates_note: str = ""  # what the '*' by expected people means, when a stop has one


def venue_details(stop: Stop, lang: Lang) -> list[str]:
    """What a conference stop's sheet says of its venue: hall seats (estimated or not),
    address, contact name and phone, opening hours (those the planner's lists give)."""
    parts: list[str] = []
    if stop.seats_by_area is not None:
        hall = f"{t('hall', lang)}: {format_number(stop.seats_by_area, lang)} {t('seats', lang)}"
        if stop.hall_estimated:
            hall += f" ({t('estimated', lang)})"
        parts.append(hall)
    if stop.venue_address:
        parts.append(f"{t('address', lang)}: {stop.venue_address}")
    contact = ", ".join(p for p in (stop.contact_name, stop.contact_phone) if p)
    if contact:
        parts.append(f"{t('contact', lang)}: {contact}")
    if stop.opening_hours:
        parts.append(f"{t('opening_hours', lang)}: {stop.opening_hours}")
    return parts


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
                hhmm5(route.depart_min),
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
                *venue_details(stop, lang),
            ]
            detail = " · ".join(p for p in parts if p)
            expected = whole(stop.expected_attendance or 0, lang)
        else:
            detail = ""
            expected = whole(stop.people_reached, lang)
        if stop.population_estimated:
            expected += " *"
        rows.append(
            (
                stop.arrival_min,
                1,
                SheetRow(
                    stop.kind,
                    n,
                    hhmm5(stop.arrival_min),
                    hhmm5(stop.start_min),
                    hhmm5(stop.end_min),
                    stop.commune_name,
                    stop.group_name,
                    kind_label(stop.kind, lang, stop.pass_number),
                    detail,
                    expected,
                    navigation_url(stop.lat, stop.lon),
                    f"{stop.lat:.5f}, {stop.lon:.5f}",
                    nav_label(stop.position_estimated, lang),
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
                    hhmm5(route.lunch_start_min),
                    hhmm5(route.lunch_start_min + route.lunch_minutes),
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
                hhmm5(route.return_min),
                "",
                "",
                route.base_name,
                "",
                t("return", lang),
                "",
                "",
                navigation_url(route.base_lat, route.base_lon),
                base_coords,
                nav_label(route.base_position_estimated, lang),
            ),
        )
    )
    rows.sort(key=lambda item: (item[0], item[1]))
    return tuple(row for _, _, row in rows)


# -- the day's map, as inline SVG ----------------------------------------------------------------

SVG_WIDTH, SVG_HEIGHT, SVG_PAD = 360, 230, 24
SVG_PAD_BOTTOM = 36  # room for the scale bar
STOP_RADIUS = 9
_KM_PER_DEGREE = 111.32
_ROUTE_COLOUR = "#1565c0"
_CONFERENCE_COLOUR = "#ffb300"


def _spread(points: list[tuple[float, float]], radius: float) -> list[tuple[float, float]]:
    """Points (pixels) closer than two radii to each other moved apart onto a small ring
    around their middle, so that every circle and its number shows."""
    groups: list[list[int]] = []
    for i, (x, y) in enumerate(points):
        for group in groups:
            gx, gy = points[group[0]]
            if math.hypot(x - gx, y - gy) < 2 * radius:
                group.append(i)
                break
        else:
            groups.append([i])
    out = list(points)
    for group in groups:
        if len(group) < 2:
            continue
        cx = sum(points[i][0] for i in group) / len(group)
        cy = sum(points[i][1] for i in group) / len(group)
        ring = radius * 1.1 / math.sin(math.pi / len(group))  # neighbours just touch
        for k, i in enumerate(group):
            angle = 2 * math.pi * k / len(group) - math.pi / 2
            out[i] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle))
    return out


def _free_spot(
    point: tuple[float, float], taken: Sequence[tuple[float, float]], clearance: float
) -> tuple[float, float]:
    """The first spot around `point` (rings of 20, 30, 40 px; up-left first) at least
    `clearance` from every point of `taken` and inside the map; up-left 20 px if none."""
    x, y = point
    for radius in (20, 30, 40):
        for step in range(8):
            angle = math.radians(225 + 45 * step)
            cx, cy = x + radius * math.cos(angle), y + radius * math.sin(angle)
            inside = 8 <= cx <= SVG_WIDTH - 8 and 8 <= cy <= SVG_HEIGHT - 8
            if inside and all(math.hypot(cx - tx, cy - ty) >= clearance for tx, ty in taken):
                return cx, cy
    return x - 14, y - 14


def _nice_km(target: float) -> float:
    for km in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200):
        if km >= target:
            return km
    return 500.0


def day_svg(route: TeamDayRoute, lang: Lang = "vi") -> str:
    """The day's route as a small map in inline SVG, drawn from the coordinates alone.

    Equirectangular projection (x = longitude x cos of the middle latitude, y = latitude)
    scaled to fit the day's bounding box into 360 x 230 (north up, same scale both ways);
    the route as a polyline base -> stops -> base, the base as a square, each stop as a
    circle with its number (conferences in amber), and a km scale bar. Stops at one place
    (or too close to tell apart at this scale) are spread on a small ring around it, and a
    stop on the base moves the base's square up and to the left with a tick to its place.
    Valid XML, with one <circle> per stop.
    """
    cos_lat = math.cos(math.radians(route.base_lat))
    places = [(route.base_lon, route.base_lat)] + [(s.lon, s.lat) for s in route.stops]
    xs = [lon * cos_lat for lon, _ in places]
    ys = [lat for _, lat in places]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    inner_w, inner_h = SVG_WIDTH - 2 * SVG_PAD, SVG_HEIGHT - SVG_PAD - SVG_PAD_BOTTOM
    if span_x <= 0 and span_y <= 0:
        scale = inner_w / 0.02  # one place: about 2 km across the map
    else:
        scale = min(
            inner_w / span_x if span_x > 0 else math.inf,
            inner_h / span_y if span_y > 0 else math.inf,
        )
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def project(x: float, y: float) -> tuple[float, float]:
        middle = SVG_PAD + inner_h / 2
        return SVG_WIDTH / 2 + (x - mid_x) * scale, middle - (y - mid_y) * scale

    pixels = [project(x, y) for x, y in zip(xs, ys, strict=True)]
    base, stops = pixels[0], pixels[1:]
    shown = _spread(stops, STOP_RADIUS)
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in [base, *stops, base])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="daymap" viewBox="0 0 {SVG_WIDTH} '
        f'{SVG_HEIGHT}" width="{SVG_WIDTH}" height="{SVG_HEIGHT}" role="img" '
        f'aria-label="{escape(t("day_map", lang))}">',
        f"<title>{escape(t('day_map', lang))}</title>",
        f'<rect x="0.5" y="0.5" width="{SVG_WIDTH - 1}" height="{SVG_HEIGHT - 1}" '
        'fill="#fafafa" stroke="#bbb"/>',
        f'<polyline points="{line}" fill="none" stroke="{_ROUTE_COLOUR}" stroke-width="2.5" '
        'stroke-linejoin="round" stroke-opacity="0.75"/>',
    ]
    # the base: moved to the nearest free spot when a stop sits on it, with a tick back
    bx, by = base
    if any(math.hypot(x - bx, y - by) < STOP_RADIUS + 8 for x, y in shown):
        free = _free_spot(base, shown, STOP_RADIUS + 9)
        parts.append(
            f'<line x1="{bx:.1f}" y1="{by:.1f}" x2="{free[0]:.1f}" y2="{free[1]:.1f}" '
            'stroke="#212121" stroke-width="1.5"/>'
        )
        bx, by = free
    parts.append(
        f'<rect class="base" x="{bx - 7:.1f}" y="{by - 7:.1f}" width="14" height="14" '
        'fill="#212121" stroke="#fff" stroke-width="1.5"/>'
    )
    for (x, y), (ox, oy) in zip(shown, stops, strict=True):
        if (x, y) != (ox, oy):  # spread from its place: a tick back to it
            parts.append(
                f'<line x1="{ox:.1f}" y1="{oy:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                f'stroke="{_ROUTE_COLOUR}" stroke-width="1"/>'
            )
    for n, ((x, y), stop) in enumerate(zip(shown, route.stops, strict=True), start=1):
        conference = stop.kind == "conference"
        fill, ink = (_CONFERENCE_COLOUR, "#111") if conference else (_ROUTE_COLOUR, "#fff")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{STOP_RADIUS}" fill="{fill}" '
            'stroke="#fff" stroke-width="1.5"/>'
            f'<text x="{x:.1f}" y="{y + 3.5:.1f}" text-anchor="middle" font-size="10" '
            f'font-weight="bold" font-family="Arial, sans-serif" fill="{ink}">{n}</text>'
        )
    # a scale bar of a round number of km, about a quarter of the width
    px_per_km = scale / _KM_PER_DEGREE
    km = _nice_km(SVG_WIDTH / 4 / px_per_km)
    bar = km * px_per_km
    x0, y0 = 10.0, SVG_HEIGHT - 10.0
    label = f"{format_number(km, lang, 1 if km < 1 else 0)} km"
    parts.append(
        f'<path d="M{x0:.1f},{y0 - 4:.1f} V{y0:.1f} H{x0 + bar:.1f} V{y0 - 4:.1f}" '
        'fill="none" stroke="#333" stroke-width="1.5"/>'
        f'<text x="{x0 + bar + 4:.1f}" y="{y0:.1f}" font-size="10" '
        f'font-family="Arial, sans-serif" fill="#333">{escape(label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _sheet_days(routes: Sequence[TeamDayRoute], lang: Lang) -> list[SheetDay]:
    return [
        SheetDay(
            date_text=format_date(route.date, lang),
            route=route,
            rows=_day_rows(route, lang),
            travel_km=format_number(route.travel_km, lang, 1),
            note=day_note_label(route.note, lang) if route.note else "",
            estimates_note=(
                t("estimates_note", lang)
                if any(s.population_estimated for s in route.stops)
                else ""
            ),
            lunch=(
                f"{hhmm5(route.lunch_start_min)}–"
                f"{hhmm5(route.lunch_start_min + route.lunch_minutes)}"
                if route.lunch_minutes
                else ""
            ),
            map_svg=Markup(day_svg(route, lang)),  # numbers, and labels escaped by day_svg
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
.detail, .group { color: #444; font-size: 12px; }
.box { display: inline-block; width: 16px; height: 16px; border: 1.5px solid #333;
  vertical-align: middle; }
.blank { display: inline-block; min-width: 48px; min-height: 18px; }
.sign { display: flex; justify-content: space-between; margin-top: 18px; gap: 24px; }
.sign div { flex: 1; border-top: 1px dotted #555; padding-top: 4px; min-height: 56px; }
.note { color: #555; font-size: 12px; }
.daynote { margin: 6px 0 8px; padding: 8px 10px; border: 1px solid #e65100;
  border-left: 6px solid #e65100; background: #fff3e0; font-weight: bold; }
.dayhead { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-start; }
.dayhead .facts { flex: 1 1 300px; min-width: 0; }
.dayhead svg { flex: 0 1 360px; max-width: 100%; height: auto; }
.toolbar { margin: 8px 0 16px; }
.toolbar button { font-size: 15px; padding: 8px 16px; }
a.nav { white-space: nowrap; }
.coords { display: none; }
.label { display: none; }
section.day { margin-bottom: 32px; }
@page { size: A4 portrait; margin: 10mm; }
.print-only { display: none; }
@media screen and (max-width: 640px) {
  body { padding: 8px; }
  h1 { font-size: 17px; }
  table.stops, table.stops tbody, table.stops tr, table.stops td { display: block; }
  table.stops thead { display: none; }
  table.stops tr { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 10px;
    border: 1px solid #90a4ae; border-radius: 8px; margin: 8px 0; padding: 6px 10px; }
  table.stops td { border: none; padding: 1px 0; background: none !important; }
  table.stops td.empty { display: none; }
  table.stops td.num { order: 1; font-weight: bold; font-size: 16px; }
  table.stops td.place { order: 2; flex: 1 1 60%; font-weight: bold; }
  table.stops td.what { order: 3; flex: 1 1 100%; }
  table.stops td.time, table.stops td.actual { order: 4; }
  table.stops td.people { order: 5; text-align: left; }
  table.stops td.go { order: 6; }
  table.stops td.done { order: 7; margin-left: auto; align-self: center; }
  table.stops .label { display: inline; color: #555; font-size: 12px; font-weight: normal; }
  table.stops .blank { border-bottom: 1px solid #333; min-width: 64px; }
  table.stops a.nav { display: inline-block; margin: 4px 0; padding: 8px 14px;
    border-radius: 8px; background: #1565c0; color: #fff; text-decoration: none; }
  tr.lunch, tr.depart, tr.return { font-style: italic; background: #f6f6f6; }
  tr.conference { background: #fff8e1; }
}
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
  .dayhead svg { width: 80mm; flex-basis: 80mm; }
  .daynote { background: none; }
  td.actual { min-width: 16mm; }
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
{% if day.note %}<div class="daynote" role="note">{{ day.note }}</div>{% endif %}
<div class="dayhead">
<div class="facts">
<div class="meta">{{ province.province_name }}{% if groups %} · {{ groups }}{% endif %}
 · {{ L.vehicle }}: {{ vehicle }} · {{ L.base }}: {{ day.route.base_name }}</div>
<div class="meta">{{ L.depart }}: <b>{{ hhmm5(day.route.depart_min) }}</b>
 · {{ L.return }}: <b>{{ hhmm5(day.route.return_min) }}</b>
 · {{ day.route.stops|length }} {{ L.stops }} · {{ day.travel_km }} km
{% if day.lunch %} · {{ L.lunch }}: <b>{{ day.lunch }}</b>{% endif %}</div>
<div class="note">{{ L.times_rounded }}.</div>
</div>
{{ day.map_svg }}
</div>
<table class="stops">
<thead><tr>
<th class="num">#</th><th>{{ L.arrival }}</th><th>{{ L.actual_arrival }}</th><th>{{ L.start }}</th><th>{{ L.end }}</th>
<th>{{ L.commune }} ({{ group_word }})</th><th>{{ L.activity }}</th>
<th class="num">{{ L.expected_attendance }}</th><th><span class="noprint">{{ L.navigate }}</span><span class="print-only">{{ L.coordinates }}</span></th><th>{{ L.done }}</th>
</tr></thead>
<tbody>
{% for row in day.rows %}
<tr class="{{ row.kind }}">
<td class="num{% if not row.number %} empty{% endif %}">{{ row.number or "" }}</td>
<td class="time{% if not row.arrival %} empty{% endif %}"><span class="label">{{ L.arrival }}: </span>{{ row.arrival }}</td>
<td class="actual{% if not row.fill_in %} empty{% endif %}">{% if row.fill_in %}<span class="label">{{ L.actual_arrival }}: </span><span class="blank"></span>{% endif %}</td>
<td class="time{% if not row.start %} empty{% endif %}"><span class="label">{{ L.start }}: </span>{{ row.start }}</td>
<td class="time{% if not row.end %} empty{% endif %}"><span class="label">{{ L.end }}: </span>{{ row.end }}</td>
<td class="place{% if not row.commune %} empty{% endif %}">{{ row.commune }}{% if row.group %} <span class="group">({{ row.group }})</span>{% endif %}</td>
<td class="what">{{ row.activity }}{% if row.detail %}<div class="detail">{{ row.detail }}</div>{% endif %}</td>
<td class="num people{% if not row.expected %} empty{% endif %}"><span class="label">{{ L.expected_attendance }}: </span>{{ row.expected }}</td>
<td class="go{% if not row.navigation %} empty{% endif %}">{% if row.navigation %}<a class="nav" href="{{ row.navigation }}" target="_blank" rel="noopener">{{ row.nav_label or L.navigate }} ›</a><span class="coords">{{ row.coords }}</span>{% endif %}</td>
<td class="done{% if not row.number %} empty{% endif %}">{% if row.number %}<span class="label">{{ L.done }}: </span><span class="box"></span>{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
{% if day.estimates_note %}<p class="note">{{ day.estimates_note }}.</p>{% endif %}
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
                hhmm5=hhmm5,
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
    "actual_arrival",
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
    "times_rounded",
    "vehicle",
)
