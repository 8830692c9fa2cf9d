"""The team pack: the page's data and links (no browser), and a team's day in a real browser.

The browser test plans the demo week, opens a team's pack in headless Chromium (Playwright
driving the system Chromium) at phone size with every network request blocked, marks three
stops done and one skipped, reloads, finds them still marked, exports the report, and checks
that `planner.fieldwork.progress` and `planner.replan.replan` read exactly those stops.
Screenshots: /tmp/teampack.png (the pack on a phone) and /tmp/progress.png (the progress page).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from planner.export._offline import remote_references
from planner.export.teampack import (
    _CSV_COLUMNS,
    MAX_WAYPOINTS,
    SKIP_REASONS,
    day_navigation_links,
    navigation_link,
    plan_fingerprint,
    plan_from_written,
    round5,
    team_pack_files,
    write_team_packs,
)
from planner.plan import Plan, Stop, TeamDayRoute
from planner.reports import FIELDS, fold, read_reports
from planner.verify import read_plan
from tests.export.browser.chromium import find_chromium
from tests.export.conftest import XSS_NAME

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scenarios" / "demo.toml"


def _data(page: str) -> dict[str, Any]:
    """The data a pack embeds (window.TP = {...};)."""
    match = re.search(r"<script>window\.TP = (\{.*?\});</script>", page, re.DOTALL)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


# --- without a browser ----------------------------------------------------------------------


def test_writes_one_pack_per_team_and_an_index(plan: Plan, tmp_path: Path) -> None:
    written = write_team_packs(plan, tmp_path / "teams")
    names = sorted(p.name for p in written)
    assert names == ["index.html", "team-27-256-1.html", "team-27-258-1.html"]
    index = (tmp_path / "teams" / "index.html").read_text(encoding="utf-8")
    assert 'href="team-27-256-1.html"' in index and 'href="team-27-258-1.html"' in index
    # by province, then district: the team's home district names its group
    assert index.index("Bắc Ninh") < index.index("Huyện Yên Phong") < index.index("27-258-1")
    for path in written:
        page = path.read_text(encoding="utf-8")
        assert remote_references(page) == []
        assert not re.search(r"unpkg\.com|cdnjs|jsdelivr|<script[^>]+src=", page)


def test_pack_data_rounds_times_and_people(plan: Plan, tmp_path: Path) -> None:
    write_team_packs(plan, tmp_path)
    data = _data((tmp_path / "team-27-256-1.html").read_text(encoding="utf-8"))
    assert [d["date"] for d in data["days"]] == ["2020-05-23", "2020-05-25"]
    first, conference = data["days"][0]["stops"][0], data["days"][1]["stops"][1]
    assert first["time"] == "08:00–08:45" and first["expected"] == 62  # 62.5 -> 62 (even)
    assert first["activity"] == "Tuyên truyền lưu động"
    assert conference["activity"] == "Hội nghị" and conference["expected"] == 150
    assert conference["place"] == "=1+2 Nhà văn hóa" and conference["key"] == "conference|BD-256"
    assert data["today"] is None and data["lang"] == "vi"
    assert [r["label"] for r in data["reasons"]] == [
        "Khu vực bị phong tỏa",
        "Không có người",
        "Thời tiết",
        "Xe hỏng",
        "Khác",
    ]


def test_english_pack(plan: Plan, tmp_path: Path) -> None:
    write_team_packs(plan, tmp_path, lang="en", today=dt.date(2020, 5, 25))
    page = (tmp_path / "team-27-256-1.html").read_text(encoding="utf-8")
    data = _data(page)
    assert data["today"] == "2020-05-25"
    assert data["labels"]["send"] == "Send report"
    assert data["days"][1]["stops"][1]["activity"] == "Conference"
    assert 'lang="en"' in page


def test_names_are_never_html(plan: Plan, tmp_path: Path) -> None:
    write_team_packs(plan, tmp_path)
    for name in ("team-27-256-1.html", "index.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert XSS_NAME not in page
    data = _data((tmp_path / "team-27-256-1.html").read_text(encoding="utf-8"))
    assert data["days"][0]["stops"][1]["place"] == XSS_NAME  # kept as text, escaped as JSON


def test_the_fingerprint_survives_the_plan_folder(plan: Plan, tmp_path: Path) -> None:
    from planner.export.tables import (
        summary,
        write_routes_csv,
        write_schedule_csv,
        write_summary,
        write_unserved_csv,
    )

    provenance = {"scenario_file": "t.toml", "scenario_hash": "x", "data_version": "t"}
    write_summary(summary(plan, provenance=provenance, solve_seconds=1), tmp_path / "summary.json")
    write_schedule_csv(plan, tmp_path / "schedule.csv")
    write_routes_csv(plan, tmp_path / "routes.csv")
    write_unserved_csv(plan, tmp_path / "unserved.csv")
    back = plan_from_written(read_plan(tmp_path))
    assert plan_fingerprint(back) == plan_fingerprint(plan)
    assert team_pack_files(back) == team_pack_files(plan)
    province = plan.provinces[0]
    moved = replace(province.routes[0], stops=province.routes[0].stops[::-1])
    other = replace(plan, provinces=(replace(province, routes=(moved, *province.routes[1:])),))
    assert plan_fingerprint(other) != plan_fingerprint(plan)
    assert plan_fingerprint(replace(plan, scenario="other")) != plan_fingerprint(plan)


def test_odd_team_ids_get_safe_unique_file_names(plan: Plan) -> None:
    province = plan.provinces[0]
    routes = tuple(replace(r, team_id="../x/Đội 1") for r in province.routes[:2]) + tuple(
        replace(r, team_id="index") for r in province.routes[2:]
    )
    odd = replace(plan, provinces=(replace(province, routes=routes),))
    files = team_pack_files(odd)
    assert files == {("27", "../x/Đội 1"): "team-x_i_1.html", ("27", "index"): "team-index.html"}


def test_navigation_links() -> None:
    assert navigation_link(21.1, 106.05, "motorbike") == (
        "https://www.google.com/maps/dir/?api=1&destination=21.100000,106.050000&travelmode=driving"
    )
    assert "travelmode=driving" in navigation_link(21.1, 106.05, "car")


def _route(stops: int) -> TeamDayRoute:
    stop = Stop(
        kind="pass",
        commune_code="09001",
        commune_name="Xã A",
        group_code="256",
        group_name="Huyện B",
        lat=21.0,
        lon=106.0,
        arrival_min=480,
        start_min=480,
        end_min=510,
        km_from_previous=1.0,
        minutes_from_previous=2,
        people_reached=10.0,
        expected_enrolments=0.1,
        rule_level="open",
        pass_number=1,
    )
    return TeamDayRoute(
        team_id="t",
        date=dt.date(2020, 5, 23),
        vehicle="motorbike",
        base_venue_id="PO",
        base_name="Bưu điện",
        base_lat=21.5,
        base_lon=106.5,
        depart_min=450,
        return_min=1000,
        lunch_start_min=700,
        lunch_minutes=60,
        km_to_base=1.0,
        minutes_to_base=2,
        stops=tuple(replace(stop, lat=21.0 + i / 100) for i in range(stops)),
    )


@pytest.mark.parametrize(
    ("stops", "links"), [(1, 1), (9, 1), (10, 2), (19, 2), (20, 3), (29, 3), (30, 4)]
)
def test_day_links_take_at_most_nine_waypoints(stops: int, links: int) -> None:
    route = _route(stops)
    found = day_navigation_links(route)
    assert len(found) == links
    chain: list[str] = []
    for link in found:
        query = dict(part.split("=", 1) for part in link.url.split("?", 1)[1].split("&"))
        waypoints = query["waypoints"].split("%7C") if "waypoints" in query else []
        assert len(waypoints) <= MAX_WAYPOINTS
        assert query["travelmode"] == "driving"
        if chain:
            assert query["origin"] == chain[-1]  # each link starts where the last one ended
        chain += ([] if chain else [query["origin"]]) + waypoints + [query["destination"]]
    expected = [f"{21.0 + i / 100:.6f},106.000000" for i in range(stops)]
    assert chain == ["21.500000,106.500000", *expected, "21.500000,106.500000"]
    assert found[-1].back_to_base and found[0].first == 1 and found[-1].last == stops


def test_round5() -> None:
    assert [round5(m) for m in (480, 481, 482, 483, 484, 485)] == [480, 480, 480, 485, 485, 485]


def test_report_headers_are_ones_read_reports_knows() -> None:
    for name, headers in _CSV_COLUMNS:
        for header in headers.values():
            if name in ("stop", "commune_name", "venue_name"):
                assert fold(header) not in FIELDS  # for people; ignored when read
            else:
                assert FIELDS[fold(header)] == name
    assert {code for code, _ in SKIP_REASONS} == {
        "lockdown",
        "nobody",
        "weather",
        "vehicle",
        "other",
    }


# --- the demo week in a browser --------------------------------------------------------------

BLOCKED_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# a phone with no network: navigator.onLine is false (Playwright's offline mode does not set
# it for file:// pages), so the page adds no tile layer
OFFLINE = (
    'Object.defineProperty(Navigator.prototype, "onLine", { get: function () { return false; } });'
)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo week, planned once for this module."""
    from planner.cli import main

    out = tmp_path_factory.mktemp("teampack") / "demo"
    args = ["run", str(DEMO), "--time-limit", "2", "--workers", "1", "--out", str(out), "--quiet"]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    binary = find_chromium()
    assert binary is not None, "CI=true but no Chromium (apt-get install chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=binary, args=BLOCKED_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Blocked:
    """Every request that is not a local file, aborted and remembered."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.urls.append(url)
            route.abort()


def _context(browser: Any, *, online: bool = False) -> tuple[Any, Blocked, list[str]]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    if not online:
        context.add_init_script(OFFLINE)
    blocked = Blocked()
    context.route("**/*", blocked)
    problems: list[str] = []
    context.on("page", lambda page: _watch(page, problems))
    return context, blocked, problems


def _watch(page: Any, problems: list[str]) -> None:
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))
    page.on(
        "dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss())
    )
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )


def _pick_day(plan: Plan) -> TeamDayRoute:
    """A team-day with at least 4 stops, not the first or last day; one whose first three stops
    hold a conference when there is one (so attendance is entered too)."""
    days = sorted({r.date for p in plan.provinces for r in p.routes})
    routes = [
        r
        for p in plan.provinces
        for r in sorted(p.routes, key=lambda r: (r.date, r.team_id))
        if len(r.stops) >= 4 and days[0] < r.date < days[-1]
    ]
    with_conference = [r for r in routes if any(s.kind == "conference" for s in r.stops[:3])]
    return (with_conference or routes)[0]


def _stop_key(stop: Stop) -> str:
    return f"{stop.kind}|{stop.venue_id if stop.kind == 'conference' else stop.commune_code}"


@pytest.mark.browser
@pytest.mark.skipif(
    find_chromium() is None and not os.environ.get("CI"),
    reason="no Chromium installed (Debian: apt-get install chromium; or set PLANNER_CHROMIUM)",
)
def test_a_team_day_in_the_browser(published: Path, browser: Any, tmp_path: Path) -> None:
    from planner.fieldwork import progress
    from planner.replan import replan
    from planner.runner import RunSettings

    plan = plan_from_written(read_plan(published))
    packs = tmp_path / "teams"
    write_team_packs(plan, packs)
    route = _pick_day(plan)
    page_path = packs / team_pack_files(plan)[("27", route.team_id)]
    url = page_path.as_uri()
    day = route.date.isoformat()

    context, blocked, problems = _context(browser)
    page = context.new_page()
    # with no ?day the page opens on the phone's date: after the campaign, on the last day
    page.goto(url)
    page.wait_for_function("window.tpReady === true")
    last = max(r.date for r in plan.provinces[0].routes if r.team_id == route.team_id)
    assert page.get_attribute("#tp-daysum", "data-date") == last.isoformat()

    page.goto(f"{url}?day={day}")
    page.wait_for_function("window.tpReady === true")
    assert page.get_attribute("#tp-daysum", "data-date") == day
    assert page.locator("#tp-stops li.tp-stop").count() == len(route.stops)
    assert page.locator(".leaflet-marker-icon.tp-pin").count() == len(route.stops)
    assert page.locator("path.tp-route").count() == 1
    assert page.locator(".leaflet-tile").count() == 0  # offline: no background map

    done, skipped = route.stops[:3], route.stops[3]
    sign_ups: dict[str, int] = {}
    attendance: dict[str, int] = {}
    for n, stop in enumerate(done):
        item = page.locator(f'#tp-stops li[data-key="{_stop_key(stop)}"]')
        item.locator("button.tp-done").click()
        if stop.kind == "conference":
            item.locator("input.tp-attendance").fill("37")
            attendance[_stop_key(stop)] = 37
        item.locator("input.tp-signups").fill(str(n + 2))
        sign_ups[_stop_key(stop)] = n + 2
    item = page.locator(f'#tp-stops li[data-key="{_stop_key(skipped)}"]')
    item.locator("button.tp-skip").click()
    item.locator("select.tp-reason").select_option("weather")
    item.locator("textarea.tp-note").fill('Mưa to, "ngập" <b>đường</b>')

    page.reload()
    page.wait_for_function("window.tpReady === true")
    statuses = page.eval_on_selector_all(
        "#tp-stops li.tp-stop", "items => items.map(i => i.getAttribute('data-status'))"
    )
    assert statuses == ["done"] * 3 + ["skipped"] + ["planned"] * (len(route.stops) - 4)
    assert page.locator(".leaflet-marker-icon.tp-pin.tp-done").count() == 3
    assert page.locator(".leaflet-marker-icon.tp-pin.tp-skipped").count() == 1
    item = page.locator(f'#tp-stops li[data-key="{_stop_key(skipped)}"]')
    assert item.locator("select.tp-reason").input_value() == "weather"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll

    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path="/tmp/teampack.png")
    with page.expect_download() as download_info:
        page.click("#tp-send")
    report = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(report)
    assert report.name.startswith(f"bao-cao-{route.team_id}-") and report.suffix == ".csv"
    assert report.read_bytes().startswith(b"\xef\xbb\xbf")

    assert blocked.urls == []
    assert problems == []

    # the report, read as planner progress and planner replan read it
    reports = read_reports(report)
    assert len(reports.done) == 3 and len(reports.skipped) == 1
    by_key = {(s.kind, s.place): s for s in reports.stops}
    gone = by_key[(skipped.kind, skipped.venue_id or skipped.commune_code)]
    assert gone.skip_reason == "Thời tiết" and gone.note == 'Mưa to, "ngập" <b>đường</b>'
    assert gone.reported_at is not None
    for stop in done:
        found = by_key[
            (stop.kind, stop.venue_id if stop.kind == "conference" else stop.commune_code)
        ]
        assert found.date == route.date and found.team_id == route.team_id
        assert found.sign_ups == sign_ups[_stop_key(stop)]
        assert found.attendance == attendance.get(_stop_key(stop))
        assert found.actual_end is not None

    result = progress(published, [report])
    total = result.total()
    assert (total.done, total.skipped) == (3, 1)
    assert total.not_in_report == len(route.stops) - 4
    assert total.sign_ups_reported == sum(sign_ups.values())
    assert total.attendance_reported == sum(attendance.values())
    missed = [e for e in result.missed if e.status == "skipped"]
    assert [e.planned.stop.commune_code for e in missed] == [skipped.commune_code]
    assert result.out_dir == published / "progress"
    with (published / "progress" / "by_team.csv").open(encoding="utf-8-sig") as f:
        row = next(r for r in csv.DictReader(f) if r["team_id"] == route.team_id)
    assert (row["done"], row["skipped"]) == ("3", "1")
    with (published / "progress" / "missed.csv").open(encoding="utf-8-sig") as f:
        skipped_rows = [r for r in csv.DictReader(f) if r["status"] == "skipped"]
    assert [r["skip_reason"] for r in skipped_rows] == ["Thời tiết"]

    progress_page = context.new_page()
    progress_page.set_viewport_size({"width": 1100, "height": 900})
    progress_page.goto((published / "progress" / "index.html").as_uri())
    progress_page.screenshot(path="/tmp/progress.png", full_page=True)
    assert blocked.urls == [] and problems == []
    context.close()

    from_date = route.date + dt.timedelta(days=1)
    new = replan(
        published,
        [report],
        from_date,
        RunSettings(time_limit=1, workers=1, out_dir=tmp_path / "replan"),
        notice=lambda line: None,
    )
    summary = json.loads((new.out_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["replan"]["done_stops"] == 3
    before = [
        (r.team_id, r.date, _stop_key(s))
        for rs in read_plan(new.out_dir).routes.values()
        for r in rs
        if r.date < from_date
        for s in r.stops
    ]
    assert sorted(before) == sorted((route.team_id, route.date, _stop_key(s)) for s in done)


@pytest.mark.browser
@pytest.mark.skipif(
    find_chromium() is None and not os.environ.get("CI"),
    reason="no Chromium installed (Debian: apt-get install chromium; or set PLANNER_CHROMIUM)",
)
def test_names_show_as_text_and_tiles_only_online(plan: Plan, browser: Any, tmp_path: Path) -> None:
    write_team_packs(plan, tmp_path)
    context, blocked, problems = _context(browser, online=True)
    page = context.new_page()
    page.goto((tmp_path / "team-27-256-1.html").as_uri() + "?day=2020-05-24")
    page.wait_for_function("window.tpReady === true")
    # 24 May is a day off for this team: the next working day, with a line saying so
    assert page.get_attribute("#tp-daysum", "data-date") == "2020-05-25"
    assert "24/05/2020" in page.inner_text("#tp-notice")
    page.click("#tp-prev")
    assert page.get_attribute("#tp-daysum", "data-date") == "2020-05-23"
    assert XSS_NAME in page.inner_text("#tp-stops")
    assert page.locator("#tp-stops script").count() == 0
    page.wait_for_timeout(300)
    assert blocked.urls and all("tile.openstreetmap.org" in u for u in blocked.urls)
    assert [p for p in problems if "ERR_FAILED" not in p] == []  # failed tiles only
    context.close()
