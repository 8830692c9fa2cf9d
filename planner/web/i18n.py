"""The web app's words, in Vietnamese (the default) and English.

Words the deliverables already have (team, conference, province...) come from
`planner.export.i18n.LABELS`, so the app and the maps say the same thing; the rest is here.
"""

from __future__ import annotations

import os

from planner.export.i18n import LABELS, Lang

TEXT: dict[str, dict[Lang, str]] = {
    "app": {
        "vi": "Kế hoạch vận động BHXH tự nguyện",
        "en": "Voluntary social insurance campaign planner",
    },
    "app_short": {"vi": "planner", "en": "planner"},
    "scenarios": {"vi": "Kịch bản", "en": "Scenarios"},
    "runs": {"vi": "Lượt chạy", "en": "Runs"},
    "other_lang": {"vi": "English", "en": "Tiếng Việt"},
    "skip": {"vi": "Chuyển đến nội dung", "en": "Skip to content"},
    "no_scenarios": {
        "vi": "Chưa có kịch bản nào trong thư mục scenarios/ của không gian làm việc.",
        "en": "No scenario yet in the workspace's scenarios/ folder.",
    },
    "scenario_id": {"vi": "Mã", "en": "Id"},
    "file": {"vi": "Tệp", "en": "File"},
    "open": {"vi": "Mở", "en": "Open"},
    "invalid": {"vi": "Không hợp lệ", "en": "Invalid"},
    "upload": {"vi": "Tải lên kịch bản (TOML)", "en": "Upload a scenario (TOML)"},
    "upload_button": {"vi": "Kiểm tra và lưu", "en": "Check and save"},
    "upload_hint": {
        "vi": "Tối đa {kb} kB. Tệp được kiểm tra như lệnh planner validate trước khi lưu; "
        "nếu có lỗi thì không lưu gì.",
        "en": "At most {kb} kB. The file is checked as planner validate checks it before it is "
        "kept; if it has a mistake, nothing is kept.",
    },
    "replace": {"vi": "Thay tệp cùng tên", "en": "Replace a file of the same name"},
    "uploaded": {"vi": "Đã lưu kịch bản", "en": "Scenario saved"},
    "upload_failed": {"vi": "Không lưu được", "en": "Not saved"},
    "choose_file": {"vi": "Chọn một tệp .toml", "en": "Choose a .toml file"},
    "download_toml": {"vi": "Tải tệp TOML", "en": "Download the TOML file"},
    "summary": {"vi": "Tóm tắt", "en": "Summary"},
    "structure": {"vi": "Cấu trúc hành chính", "en": "Administrative structure"},
    "structure_2020": {
        "vi": "63 tỉnh, có cấp huyện (đến 30/6/2025)",
        "en": "63 provinces with districts (until 30 June 2025)",
    },
    "structure_2025": {
        "vi": "34 tỉnh, không còn cấp huyện (từ 1/7/2025)",
        "en": "34 provinces, no districts (from 1 July 2025)",
    },
    "all_provinces": {"vi": "tất cả", "en": "all"},
    "campaign": {"vi": "Thời gian chiến dịch", "en": "Campaign"},
    "weekdays": {"vi": "Ngày làm việc", "en": "Working days"},
    "working_hours": {"vi": "Giờ làm việc", "en": "Working hours"},
    "team_rule": {"vi": "Tổ chức đội", "en": "Teams"},
    "team_rule_text": {
        "vi": "{n} đội mỗi {group}, {vehicle}, {crew} người",
        "en": "{n} team(s) per {group}, {vehicle}, crew of {crew}",
    },
    "team_list": {"vi": "{n} đội khai báo riêng", "en": "{n} teams listed one by one"},
    "territory": {"vi": "Địa bàn của đội", "en": "Team territory"},
    "territory_own": {"vi": "chỉ địa bàn của đội", "en": "its own area only"},
    "territory_neighbours": {
        "vi": "địa bàn của đội và địa bàn giáp ranh",
        "en": "its own and neighbouring areas",
    },
    "territory_province": {"vi": "cả tỉnh", "en": "the whole province"},
    "conference_rules": {"vi": "Hội nghị", "en": "Conferences"},
    "conference_text": {
        "vi": "{minutes} phút; tối đa {week} hội nghị/đội/tuần; buổi: {slots}",
        "en": "{minutes} min; at most {week} per team and week; slots: {slots}",
    },
    "no_conferences": {"vi": "không tổ chức", "en": "none"},
    "covid": {"vi": "Quy định phòng chống COVID-19", "en": "COVID-19 rules"},
    "covid_text": {
        "vi": "mức mặc định {level}; {levels} mức; {entries} mục theo thời gian",
        "en": "default level {level}; {levels} levels; {entries} timeline entries",
    },
    "solver": {"vi": "Bộ giải", "en": "Solver"},
    "solver_text": {
        "vi": "{seconds:g} giây mỗi tỉnh, hạt giống {seed}",
        "en": "{seconds:g} s per province, seed {seed}",
    },
    "extends": {"vi": "Kế thừa từ", "en": "Extends"},
    "run_this": {"vi": "Chạy kịch bản này", "en": "Run this scenario"},
    "start_run": {"vi": "Bắt đầu chạy", "en": "Start the run"},
    "scenario": {"vi": "Kịch bản", "en": "Scenario"},
    "time_limit": {
        "vi": "Giới hạn thời gian mỗi tỉnh (giây)",
        "en": "Time limit per province (seconds)",
    },
    "time_limit_hint": {"vi": "để trống: theo kịch bản", "en": "empty: the scenario's"},
    "output_lang": {"vi": "Ngôn ngữ bản đồ, bảng biểu", "en": "Language of maps and sheets"},
    "vietnamese": {"vi": "Tiếng Việt", "en": "Vietnamese"},
    "english": {"vi": "Tiếng Anh", "en": "English"},
    "no_runs": {"vi": "Chưa có lượt chạy nào.", "en": "No run yet."},
    "runs_of": {"vi": "Các lượt chạy của kịch bản này", "en": "Runs of this scenario"},
    "run": {"vi": "Lượt chạy", "en": "Run"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "created": {"vi": "Bắt đầu lúc", "en": "Started"},
    "duration": {"vi": "Thời gian", "en": "Duration"},
    "outcome": {"vi": "Kết quả", "en": "Outcome"},
    "status_queued": {"vi": "Đang chờ", "en": "Queued"},
    "status_running": {"vi": "Đang chạy", "en": "Running"},
    "status_done": {"vi": "Xong", "en": "Done"},
    "status_failed": {"vi": "Lỗi", "en": "Failed"},
    "status_cancelled": {"vi": "Đã hủy", "en": "Cancelled"},
    "status_interrupted": {"vi": "Bị gián đoạn", "en": "Interrupted"},
    "phase_loading": {
        "vi": "Đang đọc dữ liệu và dựng bài toán",
        "en": "Loading data and building the problems",
    },
    "phase_solving": {"vi": "Đang giải", "en": "Solving"},
    "phase_writing": {"vi": "Đang ghi bản đồ, bảng biểu", "en": "Writing maps and sheets"},
    "province_waiting": {"vi": "chờ", "en": "waiting"},
    "province_running": {
        "vi": "đang giải (ước tính theo giới hạn thời gian)",
        "en": "solving (estimated from the time limit)",
    },
    "province_done": {"vi": "xong", "en": "done"},
    "overall": {"vi": "Toàn bộ", "en": "Overall"},
    "cancel": {"vi": "Hủy lượt chạy", "en": "Cancel the run"},
    "cancel_asked": {"vi": "Đã yêu cầu dừng", "en": "Stop requested"},
    "keeps_going": {
        "vi": "Lượt chạy vẫn tiếp tục khi bạn đóng trang này.",
        "en": "The run goes on if you close this page.",
    },
    "elapsed": {"vi": "đã chạy", "en": "elapsed"},
    "took": {"vi": "thời gian chạy", "en": "took"},
    "notes_title": {"vi": "Ghi chú", "en": "Notes"},
    "results": {"vi": "Kết quả", "en": "Results"},
    "no_results": {
        "vi": "Không tìm thấy kết quả của lượt chạy này trong outputs/.",
        "en": "This run's results are not in outputs/.",
    },
    "key_figures": {"vi": "Số liệu chính", "en": "Key figures"},
    "band": {"vi": "khoảng P10–P90", "en": "P10–P90"},
    "against_record": {"vi": "So với lịch sử và thực tế", "en": "Against the record"},
    "maps": {"vi": "Bản đồ", "en": "Maps"},
    "national_map": {"vi": "Bản đồ toàn quốc", "en": "National map"},
    "province_map": {"vi": "Bản đồ tỉnh", "en": "Province map"},
    "route_sheets": {"vi": "Lịch trình in (mọi đội)", "en": "Printable route sheets (all teams)"},
    "team_packs_page": {"vi": "Trang cho điện thoại của các đội", "en": "Team pages for phones"},
    "downloads": {"vi": "Tải về", "en": "Downloads"},
    "workbook": {"vi": "Sổ lịch trình (Excel)", "en": "Schedule workbook (Excel)"},
    "geopackage": {"vi": "GeoPackage cho QGIS", "en": "GeoPackage for QGIS"},
    "csv_files": {"vi": "Bảng CSV", "en": "CSV tables"},
    "team_packs": {"vi": "Gói cho từng đội (zip)", "en": "Pack per team (zip)"},
    "team_packs_hint": {
        "vi": "Mỗi gói có trang của đội cho điện thoại, lịch trình in và các tệp GPX.",
        "en": "Each pack holds the team's phone page, its route sheet and its GPX files.",
    },
    "n_teams": {"vi": "{n} đội", "en": "{n} teams"},
    "province_table": {"vi": "Theo tỉnh", "en": "By province"},
    "not_found": {"vi": "Không tìm thấy", "en": "Not found"},
    "not_found_text": {
        "vi": "Trang hoặc tệp này không có.",
        "en": "There is no such page or file.",
    },
    "forbidden": {"vi": "Bị từ chối", "en": "Refused"},
    "csrf_failed": {
        "vi": "Biểu mẫu đã hết hạn hoặc không đến từ trang này. Tải lại trang rồi thử lại.",
        "en": "The form expired or did not come from this site. Reload the page and try again.",
    },
    "token_needed": {
        "vi": "Cần mã truy cập: mở đường dẫn có ?token=… mà lệnh planner serve đã in ra.",
        "en": "An access token is needed: open the link with ?token=… that planner serve printed.",
    },
    "bad_time_limit": {
        "vi": "Giới hạn thời gian phải là số giây dương, tối đa 86400.",
        "en": "The time limit must be a positive number of seconds, at most 86400.",
    },
    "unknown_scenario": {"vi": "Không có kịch bản này.", "en": "No such scenario."},
    "minutes_short": {"vi": "phút", "en": "min"},
    "seconds_short": {"vi": "giây", "en": "s"},
    "workspace": {"vi": "Không gian làm việc", "en": "Workspace"},
}


def default_lang() -> Lang:
    """The language when the page does not ask: $PLANNER_LANG (vi or en), else Vietnamese."""
    return "en" if os.environ.get("PLANNER_LANG", "").strip().lower() == "en" else "vi"


def text(key: str, lang: Lang, **values: object) -> str:
    """The word or sentence `key` in `lang`, with `{name}` filled from `values`."""
    entry = TEXT.get(key) or LABELS.get(key)
    if entry is None:
        return key
    words = entry[lang]
    return words.format(**values) if values else words
