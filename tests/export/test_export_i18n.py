"""Labels: every one in both languages, Vietnamese with its diacritics."""

from __future__ import annotations

import datetime as dt

from planner.export.i18n import (
    COLUMNS,
    LABELS,
    format_date,
    format_number,
    kind_label,
    reason_label,
    t,
)
from planner.export.tables import SCHEDULE_COLUMNS


def test_every_label_in_both_languages() -> None:
    for key, labels in {**LABELS, **COLUMNS}.items():
        assert set(labels) == {"vi", "en"}, key
        assert all(text.strip() for text in labels.values()), key
    assert set(SCHEDULE_COLUMNS) <= set(COLUMNS)


def test_vietnamese_words() -> None:
    assert t("team", "vi") == "Đội"
    assert t("date", "vi") == "Ngày"
    assert t("stop", "vi") == "Điểm dừng"
    assert t("pass", "vi") == "Tuyên truyền lưu động"
    assert t("conference", "vi") == "Hội nghị"
    assert t("arrival", "vi") == "Giờ đến"
    assert t("expected_attendance", "vi") == "Số người dự kiến"
    assert t("lunch", "vi") == "Nghỉ trưa"
    assert kind_label("pass", "vi", 2) == "Tuyên truyền lưu động (lần 2)"


def test_dates_numbers_and_unknown_codes() -> None:
    day = dt.date(2020, 5, 23)
    assert format_date(day, "vi") == "Thứ Bảy, 23/05/2020"
    assert format_date(day, "en") == "Saturday 23 May 2020"
    assert format_number(1234.5, "vi", 1) == "1.234,5"
    assert format_number(1234.5, "en", 1) == "1,234.5"
    assert reason_label("isolated", "vi") == "Bị cách ly, phong tỏa"
    assert reason_label("a_new_reason", "vi") == "a_new_reason"
