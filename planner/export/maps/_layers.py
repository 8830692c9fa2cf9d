"""The pieces every map page is built of: the page itself and its folium elements.

`_new_map` starts a page (no tiles but OpenStreetMap's, the stylesheet, the shared script
`_SCRIPT`, the popup labels, the hatch pattern, a metric scale); `_fit` opens it on a box,
clear of the side panel; `_save` writes it, after `_offline.check_offline`. The elements:
`GeoJsonLayer` (polygons, lines and points with their style, popup and tooltip),
`StopMarkers` (a team-day's numbered stops and its line's popup), `Marks` (labels, bases),
`_route_layer` (one team-day: line and stops), `_Html` (panels, day lists) and `_Script`
(code run once every layer exists). The script's functions (`plStops`, `plMarks`,
`plClusters`, ...) are the browser's half of these elements.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.map import Layer
from folium.template import Template

from planner.export import _offline
from planner.export._offline import js_literal as _js
from planner.export.i18n import Lang, format_date, t
from planner.export.maps._places import _latlon, _round, route_places
from planner.export.maps._popups import _labels_script, route_record, stop_record
from planner.export.maps._style import _HATCH, _STYLE
from planner.export.maps._words import _team_name, esc
from planner.plan import ProvincePlan, TeamDayRoute

# Shared functions of every page. Stops come as compact arrays whose text was escaped on the
# server; their popups are put together from them when opened, with the page's labels
# (`plLabels`, set per page), so that a month of stops stays small.
# (`plClusters` says "see planner/export/maps.py", as it did before the maps became a package,
# so that the pages stay the same byte for byte: its Python half is now in province.py.)
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


# -- elements --------------------------------------------------------------------------------------


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


def _route_key(route: TeamDayRoute) -> tuple[str, dt.date]:
    return (route.team_id, route.date)


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


# -- the page --------------------------------------------------------------------------------------


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
