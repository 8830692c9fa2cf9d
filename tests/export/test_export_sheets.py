"""Route sheets: one printed page per team-day, every stop with its times and a link."""

from __future__ import annotations

import re
from pathlib import Path

from planner.export import _offline
from planner.export.sheets import write_route_sheets
from planner.plan import Plan
from tests.export.conftest import XSS_NAME


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
