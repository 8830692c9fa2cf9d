"""The team pack: one self-contained page per team, for a phone, that works with no network.

`write_team_packs(plan, folder)` writes `team-<id>.html` for every team (the id made a safe
file name, `planner.export.gpx.team_stems`) and `index.html`, which lists the teams by
province and district. A team's page is one file: Leaflet is inside it
(planner/export/_offline.py), the plan of the team is inside it as data, and nothing is
fetched when it opens, so it can be sent over Zalo or e-mail and opened in the phone's
browser in the field.

What the page does
------------------

- **One day at a time.** It opens on the phone's date (JavaScript `new Date()`; a
  `?day=YYYY-MM-DD` query, or `today` here, overrides it); before the team's first day on its
  first day, after its last day on its last, on a day off on the next working day (with a
  line saying so). Previous / next buttons and a day list move between the team's days.
- **The day's map.** The route from the base through the numbered stops and back is drawn
  with Leaflet and fitted to the day; it shows with no background map. The OpenStreetMap
  background is added only while the phone says it is online (`navigator.onLine`), and
  removed when it goes offline, so an offline page asks for no tile at all.
- **The stops as a list.** Planned times rounded to 5 minutes, the place (commune and
  district; the venue of a conference), the activity ("Tuyên truyền lưu động" / "Hội
  nghị") and the people expected as a whole number.
- **What was done.** Each stop is marked "Đã xong" (done) or "Bỏ qua" (skipped, with a
  reason: khu vực bị phong tỏa, không có người, thời tiết, xe hỏng, khác; and a note). A
  conference takes the attendance and the sign-ups, a pass optionally the sign-ups. The time
  is stamped when a stop is marked (and can be corrected). Marks are kept in the phone's
  `localStorage` under a key made of the plan's fingerprint (`plan_fingerprint`) and the
  team, so the packs of two plans, or of two teams on one phone, never mix; they survive
  reloads and need no network.
- **"Gửi báo cáo"** (send the report) makes a CSV file, UTF-8 with a byte order mark, of every
  stop marked, in the columns `planner.reports.read_reports` reads (team, date, activity,
  commune code, venue id, done, reason, note, attendance, sign-ups, actual end time, the time
  of the last change as `reported_at`, which makes "the latest report wins" work across
  files), and shares it with `navigator.share` where the phone can share files, or downloads
  it. `planner progress` and `planner replan --done` read it as it is.
- **Navigation.** Each stop links to Google Maps directions to its point (the venue of a
  conference, the commune point of a pass), saying so when the point is an estimate
  ("Chỉ đường (vị trí ước tính)"); a conference shows its hall and what the planner's lists
  say of the venue (address, contact name and phone, opening hours); each day has directions through its stops in
  order, from the base and back, split into several links because Google's URL takes at most
  9 waypoints. The links are marked as needing a network.

Every name comes from user data: the page puts it into the DOM as text (`textContent`),
never as HTML, and the data is embedded with `js_literal`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from planner.export._offline import _inline_head, check_offline, js_literal
from planner.export.gpx import team_stems
from planner.export.i18n import (
    Lang,
    check_lang,
    format_date,
    format_number,
    format_short_date,
    group_word,
    kind_label,
    slot_label,
    t,
    vehicle_label,
)
from planner.export.sheets import venue_details
from planner.fieldwork import SKIP_REASONS
from planner.plan import Kpis, Plan, ProvincePlan, Stop, TeamDayRoute, hhmm

if TYPE_CHECKING:
    from planner.verify import WrittenPlan

__all__ = [
    "MAX_WAYPOINTS",
    "SKIP_REASONS",
    "day_navigation_links",
    "navigation_link",
    "plan_fingerprint",
    "plan_from_written",
    "team_pack_files",
    "travel_mode",
    "write_team_packs",
]

MAX_WAYPOINTS = 9
"""Google Maps' directions URL takes at most 9 waypoints between origin and destination."""

TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

