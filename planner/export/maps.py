"""Folium maps of a plan: a national overview, one page per province, one page per team.

What `write_maps(plan, geo, out_dir)` writes:

- `index.html`: every province of the structure; those in the plan shaded by expected reach
  per target person (`kpis.people_reached / target_people`), each with a link to its page;
  the others grey.
- `<province-code>.html`: district/cluster and commune boundaries (approximate: Voronoi
  cells, said so in the legend and the attribution), communes shaded by the passes they
  receive, each team-day's route as its own layer in the layer control (base -> stops ->
  base, stops numbered in order, conferences with their own marker), isolated communes
  hatched, unserved communes outlined in red with the reason in their popup. The page opens
  on one day's routes (the first day; today, or the next working day, while the campaign
  is on); the side panel steps from day to day (◀ ▶), shows any day and/or team or all,
  and has a legend of the teams, each in its own colour (`team_palette`: distinct for 40
  teams and more), fading the teams not out on the day shown.
- `teams/<team-id>.html`: one team's campaign, one layer per day, with a day list that works
  on a phone; it opens on one day (today while the campaign is on, else the first day).
  The page carries Leaflet inside it so it can be sent alone. An id that is not
  a plain file name (or is a reserved one, such as `index`) gives `team-<id>.html` with the
  id made safe, and names are unique within the plan (`team_files`).
- `lib/`: Leaflet (from XStatic-Leaflet), used by the index and province pages.

What comes from summary.json is given as plain data (`write_maps(..., summary=...)`: the
dictionary `planner run` writes; this module never imports the solver):

- `history` (planner/history.py): the national page's panel "So với lịch sử" puts the plan's
  new participants as a national month beside the best month on record, and its conferences
  beside 2019's, with the ratios and the warning when the prediction is above the record;
- `launch` = {"date": "YYYY-MM-DD", "start": "HH:MM"}: the routes of that date are the launch
  parades ("Lễ ra quân"), drawn on the national page as a layer of their own, in the layer
  control and the legend; without the key, nothing is drawn;
- `territories` = {province code: {team id: {"home": group code, "groups": [group codes] or
  {code: name} or null}}} (null: the whole province): each team page outlines its team's
  territory (the union of its districts' or clusters' polygons) dashed, with a legend entry
  "Địa bàn của đội", and the province page has them as a layer, off until ticked. Without
  it, a team page outlines the team's own district or cluster (`TeamDayRoute.team_group_code`)
  and says so ("Huyện của đội"), since the territory may be wider.

No page fetches a script or stylesheet from the network (`_offline.check_offline` guards
every write); only the OpenStreetMap background tiles need the Internet, and everything the
plan draws is vector data inside the page.

Busy provinces (Thanh Hóa: 26 teams, 200 stops a day). Stops of a team-day at one place
(within 50 m: a commune passed twice, a conference at the post office) are one marker,
numbered "1·8", whose popup lists them all (`colocated`); two teams at one place on one day
have their markers set side by side on a small ring (`shared_place_offsets`); a base with a
stop on it is drawn a little up and left (`base_offset`). Every page has a metric scale.

Zoomed out, the province page clusters stop markers, in a few lines of its own script
(`plClusters`: Leaflet.markercluster is not shipped, and nothing may be fetched). At the
zoom a whole province opens on (9.5 for Thanh Hóa on a 1280 x 900 screen) the 26 px markers
of a day's 200 stops pile up on one another and on the lines; from zoom 11 on
(`CLUSTER_BELOW_ZOOM`: about 70 m a pixel, where a team's stops a few kilometres apart sit
tens of pixels apart) every marker shows, as before. Below zoom 11 the stop markers of the
routes shown are grouped by the cells of a 48 px grid (`CLUSTER_CELL_PX`: about two markers
wide; markers closer than that overlap or touch, markers farther apart read on their own),
and each cell holding two markers or more is drawn as one round bubble with its number of
stops: in the team's colour when they are all one team's, grey when teams mix. Clicking a
bubble zooms to its stops, to zoom 11 at least, where they show as markers. A marker alone
in its cell stays a marker, and the route lines always show, so each team's path across the
province still reads. The grid is redrawn when the zoom or the view changes and when the day
or team filter (or the layer control) changes the routes shown. Markers also shrink when
zoomed out (`plScaleMarkers`, CSS only). "Show all routes" draws every day, for a planner
who wants the month at a glance, clustered the same way. Team pages (one team, about 10
stops a day) are not clustered.

Safety: every name from the input data goes through `esc()` before it is put into HTML, and
all data enters the page's script as JSON with `<`, `>` and `&` escaped, so a commune named
`<script>...</script>` shows as text.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.map import Layer
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from planner.export import _offline
from planner.export._offline import js_literal as _js
from planner.export.i18n import (
    Lang,
    check_lang,
    format_date,
    format_number,
    format_percent,
    format_short_date,
    kind_label,
    reason_label,
    rule_level_label,
    slot_label,
    t,
    vehicle_label,
)
from planner.messages import localize, scenario_title
from planner.plan import Plan, ProvincePlan, Stop, TeamDayRoute, Unserved, hhmm

if TYPE_CHECKING:
    import geopandas as gpd

    from planner.geo.load import GeoData

__all__ = [
    "LAUNCH_COLOUR",
    "TERRITORY_COLOUR",
    "Isolated",
    "Launch",
    "TeamTerritory",
    "base_offset",
    "colocated",
    "esc",
    "navigation_url",
    "overview_map",
    "province_file",
    "province_map",
    "route_places",
    "shared_place_offsets",
    "team_files",
    "team_map",
    "team_palette",
    "team_territories",
    "text_colour",
    "write_maps",
]

Isolated = Mapping[str, Sequence[dt.date]]
"""Commune code -> the days it is isolated (locked down), for hatching on the maps."""

PROVINCE_TOLERANCE_DEG = 0.001  # polygon simplification on province pages (about 100 m)
OVERVIEW_TOLERANCE_DEG = 0.005  # on the national overview (about 500 m)
COORD_DIGITS = 5  # about 1 m

CLUSTER_BELOW_ZOOM = 11  # province pages: below this zoom, stop markers are clustered
CLUSTER_CELL_PX = 48  # ... by a grid of cells this many screen pixels wide
NEAR_METRES = 50.0  # stops closer than this draw as one marker (one place, several stops)
MARKER_PX = 26  # a stop marker's height (and a single stop's width), in CSS pixels
BASE_OFFSET_PX = 17  # a base with a stop on it is drawn this far up and left of the stop
COVERAGE_COLOURS = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5")  # 0, 1, 2, 3+ passes
REACH_COLOURS = ("#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837")
OUTSIDE_PLAN_COLOUR = "#bdbdbd"
UNSERVED_COLOUR = "#d32f2f"
ISOLATED_COLOUR = "#e65100"
LAUNCH_COLOUR = "#c62828"  # the launch parades on the national page
TERRITORY_COLOUR = "#0d47a1"  # a team's territory, dashed, on its page
WARNING_COLOUR = "#b71c1c"

# Words of this module only (history, launch day, territories), Vietnamese first.
_WORDS: dict[str, dict[Lang, str]] = {
    "history": {"vi": "So với lịch sử", "en": "Against the record"},
    "month_new": {
        "vi": "Người tham gia mới dự báo, quy ra một tháng cả nước",
        "en": "Predicted new participants, as a national month",
    },
    "best_month": {"vi": "Tháng tốt nhất từng có", "en": "Best month on record"},
    "ratio_best": {"vi": "Kế hoạch / tháng tốt nhất", "en": "Plan / best month"},
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


# -- small helpers ------------------------------------------------------------------------------


def esc(text: object) -> str:
    """`text` safe to put into HTML: `<`, `>`, `&` and quotes as entities."""
    return html.escape(str(text), quote=True)


def navigation_url(lat: float, lon: float) -> str:
    """A Google Maps directions link to a point (opened by the user, never fetched)."""
    return f"https://www.google.com/maps/dir/?api=1&destination={lat:.6f},{lon:.6f}"


def _round(value: float) -> float:
    return round(float(value), COORD_DIGITS)


def _latlon(lat: float, lon: float) -> list[float]:
    return [_round(lat), _round(lon)]


# -- team colours and markers at one place --------------------------------------------------------

_PALETTE_LIGHTNESS = (0.50, 0.68, 0.38)  # OKLab lightness of the palette's rings, in use order
_PALETTE_CHROMA = 0.16


def _oklch_rgb(lightness: float, chroma: float, hue: float) -> tuple[float, float, float]:
    """An OKLCh colour (hue in radians) as sRGB components, not clipped (Ottosson's matrices)."""
    a, b = chroma * math.cos(hue), chroma * math.sin(hue)
    l_ = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    linear = (
        4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
        -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
        -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_,
    )

    def encode(c: float) -> float:
        return (
            12.92 * c if c <= 0.0031308 else 1.055 * math.copysign(abs(c) ** (1 / 2.4), c) - 0.055
        )

    r, g, b_ = (encode(c) for c in linear)
    return r, g, b_


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def team_palette(n: int) -> list[str]:
    """`n` colours for `n` teams, all told apart on a map (`n` of 40 or more too).

    Hues are evenly spaced around the OKLCh circle (a perceptual colour space, so that no
    stretch of greens eats half the palette) on up to three lightness rings: one ring for up
    to 10 teams, two up to 22, three beyond; each ring's hues sit between the previous
    ring's. A colour outside sRGB loses chroma until it fits. The colours are then dealt out
    with a stride of about n/2.6, so that teams next to each other in the list (often
    neighbouring districts) get far-apart hues. 40 teams are at least 11 CIELAB units apart.
    """
    if n <= 0:
        return []
    rings = _PALETTE_LIGHTNESS[: 1 if n <= 10 else 2 if n <= 22 else 3]
    per_ring = math.ceil(n / len(rings))
    colours: list[str] = []
    for i in range(n):
        ring, k = divmod(i, per_ring)
        hue = 2 * math.pi * (k + ring / len(rings)) / per_ring + 0.5
        chroma = _PALETTE_CHROMA
        rgb = _oklch_rgb(rings[ring], chroma, hue)
        while chroma > 0 and not all(-1e-9 <= c <= 1 + 1e-9 for c in rgb):
            chroma = max(0.0, chroma - 0.005)
            rgb = _oklch_rgb(rings[ring], chroma, hue)
        colours.append(_hex(rgb))
    stride = max(1, round(n / 2.618))
    while math.gcd(stride, n) != 1:
        stride += 1
    return [colours[(i * stride) % n] for i in range(n)]


def _luminance(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour(background: str) -> str:
    """White or near-black, whichever reads better on `background` (#rrggbb)."""
    lum = _luminance(background)
    return "#fff" if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / (0.0056 + 0.05)) else "#111"


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two (lat, lon) points close together (equirectangular)."""
    dy = (a[0] - b[0]) * 111_320.0
    dx = (a[1] - b[1]) * 111_320.0 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def colocated(
    points: Sequence[tuple[float, float]], metres: float = NEAR_METRES
) -> list[list[int]]:
    """The points (lat, lon) grouped by place: indices, each group within `metres` of its
    first point, groups in the order of their first point.

    A team that comes back to a commune in the day (stop 1 and stop 8), or holds a
    conference at the post office it passes by, has several stops at one place: they are
    drawn as one marker numbered "1·8" whose popup lists them all.
    """
    groups: list[list[int]] = []
    for i, point in enumerate(points):
        for group in groups:
            if _metres(points[group[0]], point) <= metres:
                group.append(i)
                break
        else:
            groups.append([i])
    return groups


def _geometry_json(geometry: BaseGeometry, tolerance: float) -> dict[str, Any] | None:
    """GeoJSON of a simplified geometry, coordinates rounded; None for an empty one."""
    if geometry is None or geometry.is_empty:
        return None
    if tolerance > 0 and geometry.geom_type in ("Polygon", "MultiPolygon"):
        simplified = geometry.simplify(tolerance, preserve_topology=True)
        geometry = simplified if not simplified.is_empty else geometry
    geometry = shapely.transform(geometry, lambda xy: np.round(xy, COORD_DIGITS))
    mapped: dict[str, Any] = shapely.geometry.mapping(geometry)
    return mapped


# Names a page file must not take: the index pages beside them (maps/index.html,
# sheets/index.html), the folders beside them (maps/lib/, maps/teams/), and the names Windows
# keeps for devices, with any extension ("con.html" cannot be created there).
_RESERVED_STEMS = frozenset(
    {"index", "lib", "teams", "con", "prn", "aux", "nul"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
)
_MAX_STEM = 100  # file systems allow 255 bytes a name; keep well below, with room for "-2"


def _file_stem(text: str) -> str:
    """A file name made of letters, digits, '.', '_' and '-' only, not starting with '.'."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:_MAX_STEM].strip("._")
    return stem or "team"


def _is_plain_name(text: str) -> bool:
    """True if `text` is its own safe file stem and no reserved name (nor one with a dot:
    Windows keeps "con.x" as it keeps "con")."""
    return _file_stem(text) == text and text.lower().split(".")[0] not in _RESERVED_STEMS


def province_file(province_code: str) -> str:
    """A province page's file name: '27.html'; 'province-<code>.html' for an unsafe code."""
    if _is_plain_name(province_code):
        return f"{province_code}.html"
    return f"province-{_file_stem(province_code)}.html"


def team_files(plan: Plan) -> dict[tuple[str, str], str]:
    """(province code, team id) -> the team page's file name, unique within the plan.

    The same names serve maps/teams/ and sheets/. A team id that is a plain file name
    (letters, digits, '.', '_', '-', at most 100 characters, not a reserved name such as
    'index') keeps it: '27-256-1.html'. Any other id becomes 'team-<id>.html' with every
    other character replaced by '_' (a team 'index' would otherwise overwrite the route
    sheets' index, and an id with '/' or '..' would be a path). Names are unique ignoring
    case (case-insensitive file systems): a name already taken gets the province code in
    front, then a number behind. Plain ids are named first, so that no other id can take
    the name a plain id would keep.
    """
    keys = sorted({(p.province_code, r.team_id) for p in plan.provinces for r in p.routes})
    plain = [key for key in keys if _is_plain_name(key[1])]
    others = [key for key in keys if not _is_plain_name(key[1])]
    names: dict[tuple[str, str], str] = {}
    used: set[str] = set(_RESERVED_STEMS)
    for province_code, team_id in [*plain, *others]:
        stem = team_id if _is_plain_name(team_id) else f"team-{_file_stem(team_id)}"
        if stem.lower() in used:
            stem = f"{_file_stem(province_code)}-{stem}"
        base, n = stem, 2
        while stem.lower() in used:
            stem, n = f"{base}-{n}", n + 1
        used.add(stem.lower())
        names[(province_code, team_id)] = f"{stem}.html"
    return names


def _date_ranges(days: Iterable[dt.date], lang: Lang) -> str:
    """23/05/2020–25/05/2020, 28/05/2020: consecutive days as one range."""
    ordered = sorted(set(days))
    runs: list[tuple[dt.date, dt.date]] = []
    for day in ordered:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts = []
    for first, last in runs:
        a = format_date(first, lang, with_weekday=False)
        parts.append(a if first == last else f"{a}–{format_date(last, lang, with_weekday=False)}")
    return ", ".join(parts)


def _team_name(team_id: str, lang: Lang) -> str:
    return f"{t('team', lang)} {team_id}"


def _route_key(route: TeamDayRoute) -> tuple[str, dt.date]:
    return (route.team_id, route.date)


# -- what summary.json gives the maps, as plain data ------------------------------------------


@dataclass(frozen=True)
class TeamTerritory:
    """The groups (districts, clusters) a team may work in, as the maps draw them.

    groups: None for the whole province. known: False when only the team's own group is
    known (no territories given): the outline is then labelled as the team's district.
    """

    home: str
    groups: tuple[str, ...] | None
    known: bool = True


@dataclass(frozen=True)
class Launch:
    """The launch day: its routes are the launch parades ("Lễ ra quân")."""

    date: dt.date
    start: str  # "HH:MM", "" when not given

    @classmethod
    def of(cls, value: Mapping[str, Any] | None) -> Launch | None:
        """summary.json's `launch` ({"date": "YYYY-MM-DD", "start": "HH:MM"}); None when absent.

        Raises ValueError for a date that is not YYYY-MM-DD.
        """
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(str(value["date"]))
        except (KeyError, ValueError):
            raise ValueError(
                f"summary launch: expected a date YYYY-MM-DD, got {value.get('date')!r}"
            ) from None
        return cls(day, str(value.get("start") or ""))


def team_territories(
    plan: Plan, territories: Mapping[str, Any] | None
) -> dict[tuple[str, str], TeamTerritory]:
    """(province code, team id) -> its territory, for every team with a route.

    territories: summary.json's `territories` ({province: {team: {"home", "groups"}}}, groups
    a list of codes, an object code -> name, or null for the whole province). A team it does
    not list falls back to its own group (`team_group_code`, `known=False`), or to nothing
    when the routes do not say it.
    """
    given = territories or {}
    out: dict[tuple[str, str], TeamTerritory] = {}
    for province in plan.provinces:
        listed = given.get(province.province_code) or {}
        for route in province.routes:
            key = (province.province_code, route.team_id)
            if key in out:
                continue
            entry = listed.get(route.team_id)
            if isinstance(entry, Mapping):
                groups = entry.get("groups")
                home = str(entry.get("home") or route.team_group_code)
                out[key] = TeamTerritory(
                    home, None if groups is None else tuple(str(g) for g in groups)
                )
            elif route.team_group_code:
                out[key] = TeamTerritory(
                    route.team_group_code, (route.team_group_code,), known=False
                )
    return out


# -- page furniture: styles, scripts, elements ---------------------------------------------------

_STYLE = """
<style>
.pl-stop, .pl-base, .pl-label { background: none; border: none; }
.pl-stop span, .pl-base span {
  display: block; box-sizing: border-box; width: 26px; height: 26px; border-radius: 50%;
  border: 2px solid #fff; box-shadow: 0 0 3px rgba(0, 0, 0, .7); color: #fff;
  font: bold 12px/22px Arial, sans-serif; text-align: center;
}
.pl-stop-conference span { border-radius: 3px; border: 3px solid #ffd600; line-height: 20px; }
.pl-base span { border-radius: 3px; background: #212121; font-size: 14px; }
.pl-cluster { background: none; border: none; }
.pl-cluster span {
  display: block; box-sizing: border-box; border-radius: 50%; border: 2px solid #fff;
  box-shadow: 0 0 0 3px rgba(0, 0, 0, .28), 0 1px 6px rgba(0, 0, 0, .6);
  font: bold 13px Arial, sans-serif; text-align: center; cursor: pointer;
}
.pl-far .pl-stop span, .pl-far .pl-base span { transform: scale(.8); }
.pl-farther .pl-stop span, .pl-farther .pl-base span { transform: scale(.62); }
.pl-teams { list-style: none; padding-left: 0 !important; }
.pl-teams li { margin: 2px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pl-teams li.pl-idle { opacity: .4; }
.pl-teams .pl-line { display: inline-block; width: 22px; height: 6px; border-radius: 3px;
  vertical-align: middle; margin-right: 5px; }
.pl-daynav button { min-width: 34px; }
.pl-label span {
  display: inline-block; transform: translate(-50%, -50%); white-space: nowrap;
  font: 600 12px/1.2 Arial, sans-serif; color: #263238; pointer-events: none;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff;
}
.pl-panel {
  position: absolute; z-index: 1000; left: 10px; bottom: 26px; max-width: 320px;
  max-height: calc(100vh - 120px); overflow: auto; background: rgba(255, 255, 255, .95); padding: 8px 10px;
  border-radius: 6px; box-shadow: 0 1px 5px rgba(0, 0, 0, .4); font: 13px/1.35 Arial, sans-serif;
}
.pl-panel summary { cursor: pointer; font-weight: bold; min-height: 24px; }
.pl-panel table { border-collapse: collapse; margin: 4px 0; }
.pl-panel td { padding: 1px 6px 1px 0; vertical-align: top; }
.pl-panel td.n { text-align: right; }
.pl-panel button { margin: 4px 4px 4px 0; padding: 6px 10px; font-size: 13px; cursor: pointer; }
.pl-panel ul { margin: 4px 0; padding-left: 18px; }
.pl-panel a { color: #0d47a1; }
.pl-sw { display: inline-block; width: 14px; height: 12px; border: 1px solid #555;
  vertical-align: middle; margin-right: 4px; }
.pl-note { color: #555; font-size: 12px; margin: 4px 0; }
.pl-filter label { display: inline-block; margin: 4px 6px 2px 0; }
.pl-filter select { font-size: 13px; padding: 3px; max-width: 150px; }
@media (max-width: 800px) {
  .pl-panel { bottom: 48px; max-width: 85vw; max-height: calc(100vh - 140px); }
}
.pl-pop { font: 13px/1.4 Arial, sans-serif; }
.pl-pop a.pl-nav { display: inline-block; margin-top: 4px; }
</style>
"""

_HATCH = """
<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
<pattern id="pl-hatch" patternUnits="userSpaceOnUse" width="8" height="8"
 patternTransform="rotate(45)"><rect width="8" height="8" fill="#e65100" fill-opacity="0.10"/>
<line x1="0" y1="0" x2="0" y2="8" stroke="#e65100" stroke-width="3" stroke-opacity="0.8"/>
</pattern></defs></svg>
"""

# Shared functions of every page. Stops come as compact arrays whose text was escaped on the
# server; their popups are put together from them when opened, with the page's labels
# (`plLabels`, set per page), so that a month of stops stays small.
_SCRIPT = """
<script>
function plRow(label, value) { return label + ': <b>' + value + '</b><br>'; }
function plStopPopup(s, meta) {
  // s = [lat, lon, number, colour, what, commune, group, arrival, start, end, people,
  //      enrolments, rule level, conference: null or [venue, slot, invited, attendance,
  //      cap, seats], number colour, estimates and venue details (html), navigation label];
  //      meta = [team, date]
  var L_ = plLabels, conf = s[13];
  var h = '<div class="pl-pop"><b>' + L_.stop + ' ' + Number(s[2]) + ' · ' + s[4] + '</b><br>'
    + s[5] + ' (' + s[6] + ')<br>' + meta[0] + ' · ' + meta[1] + '<br>'
    + plRow(L_.arrival, s[7]) + (s[8] !== s[7] ? plRow(L_.start, s[8]) : '')
    + plRow(L_.end, s[9]);
  if (conf) {
    h += plRow(L_.venue, conf[0]) + (conf[1] ? plRow(L_.slot, conf[1]) : '')
      + plRow(L_.invited, conf[2]) + plRow(L_.attendance, conf[3]) + plRow(L_.cap, conf[4])
      + (conf[5] ? plRow(L_.seats, conf[5]) : '');
  }
  h += plRow(L_.people, s[10]) + plRow(L_.enrolments, s[11]) + plRow(L_.rule, s[12])
    + (s[15] || '');
  return h + '<a class="pl-nav" target="_blank" rel="noopener" '
    + 'href="https://www.google.com/maps/dir/?api=1&amp;destination='
    + Number(s[0]).toFixed(6) + ',' + Number(s[1]).toFixed(6) + '">' + (s[16] || L_.navigate)
    + ' ›</a></div>';
}
function plRoutePopup(meta, r) {
  // r = [base, vehicle, depart, return, lunch or '', stops, km]
  var L_ = plLabels;
  return '<div class="pl-pop"><b>' + meta[0] + '</b> · ' + meta[1] + '<br>'
    + plRow(L_.base, r[0]) + plRow(L_.vehicle, r[1]) + plRow(L_.depart, r[2])
    + plRow(L_.return, r[3]) + (r[4] ? plRow(L_.lunch, r[4]) : '')
    + plRow(L_.stops, r[5]) + plRow(L_.km, r[6]) + '</div>';
}
function plDay(group, line, meta, route, stops, places) {
  line.bindPopup(function () { return plRoutePopup(meta, route); }, {maxWidth: 340});
  line.bindTooltip(meta[0], {sticky: true});
  plStops(group, meta, stops, places);
}
function plStops(group, meta, stops, places) {
  // places = [[stop indices at one place], dx, dy]: one marker each, numbered "1·8",
  // moved dx, dy pixels when another team's marker is at the same place that day
  (places || stops.map(function (s, i) { return [[i], 0, 0]; })).forEach(function (p) {
    var here = p[0].map(function (i) { return stops[i]; }), s = here[0];
    var label = here.map(function (x) { return Number(x[2]); }).join('·');
    var conference = here.some(function (x) { return x[13]; });
    var w = Math.max(26, 10 + 7 * label.length), dx = p[1] || 0, dy = p[2] || 0;
    var icon = L.divIcon({
      className: 'pl-stop pl-stop-' + (conference ? 'conference' : 'pass'),
      html: '<span style="background:' + s[3] + ';color:' + s[14] + ';width:' + w + 'px">'
        + label + '</span>',
      iconSize: [w, 26], iconAnchor: [w / 2 - dx, 13 - dy], popupAnchor: [dx, dy - 12]
    });
    var marker = L.marker([s[0], s[1]], {icon: icon, riseOnHover: true})
      .bindPopup(function () {
        return here.map(function (x) { return plStopPopup(x, meta); }).join('<hr>');
      }, {maxWidth: 340, maxHeight: 380})
      .addTo(group);
    // for plClusters: its layer, [stops, colour, number colour, team]
    marker.plGroup = group; marker.plInfo = [here.length, s[3], s[14], meta[0]];
    (group.plStops = group.plStops || []).push(marker);
  });
}
function plClusters(map, shown, below, cell) {
  // Below zoom `below`, the stop markers of the route layers `shown()` that fall in one
  // `cell`-pixel square (of the map's pixel grid at that zoom) are taken off their layer and
  // drawn as one bubble with their number of stops: in the team's colour if they are one
  // team's, grey if teams mix; a click zooms to them. Lines stay. Returns the update
  // function (run it when the routes shown change); see planner/export/maps.py.
  var bubbles = L.layerGroup().addTo(map), last = null;
  function show(m, on) {
    if (!m.plHidden === on) { return; }
    m.plHidden = !on;
    if (on) { m.plGroup.addLayer(m); } else { m.plGroup.removeLayer(m); }
  }
  function bubble(here, z) {
    var n = 0, teams = {}, x = 0, y = 0, points = [];
    here.forEach(function (m) {
      var p = map.project(m.getLatLng(), z);
      n += m.plInfo[0]; teams[m.plInfo[3]] = m.plInfo; x += p.x; y += p.y;
      points.push(m.getLatLng());
    });
    var names = Object.keys(teams), one = names.length === 1 ? teams[names[0]] : null;
    var d = Math.round(Math.min(44, 26 + 5 * Math.log(n) / Math.LN2));
    var icon = L.divIcon({className: 'pl-cluster', iconSize: [d, d],
      html: '<span title="' + n + ' ' + plLabels.stopsCount + ' · ' + names.join(', ')
        + '" style="background:' + (one ? one[1] : '#616161') + ';color:'
        + (one ? one[2] : '#fff') + ';width:' + d + 'px;height:' + d + 'px;line-height:'
        + (d - 4) + 'px">' + n + '</span>'});
    var centre = map.unproject(L.point(x / here.length, y / here.length), z);
    L.marker(centre, {icon: icon}).on('click', function () {
      var box = L.latLngBounds(points);
      var zoom = map.getBoundsZoom(box, false, L.point(80, 80));
      map.setView(box.getCenter(), Math.min(16, Math.max(below, zoom)));
    }).addTo(bubbles);
  }
  function update() {
    var z = map.getZoom(), layers = shown(), cells = {};
    var key = z + ':' + layers.map(L.stamp).join(',');
    if (key === last) { return; }
    last = key;
    bubbles.clearLayers();
    layers.forEach(function (layer) {
      (layer.plStops || []).forEach(function (m) {
        if (z >= below) { show(m, true); return; }
        var p = map.project(m.getLatLng(), z);
        var k = Math.floor(p.x / cell) + ',' + Math.floor(p.y / cell);
        (cells[k] = cells[k] || []).push(m);
      });
    });
    Object.keys(cells).forEach(function (k) {
      var here = cells[k];
      here.forEach(function (m) { show(m, here.length < 2); });
      if (here.length > 1) { bubble(here, z); }
    });
  }
  map.on('zoomend moveend overlayadd overlayremove', update);
  update();
  return update;
}
function plToday() {
  var d = new Date();
  return d.getFullYear() + '-' + ('0' + (d.getMonth() + 1)).slice(-2) + '-'
    + ('0' + d.getDate()).slice(-2);
}
function plOpeningDay(days) {
  // days: ISO dates, sorted. Today if the campaign is on (or the next working day), else
  // the first day
  var today = plToday();
  if (!days.length || today < days[0] || today > days[days.length - 1]) { return days[0]; }
  for (var i = 0; i < days.length; i++) { if (days[i] >= today) { return days[i]; } }
  return days[0];
}
function plScaleMarkers(map) {
  // far out, stop markers shrink so that the day's routes stay readable (province pages
  // also cluster them: plClusters)
  function update() {
    var z = map.getZoom(), c = map.getContainer().classList;
    c.toggle('pl-far', z < 10 && z >= 8.5); c.toggle('pl-farther', z < 8.5);
  }
  map.on('zoomend', update); update();
}
function plMarks(group, marks, className, size) {
  marks.forEach(function (m) {
    // m = [lat, lon, label html, popup html or null, null or [dx, dy] pixels off the point]
    var d = m[4] || [0, 0];
    var icon = L.divIcon({className: className, html: '<span>' + m[2] + '</span>',
      iconSize: size, iconAnchor: size ? [size[0] / 2 - d[0], size[1] / 2 - d[1]] : null,
      popupAnchor: [d[0], d[1] - 12]});
    var marker = L.marker([m[0], m[1]], {icon: icon, interactive: !!m[3],
      keyboard: !!m[3]});
    if (m[3]) { marker.bindPopup(m[3], {maxWidth: 340}); }
    marker.addTo(group);
  });
}
</script>
"""

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


class GeoJsonLayer(Layer):
    """A GeoJSON overlay whose features carry their style key, popup and tooltip.

    Each feature's properties are `k` (an index into `styles`), `p` (popup HTML, escaped) and
    `t` (tooltip HTML, escaped); points are drawn as circles.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var styles = {{ this.styles_js }};
  return L.geoJSON({{ this.data_js }}, {
    attribution: {{ this.attribution_js }},
    interactive: {{ this.interactive_js }},
    style: function (f) { return styles[f.properties.k]; },
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: 6}); },
    onEachFeature: function (f, layer) {
      if (f.properties.p) { layer.bindPopup(f.properties.p, {maxWidth: 340}); }
      if (f.properties.t) { layer.bindTooltip(f.properties.t, {sticky: true}); }
    }
  });
})();
{% endmacro %}"""
    )

    def __init__(
        self,
        features: Sequence[Mapping[str, Any]],
        styles: Sequence[Mapping[str, Any]],
        *,
        name: str,
        attribution: str = "",
        interactive: bool = True,
        show: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PlannerGeoJson"
        self.features = list(features)
        self.data_js = _js({"type": "FeatureCollection", "features": self.features})
        self.styles_js = _js(list(styles))
        self.attribution_js = _js(attribution)
        self.interactive_js = "true" if interactive else "false"


class StopMarkers(MacroElement):
    """One team-day's numbered stops, and the popup of its line, added to its FeatureGroup.

    Each stop goes to the page as a compact array (`stop_record`), the day as another
    (`route_record`); popups are put together in the browser when opened. Stops at one place
    (`colocated`) make one marker; `offsets` moves a place's marker by a few pixels (another
    team is at the same place that day).
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "plDay({{ this._parent.get_name() }}, {{ this.line.get_name() }}, {{ this.meta_js }}, "
        "{{ this.route_js }}, {{ this.stops_js }}, {{ this.places_js }});\n"
        "{% endmacro %}"
    )

    def __init__(
        self,
        route: TeamDayRoute,
        line: folium.PolyLine,
        colour: str,
        lang: Lang,
        offsets: Mapping[int, tuple[int, int]] | None = None,
    ) -> None:
        super().__init__()
        self._name = "PlannerStops"
        self.line = line
        self.stops = list(route.stops)
        self.places = route_places(route)
        self.meta_js = _js(
            [esc(_team_name(route.team_id, lang)), esc(format_date(route.date, lang))]
        )
        self.route_js = _js(route_record(route, lang))
        self.stops_js = _js(
            [stop_record(s, n, colour, lang) for n, s in enumerate(route.stops, start=1)]
        )
        shift = offsets or {}
        self.places_js = _js(
            [[group, *shift.get(i, (0, 0))] for i, group in enumerate(self.places)]
        )


def route_places(route: TeamDayRoute) -> list[list[int]]:
    """A team-day's stops grouped by place (`colocated`): one marker each."""
    return colocated([(s.lat, s.lon) for s in route.stops])


class Marks(MacroElement):
    """Labels or base markers: [lat, lon, label html, popup html or None] each, and
    optionally the marker's offset from its point in pixels, [dx, dy]."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "plMarks({{ this._parent.get_name() }}, {{ this.marks_js }}, "
        "{{ this.class_js }}, {{ this.size_js }});\n"
        "{% endmacro %}"
    )

    def __init__(
        self,
        marks: Sequence[tuple[float, float, str, str | None]],
        class_name: str,
        size: tuple[int, int] | None,
        offsets: Sequence[tuple[int, int] | None] | None = None,
    ) -> None:
        super().__init__()
        self._name = "PlannerMarks"
        self.marks = list(marks)
        shift = list(offsets or [None] * len(self.marks))
        self.marks_js = _js(
            [
                [_round(a), _round(b), label, pop, list(d) if d else None]
                for (a, b, label, pop), d in zip(self.marks, shift, strict=True)
            ]
        )
        self.class_js = _js(class_name)
        self.size_js = _js(list(size) if size else None)


class _Html(MacroElement):
    """Raw HTML put into the page's body after the map (panels, day lists)."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.content }}{% endmacro %}")

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "PlannerHtml"
        self.content = content


class _Script(MacroElement):
    """Script run after every layer of the map exists."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}\n{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "PlannerScript"
        self.code = code


def _new_map(title: str, lang: Lang, *, team_page: bool = False) -> folium.Map:
    m = folium.Map(
        location=[16.0, 106.0],
        zoom_start=6,
        tiles=None,
        control_scale=False,  # a metric one is added by each page (folium's shows miles too)
        height="100%",
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    root = m.get_root()
    root.title = esc(title)  # type: ignore[attr-defined]
    root.header.add_child(Element(_STYLE), name="pl_style")  # type: ignore[attr-defined]
    root.header.add_child(Element(_SCRIPT), name="pl_script")  # type: ignore[attr-defined]
    root.header.add_child(Element(_labels_script(lang)), name="pl_labels")  # type: ignore[attr-defined]
    root.html.add_child(Element(_HATCH), name="pl_hatch")  # type: ignore[attr-defined]
    folium.TileLayer(
        "OpenStreetMap", name=esc(t("background_map", lang)), control=not team_page
    ).add_to(m)
    _Script(
        f"L.control.scale({{imperial: false, position: 'bottomright'}}).addTo({m.get_name()});"
    ).add_to(m)
    return m


def _save(m: folium.Map, path: Path, lang: Lang) -> Path:
    page = m.get_root().render().replace("<html>", f'<html lang="{lang}">', 1)
    _offline.check_offline(page, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def _fit(m: folium.Map, points: Iterable[tuple[float, float]], *, panel: bool) -> None:
    """Open the map on the box around `points` (lat, lon), clear of the side panel if any.

    On a wide screen the panel covers the left 340 px of the map, so the box is fitted into
    the rest; on a phone the panel starts folded and the box takes the whole map.
    """
    pts = [(lat, lon) for lat, lon in points if math.isfinite(lat) and math.isfinite(lon)]
    if not pts:
        return
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    m.location = [(min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2]
    bounds = [[_round(min(lats)), _round(min(lons))], [_round(max(lats)), _round(max(lons))]]
    left = "window.innerWidth > 800 ? 350 : 10" if panel else "10"
    _Script(
        f"{m.get_name()}.fitBounds({_js(bounds)}, "
        f"{{paddingTopLeft: [{left}, 10], paddingBottomRight: [10, 10]}});\n"
        + (
            "if (window.innerWidth <= 800) { document.querySelectorAll('.pl-panel > details')"
            ".forEach(function (d) { d.open = false; }); }\n"
            if panel
            else ""
        )
    ).add_to(m)


def _bounds_points(geometries: Iterable[BaseGeometry]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for g in geometries:
        if g is None or g.is_empty:
            continue
        minx, miny, maxx, maxy = g.bounds
        out += [(miny, minx), (maxy, maxx)]
    return out


# -- popups ---------------------------------------------------------------------------------


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


# -- province page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CommuneStatus:
    passes: int
    conferences: int
    visits: tuple[str, ...]
    unserved: Unserved | None
    isolated_days: tuple[dt.date, ...]


def _commune_status(
    province: ProvincePlan, isolated: Isolated | None, lang: Lang
) -> dict[str, _CommuneStatus]:
    passes: Counter[str] = Counter()
    conferences: Counter[str] = Counter()
    visits: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for route in province.routes:
        for stop in route.stops:
            if stop.kind == "pass":
                passes[stop.commune_code] += 1
            else:
                conferences[stop.commune_code] += 1
            what = kind_label(stop.kind, lang, stop.pass_number)
            visits[stop.commune_code].append(
                (
                    route.date,
                    f"{format_short_date(route.date, lang)} · {_team_name(route.team_id, lang)}"
                    f" · {what}",
                )
            )
    unserved = {u.code: u for u in province.unserved if u.kind == "commune"}
    codes = set(passes) | set(conferences) | set(unserved) | set(isolated or {})
    return {
        code: _CommuneStatus(
            passes=passes[code],
            conferences=conferences[code],
            visits=tuple(text for _, text in sorted(visits[code])),
            unserved=unserved.get(code),
            isolated_days=tuple(sorted(set((isolated or {}).get(code, ())))),
        )
        for code in codes
    }


def _coverage_index(passes: int) -> int:
    return min(passes, len(COVERAGE_COLOURS) - 1)


def _commune_popup(
    name: str,
    group_name: str,
    status: _CommuneStatus | None,
    province: ProvincePlan,
    lang: Lang,
    approximate: bool,
    estimated: tuple[bool, bool] = (False, False),
) -> str:
    parts = [
        '<div class="pl-pop">',
        f"<b>{esc(name)}</b><br>{esc(group_name)}<br>",
        _row(t("passes_received", lang), str(status.passes if status else 0)),
    ]
    position, population = estimated  # the commune's point and population are estimates
    if position:
        parts.append(_row(t("position", lang), esc(t("estimated", lang))))
    if population:
        parts.append(_row(t("population", lang), esc(t("estimated", lang))))
    if status and status.conferences:
        parts.append(_row(t("conferences", lang), str(status.conferences)))
    if status and status.visits:
        items = "".join(f"<li>{esc(v)}</li>" for v in status.visits)
        parts.append(f"{esc(t('visits', lang))}:<ul style='margin:2px 0;padding-left:16px'>")
        parts.append(items + "</ul>")
    if status and status.unserved:
        u = status.unserved
        parts.append(
            f"<span style='color:{UNSERVED_COLOUR}'><b>{esc(t('unserved', lang))}:</b> "
            f"{esc(reason_label(u.reason, lang))}</span><br>"
            f"<span class='pl-note'>{esc(localize(u.detail, lang))}</span><br>"
        )
    if status and status.isolated_days:
        parts.append(_row(t("isolated_on", lang), esc(_date_ranges(status.isolated_days, lang))))
    if approximate:
        parts.append(f"<span class='pl-note'>{esc(t('boundaries_communes', lang))}</span>")
    parts.append("</div>")
    return "".join(parts)


def _group_names(geo: GeoData, province_code: str) -> dict[str, str]:
    groups = geo.groups
    frame = groups[groups["province_code"] == province_code]
    for column in ("district_name", "cluster_name", "group_name", "name"):
        if column in frame.columns:
            return dict(zip(frame["group_code"], frame[column].astype(str), strict=True))
    return {code: str(code) for code in frame["group_code"]}


def _frame_rows(frame: gpd.GeoDataFrame) -> Iterable[dict[str, Any]]:
    geometry_column = frame.geometry.name
    for record in frame.to_dict("records"):
        record["geometry"] = record.pop(geometry_column)
        yield record


def _communes_layer(
    geo: GeoData,
    province: ProvincePlan,
    status: Mapping[str, _CommuneStatus],
    group_names: Mapping[str, str],
    lang: Lang,
) -> tuple[GeoJsonLayer, GeoJsonLayer | None, list[BaseGeometry]]:
    """The commune polygons shaded by coverage, and the isolated ones hatched."""
    communes = geo.communes[geo.communes["province_code"] == province.province_code]
    styles: list[dict[str, Any]] = []
    style_index: dict[tuple[int, bool], int] = {}
    features: list[dict[str, Any]] = []
    isolated_features: list[dict[str, Any]] = []
    geometries: list[BaseGeometry] = []
    for row in _frame_rows(communes):
        code = str(row["commune_code"])
        geometry = _geometry_json(row["geometry"], PROVINCE_TOLERANCE_DEG)
        if geometry is None:
            continue
        geometries.append(row["geometry"])
        st = status.get(code)
        coverage = _coverage_index(st.passes if st else 0)
        unserved = bool(st and st.unserved)
        key = (coverage, unserved)
        if key not in style_index:
            style_index[key] = len(styles)
            styles.append(
                {
                    "color": UNSERVED_COLOUR if unserved else "#546e7a",
                    "weight": 2 if unserved else 0.8,
                    "dashArray": "5 4" if unserved else None,
                    "fillColor": COVERAGE_COLOURS[coverage],
                    "fillOpacity": 0.55 if coverage else 0.35,
                }
            )
        name = str(row["commune_name"])
        group_name = group_names.get(str(row["group_code"]), str(row["group_code"]))
        approximate = bool(row.get("approximate", True))
        estimated = (
            bool(row.get("position_estimated", False)),
            bool(row.get("population_estimated", False)),
        )
        popup = _commune_popup(name, group_name, st, province, lang, approximate, estimated)
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"k": style_index[key], "p": popup, "t": esc(name)},
            }
        )
        if st and (st.isolated_days or (st.unserved and st.unserved.reason == "isolated")):
            isolated_features.append(
                {
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {"k": 0, "p": popup, "t": esc(name)},
                }
            )
    communes_layer = GeoJsonLayer(
        features,
        styles,
        name=esc(t("boundaries_communes", lang)),
        attribution=esc(t("approximate_short", lang)),
    )
    isolated_layer = None
    if isolated_features:
        isolated_layer = GeoJsonLayer(
            isolated_features,
            [
                {
                    "color": ISOLATED_COLOUR,
                    "weight": 2,
                    "dashArray": "4 3",
                    "fillColor": "url(#pl-hatch)",
                    "fillOpacity": 1,
                }
            ],
            name=esc(t("isolated", lang)),
        )
    return communes_layer, isolated_layer, geometries


def _groups_layer(
    geo: GeoData, province: ProvincePlan, group_names: Mapping[str, str], lang: Lang
) -> tuple[GeoJsonLayer, folium.FeatureGroup]:
    groups = geo.groups[geo.groups["province_code"] == province.province_code]
    features = []
    labels: list[tuple[float, float, str, str | None]] = []
    for row in _frame_rows(groups):
        geometry = _geometry_json(row["geometry"], PROVINCE_TOLERANCE_DEG)
        if geometry is None:
            continue
        name = group_names.get(str(row["group_code"]), str(row["group_code"]))
        features.append({"type": "Feature", "geometry": geometry, "properties": {"k": 0}})
        point = row["geometry"].representative_point()
        labels.append((point.y, point.x, esc(name), None))
    kind = "cluster" if province.group_label == "cluster" else "district"
    layer = GeoJsonLayer(
        features,
        [{"color": "#263238", "weight": 2.5, "fill": False, "opacity": 0.9}],
        name=esc(t(f"boundaries_{kind}", lang)),
        attribution=esc(t("approximate_short", lang)),
        interactive=False,
    )
    label_group = folium.FeatureGroup(name=esc(t(f"names_{kind}", lang)), show=True)
    Marks(labels, "pl-label", None).add_to(label_group)
    return layer, label_group


def _bases_group(province: ProvincePlan, lang: Lang) -> folium.FeatureGroup:
    teams_at: dict[str, set[str]] = defaultdict(set)
    where: dict[str, tuple[float, float, str, bool]] = {}
    for route in province.routes:
        teams_at[route.base_venue_id].add(route.team_id)
        where[route.base_venue_id] = (
            route.base_lat,
            route.base_lon,
            route.base_name,
            route.base_position_estimated,
        )
    marks: list[tuple[float, float, str, str | None]] = []
    offsets: list[tuple[int, int] | None] = []
    for venue_id in sorted(where):
        lat, lon, name, estimated = where[venue_id]
        offsets.append(base_offset(lat, lon, province.routes))
        teams = ", ".join(sorted(teams_at[venue_id]))
        popup = (
            f'<div class="pl-pop"><b>{esc(t("base", lang))}: {esc(name)}</b><br>'
            f"{esc(t('teams', lang))}: {esc(teams)}<br>"
            f'<a class="pl-nav" href="{esc(navigation_url(lat, lon))}" target="_blank" '
            f'rel="noopener">{esc(nav_label(estimated, lang))} ›</a></div>'
        )
        marks.append((lat, lon, "★", popup))
    group = folium.FeatureGroup(name=esc(t("bases", lang)), show=True)
    Marks(marks, "pl-base", (26, 26), offsets).add_to(group)
    return group


def _route_layer(
    route: TeamDayRoute,
    province: ProvincePlan,
    colour: str,
    name: str,
    lang: Lang,
    *,
    show: bool = True,
    offsets: Mapping[int, tuple[int, int]] | None = None,
) -> folium.FeatureGroup:
    """One team-day: the line base -> stops -> base and the numbered stops (see
    `StopMarkers` for `offsets`)."""
    group = folium.FeatureGroup(name=name, show=show)
    line = [_latlon(route.base_lat, route.base_lon)]
    line += [_latlon(s.lat, s.lon) for s in route.stops]
    line.append(_latlon(route.base_lat, route.base_lon))
    polyline = folium.PolyLine(line, color=colour, weight=4, opacity=0.85, class_name="pl-route")
    polyline.add_to(group)
    StopMarkers(route, polyline, colour, lang, offsets).add_to(group)
    return group


SHARED_PLACE_PX = 15  # markers of several teams at one place on one day sit on a ring this wide


def shared_place_offsets(
    routes: Sequence[TeamDayRoute],
) -> dict[int, dict[int, tuple[int, int]]]:
    """Route index -> place index (`route_places`) -> pixel offset of its marker, for the
    places two or more routes stop at on the same day: each route's marker is moved onto a
    small ring around the place, so that none hides another. Places only one route visits
    that day are not listed (no offset)."""
    by_day: dict[dt.date, list[tuple[int, int, tuple[float, float]]]] = defaultdict(list)
    for r, route in enumerate(routes):
        for k, group in enumerate(route_places(route)):
            stop = route.stops[group[0]]
            by_day[route.date].append((r, k, (stop.lat, stop.lon)))
    offsets: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for entries in by_day.values():
        for cluster in colocated([point for _, _, point in entries]):
            here = sorted({entries[i][0] for i in cluster})
            if len(here) < 2:
                continue
            for i in cluster:
                r, k, _ = entries[i]
                angle = 2 * math.pi * here.index(r) / len(here) - math.pi / 2
                offsets[r][k] = (
                    round(SHARED_PLACE_PX * math.cos(angle)),
                    round(SHARED_PLACE_PX * math.sin(angle)),
                )
    return dict(offsets)


def base_offset(lat: float, lon: float, routes: Iterable[TeamDayRoute]) -> tuple[int, int] | None:
    """The pixel offset of a base's marker: up and left when a stop is at the base (a
    conference at the post office the team leaves from), so that neither hides the other;
    None when no stop is there."""
    here = (lat, lon)
    for route in routes:
        for stop in route.stops:
            if _metres(here, (stop.lat, stop.lon)) <= NEAR_METRES:
                return (-BASE_OFFSET_PX, -BASE_OFFSET_PX)
    return None


def _team_colours(province: ProvincePlan) -> dict[str, str]:
    teams = sorted({r.team_id for r in province.routes})
    return dict(zip(teams, team_palette(len(teams)), strict=True))


def _swatch(colour: str, *, border: str = "#555", dashed: bool = False) -> str:
    style = f"background:{colour};border-color:{border}"
    if dashed:
        style += ";border-style:dashed;border-width:2px"
    return f'<span class="pl-sw" style="{style}"></span>'


def _route_filter(province: ProvincePlan, lang: Lang, first_day: dt.date | None) -> str:
    """Two lists to show the routes of one day and/or one team, and show-all/hide-all."""
    days = sorted({r.date for r in province.routes})
    teams = sorted({r.team_id for r in province.routes})
    day_options = "".join(
        f'<option value="{d.isoformat()}"{" selected" if d == first_day else ""}>'
        f"{esc(format_short_date(d, lang))}</option>"
        for d in days
    )
    team_options = "".join(
        f'<option value="{esc(team)}">{esc(_team_name(team, lang))}</option>' for team in teams
    )
    previous, following = esc(t("previous_day", lang)), esc(t("next_day", lang))
    return f"""<div class="pl-filter pl-daynav">
