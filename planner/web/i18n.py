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
    # --- variants
    "new_variant": {"vi": "Tạo biến thể", "en": "Make a variant"},
    "variant_title": {"vi": "Biến thể của một kịch bản", "en": "A variant of a scenario"},
    "variant_intro": {
        "vi": "Chọn kịch bản gốc, sửa các trường cần thay đổi. Tệp mới chỉ ghi extends = "
        "kịch bản gốc và các trường khác với nó; tệp được kiểm tra như lệnh planner validate "
        "trước khi lưu, nếu có lỗi thì không lưu gì.",
        "en": "Pick the base scenario and change the fields you need. The new file holds "
        "extends = the base and only the fields that differ from it; it is checked as "
        "planner validate checks a file before it is kept, and nothing is kept if it has a "
        "mistake.",
    },
    "base_scenario": {"vi": "Kịch bản gốc", "en": "Base scenario"},
    "change_base": {"vi": "Đổi kịch bản gốc", "en": "Change the base"},
    "variant_name": {"vi": "Tên biến thể (tên tệp)", "en": "Variant name (file name)"},
    "variant_name_hint": {
        "vi": "chữ thường không dấu, số, - và _; ví dụ demo-hai-doi",
        "en": "lowercase letters, digits, - and _; e.g. demo-two-teams",
    },
    "variant_title_field": {"vi": "Tiêu đề", "en": "Title"},
    "variant_title_hint": {
        "vi": "để trống: tiêu đề của kịch bản gốc",
        "en": "empty: the base's title",
    },
    "variant_description": {"vi": "Mô tả", "en": "Description"},
    "variant_keep_hint": {
        "vi": "Để nguyên hoặc để trống một trường: giữ giá trị của kịch bản gốc.",
        "en": "A field left as it is, or empty, keeps the base's value.",
    },
    "current_value": {"vi": "Kịch bản gốc", "en": "Base"},
    "save_variant": {"vi": "Kiểm tra và lưu biến thể", "en": "Check and save the variant"},
    "variant_bad_name": {
        "vi": "Tên chỉ gồm chữ thường không dấu, số, - và _ (tối đa 64 ký tự), bắt đầu bằng "
        "chữ hoặc số.",
        "en": "A name is lowercase letters, digits, - and _ (at most 64), starting with a "
        "letter or digit.",
    },
    "variant_name_taken": {
        "vi": "{name}: đã có kịch bản tên này; chọn tên khác.",
        "en": "{name}: a scenario of this name exists; choose another name.",
    },
    "variant_nothing_changed": {
        "vi": "Chưa có trường nào khác kịch bản gốc: sửa ít nhất một trường.",
        "en": "No field differs from the base: change at least one.",
    },
    "variant_not_saved": {"vi": "Chưa lưu", "en": "Not saved"},
    "see_field": {"vi": "xem lỗi ở trường", "en": "see the mistake at"},
    "base_invalid": {
        "vi": "Kịch bản gốc không hợp lệ, không tạo biến thể được",
        "en": "The base scenario is invalid: no variant can be made of it",
    },
    "keep_base": {"vi": "(giữ như gốc)", "en": "(as the base)"},
    # --- job kinds, compare, sweep
    "kind_run": {"vi": "Lập kế hoạch", "en": "Plan"},
    "kind_replan": {"vi": "Lập lại kế hoạch", "en": "Re-plan"},
    "kind_sweep": {"vi": "Quét tham số", "en": "Sweep"},
    "kind_compare": {"vi": "So sánh", "en": "Comparison"},
    "phase_comparing": {"vi": "Đang so sánh các kế hoạch", "en": "Comparing the plans"},
    "published": {"vi": "Đã công bố", "en": "Published"},
    "compare_chosen": {"vi": "So sánh các kế hoạch đã chọn", "en": "Compare the chosen plans"},
    "compare_hint": {
        "vi": "Đánh dấu từ hai kế hoạch đã xong trở lên; kế hoạch lập sớm nhất trong số đã "
        "chọn là kế hoạch gốc để so sánh.",
        "en": "Tick two finished plans or more; the oldest ticked is the baseline the "
        "others are compared with.",
    },
    "choose": {"vi": "Chọn", "en": "Pick"},
    "compare_too_few": {
        "vi": "Chọn ít nhất hai kế hoạch đã xong để so sánh.",
        "en": "Pick at least two finished plans to compare.",
    },
    "compare_too_many": {
        "vi": "Chọn tối đa {n} kế hoạch mỗi lần so sánh.",
        "en": "Pick at most {n} plans for one comparison.",
    },
    "compare_not_plan": {
        "vi": "{id}: không phải một kế hoạch đã xong.",
        "en": "{id}: not a finished plan.",
    },
    "compare_title": {"vi": "So sánh: {labels}", "en": "Comparison: {labels}"},
    "compare_page": {
        "vi": "Trang so sánh đầy đủ (bản đồ, từng đội)",
        "en": "The full comparison page (map, each team)",
    },
    "compared_plans": {"vi": "Các kế hoạch được so sánh", "en": "The plans compared"},
    "baseline": {"vi": "gốc", "en": "baseline"},
    "marginal_title": {
        "vi": "Người tham gia mới tăng thêm so với kế hoạch gốc",
        "en": "New participants gained against the baseline",
    },
    "marginal_hint": {
        "vi": "Số người tham gia dự kiến tăng thêm chia cho phần nguồn lực tăng thêm; — khi "
        "nguồn lực không đổi.",
        "en": "Extra expected enrolments divided by the extra resource; — where the resource "
        "is the same.",
    },
    "marginal.enrolments_per_team_day": {
        "vi": "mỗi ngày-đội tăng thêm",
        "en": "per extra team-day",
    },
    "marginal.enrolments_per_km": {"vi": "mỗi km tăng thêm", "en": "per extra km"},
    "marginal.enrolments_per_team": {"vi": "mỗi đội tăng thêm", "en": "per extra team"},
    "teams_with_route": {"vi": "Số đội có tuyến", "en": "Teams with a route"},
    "plan": {"vi": "Kế hoạch", "en": "Plan"},
    "plans_n": {"vi": "{n} kế hoạch", "en": "{n} plans"},
    "compare_with_published": {
        "vi": "So sánh với kế hoạch đã công bố",
        "en": "Compare with the published plan",
    },
    "compare_with_parent": {
        "vi": "So sánh với kế hoạch gốc của lần lập lại này",
        "en": "Compare with the plan this re-plan started from",
    },
    "sweep": {"vi": "Quét một tham số", "en": "Sweep one field"},
    "sweep_intro": {
        "vi": "Lập kế hoạch cho nhiều biến thể chỉ khác nhau ở một trường, rồi so sánh: "
        "ví dụ thêm một đội mỗi huyện thì được thêm bao nhiêu người tham gia.",
        "en": "Plan several variants that differ in one field, then compare them: e.g. what "
        "one more team per district buys.",
    },
    "sweep_field": {"vi": "Trường", "en": "Field"},
    "sweep_values": {
        "vi": "Các giá trị, cách nhau bởi dấu phẩy",
        "en": "Values, separated by commas",
    },
    "sweep_values_hint": {"vi": "ví dụ 1,2", "en": "e.g. 1,2"},
    "start_sweep": {"vi": "Bắt đầu quét", "en": "Start the sweep"},
    "sweep_too_few": {
        "vi": "Cần ít nhất hai giá trị để quét.",
        "en": "A sweep needs two values or more.",
    },
    "sweep_too_many": {
        "vi": "Tối đa {n} giá trị mỗi lần quét trên trang này.",
        "en": "At most {n} values per sweep here.",
    },
    "sweep_points": {"vi": "Các biến thể", "en": "The variants"},
    "sweep_chart": {"vi": "Đường cong quét", "en": "The sweep curve"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "variant_maps": {"vi": "Bản đồ", "en": "Map"},
    "sweep_csv": {"vi": "sweep.csv (bảng các điểm)", "en": "sweep.csv (the points)"},
    "compare_csv": {
        "vi": "compare.csv (so sánh theo tỉnh, huyện)",
        "en": "compare.csv (by province, district)",
    },
    "team_changes_csv": {
        "vi": "team_changes.csv (thay đổi của từng đội)",
        "en": "team_changes.csv (each team's changes)",
    },
    "outcome_compare": {"vi": "{n} kế hoạch", "en": "{n} plans"},
    "outcome_sweep": {"vi": "{n} biến thể của {field}", "en": "{n} variants of {field}"},
    # --- batch runs (`planner run A.toml B.toml`)
    "kind_batch": {"vi": "Chạy theo loạt", "en": "Batch"},
    "outcome_batch": {"vi": "{n} kịch bản", "en": "{n} scenarios"},
    "batch_title": {"vi": "Loạt {n} kịch bản: {names}", "en": "Batch of {n}: {names}"},
    "batch_start": {
        "vi": "Chạy các kịch bản đã chọn thành một loạt",
        "en": "Run the chosen scenarios as one batch",
    },
    "batch_hint": {
        "vi": "Đánh dấu một hay nhiều kịch bản. Nhiều kịch bản chạy cùng một lượt, như lệnh "
        "planner run A.toml B.toml: các tỉnh của mọi kịch bản dùng chung các tiến trình giải; "
        "kết quả của mỗi kịch bản nằm trong một thư mục riêng.",
        "en": "Tick one or more scenarios. Several run as one job, as planner run A.toml B.toml "
        "does: the provinces of every scenario share the solver processes; each scenario's "
        "results are in a folder of its own.",
    },
    "batch_choose": {"vi": "Chọn kịch bản", "en": "Choose scenario"},
    "batch_none": {
        "vi": "Đánh dấu ít nhất một kịch bản để chạy.",
        "en": "Tick at least one scenario to run.",
    },
    "batch_too_many": {
        "vi": "Một loạt có tối đa {n} kịch bản.",
        "en": "A batch has at most {n} scenarios.",
    },
    "batch_same_name": {
        "vi": 'Các kịch bản {a} và {b} có cùng tên (name = "{name}"): mỗi kịch bản của một '
        "loạt cần một tên riêng.",
        "en": 'Scenarios {a} and {b} have the same name (name = "{name}"): give each '
        "scenario of a batch its own name.",
    },
    "batch_scenarios": {"vi": "Các kịch bản", "en": "Scenarios"},
    "batch_plans": {"vi": "Kết quả từng kịch bản", "en": "Results of each scenario"},
    "batch_plan_folder": {"vi": "Thư mục", "en": "Folder"},
    "batch_provinces_done": {
        "vi": "{done}/{total} tỉnh xong",
        "en": "{done}/{total} provinces done",
    },
    # --- where provinces are planned
    "executor_dask": {
        "vi": "Các tỉnh được giải trên cụm Dask {scheduler}.",
        "en": "Provinces are planned on the Dask cluster {scheduler}.",
    },
    # --- field reports, progress, re-plan, publish
    "fieldwork": {"vi": "Báo cáo thực địa", "en": "Field reports"},
    "fieldwork_link": {
        "vi": "Báo cáo thực địa, tiến độ, lập lại kế hoạch",
        "en": "Field reports, progress, re-plan",
    },
    "reports_intro": {
        "vi": "Tải lên báo cáo của các đội: tệp CSV của gói đội, hoặc schedule.xlsx / "
        "schedule.csv đã điền cột Đã thực hiện. Có thể tải nhiều tệp; báo cáo sau cùng của "
        "một điểm dừng được dùng.",
        "en": "Upload the teams' reports: the team pack's CSV, or schedule.xlsx / schedule.csv "
        "with the done column filled in. Several files at once; the latest report of a stop "
        "wins.",
    },
    "report_files": {"vi": "Tệp báo cáo (CSV, XLSX)", "en": "Report files (CSV, XLSX)"},
    "report_hint": {
        "vi": "Tối đa {n} tệp, mỗi tệp {mb} MB. Tệp được đọc như lệnh planner progress; nếu "
        "có lỗi thì không lưu gì.",
        "en": "At most {n} files of {mb} MB each. They are read as planner progress reads "
        "them; if one has a mistake, nothing is kept.",
    },
    "as_of": {"vi": "Tính đến ngày (không tính ngày này)", "en": "As of (days before it are due)"},
    "as_of_hint": {"vi": "để trống: hôm nay", "en": "empty: today"},
    "upload_reports": {"vi": "Kiểm tra và lưu báo cáo", "en": "Check and keep the reports"},
    "choose_reports": {
        "vi": "Chọn ít nhất một tệp báo cáo.",
        "en": "Choose at least one report file.",
    },
    "report_too_large": {
        "vi": "{name}: tệp lớn hơn mức cho phép ({mb} MB); tách báo cáo thành nhiều tệp.",
        "en": "{name}: larger than a report file may be here ({mb} MB); split the report.",
    },
    "report_kind": {
        "vi": "{name}: báo cáo phải là tệp .csv, .txt hoặc .xlsx (tệp CSV của gói đội, hoặc "
        "schedule.xlsx đã điền cột Đã thực hiện)",
        "en": "{name}: a team report is a .csv, .txt or .xlsx file (the team pack's CSV, or "
        "schedule.xlsx with its done column filled in)",
    },
    "report_empty": {"vi": "{name}: tệp rỗng", "en": "{name}: the file is empty"},
    "too_many_reports": {"vi": "Tối đa {n} tệp mỗi lần.", "en": "At most {n} files at once."},
    "reports_kept": {"vi": "Báo cáo đã lưu", "en": "Reports kept"},
    "team_reports": {"vi": "Báo cáo của các đội", "en": "The teams' reports"},
    "published_plan": {"vi": "Kế hoạch công bố", "en": "The published plan"},
    "no_reports": {"vi": "Chưa có báo cáo nào.", "en": "No report yet."},
    "progress": {"vi": "Tiến độ thực hiện", "en": "Progress"},
    "progress_page": {
        "vi": "Mở trang tiến độ (theo tỉnh, huyện, đội, ngày)",
        "en": "Open the progress page (by province, district, team, day)",
    },
    "progress_done": {"vi": "Điểm dừng đến hạn đã thực hiện", "en": "Stops due that were done"},
    "progress_skipped": {"vi": "Không thực hiện", "en": "Skipped"},
    "progress_not_in_report": {"vi": "Không có trong báo cáo", "en": "Not in the reports"},
    "progress_not_reported": {"vi": "Ngày-đội chưa báo cáo", "en": "Team-days not reported"},
    "progress_attendance": {"vi": "Số người dự (dự kiến)", "en": "Attendance (expected)"},
    "progress_sign_ups": {"vi": "Số người đăng ký (dự kiến)", "en": "Sign-ups (expected)"},
    "progress_as_of": {"vi": "Tính đến", "en": "As of"},
    "progress_overrides": {"vi": "Điểm dừng được báo cáo hai lần", "en": "Stops reported twice"},
    "replan": {"vi": "Lập lại kế hoạch từ một ngày", "en": "Re-plan from a date"},
    "replan_intro": {
        "vi": "Giữ các điểm dừng đã báo cáo thực hiện trước ngày này, lập lại từ ngày này đến "
        "hết chiến dịch (như lệnh planner replan).",
        "en": "Keeps the stops reported done before this date and plans again from it to the "
        "campaign's end (as planner replan does).",
    },
    "replan_from": {"vi": "Lập lại từ ngày", "en": "Re-plan from"},
    "replan_rules": {"vi": "Quy định áp dụng (kịch bản)", "en": "Rules in force (scenario)"},
    "replan_rules_same": {"vi": "như kế hoạch này", "en": "this plan's own"},
    "start_replan": {"vi": "Bắt đầu lập lại", "en": "Start the re-plan"},
    "replan_needs_reports": {
        "vi": "Cần tải lên báo cáo của các đội trước khi lập lại kế hoạch.",
        "en": "Upload the teams' reports before re-planning.",
    },
    "bad_date": {"vi": "Nhập một ngày dạng 2020-05-26.", "en": "Give a date like 2020-05-26."},
    "replan_date_range": {
        "vi": "Ngày lập lại phải sau ngày đầu ({start}) và không sau ngày cuối ({end}) của "
        "chiến dịch.",
        "en": "The date must be after the campaign's first day ({start}) and not after its "
        "last ({end}).",
    },
    "replan_of": {"vi": "Lập lại từ {date} của", "en": "Re-plan from {date} of"},
    "publish": {"vi": "Công bố kế hoạch này", "en": "Publish this plan"},
    "publish_hint": {
        "vi": "Kế hoạch công bố là kế hoạch các đội thực hiện; mỗi kịch bản có một kế hoạch "
        "công bố.",
        "en": "The published plan is the one teams work from; each scenario has one.",
    },
    "is_published": {
        "vi": "Đây là kế hoạch đã công bố của kịch bản {scenario}.",
        "en": "This is the published plan of scenario {scenario}.",
    },
    "not_a_plan": {
        "vi": "Chỉ một kế hoạch đã lập xong mới làm được việc này.",
        "en": "Only a finished plan can do this.",
    },
}


