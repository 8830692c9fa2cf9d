"""Route sheets: one printed page per team-day, every stop with its times and a link."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from planner.export import _offline
from planner.export.sheets import day_svg, hhmm5, round5, whole, write_route_sheets
from planner.plan import Plan
from tests.export.conftest import DAY2, XSS_NAME, make_plan


def test_one_file_per_team_and_an_index(plan: Plan, tmp_path: Path) -> None:
    written = write_route_sheets(plan, tmp_path)
    assert [p.name for p in written] == ["index.html", "27-256-1.html", "27-258-1.html"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="27-256-1.html"' in index and 'href="27-258-1.html"' in index


def test_a_section_per_day_with_every_stop(plan: Plan, tmp_path: Path) -> None:
    write_route_sheets(plan, tmp_path)
    html = (tmp_path / "27-256-1.html").read_text(encoding="utf-8")
    routes = [r for r in plan.provinces[0].routes if r.team_id == "27-256-1"]
    assert html.count('<section class="day">') == len(routes)
    assert "break-after: page" in html and "@media print" in html
    for route in routes:
        for stop in route.stops:
            assert f"destination={stop.lat:.6f},{stop.lon:.6f}" in html
    stops = sum(len(r.stops) for r in routes)
    assert len(re.findall(r'<tr class="(pass|conference)">', html)) == stops
    assert html.count('<tr class="lunch">') == len(routes)
    for label in ("Giờ đến", "Bắt đầu", "Kết thúc", "Nghỉ trưa", "Hội nghị", "Thứ Bảy, 23/05/2020"):
        assert label in html
    assert "Tuyên truyền lưu động (lần 2)" in html
    assert "không giới hạn" in html


def test_lunch_sits_in_time_order(plan: Plan, tmp_path: Path) -> None:
    write_route_sheets(plan, tmp_path)
    html = (tmp_path / "27-256-1.html").read_text(encoding="utf-8")
    second_day = html.split('<section class="day">')[2]
    kinds = re.findall(r'<tr class="(\w+)">', second_day)
    assert kinds == ["depart", "pass", "lunch", "conference", "return"]


def test_names_are_text_and_nothing_is_fetched(plan: Plan, tmp_path: Path) -> None:
    for page in write_route_sheets(plan, tmp_path):
        html = page.read_text(encoding="utf-8")
        assert XSS_NAME not in html
        assert _offline.remote_references(html) == []
    html = (tmp_path / "27-256-1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '"Helvetica Neue"' in html  # the style sheet itself is not escaped


def test_english(plan: Plan, tmp_path: Path) -> None:
    write_route_sheets(plan, tmp_path, lang="en")
    html = (tmp_path / "27-256-1.html").read_text(encoding="utf-8")
    assert "Lunch break" in html and "Saturday 23 May 2020" in html


# -- the day's map, rounded times, whole people, the note, the fill-in column --------------------


def _sections(html: str) -> list[str]:
    return html.split('<section class="day">')[1:]


@pytest.mark.parametrize(
    ("minutes", "rounded"),
    [(600, 600), (602, 600), (602.4, 600), (602.5, 605), (603, 605), (607, 605), (608, 610)],
)
def test_times_round_to_five_minutes(minutes: float, rounded: int) -> None:
    assert round5(minutes) == rounded


def test_hhmm5() -> None:
    assert hhmm5(603) == "10:05"
    assert hhmm5(477) == "07:55"
    assert hhmm5(1437.5) == "24:00"


def test_people_are_whole_numbers() -> None:
    assert whole(8.4, "vi") == "8"
    assert whole(8.5, "vi") == "9"
    assert whole(1234.5, "vi") == "1.235"
    assert whole(1234.5, "en") == "1,235"
    assert whole(0.2, "vi") == "0"


def test_sheet_rounds_times_and_people(plan: Plan, tmp_path: Path) -> None:
    province = plan.provinces[0]
    route = province.routes[0]
    odd = dataclasses.replace(
        route.stops[0], arrival_min=603, start_min=611, end_min=648, people_reached=8.4
    )
    day = dataclasses.replace(route, stops=(odd,), depart_min=452, return_min=997)
    only = dataclasses.replace(province, routes=(day,))
    write_route_sheets(dataclasses.replace(plan, provinces=(only,)), tmp_path)
    html = (tmp_path / f"{route.team_id}.html").read_text(encoding="utf-8")
    times = re.findall(r"\b\d\d:\d\d\b", html)
    assert times and all(int(t[-2:]) % 5 == 0 for t in times)
    for expected in ("10:05", "10:10", "10:50", "07:30", "16:35"):
        assert expected in html
    people = re.findall(r'<td class="num people">.*?</span>([^<]*)</td>', html)
    assert people == ["8"]
    assert "8,4" not in html


def test_day_svg_is_valid_xml_with_a_circle_per_stop(plan: Plan) -> None:
    for route in plan.provinces[0].routes:
        svg = ET.fromstring(day_svg(route))
        ns = "{http://www.w3.org/2000/svg}"
        assert svg.tag == f"{ns}svg"
        circles = svg.findall(f"{ns}circle")
        assert len(circles) == len(route.stops)
        numbers = [t.text for t in svg.findall(f"{ns}text")]
        assert numbers[: len(route.stops)] == [str(n) for n in range(1, len(route.stops) + 1)]
        assert numbers[-1].endswith(" km")  # the scale bar
        (line,) = svg.findall(f"{ns}polyline")
        points = line.get("points", "").split()
        assert len(points) == len(route.stops) + 2 and points[0] == points[-1]
        assert len(svg.findall(f"{ns}rect[@class='base']")) == 1
        for circle in circles:
            x, y = float(circle.get("cx", "nan")), float(circle.get("cy", "nan"))
            assert 0 <= x <= 360 and 0 <= y <= 230


def test_day_svg_spreads_stops_at_one_place(plan: Plan) -> None:
    route = plan.provinces[0].routes[0]
    first = route.stops[0]
    at_base = dataclasses.replace(first, lat=route.base_lat, lon=route.base_lon)
    again = dataclasses.replace(at_base, pass_number=2)
    busy = dataclasses.replace(route, stops=(at_base, *route.stops[1:], again))
    svg = ET.fromstring(day_svg(busy))
    ns = "{http://www.w3.org/2000/svg}"
    centres = [(float(c.get("cx", 0)), float(c.get("cy", 0))) for c in svg.iter(f"{ns}circle")]
    assert len(centres) == len(busy.stops)
    assert all(math.dist(a, b) >= 18 for a, b in itertools.combinations(centres, 2))
    base = svg.find(f"{ns}rect[@class='base']")
    assert base is not None
    bx, by = float(base.get("x", 0)) + 7, float(base.get("y", 0)) + 7
    assert all(math.dist((bx, by), c) >= 16 for c in centres)


def test_day_svg_of_a_day_at_one_place() -> None:
    route = make_plan().provinces[0].routes[0]
    lone = dataclasses.replace(route, stops=(), km_to_base=0.0)
    svg = ET.fromstring(day_svg(lone))
    assert svg.findall("{http://www.w3.org/2000/svg}circle") == []


def test_sheet_has_the_map_and_an_actual_arrival_column(plan: Plan, tmp_path: Path) -> None:
    write_route_sheets(plan, tmp_path)
    html = (tmp_path / "27-256-1.html").read_text(encoding="utf-8")
    routes = sorted(
        (r for r in plan.provinces[0].routes if r.team_id == "27-256-1"), key=lambda r: r.date
    )
    for section, route in zip(_sections(html), routes, strict=True):
        assert section.count("<svg ") == 1
        svg = section[section.index("<svg ") : section.index("</svg>") + 6]
        assert len(ET.fromstring(svg).findall("{http://www.w3.org/2000/svg}circle")) == len(
            route.stops
        )
        assert "<th>Giờ đến thực tế</th>" in section
        # a box to fill in on every stop and on the return, empty
        blanks = re.findall(r'<td class="actual">(.*?)</td>', section)
        assert len(blanks) == len(route.stops) + 1
        assert all(
            re.fullmatch(r'<span class="label">[^<]*</span><span class="blank"></span>', b)
            for b in blanks
        )
    assert "max-width: 640px" in html and "A4 portrait" in html


def test_the_note_of_a_light_day_shows_under_its_header(plan: Plan, tmp_path: Path) -> None:
    province = plan.provinces[0]
    note = "Ngày nhẹ: <b>trong địa bàn</b> của đội không còn việc"
    routes = tuple(
        dataclasses.replace(r, note=note) if r.team_id == "27-256-1" and r.date == DAY2 else r
        for r in province.routes
    )
    noted = dataclasses.replace(plan, provinces=(dataclasses.replace(province, routes=routes),))
    write_route_sheets(noted, tmp_path)
    first, second = _sections((tmp_path / "27-256-1.html").read_text(encoding="utf-8"))
    assert "daynote" not in first
    header_end = second.index("</h1>")
    box = second.index('<div class="daynote" role="note">')
    assert header_end < box < second.index('<div class="dayhead">')
    assert "Ngày nhẹ: &lt;b&gt;trong địa bàn&lt;/b&gt; của đội không còn việc" in second
    write_route_sheets(noted, tmp_path / "en", lang="en")
    english = (tmp_path / "en" / "27-256-1.html").read_text(encoding="utf-8")
    assert "Ngày nhẹ" in english and "Actual arrival" in english


def test_the_solver_s_light_day_note_is_said_in_the_sheet_s_language(
    plan: Plan, tmp_path: Path
) -> None:
    from planner.solve.capacity import NOTES

    province = plan.provinces[0]
    routes = tuple(
        dataclasses.replace(r, note=NOTES["exhausted"]) if r.date == DAY2 else r
        for r in province.routes
    )
    noted = dataclasses.replace(plan, provinces=(dataclasses.replace(province, routes=routes),))
    write_route_sheets(noted, tmp_path / "vi")
    write_route_sheets(noted, tmp_path / "en", lang="en")
    vi = (tmp_path / "vi" / "27-256-1.html").read_text(encoding="utf-8")
    en = (tmp_path / "en" / "27-256-1.html").read_text(encoding="utf-8")
    assert "Ngày nhẹ: trong địa bàn của đội không còn việc" in vi
    assert "Ngày nhẹ" not in en and "Light day: nothing the rules allow today" in en