<label>{esc(t("day", lang))} <button type="button" onclick="plStepDay(-1)" title="{previous}" aria-label="{previous}">◀</button><select id="pl-day" onchange="plFilter()"><option value="">{esc(t("all_days", lang))}</option>{day_options}</select><button type="button" onclick="plStepDay(1)" title="{following}" aria-label="{following}">▶</button></label>
<label>{esc(t("team", lang))} <select id="pl-team" onchange="plFilter()"><option value="">{esc(t("all_teams", lang))}</option>{team_options}</select></label>
</div>
<div><button type="button" onclick="plShowRoutes(true)">{esc(t("show_all_routes", lang))}</button><button type="button" onclick="plShowRoutes(false)">{esc(t("hide_all_routes", lang))}</button></div>"""


def _province_panel(
    province: ProvincePlan,
    plan: Plan,
    lang: Lang,
    team_links: Mapping[str, str],
    has_isolated: bool,
    first_day: dt.date | None,
    *,
    has_territories: bool = False,
    title: str | None = None,
) -> str:
    k = province.kpis
    ratio = k.people_reached / province.target_people if province.target_people else 0.0
    days = sorted({r.date for r in province.routes})
    period = ""
    if days:
        first = format_date(days[0], lang, with_weekday=False)
        last = format_date(days[-1], lang, with_weekday=False)
        period = first if first == last else f"{first} – {last}"
    unserved = sum(1 for u in province.unserved if u.kind == "commune")
    rows = [
        (t("team_days", lang), f"{k.team_days_used} / {k.team_days_available}"),
        (t("passes", lang), format_number(k.passes, lang)),
        (t("conferences", lang), format_number(k.conferences, lang)),
        (t("people_reached", lang), format_number(k.people_reached, lang)),
        (t("target_people", lang), format_number(province.target_people, lang)),
        (t("reach_ratio", lang), format_percent(ratio, lang)),
        (t("expected_enrolments", lang), format_number(k.expected_enrolments, lang)),
        (t("unserved_communes", lang), f"{unserved} / {province.n_communes}"),
    ]
    table = "".join(f"<tr><td>{esc(a)}</td><td class='n'>{esc(b)}</td></tr>" for a, b in rows)
    # a team is named with the district or cluster it works in most
    team_groups: dict[str, Counter[str]] = defaultdict(Counter)
    for route in province.routes:
        team_groups[route.team_id].update(s.group_name for s in route.stops)
    colours = _team_colours(province)
    items = []
    for team, colour in colours.items():
        name = esc(_team_name(team, lang))
        href = team_links.get(team)
        group = team_groups[team].most_common(1)[0][0] if team_groups.get(team) else ""
        items.append(
            f'<li data-team="{esc(team)}" title="{name}{" · " + esc(group) if group else ""}">'
            f'<span class="pl-line" style="background:{colour}"></span>'
            + (f'<a href="{esc(href)}">{name}</a>' if href else name)
            + (f" · {esc(group)}" if group else "")
            + "</li>"
        )
    teams = "".join(items)
    coverage = "".join(
        f"<div>{_swatch(colour)}{'≥' if i == len(COVERAGE_COLOURS) - 1 else ''}{i}</div>"
        for i, colour in enumerate(COVERAGE_COLOURS)
    )
    legend = [
        f"<div><b>{esc(t('coverage', lang))}</b></div>{coverage}",
        f"<div>{_swatch('#fff', border=UNSERVED_COLOUR, dashed=True)}"
        f"{esc(t('unserved_communes', lang))}</div>",
    ]
    if has_isolated:
        legend.append(
            '<div><svg width="16" height="13" style="vertical-align:middle;margin-right:4px">'
            f'<rect width="15" height="12" fill="url(#pl-hatch)" stroke="{ISOLATED_COLOUR}"/>'
            f"</svg>{esc(t('isolated', lang))}</div>"
        )
    if has_territories:
        legend.append(
            f"<div>{_territory_swatch('#546e7a')}{esc(_w('territories', lang))} "
            f"<span class='pl-note'>({esc(_w('territories_note', lang))})</span></div>"
        )
    sample = "background:#546e7a;height:20px;font-size:10px"
    legend += [
        '<div><span class="pl-stop" style="display:inline-block;vertical-align:middle">'
        f'<span style="{sample};width:20px;line-height:16px">1</span></span> '
        f"{esc(t('pass', lang))}</div>",
        '<div><span class="pl-stop pl-stop-conference" style="display:inline-block;'
        f'vertical-align:middle"><span style="{sample};width:20px;line-height:14px">2</span>'
        f"</span> {esc(t('conference', lang))}</div>",
        '<div><span class="pl-stop" style="display:inline-block;vertical-align:middle">'
        f'<span style="{sample};width:34px;line-height:16px">1·8</span></span> '
        f"{esc(t('same_place', lang))}</div>",
        '<div><span class="pl-cluster" style="display:inline-block;vertical-align:middle">'
        '<span style="background:#616161;color:#fff;width:22px;height:22px;line-height:18px;'
        'font-size:10px">5</span></span> '
        f"{esc(t('stops', lang))}</div>",
        '<div><span class="pl-base" style="display:inline-block;vertical-align:middle">'
        '<span style="width:20px;height:20px;line-height:16px;font-size:11px">★</span></span> '
        f"{esc(t('base', lang))}</div>",
    ]
    return f"""