def default_lang() -> Lang:
    """The language when the page does not ask: $PLANNER_LANG (vi or en), else Vietnamese."""
    return "en" if os.environ.get("PLANNER_LANG", "").strip().lower() == "en" else "vi"


def error_text(error: BaseException, lang: Lang) -> str:
    """An error's one-line message in `lang`, as the command line says it (its file, row or
    field, then what is wrong); the error's own text if it cannot be said otherwise."""
    try:
        from planner.messages import localize_error

        said = localize_error(error, lang)
    except Exception:  # a message the catalogue cannot say: as it was raised
        said = str(error)
    return " ".join(str(said).split())


def text(key: str, lang: Lang, **values: object) -> str:
    """The word or sentence `key` in `lang`, with `{name}` filled from `values`."""
    entry = TEXT.get(key) or LABELS.get(key)
    if entry is None:
        return key
    words = entry[lang]
    return words.format(**values) if values else words


#: The variant form's description of each field, in Vietnamese. The English one is the
#: scenario's JSON Schema's (`planner.scenario.scenario_json_schema`); these say the same
#: facts (bounds, defaults and where they come from, units, the numbers of the record).
FIELD_HELP_VI: dict[str, str] = {
    "campaign.start": "Ngày đầu tiên của chiến dịch (ngày theo TOML, ví dụ 2020-05-23).",
    "campaign.end": (
        "Ngày cuối cùng của chiến dịch, có tính ngày này (không trước ngày bắt đầu; "
        "tổng cộng tối đa 366 ngày)."
    ),
    "teams.rule.teams_per_group": "Số đội lập ở mỗi huyện/cụm (từ 1 đến 20).",
    "teams.rule.vehicle": "Phương tiện của mọi đội lập theo quy tắc này.",
    "teams.rule.crew": "Số người mỗi đội (từ 1 đến 50).",
    "teams.weekdays": (
        "Các ngày trong tuần các đội làm việc, trừ khi một đội khai báo khác "
        "(mặc định thứ Hai đến thứ Bảy, mon-sat)."
    ),
    "teams.territory": (
        "Nơi các đội làm việc. 'own' (mặc định): mỗi đội chỉ trong huyện (cụm) của mình, như "
        "chiến dịch vẫn làm ('mỗi huyện một đội lưu động'); 'neighbours': cả các huyện có đa "
        "giác gần đúng giáp với huyện của đội; 'province': bất cứ đâu trong tỉnh (bộ tối ưu "
        "điều đội tự do)."
    ),
    "teams.working_hours.start": "Giờ đội rời trụ sở, 'HH:MM' (đồng hồ 24 giờ).",
    "teams.working_hours.end": "Giờ đội phải về đến trụ sở, 'HH:MM' (muộn hơn giờ xuất phát).",
    "conferences.max_per_team_week": (
        "Số hội nghị tối đa một đội tổ chức trong một tuần lịch (thứ Hai đến Chủ Nhật); "
        "none: không giới hạn. Mặc định 2: một hội nghị được chuẩn bị trước nhiều ngày "
        "qua xã và bưu điện, một đội chỉ tổ chức vào một số ngày chứ không phải ngày nào cũng "
        "có; với mỗi huyện một đội, một tháng có tối đa 686 x 30 / 7 x 2 = 5.880 hội nghị, ít "
        "hơn 6.600 nhóm tuyên truyền trực tiếp của ngày đông nhất từng ghi nhận (ngày ra quân, "
        "tháng 5/2022; docs/rates.md)."
    ),
    "conferences.lead_days": (
        "Số ngày hội nghị được thông báo trước (giấy mời gửi qua xã và bưu điện). Khi lập lại "
        "kế hoạch, không thêm hay dời hội nghị nào trong chừng ấy ngày kể từ ngày lập lại: "
        "khi đó chỉ tổ chức các hội nghị đã công bố."
    ),
    "conferences.show_up": "Tỷ lệ người được mời đến dự (từ 0 đến 1).",
    "conferences.conversion": (
        "Tỷ lệ người dự tham gia BHXH (từ 0 đến 1). Mặc định 0,10: ba phần tư của ngày tốt "
        "nhất từng ghi nhận, khi 22.306 trong 168.000 người được tiếp cận trực tiếp đã tham gia "
        "(13,3 %, ngày ra quân tháng 5/2022, mọi kênh; docs/rates.md)."
    ),
    "propaganda.reach_share": (
        "Tỷ lệ người thuộc đối tượng của một xã được tiếp cận trong lượt tuyên truyền đầu "
        "tiên (0 < x <= 1)."
    ),
    "propaganda.conversion": (
        "Tỷ lệ người được tiếp cận tham gia BHXH sau một lượt tuyên truyền (từ 0 đến 1). Mặc "
        "định 0,005: tháng 5/2022, tháng sau ngày ra quân có 10.564 người tham gia mới qua mọi "
        "kênh trong khi hệ thống loa phát 14.000 lượt, tối đa 0,75 người mỗi lượt phát; một "
        "lượt đầu tiếp cận khoảng 98 người, nên tối đa 0,77 % (docs/rates.md)."
    ),
    "launch.date": "Ngày ra quân (một ngày của chiến dịch, thường là ngày đầu tiên).",
    "launch.start": (
        "Giờ chung: mọi đội bắt đầu diễu hành vào giờ này, ngay sau lễ phát động trên sóng, "
        "'HH:MM'."
    ),
    "safety.max_driving_minutes": (
        "Số phút lái xe tối đa của một đội trong một ngày, tính cả các chặng đi và các lượt "
        "phát loa. Mặc định 600: 10 giờ mỗi ngày cho một người lái xe theo Luật Giao thông "
        "đường bộ."
    ),
    "safety.max_continuous_driving_minutes": (
        "Số phút lái xe liên tục tối đa (không có lần dừng nào dài ít nhất break_minutes: một "
        "hội nghị, bữa trưa, lúc chờ, hay một lần nghỉ dọc đường). Mặc định 240: 4 giờ lái xe "
        "liên tục theo Luật Giao thông đường bộ."
    ),
    "safety.break_minutes": (
        "Lần dừng ngắn nhất được tính là kết thúc một quãng lái xe liên tục (giả định: 15 phút; "
        "luật quy định giới hạn 4 giờ, không quy định độ dài lần nghỉ, với xe không kinh doanh "
        "vận tải)."
    ),
    "safety.daylight_only": (
        "Chỉ đi lại từ lúc mặt trời mọc đến lúc mặt trời lặn tại trụ sở của đội: giờ làm việc "
        "của đội được thu lại theo giờ mặt trời mọc muộn nhất và giờ lặn sớm nhất trong các "
        "ngày chiến dịch (tính từ vị trí trụ sở và các ngày)."
    ),
    "covid.default_level": "Mức quy định áp dụng ở mọi nơi không có mục nào trong lịch theo thời gian.",
    "solver.time_limit_seconds": "Thời gian tìm kiếm cho mỗi tỉnh, tính bằng giây.",
}


def field_help(path: str, lang: Lang, schema_description: str) -> str:
    """A field's description for the variant form: Vietnamese from `FIELD_HELP_VI`, English
    (or a field without a Vietnamese one) the schema's."""
    if lang == "vi":
        return FIELD_HELP_VI.get(path, schema_description)
    return schema_description
