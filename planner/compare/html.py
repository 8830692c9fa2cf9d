"""The comparison as one self-contained page: tables, the sweep curve, a difference map.

What `comparison_page(comparison, geo=..., sweep_png=...)` puts on the page, top to bottom:

1. the caveats (one line each: the structure mapping when there is one, approximate
   polygons, how groups are counted);
2. the side-by-side table of the plans, each difference against the baseline coloured
   (blue more, red less);
3. the sweep curve (a PNG inside the page as base64), when given;
4. a map of the difference in expected reach against the baseline, by group (district or
   cluster) or by province, for any one of the compared plans (two lists choose), in
   diverging colours (red: fewer people reached than the baseline, blue: more) with a legend
   whose classes are whole multiples of a round step; every unit's popup gives each plan's
   figures. The polygons are approximate (Voronoi cells), said so under the map.
5. the top differences by province and by group (largest absolute difference in reach
   first), and the per-team changes (teams with stops added, removed or moved).

The page needs no network: Leaflet is inside it (`planner.export._offline`, checked before
writing); only the OpenStreetMap background tiles need the Internet. Every text from the
data (names, labels, codes) goes through `esc()`, and data enters the script as JSON with
`<`, `>` and `&` escaped, so a commune named `<script>` shows as text.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from planner.compare.diff import (
    CHANGE_KINDS,
    PLAN_METRICS,
    Comparison,
    TeamChanges,
    UnitComparison,
)
from planner.compare.table import (
    NOT_KNOWN,
    format_difference,
    format_value,
    side_by_side,
)
from planner.export import _offline
from planner.export._offline import js_literal as _js
from planner.export.maps import esc

if TYPE_CHECKING:
    import geopandas as gpd

    from planner.geo.load import GeoData

__all__ = [
    "DIFFERENCE_COLOURS",
    "MAX_TEAMS_LISTED",
    "TOP_GROUPS",
    "TOP_PROVINCES",
    "comparison_page",
    "difference_classes",
]

# ColorBrewer RdBu, 7 classes: red = fewer people reached than the baseline, blue = more
DIFFERENCE_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")
NO_CHANGE = 0.5  # |difference in people| below this is "no change" (reach is kept to 0.1)
TOP_PROVINCES = 20
TOP_GROUPS = 30
MAX_TEAMS_LISTED = 200  # per plan, with their stop changes; all are in team_changes.csv
TOLERANCE_DEG = 0.002  # polygon simplification on the map (about 200 m)
COORD_DIGITS = 5
REACH, ENROLMENTS = PLAN_METRICS[0], PLAN_METRICS[1]

_STYLE = """
<style>
html > body { margin: 0 auto; padding: 12px 18px 40px; max-width: 1200px; width: auto; height: auto;
  font: 14px/1.45 Arial, Helvetica, sans-serif; color: #212121; }
h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 18px; margin: 26px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
table.pc { border-collapse: collapse; margin: 6px 0; }
table.pc th, table.pc td { border-bottom: 1px solid #e0e0e0; padding: 3px 8px; text-align: right;
  vertical-align: top; white-space: nowrap; }
table.pc th { background: #f5f5f5; position: sticky; top: 0; }
table.pc td.t, table.pc th.t { text-align: left; }
table.pc td.w { text-align: left; white-space: normal; }
table.pc tr.h td { background: #eceff1; font-weight: bold; padding-top: 8px; }
table.pc td.i { padding-left: 22px; color: #555; }
table.pc td.warn { color: #b2182b; font-weight: bold; white-space: normal; }
.up { color: #1a5fa8; } .down { color: #b2182b; } .d { font-size: 12px; margin-left: 4px; }
.note { color: #555; font-size: 13px; margin: 3px 0; }
.scroll { overflow-x: auto; }
.pc-controls { margin: 6px 0; } .pc-controls select { font-size: 14px; padding: 3px; }
.pc-legend { margin: 6px 0; font-size: 13px; }
.pc-legend span.sw { display: inline-block; width: 16px; height: 12px; border: 1px solid #777;
  vertical-align: middle; margin: 0 4px 0 10px; }
details summary { cursor: pointer; }
img.sweep { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
.pc-pop table td { padding: 0 6px 0 0; text-align: right; } .pc-pop td.t { text-align: left; }
</style>
"""


def comparison_page(
    comparison: Comparison, *, geo: GeoData | None = None, sweep_png: bytes | None = None
) -> str:
    """The whole page as HTML text (see the module docstring).

    geo: the polygons of the comparison's structure (its provinces and groups); without it,
        the map is left out and the page says so.
    sweep_png: the sweep curve's PNG bytes (from `sweep_chart`), shown when given.
    """
    m = folium.Map(
        location=[16.0, 106.0],
        zoom_start=6,
        tiles=None,
        control_scale=True,
        height="560px",
        zoom_snap=0.25,
    )
    _offline.use_inline_assets(m)
    root = m.get_root()
    title = f"Comparison: {' / '.join(comparison.labels)}"
    root.title = esc(title)  # type: ignore[attr-defined]
    root.header.add_child(Element(_STYLE), name="pc_style")  # type: ignore[attr-defined]
    folium.TileLayer("OpenStreetMap", name="background map").add_to(m)

    before = [
        f"<h1>{esc(title)}</h1>",
        f"<p class='note'>Baseline: <b>{esc(comparison.plans[0].label)}</b> "
        f"({esc(comparison.plans[0].folder)}); every difference is a plan minus the baseline. "
        "Tables: <a href='compare.csv'>compare.csv</a>, "
        "<a href='team_changes.csv'>team_changes.csv</a>.</p>",
        *(f"<p class='note'>{esc(note)}</p>" for note in comparison.notes),
        "<h2>Plans side by side</h2>",
        _side_by_side_html(comparison),
        "<p class='note'>In brackets: the difference against the baseline, "
        "<span class='up'>blue</span> when larger, <span class='down'>red</span> when smaller "
        "(a direction, not a judgement: less travel or a smaller gap is better). "
        "Against the record: each plan scaled to a 30-day month of the whole country, beside "
        "the record (data/facts/campaign_history.csv); a plan written before these figures "
        "existed shows —. Capacity: a light team-day has under half its working minutes out; "
        "light and idle days are counted by why (nothing the rules allow is left in the "
        "team's territory, or what is left does not fit in a day). Marginal figures: the "
        "plan's extra expected enrolments divided by its extra team-days used, km or teams "
        "(— when that resource did not change).</p>",
    ]
    if sweep_png is not None:
        encoded = base64.b64encode(sweep_png).decode("ascii")
        before += [
            "<h2>Sweep</h2>",
            f'<img class="sweep" alt="expected reach and enrolments against the varied field" '
            f'src="data:image/png;base64,{encoded}">',
        ]
    after: list[str] = []
    if geo is not None and len(comparison.plans) > 1:
        before += _map_header(comparison)
        after.append(_map_footer())
        _DifferenceLayers(comparison, geo).add_to(m)
    else:
        before += [
            "<h2>Map</h2>",
            "<p class='note'>No map: the geography of the plans was not available.</p>",
        ]
        m.get_root().html.add_child(  # type: ignore[attr-defined]
            Element("<style>.folium-map { display: none; }</style>"), name="pc_hide_map"
        )
    after += [
        f"<h2>Top differences by province (first {TOP_PROVINCES})</h2>",
        _units_html(comparison, comparison.provinces[:TOP_PROVINCES], "province"),
        f"<h2>Top differences by {esc(comparison.group_label)} (first {TOP_GROUPS})</h2>",
        _units_html(comparison, comparison.groups[:TOP_GROUPS], comparison.group_label),
        "<h2>Changes per team</h2>",
        _teams_html(comparison),
    ]
    root.html.add_child(Element("\n".join(before)), name="pc_before")  # type: ignore[attr-defined]
    _Html("\n".join(after)).add_to(m)
    page = root.render()
    return page.replace("<html>", '<html lang="en">', 1)


# -- tables ------------------------------------------------------------------------------------


def _difference_span(text: str, sign: int) -> str:
    if not text:
        return ""
    css = "up" if sign > 0 else "down" if sign < 0 else ""
    return f" <span class='d {css}'>({esc(text)})</span>"


def _side_by_side_html(comparison: Comparison) -> str:
    head = "".join(
        f"<th>{esc(p.label)}{' (baseline)' if i == 0 else ''}</th>"
        for i, p in enumerate(comparison.plans)
    )
    rows = []
    for row in side_by_side(comparison):
        if row.heading:
            rows.append(
                f"<tr class='h'><td class='t' colspan='{len(row.cells) + 1}'>"
                f"{esc(row.words)}</td></tr>"
            )
            continue
        indent = " class='t i'" if row.words.startswith("    ") else " class='t'"
        rows.append(
            f"<tr><td{indent}>{esc(row.words.strip())}</td>"
            + "".join(
                ("<td class='warn'>" if cell.warn else "<td>")
                + f"{esc(cell.value)}{_difference_span(cell.difference, cell.sign)}</td>"
                for cell in row.cells
            )
            + "</tr>"
        )
    return (
        "<div class='scroll'><table class='pc'><tr><th class='t'></th>"
        f"{head}</tr>{''.join(rows)}</table></div>"
    )


def _unit_cell(unit: UnitComparison, plan: int) -> str:
    value = unit.value(plan, REACH)
    text = "not planned" if unit.figures[plan] is None else format_value(value, REACH)
    if plan == 0:
        return f"<td>{esc(text)}</td>"
    difference = unit.difference(plan, REACH)
    sign = 0 if difference is None or abs(difference) < NO_CHANGE else (1 if difference > 0 else -1)
    enrolments = unit.difference(plan, ENROLMENTS)
    return (
        f"<td>{esc(text)}{_difference_span(format_difference(difference, REACH), sign)}</td>"
        f"<td>{esc(format_difference(enrolments, ENROLMENTS) or NOT_KNOWN)}</td>"
    )


def _units_html(comparison: Comparison, units: Sequence[UnitComparison], level: str) -> str:
    if not units:
        return f"<p class='note'>No {esc(level)} in any plan.</p>"
    head = "<th class='t'>code</th><th class='t'>name</th>" + "".join(
        f"<th>{esc(p.label)} reach{' (baseline)' if i == 0 else ''}</th>"
        + ("" if i == 0 else f"<th>{esc(p.label)} Δ enrolments</th>")
        for i, p in enumerate(comparison.plans)
    )
    rows = "".join(
        f"<tr><td class='t'>{esc(u.code)}</td><td class='t'>{esc(u.name)}</td>"
        + "".join(_unit_cell(u, i) for i in range(len(comparison.plans)))
        + "</tr>"
        for u in units
    )
    return f"<div class='scroll'><table class='pc'><tr>{head}</tr>{rows}</table></div>"


def _team_row(team: TeamChanges) -> str:
    details = "".join(
        f"<li>{esc(c.change)}: {esc(c.kind)} {esc(c.commune_name)} ({esc(c.commune_code)}"
        + (f", {esc(c.venue_id)}" if c.venue_id else "")
        + ")"
        + (f" {esc(c.baseline_date)}" if c.baseline_date else "")
        + (" →" if c.change == "moved" else "")
        + (f" {esc(c.plan_date)}" if c.plan_date else "")
        + "</li>"
        for c in team.changes
    )
    status = {"both": "", "only_plan": " (new team)", "only_baseline": " (team gone)"}
    return (
        f"<tr><td class='t'>{esc(team.team_id)}{esc(status[team.status])}</td>"
        f"<td>{team.kept:,}</td>"
        + "".join(f"<td>{team.count(change):,}</td>" for change in CHANGE_KINDS)
        + f"<td class='w'><details><summary>stops</summary><ul>{details}</ul></details></td></tr>"
    )


def _teams_html(comparison: Comparison) -> str:
    parts: list[str] = []
    for i, plan in enumerate(comparison.plans[1:], start=1):
        parts.append(f"<h3>{esc(plan.label)} against {esc(comparison.plans[0].label)}</h3>")
        if not comparison.teams_compared[i]:
            parts.append("<p class='note'>Teams not compared (no team in common).</p>")
            continue
        teams = [t for t in comparison.teams if t.plan == i]
        parts.append(
            f"<p class='note'>{len(teams):,} teams changed, "
            f"{comparison.teams_unchanged[i]:,} unchanged (a new or gone team counts as "
            "changed). A stop on the same day is kept (its place in the day may differ); on "
            "another day it moved.</p>"
        )
        if not teams:
            continue
        head = (
            "<tr><th class='t'>team</th><th>kept</th>"
            + "".join(f"<th>{change}</th>" for change in CHANGE_KINDS)
            + "<th class='t'></th></tr>"
        )
        rows = "".join(_team_row(t) for t in teams[:MAX_TEAMS_LISTED])
        parts.append(f"<div class='scroll'><table class='pc'>{head}{rows}</table></div>")
        if len(teams) > MAX_TEAMS_LISTED:
            parts.append(
                f"<p class='note'>{len(teams) - MAX_TEAMS_LISTED:,} more teams changed: see "
                "team_changes.csv.</p>"
            )
    return "\n".join(parts)


# -- the difference map ----------------------------------------------------------------------


def difference_classes(largest: float) -> tuple[float, float, float]:
    """Upper edges of the three classes on each side of "no change": a round step x 1, 2, 3.

    The step is the smallest of 1, 2, 2.5, 5 x 10^k with 3 steps >= the largest |difference|,
    so that the legend reads in round numbers and the largest difference is in the last class.
    """
    target = max(largest, 3 * NO_CHANGE) / 3
    power = 10 ** math.floor(math.log10(target))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= target)
    return (step, 2 * step, 3 * step)


def _legend(edges: Sequence[float]) -> str:
    def n(value: float) -> str:
        return f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"

    labels = [
        f"{n(edges[1])} to {n(edges[2])} fewer",
        f"{n(edges[0])} to {n(edges[1])} fewer",
        f"up to {n(edges[0])} fewer",
        "no change",
        f"up to {n(edges[0])} more",
        f"{n(edges[0])} to {n(edges[1])} more",
        f"{n(edges[1])} to {n(edges[2])} more",
    ]
    return "".join(
        f"<span class='sw' style='background:{colour}'></span>{esc(label)}"
        for colour, label in zip(DIFFERENCE_COLOURS, labels, strict=True)
    )


def _geometry_json(geometry: BaseGeometry) -> dict[str, Any] | None:
    if geometry is None or geometry.is_empty:
        return None
    simplified = geometry.simplify(TOLERANCE_DEG, preserve_topology=True)
    geometry = simplified if not simplified.is_empty else geometry
    geometry = shapely.transform(geometry, lambda xy: np.round(xy, COORD_DIGITS))
    mapped: dict[str, Any] = shapely.geometry.mapping(geometry)
    return mapped


def _popup(comparison: Comparison, unit: UnitComparison | None, name: str) -> str:
    rows = []
    for i, plan in enumerate(comparison.plans):
        if unit is None or unit.figures[i] is None:
            rows.append(
                f"<tr><td class='t'>{esc(plan.label)}</td><td>not planned</td><td></td></tr>"
            )
            continue
        reach = format_value(unit.value(i, REACH), REACH)
        diff = "" if i == 0 else format_difference(unit.difference(i, REACH), REACH)
        enrol = format_value(unit.value(i, ENROLMENTS), ENROLMENTS)
        rows.append(
            f"<tr><td class='t'>{esc(plan.label)}</td><td>{esc(reach)}</td>"
            f"<td>{esc(diff)}</td><td>{esc(enrol)}</td></tr>"
        )
    return (
        f"<div class='pc-pop'><b>{esc(name)}</b><table><tr><td class='t'></td><td>reach</td>"
        f"<td>Δ</td><td>enrolments</td></tr>{''.join(rows)}</table>"
        "<span class='note'>approximate boundaries</span></div>"
    )


def _level_data(
    comparison: Comparison,
    units: Sequence[UnitComparison],
    frame: gpd.GeoDataFrame,
    name_column: str,
    keys: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """GeoJSON of one level's polygons: each with its differences, tooltips and popup."""
    by_key = {(u.province_code, u.code): u for u in units}
    compared = range(1, len(comparison.plans))
    features = []
    largest = [0.0 for _ in comparison.plans]
    for key, name, geometry in zip(
        keys, frame[name_column].astype(str), frame.geometry, strict=True
    ):
        shape = _geometry_json(geometry)
        if shape is None:
            continue
        unit = by_key.get(key)
        differences = [0.0 if unit is None else unit.difference(i, REACH) or 0.0 for i in compared]
        for i, d in zip(compared, differences, strict=True):
            largest[i] = max(largest[i], abs(d))
        display = unit.name if unit is not None else name
        features.append(
            {
                "type": "Feature",
                "geometry": shape,
                "properties": {
                    "d": [round(d, 1) for d in differences],
                    "t": [
                        f"{esc(display)}: {esc(format_difference(d, REACH))} reached"
                        for d in differences
                    ],
                    "p": _popup(comparison, unit, display),
                },
            }
        )
    edges = [list(difference_classes(largest[i])) for i in compared]
    return {
        "features": {"type": "FeatureCollection", "features": features},
        "edges": edges,
        "legends": [_legend(e) for e in edges],
    }


def _map_data(comparison: Comparison, geo: GeoData) -> dict[str, Any]:
    provinces = geo.provinces
    groups = geo.groups
    group_name = next(
        (c for c in ("district_name", "cluster_name", "group_name") if c in groups.columns),
        "group_code",
    )
    levels = {
        "group": _level_data(
            comparison,
            comparison.groups,
            groups,
            group_name,
            list(
                zip(
                    groups["province_code"].astype(str),
                    groups["group_code"].astype(str),
                    strict=True,
                )
            ),
        ),
        "province": _level_data(
            comparison,
            comparison.provinces,
            provinces,
            "province_name",
            [(str(c), str(c)) for c in provinces["province_code"]],
        ),
    }
    minx, miny, maxx, maxy = (float(v) for v in provinces.total_bounds)
    return {
        "levels": levels,
        "bounds": [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]],
        "colours": list(DIFFERENCE_COLOURS),
        "noChange": NO_CHANGE,
    }


def _map_header(comparison: Comparison) -> list[str]:
    options = "".join(
        f"<option value='{i - 1}'>{esc(p.label)} − {esc(comparison.plans[0].label)}</option>"
        for i, p in enumerate(comparison.plans[1:], start=1)
    )
    return [
        "<h2>Where the plans differ</h2>",
        "<div class='pc-controls'><label>Difference in expected reach: "
        f"<select id='pc-plan'>{options}</select></label> "
        "<label>by <select id='pc-level'>"
        f"<option value='group'>{esc(comparison.group_label)}</option>"
        "<option value='province'>province</option></select></label></div>",
    ]


def _map_footer() -> str:
    return (
        "<div class='pc-legend' id='pc-legend'></div>"
        "<p class='note'>Boundaries are approximate (Voronoi cells of commune centroids clipped "
        "to the coastline), not official. Red: fewer people reached than the baseline; blue: "
        "more. Click a unit for every plan's figures.</p>"
    )


class _Html(MacroElement):
    """Raw HTML put into the page's body after the map."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.content }}{% endmacro %}")

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "CompareHtml"
        self.content = content


class _DifferenceLayers(MacroElement):
    """The shaded polygons of the chosen plan and level, redrawn when a list changes."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }}, data = {{ this.data_js }}, layer = null;
  function cls(d, edges) {
    var a = Math.abs(d), k = 0;
    if (a < data.noChange) { return 3; }
    while (k < 2 && a > edges[k]) { k += 1; }
    return d < 0 ? 2 - k : 4 + k;
  }
  function draw() {
    var plan = Number(document.getElementById('pc-plan').value);
    var level = data.levels[document.getElementById('pc-level').value];
    if (layer) { map.removeLayer(layer); }
    layer = L.geoJSON(level.features, {
      attribution: 'approximate boundaries',
      style: function (f) {
        return {color: '#616161', weight: 0.8, fillOpacity: 0.8,
                fillColor: data.colours[cls(f.properties.d[plan], level.edges[plan])]};
      },
      onEachFeature: function (f, l) {
        l.bindTooltip(f.properties.t[plan], {sticky: true});
        l.bindPopup(f.properties.p, {maxWidth: 380});
      }
    }).addTo(map);
    document.getElementById('pc-legend').innerHTML = level.legends[plan];
  }
  document.getElementById('pc-plan').addEventListener('change', draw);
  document.getElementById('pc-level').addEventListener('change', draw);
  draw();
  map.fitBounds(data.bounds, {padding: [10, 10]});
})();
{% endmacro %}"""
    )

    def __init__(self, comparison: Comparison, geo: GeoData) -> None:
        super().__init__()
        self._name = "CompareDifferences"
        self.data_js = _js(_map_data(comparison, geo))