_LABELS: dict[str, dict[Lang, str]] = {
    "title": {"vi": "Lịch trình đội", "en": "Team schedule"},
    "packs": {"vi": "Lịch trình trên điện thoại của các đội", "en": "Team packs for phones"},
    "prev": {"vi": "Ngày trước", "en": "Previous day"},
    "next": {"vi": "Ngày sau", "en": "Next day"},
    "done": {"vi": "Đã xong", "en": "Done"},
    "skip": {"vi": "Bỏ qua", "en": "Skipped"},
    "done_at": {"vi": "Xong lúc", "en": "Done at"},
    "skipped_at": {"vi": "Bỏ qua lúc", "en": "Skipped at"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "choose_reason": {"vi": "— chọn lý do —", "en": "— choose a reason —"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "attendance": {"vi": "Số người dự thực tế", "en": "People who came"},
    "sign_ups": {"vi": "Số người đăng ký tham gia", "en": "Sign-ups"},
    "sign_ups_optional": {
        "vi": "Số người đăng ký tham gia (nếu có)",
        "en": "Sign-ups (if any)",
    },
    "undo": {"vi": "Bỏ đánh dấu", "en": "Clear the mark"},
    "send": {"vi": "Gửi báo cáo", "en": "Send report"},
    "expected": {"vi": "Dự kiến", "en": "Expected"},
    "people": {"vi": "người", "en": "people"},
    "invited": {"vi": "mời", "en": "invited"},
    "navigate": {"vi": "Chỉ đường", "en": "Directions"},
    "needs_network": {"vi": "cần mạng", "en": "needs a network"},
    "day_route": {
        "vi": "Chỉ đường cả ngày (cần mạng)",
        "en": "Directions for the whole day (needs a network)",
    },
    "part": {"vi": "Phần", "en": "Part"},
    "stops_word": {"vi": "điểm", "en": "stops"},
    "and_back": {"vi": "về nơi xuất phát", "en": "back to base"},
    "depart": {"vi": "Xuất phát", "en": "Leave"},
    "back": {"vi": "về", "en": "back"},
    "lunch": {"vi": "Nghỉ trưa", "en": "Lunch"},
    "day_total": {"vi": "Ngày này", "en": "This day"},
    "all_total": {"vi": "Cả đợt", "en": "Whole campaign"},
    "marked": {"vi": "điểm đã đánh dấu", "en": "stops marked"},
    "of": {"vi": "trên", "en": "of"},
    "no_reason": {
        "vi": "điểm bỏ qua chưa có lý do",
        "en": "skipped stops without a reason",
    },
    "nothing_to_send": {
        "vi": "Chưa có điểm nào được đánh dấu.",
        "en": "No stop is marked yet.",
    },
    "sent_at": {"vi": "Đã xuất báo cáo lúc", "en": "Report made at"},
    "before": {
        "vi": "Đợt vận động chưa bắt đầu; đang xem ngày làm việc đầu tiên.",
        "en": "The campaign has not started; showing the first working day.",
    },
    "after": {
        "vi": "Đợt vận động đã kết thúc; đang xem ngày làm việc cuối cùng.",
        "en": "The campaign is over; showing the last working day.",
    },
    "day_off": {
        "vi": "Ngày {date} đội không có lịch; đang xem ngày làm việc tiếp theo.",
        "en": "The team has no work on {date}; showing the next working day.",
    },
    "storage_failed": {
        "vi": "Trình duyệt này không cho lưu dữ liệu: đánh dấu sẽ mất khi đóng trang. "
        "Hãy gửi báo cáo trước khi đóng.",
        "en": "This browser does not let the page store data: marks are lost when the page "
        "closes. Send the report before closing it.",
    },
    "offline_note": {
        "vi": "Trang này dùng được khi không có mạng; đánh dấu được lưu trên máy. "
        "Chỉ bản đồ nền và chỉ đường cần mạng.",
        "en": "This page works with no network; marks are kept on the phone. Only the "
        "background map and directions need a network.",
    },
    "map_hint": {
        "vi": "Tuyến đường và các điểm dừng hiện cả khi không có mạng.",
        "en": "The route and the stops show even with no network.",
    },
    "noscript": {
        "vi": "Trang này cần JavaScript; hãy mở bằng Chrome hoặc Safari.",
        "en": "This page needs JavaScript; open it in Chrome or Safari.",
    },
    "index_help": {
        "vi": "Gửi cho mỗi đội tệp của đội mình (qua Zalo, e-mail...). Đội mở tệp bằng trình "
        "duyệt của điện thoại, đánh dấu các điểm đã xong hoặc bỏ qua, rồi bấm «Gửi báo cáo» "
        "để gửi lại tệp CSV; lệnh planner progress và planner replan --done đọc tệp này.",
        "en": "Send each team its own file (Zalo, e-mail...). The team opens it in the phone's "
        "browser, marks each stop done or skipped, and taps 'Send report' to send back a CSV "
        "file, which planner progress and planner replan --done read.",
    },
    "days": {"vi": "ngày", "en": "days"},
    "stops": {"vi": "điểm dừng", "en": "stops"},
    "period": {"vi": "Thời gian", "en": "Period"},
    "yes": {"vi": "Có", "en": "Yes"},
    "no": {"vi": "Không", "en": "No"},
    "report_file": {"vi": "bao-cao", "en": "report"},
}

# the report's columns: the field read_reports maps the header to, and the header per language
# (every header is one read_reports recognises, planner/reports.py FIELDS; the name columns
# are for people and are ignored when read)
_CSV_COLUMNS: tuple[tuple[str, dict[Lang, str]], ...] = (
    ("province_code", {"vi": "Mã tỉnh", "en": "province_code"}),
    ("team_id", {"vi": "Đội", "en": "team_id"}),
    ("date", {"vi": "Ngày", "en": "date"}),
    ("stop", {"vi": "Điểm dừng", "en": "stop"}),
    ("kind", {"vi": "Hoạt động", "en": "kind"}),
    ("commune_code", {"vi": "Mã xã", "en": "commune_code"}),
    ("commune_name", {"vi": "Xã/phường", "en": "commune_name"}),
    ("venue_id", {"vi": "Mã địa điểm", "en": "venue_id"}),
    ("venue_name", {"vi": "Địa điểm", "en": "venue_name"}),
    ("done", {"vi": "Đã thực hiện", "en": "done"}),
    ("skip_reason", {"vi": "Lý do không thực hiện", "en": "skip_reason"}),
    ("note", {"vi": "Ghi chú", "en": "note"}),
    ("attendance", {"vi": "Số người dự thực tế", "en": "attendance"}),
    ("sign_ups", {"vi": "Số người đăng ký tham gia", "en": "sign_ups"}),
    ("actual_end", {"vi": "Giờ kết thúc thực tế", "en": "actual_end"}),
    ("reported_at", {"vi": "Thời điểm báo cáo", "en": "reported_at"}),
)


def _l(key: str, lang: Lang) -> str:
    return _LABELS[key][lang]


# --- links and times --------------------------------------------------------------------------


def travel_mode(vehicle: str) -> str:
    """Google Maps' travel mode for a team's vehicle.

    Google's directions URL knows driving, walking, bicycling and transit only: its
    "two-wheeler" mode exists in the app but is not a valid `travelmode` in the URL (it is
    ignored or refused), so motorbike teams get `driving` too, the nearest valid mode.
    """
    del vehicle  # cars and motorbikes alike: see above
    return "driving"


def _point(lat: float, lon: float) -> str:
    return f"{lat:.6f},{lon:.6f}"


def navigation_link(lat: float, lon: float, vehicle: str) -> str:
    """Directions from where the phone is to a point (opened by the user; needs a network)."""
    return (
        "https://www.google.com/maps/dir/?api=1"
        f"&destination={_point(lat, lon)}&travelmode={travel_mode(vehicle)}"
    )


@dataclass(frozen=True)
class DayLink:
    """One directions link of a day, through stops `first` to `last` (numbered from 1); the
    first link starts at the base, `back_to_base` for the one that ends there."""

    url: str
    first: int
    last: int
    back_to_base: bool


def day_navigation_links(route: TeamDayRoute) -> list[DayLink]:
    """Directions through the day's stops in order, from the base and back to it.

    Google's URL takes an origin, a destination and at most `MAX_WAYPOINTS` waypoints
    between them, so a longer day is split: each link starts where the previous one ended.
    """
    points = [
        (route.base_lat, route.base_lon),
        *((s.lat, s.lon) for s in route.stops),
        (route.base_lat, route.base_lon),
    ]
    last_index = len(points) - 1
    links: list[DayLink] = []
    if not route.stops:
        return links
    start = 0
    while start < last_index:
        end = min(start + MAX_WAYPOINTS + 1, last_index)
        url = (
            "https://www.google.com/maps/dir/?api=1"
            f"&origin={_point(*points[start])}&destination={_point(*points[end])}"
        )
        between = points[start + 1 : end]
        if between:
            url += "&waypoints=" + "%7C".join(_point(*p) for p in between)
        url += f"&travelmode={travel_mode(route.vehicle)}"
        links.append(
            DayLink(
                url=url,
                first=start or 1,
                last=min(end, len(route.stops)),
                back_to_base=end == last_index,
            )
        )
        start = end
    return links


def round5(minutes: int) -> int:
    """Minutes of the day rounded to the nearest 5 (07:33 -> 07:35, 07:32 -> 07:30)."""
    return (minutes + 2) // 5 * 5


# --- the plan's identity and names --------------------------------------------------------


def plan_fingerprint(plan: Plan) -> str:
    """A short hash of the plan's scenario and stops: the same for a plan and for the plan read
    back from its folder, different for another plan. Keys the page's stored marks."""
    digest = hashlib.sha256(plan.scenario.encode("utf-8"))
    for province in sorted(plan.provinces, key=lambda p: p.province_code):
        for route in sorted(province.routes, key=lambda r: (r.team_id, r.date)):
            for stop in route.stops:
                line = "|".join(
                    (
                        province.province_code,
                        route.team_id,
                        route.date.isoformat(),
                        stop.kind,
                        stop.commune_code,
                        stop.venue_id or "",
                        str(stop.start_min),
                    )
                )
                digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]


def team_pack_files(plan: Plan) -> dict[tuple[str, str], str]:
    """(province code, team id) -> the pack's file name, `team-<safe id>.html`."""
    return {key: f"team-{stem}.html" for key, stem in team_stems(plan).items()}


def _team_group(routes: Sequence[TeamDayRoute]) -> tuple[str, str]:
    """The team's home district (cluster): its code and name.

    The route's `team_group_code` when it has one (plans read back from CSV do not), else the
    district of most of its stops."""
    names = {s.group_code: s.group_name for r in routes for s in r.stops}
    code = next((r.team_group_code for r in routes if r.team_group_code), "")
    if not code:
        counts = Counter(s.group_code for r in routes for s in r.stops)
        code = min(counts, key=lambda c: (-counts[c], c)) if counts else ""
    return code, names.get(code, code)


def plan_from_written(written: WrittenPlan) -> Plan:
    """A plan folder read back (`planner.verify.read_plan`) as a `Plan` for the exporters.

    Routes, stops and unserved places are the folder's; the figures the exporters here do not
    use (KPIs, communes, solver status) are zero or empty.
    """
    summary = written.summary
    names = {f.province_code: f.province_name for f in summary.provinces}
    group_label = "cluster" if summary.structure == "2025" else "district"
    zero = Kpis(0.0, 0.0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
    provinces = tuple(
        ProvincePlan(
            province_code=code,
            province_name=names.get(code, code),
            group_label=group_label,
            routes=tuple(written.routes.get(code, ())),
            unserved=tuple(u.unserved for u in written.unserved if u.province_code == code),
            kpis=zero,
            n_communes=0,
            target_people=0,
            solver_status="",
        )
        for code in (f.province_code for f in summary.provinces)
    )
    return Plan(
        scenario=summary.scenario,
        structure=summary.structure,
        provinces=provinces,
        seed=0,
        time_limit_seconds=0.0,
    )


# --- the page's data ------------------------------------------------------------------------


def _stop_data(number: int, stop: Stop, vehicle: str, lang: Lang) -> dict[str, Any]:
    start = round5(stop.start_min)
    end = max(round5(stop.end_min), start)
    conference = stop.kind == "conference"
    expected = round(stop.expected_attendance or 0) if conference else round(stop.people_reached)
    # a pass is in its commune (the place): add its district; a conference is at a venue
    where = f"{stop.commune_name} ({stop.group_name})" if conference else stop.group_name
    if conference and stop.slot:
        where += f" · {slot_label(stop.slot, lang)}"
    expected_text = f"{_l('expected', lang)}: {format_number(expected, lang)} {_l('people', lang)}"
    if conference and stop.invited:
        expected_text += f" · {_l('invited', lang)} {format_number(stop.invited, lang)}"
    place_code = (stop.venue_id or "") if conference else stop.commune_code
    return {
        "n": number,
        "key": f"{stop.kind}|{place_code}",
        "kind": stop.kind,
        "activity": kind_label(stop.kind, lang, stop.pass_number),
        "report_kind": kind_label(stop.kind, lang),
        "time": f"{hhmm(start)}–{hhmm(end)}",
        "start_min": stop.start_min,
        "place": (stop.venue_name or stop.venue_id or stop.commune_name)
        if conference
        else stop.commune_name,
        "where": where,
        "expected": expected,
        "expected_text": expected_text,
        "commune_code": stop.commune_code,
        "commune_name": stop.commune_name,
        "venue_id": stop.venue_id or "",
        "venue_name": stop.venue_name or "",
        "lat": round(stop.lat, 6),
        "lon": round(stop.lon, 6),
        "nav": navigation_link(stop.lat, stop.lon, vehicle),
        # "Chỉ đường (vị trí ước tính)" when the point is an estimate
        "nav_label": t("navigate_estimated" if stop.position_estimated else "navigate", lang),
        # a conference's hall, address, contact and opening hours (the planner's lists)
        "details": " · ".join(venue_details(stop, lang)) if conference else "",
    }


def _day_data(route: TeamDayRoute, lang: Lang) -> dict[str, Any]:
    stops = [_stop_data(n, s, route.vehicle, lang) for n, s in enumerate(route.stops, start=1)]
    links = day_navigation_links(route)
    link_data = []
    for i, link in enumerate(links, start=1):
        span = (
            f"{_l('stops_word', lang)} {link.first}"
            if link.first == link.last
            else f"{_l('stops_word', lang)} {link.first}–{link.last}"
        )
        if link.back_to_base:
            span += f", {_l('and_back', lang)}"
        label = span if len(links) == 1 else f"{_l('part', lang)} {i}/{len(links)}: {span}"
        link_data.append({"url": link.url, "label": f"{_l('navigate', lang)} · {label} ›"})
    lunch = ""
    lunch_after = 0
    if route.lunch_minutes:
        lunch = (
            f"{_l('lunch', lang)} {hhmm(round5(route.lunch_start_min))}–"
            f"{hhmm(round5(route.lunch_start_min + route.lunch_minutes))}"
        )
        lunch_after = sum(1 for s in route.stops if s.start_min < route.lunch_start_min)
    summary = (
        f"{_l('depart', lang)} {hhmm(round5(route.depart_min))} · {route.base_name} · "
        f"{_l('back', lang)} {hhmm(round5(route.return_min))} · "
        f"{len(route.stops)} {_l('stops', lang)} · "
        f"{format_number(route.travel_km, lang, 1)} km"
    )
    return {
        "date": route.date.isoformat(),
        "label": format_date(route.date, lang),
        "option": f"{format_short_date(route.date, lang)} · {len(route.stops)} "
        f"{_l('stops_word', lang)}",
        "summary": summary,
        "lunch": lunch,
        "lunch_after": lunch_after,
        "base": {
            "name": route.base_name,
            "lat": round(route.base_lat, 6),
            "lon": round(route.base_lon, 6),
        },
        "stops": stops,
        "links": link_data,
    }


def _pack_data(
    plan: Plan,
    fingerprint: str,
    province: ProvincePlan,
    team_id: str,
    routes: Sequence[TeamDayRoute],
    stem: str,
    lang: Lang,
    today: dt.date | None,
) -> dict[str, Any]:
    labels = {key: _l(key, lang) for key in _LABELS}
    return {
        "plan": fingerprint,
        "scenario": plan.scenario,
        "province_code": province.province_code,
        "team_id": team_id,
        "lang": lang,
        "today": today.isoformat() if today else None,
        "tiles": TILE_URL,
        "file_prefix": f"{_l('report_file', lang)}-{stem}",
        "days": [_day_data(r, lang) for r in routes],
        "reasons": [{"code": code, "label": words[lang]} for code, words in SKIP_REASONS],
        "csv": [[name, headers[lang]] for name, headers in _CSV_COLUMNS],
        "labels": labels,
    }


# --- the pages -------------------------------------------------------------------------------

_STYLE = """
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #17212b; background: #eef2f5; overflow-x: hidden; overflow-wrap: anywhere; }
.tp-head { background: #0d47a1; color: #fff; padding: 10px 14px 8px; }
.tp-title { font-size: 19px; font-weight: 700; }
.tp-sub { font-size: 14px; opacity: .92; }
.tp-daynav { position: sticky; top: 0; z-index: 1100; display: flex; gap: 8px;
  align-items: center; padding: 8px 10px; background: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.18); }
.tp-daynav button { flex: none; width: 48px; height: 44px; font-size: 24px; line-height: 1;
  border: 1px solid #90a4ae; border-radius: 10px; background: #f5f7f9; color: #0d47a1; }
.tp-daynav button:disabled { opacity: .35; }
.tp-daynav select { flex: 1 1 auto; min-width: 0; height: 44px; font-size: 16px;
  border-radius: 10px; border: 1px solid #90a4ae; background: #fff; padding: 0 8px; color: #17212b; }
.tp-notice { margin: 8px 10px 0; padding: 8px 10px; background: #fff8e1;
  border: 1px solid #ffcc80; border-radius: 8px; font-size: 14px; }
.tp-daysum { padding: 8px 12px 6px; font-size: 14px; color: #37474f; }
.tp-daysum h1 { font-size: 18px; margin: 0 0 2px; color: #17212b; }
#tp-map { height: 270px; width: 100%; background: #dfe7ec; border-top: 1px solid #cfd8dc;
  border-bottom: 1px solid #cfd8dc; }
.tp-maphint { margin: 4px 12px 0; font-size: 12px; color: #607d8b; }
.tp-links { margin: 8px 10px 0; }
.tp-links h2 { font-size: 15px; margin: 0 0 4px; }
.tp-links a { display: block; margin: 6px 0; padding: 10px 12px; border-radius: 10px;
  background: #e3f2fd; color: #0d47a1; text-decoration: none; border: 1px solid #90caf9;
  font-size: 15px; }
.tp-stops { list-style: none; margin: 0; padding: 0 8px 12px; }
.tp-stop { background: #fff; margin: 10px 0; padding: 10px 12px; border-radius: 12px;
  border-left: 6px solid #90a4ae; box-shadow: 0 1px 2px rgba(0,0,0,.1); }
.tp-stop[data-status=done] { border-left-color: #2e7d32; background: #f1f8f2; }
.tp-stop[data-status=skipped] { border-left-color: #c62828; background: #fdf3f3; }
.tp-stop-head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.tp-num { display: inline-flex; justify-content: center; align-items: center; min-width: 28px;
  height: 28px; padding: 0 6px; border-radius: 14px; background: #1565c0; color: #fff;
  font-weight: 700; font-size: 14px; }
.tp-stop[data-status=done] .tp-num { background: #2e7d32; }
.tp-stop[data-status=skipped] .tp-num { background: #c62828; }
.tp-time { font-weight: 700; }
.tp-kind { color: #455a64; font-size: 14px; }
.tp-kind.tp-conference { color: #8d5a00; font-weight: 700; }
.tp-place { font-size: 17px; font-weight: 600; margin-top: 4px; }
.tp-where, .tp-expected, .tp-details { font-size: 14px; color: #455a64; }
.tp-row { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.tp-btn { flex: 1 1 0; min-width: 0; min-height: 44px; font-size: 16px; border-radius: 10px;
  border: 1px solid #90a4ae; background: #fff; color: #17212b; }
.tp-btn.tp-done[aria-pressed=true] { background: #2e7d32; color: #fff; border-color: #2e7d32; }
.tp-btn.tp-skip[aria-pressed=true] { background: #c62828; color: #fff; border-color: #c62828; }
a.tp-nav { display: inline-block; margin-top: 6px; padding: 8px 12px; border-radius: 10px;
  background: #1565c0; color: #fff; text-decoration: none; font-size: 15px; }
.tp-net { font-size: 12px; color: #607d8b; margin-left: 6px; }
.tp-form { margin-top: 8px; display: grid; gap: 8px; }
.tp-form label { display: block; font-size: 14px; color: #37474f; }
.tp-form input, .tp-form select, .tp-form textarea { display: block; width: 100%; max-width: 100%;
  font: inherit; font-size: 16px; padding: 8px; border: 1px solid #90a4ae; border-radius: 8px;
  margin-top: 2px; background: #fff; color: #17212b; }
.tp-form input[type=time] { width: 9em; }
.tp-form textarea { min-height: 3em; resize: vertical; }
.tp-form .tp-missing { border-color: #c62828; background: #fff5f5; }
.tp-undo { justify-self: start; background: none; border: none; color: #546e7a;
  text-decoration: underline; font-size: 14px; padding: 6px 0; }
.tp-lunch { margin: 10px 4px; color: #6d4c41; font-size: 14px; }
.tp-foot { padding: 4px 12px 16px; font-size: 12px; color: #607d8b; }
.tp-bar { position: sticky; bottom: 0; z-index: 1100; display: flex; gap: 10px;
  align-items: center; padding: 10px; background: #fff; box-shadow: 0 -1px 4px rgba(0,0,0,.18); }
.tp-bar .tp-count { flex: 1 1 auto; min-width: 0; font-size: 13px; color: #37474f; }
.tp-bar .tp-warn { color: #c62828; }
.tp-bar button { flex: none; min-height: 48px; padding: 0 16px; font-size: 16px; font-weight: 700;
  border-radius: 12px; border: none; background: #0d47a1; color: #fff; }
.leaflet-marker-icon.tp-pin { width: 28px; height: 28px; border-radius: 50%; background: #1565c0;
  color: #fff; font: 700 13px/24px Arial, sans-serif; text-align: center; border: 2px solid #fff;
  box-shadow: 0 0 0 1px #0d47a1; }
.leaflet-marker-icon.tp-pin.tp-done { background: #2e7d32; box-shadow: 0 0 0 1px #1b5e20; }
.leaflet-marker-icon.tp-pin.tp-skipped { background: #c62828; box-shadow: 0 0 0 1px #8e0000; }
.leaflet-marker-icon.tp-base { width: 30px; height: 30px; border-radius: 6px; background: #ffb300;
  color: #3e2723; font: 700 18px/26px Arial, sans-serif; text-align: center; border: 2px solid #fff;
  box-shadow: 0 0 0 1px #6d4c41; }
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var P = window.TP, T = P.labels;
  var storageKey = "planner-teampack|" + P.plan + "|" + P.province_code + "|" + P.team_id;
  var storageOk = true;
  var state = { stops: {} };
  try {
    var raw = window.localStorage.getItem(storageKey);
    if (raw) { state = JSON.parse(raw) || state; }
  } catch (e) { storageOk = false; }
  if (!state || typeof state !== "object" || !state.stops) { state = { stops: {} }; }

  function save() {
    try { window.localStorage.setItem(storageKey, JSON.stringify(state)); }
    catch (e) { storageOk = false; }
    showStorage();
  }
  function showStorage() {
    var box = document.getElementById("tp-storage");
    box.hidden = storageOk;
    box.textContent = storageOk ? "" : T.storage_failed;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoDate(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function clock(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function stamp(d) { return isoDate(d) + " " + clock(d) + ":" + pad(d.getSeconds()); }
  function shownDate(iso) {
    var p = iso.split("-");
    return P.lang === "vi" ? p[2] + "/" + p[1] + "/" + p[0] : iso;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function keyOf(day, stop) { return day.date + "|" + stop.key; }
  function reasonLabel(code) {
    for (var i = 0; i < P.reasons.length; i++) {
      if (P.reasons[i].code === code) { return P.reasons[i].label; }
    }
    return code || "";
  }

  // -- which day
  var days = P.days, index = 0, notice = "";
  (function () {
    var wanted = null;
    try { wanted = new URLSearchParams(window.location.search).get("day"); } catch (e) { wanted = null; }
    if (!wanted || !/^\d{4}-\d{2}-\d{2}$/.test(wanted)) { wanted = P.today || isoDate(new Date()); }
    if (!days.length) { return; }
    if (wanted < days[0].date) { index = 0; notice = T.before; return; }
    if (wanted > days[days.length - 1].date) { index = days.length - 1; notice = T.after; return; }
    for (var i = 0; i < days.length; i++) {
      if (days[i].date >= wanted) {
        index = i;
        if (days[i].date !== wanted) { notice = T.day_off.replace("{date}", shownDate(wanted)); }
        return;
      }
    }
  })();

  // -- the map (no background unless online)
  var map = null, routeLayer = null, tiles = null, markers = {};
  function syncTiles() {
    if (!map) { return; }
    if (navigator.onLine && !tiles) {
      tiles = window.L.tileLayer(P.tiles, { maxZoom: 18, attribution: "© OpenStreetMap" }).addTo(map);
    } else if (!navigator.onLine && tiles) {
      map.removeLayer(tiles);
      tiles = null;
    }
  }
  if (window.L) {
    map = window.L.map("tp-map", { zoomControl: true, attributionControl: true });
    routeLayer = window.L.layerGroup().addTo(map);
    window.addEventListener("online", syncTiles);
    window.addEventListener("offline", syncTiles);
    syncTiles();
  }
  function pinIcon(stop, status) {
    return window.L.divIcon({
      className: "tp-pin" + (status ? " tp-" + status : ""),
      html: String(stop.n), iconSize: [28, 28], iconAnchor: [14, 14]
    });
  }
  function drawMap(day) {
    if (!map) { return; }
    routeLayer.clearLayers();
    markers = {};
    var base = [day.base.lat, day.base.lon], points = [base];
    day.stops.forEach(function (s) { points.push([s.lat, s.lon]); });
    points.push(base);
    window.L.polyline(points, { color: "#1565c0", weight: 4, opacity: 0.85, className: "tp-route" })
      .addTo(routeLayer);
    window.L.marker(base, {
      icon: window.L.divIcon({ className: "tp-base", html: "★", iconSize: [30, 30], iconAnchor: [15, 15] }),
      title: day.base.name, zIndexOffset: -100
    }).bindTooltip(el("span", null, day.base.name)).addTo(routeLayer);
    day.stops.forEach(function (s) {
      var mark = state.stops[keyOf(day, s)];
      var m = window.L.marker([s.lat, s.lon], { icon: pinIcon(s, mark && mark.status), title: s.n + ". " + s.place })
        .bindTooltip(el("span", null, s.n + ". " + s.place)).addTo(routeLayer);
      markers[s.key] = m;
    });
    map.invalidateSize();
    map.fitBounds(window.L.latLngBounds(points), { padding: [28, 28], maxZoom: 15 });
  }

  // -- the stops
  function toCount(text) {
    var n = parseInt(String(text).replace(/[^0-9]/g, ""), 10);
    return isNaN(n) ? null : n;
  }
  function field(labelText, input) {
    var label = el("label", null, labelText);
    label.appendChild(input);
    return label;
  }
  function mark(day, stop, status) {
    var key = keyOf(day, stop), now = new Date(), old = state.stops[key];
    if (old && old.status === status) { return; }
    state.stops[key] = {
      status: status, time: clock(now), changed_at: stamp(now),
      reason: old && status === "skipped" ? old.reason || "" : "",
      note: old ? old.note || "" : "",
      attendance: null, sign_ups: null
    };
    save();
    refresh(day, stop);
  }
  function unmark(day, stop) {
    delete state.stops[keyOf(day, stop)];
    save();
    refresh(day, stop);
  }
  function edit(day, stop, name, value) {
    var entry = state.stops[keyOf(day, stop)];
    if (!entry) { return; }
    entry[name] = value;
    entry.changed_at = stamp(new Date());
    save();
    updateCount();
  }
  function stopItem(day, stop) {
    var key = keyOf(day, stop), entry = state.stops[key];
    var status = entry ? entry.status : "";
    var li = el("li", "tp-stop");
    li.setAttribute("data-key", stop.key);
    li.setAttribute("data-status", status || "planned");
    var head = el("div", "tp-stop-head");
    head.appendChild(el("span", "tp-num", stop.n));
    head.appendChild(el("span", "tp-time", stop.time));
    head.appendChild(el("span", "tp-kind" + (stop.kind === "conference" ? " tp-conference" : ""), stop.activity));
    li.appendChild(head);
    li.appendChild(el("div", "tp-place", stop.place));
    li.appendChild(el("div", "tp-where", stop.where));
    li.appendChild(el("div", "tp-expected", stop.expected_text));
    if (stop.details) { li.appendChild(el("div", "tp-details", stop.details)); }
    var nav = el("a", "tp-nav", (stop.nav_label || T.navigate) + " ›");
    nav.href = stop.nav;
    nav.target = "_blank";
    nav.rel = "noopener noreferrer";
    var navRow = el("div");
    navRow.appendChild(nav);
    navRow.appendChild(el("span", "tp-net", "(" + T.needs_network + ")"));
    li.appendChild(navRow);

    var row = el("div", "tp-row");
    var done = el("button", "tp-btn tp-done", "✓ " + T.done);
    done.type = "button";
    done.setAttribute("aria-pressed", status === "done" ? "true" : "false");
    done.addEventListener("click", function () { mark(day, stop, "done"); });
    var skip = el("button", "tp-btn tp-skip", "✗ " + T.skip);
    skip.type = "button";
    skip.setAttribute("aria-pressed", status === "skipped" ? "true" : "false");
    skip.addEventListener("click", function () { mark(day, stop, "skipped"); });
    row.appendChild(done);
    row.appendChild(skip);
    li.appendChild(row);

    if (entry) {
      var form = el("div", "tp-form");
      var time = el("input", "tp-actual");
      time.type = "time";
      time.value = entry.time || "";
      time.addEventListener("change", function () { edit(day, stop, "time", time.value); });
      form.appendChild(field(status === "done" ? T.done_at : T.skipped_at, time));
      if (status === "skipped") {
        var select = el("select", "tp-reason");
        var empty = el("option", null, T.choose_reason);
        empty.value = "";
        select.appendChild(empty);
        P.reasons.forEach(function (r) {
          var option = el("option", null, r.label);
          option.value = r.code;
          select.appendChild(option);
        });
        select.value = entry.reason || "";
        select.classList.toggle("tp-missing", !select.value);
        select.addEventListener("change", function () {
          select.classList.toggle("tp-missing", !select.value);
          edit(day, stop, "reason", select.value);
        });
        form.appendChild(field(T.reason, select));
      } else {
        if (stop.kind === "conference") {
          var attendance = el("input", "tp-attendance");
          attendance.type = "number"; attendance.min = "0"; attendance.step = "1";
          attendance.inputMode = "numeric";
          attendance.value = entry.attendance === null || entry.attendance === undefined ? "" : entry.attendance;
          attendance.addEventListener("input", function () { edit(day, stop, "attendance", toCount(attendance.value)); });
          form.appendChild(field(T.attendance, attendance));
        }
        var signUps = el("input", "tp-signups");
        signUps.type = "number"; signUps.min = "0"; signUps.step = "1";
        signUps.inputMode = "numeric";
        signUps.value = entry.sign_ups === null || entry.sign_ups === undefined ? "" : entry.sign_ups;
        signUps.addEventListener("input", function () { edit(day, stop, "sign_ups", toCount(signUps.value)); });
        form.appendChild(field(stop.kind === "conference" ? T.sign_ups : T.sign_ups_optional, signUps));
      }
      var note = el("textarea", "tp-note");
      note.rows = 2;
      note.value = entry.note || "";
      note.addEventListener("input", function () { edit(day, stop, "note", note.value); });
      form.appendChild(field(T.note, note));
      var undo = el("button", "tp-undo", T.undo);
      undo.type = "button";
      undo.addEventListener("click", function () { unmark(day, stop); });
      form.appendChild(undo);
      li.appendChild(form);
    }
    return li;
  }
  function refresh(day, stop) {
    var list = document.getElementById("tp-stops");
    var old = list.querySelector('li[data-key="' + stop.key.replace(/["\\]/g, "\\$&") + '"]');
    var fresh = stopItem(day, stop);
    if (old) { list.replaceChild(fresh, old); } else { list.appendChild(fresh); }
    var m = markers[stop.key], entry = state.stops[keyOf(day, stop)];
    if (m) { m.setIcon(pinIcon(stop, entry && entry.status)); }
    updateCount();
  }

  function updateCount() {
    var day = days[index], done = 0, skipped = 0, marked = 0, noReason = 0;
    if (day) {
      day.stops.forEach(function (s) {
        var e = state.stops[keyOf(day, s)];
        if (e && e.status === "done") { done++; }
        if (e && e.status === "skipped") { skipped++; }
      });
    }
    Object.keys(state.stops).forEach(function (k) {
      var e = state.stops[k];
      if (e && e.status) { marked++; }
      if (e && e.status === "skipped" && !e.reason) { noReason++; }
    });
    var box = document.getElementById("tp-count");
    box.textContent = "";
    box.appendChild(el("div", null, T.day_total + ": " + done + " " + T.done.toLowerCase() + ", " +
      skipped + " " + T.skip.toLowerCase() + " / " + (day ? day.stops.length : 0) + " " + T.stops_word));
    box.appendChild(el("div", null, T.all_total + ": " + marked + " " + T.marked));
    if (noReason) { box.appendChild(el("div", "tp-warn", noReason + " " + T.no_reason)); }
    if (state.last_export) { box.appendChild(el("div", null, T.sent_at + " " + state.last_export)); }
  }

  function render() {
    var day = days[index];
    var select = document.getElementById("tp-day");
    select.value = String(index);
    document.getElementById("tp-prev").disabled = index <= 0;
    document.getElementById("tp-next").disabled = index >= days.length - 1;
    var box = document.getElementById("tp-notice");
    box.hidden = !notice;
    box.textContent = notice;
    var sum = document.getElementById("tp-daysum");
    sum.textContent = "";
    sum.setAttribute("data-date", day.date);
    sum.appendChild(el("h1", null, day.label));
    sum.appendChild(el("div", null, day.summary));
    var links = document.getElementById("tp-links");
    links.textContent = "";
    if (day.links.length) {
      links.appendChild(el("h2", null, T.day_route));
      day.links.forEach(function (l) {
        var a = el("a", "tp-dayroute", l.label);
        a.href = l.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        links.appendChild(a);
      });
    }
    var list = document.getElementById("tp-stops");
    list.textContent = "";
    day.stops.forEach(function (s, i) {
      if (day.lunch && i === day.lunch_after) { list.appendChild(el("li", "tp-lunch", "☕ " + day.lunch)); }
      list.appendChild(stopItem(day, s));
    });
    if (day.lunch && day.lunch_after >= day.stops.length) {
      list.appendChild(el("li", "tp-lunch", "☕ " + day.lunch));
    }
    drawMap(day);
    updateCount();
  }
  function go(step) {
    var next = index + step;
    if (next < 0 || next >= days.length) { return; }
    index = next;
    notice = "";
    render();
    window.scrollTo(0, 0);
  }

  // -- the report
  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@]/.test(text)) { text = "\t" + text; }  // not a formula when Excel opens it
    return '"' + text.replace(/"/g, '""') + '"';
  }
  function reportCsv() {
    var lines = [P.csv.map(function (c) { return csvCell(c[1]); }).join(",")], rows = 0;
    days.forEach(function (day) {
      day.stops.forEach(function (s) {
        var e = state.stops[keyOf(day, s)];
        if (!e || !e.status) { return; }
        var done = e.status === "done";
        var values = {
          province_code: P.province_code, team_id: P.team_id, date: day.date, stop: s.n,
          kind: s.report_kind, commune_code: s.commune_code, commune_name: s.commune_name,
          venue_id: s.venue_id, venue_name: s.venue_name, done: done ? T.yes : T.no,
          skip_reason: done ? "" : reasonLabel(e.reason), note: e.note || "",
          attendance: done && s.kind === "conference" && e.attendance !== null ? e.attendance : "",
          sign_ups: done && e.sign_ups !== null ? e.sign_ups : "",
          actual_end: done ? e.time || "" : "", reported_at: e.changed_at || ""
        };
        lines.push(P.csv.map(function (c) { return csvCell(values[c[0]]); }).join(","));
        rows++;
      });
    });
    return { text: "\ufeff" + lines.join("\r\n") + "\r\n", rows: rows };
  }
  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el("a");
    a.href = url;
    a.download = name;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }
  function send() {
    var report = reportCsv();
    var status = document.getElementById("tp-sendstatus");
    if (!report.rows) { status.textContent = T.nothing_to_send; return; }
    var now = new Date();
    var name = P.file_prefix + "-" + isoDate(now).replace(/-/g, "") + "-" + clock(now).replace(":", "") + ".csv";
    var blob = new Blob([report.text], { type: "text/csv;charset=utf-8" });
    state.last_export = clock(now) + " " + shownDate(isoDate(now));
    save();
    updateCount();
    status.textContent = "";
    var file = null;
    try { file = new File([blob], name, { type: "text/csv" }); } catch (e) { file = null; }
    if (file && navigator.canShare && navigator.share && navigator.canShare({ files: [file] })) {
      navigator.share({ files: [file], title: name }).catch(function (err) {
        if (!err || err.name !== "AbortError") { download(blob, name); }
      });
    } else {
      download(blob, name);
    }
  }

  // -- start
  var daySelect = document.getElementById("tp-day");
  days.forEach(function (d, i) {
    var option = el("option", null, d.option);
    option.value = String(i);
    daySelect.appendChild(option);
  });
  daySelect.addEventListener("change", function () {
    index = parseInt(daySelect.value, 10) || 0;
    notice = "";
    render();
  });
  document.getElementById("tp-prev").addEventListener("click", function () { go(-1); });
  document.getElementById("tp-next").addEventListener("click", function () { go(1); });
  document.getElementById("tp-send").addEventListener("click", send);
  showStorage();
  if (days.length) { render(); }
  window.tpReady = true;
})();
"""

_TEAM_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="format-detection" content="telephone=no">
<title>{{ L.team_word }} {{ team_id }} — {{ L.title }}</title>
{{ leaflet|safe }}
<style>{{ style|safe }}</style>
</head>
<body>
<header class="tp-head">
<div class="tp-title">{{ L.team_word }} {{ team_id }}</div>
<div class="tp-sub">{{ province_name }}{% if group_name %} · {{ group_name }}{% endif %} · {{ vehicle }}</div>
</header>
<nav class="tp-daynav">
<button id="tp-prev" type="button" aria-label="{{ L.prev }}" title="{{ L.prev }}">‹</button>
<select id="tp-day" aria-label="{{ L.day_word }}"></select>
<button id="tp-next" type="button" aria-label="{{ L.next }}" title="{{ L.next }}">›</button>
</nav>
<div id="tp-storage" class="tp-notice" hidden></div>
<div id="tp-notice" class="tp-notice" hidden></div>
<noscript><p class="tp-notice">{{ L.noscript }}</p></noscript>
<section id="tp-daysum" class="tp-daysum"></section>
<div id="tp-map"></div>
<p class="tp-maphint">{{ L.map_hint }}</p>
<section id="tp-links" class="tp-links"></section>
<ol id="tp-stops" class="tp-stops"></ol>
<p class="tp-foot">{{ L.offline_note }}</p>
<footer class="tp-bar">
<div id="tp-count" class="tp-count"></div>
<div id="tp-sendstatus" class="tp-count" aria-live="polite"></div>
<button id="tp-send" type="button">{{ L.send }}</button>
</footer>
<script>window.TP = {{ data|safe }};</script>
<script>{{ script|safe }}</script>
</body>
</html>
"""

_INDEX_STYLE = """
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0 auto; max-width: 900px; padding: 12px; font: 16px/1.45 system-ui, -apple-system,
  "Segoe UI", Roboto, Arial, sans-serif; color: #17212b; overflow-wrap: anywhere; }
h1 { font-size: 21px; margin: 4px 0; }
h2 { font-size: 18px; margin: 18px 0 4px; border-bottom: 2px solid #1565c0; }
h3 { font-size: 15px; margin: 10px 0 2px; color: #37474f; }
.meta, .help { color: #455a64; font-size: 14px; }
ul { list-style: none; padding: 0; margin: 0; }
li { margin: 6px 0; }
li a { display: block; padding: 10px 12px; border-radius: 10px; background: #e3f2fd;
  border: 1px solid #90caf9; color: #0d47a1; text-decoration: none; }
li small { display: block; color: #455a64; }
"""

_INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ L.packs }} — {{ scenario }}</title>
<style>{{ style|safe }}</style>
</head>
<body>
<h1>{{ L.packs }}</h1>
<p class="meta">{{ L.campaign }} · {{ scenario }}</p>
<p class="help">{{ L.index_help }}</p>
{% for province in provinces %}
<h2>{{ province.name }} ({{ province.code }})</h2>
{% for group in province.groups %}
<h3>{{ group.name or province.group_word }}</h3>
<ul>
{% for team in group.teams %}
<li><a href="{{ team.href }}">{{ L.team_word }} {{ team.team_id }}<small>{{ team.days }} {{ L.days }} · {{ team.stops }} {{ L.stops }} · {{ team.period }}</small></a></li>
{% endfor %}
</ul>
{% endfor %}
{% endfor %}
</body>
</html>
"""


def _period(days: Sequence[dt.date], lang: Lang) -> str:
    first = format_date(min(days), lang, with_weekday=False)
    last = format_date(max(days), lang, with_weekday=False)
    return first if first == last else f"{first} – {last}"


def _page_labels(lang: Lang) -> dict[str, str]:
    labels = {key: _l(key, lang) for key in _LABELS}
    labels["team_word"] = t("team", lang)
    labels["day_word"] = t("day", lang)
    labels["campaign"] = t("campaign", lang)
    return labels


def write_team_packs(
    plan: Plan, folder: Path, *, lang: str = "vi", today: dt.date | None = None
) -> list[Path]:
    """Write a pack `team-<id>.html` for every team of `plan`, and `index.html`, into
    `folder`; return them (the index first).

    today: open every pack on this day instead of the phone's date (a `?day=` query still
        wins); None, the default, for packs sent to teams.
    """
    language = check_lang(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    team_template = env.from_string(_TEAM_TEMPLATE)
    labels = _page_labels(language)
    leaflet = _inline_head()
    fingerprint = plan_fingerprint(plan)
    files = team_pack_files(plan)
    stems = team_stems(plan)
    written: list[Path] = []
    index: list[dict[str, Any]] = []
    for province in plan.provinces:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for team_id in sorted({r.team_id for r in province.routes}):
            routes = sorted(
                (r for r in province.routes if r.team_id == team_id), key=lambda r: r.date
            )
            key = (province.province_code, team_id)
            group_code, group_name = _team_group(routes)
            data = _pack_data(
                plan, fingerprint, province, team_id, routes, stems[key], language, today
            )
            page = team_template.render(
                lang=language,
                L=labels,
                team_id=team_id,
                province_name=province.province_name,
                group_word=group_word(province.group_label, language),
                group_name=group_name,
                vehicle=vehicle_label(routes[0].vehicle, language),
                leaflet=leaflet,
                style=_STYLE,
                data=js_literal(data),
                script=_SCRIPT,
            )
            path = folder / files[key]
            check_offline(page, path)
            path.write_text(page, encoding="utf-8")
            written.append(path)
            groups.setdefault((group_code, group_name), []).append(
                {
                    "team_id": team_id,
                    "href": files[key],
                    "days": len({r.date for r in routes}),
                    "stops": sum(len(r.stops) for r in routes),
                    "period": _period([r.date for r in routes], language),
                }
            )
        index.append(
            {
                "code": province.province_code,
                "name": province.province_name,
                "group_word": group_word(province.group_label, language),
                "groups": [
                    {"code": code, "name": name, "teams": teams}
                    for (code, name), teams in sorted(groups.items(), key=lambda g: g[0][1])
                ],
            }
        )
    page = env.from_string(_INDEX_TEMPLATE).render(
        lang=language,
        L=labels,
        style=_INDEX_STYLE,
        scenario=plan.scenario,
        provinces=index,
    )
    path = folder / "index.html"
    check_offline(page, path)
    path.write_text(page, encoding="utf-8")
    return [path, *written]
