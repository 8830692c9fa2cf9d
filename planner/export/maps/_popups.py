"""What a stop, a route and a place say when clicked.

A page's stops and routes go to its script as compact arrays (`stop_record`,
`route_record`: numbers formatted, every text escaped); the script puts their popups
together when opened, with the page's labels (`_labels_script`: `plLabels`), so that a
month of stops stays small. Also here: a popup's line (`_row`), the lines on estimated
figures and venue details (`estimate_rows`), and a navigation link's words (`nav_label`).
"""

from __future__ import annotations

from typing import Any

from planner.export._offline import js_literal as _js
from planner.export.i18n import (
    Lang,
    format_number,
    kind_label,
    rule_level_label,
    slot_label,
    t,
    vehicle_label,
)
from planner.export.maps._places import _round
from planner.export.maps._style import text_colour
from planner.export.maps._words import esc
from planner.plan import Stop, TeamDayRoute, hhmm

_POPUP_LABELS = {
    "stop": "stop",
    "arrival": "arrival",
    "start": "start",
    "end": "end",
    "venue": "venue",
    "slot": "slot",
    "invited": "invited",
    "attendance": "expected_attendance",
    "cap": "gathering_cap",
    "seats": "seats_by_area",
    "people": "people_reached",
    "enrolments": "expected_enrolments",
    "rule": "rule_level",
    "navigate": "navigate",
    "base": "base",
    "vehicle": "vehicle",
    "depart": "depart",
    "return": "return",
    "lunch": "lunch",
    "stops": "stop",
    "km": "travel_km",
    "stopsCount": "stops",
}


def _labels_script(lang: Lang) -> str:
    labels = {key: esc(t(label, lang)) for key, label in _POPUP_LABELS.items()}
    return f"<script>var plLabels = {_js(labels)};</script>"


def _row(label: str, value: str) -> str:
    return f"{esc(label)}: <b>{value}</b><br>"


def stop_record(stop: Stop, number: int, colour: str, lang: Lang) -> list[Any]:
    """A stop as the page's `plStops` reads it: numbers formatted, every text escaped; last
    the colour of its number (white or black, whichever reads on `colour`)."""
    conference = None
    if stop.kind == "conference":
        cap = (
            t("no_cap", lang)
            if stop.gathering_cap is None
            else format_number(stop.gathering_cap, lang)
        )
        conference = [
            esc(stop.venue_name or stop.venue_id or ""),
            esc(slot_label(stop.slot, lang)),
            format_number(stop.invited or 0, lang),
            format_number(stop.expected_attendance or 0, lang),
            esc(cap),
            "" if stop.seats_by_area is None else format_number(stop.seats_by_area, lang),
        ]
    return [
        _round(stop.lat),
        _round(stop.lon),
        number,
        colour,
        esc(kind_label(stop.kind, lang, stop.pass_number)),
        esc(stop.commune_name),
        esc(stop.group_name),
        hhmm(stop.arrival_min),
        hhmm(stop.start_min),
        hhmm(stop.end_min),
        format_number(stop.people_reached, lang),
        format_number(stop.expected_enrolments, lang, 1),
        esc(rule_level_label(stop.rule_level, lang)),
        conference,
        text_colour(colour),
        estimate_rows(stop, lang),
        esc(nav_label(stop.position_estimated, lang)),
    ]


def nav_label(estimated: bool, lang: Lang) -> str:
    """A navigation link's words: "Chỉ đường (vị trí ước tính)" to a point that is estimated."""
    return t("navigate_estimated" if estimated else "navigate", lang)


def estimate_rows(stop: Stop, lang: Lang) -> str:
    """A stop's popup lines on its estimated figures and its venue's details (escaped)."""
    word = esc(t("estimated", lang))
    rows: list[str] = []
    if stop.kind == "conference":
        if stop.position_estimated:
            rows.append(_row(t("venue_position", lang), word))
        if stop.hall_estimated:
            rows.append(_row(t("hall", lang), word))
    if stop.commune_position_estimated:
        rows.append(_row(t("commune_position", lang), word))
    if stop.population_estimated:
        rows.append(_row(t("population", lang), word))
    details = (
        (t("address", lang), stop.venue_address),
        (t("contact", lang), ", ".join(p for p in (stop.contact_name, stop.contact_phone) if p)),
        (t("opening_hours", lang), stop.opening_hours),
    )
    rows += [_row(label, esc(value)) for label, value in details if value]
    return "".join(rows)


def route_record(route: TeamDayRoute, lang: Lang) -> list[str]:
    """A team-day as the page's `plRoutePopup` reads it: every text escaped."""
    n_conf = sum(1 for s in route.stops if s.kind == "conference")
    lunch_end = route.lunch_start_min + route.lunch_minutes
    stops = str(len(route.stops))
    if n_conf:
        stops += f" ({n_conf} {t('conference', lang)})"
    return [
        esc(route.base_name),
        esc(vehicle_label(route.vehicle, lang)),
        hhmm(route.depart_min),
        hhmm(route.return_min),
        f"{hhmm(route.lunch_start_min)}–{hhmm(lunch_end)}" if route.lunch_minutes else "",
        esc(stops),
        format_number(route.travel_km, lang, 1),
    ]