<div class="pl-panel"><details open><summary>{esc(province.province_name)}</summary>
<div class="pl-note">{esc(title or plan.scenario)} · {esc(period)}</div>
<div><a href="index.html">← {esc(t("back_to_overview", lang))}</a></div>
<table>{table}</table>
{_route_filter(province, lang, first_day)}
<details open><summary>{esc(t("team_colours", lang))} ({len(colours)})</summary><ul class="pl-teams" id="pl-teams">{teams}</ul>
<div class="pl-note">{esc(t("team_colours_note", lang))}.</div></details>
<details open><summary>{esc(t("legend", lang))}</summary>{"".join(legend)}</details>
<p class="pl-note">{esc(t("approximate_note", lang))}. {esc(t("offline_note", lang))}.</p>
</details></div>
"""


def province_map(
    province: ProvincePlan,
    plan: Plan,
    geo: GeoData,
    *,
    lang: Lang = "vi",
    isolated: Isolated | None = None,
    team_links: Mapping[str, str] | None = None,
    territories: Mapping[str, TeamTerritory] | None = None,
    title: str | None = None,
) -> folium.Map:
    """The page of one province (see the module docstring); not yet written anywhere.

    team_links: team id -> the relative address of its team page, listed in the panel.
    territories: team id -> its territory; those known are a layer of dashed outlines in
        the teams' colours, off until ticked in the layer control.
    title: the scenario's title, shown in the panel (its name when not given).
    """
    lang = check_lang(lang)
    m = _new_map(f"{province.province_name} — {t('campaign', lang)}", lang)
    group_names = _group_names(geo, province.province_code)
    for route in province.routes:
        for stop in route.stops:
            group_names.setdefault(stop.group_code, stop.group_name)
    status = _commune_status(province, isolated, lang)
    communes_layer, isolated_layer, geometries = _communes_layer(
        geo, province, status, group_names, lang
    )
    communes_layer.add_to(m)
    groups_layer, labels = _groups_layer(geo, province, group_names, lang)
    groups_layer.add_to(m)
    if isolated_layer is not None:
        isolated_layer.add_to(m)
    colours = _team_colours(province)
    known = {team: ter for team, ter in (territories or {}).items() if ter.known}
    territory_layer = _territories_layer(geo, province, known, colours, group_names, lang)
    if territory_layer is not None:
        territory_layer.add_to(m)
    labels.add_to(m)
    _bases_group(province, lang).add_to(m)

    # the page opens on one day's routes (the first day; today when the campaign is on);
    # the panel's lists show other days and teams
    first_day = min((r.date for r in province.routes), default=None)
    routes = sorted(province.routes, key=_route_key)
    shared = shared_place_offsets(routes)
    route_layers: list[tuple[folium.FeatureGroup, TeamDayRoute]] = []
    for i, route in enumerate(routes):
        name = f"{_team_name(route.team_id, lang)} · {format_short_date(route.date, lang)}"
        layer = _route_layer(
            route,
            province,
            colours[route.team_id],
            esc(name),
            lang,
            show=route.date == first_day,
            offsets=shared.get(i),
        )
        layer.add_to(m)
        route_layers.append((layer, route))

    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    _Html(
        _province_panel(
            province,
            plan,
            lang,
            team_links or {},
            isolated_layer is not None,
            first_day,
            has_territories=territory_layer is not None,
            title=title,
        )
    ).add_to(m)
    entries = ", ".join(
        f"[{layer.get_name()}, {_js(route.team_id)}, {_js(route.date.isoformat())}]"
        for layer, route in route_layers
    )
    days = sorted({r.date.isoformat() for r in province.routes})
    map_name = m.get_name()
    _Script(
        f"var plRouteLayers = [{entries}];\n"
        f"var plDayList = {_js(days)};\n"
        # zoomed out, the stop markers of the routes shown are clustered (module docstring)
        f"var plRecluster = plClusters({map_name}, function () {{\n"
        f"  return plRouteLayers.filter(function (e) {{ return {map_name}.hasLayer(e[0]); }})"
        ".map(function (e) { return e[0]; });\n"
        f"}}, {CLUSTER_BELOW_ZOOM}, {CLUSTER_CELL_PX});\n"
        "function plShow(entry, on) {\n"
        f"  if (on) {{ entry[0].addTo({map_name}); }} else {{ {map_name}.removeLayer(entry[0]); }}\n"
        "}\n"
        # the layer control redraws itself on every layer added or removed: take it off
        # the map while many layers change, or a month of routes takes minutes
        "function plBulk(change) {\n"
        f"  {control.get_name()}.remove(); change(); {control.get_name()}.addTo({map_name});\n"
        "  plLegend(); plRecluster();\n"
        "}\n"
        # the team legend fades the teams with no route on the map
        "function plLegend() {\n"
        "  var out = {};\n"
        f"  plRouteLayers.forEach(function (e) {{ if ({map_name}.hasLayer(e[0])) {{ out[e[1]] = true; }} }});\n"
        "  document.querySelectorAll('#pl-teams li').forEach(function (li) {\n"
        "    li.classList.toggle('pl-idle', !out[li.getAttribute('data-team')]);\n"
        "  });\n"
        "}\n"
        "function plFilter() {\n"
        "  var day = document.getElementById('pl-day').value;\n"
        "  var team = document.getElementById('pl-team').value;\n"
        "  plBulk(function () { plRouteLayers.forEach(function (e) {\n"
        "    plShow(e, (day === '' || e[2] === day) && (team === '' || e[1] === team));\n"
        "  }); });\n"
        "}\n"
        "function plStepDay(step) {\n"
        "  var select = document.getElementById('pl-day');\n"
        "  var i = plDayList.indexOf(select.value) + step;\n"
        "  if (select.value === '') { i = step > 0 ? 0 : plDayList.length - 1; }\n"
        "  if (i < 0 || i >= plDayList.length) { return; }\n"
        "  select.value = plDayList[i]; plFilter();\n"
        "}\n"
        "function plShowRoutes(on) {\n"
        "  if (on) { document.getElementById('pl-day').value = '';"
        " document.getElementById('pl-team').value = ''; }\n"
        "  plBulk(function () { plRouteLayers.forEach(function (e) { plShow(e, on); }); });\n"
        "}\n"
        "(function () {\n"
        "  var day = plOpeningDay(plDayList), select = document.getElementById('pl-day');\n"
        "  if (day && select.value !== day) { select.value = day; plFilter(); } else { plLegend(); }\n"
        "})();\n"
        f"plScaleMarkers({map_name});\n"
    ).add_to(m)

    points = _bounds_points(geometries)
    for route in province.routes:
        points.append((route.base_lat, route.base_lon))
        points += [(s.lat, s.lon) for s in route.stops]
    _fit(m, points, panel=True)
    return m


# -- territories ----------------------------------------------------------------------------------


def _territory_geometry(
    geo: GeoData, province_code: str, territory: TeamTerritory
) -> BaseGeometry | None:
    """The union of the territory's groups' polygons (the province's for a whole province)."""
    if territory.groups is None:
        frame = geo.provinces[geo.provinces["province_code"] == province_code]
    else:
        groups = geo.groups
        frame = groups[
            (groups["province_code"] == province_code)
            & groups["group_code"].astype(str).isin(territory.groups)
        ]
    shapes = [g for g in frame.geometry if g is not None and not g.is_empty]
    if not shapes:
        return None
    union: BaseGeometry = shapely.union_all(shapes)
    return union


def _territory_names(territory: TeamTerritory, group_names: Mapping[str, str], lang: Lang) -> str:
    if territory.groups is None:
        return _w("whole_province", lang)
    return ", ".join(group_names.get(code, code) for code in territory.groups)


def _territory_label(territory: TeamTerritory, group_label: str, lang: Lang) -> str:
    """ "Địa bàn của đội", or "Huyện của đội" when only the team's own group is known."""
    if territory.known:
        return _w("territory", lang)
    return _w("home_cluster" if group_label == "cluster" else "home_district", lang)


def _territory_style(colour: str, *, weight: float, opacity: float) -> dict[str, Any]:
    return {
        "color": colour,
        "weight": weight,
        "opacity": opacity,
        "dashArray": "8 6",
        "fill": False,
        "className": "pl-territory",
    }


def _territory_swatch(colour: str = TERRITORY_COLOUR) -> str:
    return (
        '<svg width="22" height="12" style="vertical-align:middle;margin-right:4px" '
        f'aria-hidden="true"><line x1="1" y1="6" x2="21" y2="6" stroke="{colour}" '
        'stroke-width="3" stroke-dasharray="5 3"/></svg>'
    )


def _territories_layer(
    geo: GeoData,
    province: ProvincePlan,
    territories: Mapping[str, TeamTerritory],
    colours: Mapping[str, str],
    group_names: Mapping[str, str],
    lang: Lang,
) -> GeoJsonLayer | None:
    """Every team's territory on the province page, dashed in its colour; off until ticked."""
    features: list[dict[str, Any]] = []
    styles: list[dict[str, Any]] = []
    for team, territory in sorted(territories.items()):
        geometry = _territory_geometry(geo, province.province_code, territory)
        shape = None if geometry is None else _geometry_json(geometry, PROVINCE_TOLERANCE_DEG)
        if shape is None:
            continue
        styles.append(_territory_style(colours.get(team, TERRITORY_COLOUR), weight=2, opacity=0.7))
        names = _territory_names(territory, group_names, lang)
        features.append(
            {
                "type": "Feature",
                "geometry": shape,
                "properties": {
                    "k": len(styles) - 1,
                    "t": f"{esc(_team_name(team, lang))}: {esc(names)}",
                },
            }
        )
    if not features:
        return None
    return GeoJsonLayer(
        features, styles, name=esc(_w("territories", lang)), interactive=False, show=False
    )


# -- team page ----------------------------------------------------------------------------------

_TEAM_STYLE = """
<style>
html, body { height: 100%; }
.folium-map { height: 56vh !important; }
.pl-days { box-sizing: border-box; height: 44vh; overflow-y: auto; padding: 8px 12px 24px;
  font: 16px/1.4 Arial, sans-serif; border-top: 3px solid #1565c0; background: #fafafa; }
.pl-days h1 { font-size: 19px; margin: 4px 0; }
.pl-days p { margin: 4px 0; color: #37474f; }
.pl-days a { color: #0d47a1; }
.pl-days button { font-size: 16px; min-height: 44px; padding: 8px 14px; margin: 6px 0;
  border-radius: 8px; border: 1px solid #1565c0; background: #e3f2fd; cursor: pointer; }
.pl-days details { border: 1px solid #cfd8dc; border-radius: 8px; margin: 8px 0;
  background: #fff; }
.pl-days summary { min-height: 44px; padding: 10px 12px; cursor: pointer; list-style: none;
  display: flex; align-items: center; gap: 10px; }
.pl-days summary::-webkit-details-marker { display: none; }
.pl-days summary .pl-sw { width: 18px; height: 18px; border-radius: 50%; flex: none; }
.pl-days details[open] summary { background: #e3f2fd; border-radius: 8px 8px 0 0; }
.pl-days details.pl-active { border: 2px solid #1565c0; }
.pl-days ol { margin: 0; padding: 6px 12px 10px 36px; }
.pl-days li { margin: 8px 0; }
.pl-days li.pl-lunch { list-style: none; color: #6d4c41; margin-left: -20px; }
.pl-days .pl-time { font-weight: bold; }
.pl-days a.pl-nav { display: inline-block; margin-top: 4px; padding: 8px 14px;
  min-height: 28px; border-radius: 8px; background: #1565c0; color: #fff;
  text-decoration: none; }
@media (min-width: 900px) {
  .folium-map { width: 64% !important; height: 100vh !important; }
  .pl-days { position: absolute; top: 0; right: 0; width: 36%; height: 100vh;
    border-top: none; border-left: 3px solid #1565c0; }
}
</style>
"""


def _day_item(
    route: TeamDayRoute, province: ProvincePlan, colour: str, lang: Lang, key: str
) -> str:
    items: list[tuple[int, str]] = []
    for n, stop in enumerate(route.stops, start=1):
        what = kind_label(stop.kind, lang, stop.pass_number)
        extra = ""
        if stop.kind == "conference":
            extra = (
                f"<br>{esc(stop.venue_name or '')}"
                f"{' · ' + esc(slot_label(stop.slot, lang)) if stop.slot else ''}"
                f" · {esc(t('expected_attendance', lang))}: "
                f"{format_number(stop.expected_attendance or 0, lang)}"
            )
        items.append(
            (
                stop.arrival_min,
                f'<li value="{n}"><span class="pl-time">{hhmm(stop.start_min)}–'
                f"{hhmm(stop.end_min)}</span> {esc(stop.commune_name)} "
                f"<small>({esc(stop.group_name)})</small><br>{esc(what)}{extra}<br>"
                f'<a class="pl-nav" href="{esc(navigation_url(stop.lat, stop.lon))}" '
                f'target="_blank" rel="noopener">'
                f"{esc(nav_label(stop.position_estimated, lang))} ›</a></li>",
            )
        )
    if route.lunch_minutes:
        lunch_end = route.lunch_start_min + route.lunch_minutes
        items.append(
            (
                route.lunch_start_min,
                f'<li class="pl-lunch">☕ {esc(t("lunch", lang))} '
                f"{hhmm(route.lunch_start_min)}–{hhmm(lunch_end)}</li>",
            )
        )
    items.sort(key=lambda item: item[0])
    summary = (
        f"{esc(format_short_date(route.date, lang))} — {len(route.stops)} {esc(t('stops', lang))}"
        f" · {format_number(route.travel_km, lang)} km · "
        f"{hhmm(route.depart_min)}–{hhmm(route.return_min)}"
    )
    return (
        f'<details data-day="{esc(key)}"><summary onclick="plShowDay({esc(_js(key))})">'
        f'<span class="pl-sw" style="background:{colour}"></span><span>{summary}</span>'
        f"</summary><ol>{''.join(text for _, text in items)}</ol></details>"
    )


def _team_territory(
    geo: GeoData, province: ProvincePlan, territory: TeamTerritory, lang: Lang, m: folium.Map
) -> str:
    """Outline the team's territory on its page; return its legend line ("" if no polygon)."""
    geometry = _territory_geometry(geo, province.province_code, territory)
    shape = None if geometry is None else _geometry_json(geometry, PROVINCE_TOLERANCE_DEG)
    if shape is None:
        return ""
    label = _territory_label(territory, province.group_label, lang)
    names = _territory_names(territory, _group_names(geo, province.province_code), lang)
    GeoJsonLayer(
        [{"type": "Feature", "geometry": shape, "properties": {"k": 0, "t": esc(names)}}],
        [_territory_style(TERRITORY_COLOUR, weight=3, opacity=0.9)],
        name=esc(label),
        interactive=False,
    ).add_to(m)
    return (
        f'<p class="pl-territory-legend">{_territory_swatch()}<b>{esc(label)}</b>: {esc(names)}</p>'
    )


def _team_communes_layer(
    geo: GeoData,
    province: ProvincePlan,
    routes: Sequence[TeamDayRoute],
    lang: Lang,
    territory: TeamTerritory | None = None,
) -> GeoJsonLayer:
    """The communes of the groups a team works in (and of its territory): outlines with
    their names."""
    group_codes = {s.group_code for r in routes for s in r.stops}
    if territory is not None and territory.groups is not None:
        group_codes |= set(territory.groups)
    communes = geo.communes[
        (geo.communes["province_code"] == province.province_code)
        & geo.communes["group_code"].isin(group_codes)
    ]
    visited = {s.commune_code for r in routes for s in r.stops}
    features = []
    for row in _frame_rows(communes):
        geometry = _geometry_json(row["geometry"], PROVINCE_TOLERANCE_DEG)
        if geometry is None:
            continue
        key = 1 if str(row["commune_code"]) in visited else 0
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"k": key, "t": esc(row["commune_name"])},
            }
        )
    return GeoJsonLayer(
        features,
        [
            {"color": "#78909c", "weight": 1, "fillColor": "#eceff1", "fillOpacity": 0.3},
            {"color": "#546e7a", "weight": 1, "fillColor": COVERAGE_COLOURS[1], "fillOpacity": 0.4},
        ],
        name=esc(t("boundaries_communes", lang)),
        attribution=esc(t("approximate_short", lang)),
    )


