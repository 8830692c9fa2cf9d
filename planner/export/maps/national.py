"""The national page: `overview_map`, written as `index.html`.

Every province of the structure; those in the plan shaded by expected reach per target
person (`kpis.people_reached / target_people`), each with a link to its page; the others
grey. From summary.json (plain data, given by `write_maps`):

- `history` (planner/history.py): the panel "So với lịch sử" puts the plan's new
  participants as a national month beside the best month on record, and its conferences
  beside 2019's, with the ratios and the warning when the prediction is above the record
  (`_history_panel`);
- `launch` = {"date": "YYYY-MM-DD", "start": "HH:MM"} (`Launch`): the routes of that date
  are the launch parades ("Lễ ra quân"), drawn as a layer of their own, in the layer control
  and the legend (`_launch_layer`); without the key, nothing is drawn.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import folium

from planner.export.i18n import Lang, check_lang, format_date, format_number, format_percent, t
from planner.export.maps._layers import GeoJsonLayer, _fit, _Html, _new_map, _route_key
from planner.export.maps._places import (
    OVERVIEW_TOLERANCE_DEG,
    _bounds_points,
    _frame_rows,
    _geometry_json,
    _round,
)
from planner.export.maps._popups import _row
from planner.export.maps._style import (
    LAUNCH_COLOUR,
    OUTSIDE_PLAN_COLOUR,
    REACH_COLOURS,
    WARNING_COLOUR,
    _swatch,
)
from planner.export.maps._words import _WORDS, _team_name, _w, esc
from planner.plan import Plan, ProvincePlan, TeamDayRoute, hhmm

if TYPE_CHECKING:
    from planner.geo.load import GeoData


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


# -- the page --------------------------------------------------------------------------------------


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


# -- the launch day --------------------------------------------------------------------------------


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


# -- the history panel -----------------------------------------------------------------------------


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

    partial: list[tuple[str, str]] = []
    days_note = ""
    days = _number_of(history, "plan_days")
    if history.get("new_participants_judged_on") == "plan_days" and days is not None:
        shown = number(days)
        partial = [
            (
                _w("days_new", lang).format(days=shown),
                number(_number_of(history, "plan_days_national_new_participants")),
            ),
            (
                _w("days_ratio_best", lang).format(days=shown),
                number(_number_of(ratios, "plan_days_new_participants_vs_best_month"), 2),
            ),
        ]
        on_record = {r.get("key"): _number_of(r, "new_participants") for r in record}
        launch, record_month = on_record.get("2022_launch_day"), on_record.get("2022_month")
        if launch and record_month:
            said = _w("days_note", lang).format(launch=number(launch), month=number(record_month))
            days_note = f"<div class='pl-note'>{esc(said)}</div>"
    rows = [
        (_w("month_new", lang), number(new)),
        (best_words, number(best)),
        (_w("ratio_best", lang), number(_number_of(ratios, "new_participants_vs_best_month"), 2)),
        *partial,
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
        f"<table>{table}</table>{warnings}{days_note}<div class='pl-note'>{esc(note)}</div>"
        "</details>"
    )
