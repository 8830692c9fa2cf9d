"""Every sentence the planner says to a person, in Vietnamese (the default) and English.

One catalogue, `MESSAGES`: a key -> {"vi": template, "en": template}; both templates of a
key name the same placeholders (`{team}`, `{reach:,.0f}`), which tests/test_messages.py
checks for every key. The words of maps, sheets and workbook (`planner.export.i18n`: labels,
reasons, columns...) are part of the same catalogue: `catalogue()` gives all of it.

Which language: `resolve_lang(explicit)`: the command's `--lang` when given, else the
environment variable `PLANNER_LANG` ("vi" or "en"; "en_US.UTF-8" counts as "en"), else "vi".

Three ways a sentence is made:

- `text(key, lang, **params)`: the template filled in. Numbers formatted with a spec
  (`{reach:,.0f}`) take each language's separators: 1.234,5 in Vietnamese, 1,234.5 in English.
- `msg(key, **params)`: a `Msg`, a string whose text is the English sentence (so code and
  tests that read it as a string keep working) and which remembers its key and values, so
  that `localize(message, "vi")` says it in Vietnamese. Violations of `planner check` and the
  errors the planner raises in its own words are `Msg`s. A value may itself be a `Msg` (a
  word chosen in the code, such as "pass" or "conference"): it is said in the same language.
- `localize(text, lang)` on a plain English string (an error worded elsewhere: the scenario
  loader, pydantic, argparse): the keys in `PATTERNS` are tried in order, each English
  template read as a pattern (`{name}` matches any text), and the first that matches the
  whole text is said in Vietnamese with the same values. A placeholder named `rest` (or
  `rest2`) holds a sentence of its own, localised in turn: "{rest}, got {value}". A text no
  pattern matches is returned as it is (English), never dropped.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, cast

__all__ = [
    "ENV",
    "LANGS",
    "MESSAGES",
    "PATTERNS",
    "Lang",
    "Msg",
    "catalogue",
    "check_lang",
    "current_lang",
    "error_line",
    "field_label",
    "localize",
    "localize_error",
    "msg",
    "number",
    "placeholders",
    "plan_title",
    "resolve_lang",
    "rule_level_label",
    "scenario_title",
    "solver_status_label",
    "speaking",
    "text",
]

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")
ENV: Final = "PLANNER_LANG"

# -- the catalogue ------------------------------------------------------------------------------

MESSAGES: dict[str, dict[Lang, str]] = {
    # -- the frame of an error line, and what the operating system says
    "error.line": {"vi": "planner: lỗi: {message}", "en": "planner: error: {message}"},
    "error.where_field": {"vi": "{where}, trường '{field}'", "en": "{where}, field '{field}'"},
    "error.where_row": {"vi": "{where}, dòng {row}", "en": "{where}, row {row}"},
    "error.where_sheet": {"vi": "{where}, trang '{sheet}'", "en": "{where}, sheet '{sheet}'"},
    "error.where_column": {"vi": "{where}, cột '{field}'", "en": "{where}, column '{field}'"},
    "error.located": {"vi": "{where}: {problem}", "en": "{where}: {problem}"},
    "error.interrupted": {
        "vi": "planner: dừng theo yêu cầu; kết quả cũ giữ nguyên",
        "en": "planner: interrupted; previous outputs left as they were",
    },
    "os.ENOENT": {"vi": "không có tệp hoặc thư mục này", "en": "No such file or directory"},
    "os.EACCES": {"vi": "không có quyền truy cập", "en": "Permission denied"},
    "os.EPERM": {"vi": "không được phép", "en": "Operation not permitted"},
    "os.EISDIR": {"vi": "là một thư mục", "en": "Is a directory"},
    "os.ENOTDIR": {"vi": "không phải thư mục", "en": "Not a directory"},
    "os.ENOSPC": {"vi": "hết chỗ trên ổ đĩa", "en": "No space left on device"},
    "os.EROFS": {"vi": "ổ đĩa chỉ cho đọc", "en": "Read-only file system"},
    "os.EEXIST": {"vi": "đã có tệp trùng tên", "en": "File exists"},
    "os.ENAMETOOLONG": {"vi": "tên tệp quá dài", "en": "File name too long"},
    "os.EPIPE": {"vi": "đầu ra đã bị đóng", "en": "Broken pipe"},
    # -- the command line itself (argparse and the option checks of planner/cli.py)
    "usage.see_help": {"vi": "{rest} (xem {prog} --help)", "en": "{rest} (see {prog} --help)"},
    "usage.argument": {"vi": "tham số {argument}: {rest}", "en": "argument {argument}: {rest}"},
    "usage.required": {
        "vi": "thiếu tham số bắt buộc: {arguments}",
        "en": "the following arguments are required: {arguments}",
    },
    "usage.unrecognized": {
        "vi": "không hiểu các tham số: {arguments}",
        "en": "unrecognized arguments: {arguments}",
    },
    "usage.invalid_choice": {
        "vi": "lựa chọn không hợp lệ: {value} (chọn một trong {choices})",
        "en": "invalid choice: {value} (choose from {choices})",
    },
    "usage.one_argument": {"vi": "cần một giá trị", "en": "expected one argument"},
    "usage.some_arguments": {
        "vi": "cần ít nhất một giá trị",
        "en": "expected at least one argument",
    },
    "usage.invalid_value": {
        "vi": "giá trị không hợp lệ ({kind}): {value}",
        "en": "invalid {kind} value: {value}",
    },
    "usage.province_codes": {
        "vi": "cần các mã tỉnh cách nhau bằng dấu phẩy, ví dụ 27,01",
        "en": "expected comma-separated province codes such as 27,01",
    },
    "usage.seconds": {
        "vi": "cần một số giây, nhận được {value}",
        "en": "expected a number of seconds, got {value}",
    },
    "usage.positive_seconds": {
        "vi": "cần một số giây lớn hơn 0, nhận được {value}",
        "en": "expected a positive number of seconds, got {value}",
    },
    "usage.at_most_seconds": {
        "vi": "nhiều nhất {limit} giây (một ngày) cho mỗi tỉnh, nhận được {value}",
        "en": "expected at most {limit} seconds (a day) per province, got {value}",
    },
    "usage.seed": {
        "vi": "cần một số nguyên từ 0 đến {limit}, nhận được {value}",
        "en": "expected a whole number from 0 to {limit}, got {value}",
    },
    "usage.whole_number": {
        "vi": "cần một số nguyên, nhận được {value}",
        "en": "expected a whole number, got {value}",
    },
    "usage.below_billion": {
        "vi": "cần một số nguyên nhỏ hơn 10^9, nhận được {value}",
        "en": "expected a whole number below 10^9, got {value}",
    },
    "usage.not_negative": {
        "vi": "cần một số nguyên >= 0, nhận được {value}",
        "en": "expected a whole number >= 0, got {value}",
    },
    "usage.at_least_one": {
        "vi": "cần một số nguyên >= 1, nhận được {value}",
        "en": "expected a whole number >= 1, got {value}",
    },
    "usage.names": {
        "vi": "cần các tên cách nhau bằng dấu phẩy, nhận được {value}",
        "en": "expected comma-separated names, got {value}",
    },
    "usage.date": {
        "vi": "cần một ngày dạng 2020-06-08, nhận được {value}",
        "en": "expected a date like 2020-06-08, got {value}",
    },
    "usage.labels_count": {
        "vi": "--labels có {labels} tên cho {folders} thư mục kế hoạch",
        "en": "--labels gives {labels} names for {folders} plan folders",
    },
    "usage.build_data": {
        "vi": "planner data build cần các nguồn dữ liệu: pip install -e '.[build-data]' ({error})",
        "en": "planner data build needs the sources: pip install -e '.[build-data]' ({error})",
    },
    # -- a scenario file: what planner/scenario/load.py and the schema say (PATTERNS)
    "scenario.more_problems": {
        "vi": "{rest} (và {n} lỗi khác)",
        "en": "{rest} (and {n} more problems)",
    },
    "scenario.one_more_problem": {
        "vi": "{rest} (và 1 lỗi khác)",
        "en": "{rest} (and 1 more problem)",
    },
    "scenario.through_extends": {
        "vi": "{rest} (nạp qua extends từ {path})",
        "en": "{rest} (loaded through extends from {path})",
    },
    "scenario.got": {"vi": "{rest}, nhận được {value}", "en": "{rest}, got {value}"},
    "scenario.unknown_field_close": {
        "vi": "không có trường này; có phải ý bạn là {close}? (các trường hợp lệ: {valid})",
        "en": "unknown field; did you mean {close}? (valid fields: {valid})",
    },
    "scenario.unknown_field_valid": {
        "vi": "không có trường này (các trường hợp lệ: {valid})",
        "en": "unknown field (valid fields: {valid})",
    },
    "scenario.unknown_field": {"vi": "không có trường này", "en": "unknown field"},
    "scenario.missing": {"vi": "bắt buộc nhưng chưa có", "en": "is required but missing"},
    "scenario.missing_table": {
        "vi": "thiếu bảng bắt buộc [{table}]",
        "en": "the table [{table}] is required but missing",
    },
    "scenario.whole_number": {"vi": "phải là số nguyên", "en": "must be a whole number"},
    "scenario.number": {"vi": "phải là một số", "en": "must be a number"},
    "scenario.finite": {
        "vi": "phải là số hữu hạn (không phải nan hay inf)",
        "en": "must be a finite number (not nan or inf)",
    },
    "scenario.bool": {
        "vi": "phải là true hoặc false (không đặt trong dấu nháy)",
        "en": "must be true or false (unquoted)",
    },
    "scenario.text": {"vi": "phải là chữ đặt trong dấu nháy", "en": "must be text in quotes"},
    "scenario.date": {
        "vi": "phải là một ngày dạng 2020-05-23 (trong TOML không đặt trong dấu nháy)",
        "en": "must be a date like 2020-05-23 (unquoted in TOML)",
    },
    "scenario.list": {"vi": "phải là danh sách dạng [...]", "en": "must be a list like [...]"},
    "scenario.table": {"vi": "phải là một bảng", "en": "must be a table"},
    "scenario.one_of": {"vi": "phải là một trong {choices}", "en": "must be one of {choices}"},
    "scenario.greater_than": {"vi": "phải lớn hơn {value}", "en": "must be greater than {value}"},
    "scenario.at_least": {"vi": "phải từ {value} trở lên", "en": "must be at least {value}"},
    "scenario.less_than": {"vi": "phải nhỏ hơn {value}", "en": "must be less than {value}"},
    "scenario.at_most": {"vi": "không được quá {value}", "en": "must be at most {value}"},
    "scenario.not_empty": {"vi": "không được để trống", "en": "must not be empty"},
    "scenario.min_items": {
        "vi": "phải có ít nhất {n} mục",
        "en": "must have at least {n} items",
    },
    "scenario.max_items": {
        "vi": "chỉ được có nhiều nhất {n} mục",
        "en": "must have at most {n} items",
    },
    "scenario.name_not_allowed": {
        "vi": "tên {name} không được dùng: {rest}",
        "en": "the name {name} is not allowed: it {rest}",
    },
    "scenario.province_code": {
        "vi": "phải là mã tỉnh 2 chữ số như '27'",
        "en": "must be a 2-digit province code like '27'",
    },
    "scenario.district_code": {
        "vi": "phải là mã huyện 3 chữ số như '256'",
        "en": "must be a 3-digit district code like '256'",
    },
    "scenario.commune_code": {
        "vi": "phải là mã xã 5 chữ số như '09349'",
        "en": "must be a 5-digit commune code like '09349'",
    },
    "scenario.clock": {
        "vi": "phải là giờ dạng 'HH:MM' như '07:30' (từ 00:00 đến 24:00)",
        "en": "must be a time of day 'HH:MM' like '07:30' (00:00 to 24:00)",
    },
    "scenario.on_or_after": {
        "vi": "phải bằng hoặc sau {other} ({date})",
        "en": "must be on or after {other} ({date})",
    },
    "scenario.later_than": {
        "vi": "phải muộn hơn {other} ({date})",
        "en": "must be later than {other} ({date})",
    },
    "scenario.not_before": {
        "vi": "không được sớm hơn {other} ({date})",
        "en": "must not be before {other} ({date})",
    },
    "scenario.campaign_day": {
        "vi": "phải là một ngày của chiến dịch ({start} đến {end})",
        "en": "must be a campaign day ({start} to {end})",
    },
    "scenario.inside_campaign": {
        "vi": "phải nằm trong thời gian chiến dịch ({start} đến {end})",
        "en": "must be inside the campaign ({start} to {end})",
    },
    "scenario.year_typo": {
        "vi": "phải là ngày trong các năm {first} đến {last} (gõ nhầm năm?)",
        "en": "must be a date in the years {first} to {last} (a typo in the year?)",
    },
    "scenario.no_teams": {
        "vi": "không có đội nào: hãy cho quy tắc lập đội ([teams.rule]) hoặc danh sách đội "
        "([[teams.list]]), hoặc cả hai",
        "en": "no teams: give a rule ([teams.rule]) or a list of teams ([[teams.list]]), or both",
    },
    "scenario.no_level": {
        "vi": "không phải tên mức nào trong {levels} (đã định nghĩa: {defined})",
        "en": "names no level in {levels} (defined: {defined})",
    },
    "scenario.scenario_provinces": {
        "vi": "phải là một trong các tỉnh của kịch bản ({provinces})",
        "en": "must be one of the scenario's provinces ({provinces})",
    },
    "scenario.file_not_found": {"vi": "không tìm thấy tệp", "en": "file not found"},
    "scenario.nested": {
        "vi": "các bảng và mảng lồng nhau sâu hơn {depth} tầng (một kịch bản cần tối đa 4)",
        "en": "tables and arrays are nested more than {depth} deep (a scenario needs 4 at most)",
    },
    "scenario.same_folder": {
        "vi": "ghi vào cùng thư mục {folder} với {other}: hãy đặt cho mỗi kịch bản của một lượt "
        "một tên riêng",
        "en": "writes to the same folder {folder} as {other}: give each scenario of a batch its "
        "own name",
    },
    "data.bom_mismatch": {
        "vi": "bắt đầu bằng dấu thứ tự byte của {name} nhưng không phải văn bản {name} (byte "
        "{byte})",
        "en": "starts with a {name} byte order mark but is not {name} text (byte {byte})",
    },
    "data.source_missing": {"vi": "không tìm thấy tệp nguồn", "en": "source file not found"},
    "history.unreadable": {
        "vi": "không đọc được lịch sử chiến dịch ({reason})",
        "en": "cannot read the campaign history ({reason})",
    },
    "history.value_not_number": {
        "vi": "cần một số ở cột 'value'",
        "en": "expected a number in 'value'",
    },
    "history.no_row": {
        "vi": "không có dòng nào cho {year} {period} ({unit})",
        "en": "no row for {year} {period} ({unit})",
    },
    "data.two_columns": {
        "vi": "hai cột cho {name}: '{first}' và '{second}'; hãy giữ một",
        "en": "two columns for {name}: '{first}' and '{second}'; keep one",
    },
    "scenario.not_utf8": {
        "vi": "không phải văn bản UTF-8 (byte {byte}): hãy lưu tệp dạng UTF-8",
        "en": "not UTF-8 text (byte {byte}): save the file as UTF-8",
    },
    "scenario.toml_at": {
        "vi": "lỗi cú pháp TOML ở dòng {line}, cột {column}: {what}",
        "en": "malformed TOML at line {line}, column {column}: {what}",
    },
    "scenario.toml": {"vi": "lỗi cú pháp TOML: {what}", "en": "malformed TOML: {what}"},
    "scenario.share_without_other": {
        "vi": "có {given} mà thiếu {missing}; hãy cho cả hai, hoặc chỉ share_of_population",
        "en": "{given} is given without {missing}; give both, or share_of_population alone",
    },
    "scenario.informal_all_share": {
        "vi": "định nghĩa 'informal_all' cần share_of_population (hoặc share_urban và "
        "share_rural): số lao động phi chính thức năm 2020 kể cả nông nghiệp không có trong "
        "các nguồn của planner",
        "en": "definition 'informal_all' needs share_of_population (or share_urban and "
        "share_rural): the 2020 count of all informal workers, agriculture included, is not in "
        "the planner's sources",
    },
    "scenario.directory": {
        "vi": "là một thư mục, không phải tệp kịch bản",
        "en": "is a directory, not a scenario file",
    },
    "scenario.unreadable": {"vi": "không đọc được: {reason}", "en": "cannot be read: {reason}"},
    "scenario.extends_missing": {
        "vi": "trỏ tới một tệp không tồn tại: {path}",
        "en": "names a file that does not exist: {path}",
    },
    "scenario.extends_cycle": {
        "vi": "các tệp extends nhau thành vòng (extends cycle): {loop}",
        "en": "extends cycle: {loop}",
    },
    # planner/scenario/load.py: a --vary field path, a file path, a variant without a name
    "scenario.not_dotted": {
        "vi": "không phải đường dẫn trường có dấu chấm như teams.rule.crew",
        "en": "is not a dotted field path like teams.rule.crew",
    },
    "scenario.inside_non_table": {
        "vi": "đi vào bên trong một giá trị không phải là bảng",
        "en": "goes inside a value that is not a table",
    },
    "scenario.nul_path": {
        "vi": "không phải đường dẫn tệp dùng được (có ký tự NUL)",
        "en": "is not a usable file path (it has a NUL character)",
    },
    "scenario.variant_name": {
        "vi": "bắt buộc trong kịch bản mở rộng (extends) một kịch bản khác, để kết quả của hai "
        "kịch bản không lẫn vào nhau: hãy đặt cho biến thể này một tên riêng",
        "en": "is required in a scenario that extends another, so that their outputs do not "
        "mix: give this variant its own name",
    },
    # -- files of a plan folder and data files (PATTERNS; DataError)
    "data.file_not_found": {"vi": "không tìm thấy tệp", "en": "file not found"},
    "data.plan_file_not_found": {
        "vi": "không tìm thấy tệp; cần một thư mục kế hoạch do `planner run` ghi",
        "en": "file not found; expected a plan folder written by `planner run`",
    },
    "data.run_build": {
        "vi": "{rest}; hãy chạy `planner data build` để tạo",
        "en": "{rest}; run `planner data build` to create it",
    },
    "data.not_utf8": {
        "vi": "không phải văn bản UTF-8 (byte {byte}); `planner run` ghi UTF-8",
        "en": "not UTF-8 text (byte {byte}); `planner run` writes UTF-8",
    },
    "data.expected": {"vi": "cần {what}, nhận được {value}", "en": "expected {what}, got {value}"},
    "data.not_found": {"vi": "{path}: không tìm thấy", "en": "{path}: not found"},
    "data.no_commune_code": {
        "vi": "không có xã nào mã {code} trong cấu trúc {structure}",
        "en": "no commune has code {code} in the {structure} structure",
    },
    "data.unknown_provinces": {
        "vi": "mã tỉnh {codes} không có trong cấu trúc {structure}",
        "en": "unknown province code(s) {codes} for structure {structure}",
    },
    "data.provinces_option": {
        "vi": "--provinces {codes} không thuộc các tỉnh của kịch bản này",
        "en": "--provinces {codes} not in this scenario's provinces",
    },
    "data.duplicate_code": {
        "vi": "mã {code} bị trùng (đã có ở dòng {row}); mỗi mã chỉ được có một lần",
        "en": "duplicate code {code} (also in row {row}); expected each code once",
    },
    "data.no_value": {
        "vi": "không có giá trị (ô trống hoặc NaN); cần một số hữu hạn",
        "en": "no value (blank or NaN); expected a finite number",
    },
    "data.empty_file": {
        "vi": "tệp rỗng; cần một dòng tiêu đề và ít nhất một dòng dữ liệu",
        "en": "empty file; expected a header line and at least one row",
    },
    "data.missing_columns": {
        "vi": "thiếu các cột bắt buộc {columns} (các cột có trong tệp: {found})",
        "en": "missing required columns {columns} (columns found: {found})",
    },
    "data.missing_column": {
        "vi": "thiếu cột bắt buộc {columns} (các cột có trong tệp: {found})",
        "en": "missing required column {columns} (columns found: {found})",
    },
    "data.no_columns": {"vi": "không có", "en": "none"},
    "data.with_hint": {"vi": "{problem}{hint}", "en": "{problem}{hint}"},
    "data.csv_lat_lon": {
        "vi": "; tệp CSV cần cột lat và lon ở dạng độ thập phân (EPSG:4326)",
        "en": "; a CSV needs lat and lon in decimal degrees (EPSG:4326)",
    },
    "data.not_readable": {
        "vi": "không đọc được như GeoPackage, GeoJSON hay Shapefile ({reason})",
        "en": "not a readable GeoPackage, GeoJSON or Shapefile ({reason})",
    },
    "data.is_empty": {"vi": "đang để trống", "en": "is empty"},
    "data.is_missing": {"vi": "bị thiếu", "en": "is missing"},
    "data.missing_or_empty": {"vi": "thiếu hoặc để trống", "en": "missing or empty"},
    # `planner data build`: the source tables (planner/geo/_sources.py, _legacy.py)
    "data.legacy_keys": {
        "vi": "các khóa của admin_units_legacy bị trùng",
        "en": "admin_units_legacy keys are not unique",
    },
    "data.legacy_duplicate_codes": {
        "vi": "mã xã bị trùng trong admin_units_legacy",
        "en": "duplicated commune codes in admin_units_legacy",
    },
    "data.current_duplicate_codes": {
        "vi": "mã xã bị trùng trong admin_units",
        "en": "duplicated commune codes in admin_units",
    },
    "data.urban_rural_total": {
        "vi": "urban + rural phải bằng total",
        "en": "urban + rural must equal total",
    },
    "plan.no_provinces": {
        "vi": "cần một danh sách tỉnh không rỗng",
        "en": "expected a non-empty list of provinces",
    },
    "plan.not_json_object": {
        "vi": "cần một đối tượng JSON, như `planner run` ghi",
        "en": "expected a JSON object, as `planner run` writes",
    },
    "plan.province_twice": {
        "vi": "một tỉnh được liệt kê hai lần",
        "en": "a province is listed twice",
    },
    "plan.not_object": {"vi": "cần một đối tượng", "en": "expected an object"},
    "plan.not_object_list": {
        "vi": "cần một danh sách các đối tượng",
        "en": "expected a list of objects",
    },
    "plan.not_text_list": {"vi": "cần một danh sách văn bản", "en": "expected a list of texts"},
    "plan.reason_counts": {
        "vi": "cần một đối tượng lý do -> số xã",
        "en": "expected an object of reason -> count of communes",
    },
    "plan.band_object": {
        "vi": "cần một đối tượng có p10, p50 và p90",
        "en": "expected an object with p10, p50 and p90",
    },
    "plan.band_order": {
        "vi": "cần p10 <= p50 <= p90, đang là {p10}, {p50}, {p90}",
        "en": "expected p10 <= p50 <= p90, got {p10}, {p50}, {p90}",
    },
    "plan.warning_codes": {
        "vi": "cần một danh sách mã cảnh báo",
        "en": "expected a list of warning codes",
    },
    "plan.overrides_map": {
        "vi": "phải gán giá trị cho các trường của kịch bản",
        "en": "must map scenario fields to values",
    },
    "plan.replan_date": {
        "vi": "cần một ngày dạng 2020-06-01",
        "en": "expected a date like 2020-06-01",
    },
    "plan.is_folder": {
        "vi": "là một thư mục, cần một tệp do `planner run` ghi",
        "en": "is a folder, expected a file written by `planner run`",
    },
    "plan.empty_csv": {
        "vi": "tệp trống; cần dòng tiêu đề và các dòng mà `planner run` ghi",
        "en": "empty file; expected the header and rows `planner run` writes",
    },
    "plan.malformed_csv": {"vi": "CSV sai định dạng: {reason}", "en": "malformed CSV: {reason}"},
    "plan.missing_column": {
        "vi": "thiếu cột {names} (dòng tiêu đề không có cột {names}); cần các cột mà "
        "`planner run` ghi",
        "en": "missing column {names} (no column {names} in the header); expected the columns "
        "`planner run` writes",
    },
    "plan.missing_columns": {
        "vi": "thiếu các cột {names} (dòng tiêu đề không có cột {names}); cần các cột mà "
        "`planner run` ghi",
        "en": "missing columns {names} (no column {names} in the header); expected the columns "
        "`planner run` writes",
    },
    "plan.second_route": {
        "vi": "đội {team} có tuyến thứ hai vào ngày {date} (đã có ở dòng {row})",
        "en": "team {team} has a second route on {date} (also row {row})",
    },
    "plan.stop_without_route": {
        "vi": "một điểm dừng của đội {team} vào ngày {date}, một ngày-đội không có trong {file}",
        "en": "a stop of team {team} on {date}, a team-day that is not in {file}",
    },
    "plan.stop_numbers": {
        "vi": "các điểm dừng của đội {team} vào ngày {date} được đánh số {orders}; cần 1, 2, 3, "
        "... mỗi số một lần",
        "en": "the stops of team {team} on {date} are numbered {orders}; expected 1, 2, 3, ... "
        "once each",
    },
    "plan.province_not_in": {
        "vi": "tỉnh {code} không có trong {file} (các tỉnh {codes})",
        "en": "province {code} is not in {file} (provinces {codes})",
    },
    "plan.bad_json": {
        "vi": "không phải JSON hợp lệ ở dòng {line}, cột {column}: {reason}",
        "en": "not valid JSON at line {line}, column {column}: {reason}",
    },
    "plan.field_count": {
        "vi": "có {present} trường, cần {expected} như dòng tiêu đề",
        "en": "has {present} fields, expected {expected} as in the header",
    },
    "data.scenario_file_missing": {
        "vi": "không tìm thấy tệp kịch bản {file} (đã tìm trong thư mục hiện tại và trong "
        "{repo}); hãy chỉ ra bằng --scenario",
        "en": "the scenario file {file} is not found (looked in the current folder and in "
        "{repo}); give it with --scenario",
    },
    "data.data_changed": {
        "vi": "{summary}: kế hoạch được lập với dữ liệu phiên bản {then}, nay dữ liệu là {now}; "
        "hãy chạy lại `planner run` hoặc chỉ ra thư mục dữ liệu đã dùng (--data-dir)",
        "en": "{summary}: the plan was made with data version {then}, the data is now {now}; "
        "re-run `planner run` or give the data folder it was made with (--data-dir)",
    },
    "data.scenario_changed": {
        "vi": "{path}: kịch bản đã thay đổi từ khi lập kế hoạch trong {folder} (scenario_hash "
        "{then}… trong summary.json, nay là {now}…); hãy chạy lại `planner run {path}` hoặc "
        "chỉ ra tệp gốc bằng --scenario",
        "en": "{path}: the scenario changed since the plan in {folder} was made "
        "(scenario_hash {then}… in summary.json, {now}… now); re-run `planner run {path}`, "
        "or give the original file with --scenario",
    },
    "data.province_not_in_scenario": {
        "vi": "tỉnh {code} không thuộc các tỉnh của kịch bản ({provinces}) trong {path}",
        "en": "province {code} is not one of the scenario's provinces ({provinces}) in {path}",
    },
    # -- a planner's own lists (planner/geo/lists.py; `planner data template`)
    "lists.unreadable": {
        "vi": "không đọc được tệp danh sách ({reason}); cần tệp .xlsx do `planner data "
        "template` ghi, hoặc thư mục chứa các tệp CSV của nó",
        "en": "the lists file cannot be read ({reason}); expected an .xlsx file written by "
        "`planner data template`, or a folder of its CSV files",
    },
    "lists.no_sheets": {
        "vi": "không có trang nào trong {sheets}; cần ít nhất một trang như `planner data "
        "template` ghi",
        "en": "none of the sheets {sheets}; expected at least one, as `planner data template` "
        "writes them",
    },
    "lists.no_csv": {
        "vi": "thư mục {folder} không có tệp nào trong {files}",
        "en": "the folder {folder} holds none of {files}",
    },
    "lists.bad_csv": {
        "vi": "không phải bảng CSV hợp lệ ({reason})",
        "en": "not a well-formed CSV table ({reason})",
    },
    "lists.duplicate_column": {
        "vi": "cột này trùng với cột '{first}' (cột thứ {position}); mỗi cột chỉ được có một lần",
        "en": "this column repeats '{first}' (column {position}); expected each column once",
    },
    "lists.missing_columns": {
        "vi": "thiếu cột {columns} (các cột có: {found})",
        "en": "missing column(s) {columns} (columns found: {found})",
    },
    "lists.control_character": {
        "vi": "ký tự điều khiển {code} trong {value}; cần văn bản in được (không tab, "
        "không xuống dòng)",
        "en": "control character {code} in {value}; expected printable text (no tabs or line "
        "breaks)",
    },
    "lists.not_number": {
        "vi": "'{value}' không phải là số",
        "en": "'{value}' is not a number",
    },
    "lists.not_count": {
        "vi": "'{value}' không phải số nguyên không âm; cần số người, ví dụ 1250",
        "en": "'{value}' is not a whole number of 0 or more; expected a number of people such as "
        "1250",
    },
    "lists.too_many_people": {
        "vi": "{value} người là quá nhiều cho một xã; tối đa {limit}",
        "en": "{value} people is more than is plausible for one commune; expected at most {limit}",
    },
    "lists.seats_not_positive": {
        "vi": "số chỗ ngồi {value} không hợp lệ; cần số nguyên từ 1 trở lên (hội trường không có "
        "chỗ thì không tổ chức được hội nghị: xóa dòng nếu không có địa điểm này)",
        "en": "{value} seats is not valid; expected a whole number of 1 or more (a hall with no "
        "seats holds no conference: delete the row if the venue does not exist)",
    },
    "lists.bad_mark": {
        "vi": "'{value}' không phải 'có' hay 'không'; để 'có' nếu số liệu vẫn là ước tính, "
        "'không' nếu đã kiểm tra",
        "en": "'{value}' is neither 'yes' nor 'no'; 'yes' if the figure is still an estimate, "
        "'no' once checked",
    },
    "lists.one_coordinate": {
        "vi": "chỉ có một trong hai tọa độ; cần cả vĩ độ và kinh độ, hoặc để trống cả hai",
        "en": "only one of the two coordinates; expected both latitude and longitude, or neither",
    },
    "lists.not_in_vietnam": {
        "vi": "vị trí {lat}, {lon} không ở Việt Nam; cần vĩ độ, kinh độ dạng số thập phân "
        "(ví dụ 21.18, 106.07)",
        "en": "position {lat}, {lon} is not in Vietnam; expected latitude, longitude in decimal "
        "degrees (such as 21.18, 106.07)",
    },
    "lists.outside_province": {
        "vi": "vị trí {lat}, {lon} nằm ngoài tỉnh {province} ({name}) {km} km; cần một điểm "
        "trong tỉnh (ranh giới gần đúng: chấp nhận đến {limit} km)",
        "en": "position {lat}, {lon} lies {km} km outside province {province} ({name}); "
        "expected a point in the province (its boundary is approximate: up to {limit} km is "
        "accepted)",
    },
    "lists.no_commune_code": {
        "vi": "thiếu mã xã; chỉ bưu điện chính của huyện đảo không có xã mới được để trống, "
        "khi đó cần mã huyện/cụm",
        "en": "no commune code; only the main post office of an island district without "
        "communes may have none, and then it needs its district/cluster code",
    },
    "lists.unknown_commune": {
        "vi": "không có xã nào mã {code} trong dữ liệu cấu trúc {structure}",
        "en": "no commune has code {code} in the {structure} structure's data",
    },
    "lists.unknown_group": {
        "vi": "không có huyện/cụm nào mã {code} trong dữ liệu cấu trúc {structure}",
        "en": "no district or cluster has code {code} in the {structure} structure's data",
    },
    "lists.duplicate_commune": {
        "vi": "xã {code} đã có ở dòng {row}; mỗi xã chỉ một dòng",
        "en": "commune {code} is also in row {row}; expected one row per commune",
    },
    "lists.no_venue_name": {
        "vi": "thiếu tên địa điểm",
        "en": "no venue name",
    },
    "lists.bad_kind": {
        "vi": "'{value}' không phải loại địa điểm; cần 'huyện' hoặc 'cụm' (bưu điện chính) hay "
        "'xã' (điểm bưu điện - văn hóa xã)",
        "en": "'{value}' is not a kind of venue; expected 'group' (a main post office) or "
        "'commune' (a commune cultural post office)",
    },
    "lists.duplicate_venue_id": {
        "vi": "mã địa điểm {venue} đã có ở dòng {row}; mỗi địa điểm chỉ một dòng",
        "en": "venue id {venue} is also in row {row}; expected one row per venue",
    },
    "lists.duplicate_venue": {
        "vi": "địa điểm '{name}' ở {code} đã có ở dòng {row}; mỗi địa điểm chỉ một dòng",
        "en": "venue '{name}' in {code} is also in row {row}; expected one row per venue",
    },
    "lists.no_group_office": {
        "vi": "{group} {code} ({name}) không còn bưu điện chính (loại huyện/cụm); mỗi huyện/cụm "
        "cần một, nơi đội của nó xuất phát",
        "en": "{group} {code} ({name}) has no main post office left (kind group); each needs "
        "one, where its team is based",
    },
    "lists.two_group_offices": {
        "vi": "{group} {code} đã có bưu điện chính ở dòng {row}; mỗi huyện/cụm chỉ một (đội "
        "xuất phát ở đó): đổi loại của địa điểm kia thành 'xã'",
        "en": "{group} {code} has its main post office in row {row} already; each has one "
        "(its team is based there): make the other venue's kind 'commune'",
    },
    "lists.no_team_id": {"vi": "thiếu mã đội", "en": "no team id"},
    "lists.duplicate_team": {
        "vi": "đội {team} đã có ở dòng {row}; mỗi đội chỉ một dòng",
        "en": "team {team} is also in row {row}; expected one row per team",
    },
    "lists.unknown_base": {
        "vi": "không có địa điểm nào mã {venue}; cần mã một địa điểm của trang Địa điểm "
        "(hoặc của dữ liệu)",
        "en": "no venue has id {venue}; expected the id of a venue of sheet 'Địa điểm' (or of "
        "the data)",
    },
    "lists.unknown_team": {
        "vi": "không có đội nào mã {team} trong kịch bản; cần mã đội theo quy tắc "
        "'<tỉnh>-<huyện/cụm>-<k>' như '27-262-1', hoặc một đội của teams.list",
        "en": "no team of the scenario has id {team}; expected an id the team rule makes, "
        "'<province>-<district or cluster>-<k>' such as '27-262-1', or one of teams.list",
    },
    "lists.base_other_province": {
        "vi": "nơi xuất phát {venue} thuộc tỉnh {venue_province}, không phải tỉnh {province} "
        "của đội {team}",
        "en": "base {venue} is in province {venue_province}, not in province {province} of "
        "team {team}",
    },
    # -- `planner data template`: the legend sheet of a planner's lists, and its lines
    "template.title": {
        "vi": "Danh sách của tỉnh {provinces}: xã, địa điểm hội nghị và đội, như planner đang "
        "giả định (cấu trúc hành chính {structure}, dữ liệu {data_version})",
        "en": "Lists of province {provinces}: communes, conference venues and teams as the "
        "planner assumes them (structure {structure}, data {data_version})",
    },
    "template.use": {
        "vi": "Sửa những gì bạn biết rõ hơn, lưu tệp, rồi ghi tên tệp vào kịch bản: [data] "
        'lists = "{file}". Mọi dòng đều được kiểm tra khi lập kế hoạch; lỗi được báo một dòng, '
        "nêu trang, dòng và cột.",
        "en": "Correct what you know better, save the file, and name it in the scenario: [data] "
        'lists = "{file}". Every row is checked when planning; a fault is one line naming the '
        "sheet, row and column.",
    },
    "template.headers": {
        "vi": "Dòng 1 của mỗi trang là tên cột tiếng Việt, dòng 2 là tên cột tiếng Anh (không "
        "xóa dòng 1; dòng 2 có thể xóa). Các cột 'chỉ để tham khảo' không được đọc lại.",
        "en": "Row 1 of each sheet holds the Vietnamese column names, row 2 the English ones "
        "(keep row 1; row 2 may go). Columns marked 'for reference' are not read back.",
    },
    "template.communes": {
        "vi": "Trang 'Xã': số người mục tiêu và vị trí (vĩ độ, kinh độ thập phân) của mỗi xã. "
        "Xã không có dòng nào giữ số liệu của planner; mã xã lạ là lỗi.",
        "en": "Sheet 'Xã' (communes): each commune's target people and position (decimal "
        "latitude, longitude). A commune with no row keeps the planner's figures; an unknown "
        "commune code is an error.",
    },
    "template.targets": {
        "vi": "Số người mục tiêu ở đây theo dữ liệu của planner: lao động phi chính thức phi "
        "nông nghiệp (20,3 triệu năm 2020) trừ người đã tham gia BHXH tự nguyện, khoảng 20,5% "
        "dân số. Số bạn để nguyên (và vẫn đánh dấu ước tính) theo định nghĩa [targets] của kịch "
        "bản; số bạn sửa là số của bạn và được dùng đúng như vậy.",
        "en": "Target people here are the planner's data: informal non-agricultural workers "
        "(20.3 million in 2020) less those already in voluntary social insurance, about 20.5 % "
        "of the population. A figure left as it is (and still marked estimated) follows the "
        "scenario's [targets] definition; a figure you change is yours and is used as written.",
    },
    "template.marks": {
        "vi": "Cột '... là ước tính': 'có' khi số liệu là ước tính của planner. Sửa số liệu, "
        "hoặc đổi thành 'không' khi đã kiểm tra, thì số liệu là của bạn; lịch trình và bản đồ "
        "ghi 'ước tính' cho những gì vẫn là ước tính.",
        "en": "Columns '... estimated': 'yes' where the figure is the planner's estimate. Change "
        "the figure, or set 'no' once you have checked it, and it is yours; route sheets and "
        "maps say 'estimated' for what still is.",
    },
    "template.venues": {
        "vi": "Trang 'Địa điểm': các địa điểm của tỉnh đúng như các dòng này: xóa dòng là địa "
        "điểm không có, thêm dòng (để trống mã) là địa điểm mới. Loại: '{group_kind}' (bưu điện "
        "chính, nơi đội xuất phát; mỗi {group} cần một) hoặc 'xã' (điểm BĐ-VH xã). Vị trí phải "
        "nằm trong tỉnh; trùng địa điểm là lỗi.",
        "en": "Sheet 'Địa điểm' (venues): the province's venues are exactly these rows: delete a "
        "row for a venue that does not exist, add one (id blank) for a new one. Kind: "
        "'{group_kind}' (main post office, where a team is based; each {group} needs one) or "
        "'xã' (commune cultural post office). Points must lie in the province; a duplicate "
        "venue is an error.",
    },
    "template.seats": {
        "vi": "Số chỗ ngồi hội trường: số nguyên từ 1 trở lên (planner giả định 30 chỗ ở điểm "
        "BĐ-VH xã, 80 ở bưu điện chính, khoảng 1 m² một người); quy định giãn cách của kịch bản "
        "vẫn áp dụng. Người liên hệ, số điện thoại, địa chỉ và giờ mở cửa được in trên lịch "
        "trình của đội.",
        "en": "Hall seats: a whole number of 1 or more (the planner assumes 30 at a commune "
        "cultural post office, 80 at a main post office, about 1 m2 a person); the scenario's "
        "distancing rules still apply. Contact name, phone, address and opening hours are "
        "printed on the teams' route sheets.",
    },
    "template.teams": {
        "vi": "Trang 'Đội': nơi xuất phát của mỗi đội (mã một địa điểm của trang 'Địa điểm'). "
        "Xóa dòng không bớt đội; số đội do kịch bản quyết định.",
        "en": "Sheet 'Đội' (teams): each team's base (the id of a venue of sheet 'Địa điểm'). "
        "Deleting a row removes no team; the scenario decides the teams.",
    },
    "template.written": {"vi": "đã ghi {path}", "en": "wrote {path}"},
    "template.exists": {
        "vi": "đã có tệp này (có thể là danh sách bạn đã sửa); dùng --force để ghi đè",
        "en": "the file exists (it may be lists you have corrected); use --force to replace it",
    },
    # -- planner run, replan: the lines printed at the end, and the progress of provinces
    "run.result": {
        "vi": "{scenario}: {provinces} tỉnh, {team_days:,} ngày-đội, {passes:,} lượt tuyên "
        "truyền, {conferences:,} hội nghị, dự kiến tiếp cận {reach:,.0f} người, "
        "{enrolments:,.0f} người tham gia{spread}, giá trị mục tiêu {value:,.0f} / cận trên "
        "{bound:,.0f} (phương án tham lam {greedy:,.0f}) -> {out}",
        "en": "{scenario}: {provinces} province(s), {team_days} team-days, {passes} passes, "
        "{conferences} conferences, expected reach {reach:,.0f}, enrolments "
        "{enrolments:,.0f}{spread}, value {value:,.0f} of bound {bound:,.0f} "
        "(greedy {greedy:,.0f}) -> {out}",
    },
    "run.spread": {
        "vi": " (P10-P90 {p10:,.0f}-{p90:,.0f})",
        "en": " (P10-P90 {p10:,.0f}-{p90:,.0f})",
    },
    "progress.start": {
        "vi": "đang lập kế hoạch cho {n} tỉnh",
        "en": "planning {n} province(s)",
    },
    "progress.province": {
        "vi": "{label} {province}: {passes:,} lượt tuyên truyền, {conferences:,} hội nghị, giá "
        "trị {value:,.0f} (cận trên {bound:,.0f}, tham lam {greedy:,.0f}), {how}",
        "en": "{label} {province}: {passes} passes, {conferences} conferences, value "
        "{value:,.0f} (bound {bound:,.0f}, greedy {greedy:,.0f}), {how}",
    },
    "progress.resumed": {"vi": "lấy lại kết quả đã lưu", "en": "resumed"},
    "progress.seconds": {"vi": "{seconds:.1f} giây", "en": "{seconds:.1f}s"},
    "progress.all": {"vi": "tất cả các tỉnh", "en": "all provinces"},
    "progress.bar": {"vi": "  tỉnh {label}", "en": "  province {label}"},
    "progress.bar_result": {
        "vi": "giá trị {value:,.0f} / cận trên {bound:,.0f}",
        "en": "value {value:,.0f} / bound {bound:,.0f}",
    },
    "progress.line": {"vi": "[{done}/{total}] {line}", "en": "[{done}/{total}] {line}"},
    # -- planner progress (the teams' reports against the plan)
    "fieldwork.summary": {
        "vi": "{scenario}: {done:,} / {due:,} điểm dừng đến hạn đã thực hiện ({share}), "
        "{skipped:,} không thực hiện, {not_in_report:,} không có trong báo cáo; {days:,} "
        "ngày-đội của {teams:,} đội chưa báo cáo; số người dự {attendance:,} (dự kiến "
        "{attendance_expected:,.0f}), số người đăng ký {sign_ups:,} (dự kiến {enrolments:,.1f})"
        "{where}",
        "en": "{scenario}: {done} of {due} stops due done ({share}), {skipped} skipped, "
        "{not_in_report} not in the reports; {days} team-days of {teams} teams not reported; "
        "attendance {attendance:,} (expected {attendance_expected:,.0f}), sign-ups {sign_ups:,} "
        "(expected {enrolments:,.1f}){where}",
    },
    "fieldwork.report": {"vi": "báo cáo: {line}", "en": "report: {line}"},
    "fieldwork.where": {"vi": " -> {page}", "en": " -> {page}"},
    # -- planner validate
    "validate.note": {"vi": "lưu ý: {note}", "en": "note: {note}"},
    "validate.valid": {
        "vi": "{path}: hợp lệ; {provinces} tỉnh, {teams:,} đội, cấu trúc hành chính {structure}",
        "en": "{path}: valid; {provinces} province(s), {teams} teams, structure {structure}",
    },
    "validate.note_stays_home": {
        "vi": "đội {team} ở lại nơi xuất phát các ngày {days} ({n} ngày làm việc, không tính "
        "là có thể dùng): nơi xuất phát {base} nằm ở {place}, khi đó bị cách ly (mức {levels}) "
        "và không ai được rời đi",
        "en": "team {team} stays at its base on {days} ({n} working days, not counted as "
        "available): its base {base} is in {place}, isolated then (level {levels}), and nobody "
        "may leave it",
    },
    "validate.note_stays_home_one": {
        "vi": "đội {team} ở lại nơi xuất phát ngày {days} (1 ngày làm việc, không tính là có "
        "thể dùng): nơi xuất phát {base} nằm ở {place}, khi đó bị cách ly (mức {levels}) và "
        "không ai được rời đi",
        "en": "team {team} stays at its base on {days} (1 working day, not counted as "
        "available): its base {base} is in {place}, isolated then (level {levels}), and nobody "
        "may leave it",
    },
    "validate.estimated_positions": {
        "vi": "cảnh báo: tỉnh {province} ({name}): {n:,} / {of:,} xã có vị trí ước tính (nguồn "
        "không có tọa độ riêng, điểm được đặt trong vùng gần đúng); kế hoạch vẫn dùng được, "
        "nhưng hãy kiểm tra các điểm này (planner data template --provinces {province})",
        "en": "warning: province {province} ({name}): {n:,} of {of:,} communes rest on an "
        "estimated position (the source has no point of their own; placed inside an "
        "approximate area); the plan still works, but check them (planner data template "
        "--provinces {province})",
    },
    # -- planner check
    "check.ok": {
        "vi": "{folder}: kế hoạch tuân thủ mọi quy định (đã kiểm tra {team_days:,} ngày-đội, "
        "{stops:,} điểm dừng)",
        "en": "{folder}: plan keeps every rule ({team_days} team-days, {stops} stops checked)",
    },
    "check.broken": {
        "vi": "{folder}: {n:,} vi phạm quy định (đã kiểm tra {team_days:,} ngày-đội, "
        "{stops:,} điểm dừng)",
        "en": "{folder}: {n} rule violations ({team_days} team-days, {stops} stops checked)",
    },
    "check.broken_one": {
        "vi": "{folder}: 1 vi phạm quy định (đã kiểm tra {team_days:,} ngày-đội, "
        "{stops:,} điểm dừng)",
        "en": "{folder}: 1 rule violation ({team_days} team-days, {stops} stops checked)",
    },
    # {rule}: the rule's code in English; in Vietnamese its name in words, then its code
    # ("check.rule_named")
    "check.violation": {
        "vi": "{rule}: đội {team}, ngày {date}: {message}",
        "en": "{rule}: team {team} on {date}: {message}",
    },
    "check.violation_plan": {"vi": "{rule}: {message}", "en": "{rule}: {message}"},
    "check.rule_named": {"vi": "{label} ({code})", "en": "{label} ({code})"},
    # the rules, named (planner/rules/checks.py, planner/verify.py)
    "rule.working_hours": {"vi": "Giờ làm việc", "en": "Working hours"},
    "rule.team_days": {"vi": "Ngày làm việc của đội", "en": "Team days"},
    "rule.lunch_break": {"vi": "Nghỉ trưa", "en": "Lunch break"},
    "rule.travel_time": {"vi": "Thời gian di chuyển", "en": "Travel time"},
    "rule.service_time": {"vi": "Thời gian tại điểm", "en": "Time at a stop"},
    "rule.conference_slot": {"vi": "Buổi hội nghị", "en": "Conference slot"},
    "rule.rules_in_force": {"vi": "Quy định đang áp dụng", "en": "Rules in force"},
    "rule.isolation": {"vi": "Cách ly, phong tỏa", "en": "Isolation"},
    "rule.boat_only": {"vi": "Chỉ đi được bằng thuyền", "en": "Boat only"},
    "rule.conference_cap": {"vi": "Giới hạn người dự hội nghị", "en": "Conference cap"},
    "rule.limit": {"vi": "Số lần tối đa", "en": "Limit"},
    "rule.spacing": {"vi": "Khoảng cách giữa các lần", "en": "Spacing"},
    "rule.conferences_per_day": {"vi": "Hội nghị mỗi ngày", "en": "Conferences per day"},
    "rule.conferences_per_week": {"vi": "Hội nghị mỗi tuần", "en": "Conferences per week"},
    "rule.territory": {"vi": "Địa bàn của đội", "en": "Team territory"},
    "rule.driving_limits": {"vi": "Giới hạn thời gian lái xe", "en": "Driving limits"},
    "rule.team_base": {"vi": "Nơi xuất phát và phương tiện", "en": "Team base"},
    "rule.figures": {"vi": "Số liệu", "en": "Figures"},
    "rule.totals": {"vi": "Tổng số", "en": "Totals"},
    "rule.unserved": {"vi": "Xã không được phục vụ", "en": "Communes not served"},
    # words a violation is built from
    "word.pass": {"vi": "tuyên truyền", "en": "pass"},
    "word.conference": {"vi": "hội nghị", "en": "conference"},
    "word.passes_in": {"vi": "lượt tuyên truyền ở", "en": "passes in"},
    "word.conferences_at": {"vi": "hội nghị tại", "en": "conferences at"},
    "word.rule_level": {"vi": "mức quy định", "en": "rule level"},
    "word.gathering_cap": {"vi": "giới hạn tụ tập", "en": "gathering cap"},
    "word.seats_by_area": {"vi": "số chỗ theo diện tích", "en": "seats by area"},
    "word.none": {"vi": "không có", "en": "none"},
    # planner/rules/checks.py
    "check.out_of_hours": {
        "vi": "ra ngoài {depart}-{back}, giờ làm việc {start}-{end}",
        "en": "out {depart}-{back}, hours {start}-{end}",
    },
    "check.no_such_team": {
        "vi": "kịch bản không có đội này",
        "en": "no such team in the scenario",
    },
    "check.not_a_working_day": {
        "vi": "đội không làm việc ngày này",
        "en": "the team does not work that day",
    },
    "check.two_routes": {"vi": "hai tuyến trong một ngày", "en": "two routes on one day"},
    "check.lunch_window": {
        "vi": "nghỉ trưa bắt đầu {start}, khung giờ {earliest}-{latest}",
        "en": "lunch starts {start}, window {earliest}-{latest}",
    },
    "check.lunch_short": {
        "vi": "nghỉ trưa {minutes} phút, cần {required} phút",
        "en": "lunch of {minutes} min, {required} required",
    },
    "check.lunch_overlap": {
        "vi": "điểm dừng ở {commune} {start}-{end} trùng giờ nghỉ trưa",
        "en": "stop at {commune} {start}-{end} overlaps lunch",
    },
    "check.arrives_too_soon": {
        "vi": "đến {commune} lúc {arrival}, nhưng đường đi cần {minutes} phút từ {since}",
        "en": "arrives at {commune} {arrival}, the drive needs {minutes} min from {since}",
    },
    "check.stop_times": {
        "vi": "điểm dừng ở {commune} bắt đầu trước khi đến, hoặc không có thời lượng",
        "en": "stop at {commune} starts before arrival or has no duration",
    },
    "check.back_too_soon": {
        "vi": "về nơi xuất phát lúc {back}, nhưng đường đi cần {minutes} phút từ {since}",
        "en": "back at base {back}, the drive needs {minutes} min from {since}",
    },
    "check.pass_too_short": {
        "vi": "tuyên truyền ở {commune} kéo dài {minutes} phút, cần {required} phút",
        "en": "pass at {commune} lasts {minutes} min, {required} required",
    },
    "check.conference_too_short": {
        "vi": "hội nghị tại {venue} kéo dài {minutes} phút, cần {required} phút",
        "en": "conference at {venue} lasts {minutes} min, {required} required",
    },
    "check.outside_slots": {
        "vi": "hội nghị tại {venue} bắt đầu {start}, ngoài mọi buổi cho phép",
        "en": "conference at {venue} starts {start}, outside every slot",
    },
    "check.outside_campaign": {
        "vi": "ngày nằm ngoài chiến dịch",
        "en": "date outside the campaign",
    },
    "check.unknown_commune": {"vi": "không biết xã {code}", "en": "unknown commune {code}"},
    "check.enters_isolated": {
        "vi": "vào {commune}, nơi bị cách ly ngày đó ({level})",
        "en": "enters {commune}, isolated that day ({level})",
    },
    "check.pass_forbidden": {
        "vi": "tuyên truyền ở {commune} bị cấm theo {level}",
        "en": "pass in {commune} forbidden by {level}",
    },
    "check.conference_forbidden": {
        "vi": "hội nghị ở {commune} bị cấm theo {level}",
        "en": "conference in {commune} forbidden by {level}",
    },
    "check.across_water": {
        "vi": "{commune} ở bên kia mặt nước so với nơi xuất phát của đội: cần thuyền",
        "en": "{commune} is across the water from the team's base: a boat is needed",
    },
    "check.boat_not_running": {
        "vi": "{commune} phải đi bằng thuyền, mà ngày đó thuyền không chạy",
        "en": "{commune} is reached by boat, which does not run that day",
    },
    "check.unknown_venue": {"vi": "không biết địa điểm {venue}", "en": "unknown venue {venue}"},
    "check.above_cap": {
        "vi": "mời {invited} người tại {venue}, giới hạn {cap} ({level})",
        "en": "{invited} invited at {venue}, cap {cap} ({level})",
    },
    "check.above_seats": {
        "vi": "mời {invited} người tại {venue}, hội trường có {seats} chỗ",
        "en": "{invited} invited at {venue}, hall seats {seats}",
    },
    "check.attendance_above_invited": {
        "vi": "số người dự vượt số người được mời tại {venue}",
        "en": "attendance above invited at {venue}",
    },
    "check.over_limit": {
        "vi": "{count} {what} {code}, nhiều nhất {limit}",
        "en": "{count} {what} {code}, at most {limit}",
    },
    "check.too_close": {
        "vi": "{what} {code} ngày {first} và {second}, phải cách nhau ít nhất {days} ngày",
        "en": "{what} {code} on {first} and {second}, at least {days} days apart required",
    },
    "check.conferences_per_day": {
        "vi": "{count} hội nghị, nhiều nhất {limit}",
        "en": "{count} conferences, at most {limit}",
    },
    "check.outside_territory": {
        "vi": "{kind} tại {where} ở {group} ({code}), ngoài địa bàn của đội ({territory})",
        "en": "{kind} at {where} in {group} ({code}), outside the team's territory ({territory})",
    },
    "check.drives_too_long": {
        "vi": "lái xe {minutes} phút trong ngày, nhiều nhất {limit}",
        "en": "drives {minutes} min in the day, at most {limit}",
    },
    "check.no_break": {
        "vi": "lái xe {minutes} phút không nghỉ {pause} phút (đến {until}), nhiều nhất {limit}",
        "en": "drives {minutes} min without a break of {pause} min (until {until}), at most "
        "{limit}",
    },
    "check.conferences_per_week": {
        "vi": "{count} hội nghị trong tuần {week} năm {year}, nhiều nhất {limit}",
        "en": "{count} conferences in week {week} of {year}, at most {limit}",
    },
    # planner/verify.py
    "check.wrong_base": {
        "vi": "xuất phát từ {base}, nơi xuất phát của đội là {team_base}",
        "en": "leaves from {base}, the team's base is {team_base}",
    },
    "check.base_position": {
        "vi": "nơi xuất phát ở {lat}, {lon}, {name} ở {team_lat}, {team_lon}",
        "en": "base at {lat}, {lon}, {name} is at {team_lat}, {team_lon}",
    },
    "check.wrong_vehicle": {
        "vi": "đi bằng {vehicle}, đội có {team_vehicle}",
        "en": "goes by {vehicle}, the team has a {team_vehicle}",
    },
    "check.pass_number": {
        "vi": "lần tuyên truyền ở {commune} ghi số {n}, theo thứ tự ngày là lần {rank}",
        "en": "pass in {commune} is numbered {n}, it is pass {rank} there in date order",
    },
    "check.pass_reach": {
        "vi": "lần tuyên truyền {n} ở {commune} tiếp cận {reached:.1f} người, cần "
        "{expected:.1f} = {target} người mục tiêu x {share:g} x {repeat:g}^{power}",
        "en": "pass {n} in {commune} reaches {reached:.1f} people, expected {expected:.1f} = "
        "{target} target people x {share:g} x {repeat:g}^{power}",
    },
    "check.pass_enrolments": {
        "vi": "tuyên truyền ở {commune} ghi {written:.2f} người tham gia, cần {expected:.2f} = "
        "số người tiếp cận x {conversion:g}",
        "en": "pass in {commune} enrols {written:.2f}, expected {expected:.2f} = people "
        "reached x {conversion:g}",
    },
    "check.pass_level": {
        "vi": "tuyên truyền ở {commune} ghi mức quy định {written}, mức đang áp dụng là {level}",
        "en": "pass in {commune} says rule level {written}, {level} is in force",
    },
    "check.conference_attendance": {
        "vi": "hội nghị tại {venue}: dự kiến {attendance:.1f} người dự, cần {expected:.1f} = "
        "{invited} người được mời x tỷ lệ đến dự {show_up:g}",
        "en": "conference at {venue}: expected attendance {attendance:.1f}, expected "
        "{expected:.1f} = {invited} invited x show-up {show_up:g}",
    },
    "check.conference_reach": {
        "vi": "hội nghị tại {venue}: tiếp cận {reached:.1f} người, số người dự kiến là "
        "{attendance:.1f}",
        "en": "conference at {venue}: reaches {reached:.1f} people, its expected attendance is "
        "{attendance:.1f}",
    },
    "check.conference_enrolments": {
        "vi": "hội nghị tại {venue}: ghi {written:.2f} người tham gia, cần {expected:.2f} = "
        "số người dự x {conversion:g}",
        "en": "conference at {venue}: enrols {written:.2f}, expected {expected:.2f} = "
        "attendance x {conversion:g}",
    },
    "check.catchment": {
        "vi": "đến nay đã mời {invited} người tại {venue}, vùng của địa điểm có {target} người "
        "mục tiêu",
        "en": "{invited} people invited at {venue} so far, its catchment has {target} target "
        "people",
    },
    "check.conference_in_force": {
        "vi": "hội nghị tại {venue}: {what} ghi {written}, đang áp dụng {in_force}",
        "en": "conference at {venue}: {what} written {written}, in force {in_force}",
    },
    "check.stop_count": {
        "vi": "routes.csv ghi {written} điểm dừng, schedule.csv có {counted}",
        "en": "routes.csv says {written} stops, schedule.csv has {counted}",
    },
    "check.where_province": {
        "vi": "tỉnh {code} trong summary.json",
        "en": "province {code} in summary.json",
    },
    "check.where_summary": {"vi": "summary.json", "en": "summary.json"},
    "check.total_reach": {
        "vi": "{where}: expected_reach ghi {written:,.1f}, các điểm dừng trong schedule.csv "
        "tiếp cận {counted:,.1f}",
        "en": "{where}: expected_reach is {written:,.1f}, the stops in schedule.csv reach "
        "{counted:,.1f}",
    },
    "check.total_enrolments": {
        "vi": "{where}: expected_enrolments ghi {written:,.1f}, các điểm dừng trong "
        "schedule.csv có {counted:,.1f} người tham gia",
        "en": "{where}: expected_enrolments is {written:,.1f}, the stops in schedule.csv enrol "
        "{counted:,.1f}",
    },
    "check.total_count": {
        "vi": "{where}: {name} ghi {written}, các tệp kế hoạch có {counted}",
        "en": "{where}: {name} is {written}, the plan files have {counted}",
    },
    "check.served_and_listed": {
        "vi": "xã {code} {name} có tuyên truyền nhưng lại có tên trong unserved.csv",
        "en": "commune {code} {name} gets a pass but is listed in unserved.csv",
    },
    "check.not_served_not_listed": {
        "vi": "xã {code} {name} không có tuyên truyền và không có tên trong unserved.csv kèm lý do",
        "en": "commune {code} {name} gets no pass and is not listed in unserved.csv with a reason",
    },
    "check.no_plan_folder": {
        "vi": "không có thư mục này; cần một thư mục kế hoạch do `planner run` ghi (outputs/<tên>)",
        "en": "no such folder; expected a plan folder written by `planner run` (outputs/<name>)",
    },
    # -- planner compare: the page, the table, the notes
    "compare.title": {"vi": "So sánh: {plans}", "en": "Comparison: {plans}"},
    "compare.sweep_title": {
        "vi": "Thử thay đổi {fields}: {title}",
        "en": "Sweep of {fields}: {title}",
    },
    "compare.baseline_note": {
        "vi": "Kế hoạch gốc: <b>{label}</b> ({folder}); mọi chênh lệch là một kế hoạch trừ kế "
        "hoạch gốc. Bảng số liệu: <a href='compare.csv'>compare.csv</a>, "
        "<a href='team_changes.csv'>team_changes.csv</a>.",
        "en": "Baseline: <b>{label}</b> ({folder}); every difference is a plan minus the "
        "baseline. Tables: <a href='compare.csv'>compare.csv</a>, "
        "<a href='team_changes.csv'>team_changes.csv</a>.",
    },
    "compare.background": {"vi": "Bản đồ nền", "en": "background map"},
    "compare.plans_heading": {"vi": "Các kế hoạch cạnh nhau", "en": "Plans side by side"},
    "compare.table_note": {
        "vi": "Trong ngoặc: chênh lệch so với kế hoạch gốc, <span class='up'>xanh</span> khi "
        "lớn hơn, <span class='down'>đỏ</span> khi nhỏ hơn (chỉ là chiều tăng giảm, không "
        "phải đánh giá: đi ít đường hơn hay khoảng cách tới cận trên nhỏ hơn là tốt hơn). So "
        "với lịch sử: mỗi kế hoạch quy ra một tháng 30 ngày trên cả nước, đặt cạnh số liệu đã "
        "có (data/facts/campaign_history.csv); kế hoạch lập trước khi có các số này hiện —. "
        "Năng lực: một ngày-đội nhẹ là ngày đội ra ngoài dưới nửa số phút làm việc; ngày nhẹ "
        "và ngày trống được đếm theo lý do (địa bàn của đội không còn việc mà quy định cho "
        "phép, hoặc việc còn lại không vừa trong một ngày). Số liệu cận biên: số người tham "
        "gia dự kiến tăng thêm chia cho số ngày-đội, km hoặc số đội tăng thêm (— khi nguồn "
        "lực đó không đổi).",
        "en": "In brackets: the difference against the baseline, <span class='up'>blue</span> "
        "when larger, <span class='down'>red</span> when smaller (a direction, not a "
        "judgement: less travel or a smaller gap is better). Against the record: each plan "
        "scaled to a 30-day month of the whole country, beside the record "
        "(data/facts/campaign_history.csv); a plan written before these figures existed "
        "shows —. Capacity: a light team-day has under half its working minutes out; light "
        "and idle days are counted by why (nothing the rules allow is left in the team's "
        "territory, or what is left does not fit in a day). Marginal figures: the plan's "
        "extra expected enrolments divided by its extra team-days used, km or teams (— when "
        "that resource did not change).",
    },
    "compare.sweep_heading": {"vi": "Đường cong thử thay đổi", "en": "Sweep"},
    "compare.sweep_alt": {
        "vi": "số người tiếp cận và tham gia dự kiến theo giá trị được thay đổi",
        "en": "expected reach and enrolments against the varied field",
    },
    "compare.map_heading": {"vi": "Bản đồ", "en": "Map"},
    "compare.no_map": {
        "vi": "Không có bản đồ: không có dữ liệu địa lý của các kế hoạch.",
        "en": "No map: the geography of the plans was not available.",
    },
    "compare.map_left_out": {"vi": "bỏ bản đồ: {error}", "en": "map left out: {error}"},
    "compare.top_provinces": {
        "vi": "Chênh lệch lớn nhất theo tỉnh ({n} tỉnh đầu)",
        "en": "Top differences by province (first {n})",
    },
    "compare.top_groups": {
        "vi": "Chênh lệch lớn nhất theo {level} ({n} đầu tiên)",
        "en": "Top differences by {level} (first {n})",
    },
    "compare.teams_heading": {"vi": "Thay đổi của từng đội", "en": "Changes per team"},
    "compare.baseline_mark": {"vi": " (gốc)", "en": " (baseline)"},
    "compare.baseline_column": {"vi": "{label} (gốc)", "en": "{label} (baseline)"},
    "compare.not_planned": {"vi": "không có trong kế hoạch", "en": "not planned"},
    "compare.no_units": {"vi": "Không kế hoạch nào có {level}.", "en": "No {level} in any plan."},
    "compare.code": {"vi": "mã", "en": "code"},
    "compare.name": {"vi": "tên", "en": "name"},
    "compare.unit_reach": {"vi": "{label}: tiếp cận", "en": "{label} reach"},
    "compare.unit_reach_baseline": {
        "vi": "{label}: tiếp cận (gốc)",
        "en": "{label} reach (baseline)",
    },
    "compare.unit_enrolments": {"vi": "{label}: Δ người tham gia", "en": "{label} Δ enrolments"},
    "compare.new_team": {"vi": " (đội mới)", "en": " (new team)"},
    "compare.team_gone": {"vi": " (đội không còn)", "en": " (team gone)"},
    "compare.stops": {"vi": "điểm dừng", "en": "stops"},
    "compare.against": {"vi": "{plan} so với {baseline}", "en": "{plan} against {baseline}"},
    "compare.teams_not_compared": {
        "vi": "Không so sánh các đội (không có đội chung).",
        "en": "Teams not compared (no team in common).",
    },
    "compare.teams_changed": {
        "vi": "{changed:,} đội thay đổi, {unchanged:,} đội giữ nguyên (đội mới hoặc đội không "
        "còn được tính là thay đổi). Một điểm dừng cùng ngày là giữ nguyên (thứ tự trong ngày "
        "có thể khác); sang ngày khác là dời ngày.",
        "en": "{changed:,} teams changed, {unchanged:,} unchanged (a new or gone team counts as "
        "changed). A stop on the same day is kept (its place in the day may differ); on "
        "another day it moved.",
    },
    "compare.team": {"vi": "đội", "en": "team"},
    "compare.kept": {"vi": "giữ nguyên", "en": "kept"},
    "compare.change.added": {"vi": "thêm", "en": "added"},
    "compare.change.removed": {"vi": "bỏ", "en": "removed"},
    "compare.change.moved": {"vi": "dời ngày", "en": "moved"},
    "compare.more_teams": {
        "vi": "Còn {n:,} đội thay đổi nữa: xem team_changes.csv.",
        "en": "{n:,} more teams changed: see team_changes.csv.",
    },
    "compare.where_heading": {"vi": "Các kế hoạch khác nhau ở đâu", "en": "Where the plans differ"},
    "compare.difference_in_reach": {
        "vi": "Chênh lệch số người tiếp cận dự kiến:",
        "en": "Difference in expected reach:",
    },
    "compare.by": {"vi": "theo", "en": "by"},
    "compare.province": {"vi": "tỉnh", "en": "province"},
    "compare.map_note": {
        "vi": "Ranh giới là gần đúng (ô Voronoi quanh trung tâm xã, cắt theo bờ biển), không "
        "phải ranh giới chính thức. Đỏ: ít người được tiếp cận hơn kế hoạch gốc; xanh: nhiều "
        "hơn. Bấm vào một vùng để xem số liệu của mọi kế hoạch.",
        "en": "Boundaries are approximate (Voronoi cells of commune centroids clipped to the "
        "coastline), not official. Red: fewer people reached than the baseline; blue: more. "
        "Click a unit for every plan's figures.",
    },
    "compare.approximate": {"vi": "ranh giới gần đúng", "en": "approximate boundaries"},
    "compare.reach": {"vi": "tiếp cận", "en": "reach"},
    "compare.enrolments": {"vi": "tham gia", "en": "enrolments"},
    "compare.reached_tooltip": {
        "vi": "{name}: {difference} người được tiếp cận",
        "en": "{name}: {difference} reached",
    },
    "compare.legend_fewer": {"vi": "ít hơn {low} đến {high}", "en": "{low} to {high} fewer"},
    "compare.legend_fewer_up_to": {"vi": "ít hơn tới {high}", "en": "up to {high} fewer"},
    "compare.legend_no_change": {"vi": "không đổi", "en": "no change"},
    "compare.legend_more_up_to": {"vi": "nhiều hơn tới {high}", "en": "up to {high} more"},
    "compare.legend_more": {"vi": "nhiều hơn {low} đến {high}", "en": "{low} to {high} more"},
    "compare.none": {"vi": "không có", "en": "none"},
    "compare.note_line": {"vi": "lưu ý: {note}", "en": "note: {note}"},
    "compare.written": {"vi": "-> {page}", "en": "-> {page}"},
    # the rows of the side-by-side table
    "compare.row.title": {"vi": "tên kế hoạch", "en": "title"},
    "compare.row.scenario": {"vi": "kịch bản", "en": "scenario"},
    "compare.row.structure": {"vi": "cấu trúc hành chính", "en": "structure"},
    "compare.row.provinces": {"vi": "số tỉnh", "en": "provinces"},
    "compare.row.band": {"vi": "người tham gia P10–P90", "en": "enrolments p10–p90"},
    "compare.row.teams_changed": {
        "vi": "đội thay đổi / giữ nguyên",
        "en": "teams changed / unchanged",
    },
    "compare.row.stops_added": {"vi": "  điểm dừng thêm", "en": "  stops added"},
    "compare.row.stops_removed": {"vi": "  điểm dừng bỏ", "en": "  stops removed"},
    "compare.row.stops_moved": {"vi": "  điểm dừng dời ngày", "en": "  stops moved"},
    "compare.row.warnings": {"vi": "  cảnh báo", "en": "  warnings"},
    "compare.row.marginal_heading": {
        "vi": "người tham gia mới (dự kiến) so với kế hoạch gốc",
        "en": "new participants (expected enrolments) against the baseline",
    },
    "compare.row.left_out": {"vi": "  bỏ lại: {reason}", "en": "  left out: {reason}"},
    "compare.metric.expected_reach": {"vi": "số người tiếp cận dự kiến", "en": "expected reach"},
    "compare.metric.expected_enrolments": {
        "vi": "số người tham gia dự kiến",
        "en": "expected enrolments",
    },
    "compare.metric.enrolments_p10": {"vi": "người tham gia P10", "en": "enrolments p10"},
    "compare.metric.enrolments_p50": {"vi": "người tham gia P50", "en": "enrolments p50"},
    "compare.metric.enrolments_p90": {"vi": "người tham gia P90", "en": "enrolments p90"},
    "compare.metric.conferences": {"vi": "hội nghị", "en": "conferences"},
    "compare.metric.passes": {"vi": "lượt tuyên truyền", "en": "passes"},
    "compare.metric.team_days": {"vi": "ngày-đội đã dùng", "en": "team-days used"},
    "compare.metric.team_days_available": {
        "vi": "ngày-đội có thể dùng",
        "en": "team-days available",
    },
    "compare.metric.travel_km": {"vi": "quãng đường (km)", "en": "travel km"},
    "compare.metric.objective": {"vi": "giá trị mục tiêu", "en": "value"},
    "compare.metric.upper_bound": {"vi": "cận trên", "en": "upper bound"},
    "compare.metric.gap": {"vi": "khoảng cách tới cận trên", "en": "gap to bound"},
    "compare.metric.unserved_communes": {"vi": "xã bị bỏ lại", "en": "communes left out"},
    "compare.metric.teams": {"vi": "đội có tuyến", "en": "teams with a route"},
    "compare.metric.history.scale": {
        "vi": "hệ số quy ra tháng toàn quốc (x)",
        "en": "scale to a national month (x)",
    },
    "compare.metric.history.new_participants_month": {
        "vi": "người tham gia mới một tháng",
        "en": "new participants a month",
    },
    "compare.metric.history.best_month_new_participants": {
        "vi": "tháng cao nhất từng có",
        "en": "best month on record",
    },
    "compare.metric.history.new_participants_vs_best_month": {
        "vi": "kế hoạch / tháng cao nhất",
        "en": "plan / best month",
    },
    "compare.metric.history.new_participants_plan_days": {
        "vi": "người tham gia mới trong các ngày của kế hoạch",
        "en": "new participants in the plan's own days",
    },
    "compare.metric.history.plan_days_vs_best_month": {
        "vi": "các ngày của kế hoạch / tháng cao nhất",
        "en": "plan's own days / best month",
    },
    "compare.metric.history.conferences_month": {
        "vi": "hội nghị một tháng",
        "en": "conferences a month",
    },
    "compare.metric.history.record_conferences_2019_month": {
        "vi": "hội nghị năm 2019, trung bình một tháng",
        "en": "2019's conferences, average month",
    },
    "compare.metric.history.conferences_vs_2019_month": {
        "vi": "kế hoạch / một tháng năm 2019",
        "en": "plan / 2019 month",
    },
    "compare.metric.history.conferences_vs_launch_day_groups": {
        "vi": "kế hoạch / số nhóm ngày phát động 2022",
        "en": "plan / groups of the 2022 launch day",
    },
    "compare.metric.history.people_reached_directly_month": {
        "vi": "người được tiếp cận trực tiếp một tháng",
        "en": "people reached directly a month",
    },
    "compare.metric.history.people_reached_directly_vs_launch_day": {
        "vi": "kế hoạch / ngày phát động 2022",
        "en": "plan / the 2022 launch day",
    },
    "compare.metric.realism.share_outside_territory": {
        "vi": "điểm dừng ngoài địa bàn của đội",
        "en": "stops outside the team's territory",
    },
    "compare.metric.realism.conferences_per_team_week": {
        "vi": "hội nghị mỗi đội mỗi tuần",
        "en": "conferences per team-week",
    },
    "compare.metric.realism.new_participants_per_conference": {
        "vi": "người tham gia mới mỗi hội nghị",
        "en": "new participants per conference",
    },
    "compare.metric.realism.record_new_participants_per_conference_2019_ceiling": {
        "vi": "  số liệu: mức cao nhất năm 2019",
        "en": "  record: 2019 ceiling",
    },
    "compare.metric.realism.record_new_participants_per_group_launch_day": {
        "vi": "  số liệu: ngày phát động 2022, mỗi nhóm",
        "en": "  record: 2022 launch day, per group",
    },
    "compare.metric.realism.share_of_attendees_joining": {
        "vi": "người dự tham gia BHXH",
        "en": "attendees who join",
    },
    "compare.metric.realism.record_share_joining_launch_day": {
        "vi": "  số liệu: ngày phát động 2022",
        "en": "  record: 2022 launch day",
    },
    "compare.metric.capacity.team_days_with_work": {"vi": "có việc", "en": "with work"},
    "compare.metric.capacity.team_days_full": {"vi": "  đủ việc", "en": "  full"},
    "compare.metric.capacity.team_days_light": {
        "vi": "  nhẹ (ra ngoài dưới nửa ngày)",
        "en": "  light (under half a day out)",
    },
    "compare.metric.capacity.team_days_idle": {"vi": "không có việc", "en": "idle"},
    "compare.metric.capacity.spare_because_territory_exhausted": {
        "vi": "nhẹ hoặc trống: địa bàn hết việc",
        "en": "light or idle: territory has nothing left",
    },
    "compare.metric.capacity.spare_because_nothing_fits": {
        "vi": "nhẹ hoặc trống: việc còn lại không vừa",
        "en": "light or idle: what is left does not fit",
    },
    "compare.metric.capacity.spare_because_not_needed": {
        "vi": "nhẹ hoặc trống: không cần (kế hoạch gọn)",
        "en": "light or idle: not needed (compact plan)",
    },
    "compare.metric.capacity.average_hours_out": {
        "vi": "số giờ ra ngoài trung bình mỗi ngày-đội",
        "en": "average hours out a team-day",
    },
    "compare.metric.marginal.enrolments_per_team_day": {
        "vi": "mỗi ngày-đội tăng thêm",
        "en": "per extra team-day used",
    },
    "compare.metric.marginal.enrolments_per_km": {"vi": "mỗi km tăng thêm", "en": "per extra km"},
    "compare.metric.marginal.enrolments_per_team": {
        "vi": "mỗi đội tăng thêm",
        "en": "per extra team",
    },
    "compare.section.history": {
        "vi": "so với lịch sử (kế hoạch quy ra một tháng toàn quốc)",
        "en": "against the record (the plan as a national month)",
    },
    "compare.section.realism": {"vi": "tính thực tế", "en": "realism"},
    "compare.section.capacity": {"vi": "năng lực (ngày-đội)", "en": "capacity (team-days)"},
    "compare.warning.new_participants_implausible": {
        "vi": "khó tin (>1,5 lần tháng cao nhất)",
        "en": "implausible (>1.5x best month)",
    },
    "compare.warning.new_participants_above_best_month": {
        "vi": "vượt tháng cao nhất",
        "en": "above the best month",
    },
    "compare.warning.conferences_above_twice_launch_day_groups": {
        "vi": "hội nghị >2 lần ngày phát động 2022",
        "en": "conferences >2x 2022 launch day",
    },
    "compare.level_cap.district": {"vi": "huyện", "en": "District"},
    "compare.level_cap.cluster": {"vi": "cụm xã", "en": "Cluster"},
    "compare.level_cap.group": {"vi": "nhóm", "en": "Group"},
    "compare.group.district": {"vi": "huyện", "en": "district"},
    "compare.group.cluster": {"vi": "cụm xã", "en": "cluster"},
    "compare.group.group": {"vi": "nhóm", "en": "group"},
    # the notes under a comparison
    "compare.note.summed": {
        "vi": "Số liệu theo {level} được cộng từ schedule.csv và unserved.csv; ngày-đội, quãng "
        "đường và cận trên chỉ có theo tỉnh.",
        "en": "{level} figures are summed from schedule.csv and unserved.csv; team-days, "
        "travel and the bound are known per province.",
    },
    "compare.note.other_provinces": {
        "vi": "Các kế hoạch gồm những tỉnh khác nhau: nơi một kế hoạch không có được tính là 0 "
        "khi so sánh.",
        "en": "The plans cover different provinces: a place a plan does not cover counts as 0 "
        "in its differences.",
    },
    "compare.note.no_common_team": {
        "vi": "{label}: không có đội chung với kế hoạch gốc; không so sánh các đội.",
        "en": "{label}: no team in common with the baseline; teams not compared.",
    },
    "compare.note.structures": {
        "vi": "Không so sánh các đội: các kế hoạch theo hai cấu trúc hành chính khác nhau.",
        "en": "Teams are not compared: the plans are on different structures.",
    },
    "compare.note.record": {
        "vi": "So với lịch sử: số liệu của mỗi kế hoạch quy ra một tháng 30 ngày trên cả nước "
        "(x 30 / số ngày chiến dịch, / tỷ lệ số người mục tiêu của kế hoạch trên cả nước), đặt "
        "cạnh data/facts/campaign_history.csv.",
        "en": "Against the record: each plan's figures scaled to a 30-day month of the whole "
        "country (x 30 / campaign days, / the plan's share of the country's target people), "
        "beside data/facts/campaign_history.csv.",
    },
    "compare.note.no_block": {
        "vi": "{label}: summary.json không có khối {blocks} (được ghi trước khi có khối này); "
        "hiện là —.",
        "en": "{label}: summary.json has no {blocks} block (written before it existed); "
        "shown as —.",
    },
    "compare.note.crosswalk": {
        "vi": "Kế hoạch năm 2020 được so sánh theo cấu trúc 2025: tỉnh được ghép nguyên tỉnh "
        "({merged}); trong {communes:,} xã năm 2020, {inside:,} xã nằm trong một xã 2025 của "
        "tỉnh mình, {snapped:,} xã lấy xã gần nhất ({other:,} rơi vào ô của tỉnh khác, "
        "{outside:,} không thuộc ô nào; xa nhất {km:.1f} km); ranh giới xã là ô Voronoi gần "
        "đúng nên số liệu dưới cấp tỉnh là gần đúng; cấp huyện không còn từ 2025 nên được so "
        "sánh theo cụm xã.",
        "en": "2020 plans compared in the 2025 structure: provinces mapped whole ({merged}); "
        "of {communes:,} 2020 communes, {inside:,} lie in a 2025 commune of their province, "
        "{snapped:,} took the nearest one ({other:,} fell in another province's cell, "
        "{outside:,} in no cell; at most {km:.1f} km); commune polygons are approximate "
        "Voronoi cells, so figures below the province are approximate; districts do not "
        "exist in 2025 and are compared as clusters.",
    },
    # errors of planner compare
    "compare.error.too_few": {
        "vi": "cần ít nhất hai thư mục kế hoạch để so sánh, nhận được {n}",
        "en": "give at least two plan folders to compare, got {n}",
    },
    "compare.error.too_few_plans": {
        "vi": "cần ít nhất hai kế hoạch để so sánh, nhận được {n}",
        "en": "give at least two plans to compare, got {n}",
    },
    "compare.error.structures": {
        "vi": "không so sánh được các kế hoạch theo cấu trúc {structures}; cần cùng một cấu "
        "trúc, hoặc '2020' và '2025'",
        "en": "plans on structures {structures} cannot be compared; expected one structure, "
        "or '2020' and '2025'",
    },
    "compare.error.labels_count": {
        "vi": "--labels: {labels} tên cho {plans} kế hoạch; cần một tên cho mỗi kế hoạch",
        "en": "--labels: {labels} labels for {plans} plans; give one per plan",
    },
    "compare.error.labels_distinct": {
        "vi": "--labels: mỗi kế hoạch cần một tên khác nhau, không để trống",
        "en": "--labels: expected a different, non-empty label for each plan",
    },
    "compare.error.would_replace": {
        "vi": "{out}: thư mục này chứa kế hoạch {plan} và sẽ bị thay thế; hãy chọn --out khác",
        "en": "{out}: this folder holds the plan {plan} and would be replaced; give another --out",
    },
    "compare.error.no_2020_communes": {
        "vi": "chưa nạp được xã nào của cấu trúc 2020; không thể chuyển sang cấu trúc 2025",
        "en": "no 2020 communes loaded; cannot map them to 2025",
    },
    # -- planner sweep: the lines, the picture, and the varied fields in words
    "sweep.header": {
        "vi": "{fields}: số người tiếp cận, tham gia, hội nghị, ngày-đội",
        "en": "{fields}: reach, enrolments, conferences, team-days",
    },
    "sweep.point": {
        "vi": "  {values}: tiếp cận {reach:,.0f}, tham gia {enrolments:,.0f}, {conferences:,} "
        "hội nghị, {team_days:,} ngày-đội",
        "en": "  {values}: reach {reach:,.0f}, enrolments {enrolments:,.0f}, {conferences} "
        "conferences, {team_days} team-days",
    },
    "sweep.written": {"vi": "-> {csv}, {page}, {png}", "en": "-> {csv}, {page}, {png}"},
    "sweep.label": {"vi": "{field} = {value}", "en": "{field} = {value}"},
    "sweep.error.syntax": {
        "vi": "--vary {option}: cần dạng FIELD=V1,V2,... với tên trường kịch bản có dấu chấm, "
        "ví dụ teams.rule.teams_per_group=1,2,3",
        "en": "--vary {option}: expected FIELD=V1,V2,... with a dotted scenario field, "
        "e.g. teams.rule.teams_per_group=1,2,3",
    },
    "sweep.error.values": {
        "vi": "--vary {option}: cần ít nhất một giá trị sau '=', không giá trị nào để trống",
        "en": "--vary {option}: expected at least one value after '=', none empty",
    },
    "sweep.error.twice": {
        "vi": "--vary {option}: có một giá trị được ghi hai lần",
        "en": "--vary {option}: a value is given twice",
    },
    "sweep.error.fields": {
        "vi": "cần một hoặc hai tùy chọn --vary, nhận được {n}",
        "en": "give one or two --vary options, got {n}",
    },
    "sweep.error.same_field": {
        "vi": "--vary: cùng một trường được ghi hai lần",
        "en": "--vary: the same field is given twice",
    },
    "sweep.error.too_many": {
        "vi": "--vary: {n} phương án, một lần thử nhiều nhất {limit}",
        "en": "--vary: {n} variants, at most {limit} in one sweep",
    },
    "sweep.error.same_name": {
        "vi": "--vary: hai phương án có cùng tên; hãy dùng các giá trị khác nhau về chữ hoặc số",
        "en": "--vary: two variants get the same name; use values that differ in letters or digits",
    },
    "chart.reach": {"vi": "Số người tiếp cận dự kiến (người)", "en": "Expected reach (people)"},
    "chart.enrolments": {"vi": "Số người tham gia dự kiến", "en": "Expected enrolments"},
    "chart.band": {"vi": " (vùng tô: P10–P90)", "en": " (shaded: p10–p90)"},
    "chart.line": {"vi": "{field} = {value}", "en": "{field} = {value}"},
    "field.teams.rule.teams_per_group": {
        "vi": "Số đội mỗi huyện/cụm",
        "en": "Teams per district/cluster",
    },
    "field.teams.rule.crew": {"vi": "Số người mỗi đội", "en": "Crew per team"},
    "field.teams.rule.vehicle": {"vi": "Phương tiện của đội", "en": "Team vehicle"},
    "field.teams.weekdays": {"vi": "Các ngày làm việc trong tuần", "en": "Working weekdays"},
    "field.teams.territory": {"vi": "Địa bàn của đội", "en": "Team territory"},
    "field.campaign.start": {"vi": "Ngày bắt đầu chiến dịch", "en": "Campaign start"},
    "field.campaign.end": {"vi": "Ngày kết thúc chiến dịch", "en": "Campaign end"},
    "field.conferences.max_per_team_week": {
        "vi": "Số hội nghị tối đa mỗi đội mỗi tuần",
        "en": "Conferences per team-week, at most",
    },
    "field.conferences.max_per_venue": {
        "vi": "Số hội nghị tối đa mỗi địa điểm",
        "en": "Conferences per venue, at most",
    },
    "field.conferences.show_up": {"vi": "Tỷ lệ đến dự hội nghị", "en": "Conference show-up"},
    "field.conferences.conversion": {
        "vi": "Tỷ lệ tham gia sau hội nghị",
        "en": "Conference conversion",
    },
    "field.propaganda.reach_share": {
        "vi": "Tỷ lệ tiếp cận mỗi lượt tuyên truyền",
        "en": "Reach share of a pass",
    },
    "field.propaganda.conversion": {
        "vi": "Tỷ lệ tham gia sau tuyên truyền",
        "en": "Pass conversion",
    },
    "field.propaganda.max_passes": {
        "vi": "Số lượt tuyên truyền tối đa mỗi xã",
        "en": "Passes per commune, at most",
    },
    "field.covid.default_level": {"vi": "Mức quy định chung", "en": "Default rule level"},
    "field.solver.time_limit_seconds": {
        "vi": "Thời gian giải mỗi tỉnh (giây)",
        "en": "Solver time per province (s)",
    },
    # -- solver statuses and the rule levels of the shipped scenarios
    "status.OPTIMAL": {"vi": "Tối ưu", "en": "Optimal"},
    "status.FEASIBLE": {"vi": "Khả thi (chưa chứng minh tối ưu)", "en": "Feasible"},
    "status.INFEASIBLE": {"vi": "Không có lời giải", "en": "Infeasible"},
    "status.UNKNOWN": {"vi": "Chưa tìm được lời giải", "en": "Unknown"},
    "status.MODEL_INVALID": {"vi": "Mô hình không hợp lệ", "en": "Model invalid"},
    "status.NO_TEAMS": {"vi": "Không có đội", "en": "No teams"},
    "status.ROUTING_ONLY": {
        "vi": "Chỉ lập lộ trình (không có hội nghị, mỗi xã một lượt)",
        "en": "Routing only (no conferences, one pass per commune)",
    },
    "level.open": {"vi": "Bình thường (không giới hạn tụ tập)", "en": "Open (no gathering cap)"},
    "level.d19_low": {
        "vi": "Chỉ thị 19, vùng nguy cơ thấp (tối đa 30 người)",
        "en": "Directive 19, low risk (up to 30 people)",
    },
    "level.d19_medium": {
        "vi": "Chỉ thị 19, vùng nguy cơ trung bình (tối đa 20 người)",
        "en": "Directive 19, medium risk (up to 20 people)",
    },
    "level.d16": {
        "vi": "Chỉ thị 16, giãn cách xã hội (tối đa 2 người)",
        "en": "Directive 16, social distancing (up to 2 people)",
    },
    "level.isolated": {"vi": "Cách ly, phong tỏa", "en": "Isolated"},
    # -- why a place is not served: the solver's details, as the workbook shows them
    "detail.isolated_every_day": {
        "vi": "bị cách ly mọi ngày của chiến dịch ({level})",
        "en": "isolated on every campaign day ({level})",
    },
    "detail.isolated_or_forbidden": {
        "vi": "bị cách ly {isolated} ngày và quy định đang áp dụng cấm tuyên truyền {forbidden} "
        "ngày",
        "en": "isolated on {isolated} days and passes forbidden by the rule in force on "
        "{forbidden} days",
    },
    "detail.no_passes": {
        "vi": "kịch bản không cho phép tuyên truyền lưu động",
        "en": "the scenario allows no propaganda passes",
    },
    "detail.boat_only": {
        "vi": "xã đảo chỉ đến được bằng thuyền; kịch bản không có chuyến thuyền tới đó (thêm "
        "[[boat.crossings]] từ một bến mà đội có thể lái xe tới)",
        "en": "island commune reachable by boat only; the scenario gives no boat to it (add a "
        "[[boat.crossings]] from a pier its team can drive to)",
    },
    "detail.too_far": {
        "vi": "không có nơi xuất phát nào trong phạm vi đi về trong ngày (đi, tuyên truyền và về)",
        "en": "no team base is within a day trip (there, the pass and back)",
    },
    "detail.no_open_day": {
        "vi": "không đội nào đến được lại làm việc vào một ngày quy định cho phép tuyên truyền",
        "en": "no team that can reach it works on a day the rules allow a pass",
    },
    "detail.fully_booked": {
        "vi": "mọi đội đến được đều kín lịch vào những ngày được phép; thêm xã này cần thêm "
        "{minutes} phút trong ngày-đội ít tốn nhất",
        "en": "every team that can reach it is fully booked on the days it is open; adding it "
        "would need {minutes} more minutes in the cheapest team-day",
    },
    "detail.outside_territories": {
        "vi": "ngoài địa bàn của mọi đội: không đội nào làm việc ở {group} {code} ({name}); hãy "
        "cho mượn một đội ([[teams.loans]]) hoặc mở rộng teams.territory",
        "en": "outside every team's territory: no team works in {group} {code} ({name}); lend "
        "one ([[teams.loans]]) or widen teams.territory",
    },
    "detail.island_group": {
        "vi": "{group} đảo không có xã trong dữ liệu; chỉ đến được bằng thuyền, các tuyến của "
        "đội không đi thuyền",
        "en": "island {group} with no communes in the data; reachable by boat only, which team "
        "routes do not cover",
    },
    "detail.minimum_not_met": {
        "vi": "mức tối thiểu {minimum} {what} của {group} chưa đạt: có {count} trong kế hoạch; "
        "{rest}",
        "en": "{group} minimum of {minimum} {what} not met: {count} planned; {rest}",
    },
    "detail.communes_left_out_for": {
        "vi": "các xã của nó bị bỏ lại vì: {reasons}",
        "en": "its communes were left out for: {reasons}",
    },
    "detail.no_venue": {
        "vi": "không có bưu điện nào để tổ chức hội nghị",
        "en": "it has no post office to hold a conference in",
    },
    "detail.conference_forbidden": {
        "vi": "mọi ngày của chiến dịch, các địa điểm của nó bị cách ly, hội nghị bị cấm, hoặc "
        "giới hạn tụ tập (hay hội trường với khoảng cách quy định) không còn chỗ",
        "en": "on every campaign day its venues are isolated, conferences are forbidden, or the "
        "gathering cap (or the hall at the spacing required) leaves no seat",
    },
    "detail.no_crew": {
        "vi": "không đội nào đủ người để tổ chức hội nghị",
        "en": "no team has the crew a conference needs",
    },
    "detail.no_conference_slot": {
        "vi": "các đội đến được địa điểm của nó không còn buổi hội nghị hay thời gian trống vào "
        "những ngày được phép",
        "en": "the teams that can reach its venues had no free conference slot or time on the "
        "days they were open",
    },
    "word.passes": {"vi": "lượt tuyên truyền", "en": "passes"},
    "word.conferences": {"vi": "hội nghị", "en": "conferences"},
    "word.province": {"vi": "tỉnh", "en": "province"},
    "word.commune": {"vi": "xã", "en": "commune"},
    "word.district": {"vi": "huyện", "en": "district"},
    "word.cluster": {"vi": "cụm xã", "en": "cluster"},
    "word.or": {"vi": "{first} hoặc {second}", "en": "{first} or {second}"},
    # -- warnings, and the frame of `python -m planner.fieldwork` / `planner.calibrate`
    "warning.line": {"vi": "planner: cảnh báo: {message}", "en": "planner: warning: {message}"},
    # -- geographic data files: planner/geo/load.py and planner/geo/_validate.py (DataError)
    "geo.cannot_read": {"vi": "không đọc được ({reason})", "en": "cannot be read ({reason})"},
    "geo.none_in_file": {
        "vi": "tệp không có {what}; cần ít nhất một",
        "en": "no {what} in the file; expected at least one",
    },
    "geo.what.provinces": {"vi": "tỉnh{scope}", "en": "provinces{scope}"},
    "geo.what.communes": {"vi": "xã{scope}", "en": "communes{scope}"},
    "geo.what.post_offices": {"vi": "bưu điện{scope}", "en": "post offices{scope}"},
    "geo.what.rows": {"vi": "dòng dữ liệu{scope}", "en": "rows{scope}"},
    "geo.what.districts": {"vi": "huyện{scope}", "en": "districts{scope}"},
    "geo.what.clusters": {"vi": "cụm xã{scope}", "en": "clusters{scope}"},
    "geo.scope_one": {"vi": " của tỉnh {codes}", "en": " of province {codes}"},
    "geo.scope_many": {"vi": " của các tỉnh {codes}", "en": " of provinces {codes}"},
    "geo.no_value": {
        "vi": "không có giá trị (trống hoặc NaN); cần một số hữu hạn",
        "en": "no value (blank or NaN); expected a finite number",
    },
    "geo.not_finite": {
        "vi": "{value} không phải số hữu hạn; cần một số hữu hạn",
        "en": "{value} is not finite; expected a finite number",
    },
    "geo.code_unknown": {
        "vi": "'{code}' không có trong {known_as}",
        "en": "'{code}' is not in {known_as}",
    },
    "geo.known.layer_of": {"vi": "lớp '{layer}' của {path}", "en": "layer '{layer}' of {path}"},
    "geo.known.communes_of": {"vi": "các xã của {source}", "en": "the communes of {source}"},
    "geo.codes_disagree": {
        "vi": "'{given}' không khớp với {because} ('{wanted}')",
        "en": "'{given}' does not match {because} ('{wanted}')",
    },
    "geo.because.group_province_in": {
        "vi": "tỉnh của {group} chứa nó trong {path}",
        "en": "the province of its {group} in {path}",
    },
    "geo.because.commune_group": {
        "vi": "{group} của xã chứa nó",
        "en": "the {group} of its commune",
    },
    "geo.because.group_province": {
        "vi": "tỉnh của {group} chứa nó",
        "en": "the province of its {group}",
    },
    "geo.no_geometry_column": {
        "vi": "không có cột hình học; cần {what} có hình",
        "en": "no geometry column; expected {what} with shapes",
    },
    "geo.point_not_in_vietnam": {
        "vi": "vị trí vĩ độ {lat}, kinh độ {lon} không thuộc Việt Nam; cần một điểm trong {areas}",
        "en": "position lat {lat}, lon {lon} is not in Vietnam; expected a point in {areas}",
    },
    "geo.layer_cannot_read": {
        "vi": "lớp '{layer}' không đọc được ({reason})",
        "en": "layer '{layer}' cannot be read ({reason})",
    },
    "geo.implausible_people": {
        "vi": "{shown} là nhiều người hơn mức hợp lý cho {unit}; cần nhiều nhất {limit:,}{note}",
        "en": "{shown} is more people than is plausible for {unit}; expected at most {limit:,}{note}",
    },
    "geo.implausible_count": {
        "vi": "{shown} không phải một số đếm hợp lý; cần nhiều nhất {limit:,}",
        "en": "{shown} is not a plausible count; expected at most {limit:,}",
    },
    "geo.most_populous_note": {
        "vi": " (xã đông dân nhất trong data/geo có 253.300 người)",
        "en": " (the most populous commune in data/geo has 253,300)",
    },
    "geo.unit.one_commune": {"vi": "một xã", "en": "one commune"},
    "geo.not_utf8": {
        "vi": "không phải văn bản UTF-8: byte 0x{byte_hex} ở vị trí {offset} (dòng {line}) "
        "không hợp lệ; hãy lưu tệp dạng UTF-8 (Excel: 'CSV UTF-8')",
        "en": "not UTF-8 text: byte 0x{byte_hex} at byte offset {offset} (line {line}) is not "
        "valid UTF-8; save the file as UTF-8 (Excel: 'CSV UTF-8')",
    },
    "geo.no_crs": {
        "vi": "không có hệ tọa độ (CRS); cần EPSG:4326 hoặc một CRS mà pyproj biết",
        "en": "no coordinate reference system; expected EPSG:4326 or any CRS pyproj knows",
    },
    "geo.no_geometry": {
        "vi": "đối tượng không có hình học; cần một hình",
        "en": "feature has no geometry; expected a shape",
    },
    "geo.empty_geometry": {
        "vi": "hình học rỗng; cần một hình không rỗng",
        "en": "geometry is empty; expected a non-empty shape",
    },
    "geo.geometry_type": {
        "vi": "hình học là {found}; cần {allowed}",
        "en": "geometry is a {found}; expected {allowed}",
    },
    "geo.outside_vietnam": {
        "vi": "tọa độ nằm ngoài Việt Nam ({where}); {hint}",
        "en": "coordinates outside Vietnam ({where}); {hint}",
    },
    "geo.hint_swapped": {
        "vi": "vĩ độ và kinh độ có vẻ bị đảo; cần kinh độ (lon) 100..118, vĩ độ (lat) 6..24",
        "en": "latitude and longitude look swapped; expected lon 100..118, lat 6..24",
    },
    "geo.hint_metres": {
        "vi": "đây có vẻ là mét của một phép chiếu, không phải độ: CRS của tệp bị thiếu hoặc sai "
        "(GeoJSON không có CRS được đọc là EPSG:4326)",
        "en": "these look like projected metres, not degrees: the file's CRS is missing or wrong "
        "(a GeoJSON without a CRS is read as EPSG:4326)",
    },
    "geo.hint_crs": {
        "vi": "cần kinh độ (lon) 100..118, vĩ độ (lat) 6..24 (EPSG:4326); CRS của tệp có đúng "
        "không?",
        "en": "expected lon 100..118, lat 6..24 (EPSG:4326); is the file's CRS right?",
    },
    "geo.invalid_geometry": {
        "vi": "hình học không hợp lệ ({reason}); hãy sửa bằng phần mềm GIS (QGIS: 'Fix "
        "geometries') rồi nạp lại",
        "en": "invalid geometry ({reason}); fix it in a GIS (QGIS: 'Fix geometries') and reload",
    },
    "geo.bool_codes": {
        "vi": "mã là giá trị true/false; cần mã dạng chữ",
        "en": "codes are true/false values; expected text codes",
    },
    "geo.no_code": {
        "vi": "không có mã; dòng nào cũng cần mã",
        "en": "no code; every row needs one",
    },
    "geo.code_not_whole": {
        "vi": "mã {value} không phải số nguyên; cần mã dạng chữ",
        "en": "code {value} is not a whole number; expected a text code",
    },
    "geo.no_text": {"vi": "không có giá trị; cần văn bản", "en": "no value; expected text"},
    "geo.not_one_of": {
        "vi": "'{value}' không phải một trong {choices}",
        "en": "'{value}' is not one of {choices}",
    },
    "geo.bool_numbers": {
        "vi": "giá trị true/false; cần số",
        "en": "true/false values; expected numbers",
    },
    "geo.not_decimal": {
        "vi": "'{value}' không phải là số; cần số thập phân như 21.1667",
        "en": "'{value}' is not a number; expected a decimal number such as 21.1667",
    },
    "geo.negative": {
        "vi": "{value} là số âm; cần >= 0",
        "en": "{value} is negative; expected >= 0",
    },
    "geo.no_hall_area": {
        "vi": "điểm tổ chức không có diện tích ({value} m2); cần hall_area_m2 > 0",
        "en": "venue with no area ({value} m2); expected hall_area_m2 > 0",
    },
    "geo.not_bool": {
        "vi": "'{value}' không phải true hay false; cần true/false, yes/no hoặc 1/0",
        "en": "'{value}' is not true or false; expected true/false, yes/no or 1/0",
    },
    "geo.target_above_population": {
        "vi": "target_people {target} lớn hơn dân số {people}; cần số đối tượng <= dân số",
        "en": "target_people {target} exceeds population {people}; expected target <= population",
    },
    "geo.unknown_structure": {
        "vi": "không có cấu trúc '{structure}'; cần '2020' hoặc '2025'",
        "en": "unknown structure '{structure}'; expected '2020' or '2025'",
    },
    "geo.no_layer": {
        "vi": "không có lớp {layers} (các lớp có trong tệp: {found}); hãy chạy `planner data "
        "build` để tạo lại",
        "en": "no layer {layers} (layers found: {found}); run `planner data build` to rebuild it",
    },
    "geo.no_provinces_given": {
        "vi": "không có mã tỉnh nào; cần ít nhất một, hoặc bỏ trống để nạp tất cả",
        "en": "no province codes given; expected at least one, or none to load all",
    },
    "geo.province_not_in_layer": {
        "vi": "mã tỉnh '{code}' không có trong lớp provinces của tệp này (các mã có: {known})",
        "en": "province code '{code}' is not in the provinces layer of this file (known: {known})",
    },
    "geo.implausible_population": {
        "vi": "{target:,} người đối tượng tương ứng dân số {population:,} theo tỷ lệ của tỉnh, "
        "nhiều hơn mức hợp lý cho một xã; cần dân số nhiều nhất {limit:,}",
        "en": "{target:,} target people make a population of {population:,} at the province's "
        "ratio, more people than is plausible for one commune; expected a population of at "
        "most {limit:,}",
    },
    "geo.no_post_office": {
        "vi": "không có bưu cục nào nằm trong một xã của {source}; hãy cho danh sách điểm tổ "
        "chức riêng (post_offices_path)",
        "en": "no post office lies in a commune of {source}; give your own venues "
        "(post_offices_path)",
    },
    "geo.venue_no_code": {
        "vi": "không có mã; chỉ bưu cục trung tâm của một huyện không có xã mới được để trống",
        "en": "no code; only a group post office of a district without communes may have none",
    },
    "geo.venue_no_place": {
        "vi": "không có commune_code lẫn group_code; điểm tổ chức cần một trong hai",
        "en": "no commune_code and no group_code; a venue needs one of them",
    },
    "geo.no_layers": {
        "vi": "GeoPackage không có lớp nào; cần ít nhất một",
        "en": "no layers in the GeoPackage; expected at least one",
    },
    "geo.field_count": {
        "vi": "{found} trường nhưng dòng tiêu đề có {expected}; có dấu phẩy nằm trong một giá "
        "trị không đặt trong dấu nháy?",
        "en": "{found} fields but the header has {expected}; is a comma inside an unquoted value?",
    },
    "geo.duplicate_column": {
        "vi": "cột '{name}' xuất hiện hai lần trong dòng tiêu đề: cột {first}{also} và "
        "{position}; mỗi cột chỉ được có một lần",
        "en": "column '{name}' appears twice in the header line: columns {first}{also} and "
        "{position}; expected each column once",
    },
    "geo.as_column": {"vi": " (viết là '{name}')", "en": " (as '{name}')"},
    "geo.control_character": {
        "vi": "ký tự điều khiển U+{code} trong {value}; cần văn bản in được (không tab, không "
        "xuống dòng hay ký tự điều khiển khác)",
        "en": "control character U+{code} in {value}; expected printable text (no tabs, line "
        "breaks or other control characters)",
    },
    "geo.far_from_group": {
        "vi": "xã {code} ({name}) nằm ngoài ranh giới gần đúng của {group_label} {group} "
        "trong {source}, cách {km:.1f} km; cần trong phạm vi {limit:g} km: hãy kiểm tra lat/lon và "
        "group_code; vẫn lập kế hoạch theo số liệu đã cho{more}",
        "en": "commune {code} ({name}) lies {km:.1f} km outside the approximate boundary of its "
        "{group_label} {group} in {source}; expected within {limit:g} km: check its lat/lon "
        "and group_code; planned as given{more}",
    },
    "geo.more_communes": {"vi": "; và {n} xã khác", "en": "; and {n} more communes"},
    # -- planner/geo/_census.py: the 2019 census rows matched to the districts (DataError)
    "census.split_other_districts": {
        "vi": "PUBLISHED_SPLITS của {name} ghi tên những huyện khác với các huyện mà dòng điều "
        "tra dân số 2019 này bao gồm",
        "en": "PUBLISHED_SPLITS of {name} names other districts than the census row covers",
    },
    "census.split_sum": {
        "vi": "số liệu PUBLISHED_SPLITS của {name} cộng lại được {total:,} người, không bằng "
        "tổng {expected:,} người của dòng điều tra dân số 2019",
        "en": "PUBLISHED_SPLITS of {name} add up to {total:,}, not the census row's total of "
        "{expected:,}",
    },
    "census.split_rural_exceeds": {
        "vi": "PUBLISHED_SPLITS của {name}: dân số nông thôn chia cho một huyện vượt quá tổng "
        "dân số đã công bố của huyện đó",
        "en": "PUBLISHED_SPLITS of {name}: rural exceeds a total (the rural population given "
        "to a district is more than its published total)",
    },
    "census.unknown_province": {
        "vi": "không có tỉnh {province} trong bảng dân số các tỉnh (điều tra dân số 2019)",
        "en": "unknown province {province}: not in the province table of the 2019 census",
    },
    "census.province_sum": {
        "vi": "các dòng của tỉnh {province} cộng lại được {total:,} người, bảng dân số các tỉnh "
        "ghi {expected:,} người",
        "en": "province {province} rows sum to {total:,}, the province table says {expected:,}",
    },
    "census.over_assigned": {
        "vi": "tỉnh {province}: các dòng điều tra dân số 2019 đã chia cho các huyện nhiều người "
        "hơn dân số của tỉnh",
        "en": "province {province}: census rows over-assigned (more people given to its "
        "districts than the census counts)",
    },
    "census.nowhere_to_go": {
        "vi": "tỉnh {province}: {people:,} người của các dòng điều tra dân số 2019 không khớp "
        "với huyện nào, và không còn huyện nào chưa khớp để nhận số người này; hãy bổ sung "
        "RENAMED_OR_MERGED",
        "en": "province {province}: {people:,} people of unmatched census rows and no unmatched "
        "district to give them to; extend RENAMED_OR_MERGED",
    },
    "census.renamed_not_one": {
        "vi": "RENAMED_OR_MERGED ghi tên huyện {name}, nhưng tìm thấy {count} huyện như vậy ở "
        "tỉnh {province}; cần đúng một",
        "en": "RENAMED_OR_MERGED names {name}, found {count} such districts in province "
        "{province}; expected exactly one",
    },
    "census.districts_without_rows": {
        "vi": "các huyện thuộc những tỉnh không có dòng điều tra dân số 2019 nào: {codes}",
        "en": "districts in provinces without census rows: {codes}",
    },
    # -- planner/problem.py: the scenario against the data (ScenarioError)
    "problem.base_not_post_office": {
        "vi": "căn cứ '{base}' không phải bưu cục của tỉnh {province}",
        "en": "base '{base}' is not a post office in province {province}",
    },
    "problem.daylight_short": {
        "vi": "đội {team}: thời gian có ánh sáng ban ngày ở căn cứ là {start}-{end}, quá ngắn so "
        "với giờ làm việc; hãy đặt safety.daylight_only = false hoặc đổi giờ làm việc",
        "en": "team {team}: daylight at its base is {start}-{end}, too short for its working "
        "hours; set safety.daylight_only = false or change the hours",
    },
    "problem.no_team_id": {
        "vi": "không có đội nào mã {team}; cần một mã trong teams.list hoặc một mã do quy tắc "
        "lập đội tạo ra, '<tỉnh>-<huyện hoặc cụm>-<k>' như '27-262-1'",
        "en": "no team has id {team}; expected an id of teams.list or one made by the rule, "
        "'<province>-<district or cluster>-<k>' such as '27-262-1'",
    },
    "problem.loan_group_outside": {
        "vi": "{code} không phải {place} của tỉnh {province}, tỉnh của đội {team}; một đội chỉ "
        "được cho mượn trong tỉnh của mình",
        "en": "{code} is not a {place} of province {province}, the province of team {team}; a "
        "team is lent within its province",
    },
    "problem.team_id_of_rule": {
        "vi": "mã đội {team} là mã quy tắc lập đội đặt cho đội {k} của {place} {group} ở tỉnh "
        "{province}; hãy đặt cho đội trong danh sách một mã khác (mã đội đặt tên cho tuyến, "
        "tờ lộ trình, trang bản đồ và các ngày vắng của đội)",
        "en": "team id {team} is the id the team rule gives team {k} of {place} {group} in "
        "province {province}; give the listed team another id (a team id names its routes, "
        "route sheet, map page and absences)",
    },
    "problem.timeline_unknown_code": {
        "vi": "không có {place} nào mã {code} trong cấu trúc {structure} (scope = {scope}); cần "
        "một mã có trong dữ liệu",
        "en": "no {place} has code {code} in the {structure} structure (scope = {scope}); "
        "expected a code from the data",
    },
    "problem.timeline_outside": {
        "vi": "{place} {code} thuộc tỉnh {province}, không thuộc các tỉnh của kịch bản "
        "({provinces})",
        "en": "{place} {code} is in province {province}, not in the scenario's provinces "
        "({provinces})",
    },
    "problem.no_commune_code": {
        "vi": "không có xã nào mã {code} trong cấu trúc {structure}",
        "en": "no commune has code {code} in the {structure} structure",
    },
    "problem.crossing_by_road": {
        "vi": "xã {code} ({name}) đi được bằng đường bộ; tuyến đò chỉ phục vụ các xã đảo",
        "en": "commune {code} ({name}) is reached by road; a crossing serves island communes only",
    },
    "problem.pier_island": {
        "vi": "xã có bến {code} ({name}) tự nó là một đảo; hãy cho xã trên đất liền nơi đò "
        "xuất phát",
        "en": "the pier's commune {code} ({name}) is itself an island; give the commune on the "
        "mainland the boat leaves from",
    },
    "problem.pier_province": {
        "vi": "bến ở tỉnh {pier}, còn các xã ở {provinces}: tuyến đò chỉ phục vụ tỉnh của nó",
        "en": "the pier is in province {pier}, the communes in {provinces}: a crossing serves "
        "its own province",
    },
    "problem.province_not_in_data": {
        "vi": "tỉnh {code} không có trong dữ liệu",
        "en": "province {code} is not in the data",
    },
    "problem.launch_outside": {
        "vi": "ngày phát động {date} nằm ngoài thời gian chiến dịch ({start} đến {end}): không "
        "lập kế hoạch phát động",
        "en": "launch day {date} is outside the campaign ({start} to {end}): no launch planned",
    },
    # -- planner/scenario/schema.py (PATTERNS)
    "scenario.overlap_on": {
        "vi": "chồng lấn mâu thuẫn với {other}: {scope} {code} sẽ vừa là {level} (mục này) vừa "
        "là {other_level} (mục kia) vào ngày {date}",
        "en": "inconsistent overlap with {other}: {scope} {code} would be both {level} (this "
        "entry) and {other_level} (the other) on {date}",
    },
    "scenario.overlap_from": {
        "vi": "chồng lấn mâu thuẫn với {other}: {scope} {code} sẽ vừa là {level} (mục này) vừa "
        "là {other_level} (mục kia) từ {start} đến {end}",
        "en": "inconsistent overlap with {other}: {scope} {code} would be both {level} (this "
        "entry) and {other_level} (the other) from {start} to {end}",
    },
    # -- the routing server (planner/travel/engines.py, RoutingServerError)
    "routing.not_json": {
        "vi": "trả lời {what} bằng nội dung không phải JSON: {shown}",
        "en": "answered the {what} with something that is not JSON: {shown}",
    },
    "routing.no_answer": {
        "vi": "không có trả lời cho {what} sau {tries} lần thử ({reason})",
        "en": "no answer after {tries} tries ({reason}) to the {what}",
    },
    "routing.not_http": {
        "vi": "không phải địa chỉ http:// hay https://",
        "en": "is not an http:// or https:// URL",
    },
    "routing.refused": {
        "vi": "từ chối {what} ({status})",
        "en": "refused the {what} ({status})",
    },
    "routing.unusable_url": {
        "vi": "không phải địa chỉ http(s) dùng được ({reason})",
        "en": "is not a usable http(s) URL ({reason})",
    },
    "routing.table_request": {
        "vi": "yêu cầu table {rows} x {columns} địa điểm (profile {profile})",
        "en": "table request of {rows} x {columns} places (profile {profile})",
    },
    "routing.sources_request": {
        "vi": "yêu cầu sources_to_targets {rows} x {columns} địa điểm (costing {costing})",
        "en": "sources_to_targets request of {rows} x {columns} places (costing {costing})",
    },
    "routing.refused_connection": {"vi": "bị từ chối kết nối", "en": "connection refused"},
    "routing.timeout": {
        "vi": "không có trả lời trong {seconds:g} giây",
        "en": "no answer within {seconds:g} s",
    },
    "routing.unknown_host": {"vi": "không biết máy chủ này", "en": "unknown host"},
    "routing.closed": {
        "vi": "máy chủ đã đóng kết nối",
        "en": "connection closed by the server",
    },
    # -- planner explain
    "explain.no_code": {
        "vi": "{out_dir}: không có xã, {group}, tỉnh hay đội nào mã {code} trong kế hoạch này; "
        "cần một mã trong schedule.csv hoặc unserved.csv (ví dụ mã xã 5 chữ số) hoặc mã đội",
        "en": "{out_dir}: no commune, {group}, province or team has code {code} in this plan; "
        "expected a code from schedule.csv or unserved.csv (e.g. a 5-digit commune code) or a "
        "team id",
    },
    "explain.unknown_language": {
        "vi": "không có ngôn ngữ '{lang}'; cần một trong {langs}",
        "en": "unknown language '{lang}'; expected one of {langs}",
    },
    # -- the runner's notes (planner/runner.py, planner/execute.py)
    "run.stale": {
        "vi": "{label}: không dùng kết quả đã lưu, {why}; lập kế hoạch lại",
        "en": "{label}: kept result not used, {why}; planning it again",
    },
    "run.stale_unreadable": {
        "vi": "tệp đã lưu không đọc được",
        "en": "its kept file is unreadable",
    },
    "run.stale_changed": {
        "vi": "{what} đã thay đổi từ khi lưu",
        "en": "its {what} changed since it was kept",
    },
    # -- --executor dask (planner/execute.py, and planner serve: planner/web/app.py, cli.py)
    "execute.dask_scheduler": {
        "vi": "--executor dask cần --scheduler ADDRESS (địa chỉ Dask scheduler, ví dụ "
        "tcp://host:8786)",
        "en": "--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)",
    },
    "execute.dask_extra": {
        "vi": "--executor dask cần gói thêm Dask: pip install -e '.[dask]'",
        "en": "--executor dask needs the Dask extra: pip install -e '.[dask]'",
    },
    # -- the runs of planner serve (planner/web/worker.py)
    "web.batch_no_scenario": {
        "vi": "lượt chạy này không có kịch bản nào",
        "en": "the batch names no scenario",
    },
    "web.replan_reports_gone": {
        "vi": "các tệp báo cáo của lần lập lại kế hoạch không còn nữa; hãy tải chúng lên lại",
        "en": "the re-plan's report files are gone; upload them again",
    },
    # -- planner progress: a stop reported twice (planner/reports.py)
    "reports.twice": {
        "vi": "{stop} được báo cáo hai lần; lấy báo cáo mới nhất ({reason}): {kept} thay cho "
        "{dropped}",
        "en": "{stop} is reported twice; the latest wins ({reason}): {kept} over {dropped}",
    },
    "reports.stop": {
        "vi": "đội {team}, {date}, {kind} tại {place}",
        "en": "team {team}, {date}, {kind} at {place}",
    },
    "reports.by_stamp": {"vi": "theo mốc thời gian", "en": "by time stamp"},
    "reports.by_order": {
        "vi": "đứng sau trên dòng lệnh",
        "en": "later on the command line",
    },
    "reports.state": {"vi": "{where} ({state})", "en": "{where} ({state})"},
    "reports.done": {"vi": "đã thực hiện", "en": "done"},
    "reports.not_done": {"vi": "chưa thực hiện", "en": "not done"},
    "reports.reported_at": {"vi": "{state}, báo cáo lúc {at}", "en": "{state}, reported {at}"},
    # -- the teams' report files that cannot be read (planner/reports.py, DataError; PATTERNS)
    "reports.no_file": {"vi": "chưa có tệp báo cáo nào", "en": "no report file given"},
    "reports.no_such_file": {
        "vi": "không có tệp này; cần một báo cáo các điểm dừng đã thực hiện: schedule.xlsx hoặc "
        "schedule.csv có cột done, hoặc các dòng của schedule.csv cho các điểm dừng đã thực hiện",
        "en": "no such file; expected a report of the stops done: schedule.xlsx or schedule.csv "
        "with a done column, or schedule.csv's rows for the stops done",
    },
    "reports.old_excel": {
        "vi": "là tệp Excel kiểu cũ (.xls); hãy lưu lại dạng Excel Workbook (.xlsx) hoặc CSV UTF-8",
        "en": "an old Excel workbook (.xls); save it as an Excel Workbook (.xlsx) or as CSV UTF-8",
    },
    "reports.nul_bytes": {
        "vi": "có byte NUL nhưng không phải văn bản UTF-16; cần một tệp CSV hoặc tệp văn bản",
        "en": "has NUL bytes but is not UTF-16 text; expected a CSV or text file",
    },
    "reports.not_encoding": {
        "vi": "không phải văn bản UTF-8 hay Windows-1258 (byte {byte}); hãy lưu từ Excel dạng "
        "'CSV UTF-8' hoặc 'Unicode Text', hoặc gửi chính tệp Excel",
        "en": "neither UTF-8 nor Windows-1258 text (byte {byte}); save it from Excel as "
        "'CSV UTF-8' or 'Unicode Text', or send the workbook",
    },
    "reports.not_workbook": {
        "vi": "không đọc được như một tệp Excel ({reason})",
        "en": "cannot be read as an Excel workbook ({reason})",
    },
    "reports.no_done_sheet": {
        "vi": "không có trang nào điền cột done (Đã thực hiện / Done) bên cạnh các cột đội, ngày "
        "và hoạt động; hãy đánh dấu mỗi điểm dừng là đã thực hiện (Có / 1 / x) hoặc không "
        "(Không / 0)",
        "en": "no sheet has its done column (Đã thực hiện / Done) filled in beside the team, date "
        "and activity columns; mark each stop done (Có / 1 / x) or not (Không / 0)",
    },
    "reports.no_header_column": {
        "vi": "thiếu cột {columns}; cần các cột của schedule.csv (team_id, date, kind, "
        "commune_code hoặc venue_id) hoặc các tiêu đề của tệp Excel (Đội, Ngày, Hoạt động, Mã xã "
        "hoặc Mã địa điểm), có cột done",
        "en": "missing column {columns}; expected schedule.csv's columns (team_id, date, kind, "
        "commune_code or venue_id) or the workbook's headers (Đội, Ngày, Hoạt động, Mã xã or Mã "
        "địa điểm), with a done column",
    },
    "reports.no_header_columns": {
        "vi": "thiếu các cột {columns}; cần các cột của schedule.csv (team_id, date, kind, "
        "commune_code hoặc venue_id) hoặc các tiêu đề của tệp Excel (Đội, Ngày, Hoạt động, Mã xã "
        "hoặc Mã địa điểm), có cột done",
        "en": "missing columns {columns}; expected schedule.csv's columns (team_id, date, kind, "
        "commune_code or venue_id) or the workbook's headers (Đội, Ngày, Hoạt động, Mã xã or Mã "
        "địa điểm), with a done column",
    },
    "reports.missing_column": {
        "vi": "thiếu cột {columns}; cần các cột của schedule.csv (team_id, date, kind, "
        "commune_code hoặc venue_id), có thể thêm cột done",
        "en": "missing column {columns}; expected schedule.csv's columns (team_id, date, kind, "
        "commune_code or venue_id), optionally with a done column",
    },
    "reports.missing_columns": {
        "vi": "thiếu các cột {columns}; cần các cột của schedule.csv (team_id, date, kind, "
        "commune_code hoặc venue_id), có thể thêm cột done",
        "en": "missing columns {columns}; expected schedule.csv's columns (team_id, date, kind, "
        "commune_code or venue_id), optionally with a done column",
    },
    "reports.no_place_column": {
        "vi": "cần một cột commune_code (lượt tuyên truyền) hoặc venue_id (hội nghị) (Mã xã, Mã "
        "địa điểm)",
        "en": "needs a commune_code (passes) or venue_id (conferences) column (Mã xã, Mã địa điểm)",
    },
    "reports.no_team_id": {
        "vi": "đang để trống; cần mã đội, như trong lịch trình",
        "en": "is empty; expected the team's id, as in the schedule",
    },
    "reports.pass_needs_commune": {
        "vi": "một lượt tuyên truyền cần cột commune_code (Mã xã)",
        "en": "a pass needs a commune_code column (Mã xã)",
    },
    "reports.conference_needs_venue": {
        "vi": "một hội nghị cần cột venue_id (Mã địa điểm)",
        "en": "a conference needs a venue_id column (Mã địa điểm)",
    },
    "reports.pass_no_commune": {
        "vi": "đang để trống; mỗi lượt tuyên truyền phải ghi commune_code",
        "en": "is empty; a pass names its commune_code",
    },
    "reports.conference_no_venue": {
        "vi": "đang để trống; mỗi hội nghị phải ghi venue_id",
        "en": "is empty; a conference names its venue_id",
    },
    "reports.same_stop": {
        "vi": "trùng điểm dừng với dòng {row} ({rest}); hãy báo cáo mỗi điểm dừng một lần, hoặc "
        "ghi mốc thời gian reported_at cho cả hai dòng",
        "en": "the same stop as row {row} ({rest}); report each stop once, or give both rows a "
        "reported_at time stamp",
    },
    # -- a stop reported done that the published plan cannot hold (planner/replan.py)
    "replan.team_not_in_plan": {
        "vi": "đội {team} không có tuyến nào trong kế hoạch đã công bố {folder}",
        "en": "team {team} has no route in the published plan {folder}",
    },
    "replan.not_before_from": {
        "vi": "{date} không trước ngày --from {start}: chỉ những ngày trước khi lập lại kế "
        "hoạch mới được báo cáo là đã thực hiện",
        "en": "{date} is not before --from {start}: only days before the re-plan can be "
        "reported done",
    },
    "replan.stop_not_in_plan": {
        "vi": "kế hoạch đã công bố {file} không có {what} nào của đội {team} ngày {date} tại "
        "{place}",
        "en": "no {what} of team {team} on {date} at {place} in the published plan {file}",
    },
    "replan.other_province": {
        "vi": "đội {team} làm việc ở tỉnh {code}, không phải tỉnh {province}",
        "en": "team {team} works in province {code}, not {province}",
    },
    "replan.isolated": {
        "vi": "{name} ({code}) bị cách ly ngày {date} (mức {level}) theo các quy định đang áp "
        "dụng; không đội nào có thể đã đến đó",
        "en": "{name} ({code}) is isolated on {date} (level {level}) under the rules in force; "
        "a team cannot have been there",
    },
    # a stop as ReportedStop.describe() words it ("team 27-1, 2020-05-23, pass at 09001")
    "reports.same_stop_which": {
        "vi": "đội {team}, {date}, {what} tại {place}",
        "en": "team {team}, {date}, {what} at {place}",
    },
    # a value that is not what its column holds ("expected {bad.expected}, got {value}")
    "reports.expected_done": {
        "vi": "cần 1/yes/true/x/có nếu đã thực hiện hoặc 0/no/false/không/để trống nếu không "
        "thực hiện, nhận được {value}",
        "en": "expected 1/yes/true/x/có for done or 0/no/false/không/empty for not done, got "
        "{value}",
    },
    "reports.expected_kind": {
        "vi": "cần pass hoặc conference (Tuyên truyền lưu động hoặc Hội nghị), nhận được {value}",
        "en": "expected pass or conference (Tuyên truyền lưu động or Hội nghị), got {value}",
    },
    "reports.expected_date": {
        "vi": "cần một ngày dạng 2020-05-23 hoặc 23/05/2020, nhận được {value}",
        "en": "expected a date like 2020-05-23 or 23/05/2020, got {value}",
    },
    "reports.expected_time": {
        "vi": "cần một giờ dạng 08:30, nhận được {value}",
        "en": "expected a time like 08:30, got {value}",
    },
    "reports.expected_clock": {
        "vi": "cần một giờ từ 00:00 đến 23:59, nhận được {value}",
        "en": "expected a time from 00:00 to 23:59, got {value}",
    },
    "reports.expected_date_time": {
        "vi": "cần ngày và giờ dạng 2020-05-25 18:30 hoặc 25/05/2020 18:30, nhận được {value}",
        "en": "expected a date and time like 2020-05-25 18:30 or 25/05/2020 18:30, got {value}",
    },
    # -- planner calibrate: reports it cannot fit, a --out it will not write (DataError; PATTERNS)
    "calibrate.no_reports": {
        "vi": "chưa có tệp báo cáo nào; cần các tệp báo cáo của các đội",
        "en": "no report file given; expected the teams' report files",
    },
    "calibrate.commune_not_in_plan": {
        "vi": "xã {code} không có lượt tuyên truyền nào trong kế hoạch đã công bố {schedule}, nên "
        "không biết số người mục tiêu của xã; cần mã xã của một lượt tuyên truyền trong kế hoạch",
        "en": "commune {code} has no pass in the published plan {schedule}, so its target people "
        "are not known; expected a commune code of a pass of the plan",
    },
    "calibrate.venue_not_in_plan": {
        "vi": "địa điểm {venue} không có trong kế hoạch đã công bố {schedule}; cần mã địa điểm "
        "của một hội nghị hoặc nơi xuất phát của một đội trong kế hoạch",
        "en": "venue {venue} is not in the published plan {schedule}; expected the venue id of a "
        "conference or team base of the plan",
    },
    "calibrate.sign_ups_over_attendance": {
        "vi": "{sign_ups} người đăng ký tại một hội nghị có {attendance} người dự; cần nhiều nhất "
        "bằng số người dự (những người đã dự và đăng ký)",
        "en": "{sign_ups} sign-ups at a conference of {attendance} people; expected at most the "
        "attendance (people who attended and signed up)",
    },
    "calibrate.attendance_over_invited": {
        "vi": "{attendance} người đã dự, kế hoạch mời {invited} người đến hội nghị này "
        "({schedule}); cần nhiều nhất bằng số người được mời (tỷ lệ đến dự của planner nhiều "
        "nhất là 1)",
        "en": "{attendance} people attended, the plan invited {invited} to this conference "
        "({schedule}); expected at most the people invited (the planner's show-up is at most 1)",
    },
    "calibrate.no_usable_rows": {
        "vi": "không có dòng nào dùng được: không điểm dừng nào được báo cáo đã thực hiện có số "
        "người đăng ký (và, với hội nghị, số người dự); cần các điểm dừng đã thực hiện có điền "
        "Số người đăng ký tham gia / sign_ups và Số người dự thực tế / attendance",
        "en": "no usable rows: no stop reported done has sign-ups (and, for a conference, "
        "attendance); expected done stops with Số người đăng ký tham gia / sign_ups and Số "
        "người dự thực tế / attendance filled in",
    },
    "calibrate.too_few_rows": {
        "vi": "quá ít dòng để hiệu chỉnh tỷ lệ nào: {conferences} hội nghị có số người dự và số "
        "người đăng ký, {with_attendance} hội nghị có số người dự vào ngày kế hoạch có mời người "
        "(cần ít nhất {min_conferences} cho một tỷ lệ của hội nghị), {passes} lượt tuyên truyền "
        "có số người đăng ký (cần ít nhất {min_passes})",
        "en": "too few rows to fit any rate: {conferences} conferences with attendance and "
        "sign-ups and {with_attendance} with attendance on a day the plan invited people (at "
        "least {min_conferences} needed for a conference rate), {passes} passes with sign-ups "
        "(at least {min_passes} needed)",
    },
    "calibrate.own_scenario": {
        "vi": "là kịch bản của chính kế hoạch; hãy ghi các tỷ lệ đã hiệu chỉnh vào một tệp khác "
        "(--out)",
        "en": "is the plan's own scenario; write the fitted rates to another file (--out)",
    },
    "calibrate.is_folder": {
        "vi": "là một thư mục; cần một tên tệp như calibrated-rates.toml",
        "en": "is a folder; expected a file name like calibrated-rates.toml",
    },
    "calibrate.no_folder": {
        "vi": "không có thư mục {folder}; hãy tạo thư mục này hoặc chọn --out khác",
        "en": "the folder {folder} does not exist; create it or give another --out",
    },
    "calibrate.not_ours": {
        "vi": "đã có tệp này và không phải do planner calibrate ghi; hãy chọn --out khác, hoặc "
        "dùng --force để ghi đè",
        "en": "exists and was not written by planner calibrate; give another --out, or --force "
        "to replace it",
    },
    "calibrate.not_loadable": {
        "vi": "các tỷ lệ đã hiệu chỉnh không nạp được thành một kịch bản: {reason}",
        "en": "the fitted rates do not load as a scenario: {reason}",
    },
    # -- `planner --help` (planner/cli.py: the English help text, said in Vietnamese)
    # -- an output folder that cannot be used (planner/output_folder.py, OutputFolderError)
    "output.broken_link": {
        "vi": "{path}: là một liên kết hỏng, không phải thư mục; hãy cho --out một tên khác",
        "en": "{path}: a broken link, not a folder; give another --out",
    },
    "output.is_file": {
        "vi": "{path}: là một tệp, không phải thư mục kết quả; hãy cho --out tên một thư mục "
        "chưa có",
        "en": "{path}: is a file, not an output folder; give --out a folder name that is free",
    },
    "output.unreadable": {
        "vi": "{path}: không đọc được ({reason})",
        "en": "{path}: cannot be read ({reason})",
    },
    "output.not_ours": {
        "vi": "{path}: có {count} tệp không do planner ghi (ví dụ {example}); thư mục này không "
        "bao giờ bị thay thế: hãy cho --out một thư mục mới hoặc trống",
        "en": "{path}: holds {count} file(s) the planner did not write (for example {example}); "
        "it is never replaced: give --out a new or empty folder",
    },
    "output.holds": {
        "vi": "{path}: đang chứa {what}; thêm --force để thay thế, hoặc cho --out một tên khác",
        "en": "{path}: holds {what}; add --force to replace it, or give another --out",
    },
    "output.kind.plan": {"vi": "một kế hoạch", "en": "a plan"},
    "output.kind.compare": {"vi": "một bản so sánh", "en": "a comparison"},
    "output.kind.sweep": {"vi": "một lượt thử thay đổi", "en": "a sweep"},
    "output.kind.progress": {"vi": "một báo cáo tiến độ", "en": "a progress report"},
    "output.of_scenario": {
        "vi": "{what} của kịch bản {scenario}",
        "en": "{what} of scenario {scenario}",
    },
    "output.cannot_write": {
        "vi": "{path}: không ghi được vào đó ({reason})",
        "en": "{path}: cannot write there ({reason})",
    },
    "output.busy": {
        "vi": "{path}: một lần chạy planner khác đang ghi vào thư mục này; hãy chờ nó xong hoặc "
        "cho --out một tên khác",
        "en": "{path}: another planner run is writing this folder now; wait for it to finish or "
        "give another --out",
    },
    "output.cannot_lock": {
        "vi": "{path}: không khóa được thư mục; hãy thử lại",
        "en": "{path}: cannot lock the folder; try again",
    },
    "output.no_name": {
        "vi": "{path}: hãy cho --out một tên thư mục (không phải thư mục hiện tại hay thư mục cha)",
        "en": "{path}: give --out a folder name (not the current or parent folder)",
    },
    # -- planner run writing its plan (planner/runner.py)
    "run.cannot_write": {
        "vi": "{out_dir}: không ghi được kế hoạch vào đó ({reason})",
        "en": "{out_dir}: cannot write the plan there ({reason})",
    },
    # -- a list file the scenario names (planner/inputs.py)
    "data.folder_not_file": {
        "vi": "{path}: là một thư mục, không phải tệp",
        "en": "{path}: a folder, not a file",
    },
    # -- --executor dask (planner/execute.py)
    "execute.dask_unreachable": {
        "vi": "--scheduler {address}: không kết nối được tới Dask scheduler ({reason})",
        "en": "--scheduler {address}: cannot reach the Dask scheduler ({reason})",
    },
    # -- planner progress: a report of a team the plan does not have (planner/fieldwork.py)
    "fieldwork.team_not_in_plan": {
        "vi": "đội {team} không có trong kế hoạch đã công bố {folder}",
        "en": "team {team} is not in the published plan {folder}",
    },
    # -- planner replan: a scenario at odds with the published plan (planner/replan.py)
    "replan.structure": {
        "vi": "cấu trúc {structure} khác với cấu trúc {published} của kế hoạch đã công bố",
        "en": "structure {structure} differs from the published plan's {published}",
    },
    "replan.from_outside": {
        "vi": "--from {date} phải sau ngày đầu tiên của chiến dịch ({start}) và không sau ngày "
        "cuối cùng ({end})",
        "en": "--from {date} must be after the first campaign day ({start}) and not after the "
        "last ({end})",
    },
    "replan.provinces_left_out": {
        "vi": "không lập kế hoạch cho tỉnh {codes} có trong kế hoạch đã công bố",
        "en": "does not plan province(s) {codes} of the published plan",
    },
    # -- the scenario file (planner/scenario/load.py, ScenarioError)
    "scenario.no_list_item": {
        "vi": "không có phần tử {item} trong danh sách để thay đổi",
        "en": "no list item {item} to change",
    },
    "scenario.toml_too_deep": {
        "vi": "các mảng hoặc bảng nội dòng lồng nhau sâu hơn {depth} tầng",
        "en": "arrays or inline tables nested more than {depth} deep",
    },
    "scenario.toml_long_number": {
        "vi": "một số có hơn {digits} chữ số",
        "en": "a number of more than {digits} digits",
    },
    "scenario.too_large_size": {
        "vi": "có {size:,} byte, lớn hơn mức một tệp kịch bản được phép ({limit:,} byte)",
        "en": "is {size:,} bytes, larger than a scenario file can be ({limit:,} bytes)",
    },
    "scenario.too_large": {
        "vi": "lớn hơn mức một tệp kịch bản được phép ({limit:,} byte)",
        "en": "is larger than a scenario file can be ({limit:,} bytes)",
    },
    "scenario.extends_too_deep": {
        "vi": "hơn {depth} tệp kịch bản extends lẫn nhau, từ {first} đến {last}: hãy giữ chuỗi "
        "extends ngắn lại",
        "en": "more than {depth} scenario files extend each other, from {first} to {last}: keep "
        "the chain of extends short",
    },
    "scenario.extends_unopenable": {
        "vi": "trỏ tới một tệp không mở được ({reason}): {path}",
        "en": "names a file that cannot be opened ({reason}): {path}",
    },
    "scenario.unusable_path": {
        "vi": "không phải đường dẫn tệp dùng được",
        "en": "not a usable file path",
    },
    # -- the routing server (planner/travel/, RoutingServerError and ScenarioError)
    "routing.url_required": {
        "vi": "cần địa chỉ máy chủ (URL) khi travel.source là {source}",
        "en": "a server URL is required when travel.source is {source}",
    },
    "routing.table_shape": {
        "vi": "trả lời một bảng '{name}' không có kích thước {rows} x {columns}",
        "en": "answered a '{name}' table that is not {rows} x {columns}",
    },
    "routing.bad_value": {
        "vi": "trả lời {value} ở bảng '{name}' dòng {row}, cột {column} (cần một số >= 0 "
        "hoặc null)",
        "en": "answered {value} in '{name}' row {row}, column {column} (expected a number >= 0 "
        "or null)",
    },
    "routing.code_not_ok": {
        "vi": "trả lời {what} với mã {code}, cần 'Ok'",
        "en": "answered the {what} with code {code}, expected 'Ok'",
    },
    "routing.no_annotations": {
        "vi": "trả lời {what} mà không có durations và distances (cần OSRM 5.19 trở lên cho "
        "annotations=duration,distance)",
        "en": "answered the {what} without durations and distances (OSRM 5.19 or newer is "
        "needed for annotations=duration,distance)",
    },
    "routing.rows_missing": {
        "vi": "trả lời {what} mà không có 'sources_to_targets' gồm {rows} dòng",
        "en": "answered the {what} without a {rows}-row 'sources_to_targets'",
    },
    "routing.row_length": {
        "vi": "trả lời {what} với dòng {row} không gồm {columns} phần tử",
        "en": "answered the {what} with row {row} not of {columns} entries",
    },
    "routing.entry_not_object": {
        "vi": "trả lời {what} với dòng {row}, phần tử {entry} không phải một đối tượng",
        "en": "answered the {what} with row {row}, entry {entry} not an object",
    },
    "routing.entry_misplaced": {
        "vi": "trả lời {what} với dòng {row}, phần tử {entry} sai vị trí",
        "en": "answered the {what} with row {row}, entry {entry} misplaced",
    },
    "routing.no_profile": {
        "vi": "không có profile {engine} cho phương tiện {vehicle} (các phương tiện có: {known})",
        "en": "no {engine} profile for vehicle {vehicle} (known: {known})",
    },
    "routing.no_route": {
        "vi": "không tìm thấy đường bộ cho {count} (profile {profile}), ví dụ từ {pair}",
        "en": "found no road route for {count} (profile {profile}), e.g. from {pair}",
    },
    "routing.fallback_used": {
        "vi": "travel.url {url}: không tìm thấy đường bộ cho {count} (profile {profile}), ví "
        "dụ từ {pair}; đã dùng ước tính theo đường chim bay cho các cặp đó",
        "en": "travel.url {url}: no road route for {count} (profile {profile}), e.g. from "
        "{pair}; great-circle estimates used for them",
    },
    "routing.pairs": {
        "vi": "{missing} trên {total} cặp địa điểm",
        "en": "{missing} of {total} place pairs",
    },
    "routing.pair": {"vi": "{source} đến {target}", "en": "{source} to {target}"},
    "routing.place": {
        "vi": "địa điểm {index} ({lat}, {lon})",
        "en": "place {index} ({lat}, {lon})",
    },
    # -- planner compare across structures (planner/compare/, DataError)
    "compare.error.province_no_communes": {
        "vi": "tỉnh {code} (cấu trúc 2025) chưa nạp được xã nào; hãy nạp mọi tỉnh",
        "en": "2025 province {code} has no communes loaded; load every province",
    },
    "compare.error.province_not_2020": {
        "vi": "tỉnh {code} không có trong dữ liệu 2020; không thể chuyển sang cấu trúc 2025",
        "en": "province {code} is not in the 2020 data; cannot map it to the 2025 structure",
    },
    "compare.error.commune_not_2020": {
        "vi": "xã {code} không có trong dữ liệu 2020 (data/geo vn2020.gpkg); không thể chuyển "
        "sang cấu trúc 2025",
        "en": "commune {code} is not in the 2020 data (data/geo vn2020.gpkg); cannot map it to "
        "the 2025 structure",
    },
    # -- geographic data (planner/geo/load.py, planner/geo/_validate.py, DataError)
    "geo.cannot_reproject": {
        "vi": "không chuyển được hệ tọa độ từ {crs} sang EPSG:4326 ({reason})",
        "en": "cannot reproject from {crs} to EPSG:4326 ({reason})",
    },
    "geo.venue_outside": {
        "vi": "điểm tổ chức '{venue}' nằm cách xã {code} của nó (trong {source}) {km:.1f} km; "
        "cần nằm trong xã hoặc cách xã không quá {tolerance:g} m{hint}",
        "en": "venue '{venue}' lies {km:.1f} km outside its commune {code} in {source}; "
        "expected inside or within {tolerance:g} m{hint}",
    },
    "geo.hint_own_venues": {
        "vi": "; hãy dùng danh sách điểm tổ chức của bạn (post_offices_path) nếu các vị trí dựng "
        "sẵn không khớp với ranh giới của bạn",
        "en": "; give your own venues (post_offices_path) if the built positions do not fit "
        "your boundaries",
    },
    # -- planner serve (planner/web/app.py, cli.py, workspace.py)
    "web.host_needs_token": {
        "vi": "--host {host}: phục vụ ra ngoài máy này cần một mã truy cập",
        "en": "--host {host}: serving beyond this machine needs an access token",
    },
    "web.executor": {
        "vi": "--executor {executor}: cần local hoặc dask",
        "en": "--executor {executor}: expected local or dask",
    },
    "web.workspace_unusable": {
        "vi": "{root}: không dùng được làm thư mục làm việc ({reason})",
        "en": "{root}: cannot use it as a workspace ({reason})",
    },
    "web.missing_extra": {
        "vi": "planner serve cần các gói starlette, uvicorn, python-multipart ({reason}): "
        "pip install -e .",
        "en": "planner serve needs starlette, uvicorn, python-multipart ({reason}): "
        "pip install -e .",
    },
    "web.upload_too_large": {
        "vi": "{name}: {size:,} byte, lớn hơn mức một kịch bản được phép ở đây ({limit} kB)",
        "en": "{name}: {size:,} bytes, larger than a scenario may be here ({limit} kB)",
    },
    "web.upload_name": {
        "vi": "{name}: hãy đặt tên tệp bằng chữ cái hoặc chữ số, như my-plan.toml",
        "en": "{name}: give the file a name of letters or digits, like my-plan.toml",
    },
    "web.upload_not_toml": {
        "vi": "{name}: kịch bản phải là một tệp .toml",
        "en": "{name}: a scenario is a .toml file",
    },
    "web.upload_exists": {
        "vi": "{name}: đã có một kịch bản tên này; hãy chọn 'Thay tệp cùng tên' hoặc đổi tên tệp",
        "en": "{name}: a scenario of this name exists; tick 'replace' or rename the file",
    },
    "web.upload_outside": {
        "vi": "{name}, trường '{field}': {value} nằm ngoài thư mục làm việc; một kịch bản tải "
        "lên chỉ được trỏ tới các tệp trong đó",
        "en": "{name}, field '{field}': {value} is outside the workspace; an uploaded scenario "
        "may only name files in it",
    },
    "help.description": {
        "vi": "Lập kế hoạch cho các đội tuyên truyền lưu động và hội nghị của chiến dịch bảo hiểm xã hội tự nguyện.",
        "en": "Plan mobile propaganda teams and conferences for the voluntary social insurance campaign.",
    },
    "help.help": {
        "vi": "in trợ giúp này rồi thoát",
        "en": "show this help message and exit",
    },
    "help.run": {
        "vi": "lập kế hoạch cho một hay nhiều kịch bản và ghi outputs/<kịch bản>/ cho mỗi kịch bản",
        "en": "plan one or more scenarios and write outputs/<scenario>/ for each",
    },
    "help.sweep": {
        "vi": "chạy các biến thể của một kịch bản khác nhau ở một hoặc hai trường, rồi vẽ đường cong",
        "en": "run variants of a scenario differing in one or two fields, and draw the curve",
    },
    "help.compare": {
        "vi": "so sánh các kế hoạch: một bảng ở đây, compare.csv và compare/index.html có bản đồ",
        "en": "plans side by side: a table here, compare.csv and compare/index.html with a map",
    },
    "help.replan": {
        "vi": "lập lại kế hoạch cho phần còn lại của tháng từ những gì các đội báo đã làm, theo quy định hiện hành",
        "en": "re-plan the rest of the month from what teams report done, under the rules now in force",
    },
    "help.progress": {
        "vi": "các đội báo cáo so với kế hoạch đã công bố: một trang và các tệp CSV, kèm các điểm bị bỏ lỡ cho đội làm bù",
        "en": "what the teams report against the published plan: a page and CSVs, with the missed stops for mop-up teams",
    },
    "help.validate": {
        "vi": "kiểm tra một kịch bản (và các tỉnh của nó trong dữ liệu) mà không giải",
        "en": "check a scenario (and its provinces in the data) without solving",
    },
    "help.check": {
        "vi": "kiểm tra lại một kế hoạch đã ghi theo các quy định của kịch bản, không cần bộ giải",
        "en": "re-verify a written plan against its scenario's rules, without the solver",
    },
    "help.explain": {
        "vi": "nói bằng lời kế hoạch làm gì cho một xã, huyện hay cụm xã",
        "en": "say in words what a plan does for a commune, district or cluster",
    },
    "help.serve": {
        "vi": "planner dưới dạng ứng dụng web trên máy, bằng tiếng Việt: kịch bản, các lần chạy với tiến độ trực tiếp, kết quả (mở http://127.0.0.1:8000)",
        "en": "the planner as a local web app, in Vietnamese: scenarios, runs with live progress, results (open http://127.0.0.1:8000)",
    },
    "help.calibrate": {
        "vi": "hiệu chỉnh tỷ lệ tham dự theo số người dự và số người đăng ký các đội báo cáo; ghi một kịch bản dùng các tỷ lệ đó",
        "en": "fit the turnout rates to the attendance and sign-ups teams reported; write a scenario that uses them",
    },
    "help.schema": {
        "vi": "in JSON Schema của kịch bản",
        "en": "print the scenario JSON Schema",
    },
    "help.data": {
        "vi": "dữ liệu địa lý trong data/geo",
        "en": "the geographic data in data/geo",
    },
    "help.scenarios": {
        "vi": "tệp kịch bản TOML, ví dụ scenarios/demo.toml; nhiều tệp thì chạy thành một đợt",
        "en": "scenario TOML file(s), e.g. scenarios/demo.toml; several run as one batch",
    },
    "help.provinces": {
        "vi": "chỉ các mã tỉnh này, ví dụ 27,01",
        "en": "only these province codes, e.g. 27,01",
    },
    "help.time_limit": {
        "vi": "giới hạn thời gian giải cho mỗi tỉnh (giây)",
        "en": "solver work limit per province (seconds)",
    },
    "help.seed": {
        "vi": "hạt giống ngẫu nhiên (mặc định: của kịch bản)",
        "en": "random seed (default: the scenario's)",
    },
    "help.workers": {
        "vi": "số tỉnh lập kế hoạch song song trên máy này (mặc định: mỗi lõi CPU một tỉnh)",
        "en": "provinces planned in parallel on this machine (default: one per CPU core)",
    },
    "help.data_dir": {
        "vi": "thư mục chứa vn2020.gpkg / vn2025.gpkg (mặc định data/geo)",
        "en": "folder with vn2020.gpkg / vn2025.gpkg (default data/geo)",
    },
    "help.lang_outputs": {
        "vi": "ngôn ngữ của các dòng in ra, bản đồ, phiếu và sổ tính (mặc định: $PLANNER_LANG, nếu không thì vi)",
        "en": "language of the lines printed, maps, sheets and workbook (default: $PLANNER_LANG, else vi)",
    },
    "help.quiet": {
        "vi": "chỉ in các dòng cuối",
        "en": "print only the final lines",
    },
    "help.compact": {
        "vi": "đạt cùng giá trị (sai lệch trong 1%%) với ít ngày-đội nhất: số ngày-đội mà tháng thực sự cần ([objective] compact)",
        "en": "plan the same value (within 1%%) with the fewest team-days: how many the month really needs ([objective] compact)",
    },
    "help.executor": {
        "vi": "nơi lập kế hoạch các tỉnh: các tiến trình trên máy, hoặc một cụm Dask có sẵn",
        "en": "where provinces are planned: local processes, or an existing Dask cluster",
    },
    "help.scheduler": {
        "vi": "địa chỉ Dask scheduler cho --executor dask, ví dụ tcp://host:8786",
        "en": "Dask scheduler address for --executor dask, e.g. tcp://host:8786",
    },
    "help.resume": {
        "vi": "giữ các tỉnh mà lần chạy bị dừng đã làm xong thay vì lập lại",
        "en": "keep the provinces a killed run had finished instead of planning them again",
    },
    "help.run_out": {
        "vi": "thư mục kết quả (mặc định outputs/<tên kịch bản> trong thư mục hiện tại); khi có nhiều kịch bản, thư mục chứa một <tên kịch bản>/ cho mỗi kịch bản",
        "en": "output folder (default outputs/<scenario name> under the current folder); with several scenarios, the folder that gets one <scenario name>/ each",
    },
    "help.force": {
        "vi": "thay thư mục kết quả đang chứa kế hoạch hay so sánh khác (thư mục chứa tệp khác không bao giờ bị thay)",
        "en": "replace an output folder that holds another plan or comparison (a folder of other files is never replaced)",
    },
    "help.sweep_scenario": {
        "vi": "tệp kịch bản TOML gốc",
        "en": "the base scenario TOML file",
    },
    "help.vary": {
        "vi": "một trường kịch bản (viết có dấu chấm) và các giá trị của nó, ví dụ teams.rule.teams_per_group=1,2,3 (một hoặc hai lần)",
        "en": "a dotted scenario field and its values, e.g. teams.rule.teams_per_group=1,2,3 (once or twice)",
    },
    "help.sweep_out": {
        "vi": "thư mục kết quả (mặc định outputs/<tên>-sweep)",
        "en": "output folder (default outputs/<name>-sweep)",
    },
    "help.plans": {
        "vi": "các thư mục kế hoạch; thư mục đầu là mốc so sánh",
        "en": "plan folders; the first is the baseline",
    },
    "help.labels": {
        "vi": 'tên các kế hoạch cách nhau bằng dấu phẩy, ví dụ "1 đội,2 đội"',
        "en": 'comma-separated names for the plans, e.g. "1 team,2 teams"',
    },
    "help.compare_out": {
        "vi": "thư mục kết quả (mặc định outputs/compare)",
        "en": "output folder (default outputs/compare)",
    },
    "help.data_dir_plain": {
        "vi": "thư mục chứa vn2020.gpkg / vn2025.gpkg",
        "en": "folder with vn2020.gpkg / vn2025.gpkg",
    },
    "help.lang_compare": {
        "vi": "ngôn ngữ của bảng in ra và của compare/index.html (mặc định: $PLANNER_LANG, nếu không thì vi)",
        "en": "language of the table printed and of compare/index.html (default: $PLANNER_LANG, else vi)",
    },
    "help.published": {
        "vi": "kế hoạch đã công bố (một thư mục của planner run)",
        "en": "the published plan (a folder of planner run)",
    },
    "help.replan_reports": {
        "vi": "báo cáo của các đội: schedule.xlsx đã điền cột done, hoặc CSV (các dòng của schedule.csv, hoặc có cột done; UTF-8, Windows-1258 hoặc UTF-16; phân cách bằng dấu phẩy, chấm phẩy hoặc tab); nhiều tệp: báo cáo mới nhất của một điểm dừng được lấy",
        "en": "the teams' reports: schedule.xlsx with its done column filled in, or CSV (schedule.csv's rows, or with a done column; UTF-8, Windows-1258 or UTF-16; comma, semicolon or tab); several files: the latest report of a stop wins",
    },
    "help.replan_from": {
        "vi": "ngày đầu tiên lập lại (YYYY-MM-DD); các ngày trước đó là những gì đã làm",
        "en": "first day to re-plan (YYYY-MM-DD); days before it are what was done",
    },
    "help.replan_scenario": {
        "vi": "các quy định hiện hành (mặc định: kịch bản của chính kế hoạch)",
        "en": "the rules now in force (default: the plan's own scenario)",
    },
    "help.replan_out": {
        "vi": "thư mục kết quả (mặc định OUTDIR-replan-NGÀY)",
        "en": "output folder (default OUTDIR-replan-DATE)",
    },
    "help.progress_reports": {
        "vi": "báo cáo của các đội: các tệp CSV do bộ tài liệu đội gửi, schedule.xlsx đã điền cột done, hoặc CSV có cột done; nhiều tệp: báo cáo mới nhất của một điểm dừng được lấy",
        "en": "the teams' reports: the CSV files the team packs send, schedule.xlsx with its done column filled in, or CSV with a done column; several files: the latest report of a stop wins",
    },
    "help.progress_out": {
        "vi": "thư mục kết quả (mặc định OUTDIR/progress)",
        "en": "output folder (default OUTDIR/progress)",
    },
    "help.as_of": {
        "vi": "ngày đầu tiên chưa đến hạn (YYYY-MM-DD; mặc định hôm nay): các ngày trước đó là đã đến hạn",
        "en": "first day not yet due (YYYY-MM-DD; default today): days before it are due",
    },
    "help.lang_page": {
        "vi": "ngôn ngữ của trang tiến độ (mặc định: $PLANNER_LANG, nếu không thì vi)",
        "en": "language of the progress page (default: $PLANNER_LANG, else vi)",
    },
    "help.lang_lines": {
        "vi": "ngôn ngữ của các dòng in ra (mặc định: $PLANNER_LANG, nếu không thì vi)",
        "en": "language of the lines printed (default: $PLANNER_LANG, else vi)",
    },
    "help.plan_folder": {
        "vi": "một thư mục do planner run ghi",
        "en": "a folder written by planner run",
    },
    "help.plan_scenario": {
        "vi": "tệp kịch bản (mặc định: tệp có tên trong summary.json)",
        "en": "the scenario file (default: the one named in summary.json)",
    },
    "help.plan_data": {
        "vi": "thư mục dữ liệu đã dùng để lập kế hoạch",
        "en": "the data folder the plan was made with",
    },
    "help.code": {
        "vi": "một mã xã (ví dụ 09349), một mã huyện hay cụm xã, hoặc một mã đội",
        "en": "a commune code (e.g. 09349), a district or cluster code, or a team id",
    },
    "help.serve_root": {
        "vi": "thư mục chứa scenarios/ và outputs/ (mặc định: thư mục hiện tại); kho công việc .planner-web.sqlite được giữ ở đó",
        "en": "folder with scenarios/ and outputs/ (default: the current folder); the job store .planner-web.sqlite is kept there",
    },
    "help.serve_host": {
        "vi": "địa chỉ lắng nghe (mặc định 127.0.0.1, chỉ máy này); địa chỉ khác cần mã truy cập in ra lúc khởi động",
        "en": "address to listen on (default 127.0.0.1, this machine only); any other address needs the access token printed at start",
    },
    "help.serve_port": {
        "vi": "cổng (mặc định 8000)",
        "en": "port (default 8000)",
    },
    "help.serve_workers": {
        "vi": "số tỉnh mỗi lần chạy lập song song (mặc định: mỗi lõi CPU một tỉnh)",
        "en": "provinces planned in parallel by each run (default: one per CPU core)",
    },
    "help.serve_executor": {
        "vi": "nơi các lần chạy lập kế hoạch các tỉnh: các tiến trình trên máy (mặc định), hoặc một cụm Dask có sẵn, như planner run --executor",
        "en": "where the runs plan provinces: local processes (default), or an existing Dask cluster, as planner run --executor",
    },
    "help.calibrate_reports": {
        "vi": "báo cáo của các đội (CSV hoặc schedule.xlsx) có số người dự và số người đăng ký ở các điểm đã làm; nhiều tệp: báo cáo mới nhất của một điểm dừng được lấy",
        "en": "the teams' reports (CSV or schedule.xlsx) with attendance and sign-ups of the stops done; several files: the latest report of a stop wins",
    },
    "help.calibrate_plan": {
        "vi": "kế hoạch đã công bố mà các báo cáo nói về (một thư mục của planner run)",
        "en": "the published plan the reports are about (a folder of planner run)",
    },
    "help.calibrate_out": {
        "vi": "tệp kịch bản sẽ ghi (mặc định calibrated-rates.toml): mở rộng kịch bản của kế hoạch với các tỷ lệ đã hiệu chỉnh",
        "en": "scenario file to write (default calibrated-rates.toml): extends the plan's scenario with the fitted rates",
    },
    "help.calibrate_scenario": {
        "vi": "tệp kịch bản của kế hoạch, khi không nằm ở chỗ summary.json ghi",
        "en": "the plan's scenario file, when not where summary.json says",
    },
    "help.calibrate_force": {
        "vi": "thay tệp ở --out không do planner calibrate ghi",
        "en": "replace a file at --out that planner calibrate did not write",
    },
    "help.schema_out": {
        "vi": "ghi vào tệp này thay vì in ra",
        "en": "write it to this file instead",
    },
    "help.lang_error": {
        "vi": "ngôn ngữ của dòng báo lỗi (mặc định: $PLANNER_LANG, nếu không thì vi)",
        "en": "language of an error line (default: $PLANNER_LANG, else vi)",
    },
    "help.build": {
        "vi": "dựng lại data/geo từ các nguồn (cần gói thêm build-data)",
        "en": "rebuild data/geo from its sources (needs the build-data extra)",
    },
    "help.template": {
        "vi": "ghi một sổ tính (và các tệp CSV) gồm các xã, điểm tổ chức và đội của các tỉnh như planner đang giả định, để bạn sửa và khai báo trong mục [data] lists của kịch bản",
        "en": "write a workbook (and CSV files) of the provinces' communes, venues and teams as the planner assumes them, for you to correct and name in a scenario's [data] lists",
    },
    "help.build_out": {
        "vi": "thư mục kết quả (mặc định data/geo)",
        "en": "output folder (default data/geo)",
    },
    "help.template_provinces": {
        "vi": "các mã tỉnh, ví dụ 27 hoặc 27,01",
        "en": "province codes, e.g. 27 or 27,01",
    },
    "help.template_out": {
        "vi": "thư mục để ghi vào (mặc định: ở đây)",
        "en": "folder to write into (default: here)",
    },
    "help.template_structure": {
        "vi": "khi không có --scenario",
        "en": "without --scenario",
    },
    "help.template_scenario": {
        "vi": "lấy cấu trúc, tệp dữ liệu và đội từ kịch bản này",
        "en": "take the structure, data files and teams from this scenario",
    },
    "help.template_force": {
        "vi": "thay sổ tính đã có cùng tên",
        "en": "replace an existing workbook of the same name",
    },
    "help.usage": {
        "vi": "cách dùng: ",
        "en": "usage: ",
    },
    "help.positionals": {
        "vi": "tham số",
        "en": "positional arguments",
    },
    "help.options": {
        "vi": "tùy chọn",
        "en": "options",
    },
}

# English texts worded elsewhere that `localize` knows, tried in this order (the first that
# matches the whole text wins): suffixes before what they follow, longer sentences first.
PATTERNS: tuple[str, ...] = (
    "plan.no_provinces",
    "plan.not_json_object",
    "plan.province_twice",
    "plan.not_object",
    "plan.not_object_list",
    "plan.not_text_list",
    "plan.reason_counts",
    "plan.band_object",
    "plan.band_order",
    "plan.warning_codes",
    "plan.overrides_map",
    "plan.replan_date",
    "plan.is_folder",
    "plan.empty_csv",
    "plan.malformed_csv",
    "plan.second_route",
    "plan.stop_without_route",
    "plan.stop_numbers",
    "plan.province_not_in",
    "plan.bad_json",
    "plan.field_count",
    "scenario.overlap_on",
    "scenario.overlap_from",
    "usage.see_help",
    "usage.argument",
    "usage.required",
    "usage.unrecognized",
    "usage.invalid_choice",
    "usage.one_argument",
    "usage.some_arguments",
    "usage.invalid_value",
    "usage.province_codes",
    "usage.seconds",
    "usage.positive_seconds",
    "usage.at_most_seconds",
    "usage.seed",
    "usage.whole_number",
    "usage.below_billion",
    "usage.not_negative",
    "usage.at_least_one",
    "usage.names",
    "usage.date",
    "scenario.more_problems",
    "scenario.one_more_problem",
    "scenario.through_extends",
    "scenario.unknown_field_close",
    "scenario.unknown_field_valid",
    "scenario.unknown_field",
    "scenario.missing_table",
    "scenario.missing",
    "scenario.name_not_allowed",
    "scenario.no_teams",
    "scenario.share_without_other",
    "scenario.informal_all_share",
    "scenario.not_utf8",
    "scenario.toml_at",
    "scenario.toml",
    "scenario.directory",
    "scenario.unreadable",
    "scenario.extends_missing",
    "scenario.extends_cycle",
    "data.plan_file_not_found",
    "data.run_build",
    "data.not_utf8",
    "data.scenario_file_missing",
    # before data.expected and scenario.got, which would read these first: a report's value
    # that is not what its column holds (the English expectation would be left in the
    # Vietnamese sentence), and texts ending in a reason worded elsewhere (", got 2")
    "calibrate.not_loadable",
    "reports.not_workbook",
    "geo.cannot_read",
    "reports.expected_done",
    "reports.expected_kind",
    "reports.expected_date",
    "reports.expected_time",
    "reports.expected_clock",
    "reports.expected_date_time",
    "data.expected",
    "scenario.got",
    "scenario.whole_number",
    "scenario.number",
    "scenario.finite",
    "scenario.bool",
    "scenario.text",
    "scenario.date",
    "scenario.list",
    "scenario.table",
    "scenario.one_of",
    "scenario.greater_than",
    "scenario.at_least",
    "scenario.less_than",
    "scenario.at_most",
    "scenario.not_empty",
    "scenario.min_items",
    "scenario.max_items",
    "scenario.province_code",
    "scenario.district_code",
    "scenario.commune_code",
    "scenario.clock",
    "scenario.on_or_after",
    "scenario.later_than",
    "scenario.not_before",
    "scenario.campaign_day",
    "scenario.inside_campaign",
    "scenario.year_typo",
    "scenario.no_level",
    "scenario.scenario_provinces",
    "scenario.file_not_found",
    "data.not_found",
    "data.no_commune_code",
    "data.unknown_provinces",
    "data.provinces_option",
    "data.duplicate_code",
    "data.no_value",
    "data.empty_file",
    "data.missing_columns",
    "data.missing_column",
    "data.not_readable",
    "data.is_empty",
    "data.is_missing",
    "data.missing_or_empty",
    "validate.note_stays_home",
    "validate.note_stays_home_one",
    "detail.minimum_not_met",
    "detail.communes_left_out_for",
    "detail.isolated_every_day",
    "detail.isolated_or_forbidden",
    "detail.no_passes",
    "detail.boat_only",
    "detail.too_far",
    "detail.no_open_day",
    "detail.fully_booked",
    "detail.outside_territories",
    "detail.island_group",
    "detail.no_venue",
    "detail.conference_forbidden",
    "detail.no_crew",
    "detail.no_conference_slot",
    "scenario.nested",
    "scenario.same_folder",
    "data.bom_mismatch",
    "data.two_columns",
    "data.source_missing",
    "history.unreadable",
    "history.value_not_number",
    "history.no_row",
    "scenario.not_dotted",
    "scenario.inside_non_table",
    "scenario.nul_path",
    "scenario.variant_name",
    "data.legacy_keys",
    "data.legacy_duplicate_codes",
    "data.current_duplicate_codes",
    "data.urban_rural_total",
    "compare.error.no_2020_communes",
    "execute.dask_scheduler",
    "execute.dask_extra",
    "web.batch_no_scenario",
    "web.replan_reports_gone",
    "reports.no_file",
    "reports.no_such_file",
    "reports.old_excel",
    "reports.nul_bytes",
    "reports.not_encoding",
    "reports.no_done_sheet",
    "reports.no_header_column",
    "reports.no_header_columns",
    "reports.missing_column",
    "reports.missing_columns",
    "reports.no_place_column",
    "reports.no_team_id",
    "reports.pass_needs_commune",
    "reports.conference_needs_venue",
    "reports.pass_no_commune",
    "reports.conference_no_venue",
    "reports.same_stop",
    "reports.same_stop_which",
    "replan.team_not_in_plan",
    "replan.not_before_from",
    "replan.stop_not_in_plan",
    "replan.other_province",
    "replan.isolated",
    "calibrate.no_reports",
    "calibrate.commune_not_in_plan",
    "calibrate.venue_not_in_plan",
    "calibrate.sign_ups_over_attendance",
    "calibrate.attendance_over_invited",
    "calibrate.no_usable_rows",
    "calibrate.too_few_rows",
    "calibrate.own_scenario",
    "calibrate.is_folder",
    "calibrate.no_folder",
    "calibrate.not_ours",
)

# placeholders that hold whole numbers when a pattern reads a text
_DIGITS = frozenset({"n", "byte", "line", "column", "minutes", "isolated", "forbidden", "count"})
# placeholders whose text may join English alternatives with " or " ('a' or 'b')
_ALTERNATIVES = frozenset({"close", "choices"})
# what the scenario loader says for a value it does not quote ("got an empty list")
_VALUE_WORDS: dict[str, dict[Lang, str]] = {
    "an empty list": {"vi": "một danh sách rỗng", "en": "an empty list"},
    "a list": {"vi": "một danh sách", "en": "a list"},
    "a table": {"vi": "một bảng", "en": "a table"},
}
# placeholders that hold an English word of the catalogue's "word." keys (district, passes)
_WORDS = frozenset({"group", "what"})


# -- languages ----------------------------------------------------------------------------------


def check_lang(lang: str) -> Lang:
    """`lang` as a `Lang`, or a ValueError naming the languages there are."""
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}'; expected one of {', '.join(LANGS)}")
    return cast(Lang, lang)


def resolve_lang(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> Lang:
    """The language to speak: `explicit` (a --lang), else $PLANNER_LANG, else Vietnamese.

    $PLANNER_LANG is read leniently ("en", "EN", "en_US.UTF-8" mean English); a value that
    names no language there is ignored (Vietnamese), so a stray setting never stops a command.
    """
    if explicit is not None:
        return check_lang(explicit)
    value = (os.environ if environ is None else environ).get(ENV, "")
    code = value.strip().lower()[:2]
    return cast(Lang, code) if code in LANGS else "vi"


_SPOKEN: ContextVar[Lang | None] = ContextVar("planner_lang", default=None)


def current_lang() -> Lang:
    """The language of the command running (`speaking`), else `resolve_lang()`: for the
    warnings printed deep down (the data loader), where no --lang is at hand."""
    return _SPOKEN.get() or resolve_lang()


@contextmanager
def speaking(lang: Lang) -> Iterator[None]:
    """Within the block, `current_lang()` is `lang` (the command's --lang)."""
    token = _SPOKEN.set(lang)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


# -- filling in a template ------------------------------------------------------------------------


class _Raw(str):
    """Text a pattern read out of an English sentence: put back as it is, spec and !r ignored."""

    __slots__ = ()


class _Formatter(string.Formatter):
    """str.format, with numbers written the way `lang` writes them and `Msg` values said in it."""

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if isinstance(value, _Raw):
            return value
        if isinstance(value, Msg):
            value = value.render(self.lang)
        elif isinstance(value, BaseException):
            value = localize_error(value, self.lang)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Raw):
            return str(value)
        if isinstance(value, Msg):
            return format(value.render(self.lang), format_spec)
        formatted = format(value, format_spec)
        if (
            self.lang == "vi"
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and format_spec
        ):
            formatted = formatted.translate(_SWAP_SEPARATORS)
        return formatted