def team_map(
    province: ProvincePlan,
    team_id: str,
    *,
    lang: Lang = "vi",
    province_link: str | None = None,
    geo: GeoData | None = None,
    territory: TeamTerritory | None = None,
) -> folium.Map:
    """One team's whole campaign, one layer per day, with a day list (phone-friendly).

    geo: when given, the (approximate) boundaries of the communes of the districts or
        clusters the team works in are drawn under the routes, so that the page still shows
        where things are with no background map.
    territory: with geo, the team's territory is outlined, dashed, with a legend entry
        ("Địa bàn của đội"; "Huyện của đội" when only its own group is known).
    """
    lang = check_lang(lang)
    routes = sorted((r for r in province.routes if r.team_id == team_id), key=_route_key)
    if not routes:
        raise ValueError(f"team '{team_id}' has no routes in province {province.province_code}")
    title = f"{_team_name(team_id, lang)} — {province.province_name}"
    m = _new_map(title, lang, team_page=True)
    m.get_root().header.add_child(Element(_TEAM_STYLE), name="pl_team_style")  # type: ignore[attr-defined]
    territory_line = ""
    if geo is not None:
        _team_communes_layer(geo, province, routes, lang, territory).add_to(m)
        if territory is not None:
            territory_line = _team_territory(geo, province, territory, lang, m)

    bases: dict[str, tuple[float, float, str, str | None]] = {}
    for route in routes:
        bases[route.base_venue_id] = (
            route.base_lat,
            route.base_lon,
            "★",
            f'<div class="pl-pop"><b>{esc(t("base", lang))}: {esc(route.base_name)}</b></div>',
        )
    base_group = folium.FeatureGroup(name=esc(t("base", lang)), control=False)
    offsets = [base_offset(lat, lon, routes) for lat, lon, _, _ in bases.values()]
    Marks(list(bases.values()), "pl-base", (26, 26), offsets).add_to(base_group)
    base_group.add_to(m)

    # one layer per route, keyed by its day (two routes on one day show together); the page
    # opens on one day: today when the campaign is on, else the first day
    days = sorted({r.date for r in routes})
    day_colours = dict(zip(days, team_palette(len(days)), strict=True))
    day_layers: dict[str, list[folium.FeatureGroup]] = defaultdict(list)
    items = []
    for route in routes:
        colour = day_colours[route.date]
        key = route.date.isoformat()
        layer = _route_layer(
            route,
            province,
            colour,
            esc(format_short_date(route.date, lang)),
            lang,
            show=route.date == days[0],
        )
        layer.add_to(m)
        day_layers[key].append(layer)
        items.append(_day_item(route, province, colour, lang, key))

    folium.LayerControl(collapsed=True).add_to(m)
    groups = sorted({s.group_name for r in routes for s in r.stops})
    n_stops = sum(len(r.stops) for r in routes)
    back = (
        f'<p><a href="{esc(province_link)}">← {esc(t("back_to_province", lang))}</a></p>'
        if province_link
        else ""
    )
    _Html(
        f"""
<div class="pl-days">
<h1>{esc(_team_name(team_id, lang))}</h1>
<p>{esc(province.province_name)}{" · " + esc(", ".join(groups)) if groups else ""}
 · {esc(vehicle_label(routes[0].vehicle, lang))} · {esc(t("base", lang))}: {esc(routes[0].base_name)}</p>
<p>{len(days)} {esc(t("days", lang))} · {n_stops} {esc(t("stops", lang))}</p>
{territory_line}
{back}
<button type="button" onclick="plShowDay(null)">{esc(t("all_days", lang))}</button>
{"".join(items)}
<p class="pl-note">{esc(t("offline_note", lang))}.</p>
</div>
"""
    ).add_to(m)
    entries = ", ".join(
        f"{_js(key)}: [{', '.join(layer.get_name() for layer in layers)}]"
        for key, layers in day_layers.items()
    )
    map_name = m.get_name()
    points = [(r.base_lat, r.base_lon) for r in routes]
    points += [(s.lat, s.lon) for r in routes for s in r.stops]
    _fit(m, points, panel=False)
    _Script(
        f"var plDays = {{{entries}}};\n"
        f"var plDayList = {_js(sorted(day_layers))};\n"
        "function plShowDay(key) {\n"
        "  var shown = null;\n"
        "  plDayList.forEach(function (k) { plDays[k].forEach(function (layer) {\n"
        f"    if (key === null || k === key) {{ layer.addTo({map_name}); shown = shown ? shown.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast()); }}\n"
        f"    else {{ {map_name}.removeLayer(layer); }}\n"
        "  }); });\n"
        "  document.querySelectorAll('.pl-days details').forEach(function (d) {\n"
        "    d.classList.toggle('pl-active', key !== null && d.getAttribute('data-day') === key);\n"
        "  });\n"
        f"  if (shown && shown.isValid()) {{ {map_name}.fitBounds(shown, {{padding: [24, 24]}}); }}\n"
        "}\n"
        "(function () {\n"
        "  var day = plOpeningDay(plDayList);\n"
        "  plShowDay(day);\n"
        "  var item = document.querySelector('.pl-days details[data-day=\"' + day + '\"]');\n"
        "  if (item) { item.open = true; }\n"
        "})();\n"
        f"plScaleMarkers({map_name});\n"
    ).add_to(m)
    return m


