"""The maps, checked by structure: layers, lines and markers against the plan; no network; XSS."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import folium
import pytest
import shapely

from planner.export import _offline
from planner.export.maps import (
    CLUSTER_BELOW_ZOOM,
    CLUSTER_CELL_PX,
    GeoJsonLayer,
    StopMarkers,
    TeamTerritory,
    base_offset,
    colocated,
    esc,
    overview_map,
    province_map,
    route_places,
    shared_place_offsets,
    team_files,
    team_map,
    team_palette,
    team_territories,
    text_colour,
    write_maps,
)
from planner.geo.load import GeoData
from planner.plan import Plan
from tests.export.conftest import DAY1, DAY2, TEMPLATE_NAME, XSS_NAME


def _layers(m: folium.Map) -> list[object]:
    return list(m._children.values())


def _route_groups(m: folium.Map) -> list[folium.FeatureGroup]:
    return [
        child
        for child in _layers(m)
        if isinstance(child, folium.FeatureGroup)
        and any(isinstance(c, folium.PolyLine) for c in child._children.values())
    ]


def _rendered(m: folium.Map) -> str:
    return m.get_root().render()


def test_province_map_has_one_layer_per_team_day(plan: Plan, geo: GeoData) -> None:
    province = plan.provinces[0]
    m = province_map(province, plan, geo)
    groups = _route_groups(m)
    assert len(groups) == len(province.routes)
    polylines = [c for g in groups for c in g._children.values() if isinstance(c, folium.PolyLine)]
    assert len(polylines) == len(province.routes)
    markers = [c for g in groups for c in g._children.values() if isinstance(c, StopMarkers)]
    assert sum(len(s.stops) for s in markers) == sum(len(r.stops) for r in province.routes)

    html = _rendered(m)
    control = next(c for c in _layers(m) if isinstance(c, folium.LayerControl))
    names = {g.get_name() for g in groups}
    assert names <= set(control.overlays.values())
    expected = {f"Đội {r.team_id} · " for r in province.routes}
    assert all(any(name.startswith(e) for name in control.overlays) for e in expected)
    assert html.count("L.polyline(") == len(province.routes)
    assert html.count("plDay(feature_group_") == len(province.routes)


def test_route_line_goes_from_base_through_stops_back_to_base(plan: Plan, geo: GeoData) -> None:
    province = plan.provinces[0]
    route = sorted(province.routes, key=lambda r: (r.team_id, r.date))[0]
    m = province_map(province, plan, geo)
    line = next(c for c in _route_groups(m)[0]._children.values() if isinstance(c, folium.PolyLine))
    base = [round(route.base_lat, 5), round(route.base_lon, 5)]
    assert [list(p) for p in line.locations] == [
        base,
        *[[round(s.lat, 5), round(s.lon, 5)] for s in route.stops],
        base,
    ]


def test_province_map_draws_boundaries_labelled_approximate(plan: Plan, geo: GeoData) -> None:
    m = province_map(plan.provinces[0], plan, geo)
    geojson = [c for c in _layers(m) if isinstance(c, GeoJsonLayer)]
    names = [layer.layer_name for layer in geojson]
    assert "Ranh giới xã/phường (gần đúng)" in names
    assert "Ranh giới huyện (gần đúng)" in names
    communes = next(g for g in geojson if g.layer_name.startswith("Ranh giới xã"))
    assert len(communes.features) == len(geo.communes)
    html = _rendered(m)
    assert "Ranh giới gần đúng (ô Voronoi)" in html  # the attribution


def test_isolated_and_unserved_communes_are_marked(plan: Plan, geo: GeoData) -> None:
    m = province_map(plan.provinces[0], plan, geo, isolated={"09005": [dt.date(2020, 5, 24)]})
    isolated = next(
        c for c in _layers(m) if isinstance(c, GeoJsonLayer) and "cách ly" in c.layer_name
    )
    # 09006 is unserved as isolated; 09005 is isolated on one day only
    assert len(isolated.features) == 2
    html = _rendered(m)
    assert "url(#pl-hatch)" in html and 'id="pl-hatch"' in html
    assert "Không còn thời gian" in html  # the reason of 09003, in its popup
    assert "24/05/2020" in html


def test_conference_popup_says_the_cap(plan: Plan, geo: GeoData) -> None:
    html = _rendered(province_map(plan.provinces[0], plan, geo))
    assert "không giới hạn" in html
    assert "Buổi sáng" in html
    assert "Số người được mời" in html


def test_team_map_has_one_layer_per_day_and_a_day_list(plan: Plan, geo: GeoData) -> None:
    province = plan.provinces[0]
    m = team_map(province, "27-256-1", geo=geo)
    groups = _route_groups(m)
    days = [r for r in province.routes if r.team_id == "27-256-1"]
    assert len(groups) == len(days)
    html = _rendered(m)
    assert 'name="viewport"' in html
    assert html.count("<details data-day=") == len(days)
    assert "min-height: 44px" in html
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=" in html


def test_overview_links_planned_provinces_and_greys_the_rest(plan: Plan, geo: GeoData) -> None:
    m = overview_map(plan, geo, province_links={"27": "27.html"})
    layer = next(c for c in _layers(m) if isinstance(c, GeoJsonLayer))
    assert len(layer.features) == len(geo.provinces)
    by_style = {f["properties"]["k"] for f in layer.features}
    assert len(by_style) == 2  # one reach colour, one grey
    html = _rendered(m)
    assert 'href=\\"27.html\\"' in html or "href=\\u0022" in html or "27.html" in html
    assert "Không nằm trong kế hoạch" in html


def test_written_maps_need_no_network(plan: Plan, geo: GeoData, tmp_path: Path) -> None:
    written = write_maps(plan, geo, tmp_path)
    pages = [p for p in written if p.suffix == ".html"]
    assert {p.relative_to(tmp_path).as_posix() for p in pages} == {
        "index.html",
        "27.html",
        "teams/27-256-1.html",
        "teams/27-258-1.html",
    }
    assert (tmp_path / "lib" / "leaflet.js").is_file()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert _offline.remote_references(html) == [], page
        assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", html)
        assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", html)
        assert not re.search(r"jsdelivr|cdnjs|code\.jquery|bootstrapcdn", html)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<script src="lib/leaflet.js"></script>' in index
    team = (tmp_path / "teams" / "27-256-1.html").read_text(encoding="utf-8")
    assert "<script src=" not in team  # Leaflet is inside the page
    assert '<html lang="vi">' in team


def test_inline_assets_put_leaflet_into_every_page(
    plan: Plan, geo: GeoData, tmp_path: Path
) -> None:
    written = write_maps(plan, geo, tmp_path, inline_assets=True)
    assert not (tmp_path / "lib").exists()
    for page in written:
        assert "<script src=" not in page.read_text(encoding="utf-8")


def test_remote_references_finds_cdn_links() -> None:
    html = (
        '<script src="https://cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="//cdn.example/x.css"/>'
        '<script src="lib/leaflet.js"></script><a href="https://www.google.com/maps">go</a>'
        "<style>@import url('https://fonts.example/f.css');</style>"
    )
    assert _offline.remote_references(html) == [
        "https://cdn.example/x.js",
        "//cdn.example/x.css",
        "https://fonts.example/f.css",
    ]


def test_folium_defaults_are_left_alone(plan: Plan, geo: GeoData, tmp_path: Path) -> None:
    before = (list(folium.Map.default_js), list(folium.Map.default_css))
    write_maps(plan, geo, tmp_path)
    assert (list(folium.Map.default_js), list(folium.Map.default_css)) == before


def test_names_from_data_are_escaped(plan: Plan, geo: GeoData, tmp_path: Path) -> None:
    write_maps(plan, geo, tmp_path)
    for name in ("27.html", "teams/27-256-1.html", "teams/27-258-1.html"):
        html = (tmp_path / name).read_text(encoding="utf-8")
        assert XSS_NAME not in html
        assert "alert(1)</script>" not in html
        # every <script> opened is closed by its own </script>
        assert html.count("<script") == html.count("</script>")
    html = (tmp_path / "27.html").read_text(encoding="utf-8")
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in html
    # a name made to break out of a JavaScript template literal sits in a JSON string
    as_json = json.dumps(esc(TEMPLATE_NAME), ensure_ascii=False)[1:-1]
    assert as_json.replace("&", "\\u0026") in html


def test_english_labels(plan: Plan, geo: GeoData, tmp_path: Path) -> None:
    write_maps(plan, geo, tmp_path, lang="en")
    html = (tmp_path / "27.html").read_text(encoding="utf-8")
    assert "Commune boundaries (approximate)" in html
    assert "Team 27-256-1" in html
    assert '<html lang="en">' in html


def test_unknown_language_is_refused(plan: Plan, geo: GeoData, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        write_maps(plan, geo, tmp_path, lang="fr")


def test_team_file_names_are_unique_and_safe(plan: Plan) -> None:
    files = team_files(plan)
    assert files == {("27", "27-256-1"): "27-256-1.html", ("27", "27-258-1"): "27-258-1.html"}


def test_a_month_of_a_large_province_stays_small(plan: Plan, geo: GeoData) -> None:
    """30 teams x 26 days x 8 stops (a month in Thanh Hóa) makes a page well under 5 MB."""
    province = plan.provinces[0]
    template = max(province.routes, key=lambda r: len(r.stops))
    stops = tuple(template.stops[i % len(template.stops)] for i in range(8))
    routes = tuple(
        dataclasses.replace(
            template,
            team_id=f"38-{team:03d}-1",
            date=dt.date(2020, 5, 23) + dt.timedelta(day),
            stops=stops,
        )
        for team in range(30)
        for day in range(26)
    )
    big = dataclasses.replace(province, routes=routes)
    html = _rendered(province_map(big, dataclasses.replace(plan, provinces=(big,)), geo))
    assert len(html.encode()) < 4_000_000


def test_a_province_without_routes_and_communes_as_points(
    plan: Plan, geo: GeoData, tmp_path: Path
) -> None:
    """Communes given as points (a user's CSV) and a province where no team works."""
    idle = dataclasses.replace(plan.provinces[0], routes=())
    points = geo.communes.copy()
    points["geometry"] = points.geometry.representative_point()
    point_geo = dataclasses.replace(geo, communes=points)
    written = write_maps(dataclasses.replace(plan, provinces=(idle,)), point_geo, tmp_path)
    assert {p.name for p in written if p.suffix == ".html"} == {"index.html", "27.html"}
    html = (tmp_path / "27.html").read_text(encoding="utf-8")
    assert "L.polyline(" not in html
    assert '"type":"Point"' in html


# -- busy provinces: team colours, stops at one place, one day, metric scale -------------------


def _lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of #rrggbb: how far apart two colours look."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("n", [1, 2, 12, 26, 40, 60])
def test_team_palette_gives_distinct_colours(n: int) -> None:
    colours = team_palette(n)
    assert len(colours) == n == len(set(colours))
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    if n >= 2:
        labs = [_lab(c) for c in colours]
        closest = min(math.dist(a, b) for a, b in itertools.combinations(labs, 2))
        assert closest >= (10 if n <= 40 else 7)  # 40 teams stay told apart


def test_team_palette_neighbours_differ_and_numbers_read() -> None:
    colours = team_palette(40)
    # teams next to each other in the list (often neighbouring districts) look far apart
    assert all(math.dist(_lab(a), _lab(b)) >= 25 for a, b in itertools.pairwise(colours))
    assert text_colour("#ffffff") == "#111" and text_colour("#000000") == "#fff"
    assert {text_colour(c) for c in colours} == {"#fff", "#111"}


def test_province_legend_lists_every_team_in_its_colour(plan: Plan, geo: GeoData) -> None:
    province = plan.provinces[0]
    template = province.routes[0]
    routes = tuple(
        dataclasses.replace(template, team_id=f"38-{team:03d}-1", date=day)
        for team in range(40)
        for day in (DAY1, DAY2)
    )
    big = dataclasses.replace(province, routes=routes)
    m = province_map(big, dataclasses.replace(plan, provinces=(big,)), geo)
    html = _rendered(m)
    legend = re.search(r'<ul class="pl-teams" id="pl-teams">(.*?)</ul>', html)
    assert legend is not None
    items = re.findall(
        r'<li data-team="([^"]+)"[^>]*><span class="pl-line" '
        r'style="background:(#[0-9a-f]{6})"',
        legend.group(1),
    )
    assert [team for team, _ in items] == [f"38-{team:03d}-1" for team in range(40)]
    assert len({colour for _, colour in items}) == 40
    # one day drawn when the page opens
    shown = [g for g in _route_groups(m) if g.show]
    assert len(shown) == 40


def test_stops_at_one_place_make_one_marker(plan: Plan, geo: GeoData) -> None:
    province = plan.provinces[0]
    route = province.routes[0]
    a, b = route.stops
    again = dataclasses.replace(a, arrival_min=900, start_min=905, end_min=950, pass_number=2)
    near = dataclasses.replace(b, lat=b.lat + 0.0002)  # about 20 m from b
    busy = dataclasses.replace(route, stops=(a, b, near, again))
    assert colocated([(s.lat, s.lon) for s in busy.stops]) == [[0, 3], [1, 2]]
    assert route_places(busy) == [[0, 3], [1, 2]]
    assert colocated([(21.0, 106.0), (21.001, 106.0)]) == [[0], [1]]  # 110 m apart

    one = dataclasses.replace(province, routes=(busy,))
    m = province_map(one, dataclasses.replace(plan, provinces=(one,)), geo)
    markers = next(
        c for g in _route_groups(m) for c in g._children.values() if isinstance(c, StopMarkers)
    )
    assert json.loads(markers.places_js) == [[[0, 3], 0, 0], [[1, 2], 0, 0]]
    assert "join('·')" in _rendered(m)  # the marker reads "1·4"


def test_a_base_with_a_stop_on_it_moves_aside(plan: Plan, geo: GeoData) -> None:
    province = plan.provinces[0]
    route = province.routes[0]
    assert base_offset(route.base_lat, route.base_lon, [route]) is None
    at_base = dataclasses.replace(route.stops[0], lat=route.base_lat, lon=route.base_lon)
    moved = dataclasses.replace(route, stops=(at_base, *route.stops[1:]))
    assert base_offset(route.base_lat, route.base_lon, [moved]) == (-17, -17)
    one = dataclasses.replace(province, routes=(moved,))
    html = _rendered(province_map(one, dataclasses.replace(plan, provinces=(one,)), geo))
    assert re.search(r'"★",[^\]]*\[-17,-17\]\]', html)


def test_two_teams_at_one_place_on_one_day_sit_side_by_side(plan: Plan) -> None:
    province = plan.provinces[0]
    a = province.routes[0]
    b = dataclasses.replace(a, team_id="27-999-1")
    c = dataclasses.replace(a, team_id="27-998-1", date=DAY2)  # another day: not moved
    offsets = shared_place_offsets([a, b, c])
    assert set(offsets) == {0, 1}
    assert offsets[0].keys() == offsets[1].keys() == {0, 1}
    assert offsets[0][0] != offsets[1][0]
    assert all(math.hypot(*xy) == pytest.approx(15, abs=1) for xy in offsets[0].values())


def test_scale_is_metric(plan: Plan, geo: GeoData) -> None:
    for m in (province_map(plan.provinces[0], plan, geo), team_map(plan.provinces[0], "27-256-1")):
        html = _rendered(m)
        assert "L.control.scale({imperial: false" in html
        assert "L.control.scale()" not in html


def test_team_map_opens_on_one_day(plan: Plan) -> None:
    m = team_map(plan.provinces[0], "27-256-1")
    assert [g.show for g in _route_groups(m)] == [True, False]
    html = _rendered(m)
    assert "plOpeningDay(plDayList)" in html


def test_province_map_clusters_stops_when_zoomed_out(plan: Plan, geo: GeoData) -> None:
    """Below zoom 11, stop markers are clustered by a 48 px grid, by the page's own script;
    the day and team filters recluster; team pages are not clustered."""
    assert (CLUSTER_BELOW_ZOOM, CLUSTER_CELL_PX) == (11, 48)
    html = _rendered(province_map(plan.provinces[0], plan, geo))
    assert "function plClusters(map, shown, below, cell)" in html
    assert re.search(r"var plRecluster = plClusters\(map_[0-9a-f]+, function \(\) \{", html)
    assert "}, 11, 48);" in html
    assert "plLegend(); plRecluster();" in html  # plFilter, plStepDay, plShowRoutes
    assert "zoomend moveend overlayadd overlayremove" in html
    assert "markercluster" not in html.lower()
    team = _rendered(team_map(plan.provinces[0], "27-256-1"))
    assert "plClusters(map_" not in team


# -- summary.json on the maps: history panel, launch day, territories ---------------------------

HISTORY = {
    "scale_to_national_month": 301.1352,
    "national_month_equivalent": {
        "conferences": 5722,
        "people_reached_directly": 204471,
        "new_participants": 55763,
    },
    "best_month_new_participants": 32870,
    "record": [
        {
            "key": "2019_month",
            "label": "2019, trung bình một tháng",
            "label_en": "2019, average month",
            "conferences": 1166.7,
            "new_participants": 23000.0,
        },
        {
            "key": "2022_launch_day",
            "label": "Ngày phát động 8/5/2022 (một ngày)",
            "label_en": "Launch day 8 May 2022 (one day)",
            "conferences": 6600.0,
            "new_participants": 22306.0,
        },
        {
            "key": "2022_month",
            "label": "Tháng vận động 5/2022",
            "label_en": "Campaign month May 2022",
            "conferences": None,
            "new_participants": 32870.0,
        },
    ],
    "ratios": {"new_participants_vs_best_month": 1.696, "conferences_vs_2019_month": 4.905},
    "warnings": ["new_participants_implausible"],
}
LAUNCH = {"date": DAY1.isoformat(), "start": "07:30"}
TERRITORIES = {
    "27": {
        "27-256-1": {"home": "256", "groups": {"256": "Thành phố Bắc Ninh", "258": "Yên Phong"}},
        "27-258-1": {"home": "258", "groups": ["258"]},
    }
}


def _panel(html: str) -> str:
    found = re.search(r'<details open class="pl-history">(.*?)</details>', html, re.S)
    assert found is not None
    return found.group(1)


def test_overview_has_the_history_panel(plan: Plan, geo: GeoData) -> None:
    html = _rendered(overview_map(plan, geo, history=HISTORY))
    panel = _panel(html)
    assert "<summary>So với lịch sử</summary>" in panel
    assert "Người tham gia mới dự báo, quy ra một tháng cả nước</td><td class='n'>55.763" in panel
    assert "Tháng tốt nhất từng có (Tháng vận động 5/2022)</td><td class='n'>32.870" in panel
    assert "Kế hoạch / tháng tốt nhất</td><td class='n'>1,70" in panel
    assert "Hội nghị năm 2019, trung bình một tháng</td><td class='n'>1.167" in panel
    assert "Kế hoạch / năm 2019</td><td class='n'>4,91" in panel
    assert "CẢNH BÁO: dự báo vượt 1,5 lần tháng tốt nhất từng có" in panel
    assert "x301,14" in panel
    english = _panel(_rendered(overview_map(plan, geo, lang="en", history=HISTORY)))
    assert "Best month on record (Campaign month May 2022)</td><td class='n'>32,870" in english
    assert "WARNING: the prediction exceeds 1.5 times the best month" in english
    assert "ngày của kế hoạch" not in panel  # a month's plan: judged on its month
    # a plan written before the block existed: no panel
    assert 'class="pl-history"' not in _rendered(overview_map(plan, geo))
    assert 'class="pl-history"' not in _rendered(overview_map(plan, geo, history={}))


def test_launch_day_routes_are_a_layer_of_their_own(plan: Plan, geo: GeoData) -> None:
    m = overview_map(plan, geo, launch=LAUNCH)
    launch = [c for c in _layers(m) if isinstance(c, GeoJsonLayer) and "Lễ ra quân" in c.layer_name]
    assert len(launch) == 1
    layer = launch[0]
    assert layer.layer_name == "Lễ ra quân 23/05/2020, 07:30"
    parades = [r for r in plan.provinces[0].routes if r.date == DAY1]
    lines = [f for f in layer.features if f["geometry"]["type"] == "LineString"]
    assert len(lines) == len(parades) == 2
    for feature, route in zip(lines, sorted(parades, key=lambda r: r.team_id), strict=True):
        coords = feature["geometry"]["coordinates"]
        assert coords[0] == coords[-1] == [round(route.base_lon, 5), round(route.base_lat, 5)]
        assert len(coords) == len(route.stops) + 2
    html = _rendered(m)
    control = next(c for c in _layers(m) if isinstance(c, folium.LayerControl))
    assert layer.get_name() in control.overlays.values()  # toggled in the layer control
    assert '<div class="pl-launch-legend">' in html
    assert "Lễ ra quân 23/05/2020, 07:30 (2 đội diễu hành)" in html
    assert '"className":"pl-launch"' in html


def test_no_launch_key_draws_nothing(plan: Plan, geo: GeoData, tmp_path: Path) -> None:
    html = _rendered(overview_map(plan, geo))
    assert "Lễ ra quân" not in html and "pl-launch" not in html
    write_maps(plan, geo, tmp_path, summary={"history": HISTORY})
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "pl-launch" not in index and 'class="pl-history"' in index


def test_write_maps_reads_launch_and_history_from_the_summary(
    plan: Plan, geo: GeoData, tmp_path: Path
) -> None:
    write_maps(plan, geo, tmp_path, summary={"history": HISTORY, "launch": LAUNCH}, lang="en")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Launch parade 23 May 2020, 07:30 (2 teams on parade)" in index
    assert "<summary>Against the record</summary>" in index
    assert _offline.remote_references(index) == []
    with pytest.raises(ValueError, match="expected a date YYYY-MM-DD"):
        write_maps(plan, geo, tmp_path / "bad", summary={"launch": {"date": "23/05/2020"}})


def _territory_layer(m: folium.Map) -> GeoJsonLayer:
    [layer] = [
        c for c in _layers(m) if isinstance(c, GeoJsonLayer) and "pl-territory" in c.styles_js
    ]
    return layer


def test_team_map_outlines_the_territory(plan: Plan, geo: GeoData) -> None:
    province = plan.provinces[0]
    both = TeamTerritory("256", ("256", "258"))
    m = team_map(province, "27-256-1", geo=geo, territory=both)
    layer = _territory_layer(m)
    assert layer.layer_name == "Địa bàn của đội"
    [feature] = layer.features
    # the union of districts 256 and 258: one rectangle 106.0-106.3 x 21.0-21.2
    shape = shapely.geometry.shape(feature["geometry"])
    assert shape.bounds == pytest.approx((106.0, 21.0, 106.3, 21.2))
    assert shape.geom_type == "Polygon"
    assert json.loads(layer.styles_js)[0]["dashArray"] == "8 6"
    html = _rendered(m)
    assert '<p class="pl-territory-legend">' in html
    assert "<b>Địa bàn của đội</b>: Thành phố Bắc Ninh, Huyện Yên Phong" in html
    # the whole province
    whole = _territory_layer(
        team_map(province, "27-256-1", geo=geo, territory=TeamTerritory("256", None))
    )
    assert shapely.geometry.shape(whole.features[0]["geometry"]).bounds == pytest.approx(
        (106.0, 21.0, 106.3, 21.2)
    )
    assert "cả tỉnh" in _rendered(
        team_map(province, "27-256-1", geo=geo, territory=TeamTerritory("256", None))
    )
    # no territory, no outline
    html = _rendered(team_map(province, "27-256-1", geo=geo))
    assert "pl-territory" not in html


def test_write_maps_outlines_territories_from_the_summary(
    plan: Plan, geo: GeoData, tmp_path: Path
) -> None:
    write_maps(plan, geo, tmp_path, summary={"territories": TERRITORIES})
    team = (tmp_path / "teams" / "27-258-1.html").read_text(encoding="utf-8")
    assert "<b>Địa bàn của đội</b>: Huyện Yên Phong" in team
    assert '"className":"pl-territory"' in team
    province = (tmp_path / "27.html").read_text(encoding="utf-8")
    assert "Địa bàn các đội" in province  # the layer, off until ticked, and its legend entry
    assert "bật trong danh sách lớp bản đồ" in province


def test_province_map_has_the_territories_off_until_ticked(plan: Plan, geo: GeoData) -> None:
    territories = team_territories(plan, TERRITORIES)
    assert territories[("27", "27-258-1")] == TeamTerritory("258", ("258",))
    m = province_map(
        plan.provinces[0],
        plan,
        geo,
        territories={team: ter for (_, team), ter in territories.items()},
    )
    layer = next(
        c for c in _layers(m) if isinstance(c, GeoJsonLayer) and c.layer_name == "Địa bàn các đội"
    )
    assert layer.show is False and len(layer.features) == 2
    tips = [f["properties"]["t"] for f in layer.features]
    # named as the geography names them
    assert tips == [
        "Đội 27-256-1: Thành phố Bắc Ninh, Huyện Yên Phong",
        "Đội 27-258-1: Huyện Yên Phong",
    ]


def test_without_territories_a_team_page_outlines_its_own_district(
    plan: Plan, geo: GeoData, tmp_path: Path
) -> None:
    """Routes know the team's own district (team_group_code), not how far it may range."""
    homed = dataclasses.replace(
        plan.provinces[0],
        routes=tuple(
            dataclasses.replace(r, team_group_code=r.team_id.split("-")[1])
            for r in plan.provinces[0].routes
        ),
    )
    homed_plan = dataclasses.replace(plan, provinces=(homed,))
    assert team_territories(homed_plan, None)[("27", "27-256-1")] == TeamTerritory(
        "256", ("256",), known=False
    )
    write_maps(homed_plan, geo, tmp_path)
    team = (tmp_path / "teams" / "27-256-1.html").read_text(encoding="utf-8")
    assert "<b>Huyện của đội</b>: Thành phố Bắc Ninh" in team
    assert "Địa bàn của đội" not in team
    assert "Địa bàn các đội" not in (tmp_path / "27.html").read_text(encoding="utf-8")
    # and with no territories and no district on the routes, no outline at all
    write_maps(plan, geo, tmp_path / "plain")
    assert "pl-territory" not in (tmp_path / "plain" / "teams" / "27-256-1.html").read_text(
        encoding="utf-8"
    )


def test_the_maps_module_does_not_import_the_solver() -> None:
    code = (
        "import sys, planner.export.maps; "
        "print(sorted(m for m in sys.modules if m.startswith(('ortools', 'planner.solve'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_national_map_is_titled_by_the_scenario_s_title(
    plan: Plan, geo: GeoData, tmp_path: Path
) -> None:
    """Issue 15: the planner's own title for the plan, not its file name ("test")."""
    title = "Bắc Ninh — tháng vận động BHXH tự nguyện (tuần đầu)"
    written = write_maps(plan, geo, tmp_path, summary={"scenario_title": title})
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"<title>Tuyên truyền vận động tham gia BHXH tự nguyện — {esc(title)}</title>" in index
    assert f'<div class="pl-note">{esc(title)}</div>' in index
    province = (tmp_path / "27.html").read_text(encoding="utf-8")
    assert esc(title) in province
    assert written
    # from the scenario file when summary.json has no title (plans written before it did)
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "test"\ntitle = "Tiêu đề trong tệp"\n', encoding="utf-8")
    write_maps(plan, geo, tmp_path / "b", summary={"scenario_file": str(scenario)})
    assert "Tiêu đề trong tệp</title>" in (tmp_path / "b" / "index.html").read_text("utf-8")
    # and the name when there is no title at all
    html = _rendered(overview_map(plan, geo))
    assert "Tuyên truyền vận động tham gia BHXH tự nguyện — test</title>" in html


def test_the_rule_level_is_said_in_words(plan: Plan, geo: GeoData) -> None:
    """ "Mức quy định: open" was English in a Vietnamese popup."""
    province = plan.provinces[0]
    vi = _rendered(province_map(province, plan, geo))
    en = _rendered(province_map(province, plan, geo, lang="en"))
    assert "Bình thường (không giới hạn tụ tập)" in vi and '"open"' not in vi
    assert "Open (no gathering cap)" in en


def test_a_week_shows_its_own_days_and_why(plan: Plan, geo: GeoData) -> None:
    """A plan shorter than a month is warned on its own days (planner/history.py): the panel
    shows that figure and its ratio beside the month it would stretch to, and says why."""
    week = {
        **HISTORY,
        "plan_days": 7,
        "plan_days_national_new_participants": 11753,
        "new_participants_judged_on": "plan_days",
        "ratios": {**HISTORY["ratios"], "plan_days_new_participants_vs_best_month": 0.358},
        "warnings": [],
    }
    panel = _panel(_rendered(overview_map(plan, geo, history=week)))
    assert (
        "Người tham gia mới trong 7 ngày của kế hoạch, quy ra cả nước</td>"
        "<td class='n'>11.753" in panel
    )
    assert "7 ngày / tháng tốt nhất (cảnh báo dựa trên số này)</td><td class='n'>0,36" in panel
    assert "22.306 trong 32.870 người mới của cả tháng" in panel
    assert "CẢNH BÁO" not in panel
    english = _panel(_rendered(overview_map(plan, geo, lang="en", history=week)))
    assert "New participants in the plan&#x27;s 7 days, for the whole country</td>" in english
