"""GPX 1.1 files for navigation apps: one per team and day.

`write_gpx(plan, folder)` writes `<team>-<date>.gpx` for every team-day of the plan
(`team_stems` makes the team part a safe file name). Each file holds

- a waypoint (`<wpt>`) for the base and for each stop, numbered in the day's order
  ("1. Phường Đại Phúc"; the base is "0"), with the planned times and the activity in
  the comment and description;
- one route (`<rte>`) whose points (`<rtept>`) go from the base through the stops, in order,
  and back to the base, so that OsmAnd, Organic Maps, Locus or a Garmin unit can guide the
  team along the day without a network (with the app's own offline maps).

The files are valid against the GPX 1.1 schema (http://www.topografix.com/GPX/1/1/gpx.xsd):
the elements come in the schema's order, coordinates are decimal degrees with six digits,
and no `<time>` is written (GPX times are UTC time stamps of when a point was recorded, not
planned times; the planned times are in the comments). Names are XML text (escaped by
ElementTree), with the characters XML 1.0 cannot hold removed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from planner.export.i18n import Lang, check_lang, format_date, format_number, kind_label, t
from planner.plan import Plan, ProvincePlan, Stop, TeamDayRoute, hhmm

__all__ = ["GPX_NS", "gpx_document", "team_stems", "write_gpx"]

GPX_NS = "http://www.topografix.com/GPX/1/1"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = f"{GPX_NS} http://www.topografix.com/GPX/1/1/gpx.xsd"
CREATOR = "planner (voluntary social insurance outreach campaign)"

# characters XML 1.0 does not allow (control characters other than tab, newline, return)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAX_STEM = 100


def _xml_text(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def _stem(text: str) -> str:
    """Letters, digits, '.', '_' and '-' only; not starting or ending with '.' or '_'."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:_MAX_STEM].strip("._")
    return stem or "team"


def team_stems(plan: Plan) -> dict[tuple[str, str], str]:
    """(province code, team id) -> a file-name stem for the team, unique in the plan.

    A team id made of letters, digits, '.', '_' and '-' keeps it ('27-256-1'); other
    characters become '_'. Stems are unique ignoring case (case-insensitive file systems): a
    stem already taken gets the province code in front, then a number behind.
    """
    keys = sorted({(p.province_code, r.team_id) for p in plan.provinces for r in p.routes})
    plain = [key for key in keys if _stem(key[1]) == key[1]]
    others = [key for key in keys if _stem(key[1]) != key[1]]
    used: set[str] = set()
    stems: dict[tuple[str, str], str] = {}
    for province_code, team_id in [*plain, *others]:
        stem = _stem(team_id)
        if stem.lower() in used:
            stem = f"{_stem(province_code)}-{stem}"
        base, n = stem, 2
        while stem.lower() in used:
            stem, n = f"{base}-{n}", n + 1
        used.add(stem.lower())
        stems[(province_code, team_id)] = stem
    return stems


def _q(tag: str) -> str:
    return f"{{{GPX_NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: object | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag))
    if text is not None:
        element.text = _xml_text(text)
    return element


def _coord(value: float) -> str:
    return f"{value:.6f}"


_LABELS: dict[str, dict[Lang, str]] = {
    "depart": {"vi": "Xuất phát", "en": "Leave"},
    "back": {"vi": "Về", "en": "Back at"},
    "people": {"vi": "người dự kiến", "en": "people expected"},
    "route": {"vi": "Lộ trình", "en": "Route"},
}


def _stop_name(number: int, stop: Stop, lang: Lang) -> str:
    if stop.kind == "conference":
        where = stop.venue_name or stop.venue_id or stop.commune_name
        return f"{number}. {t('conference', lang)}: {where}"
    return f"{number}. {stop.commune_name}"


def _stop_comment(stop: Stop, lang: Lang) -> str:
    return (
        f"{hhmm(stop.start_min)}–{hhmm(stop.end_min)} · "
        f"{kind_label(stop.kind, lang, stop.pass_number)}"
    )


def _stop_description(stop: Stop, lang: Lang) -> str:
    expected = stop.expected_attendance if stop.kind == "conference" else stop.people_reached
    parts = [f"{stop.commune_name} ({stop.group_name})"]
    if stop.kind == "conference" and stop.venue_name:
        parts.insert(0, stop.venue_name)
    parts.append(f"{format_number(round(expected or 0), lang)} {_LABELS['people'][lang]}")
    return " · ".join(parts)


