"""The sweep curve: a PNG of a fixed size, the same bytes for the same points; both value axes
from zero; words in Vietnamese unless asked in English."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from planner.compare.chart import ChartPoint, sweep_chart, sweep_figure

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    return int(width), int(height)


def _one_field(extra_reach: float = 0.0) -> list[ChartPoint]:
    return [
        ChartPoint(
            (teams,),
            20_000 + 3_000 * teams + extra_reach,
            300 + 100 * teams,
            280,
            330 + 110 * teams,
        )
        for teams in (1, 2, 3)
    ]


def test_one_field_gives_a_png_of_fixed_size_and_the_same_bytes_twice(tmp_path: Path) -> None:
    first = sweep_chart(
        _one_field(), tmp_path / "a.png", field_names=["teams.rule.teams_per_group"]
    )
    second = sweep_chart(
        _one_field(), tmp_path / "b.png", field_names=["teams.rule.teams_per_group"]
    )
    png = first.read_bytes()
    assert png.startswith(PNG_SIGNATURE)
    assert _size(png) == (800, 600)
    assert png == second.read_bytes()
    assert b"Software" not in png and b"matplotlib" not in png.lower()


def test_other_numbers_give_another_picture(tmp_path: Path) -> None:
    a = sweep_chart(_one_field(), tmp_path / "a.png", field_names=["x"]).read_bytes()
    b = sweep_chart(_one_field(5_000), tmp_path / "b.png", field_names=["x"]).read_bytes()
    assert a != b


def test_two_fields_with_a_partial_band_and_text_values(tmp_path: Path) -> None:
    points = [
        ChartPoint(
            (weekdays, days),
            20_000 + 1_000 * len(weekdays) + days,
            300 + days,
            None if days == 7 else 250.0,
            None if days == 7 else 400.0,
        )
        for weekdays in (["mon"], ["mon", "tue"])
        for days in (7, 14)
    ]
    path = sweep_chart(points, tmp_path / "two.png", field_names=["teams.weekdays", "days"])
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_a_single_point_with_a_band_is_drawn(tmp_path: Path) -> None:
    path = sweep_chart(
        [ChartPoint((1,), 10.0, 2.0, 1.0, 3.0)], tmp_path / "one.png", field_names=["x"]
    )
    assert path.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(
    ("points", "fields", "message"),
    [
        ([], ["x"], "no sweep points"),
        ([ChartPoint((1,), 1.0, 1.0)], ["x", "y", "z"], "one or two varied fields"),
        ([ChartPoint((1, 2), 1.0, 1.0)], ["x"], "2 values for 1 fields"),
    ],
)
def test_bad_points_or_fields_are_refused(
    tmp_path: Path, points: list[ChartPoint], fields: list[str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        sweep_chart(points, tmp_path / "bad.png", field_names=fields)
    assert not (tmp_path / "bad.png").exists()


def test_the_value_axes_start_at_zero(tmp_path: Path) -> None:
    """+12 % must look like +12 %: reach 25,000 -> 28,000 is drawn from 0, not from 24,000."""
    points = [ChartPoint((teams,), 25_000 + 1_500 * teams, 300 + 10 * teams) for teams in (1, 2, 3)]
    figure = sweep_figure(points, field_names=["teams.rule.teams_per_group"])
    reach, enrolments = figure.axes
    assert reach.get_ylim()[0] == 0 and enrolments.get_ylim()[0] == 0
    assert reach.get_ylim()[1] > 29_500 and enrolments.get_ylim()[1] > 330  # room above
    # the band's top is inside the panel too
    banded = sweep_figure(_one_field(), field_names=["x"])
    assert banded.axes[1].get_ylim()[1] > 330 + 110 * 3
    # every value zero: still a panel (no zero-height axis)
    flat = sweep_figure([ChartPoint((1,), 0.0, 0.0)], field_names=["x"])
    assert flat.axes[0].get_ylim() == (0.0, 1.0)


def test_the_words_are_vietnamese_by_default_and_english_on_request() -> None:
    vi = sweep_figure(_one_field(), field_names=["teams.rule.teams_per_group"])
    assert vi.axes[0].get_title(loc="left") == "Số người tiếp cận dự kiến (người)"
    assert vi.axes[1].get_title(loc="left").startswith("Số người tham gia dự kiến (vùng tô")
    assert vi.axes[1].get_xlabel() == "Số đội mỗi huyện/cụm"
    vi.canvas.draw()  # tick labels are made when drawn
    ticks = [t.get_text() for t in vi.axes[0].get_yticklabels()]
    assert any("." in t for t in ticks if len(t) > 4), ticks  # 20.000: Vietnamese thousands
    en = sweep_figure(_one_field(), field_names=["teams.rule.teams_per_group"], lang="en")
    assert en.axes[0].get_title(loc="left") == "Expected reach (people)"
    assert en.axes[1].get_xlabel() == "Teams per district/cluster"
    # a field the catalogue does not name keeps its dotted path
    other = sweep_figure(_one_field(), field_names=["objective.stability"])
    assert other.axes[1].get_xlabel() == "objective.stability"
