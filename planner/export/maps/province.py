"""The page of one province: `province_map`, written as `<province-code>.html`.

District/cluster and commune boundaries (approximate: Voronoi cells, said so in the legend
and the attribution), communes shaded by the passes they receive, each team-day's route as
its own layer in the layer control (base -> stops -> base, stops numbered in order,
conferences with their own marker), isolated communes hatched, unserved communes outlined in
red with the reason in their popup, and the teams' territories as a layer, off until ticked.
The page opens on one day's routes (the first day; today, or the next working day, while the
campaign is on); the side panel steps from day to day (◀ ▶), shows any day and/or team or
all, and has a legend of the teams, each in its own colour (`team_palette`: distinct for 40
teams and more), fading the teams not out on the day shown.

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
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import folium
from shapely.geometry.base import BaseGeometry

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
    t,
)
from planner.export.maps._layers import (
    GeoJsonLayer,
    Marks,
    _fit,
    _Html,
    _new_map,
    _route_key,
    _route_layer,
    _Script,
)
from planner.export.maps._places import (
    PROVINCE_TOLERANCE_DEG,
    _bounds_points,
    _frame_rows,
    _geometry_json,
    _group_names,
    base_offset,
    navigation_url,
    shared_place_offsets,
)
from planner.export.maps._popups import _row, nav_label
from planner.export.maps._style import (
    COVERAGE_COLOURS,
    ISOLATED_COLOUR,
    TERRITORY_COLOUR,
    UNSERVED_COLOUR,
    _swatch,
    team_palette,
)
from planner.export.maps._territories import (
    TeamTerritory,
    _territory_geometry,
    _territory_names,
    _territory_style,
    _territory_swatch,
)
from planner.export.maps._words import _team_name, _w, esc
from planner.messages import localize
from planner.plan import Plan, ProvincePlan, TeamDayRoute, Unserved

if TYPE_CHECKING:
    from planner.geo.load import GeoData

Isolated = Mapping[str, Sequence[dt.date]]
"""Commune code -> the days it is isolated (locked down), for hatching on the maps."""

CLUSTER_BELOW_ZOOM = 11  # province pages: below this zoom, stop markers are clustered
CLUSTER_CELL_PX = 48  # ... by a grid of cells this many screen pixels wide


# -- communes: coverage, isolated, unserved --------------------------------------------------------


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


# -- districts or clusters, bases, territories -----------------------------------------------------


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


def _team_colours(province: ProvincePlan) -> dict[str, str]:
    teams = sorted({r.team_id for r in province.routes})
    return dict(zip(teams, team_palette(len(teams)), strict=True))


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


# -- the panel and the page ------------------------------------------------------------------------


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