_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


def text(key: str, lang: Lang, /, **params: Any) -> str:
    """The message `key` in `lang` with `params` filled in; a KeyError for an unknown key."""
    return _Formatter(lang).format(MESSAGES[key][lang], **params)


def number(value: float, lang: Lang, digits: int = 0) -> str:
    """1234.5 -> "1.234,5" in Vietnamese, "1,234.5" in English."""
    return _Formatter(lang).format_field(value, f",.{digits}f")


class Msg(str):
    """A message of the catalogue: its English text, and its key and values to say it again.

    Being a `str` (the English sentence), it goes wherever a message went before: exception
    arguments, `Violation.message`, comparisons in tests. `localize(m, "vi")` renders it from
    the catalogue in Vietnamese.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, params: Mapping[str, Any]) -> Msg:
        values = dict(params)
        self = super().__new__(cls, text(key, "en", **values))
        self.key = key
        self.params = values
        return self

    def render(self, lang: Lang) -> str:
        """The message in `lang`; a plain-text `rest` value (an English sentence worded
        elsewhere, such as argparse's) is localised on its own."""
        values = {
            name: localize(value, lang) if name.startswith("rest") and type(value) is str else value
            for name, value in self.params.items()
        }
        return text(self.key, lang, **values)

    def __reduce__(self) -> tuple[Any, ...]:  # sent between processes whole (pickle)
        return (Msg, (self.key, self.params))


def msg(key: str, /, **params: Any) -> Msg:
    """The message `key` with `params`, as a `Msg` (its text is the English sentence)."""
    if key not in MESSAGES:
        raise KeyError(key)
    return Msg(key, params)


def placeholders(template: str) -> set[str]:
    """The names a template fills in ("{team} on {date:%d}" -> {"team", "date"})."""
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(template)
        if name is not None and name != ""
    }