def _point(
    parent: ET.Element,
    tag: str,
    lat: float,
    lon: float,
    name: str,
    comment: str | None = None,
    description: str | None = None,
    kind: str | None = None,
) -> ET.Element:
    # wptType's children must come in the schema's order: name, cmt, desc, ..., type
    point = _sub(parent, tag)
    point.set("lat", _coord(lat))
    point.set("lon", _coord(lon))
    _sub(point, "name", name)
    if comment:
        _sub(point, "cmt", comment)
    if description:
        _sub(point, "desc", description)
    if kind:
        _sub(point, "type", kind)
    return point


def gpx_document(route: TeamDayRoute, province: ProvincePlan, *, lang: str = "vi") -> bytes:
    """One team-day as a GPX 1.1 document (UTF-8 bytes with the XML declaration)."""
    language = check_lang(lang)
    ET.register_namespace("", GPX_NS)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(_q("gpx"))
    root.set("version", "1.1")
    root.set("creator", CREATOR)
    root.set(f"{{{_XSI}}}schemaLocation", _SCHEMA_LOCATION)

    title = f"{t('team', language)} {route.team_id} — {format_date(route.date, language)}"
    metadata = _sub(root, "metadata")
    _sub(metadata, "name", title)
    _sub(
        metadata,
        "desc",
        f"{province.province_name} · {t('base', language)}: {route.base_name} · "
        f"{hhmm(route.depart_min)}–{hhmm(route.return_min)} · "
        f"{len(route.stops)} {t('stops', language)}",
    )
    lats = [route.base_lat, *(s.lat for s in route.stops)]
    lons = [route.base_lon, *(s.lon for s in route.stops)]
    bounds = _sub(metadata, "bounds")
    bounds.set("minlat", _coord(min(lats)))
    bounds.set("minlon", _coord(min(lons)))
    bounds.set("maxlat", _coord(max(lats)))
    bounds.set("maxlon", _coord(max(lons)))

    base_name = f"0. {t('base', language)}: {route.base_name}"
    base_comment = (
        f"{_LABELS['depart'][language]} {hhmm(route.depart_min)} · "
        f"{_LABELS['back'][language]} {hhmm(route.return_min)}"
    )
    _point(
        root,
        "wpt",
        route.base_lat,
        route.base_lon,
        base_name,
        base_comment,
        None,
        t("base", language),
    )
    for number, stop in enumerate(route.stops, start=1):
        _point(
            root,
            "wpt",
            stop.lat,
            stop.lon,
            _stop_name(number, stop, language),
            _stop_comment(stop, language),
            _stop_description(stop, language),
            kind_label(stop.kind, language),
        )

    rte = _sub(root, "rte")
    _sub(rte, "name", f"{_LABELS['route'][language]}: {title}")
    _sub(rte, "number", 1)
    _point(rte, "rtept", route.base_lat, route.base_lon, base_name, base_comment)
    for number, stop in enumerate(route.stops, start=1):
        _point(
            rte,
            "rtept",
            stop.lat,
            stop.lon,
            _stop_name(number, stop, language),
            _stop_comment(stop, language),
        )
    _point(
        rte,
        "rtept",
        route.base_lat,
        route.base_lon,
        f"{len(route.stops) + 1}. {_LABELS['back'][language]}: {route.base_name}",
        f"{_LABELS['back'][language]} {hhmm(route.return_min)}",
    )
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def write_gpx(plan: Plan, folder: Path, *, lang: str = "vi") -> list[Path]:
    """Write `<team>-<date>.gpx` for every team-day of `plan` into `folder`; return them."""
    language = check_lang(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stems = team_stems(plan)
    written: list[Path] = []
    used: set[str] = set()
    for province in plan.provinces:
        for route in sorted(province.routes, key=lambda r: (r.team_id, r.date)):
            name = f"{stems[(province.province_code, route.team_id)]}-{route.date.isoformat()}"
            base, n = name, 2
            while name.lower() in used:  # two routes of one team on one day: keep both
                name, n = f"{base}-{n}", n + 1
            used.add(name.lower())
            path = folder / f"{name}.gpx"
            path.write_bytes(gpx_document(route, province, lang=language))
            written.append(path)
    return written