# -- national overview --------------------------------------------------------------------------


def _nice_step(value: float) -> float:
    if value <= 0:
        return 0.01
    exponent = math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * 10**exponent
        if step >= value:
            return step
    return 10 ** (exponent + 1)


def _reach_edges(max_ratio: float) -> list[float]:
    """Bucket edges 0 < e1 < ... < e5 covering max_ratio, with round steps."""
    step = _nice_step(max_ratio / len(REACH_COLOURS))
    return [step * (i + 1) for i in range(len(REACH_COLOURS))]


def _reach_bucket(ratio: float, edges: Sequence[float]) -> int:
    for i, edge in enumerate(edges):
        if ratio <= edge:
            return i
    return len(edges) - 1


def overview_map(
    plan: Plan,
    geo: GeoData,
    *,
    lang: Lang = "vi",
    province_links: Mapping[str, str] | None = None,
    history: Mapping[str, Any] | None = None,
    launch: Mapping[str, Any] | Launch | None = None,
    title: str | None = None,
) -> folium.Map:
    """The national page: provinces in the plan shaded by expected reach per target person.

    history: summary.json's `history` block, shown in the panel ("So với lịch sử").
    launch: summary.json's `launch` ({"date", "start"}): that day's routes are drawn as the
        layer "Lễ ra quân" with its legend entry.
    title: the scenario's title ("Bắc Ninh — tháng vận động ..."), in the page's title and
        panel; the scenario's name when not given.
    """
    lang = check_lang(lang)
    launch_day = launch if isinstance(launch, Launch) or launch is None else Launch.of(launch)
    links = dict(province_links or {})
    shown = title or plan.scenario
    m = _new_map(f"{t('campaign', lang)} — {shown}", lang)
    planned = {p.province_code: p for p in plan.provinces}
    ratios = {
        code: (p.kpis.people_reached / p.target_people if p.target_people else 0.0)
        for code, p in planned.items()
    }
    edges = _reach_edges(max(ratios.values(), default=0.0))
    styles: list[dict[str, Any]] = [
        {
            "color": "#455a64",
            "weight": 1,
            "fillColor": colour,
            "fillOpacity": 0.75,
        }
        for colour in REACH_COLOURS
    ]
    styles.append(
        {"color": "#9e9e9e", "weight": 0.8, "fillColor": OUTSIDE_PLAN_COLOUR, "fillOpacity": 0.5}
    )
    features = []
    for row in _frame_rows(geo.provinces):
        code = str(row["province_code"])
        name = str(row.get("province_name", code))
        geometry = _geometry_json(row["geometry"], OVERVIEW_TOLERANCE_DEG)
        if geometry is None:
            continue
        if code in planned:
            p = planned[code]
            k = p.kpis
            link = (
                f'<a href="{esc(links[code])}"><b>{esc(t("open_province_map", lang))} ›</b></a>'
                if code in links
                else ""
            )
            popup = (
                f'<div class="pl-pop"><b>{esc(p.province_name)}</b><br>'
                + _row(t("reach_ratio", lang), format_percent(ratios[code], lang))
                + _row(t("people_reached", lang), format_number(k.people_reached, lang))
                + _row(t("target_people", lang), format_number(p.target_people, lang))
                + _row(t("passes", lang), format_number(k.passes, lang))
                + _row(t("conferences", lang), format_number(k.conferences, lang))
                + _row(t("team_days", lang), f"{k.team_days_used} / {k.team_days_available}")
                + link
                + "</div>"
            )
            style = _reach_bucket(ratios[code], edges)
            tip = f"{esc(p.province_name)}: {format_percent(ratios[code], lang)}"
        else:
            popup = f'<div class="pl-pop"><b>{esc(name)}</b><br>{esc(t("not_in_plan", lang))}</div>'
            style = len(REACH_COLOURS)
            tip = f"{esc(name)} ({esc(t('not_in_plan', lang))})"
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"k": style, "p": popup, "t": tip},
            }
        )
    GeoJsonLayer(
        features,
        styles,
        name=esc(t("provinces", lang)),
        attribution=esc(t("approximate_short", lang)),
    ).add_to(m)
    launch_legend = ""
    if launch_day is not None:
        _launch_layer(plan, launch_day, lang).add_to(m)
        launch_legend = _launch_legend(plan, launch_day, lang)
    folium.LayerControl(collapsed=True).add_to(m)

    lower = [0.0, *edges[:-1]]
    legend = "".join(
        f"<div>{_swatch(colour)}{format_percent(lo, lang)} – {format_percent(hi, lang)}</div>"
        for colour, lo, hi in zip(REACH_COLOURS, lower, edges, strict=True)
    )
    legend += f"<div>{_swatch(OUTSIDE_PLAN_COLOUR)}{esc(t('not_in_plan', lang))}</div>"
    legend += launch_legend
    rows = "".join(
        "<tr><td>"
        + (
            f'<a href="{esc(links[p.province_code])}">{esc(p.province_name)}</a>'
            if p.province_code in links
            else esc(p.province_name)
        )
        + f"</td><td class='n'>{format_percent(ratios[p.province_code], lang)}</td></tr>"
        for p in sorted(plan.provinces, key=lambda p: p.province_code)
    )
    total_target = sum(p.target_people for p in plan.provinces)
    total_ratio = plan.total("people_reached") / total_target if total_target else 0.0
    summary = [
        (t("provinces", lang), str(len(plan.provinces))),
        (t("team_days", lang), format_number(plan.total("team_days_used"), lang)),
        (t("passes", lang), format_number(plan.total("passes"), lang)),
        (t("conferences", lang), format_number(plan.total("conferences"), lang)),
        (t("people_reached", lang), format_number(plan.total("people_reached"), lang)),
        (t("reach_ratio", lang), format_percent(total_ratio, lang)),
    ]
    summary_rows = "".join(
        f"<tr><td>{esc(a)}</td><td class='n'>{esc(b)}</td></tr>" for a, b in summary
    )
    _Html(
        f"""
<div class="pl-panel"><details open><summary>{esc(t("campaign", lang))}</summary>
<div class="pl-note">{esc(shown)}</div>
<table>{summary_rows}</table>
{_history_panel(history, lang)}
<details open><summary>{esc(t("reach_ratio", lang))}</summary>{legend}</details>
<details {"open" if len(plan.provinces) <= 12 else ""}><summary>{esc(t("open_province_map", lang))} ({len(plan.provinces)})</summary><table>{rows}</table></details>
<p class="pl-note">{esc(t("approximate_note", lang))}. {esc(t("offline_note", lang))}.</p>
</details></div>
"""
    ).add_to(m)
    _fit(m, _bounds_points(geo.provinces.geometry), panel=True)
    return m


