"""Folium maps of a plan: a national overview, one page per province, one page per team.

What `write_maps(plan, geo, out_dir)` writes, and where each page is made:

- `index.html`: the national page (`national.py`: `overview_map`, with the history panel
  and the launch day's layer);
- `<province-code>.html`: one page per province (`province.py`: `province_map`, its panel,
  layers, day and team filter, and the clustering of stops when zoomed out);
- `teams/<team-id>.html`: one page per team (`team.py`: `team_map`, its day list and its
  territory's outline). The page carries Leaflet inside it so it can be sent alone. An id
  that is not a plain file name (or is a reserved one, such as `index`) gives
  `team-<id>.html` with the id made safe, and names are unique within the plan
  (`team_files`, `_files.py`);
- `lib/`: Leaflet (from XStatic-Leaflet), used by the index and province pages.

Shared by the pages: `_layers.py` (the page and its folium elements: `_new_map`, `_fit`,
`_save`, `GeoJsonLayer`, `StopMarkers`, `Marks`, the shared script), `_style.py` (colours,
`team_palette`, swatches, the stylesheet), `_places.py` (coordinates, geometries, stops at
one place, `navigation_url`), `_popups.py` (what a stop or a route says when clicked),
`_territories.py` (`TeamTerritory`, `team_territories`, how a territory is drawn) and
`_words.py` (`esc`, the maps' own words).

What comes from summary.json is given as plain data (`write_maps(..., summary=...)`: the
dictionary `planner run` writes; this package never imports the solver):

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
plan draws is vector data inside the page. Every page has a metric scale.

Safety: every name from the input data goes through `esc()` before it is put into HTML, and
all data enters the page's script as JSON with `<`, `>` and `&` escaped, so a commune named
`<script>...</script>` shows as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium

from planner.export import _offline
from planner.export.i18n import check_lang
from planner.export.maps._files import province_file, team_files
from planner.export.maps._layers import GeoJsonLayer, Marks, StopMarkers, _save
from planner.export.maps._places import (
    BASE_OFFSET_PX,
    COORD_DIGITS,
    MARKER_PX,
    NEAR_METRES,
    OVERVIEW_TOLERANCE_DEG,
    PROVINCE_TOLERANCE_DEG,
    SHARED_PLACE_PX,
    base_offset,
    colocated,
    navigation_url,
    route_places,
    shared_place_offsets,
)
from planner.export.maps._popups import estimate_rows, nav_label, route_record, stop_record
from planner.export.maps._style import (
    COVERAGE_COLOURS,
    ISOLATED_COLOUR,
    LAUNCH_COLOUR,
    OUTSIDE_PLAN_COLOUR,
    REACH_COLOURS,
    TERRITORY_COLOUR,
    UNSERVED_COLOUR,
    WARNING_COLOUR,
    team_palette,
    text_colour,
)
from planner.export.maps._territories import TeamTerritory, team_territories
from planner.export.maps._words import esc
from planner.export.maps.national import Launch, overview_map
from planner.export.maps.province import CLUSTER_BELOW_ZOOM, CLUSTER_CELL_PX, Isolated, province_map
from planner.export.maps.team import team_map
from planner.messages import scenario_title
from planner.plan import Plan

if TYPE_CHECKING:
    from planner.geo.load import GeoData

__all__ = [
    "BASE_OFFSET_PX",
    "CLUSTER_BELOW_ZOOM",
    "CLUSTER_CELL_PX",
    "COORD_DIGITS",
    "COVERAGE_COLOURS",
    "ISOLATED_COLOUR",
    "LAUNCH_COLOUR",
    "MARKER_PX",
    "NEAR_METRES",
    "OUTSIDE_PLAN_COLOUR",
    "OVERVIEW_TOLERANCE_DEG",
    "PROVINCE_TOLERANCE_DEG",
    "REACH_COLOURS",
    "SHARED_PLACE_PX",
    "TERRITORY_COLOUR",
    "UNSERVED_COLOUR",
    "WARNING_COLOUR",
    "GeoJsonLayer",
    "Isolated",
    "Launch",
    "Marks",
    "StopMarkers",
    "TeamTerritory",
    "base_offset",
    "colocated",
    "esc",
    "estimate_rows",
    "nav_label",
    "navigation_url",
    "overview_map",
    "province_file",
    "province_map",
    "route_places",
    "route_record",
    "shared_place_offsets",
    "stop_record",
    "team_files",
    "team_map",
    "team_palette",
    "team_territories",
    "text_colour",
    "write_maps",
]


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
        team and province pages (package docstring).
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
