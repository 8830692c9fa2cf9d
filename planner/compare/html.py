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

The page is in Vietnamese (`lang="vi"`) unless asked in English; each plan is labelled by
its scenario's title (`compare.diff`), and the page's title names the plans' titles.

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
from planner.messages import Lang, localize, number, text

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
table.pc th { background: #f5f5f5; position: sticky; top: 0; white-space: normal;
  max-width: 260px; }
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
    comparison: Comparison,
    *,
    geo: GeoData | None = None,
    sweep_png: bytes | None = None,
    lang: Lang = "vi",
    title: str | None = None,
) -> str:
    """The whole page as HTML text (see the module docstring).

    geo: the polygons of the comparison's structure (its provinces and groups); without it,
        the map is left out and the page says so.
    sweep_png: the sweep curve's PNG bytes (from `sweep_chart`), shown when given.
    lang: "vi" (the default) or "en".
    title: the page's title; by default "So sánh: <the plans' titles>".
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
    if title is None:
        titles = dict.fromkeys(p.title or p.label for p in comparison.plans)
        title = text("compare.title", lang, plans=" / ".join(titles))
    root.title = esc(title)  # type: ignore[attr-defined]
    root.header.add_child(Element(_STYLE), name="pc_style")  # type: ignore[attr-defined]
    folium.TileLayer("OpenStreetMap", name=text("compare.background", lang)).add_to(m)
    group = text(f"compare.group.{comparison.group_label}", lang)

    before = [
        f"<h1>{esc(title)}</h1>",
        "<p class='note'>"
        + text(
            "compare.baseline_note",
            lang,
            label=esc(comparison.plans[0].label),
            folder=esc(comparison.plans[0].folder),
        )
        + "</p>",
        *(f"<p class='note'>{esc(localize(note, lang))}</p>" for note in comparison.notes),
        f"<h2>{esc(text('compare.plans_heading', lang))}</h2>",
        _side_by_side_html(comparison, lang),
        f"<p class='note'>{text('compare.table_note', lang)}</p>",
    ]
    if sweep_png is not None:
        encoded = base64.b64encode(sweep_png).decode("ascii")
        before += [
            f"<h2>{esc(text('compare.sweep_heading', lang))}</h2>",
            f'<img class="sweep" alt="{esc(text("compare.sweep_alt", lang))}" '
            f'src="data:image/png;base64,{encoded}">',
        ]
    after: list[str] = []
    if geo is not None and len(comparison.plans) > 1:
        before += _map_header(comparison, lang)
        after.append(_map_footer(lang))
        _DifferenceLayers(comparison, geo, lang).add_to(m)
    else:
        before += [
            f"<h2>{esc(text('compare.map_heading', lang))}</h2>",
            f"<p class='note'>{esc(text('compare.no_map', lang))}</p>",
        ]
        m.get_root().html.add_child(  # type: ignore[attr-defined]
            Element("<style>.folium-map { display: none; }</style>"), name="pc_hide_map"
        )
    after += [
        f"<h2>{esc(text('compare.top_provinces', lang, n=TOP_PROVINCES))}</h2>",
        _units_html(
            comparison,
            comparison.provinces[:TOP_PROVINCES],
            text("compare.province", lang),
            lang,
        ),
        f"<h2>{esc(text('compare.top_groups', lang, level=group, n=TOP_GROUPS))}</h2>",
        _units_html(comparison, comparison.groups[:TOP_GROUPS], group, lang),
        f"<h2>{esc(text('compare.teams_heading', lang))}</h2>",
        _teams_html(comparison, lang),
    ]
    root.html.add_child(Element("\n".join(before)), name="pc_before")  # type: ignore[attr-defined]
    _Html("\n".join(after)).add_to(m)
    page = root.render()
    return page.replace("<html>", f'<html lang="{lang}">', 1)


# -- tables ------------------------------------------------------------------------------------


def _difference_span(text: str, sign: int) -> str:
    if not text:
        return ""
    css = "up" if sign > 0 else "down" if sign < 0 else ""
    return f" <span class='d {css}'>({esc(text)})</span>"


def _side_by_side_html(comparison: Comparison, lang: Lang) -> str:
    head = "".join(
        f"<th>{esc(p.label)}{esc(text('compare.baseline_mark', lang)) if i == 0 else ''}</th>"
        for i, p in enumerate(comparison.plans)
    )
    rows = []
    for row in side_by_side(comparison, lang):
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


def _unit_cell(unit: UnitComparison, plan: int, lang: Lang) -> str:
    value = unit.value(plan, REACH)
    shown = (
        text("compare.not_planned", lang)
        if unit.figures[plan] is None
        else format_value(value, REACH, lang)
    )
    if plan == 0:
        return f"<td>{esc(shown)}</td>"
    difference = unit.difference(plan, REACH)
    sign = 0 if difference is None or abs(difference) < NO_CHANGE else (1 if difference > 0 else -1)
    enrolments = unit.difference(plan, ENROLMENTS)
    return (
        f"<td>{esc(shown)}"
        f"{_difference_span(format_difference(difference, REACH, lang), sign)}</td>"
        f"<td>{esc(format_difference(enrolments, ENROLMENTS, lang) or NOT_KNOWN)}</td>"
    )


def _units_html(
    comparison: Comparison, units: Sequence[UnitComparison], level: str, lang: Lang
) -> str:
    if not units:
        return f"<p class='note'>{esc(text('compare.no_units', lang, level=level))}</p>"
    head = (
        f"<th class='t'>{esc(text('compare.code', lang))}</th>"
        f"<th class='t'>{esc(text('compare.name', lang))}</th>"
        + "".join(
            "<th>"
            + esc(
                text(
                    "compare.unit_reach_baseline" if i == 0 else "compare.unit_reach",
                    lang,
                    label=p.label,
                )
            )
            + "</th>"
            + (
                ""
                if i == 0
                else f"<th>{esc(text('compare.unit_enrolments', lang, label=p.label))}</th>"
            )
            for i, p in enumerate(comparison.plans)
        )
    )
    rows = "".join(
        f"<tr><td class='t'>{esc(u.code)}</td><td class='t'>{esc(u.name)}</td>"
        + "".join(_unit_cell(u, i, lang) for i in range(len(comparison.plans)))
        + "</tr>"
        for u in units
    )
    return f"<div class='scroll'><table class='pc'><tr>{head}</tr>{rows}</table></div>"


def _team_row(team: TeamChanges, lang: Lang) -> str:
    details = "".join(
        f"<li>{esc(text(f'compare.change.{c.change}', lang))}: "
        f"{esc(text(f'word.{c.kind}', lang) if c.kind in ('pass', 'conference') else c.kind)} "
        f"{esc(c.commune_name)} ({esc(c.commune_code)}"
        + (f", {esc(c.venue_id)}" if c.venue_id else "")
        + ")"
        + (f" {esc(c.baseline_date)}" if c.baseline_date else "")
        + (" →" if c.change == "moved" else "")
        + (f" {esc(c.plan_date)}" if c.plan_date else "")
        + "</li>"
        for c in team.changes
    )
    status = {
        "both": "",
        "only_plan": text("compare.new_team", lang),
        "only_baseline": text("compare.team_gone", lang),
    }
    return (
        f"<tr><td class='t'>{esc(team.team_id)}{esc(status[team.status])}</td>"
        f"<td>{number(team.kept, lang)}</td>"
        + "".join(f"<td>{number(team.count(change), lang)}</td>" for change in CHANGE_KINDS)
        + f"<td class='w'><details><summary>{esc(text('compare.stops', lang))}</summary>"
        f"<ul>{details}</ul></details></td></tr>"
    )


def _teams_html(comparison: Comparison, lang: Lang) -> str:
    parts: list[str] = []
    for i, plan in enumerate(comparison.plans[1:], start=1):
        against = text("compare.against", lang, plan=plan.label, baseline=comparison.plans[0].label)
        parts.append(f"<h3>{esc(against)}</h3>")
        if not comparison.teams_compared[i]:
            parts.append(f"<p class='note'>{esc(text('compare.teams_not_compared', lang))}</p>")
            continue
        teams = [t for t in comparison.teams if t.plan == i]
        changed = text(
            "compare.teams_changed",
            lang,
            changed=len(teams),
            unchanged=comparison.teams_unchanged[i],
        )
        parts.append(f"<p class='note'>{esc(changed)}</p>")
        if not teams:
            continue
        head = (
            f"<tr><th class='t'>{esc(text('compare.team', lang))}</th>"
            f"<th>{esc(text('compare.kept', lang))}</th>"
            + "".join(
                f"<th>{esc(text(f'compare.change.{change}', lang))}</th>" for change in CHANGE_KINDS
            )
            + "<th class='t'></th></tr>"
        )
        rows = "".join(_team_row(t, lang) for t in teams[:MAX_TEAMS_LISTED])
        parts.append(f"<div class='scroll'><table class='pc'>{head}{rows}</table></div>")
        if len(teams) > MAX_TEAMS_LISTED:
            more = text("compare.more_teams", lang, n=len(teams) - MAX_TEAMS_LISTED)
            parts.append(f"<p class='note'>{esc(more)}</p>")
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


def _legend(edges: Sequence[float], lang: Lang = "vi") -> str:
    def n(value: float) -> str:
        return number(value, lang, 0 if value >= 10 else 1)

    labels = [
        text("compare.legend_fewer", lang, low=n(edges[1]), high=n(edges[2])),
        text("compare.legend_fewer", lang, low=n(edges[0]), high=n(edges[1])),
        text("compare.legend_fewer_up_to", lang, high=n(edges[0])),
        text("compare.legend_no_change", lang),
        text("compare.legend_more_up_to", lang, high=n(edges[0])),
        text("compare.legend_more", lang, low=n(edges[0]), high=n(edges[1])),
        text("compare.legend_more", lang, low=n(edges[1]), high=n(edges[2])),
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


def _popup(comparison: Comparison, unit: UnitComparison | None, name: str, lang: Lang) -> str:
    rows = []
    for i, plan in enumerate(comparison.plans):
        if unit is None or unit.figures[i] is None:
            rows.append(
                f"<tr><td class='t'>{esc(plan.label)}</td>"
                f"<td>{esc(text('compare.not_planned', lang))}</td><td></td></tr>"
            )
            continue
        reach = format_value(unit.value(i, REACH), REACH, lang)
        diff = "" if i == 0 else format_difference(unit.difference(i, REACH), REACH, lang)
        enrol = format_value(unit.value(i, ENROLMENTS), ENROLMENTS, lang)
        rows.append(
            f"<tr><td class='t'>{esc(plan.label)}</td><td>{esc(reach)}</td>"
            f"<td>{esc(diff)}</td><td>{esc(enrol)}</td></tr>"
        )
    return (
        f"<div class='pc-pop'><b>{esc(name)}</b><table><tr><td class='t'></td>"
        f"<td>{esc(text('compare.reach', lang))}</td><td>Δ</td>"
        f"<td>{esc(text('compare.enrolments', lang))}</td></tr>{''.join(rows)}</table>"
        f"<span class='note'>{esc(text('compare.approximate', lang))}</span></div>"
    )


def _level_data(
    comparison: Comparison,
    units: Sequence[UnitComparison],
    frame: gpd.GeoDataFrame,
    name_column: str,
    keys: Sequence[tuple[str, str]],
    lang: Lang = "vi",
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
                        esc(
                            text(
                                "compare.reached_tooltip",
                                lang,
                                name=display,
                                difference=format_difference(d, REACH, lang),
                            )
                        )
                        for d in differences
                    ],
                    "p": _popup(comparison, unit, display, lang),
                },
            }
        )
    edges = [list(difference_classes(largest[i])) for i in compared]
    return {
        "features": {"type": "FeatureCollection", "features": features},
        "edges": edges,
        "legends": [_legend(e, lang) for e in edges],
    }


def _map_data(comparison: Comparison, geo: GeoData, lang: Lang = "vi") -> dict[str, Any]:
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
            lang,
        ),
        "province": _level_data(
            comparison,
            comparison.provinces,
            provinces,
            "province_name",
            [(str(c), str(c)) for c in provinces["province_code"]],
            lang,
        ),
    }
    minx, miny, maxx, maxy = (float(v) for v in provinces.total_bounds)
    return {
        "levels": levels,
        "bounds": [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]],
        "colours": list(DIFFERENCE_COLOURS),
        "noChange": NO_CHANGE,
    }


def _map_header(comparison: Comparison, lang: Lang = "vi") -> list[str]:
    options = "".join(
        f"<option value='{i - 1}'>{esc(p.label)} − {esc(comparison.plans[0].label)}</option>"
        for i, p in enumerate(comparison.plans[1:], start=1)
    )
    group = text(f"compare.group.{comparison.group_label}", lang)
    return [
        f"<h2>{esc(text('compare.where_heading', lang))}</h2>",
        f"<div class='pc-controls'><label>{esc(text('compare.difference_in_reach', lang))} "
        f"<select id='pc-plan'>{options}</select></label> "
        f"<label>{esc(text('compare.by', lang))} <select id='pc-level'>"
        f"<option value='group'>{esc(group)}</option>"
        f"<option value='province'>{esc(text('compare.province', lang))}</option>"
        "</select></label></div>",
    ]


def _map_footer(lang: Lang = "vi") -> str:
    return (
        "<div class='pc-legend' id='pc-legend'></div>"
        f"<p class='note'>{esc(text('compare.map_note', lang))}</p>"
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
      attribution: data.attribution,
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

    def __init__(self, comparison: Comparison, geo: GeoData, lang: Lang = "vi") -> None:
        super().__init__()
        self._name = "CompareDifferences"
        data = _map_data(comparison, geo, lang)
        data["attribution"] = text("compare.approximate", lang)
        self.data_js = _js(data)
