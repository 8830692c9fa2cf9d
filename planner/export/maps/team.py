"""The page of one team: `team_map`, written as `teams/<team-id>.html`.

One team's campaign, one layer per day, with a day list that works on a phone (each day's
stops in order, with their times and a directions link each); it opens on one day (today
while the campaign is on, else the first day). Under the routes, the communes of the
districts or clusters the team works in; around them, the team's territory, dashed
(`_territories.py`). The page carries Leaflet inside it so it can be sent alone (see
`write_maps`). Its file name comes from `team_files`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import folium
from branca.element import Element

from planner.export._offline import js_literal as _js
from planner.export.i18n import (
    Lang,
    check_lang,
    format_number,
    format_short_date,
    kind_label,
    slot_label,
    t,
    vehicle_label,
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
    _frame_rows,
    _geometry_json,
    _group_names,
    base_offset,
    navigation_url,
)
from planner.export.maps._popups import nav_label
from planner.export.maps._style import COVERAGE_COLOURS, TERRITORY_COLOUR, team_palette
from planner.export.maps._territories import (
    TeamTerritory,
    _territory_geometry,
    _territory_label,
    _territory_names,
    _territory_style,
    _territory_swatch,
)
from planner.export.maps._words import _team_name, esc
from planner.plan import ProvincePlan, TeamDayRoute, hhmm

if TYPE_CHECKING:
    from planner.geo.load import GeoData

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
