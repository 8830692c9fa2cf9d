"""The words on the map pages: escaping, team names, and the words only the maps use.

`esc` makes anything that comes from the input data safe to put into HTML (every name goes
through it); `_w` looks up the maps' own words (history panel, launch day, territories),
Vietnamese first, beside the shared ones of `planner.export.i18n` (`t`).
"""

from __future__ import annotations

import html

from planner.export.i18n import Lang, t

# Words of the maps only (history, launch day, territories), Vietnamese first.
_WORDS: dict[str, dict[Lang, str]] = {
    "history": {"vi": "So với lịch sử", "en": "Against the record"},
    "month_new": {
        "vi": "Người tham gia mới dự báo, quy ra một tháng cả nước",
        "en": "Predicted new participants, as a national month",
    },
    "best_month": {"vi": "Tháng tốt nhất từng có", "en": "Best month on record"},
    "ratio_best": {"vi": "Kế hoạch / tháng tốt nhất", "en": "Plan / best month"},
    "days_new": {
        "vi": "Người tham gia mới trong {days} ngày của kế hoạch, quy ra cả nước",
        "en": "New participants in the plan's {days} days, for the whole country",
    },
    "days_ratio_best": {
        "vi": "{days} ngày / tháng tốt nhất (cảnh báo dựa trên số này)",
        "en": "{days} days / best month (the warnings hold this figure)",
    },
    "days_note": {
        "vi": "Kế hoạch ngắn hơn một tháng: quy ra 30 ngày theo tỷ lệ thẳng là phóng đại, vì "
        "các ngày đầu (lễ ra quân, lượt đầu qua mỗi xã) đông người tham gia nhất (ngày phát "
        "động 8/5/2022: {launch} trong {month} người mới của cả tháng).",
        "en": "A plan shorter than a month: x 30 / days overstates the month, since the first "
        "days (launch parade, first pass through each commune) enrol most (launch day 8 May "
        "2022: {launch} of the month's {month} new participants).",
    },
    "month_conferences": {
        "vi": "Hội nghị, quy ra một tháng cả nước",
        "en": "Conferences, as a national month",
    },
    "conferences_2019": {
        "vi": "Hội nghị năm 2019, trung bình một tháng",
        "en": "Conferences in 2019, average month",
    },
    "ratio_2019": {"vi": "Kế hoạch / năm 2019", "en": "Plan / 2019"},
    "scale_note": {
        "vi": "Kế hoạch quy ra 30 ngày và cả nước (x{scale}); số liệu lịch sử: "
        "data/facts/campaign_history.csv",
        "en": "The plan scaled to 30 days and the whole country (x{scale}); the record: "
        "data/facts/campaign_history.csv",
    },
    "new_participants_implausible": {
        "vi": "CẢNH BÁO: dự báo vượt 1,5 lần tháng tốt nhất từng có; kiểm tra các tỷ lệ",
        "en": "WARNING: the prediction exceeds 1.5 times the best month on record; check the rates",
    },
    "new_participants_above_best_month": {
        "vi": "CẢNH BÁO: dự báo vượt tháng tốt nhất từng có",
        "en": "WARNING: the prediction exceeds the best month on record",
    },
    "conferences_above_twice_launch_day_groups": {
        "vi": "CẢNH BÁO: số hội nghị vượt hai lần số nhóm của ngày phát động 2022",
        "en": "WARNING: conferences exceed twice the groups of the 2022 launch day",
    },
    "launch": {"vi": "Lễ ra quân", "en": "Launch parade"},
    "launch_teams": {"vi": "đội diễu hành", "en": "teams on parade"},
    "launch_start": {"vi": "Bắt đầu", "en": "Starts"},
    "territory": {"vi": "Địa bàn của đội", "en": "The team's territory"},
    "territories": {"vi": "Địa bàn các đội", "en": "The teams' territories"},
    "territories_note": {
        "vi": "bật trong danh sách lớp bản đồ",
        "en": "tick it in the layer list",
    },
    "whole_province": {"vi": "cả tỉnh", "en": "the whole province"},
    "home_district": {"vi": "Huyện của đội", "en": "The team's district"},
    "home_cluster": {"vi": "Cụm xã của đội", "en": "The team's cluster"},
}


def _w(key: str, lang: Lang) -> str:
    return _WORDS[key][lang]


def esc(text: object) -> str:
    """`text` safe to put into HTML: `<`, `>`, `&` and quotes as entities."""
    return html.escape(str(text), quote=True)


def _team_name(team_id: str, lang: Lang) -> str:
    return f"{t('team', lang)} {team_id}"