def _launch_routes(plan: Plan, launch: Launch) -> list[tuple[ProvincePlan, TeamDayRoute]]:
    return [
        (province, route)
        for province in plan.provinces
        for route in sorted(province.routes, key=_route_key)
        if route.date == launch.date
    ]


def _launch_layer(plan: Plan, launch: Launch, lang: Lang) -> GeoJsonLayer:
    """The launch day's routes (the parades) as one layer: lines base -> stops -> base and
    a dot at each base, each with a popup (team, province, start, stops)."""
    features: list[dict[str, Any]] = []
    for province, route in _launch_routes(plan, launch):
        line = [[_round(route.base_lon), _round(route.base_lat)]]
        line += [[_round(s.lon), _round(s.lat)] for s in route.stops]
        line.append(line[0])
        team = _team_name(route.team_id, lang)
        popup = (
            f'<div class="pl-pop"><b>{esc(_w("launch", lang))}</b> · '
            f"{esc(format_date(route.date, lang))}<br>"
            f"{esc(team)} · {esc(province.province_name)}<br>"
            + (_row(_w("launch_start", lang), esc(launch.start)) if launch.start else "")
            + _row(t("base", lang), esc(route.base_name))
            + _row(t("depart", lang), hhmm(route.depart_min))
            + _row(t("return", lang), hhmm(route.return_min))
            + _row(t("stop", lang), str(len(route.stops)))
            + _row(t("travel_km", lang), format_number(route.travel_km, lang, 1))
            + "</div>"
        )
        tip = f"{esc(_w('launch', lang))} · {esc(team)}"
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {"k": 0, "p": popup, "t": tip},
            }
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": line[0]},
                "properties": {"k": 1, "p": popup, "t": tip},
            }
        )
    styles = [
        {"color": LAUNCH_COLOUR, "weight": 3, "opacity": 0.9, "className": "pl-launch"},
        {
            "color": "#fff",
            "weight": 1.5,
            "fillColor": LAUNCH_COLOUR,
            "fillOpacity": 1,
            "radius": 5,
            "className": "pl-launch-base",
        },
    ]
    return GeoJsonLayer(features, styles, name=esc(_launch_title(launch, lang)))


