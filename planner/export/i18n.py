"""Labels for the deliverables, in Vietnamese (the default) and English.

One dictionary, `LABELS`, holds every word the maps, route sheets and workbook show; `t()`
looks one up. These tables are part of the planner's one message catalogue
(`planner.messages.catalogue()`, which also holds every sentence of the command line, the
compare page and the sweep picture); `TABLES` names them for it. Dates are written the way each language writes them: "Thứ Bảy, 23/05/2020" and
"Sat 23 May 2020". Codes from the plan (a reason, a slot, a vehicle) are translated when they
are known and shown as they are otherwise, so a new code never breaks an export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from planner.messages import (
    LANGS,
    REASONS,
    Lang,
    check_lang,
    reason_label,
    resolve_lang,
    rule_level_label,
    solver_status_label,
)

__all__ = [
    "COLUMNS",
    "DONE_CHOICES",
    "LABELS",
    "LANGS",
    "LIST_COLUMNS",
    "LIST_SHEETS",
    "LIST_WORDS",
    "REPORT_COLUMNS",
    "REPORT_SHEET_COLUMNS",
    "TABLES",
    "Lang",
    "check_lang",
    "column_label",
    "day_note_label",
    "format_date",
    "format_number",
    "format_percent",
    "format_short_date",
    "group_word",
    "kind_label",
    "reason_label",
    "resolve_lang",
    "rule_level_label",
    "slot_label",
    "solver_status_label",
    "t",
    "unserved_kind_label",
    "vehicle_label",
    "weekday",
]

LABELS: dict[str, dict[Lang, str]] = {
    # -- things in the plan
    "team": {"vi": "Đội", "en": "Team"},
    "teams": {"vi": "Các đội", "en": "Teams"},
    "date": {"vi": "Ngày", "en": "Date"},
    "day": {"vi": "Ngày", "en": "Day"},
    "days": {"vi": "ngày", "en": "days"},
    "stop": {"vi": "Điểm dừng", "en": "Stop"},
    "stops": {"vi": "điểm dừng", "en": "stops"},
    "pass": {"vi": "Tuyên truyền lưu động", "en": "Mobile propaganda pass"},
    "pass_short": {"vi": "Tuyên truyền", "en": "Pass"},
    "pass_number": {"vi": "lần", "en": "pass no."},
    "conference": {"vi": "Hội nghị", "en": "Conference"},
    "conferences": {"vi": "Hội nghị", "en": "Conferences"},
    "passes": {"vi": "Lượt tuyên truyền", "en": "Propaganda passes"},
    "arrival": {"vi": "Giờ đến", "en": "Arrival"},
    "actual_arrival": {"vi": "Giờ đến thực tế", "en": "Actual arrival"},
    "start": {"vi": "Bắt đầu", "en": "Start"},
    "end": {"vi": "Kết thúc", "en": "End"},
    "lunch": {"vi": "Nghỉ trưa", "en": "Lunch break"},
    "depart": {"vi": "Xuất phát", "en": "Leave base"},
    "return": {"vi": "Về đến nơi xuất phát", "en": "Back at base"},
    "base": {"vi": "Nơi xuất phát", "en": "Base"},
    "bases": {"vi": "Nơi xuất phát của các đội (bưu điện)", "en": "Team bases (post offices)"},
    "vehicle": {"vi": "Phương tiện", "en": "Vehicle"},
    "commune": {"vi": "Xã/phường", "en": "Commune"},
    "communes": {"vi": "Xã/phường", "en": "Communes"},
    "province": {"vi": "Tỉnh/thành phố", "en": "Province"},
    "provinces": {"vi": "Tỉnh/thành phố", "en": "Provinces"},
    "district": {"vi": "Huyện", "en": "District"},
    "cluster": {"vi": "Cụm xã", "en": "Cluster"},
    "venue": {"vi": "Địa điểm", "en": "Venue"},
    "slot": {"vi": "Buổi", "en": "Slot"},
    "invited": {"vi": "Số người được mời", "en": "Invited"},
    "expected_attendance": {"vi": "Số người dự kiến", "en": "Expected attendance"},
    "gathering_cap": {"vi": "Giới hạn tụ tập", "en": "Gathering cap"},
    "no_cap": {"vi": "không giới hạn", "en": "no limit"},
    "seats_by_area": {"vi": "Số chỗ theo diện tích", "en": "Seats by hall area"},
    "people_reached": {"vi": "Số người tiếp cận dự kiến", "en": "Expected people reached"},
    "expected_enrolments": {"vi": "Số người tham gia dự kiến", "en": "Expected enrolments"},
    "target_people": {"vi": "Số người mục tiêu", "en": "Target people"},
    "reach_ratio": {"vi": "Tỷ lệ tiếp cận dự kiến", "en": "Expected reach per target person"},
    "rule_level": {"vi": "Mức quy định", "en": "Rule level"},
    "travel_km": {"vi": "Quãng đường (km)", "en": "Distance (km)"},
    "travel_minutes": {"vi": "Thời gian di chuyển (phút)", "en": "Driving time (min)"},
    "km": {"vi": "km", "en": "km"},
    "minutes": {"vi": "phút", "en": "min"},
    "navigate": {"vi": "Chỉ đường", "en": "Directions"},
    "coordinates": {"vi": "Tọa độ", "en": "Coordinates"},
    "activity": {"vi": "Hoạt động", "en": "Activity"},
    "done": {"vi": "Đã thực hiện", "en": "Done"},
    "notes": {"vi": "Ghi chú", "en": "Notes"},
    "team_days": {"vi": "Ngày-đội đã dùng", "en": "Team-days used"},
    "team_days_available": {"vi": "Ngày-đội có thể dùng", "en": "Team-days available"},
    "communes_served": {"vi": "Xã được phục vụ", "en": "Communes served"},
    "n_communes": {"vi": "Số xã", "en": "Communes"},
    "objective": {"vi": "Giá trị mục tiêu", "en": "Objective"},
    "upper_bound": {"vi": "Cận trên", "en": "Upper bound"},
    "gap": {"vi": "Khoảng cách tới cận trên", "en": "Gap to bound"},
    "greedy_value": {"vi": "Giá trị phương án tham lam", "en": "Greedy baseline"},
    "solver_status": {"vi": "Trạng thái lời giải", "en": "Solver status"},
    "total": {"vi": "Tổng cộng", "en": "Total"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "reason_code": {"vi": "Mã lý do", "en": "Reason code"},
    "detail": {"vi": "Chi tiết", "en": "Detail"},
    "value_lost": {"vi": "Giá trị bị mất", "en": "Value lost"},
    "insertion_minutes": {"vi": "Số phút cần thêm", "en": "Extra minutes needed"},
    "kind": {"vi": "Loại", "en": "Kind"},
    "code": {"vi": "Mã", "en": "Code"},
    "name": {"vi": "Tên", "en": "Name"},
    "unserved": {"vi": "Không được phục vụ", "en": "Not served"},
    "unserved_communes": {"vi": "Xã không được phục vụ", "en": "Communes not served"},
    "isolated": {"vi": "Vùng bị cách ly, phong tỏa", "en": "Isolated areas"},
    "isolated_on": {"vi": "Bị cách ly các ngày", "en": "Isolated on"},
    "visits": {"vi": "Các lần đến", "en": "Visits"},
    "passes_received": {"vi": "Số lượt tuyên truyền nhận được", "en": "Passes received"},
    "none": {"vi": "không có", "en": "none"},
    # -- pages
    "campaign": {
        "vi": "Tuyên truyền vận động tham gia BHXH tự nguyện",
        "en": "Voluntary social insurance outreach campaign",
    },
    "overview": {"vi": "Toàn quốc", "en": "National overview"},
    "open_province_map": {"vi": "Mở bản đồ tỉnh", "en": "Open the province map"},
    "open_team_map": {"vi": "Bản đồ của đội", "en": "Team map"},
    "back_to_overview": {"vi": "Về bản đồ toàn quốc", "en": "Back to the national map"},
    "back_to_province": {"vi": "Về bản đồ tỉnh", "en": "Back to the province map"},
    "not_in_plan": {"vi": "Không nằm trong kế hoạch", "en": "Not in this plan"},
    "all_days": {"vi": "Tất cả các ngày", "en": "All days"},
    "all_teams": {"vi": "Tất cả các đội", "en": "All teams"},
    "same_place": {"vi": "Nhiều điểm dừng tại một nơi", "en": "Stops at one place"},
    "previous_day": {"vi": "Ngày trước", "en": "Previous day"},
    "next_day": {"vi": "Ngày sau", "en": "Next day"},
    "team_colours": {"vi": "Các đội (màu tuyến)", "en": "Teams (route colours)"},
    "team_colours_note": {
        "vi": "Mờ: không đi ngày đang xem. Bấm tên đội để mở bản đồ của đội",
        "en": "Faded: not out on the day shown. Click a team to open its map",
    },
    "show_all_routes": {"vi": "Hiện mọi tuyến", "en": "Show all routes"},
    "hide_all_routes": {"vi": "Ẩn mọi tuyến", "en": "Hide all routes"},
    "route_sheet": {"vi": "Lịch trình", "en": "Route sheet"},
    "route_sheets": {"vi": "Lịch trình các đội", "en": "Team route sheets"},
    "print": {"vi": "In", "en": "Print"},
    "legend": {"vi": "Chú giải", "en": "Legend"},
    "coverage": {"vi": "Độ phủ (lượt tuyên truyền)", "en": "Coverage (passes received)"},
    "boundaries_communes": {
        "vi": "Ranh giới xã/phường (gần đúng)",
        "en": "Commune boundaries (approximate)",
    },
    "boundaries_district": {
        "vi": "Ranh giới huyện (gần đúng)",
        "en": "District boundaries (approximate)",
    },
    "boundaries_cluster": {
        "vi": "Ranh giới cụm xã (gần đúng)",
        "en": "Cluster boundaries (approximate)",
    },
    "names_district": {"vi": "Tên huyện", "en": "District names"},
    "names_cluster": {"vi": "Tên cụm xã", "en": "Cluster names"},
    "approximate_note": {
        "vi": "Ranh giới là gần đúng (ô Voronoi quanh trung tâm xã), không phải ranh giới hành chính chính thức",
        "en": "Boundaries are approximate (Voronoi cells around commune centres), not official administrative boundaries",
    },
    "approximate_short": {
        "vi": "Ranh giới gần đúng (ô Voronoi)",
        "en": "Approximate boundaries (Voronoi cells)",
    },
    "offline_note": {
        "vi": "Bản đồ nền cần Internet; ranh giới và tuyến đường vẫn hiện khi không có mạng",
        "en": "The background map needs the Internet; boundaries and routes show without it",
    },
    "background_map": {"vi": "Bản đồ nền OpenStreetMap", "en": "OpenStreetMap background"},
    "more_stops": {"vi": "xem chi tiết", "en": "details"},
    "day_list": {"vi": "Các ngày làm việc", "en": "Working days"},
    "day_map": {"vi": "Sơ đồ tuyến trong ngày", "en": "The day's route"},
    "times_rounded": {
        "vi": "Giờ dự kiến, làm tròn đến 5 phút",
        "en": "Planned times, rounded to 5 minutes",
    },
    "signature": {"vi": "Trưởng đoàn ký xác nhận", "en": "Team leader's signature"},
    "printed_note": {
        "vi": "Giờ là giờ dự kiến; ghi lại điểm đã thực hiện để lập lại kế hoạch",
        "en": "Times are planned; mark what was done so the rest can be re-planned",
    },
    # -- estimates, and what is known of a venue (planner/estimates.py)
    "estimated": {"vi": "ước tính", "en": "estimated"},
    "navigate_estimated": {
        "vi": "Chỉ đường (vị trí ước tính)",
        "en": "Directions (estimated position)",
    },
    "position": {"vi": "Vị trí", "en": "Position"},
    "commune_position": {"vi": "Vị trí xã", "en": "Commune position"},
    "venue_position": {"vi": "Vị trí địa điểm", "en": "Venue position"},
    "population": {"vi": "Dân số", "en": "Population"},
    "hall": {"vi": "Hội trường", "en": "Hall"},
    "seats": {"vi": "chỗ", "en": "seats"},
    "address": {"vi": "Địa chỉ", "en": "Address"},
    "contact": {"vi": "Liên hệ", "en": "Contact"},
    "opening_hours": {"vi": "Giờ mở cửa", "en": "Opening hours"},
    "estimates_note": {
        "vi": "* Số người dự kiến tính từ dân số ước tính (điều tra dân số 2019 chia theo xã)",
        "en": "* Expected people are computed from estimated populations (the 2019 census "
        "shared among communes)",
    },
    "estimated_figures": {"vi": "Số liệu ước tính", "en": "Estimated figures"},
}

_UNSERVED_KINDS: dict[str, dict[Lang, str]] = {
    "commune": {"vi": "Xã/phường", "en": "Commune"},
    "group": {"vi": "Huyện/cụm xã", "en": "District/cluster"},
    "group_minimum": {"vi": "Mức tối thiểu của huyện/cụm", "en": "District/cluster minimum"},
}

_SLOTS: dict[str, dict[Lang, str]] = {
    "morning": {"vi": "Buổi sáng", "en": "Morning"},
    "afternoon": {"vi": "Buổi chiều", "en": "Afternoon"},
    "evening": {"vi": "Buổi tối", "en": "Evening"},
}

_VEHICLES: dict[str, dict[Lang, str]] = {
    "motorbike": {"vi": "Xe máy", "en": "Motorbike"},
    "car": {"vi": "Ô tô", "en": "Car"},
}

# why a light day is light: the solver writes the Vietnamese (planner/solve/capacity.py
# NOTES, checked equal by tests/test_messages.py); an English sheet shows the English
_DAY_NOTES: dict[str, dict[Lang, str]] = {
    "exhausted": {
        "vi": "Ngày nhẹ: trong địa bàn của đội không còn việc mà quy định cho phép hôm nay (mỗi xã "
        "đã có đủ số lượt tuyên truyền, cách nhau đủ ngày; mỗi điểm đã có đủ hội nghị).",
        "en": "Light day: nothing the rules allow today is left in the team's territory (every "
        "commune has had its passes, spaced enough days apart; every venue its conferences).",
    },
    "no_fit": {
        "vi": "Ngày nhẹ: những điểm còn lại không vừa trong giờ làm việc hôm nay (quá xa để đi và "
        "về, hoặc ngoài khung giờ hội nghị).",
        "en": "Light day: the places left do not fit in today's working hours (too far to go and "
        "come back, or outside the conference slots).",
    },
    "not_needed": {
        "vi": "Ngày nhẹ: kế hoạch gọn (ít ngày-đội nhất) không cần thêm việc hôm nay; việc còn lại "
        "đã dồn sang các ngày khác của đội.",
        "en": "Light day: the compact plan (fewest team-days) needs no more work today; what is "
        "left has moved to the team's other days.",
    },
}

# the schedule.csv columns, as headers of the workbook's team sheets
COLUMNS: dict[str, dict[Lang, str]] = {
    "province_code": {"vi": "Mã tỉnh", "en": "Province code"},
    "team_id": {"vi": "Đội", "en": "Team"},
    "date": {"vi": "Ngày", "en": "Date"},
    "vehicle": {"vi": "Phương tiện", "en": "Vehicle"},
    "stop": {"vi": "Điểm dừng", "en": "Stop"},
    "kind": {"vi": "Hoạt động", "en": "Activity"},
    "commune_code": {"vi": "Mã xã", "en": "Commune code"},
    "commune_name": {"vi": "Xã/phường", "en": "Commune"},
    "group_code": {"vi": "Mã huyện/cụm", "en": "District/cluster code"},
    "group_name": {"vi": "Huyện/cụm", "en": "District/cluster"},
    "venue_id": {"vi": "Mã địa điểm", "en": "Venue id"},
    "venue_name": {"vi": "Địa điểm", "en": "Venue"},
    "lat": {"vi": "Vĩ độ", "en": "Latitude"},
    "lon": {"vi": "Kinh độ", "en": "Longitude"},
    "arrival": {"vi": "Giờ đến", "en": "Arrival"},
    "start": {"vi": "Bắt đầu", "en": "Start"},
    "end": {"vi": "Kết thúc", "en": "End"},
    "slot": {"vi": "Buổi", "en": "Slot"},
    "pass_number": {"vi": "Lần tuyên truyền", "en": "Pass no."},
    "people_reached": {"vi": "Số người tiếp cận dự kiến", "en": "Expected people reached"},
    "expected_enrolments": {"vi": "Số người tham gia dự kiến", "en": "Expected enrolments"},
    "invited": {"vi": "Số người được mời", "en": "Invited"},
    "expected_attendance": {"vi": "Số người dự hội nghị dự kiến", "en": "Expected attendance"},
    "gathering_cap": {"vi": "Giới hạn tụ tập", "en": "Gathering cap"},
    "seats_by_area": {"vi": "Số chỗ theo diện tích", "en": "Seats by hall area"},
    "rule_level": {"vi": "Mức quy định", "en": "Rule level"},
    "km_from_previous": {"vi": "Km từ điểm trước", "en": "km from previous"},
    "minutes_from_previous": {"vi": "Phút từ điểm trước", "en": "Minutes from previous"},
    "position_estimated": {"vi": "Vị trí điểm dừng ước tính", "en": "Stop position estimated"},
    "commune_position_estimated": {
        "vi": "Vị trí xã ước tính",
        "en": "Commune position estimated",
    },
    "population_estimated": {"vi": "Dân số ước tính", "en": "Population estimated"},
    "hall_estimated": {"vi": "Diện tích hội trường ước tính", "en": "Hall size estimated"},
    "venue_address": {"vi": "Địa chỉ địa điểm", "en": "Venue address"},
    "contact_name": {"vi": "Người liên hệ", "en": "Contact name"},
    "contact_phone": {"vi": "Số điện thoại liên hệ", "en": "Contact phone"},
    "opening_hours": {"vi": "Giờ mở cửa", "en": "Opening hours"},
}

# the sheets of a planner's own lists (`planner data template`, planner/geo/lists.py)
LIST_SHEETS: dict[str, dict[Lang, str]] = {
    "communes": {"vi": "Xã", "en": "Communes"},
    "venues": {"vi": "Địa điểm", "en": "Venues"},
    "teams": {"vi": "Đội", "en": "Teams"},
    "legend": {"vi": "Hướng dẫn", "en": "Legend"},
}
# their columns, "<sheet>.<key>": row 1 holds the Vietnamese header, row 2 the English one
LIST_COLUMNS: dict[str, dict[Lang, str]] = {
    "communes.province_code": {"vi": "Mã tỉnh", "en": "Province code"},
    "communes.commune_code": {"vi": "Mã xã", "en": "Commune code"},
    "communes.commune_name": {"vi": "Tên xã/phường", "en": "Commune"},
    "communes.group_code": {"vi": "Mã huyện/cụm", "en": "District/cluster code"},
    "communes.group_name": {"vi": "Tên huyện/cụm", "en": "District/cluster"},
    "communes.population": {
        "vi": "Dân số (ước tính, chỉ để tham khảo)",
        "en": "Population (estimated, for reference)",
    },
    "communes.target_people": {"vi": "Số người mục tiêu", "en": "Target people"},
    "communes.target_estimated": {
        "vi": "Số người mục tiêu là ước tính (có/không)",
        "en": "Target people estimated (yes/no)",
    },
    "communes.lat": {"vi": "Vĩ độ", "en": "Latitude"},
    "communes.lon": {"vi": "Kinh độ", "en": "Longitude"},
    "communes.position_estimated": {
        "vi": "Vị trí là ước tính (có/không)",
        "en": "Position estimated (yes/no)",
    },
    "communes.position_method": {
        "vi": "Cách xác định vị trí (chỉ để tham khảo)",
        "en": "How the position was found (for reference)",
    },
    "venues.province_code": {"vi": "Mã tỉnh", "en": "Province code"},
    "venues.venue_id": {"vi": "Mã địa điểm", "en": "Venue id"},
    "venues.venue_name": {"vi": "Tên địa điểm", "en": "Venue"},
    "venues.kind": {"vi": "Loại (huyện/cụm/xã)", "en": "Kind (group/commune)"},
    "venues.commune_code": {"vi": "Mã xã", "en": "Commune code"},
    "venues.group_code": {"vi": "Mã huyện/cụm", "en": "District/cluster code"},
    "venues.address": {"vi": "Địa chỉ", "en": "Address"},
    "venues.lat": {"vi": "Vĩ độ", "en": "Latitude"},
    "venues.lon": {"vi": "Kinh độ", "en": "Longitude"},
    "venues.position_estimated": {
        "vi": "Vị trí là ước tính (có/không)",
        "en": "Position estimated (yes/no)",
    },
    "venues.seats": {"vi": "Số chỗ ngồi hội trường", "en": "Hall seats"},
    "venues.seats_estimated": {
        "vi": "Số chỗ là ước tính (có/không)",
        "en": "Seats estimated (yes/no)",
    },
    "venues.contact_name": {"vi": "Người liên hệ", "en": "Contact name"},
    "venues.contact_phone": {"vi": "Số điện thoại", "en": "Contact phone"},
    "venues.opening_hours": {"vi": "Giờ mở cửa", "en": "Opening hours"},
    "teams.province_code": {"vi": "Mã tỉnh", "en": "Province code"},
    "teams.team_id": {"vi": "Mã đội", "en": "Team id"},
    "teams.group_code": {"vi": "Mã huyện/cụm", "en": "District/cluster code"},
    "teams.group_name": {"vi": "Tên huyện/cụm", "en": "District/cluster"},
    "teams.base_venue_id": {
        "vi": "Nơi xuất phát (mã địa điểm)",
        "en": "Base (venue id)",
    },
    "teams.base_name": {
        "vi": "Tên nơi xuất phát (chỉ để tham khảo)",
        "en": "Base name (for reference)",
    },
}
# the words a list writes for a venue's kind and for its estimate marks
LIST_WORDS: dict[str, dict[Lang, str]] = {
    "kind_district": {"vi": "huyện", "en": "group"},
    "kind_cluster": {"vi": "cụm", "en": "group"},
    "kind_commune": {"vi": "xã", "en": "commune"},
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
}

# the columns a team fills in on its sheet of the workbook, read back by `planner/reports.py`
# (`planner replan --done`); a report may also bring the others (actual times, when reported)
REPORT_COLUMNS: dict[str, dict[Lang, str]] = {
    "done": {"vi": "Đã thực hiện", "en": "Done"},
    "skip_reason": {"vi": "Lý do không thực hiện", "en": "Reason not done"},
    "attendance": {"vi": "Số người dự thực tế", "en": "Actual attendance"},
    "sign_ups": {"vi": "Số người đăng ký tham gia", "en": "Sign-ups"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "actual_start": {"vi": "Giờ bắt đầu thực tế", "en": "Actual start"},
    "actual_end": {"vi": "Giờ kết thúc thực tế", "en": "Actual end"},
    "reported_at": {"vi": "Thời điểm báo cáo", "en": "Reported at"},
}
# the ones the workbook's team sheets carry, empty, after schedule.csv's columns
REPORT_SHEET_COLUMNS = ("done", "skip_reason", "attendance", "sign_ups", "note")
# what the workbook offers in its done column (any of `planner/reports.py`'s words is read)
DONE_CHOICES: dict[Lang, tuple[str, str]] = {"vi": ("Có", "Không"), "en": ("Yes", "No")}

_WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_WEEKDAYS_SHORT: dict[Lang, tuple[str, ...]] = {
    "vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# every table above, by the prefix its keys take in `planner.messages.catalogue()`
TABLES: dict[str, Mapping[str, Mapping[Lang, str]]] = {
    "label.": LABELS,
    "reason.": REASONS,
    "unserved_kind.": _UNSERVED_KINDS,
    "slot.": _SLOTS,
    "vehicle.": _VEHICLES,
    "day_note.": _DAY_NOTES,
    "column.": COLUMNS,
    "report_column.": REPORT_COLUMNS,
    "list_sheet.": LIST_SHEETS,
    "list_column.": LIST_COLUMNS,
    "list_word.": LIST_WORDS,
    "done_choice.": {
        "yes": {"vi": DONE_CHOICES["vi"][0], "en": DONE_CHOICES["en"][0]},
        "no": {"vi": DONE_CHOICES["vi"][1], "en": DONE_CHOICES["en"][1]},
    },
    "weekday.": {str(i): {"vi": _WEEKDAYS["vi"][i], "en": _WEEKDAYS["en"][i]} for i in range(7)},
    "weekday_short.": {
        str(i): {"vi": _WEEKDAYS_SHORT["vi"][i], "en": _WEEKDAYS_SHORT["en"][i]} for i in range(7)
    },
}


def t(key: str, lang: Lang) -> str:
    """The label `key` in `lang`; a KeyError for a key that is not in `LABELS`."""
    return LABELS[key][lang]


def _known(table: dict[str, dict[Lang, str]], code: str, lang: Lang) -> str:
    return table[code][lang] if code in table else code


def unserved_kind_label(kind: str, lang: Lang) -> str:
    return _known(_UNSERVED_KINDS, kind, lang)


def slot_label(slot: str | None, lang: Lang) -> str:
    return "" if not slot else _known(_SLOTS, slot, lang)


def vehicle_label(vehicle: str, lang: Lang) -> str:
    return _known(_VEHICLES, vehicle, lang)


def day_note_label(note: str, lang: Lang) -> str:
    """Why a day is light (a route's note, written in Vietnamese by the solver), in `lang`;
    a note of other words as it is."""
    for words in _DAY_NOTES.values():
        if note == words["vi"]:
            return words[lang]
    return note


def kind_label(kind: str, lang: Lang, pass_number: int | None = None) -> str:
    """ "Tuyên truyền lưu động (lần 2)" or "Hội nghị"; the pass number only for a repeat."""
    if kind == "conference":
        return t("conference", lang)
    label = t("pass", lang)
    if pass_number is not None and pass_number > 1:
        label += f" ({t('pass_number', lang)} {pass_number})"
    return label


def column_label(column: str, lang: Lang) -> str:
    """A schedule.csv column's header (or a report column's) in `lang`; the name otherwise."""
    return (
        _known(COLUMNS, column, lang) if column in COLUMNS else _known(REPORT_COLUMNS, column, lang)
    )


def group_word(group_label: str, lang: Lang) -> str:
    """The word for a group: "Huyện" for a district (2020), "Cụm xã" for a cluster (2025)."""
    return t("cluster" if group_label == "cluster" else "district", lang)


def weekday(day: dt.date, lang: Lang, *, short: bool = False) -> str:
    return (_WEEKDAYS_SHORT if short else _WEEKDAYS)[lang][day.weekday()]


def format_date(day: dt.date, lang: Lang, *, with_weekday: bool = True) -> str:
    """ "Thứ Bảy, 23/05/2020" in Vietnamese, "Saturday 23 May 2020" in English."""
    if lang == "vi":
        text = f"{day.day:02d}/{day.month:02d}/{day.year}"
        return f"{weekday(day, lang)}, {text}" if with_weekday else text
    text = f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{weekday(day, lang)} {text}" if with_weekday else text


def format_short_date(day: dt.date, lang: Lang) -> str:
    """ "T7 23/05" in Vietnamese, "Sat 23 May" in English: for layer names and lists."""
    if lang == "vi":
        return f"{weekday(day, lang, short=True)} {day.day:02d}/{day.month:02d}"
    return f"{weekday(day, lang, short=True)} {day.day} {_MONTHS_EN[day.month - 1]}"


def format_number(value: float, lang: Lang, digits: int = 0) -> str:
    """1234.5 -> "1.234,5" in Vietnamese, "1,234.5" in English."""
    text = f"{value:,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_percent(value: float, lang: Lang, digits: int = 1) -> str:
    return format_number(100.0 * value, lang, digits) + " %"
