"""GPX 1.1 files: one per team-day, valid against the GPX 1.1 schema, the day's order kept.

The schema is tests/data/fieldwork/gpx-1.1.xsd (TopoGrafix's gpx.xsd; its source is in the
file). Validation needs the `xmlschema` package; without it the structural checks still run.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from planner.export.gpx import GPX_NS, gpx_document, team_stems, write_gpx
from planner.plan import Plan
from tests.export.conftest import XSS_NAME

XSD = Path(__file__).resolve().parents[1] / "data" / "fieldwork" / "gpx-1.1.xsd"
NS = {"g": GPX_NS}


def _points(parent: ET.Element, tag: str) -> list[tuple[float, float, str]]:
    return [
        (float(p.get("lat", "nan")), float(p.get("lon", "nan")), p.findtext("g:name", "", NS))
        for p in parent.findall(f"g:{tag}", NS)
    ]


def test_one_file_per_team_day(plan: Plan, tmp_path: Path) -> None:
    written = write_gpx(plan, tmp_path / "gpx")
    assert sorted(p.name for p in written) == [
        "27-256-1-2020-05-23.gpx",
        "27-256-1-2020-05-25.gpx",
        "27-258-1-2020-05-23.gpx",
        "27-258-1-2020-05-25.gpx",
    ]


def test_waypoints_and_route_in_order(plan: Plan, tmp_path: Path) -> None:
    write_gpx(plan, tmp_path)
    route = next(
        r
        for r in plan.provinces[0].routes
        if (r.team_id, r.date.isoformat()) == ("27-256-1", "2020-05-25")
    )
    root = ET.parse(tmp_path / "27-256-1-2020-05-25.gpx").getroot()
    assert root.tag == f"{{{GPX_NS}}}gpx"
    assert root.get("version") == "1.1" and root.get("creator")
    base = (route.base_lat, route.base_lon)
    stops = [(s.lat, s.lon) for s in route.stops]

    waypoints = _points(root, "wpt")
    assert [(lat, lon) for lat, lon, _ in waypoints] == [base, *stops]
    names = [name for _, _, name in waypoints]
    assert names[0].startswith("0. ") and route.base_name in names[0]
    assert names[1] == "1. Phường Vũ Ninh"
    assert names[2] == "2. Hội nghị: =1+2 Nhà văn hóa"

    routes = root.findall("g:rte", NS)
    assert len(routes) == 1
    points = _points(routes[0], "rtept")
    assert [(lat, lon) for lat, lon, _ in points] == [base, *stops, base]  # base to base
    assert [name.split(".")[0] for _, _, name in points] == ["0", "1", "2", "3"]
    comments = [p.findtext("g:cmt", "", NS) for p in root.findall("g:wpt", NS)]
    assert comments[1] == "08:00–08:45 · Tuyên truyền lưu động (lần 2)"


def test_names_are_text(plan: Plan, tmp_path: Path) -> None:
    write_gpx(plan, tmp_path)
    raw = (tmp_path / "27-256-1-2020-05-23.gpx").read_text(encoding="utf-8")
    assert XSS_NAME not in raw and "&lt;script&gt;" in raw
    root = ET.fromstring(raw)
    assert any(XSS_NAME in (w.findtext("g:name", "", NS)) for w in root.findall("g:wpt", NS))


def test_control_characters_are_dropped(plan: Plan) -> None:
    province = plan.provinces[0]
    route = province.routes[0]
    odd = replace(route, base_name="Bưu\x00điện\x1b A", team_id="a/b")
    document = gpx_document(odd, province)
    root = ET.fromstring(document)  # well-formed XML
    assert root.findtext("g:wpt/g:name", "", NS).endswith("Bưuđiện A")
    assert team_stems(replace(plan, provinces=(replace(province, routes=(odd,)),))) == {
        ("27", "a/b"): "a_b"
    }


def test_valid_against_the_gpx_11_schema(plan: Plan, tmp_path: Path) -> None:
    xmlschema = pytest.importorskip("xmlschema", reason="pip install xmlschema to validate")
    schema = xmlschema.XMLSchema(str(XSD))
    written = write_gpx(plan, tmp_path)
    written += write_gpx(plan, tmp_path / "en", lang="en")
    for path in written:
        schema.validate(str(path))
    # and the schema does catch a mistake (elements out of order)
    bad = (tmp_path / "27-256-1-2020-05-23.gpx").read_text(encoding="utf-8")
    bad = bad.replace("<rte>", "<rte>\n    <number>2</number>", 1)
    assert not schema.is_valid(bad)