def _launch_title(launch: Launch, lang: Lang) -> str:
    when = format_date(launch.date, lang, with_weekday=False)
    return f"{_w('launch', lang)} {when}" + (f", {launch.start}" if launch.start else "")


def _launch_legend(plan: Plan, launch: Launch, lang: Lang) -> str:
    teams = len({(p.province_code, r.team_id) for p, r in _launch_routes(plan, launch)})
    return (
        '<div class="pl-launch-legend"><svg width="16" height="12" '
        'style="vertical-align:middle;margin-right:4px" aria-hidden="true">'
        f'<line x1="1" y1="6" x2="15" y2="6" stroke="{LAUNCH_COLOUR}" stroke-width="3"/>'
        f'<circle cx="8" cy="6" r="3.5" fill="{LAUNCH_COLOUR}" stroke="#fff"/></svg>'
        f"{esc(_launch_title(launch, lang))} ({teams} {esc(_w('launch_teams', lang))})</div>"
    )


def _number_of(block: Mapping[str, Any] | None, key: str) -> float | None:
    value = None if not isinstance(block, Mapping) else block.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _history_panel(history: Mapping[str, Any] | None, lang: Lang) -> str:
    """The plan's month beside the best month on record and 2019's conferences, with the
    ratios and the warnings (summary.json's `history`); "" without it."""
    if not isinstance(history, Mapping):
        return ""
    month = history.get("national_month_equivalent")
    ratios = history.get("ratios")
    record = [r for r in history.get("record") or [] if isinstance(r, Mapping)]
    new = _number_of(month, "new_participants")
    best = _number_of(history, "best_month_new_participants")
    if new is None:
        return ""
    label_key = "label" if lang == "vi" else "label_en"
    best_row = next(
        (
            r
            for r in record
            if r.get("key") != "2022_launch_day" and _number_of(r, "new_participants") == best
        ),
        None,
    )
    best_words = _w("best_month", lang) + (
        f" ({best_row.get(label_key)})" if best_row and best_row.get(label_key) else ""
    )
    conf_2019 = _number_of(
        next((r for r in record if r.get("key") == "2019_month"), None), "conferences"
    )

    def number(value: float | None, digits: int = 0) -> str:
        return "—" if value is None else format_number(value, lang, digits)

    rows = [
        (_w("month_new", lang), number(new)),
        (best_words, number(best)),
        (_w("ratio_best", lang), number(_number_of(ratios, "new_participants_vs_best_month"), 2)),
        (_w("month_conferences", lang), number(_number_of(month, "conferences"))),
        (_w("conferences_2019", lang), number(conf_2019)),
        (_w("ratio_2019", lang), number(_number_of(ratios, "conferences_vs_2019_month"), 2)),
    ]
    table = "".join(f"<tr><td>{esc(a)}</td><td class='n'>{esc(b)}</td></tr>" for a, b in rows)
    warnings = "".join(
        f'<div class="pl-warning" style="color:{WARNING_COLOUR};font-weight:bold;margin:4px 0">'
        f"{esc(_WORDS[w][lang] if w in _WORDS else w)}</div>"
        for w in history.get("warnings") or []
        if isinstance(w, str)
    )
    scale = _number_of(history, "scale_to_national_month")
    note = _w("scale_note", lang).format(scale=number(scale, 2))
    return (
        f'<details open class="pl-history"><summary>{esc(_w("history", lang))}</summary>'
        f"<table>{table}</table>{warnings}<div class='pl-note'>{esc(note)}</div></details>"
    )


