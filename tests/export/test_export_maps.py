"""The maps, checked by structure: layers, lines and markers against the plan; no network; XSS."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import folium
import pytest

from planner.export import _offline
from planner.export.maps import (
    GeoJsonLayer,
    StopMarkers,
    esc,
    overview_map,
    province_map,
    team_files,
    team_map,
    write_maps,
)
from planner.geo.load import GeoData
from planner.plan import Plan
from tests.export.conftest import TEMPLATE_NAME, XSS_NAME


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
