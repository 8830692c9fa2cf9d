"""The compare folder: files written atomically, a page that needs no network and escapes names;
Vietnamese by default (lang="vi", no English words), English on request; each plan labelled
by its scenario's title."""

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
    assert "team_changes.csv" in page and "Các kế hoạch cạnh nhau" in page
    assert '<html lang="vi">' in page


def test_the_page_in_english(hostile_plans: tuple[Path, Path], tmp_path: Path) -> None:
    out = write_comparison(compare_plans(hostile_plans), tmp_path / "compare", lang="en")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Plans side by side" in page
    assert "<title>Comparison: base / variant</title>" in page
    assert "no change" in page and "Difference in expected reach" in page


# English words the Vietnamese page must not show (the page's own words; names from the data
# and file names such as compare.csv are not words)
ENGLISH = (
    "Comparison",
    "Baseline",
    "baseline",
    "Plans side by side",
    "expected reach",
    "enrolments",
    "team-days",
    "conferences",
    "Top differences",
    "Changes per team",
    "teams changed",
    "no change",
    "fewer",
    "not planned",
    "Where the plans differ",
    "approximate boundaries",
    "District figures",
    "summed from",
    "In brackets",
    ">kept<",
    ">added<",
    ">moved<",
    ">removed<",
    "structure<",
    "scenario<",
)


def test_the_vietnamese_page_has_no_english_words(
    hostile_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    out = write_comparison(compare_plans(hostile_plans), tmp_path / "compare", sweep=SWEEP)
    page = (out / "index.html").read_text(encoding="utf-8")
    # Leaflet's own code and style are not words on the page
    shown = re.sub(r"<(script|style).*?</\1>", "", page, flags=re.DOTALL)
    leaks = [word for word in ENGLISH if word in shown]
    assert leaks == [], leaks
    assert "không đổi" in page and "Chênh lệch số người tiếp cận dự kiến" in page
    assert "Thay đổi của từng đội" in page and "Đường cong thử thay đổi" in page


def test_plans_are_labelled_and_the_page_titled_by_their_scenario_titles(
    tmp_path: Path,
) -> None:
    one = "Bắc Ninh — tuần đầu"
    base = write_plan_folder(
        tmp_path / "demo", baseline_plan(), extra_summary={"scenario_title": one}
    )
    two = write_plan_folder(
        tmp_path / "demo2", variant_plan(), extra_summary={"scenario_title": "Hai đội mỗi huyện"}
    )
    comparison = compare_plans([base, two])
    assert comparison.labels == (one, "Hai đội mỗi huyện")
    out = write_comparison(comparison, tmp_path / "compare")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert f"<title>So sánh: {one} / Hai đội mỗi huyện</title>" in page
    assert "demo2" not in page.split("<body>")[0]  # the folder name is not the title
    # two plans of one scenario: the title, then the folder to tell them apart
    again = write_plan_folder(
        tmp_path / "again", variant_plan(), extra_summary={"scenario_title": one}
    )
    same = compare_plans([base, again])
    assert same.labels == (f"{one} (demo)", f"{one} (again)")
    page = (write_comparison(same, tmp_path / "compare-same") / "index.html").read_text(
        encoding="utf-8"
    )
    assert f"<title>So sánh: {one}</title>" in page


def test_the_title_is_read_from_the_scenario_file_when_summary_json_has_none(
    tmp_path: Path,
) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "s"\ntitle = "Tiêu đề từ tệp"\n', encoding="utf-8")
    base = write_plan_folder(
        tmp_path / "a", baseline_plan(), extra_summary={"scenario_file": str(scenario)}
    )
    other = write_plan_folder(tmp_path / "b", variant_plan())
    assert compare_plans([base, other]).labels == ("Tiêu đề từ tệp", "b")


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
    assert "gần đúng" in page


def test_without_geography_the_page_says_the_map_is_left_out(
    hostile_plans: tuple[Path, Path], tmp_path: Path
) -> None:
    empty = tmp_path / "no-geo"
    empty.mkdir()
    out = write_comparison(compare_plans(hostile_plans), tmp_path / "compare", data_dir=empty)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Không có bản đồ" in page and "bỏ bản đồ" in page and "không tìm thấy tệp" in page
    assert "pc-plan" not in page
    english = write_comparison(
        compare_plans(hostile_plans), tmp_path / "compare-en", data_dir=empty, lang="en"
    )
    page = (english / "index.html").read_text(encoding="utf-8")
    assert "No map" in page and "map left out" in page


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


def test_planner_compare_speaks_vietnamese_unless_asked(
    hostile_plans: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from planner.cli import main

    base, variant = (str(p) for p in hostile_plans)
    monkeypatch.delenv("PLANNER_LANG", raising=False)
    assert main(["compare", base, variant, "--out", str(tmp_path / "vi")]) == 0
    out = capsys.readouterr().out
    assert "số người tiếp cận dự kiến" in out and "base (gốc)" in out
    assert out.rstrip().endswith(f"-> {tmp_path / 'vi' / 'index.html'}")
    assert '<html lang="vi">' in (tmp_path / "vi" / "index.html").read_text(encoding="utf-8")
    monkeypatch.setenv("PLANNER_LANG", "en")
    assert main(["compare", base, variant, "--out", str(tmp_path / "en")]) == 0
    assert "expected reach" in capsys.readouterr().out
    assert '<html lang="en">' in (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert main(["compare", base, variant, "--out", str(tmp_path / "vi2"), "--lang", "vi"]) == 0
    assert "số người tiếp cận dự kiến" in capsys.readouterr().out