# -- the writer ---------------------------------------------------------------------------------


def write_maps(
    plan: Plan,
    geo: GeoData,
    out_dir: Path,
    *,
    lang: str = "vi",
    isolated: Isolated | None = None,
    inline_assets: bool = False,
    summary: Mapping[str, Any] | None = None,
    territories: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write index.html, <province-code>.html, teams/<team-id>.html and lib/ into `out_dir`.

    isolated: commune code -> the days it is isolated, hatched on the province pages (the
        plan itself only knows communes isolated on every day: Unserved reason "isolated").
    inline_assets: put Leaflet into the index and province pages too (bigger files, no lib/).
        Team pages always carry it, so that one file can be sent to a phone.
    summary: summary.json's content (plain data): its `history` is the national page's
        panel, its `launch` day's routes a layer there, its `territories` outlined on the
        team and province pages (module docstring).
    territories: the `territories` block itself, when not in `summary`.
    Returns every file written, pages first.
    """
    language = check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    assets: list[Path] = [] if inline_assets else _offline.copy_assets(out_dir / "lib")

    def prepare(m: folium.Map, depth: int, inline: bool) -> folium.Map:
        if inline:
            _offline.use_inline_assets(m)
        else:
            _offline.use_folder_assets(m, "../" * depth + "lib/")
        return m

    files = team_files(plan)
    facts = summary or {}
    given = territories if territories is not None else facts.get("territories")
    known = team_territories(plan, given if isinstance(given, Mapping) else None)
    province_links = {p.province_code: province_file(p.province_code) for p in plan.provinces}
    title = scenario_title(facts) if facts else None
    overview = overview_map(
        plan,
        geo,
        lang=language,
        province_links=province_links,
        history=facts.get("history"),
        launch=Launch.of(facts.get("launch")),
        title=title,
    )
    written.append(_save(prepare(overview, 0, inline_assets), out_dir / "index.html", language))
    for province in plan.provinces:
        links = {
            team: f"teams/{files[(province.province_code, team)]}"
            for team in sorted({r.team_id for r in province.routes})
        }
        page = province_map(
            province,
            plan,
            geo,
            lang=language,
            isolated=isolated,
            team_links=links,
            territories={
                team: ter for (code, team), ter in known.items() if code == province.province_code
            },
            title=title,
        )
        written.append(
            _save(
                prepare(page, 0, inline_assets),
                out_dir / province_links[province.province_code],
                language,
            )
        )
        for team in sorted({r.team_id for r in province.routes}):
            team_page = team_map(
                province,
                team,
                lang=language,
                province_link=f"../{province_links[province.province_code]}",
                geo=geo,
                territory=known.get((province.province_code, team)),
            )
            target = out_dir / "teams" / files[(province.province_code, team)]
            written.append(_save(prepare(team_page, 1, True), target, language))
    return written + assets