# -- saying an English text in another language ---------------------------------------------------


@cache
def _pattern(key: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The English template of `key` as a regular expression matching the whole text."""
    parts: list[str] = []
    seen: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(MESSAGES[key]["en"]):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            parts.append(f"(?P={name})")
            continue
        seen.append(name)
        body = r"\d+" if name in _DIGITS else ".+?"
        parts.append(f"(?P<{name}>{body})")
    return re.compile(r"\A" + "".join(parts) + r"\Z", re.DOTALL), tuple(seen)


def _say(key: str, values: Mapping[str, str], lang: Lang) -> str:
    shown: dict[str, Any] = {}
    for name, value in values.items():
        if name.startswith("rest"):
            value = localize(value, lang)
        elif lang == "vi" and (name in _ALTERNATIVES or (name in _WORDS and " or " in value)):
            value = value.replace("' or '", "' hoặc '").replace(" or ", " hoặc ")
        elif name in _WORDS and f"word.{value}" in MESSAGES:
            value = MESSAGES[f"word.{value}"][lang]
        elif name == "value" and value in _VALUE_WORDS:
            value = _VALUE_WORDS[value][lang]
        elif name == "reasons":
            value = "; ".join(reason_label(r.strip(), lang) for r in value.split(","))
        shown[name] = _Raw(value)
    return text(key, lang, **shown)


def localize(message: str, lang: Lang) -> str:
    """`message` said in `lang`: a `Msg` from the catalogue, an English text through
    `PATTERNS`; any other text as it is."""
    if isinstance(message, Msg):
        return message.render(lang)
    if lang == "en" or not message:
        return str(message)
    for key in PATTERNS:
        pattern, _ = _pattern(key)
        found = pattern.match(message)
        if found is not None:
            return _say(key, found.groupdict(), lang)
    return str(message)


def localize_error(error: BaseException, lang: Lang) -> str:
    """An error's one-line message in `lang`: where (file, row, field), then what.

    `DataError` and `ScenarioError` are said from their parts (so that "row" and "field" are
    translated and the problem is localised on its own); any other error from its text.
    """
    from planner.errors import DataError, RoutingServerError, ScenarioError

    if isinstance(error, OSError):
        return _os_error(error, lang)
    if lang == "en":
        return str(error)
    if isinstance(error, RoutingServerError):
        where = "travel.url"
        if error.where:
            where = text("error.where_field", lang, where=error.where, field="travel.url")
        where = f"{where}: {error.url}"
        return text("error.located", lang, where=where, problem=localize(error.problem, lang))
    if isinstance(error, DataError | ScenarioError):
        where = error.path
        sheet = getattr(error, "sheet", None)
        if sheet is not None:
            where = text("error.where_sheet", lang, where=where, sheet=sheet)
        row = getattr(error, "row", None)
        if row is not None:
            where = text("error.where_row", lang, where=where, row=row)
        if error.field is not None:
            key = "error.where_field" if sheet is None else "error.where_column"
            where = text(key, lang, where=where, field=error.field)
        return text("error.located", lang, where=where, problem=localize(error.problem, lang))
    first = error.args[0] if len(error.args) == 1 else None
    if isinstance(first, Msg):
        return first.render(lang)
    return localize(str(error), lang)


def _os_error(error: OSError, lang: Lang) -> str:
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    reason = (
        text(f"os.{name}", lang)
        if f"os.{name}" in MESSAGES and lang == "vi"
        else error.strerror or str(error)
    )
    return f"{error.filename}: {reason}" if error.filename else reason


def error_line(error: BaseException, lang: Lang) -> str:
    """The one line the command line prints for `error`: "planner: lỗi: ..." in Vietnamese."""
    message = localize_error(error, lang)
    return text("error.line", lang, message=_Raw(" ".join(message.split())))


# -- words for codes ------------------------------------------------------------------------------

#: Why a place is not served (unserved.csv's `reason`), in words.
REASONS: dict[str, dict[Lang, str]] = {
    "isolated": {"vi": "Bị cách ly, phong tỏa", "en": "Isolated"},
    "boat_only": {"vi": "Chỉ đến được bằng thuyền", "en": "Reachable by boat only"},
    "rule_forbids": {"vi": "Quy định không cho phép", "en": "Forbidden by the rules in force"},
    "too_far": {"vi": "Quá xa nơi xuất phát", "en": "Too far from any base"},
    "no_team": {"vi": "Không có đội nào đến được", "en": "No team can go there"},
    "no_time_left": {"vi": "Không còn thời gian", "en": "No time left"},
    "no_communes": {"vi": "Không có xã trong dữ liệu", "en": "No communes in the data"},
    "no_venue": {"vi": "Không có địa điểm hội nghị", "en": "No conference venue"},
    "mixed": {"vi": "Nhiều lý do", "en": "Several reasons"},
}


def reason_label(reason: str, lang: Lang) -> str:
    """Why a place is not served, in words (the code itself when it is not a known one)."""
    return REASONS[reason][lang] if reason in REASONS else reason


def solver_status_label(status: str, lang: Lang) -> str:
    """OR-Tools' status in words ("FEASIBLE" -> "Khả thi ..."); "A/B" for split provinces."""
    if not status:
        return status
    return " / ".join(
        MESSAGES[f"status.{part}"][lang] if f"status.{part}" in MESSAGES else part
        for part in status.split("/")
    )


def rule_level_label(name: str, lang: Lang, note: str | None = None) -> str:
    """A COVID-19 rule level in words: the catalogue's for the shipped levels (open, d19_low,
    ...), else its `note` from the scenario when given, else its name as written."""
    key = f"level.{name}"
    if key in MESSAGES:
        return MESSAGES[key][lang]
    return note or name


def field_label(field: str, lang: Lang) -> str:
    """A scenario field in words ("teams.rule.teams_per_group" -> "Số đội mỗi huyện/cụm");
    the dotted path itself for a field the catalogue does not name."""
    key = f"field.{field}"
    return MESSAGES[key][lang] if key in MESSAGES else field


def plan_title(summary: Mapping[str, Any], fallback: str = "") -> str:
    """The title of a plan's scenario (`scenario_title`), else `fallback`, else its name."""
    return scenario_title(summary) or fallback or str(summary.get("scenario") or "")


def scenario_title(summary: Mapping[str, Any]) -> str | None:
    """The title of the scenario a plan was made from: summary.json's `scenario_title` when
    it has one, else the `title` in the scenario file it names (`scenario_file`, `extends`
    followed); None when there is none (a scenario without a title, a file gone)."""
    title = summary.get("scenario_title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    path = summary.get("scenario_file")
    if isinstance(path, str) and path:
        return _scenario_file_title(path, str(summary.get("run_folder") or ""))
    return None


def _scenario_file_title(path: str, run_folder: str) -> str | None:
    from planner.errors import PlannerError
    from planner.scenario.load import resolve_scenario_table

    candidates = [Path(path)]
    if run_folder and not Path(path).is_absolute():
        candidates.insert(0, Path(run_folder) / path)
    for candidate in candidates:
        try:
            if not candidate.is_file():
                continue
            table = resolve_scenario_table(candidate)
        except (OSError, ValueError, PlannerError):
            continue
        title = table.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
    return None


# -- the whole catalogue ------------------------------------------------------------------------


def catalogue() -> dict[str, dict[Lang, str]]:
    """Every user-facing string with its two languages: `MESSAGES` and the tables of
    `planner.export.i18n` (labels, reasons, columns, ...), each key prefixed by its table."""
    from planner.export import i18n

    tables: Iterable[tuple[str, Mapping[str, Mapping[Lang, str]]]] = (
        ("", MESSAGES),
        ("value.", _VALUE_WORDS),
        *i18n.TABLES.items(),
    )
    merged: dict[str, dict[Lang, str]] = {}
    for prefix, table in tables:
        for key, words in table.items():
            merged[f"{prefix}{key}"] = dict(words)
    return merged
