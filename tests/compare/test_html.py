"""The compare folder: files written atomically, a page that needs no network and escapes names."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from planner.compare.chart import ChartPoint, SweepCurve
from planner.compare.diff import CompareError, compare_plans
from planner.compare.html import DIFFERENCE_COLOURS, difference_classes
from planner.compare.write import write_comparison
from planner.export._offline import remote_references
from tests.compare.factory import XSS, baseline_plan, variant_plan, write_plan_folder

SWEEP = SweepCurve(
    points=(ChartPoint((1,), 430.0, 4.3), ChartPoint((2,), 330.0, 3.3, 3.0, 3.6)),
    field_names=("teams.rule.teams_per_group",),
)


@pytest.fixture
def hostile_plans(tmp_path: Path) -> tuple[Path, Path]:
    """The two plans with a district and a commune named like a script."""
    base = write_plan_folder(tmp_path / "base", baseline_plan(district_name=XSS))
    variant = write_plan_folder(
        tmp_path / "variant", variant_plan(district_name=XSS, commune_name=XSS)
    )
    return base, variant


def test_the_folder_has_the_tables_the_page_and_the_sweep(
    hostile_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    comparison = compare_plans(hostile_plans, labels=["base", XSS])
    out = write_comparison(comparison, tmp_path / "compare", sweep=SWEEP)
    assert sorted(p.name for p in out.iterdir()) == [
        ".planner-output.json",
        "compare.csv",
        "index.html",
        "notes.txt",
        "sweep.png",
        "team_changes.csv",
    ]
    page = (out / "index.html").read_text(encoding="utf-8")
    png = (out / "sweep.png").read_bytes()
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in page
    assert "team_changes.csv" in page and "Plans side by side" in page


def test_the_page_loads_nothing_from_the_network(
    hostile_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    out = write_comparison(compare_plans(hostile_plans), tmp_path / "compare")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert remote_references(page) == []
    assert not re.search(r"<script[^>]*\ssrc\s*=\s*[\"']?(https?:)?//", page, re.IGNORECASE)
    assert not re.search(r"<link[^>]*\shref\s*=\s*[\"']?(https?:)?//", page, re.IGNORECASE)
    assert "L.geoJSON" in page and "function(" in page.replace(" ", "")  # Leaflet is inside


def test_names_from_the_data_are_escaped(hostile_plans: tuple[Path, Path], tmp_path: Path) -> None:
    comparison = compare_plans(hostile_plans, labels=["base", XSS])
    out = write_comparison(comparison, tmp_path / "compare")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # tables, title, list of plans
    assert page.count("<script") == page.count("</script>")


def test_the_map_shades_the_districts_with_a_legend(
    hostile_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    out = write_comparison(compare_plans(hostile_plans), tmp_path / "compare")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="pc-plan"' in page.replace("'", '"') and "pc-legend" in page
    assert all(colour in page for colour in DIFFERENCE_COLOURS)
    # the differences of districts 256 (-140) and 258 (+40), as the map's data
    assert re.search(r'"d":\[-140\.0\]', page) and re.search(r'"d":\[40\.0\]', page)
    assert "approximate" in page


def test_without_geography_the_page_says_the_map_is_left_out(
    hostile_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    empty = tmp_path / "no-geo"
    empty.mkdir()
    out = write_comparison(compare_plans(hostile_plans), tmp_path / "compare", data_dir=empty)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "No map" in page and "map left out" in page
    assert "pc-plan" not in page


def test_the_folder_is_replaced_whole_and_never_over_a_plan(
    hostile_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    comparison = compare_plans(hostile_plans)
    out = write_comparison(comparison, tmp_path / "compare", sweep=SWEEP)
    write_comparison(comparison, out)
    assert not (out / "sweep.png").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".compare")] == []
    with pytest.raises(CompareError, match="would be replaced"):
        write_comparison(comparison, tmp_path)
    with pytest.raises(CompareError, match="would be replaced"):
        write_comparison(comparison, hostile_plans[0])
    assert (hostile_plans[0] / "summary.json").is_file()


@pytest.mark.parametrize(
    ("largest", "edges"),
    [(3144.0, (2000.0, 4000.0, 6000.0)), (300.0, (100.0, 200.0, 300.0)), (0.0, (0.5, 1.0, 1.5))],
)
def test_legend_classes_are_round_and_hold_the_largest_difference(
    largest: float, edges: tuple[float, float, float]
) -> None:
    assert difference_classes(largest) == edges
    assert edges[2] >= largest
