"""The sweep curve: expected reach and enrolments against the varied resource, as a PNG.

`sweep_chart(points, png_path, field_names=("teams.rule.teams_per_group",))` draws two panels
sharing the x axis, reach above and enrolments below (two panels rather than two y axes on
one panel: the two scales differ by a factor of about 50 and a second axis invites reading
one curve against the other's ticks). With a second varied field, each of its values is one
line in both panels. Where a point has the enrolment band (p10 and p90 from summary.json),
the band is a shaded area around its line (a bar when the line has one point).

The x axis is numeric when every value of the first field is a number, else the values are
placed evenly in the order they first appear (dates, lists, names), labelled as written.
Both value axes (reach, enrolments) start at zero, so that a change reads at its true size
(+12 % looks like +12 %, not like a tripling); the x axis spans the values swept. Words are in Vietnamese unless `lang="en"`; a varied field is named in words when
the catalogue knows it (`planner.messages.field_label`: "Số đội mỗi huyện/cụm").

Output is deterministic: matplotlib's Agg renderer through a `Figure` of its own (no pyplot,
no global backend switch), a fixed size and DPI, and no metadata in the PNG (no software
version, no date), so the same points give the same bytes with the same matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from planner.messages import Lang, field_label, number, text

__all__ = ["ChartPoint", "SweepCurve", "SweepPointLike", "sweep_chart", "sweep_figure"]

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 6.0, 100
MAX_VALUE_TICKS = 12
LINE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")


class SweepPointLike(Protocol):
    """What the chart reads of a point; `planner.sweep.SweepPoint` is one."""

    @property
    def values(self) -> tuple[Any, ...]: ...
    @property
    def expected_reach(self) -> float: ...
    @property
    def expected_enrolments(self) -> float: ...
    @property
    def enrolments_p10(self) -> float | None: ...
    @property
    def enrolments_p90(self) -> float | None: ...


@dataclass(frozen=True)
class ChartPoint:
    """A point of the curve, for callers that have no `planner.sweep.SweepPoint`."""

    values: tuple[Any, ...]
    expected_reach: float
    expected_enrolments: float
    enrolments_p10: float | None = None
    enrolments_p90: float | None = None


@dataclass(frozen=True)
class SweepCurve:
    """The points of a sweep and the names of its one or two varied fields."""

    points: tuple[SweepPointLike, ...]
    field_names: tuple[str, ...]


def sweep_chart(
    points: Sequence[SweepPointLike],
    png_path: Path,
    *,
    field_names: Sequence[str],
    lang: Lang = "vi",
) -> Path:
    """Draw reach and enrolments against the first varied field into `png_path`; return it.

    Raises ValueError when there are no points, not one or two field names, or a point
    whose number of values differs from the number of fields.
    """
    figure = sweep_figure(points, field_names=field_names, lang=lang)
    png_path = Path(png_path)
    figure.savefig(png_path, format="png", dpi=DPI, metadata={"Software": None})
    return png_path


def sweep_figure(
    points: Sequence[SweepPointLike], *, field_names: Sequence[str], lang: Lang = "vi"
) -> Figure:
    """The sweep curve as a matplotlib `Figure` (two panels), not yet saved: `sweep_chart`."""
    names = tuple(field_names)
    if not 1 <= len(names) <= 2:
        raise ValueError(f"expected one or two varied fields, got {len(names)}")
    if not points:
        raise ValueError("no sweep points to draw")
    for point in points:
        if len(point.values) != len(names):
            raise ValueError(
                f"a point has {len(point.values)} values for {len(names)} fields: {point.values!r}"
            )
    positions, ticks = _x_positions([p.values[0] for p in points])
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    reach_axes, enrolment_axes = figure.subplots(2, 1, sharex=True)
    lines = _lines(points)
    for n, (second, members) in enumerate(lines):
        colour, marker = LINE_COLOURS[n % len(LINE_COLOURS)], MARKERS[n % len(MARKERS)]
        members = sorted(members, key=lambda p: positions[_key(p.values[0])])
        xs = [positions[_key(p.values[0])] for p in members]
        label = (
            None
            if second is None
            else text("chart.line", lang, field=field_label(names[1], lang), value=_text(second))
        )
        reach_axes.plot(
            xs, [p.expected_reach for p in members], color=colour, marker=marker, label=label
        )
        enrolment_axes.plot(
            xs, [p.expected_enrolments for p in members], color=colour, marker=marker, label=label
        )
        _band(enrolment_axes, xs, members, colour)
    reach_axes.set_title(text("chart.reach", lang), loc="left", fontsize=11)
    enrolment_axes.set_title(
        text("chart.enrolments", lang) + (text("chart.band", lang) if _has_band(points) else ""),
        loc="left",
        fontsize=11,
    )
    enrolment_axes.set_xlabel(field_label(names[0], lang))
    reach_top = max(p.expected_reach for p in points)
    enrolment_top = max(max(p.expected_enrolments, p.enrolments_p90 or 0.0) for p in points)
    for axes, top in ((reach_axes, reach_top), (enrolment_axes, enrolment_top)):
        axes.grid(True, color="#dddddd", linewidth=0.8)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v, lang)))
        axes.margins(x=0.05)
        # from zero, so that a difference reads at its true size; room above the highest
        axes.set_ylim(0, top * 1.12 if top > 0 else 1.0)
    if ticks is not None:
        enrolment_axes.set_xticks(list(range(len(ticks))), ticks)
    elif len(set(positions.values())) <= MAX_VALUE_TICKS:  # a tick at each value swept
        values = sorted(set(positions.values()))
        enrolment_axes.set_xticks(values, [_number_text(v, lang) for v in values])
    if len(names) == 2:
        reach_axes.legend(fontsize=9, loc="best")
    return figure


def _number_text(value: float, lang: Lang) -> str:
    """A value swept, as a tick label: 2, 0.05 (0,05 in Vietnamese)."""
    shown = f"{value:g}"
    return shown.replace(".", ",") if lang == "vi" else shown


def _key(value: Any) -> str:
    """A hashable, stable key of a varied value (lists and dicts included)."""
    return repr(value)


def _text(value: Any) -> str:
    return (
        value if isinstance(value, str) else repr(value) if isinstance(value, list) else str(value)
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _x_positions(values: Sequence[Any]) -> tuple[dict[str, float], list[str] | None]:
    """Value -> x: the value itself when all are numbers, else 0, 1, 2... with tick labels."""
    if all(_is_number(v) for v in values):
        return {_key(v): float(v) for v in values}, None
    order: dict[str, float] = {}
    labels: list[str] = []
    for value in values:
        if _key(value) not in order:
            order[_key(value)] = float(len(order))
            labels.append(_text(value))
    return order, labels


def _lines(points: Sequence[SweepPointLike]) -> list[tuple[Any, list[SweepPointLike]]]:
    """One line per value of the second field (in order of appearance), or one line."""
    if len(points[0].values) == 1:
        return [(None, list(points))]
    lines: dict[str, tuple[Any, list[SweepPointLike]]] = {}
    for point in points:
        second = point.values[1]
        lines.setdefault(_key(second), (second, []))[1].append(point)
    return list(lines.values())


def _has_band(points: Sequence[SweepPointLike]) -> bool:
    return any(p.enrolments_p10 is not None and p.enrolments_p90 is not None for p in points)


def _band(axes: Axes, xs: Sequence[float], members: Sequence[SweepPointLike], colour: str) -> None:
    """Shade p10..p90 where the points have it (a gap where they do not)."""
    lows = [float("nan") if p.enrolments_p10 is None else p.enrolments_p10 for p in members]
    highs = [float("nan") if p.enrolments_p90 is None else p.enrolments_p90 for p in members]
    if all(math.isnan(low) for low in lows):
        return
    if len(xs) == 1:  # an area needs two points: a bar instead
        middle = members[0].expected_enrolments
        axes.errorbar(
            xs, [middle], yerr=[[middle - lows[0]], [highs[0] - middle]], color=colour, capsize=4
        )
        return
    axes.fill_between(xs, lows, highs, color=colour, alpha=0.18, linewidth=0)
