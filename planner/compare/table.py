"""The comparison as text: the side-by-side table for the terminal, and compare.csv.

compare.csv is tidy: one row per plan x level x unit x metric, with the columns
`COMPARE_COLUMNS`:

- `plan`, `scenario`, `structure`: which plan (its label, its scenario name, the structure it
  was planned on);
- `level`: `plan` (the totals), `province`, `district` or `cluster` (the groups; a 2020 plan
  compared with a 2025 one is counted in 2025 clusters), or `team` (per-team stop changes);
- `province_code`, `code`, `name`: the unit (the province code twice at the province level;
  the team id as code at the team level; empty at the plan level);
- `metric`: a name from `diff.PLAN_METRICS` (`expected_reach`, `expected_enrolments`,
  `enrolments_p10/p50/p90` when a plan has a band, `conferences`, `passes`, `team_days`,
  `team_days_available`, `travel_km`, `objective`, `upper_bound`, `gap`,
  `unserved_communes`, `unserved_communes:<reason>`); at the plan level also `teams` (teams
  with a route), the figures of summary.json's blocks (`history.*`, `realism.*`,
  `capacity.*`: `diff.SECTIONS`, shares as 0-1; `history.warning:<code>` is 1 when the plan
  has that warning, 0 when not) and, for each plan after the baseline, the marginal figures
  `marginal.enrolments_per_team_day`, `marginal.enrolments_per_km`,
  `marginal.enrolments_per_team` (extra expected enrolments per extra team-day used, km,
  team; empty when the resource did not change); or at the team level `stops_kept`,
  `stops_added`, `stops_removed`, `stops_moved`;
- `value`: the plan's figure (empty when the plan does not cover the unit or lacks the figure,
  as a plan written before summary.json had the history, realism and capacity blocks);
- `baseline`: the first plan's figure; `difference`: value - baseline, a unit a plan does not
  cover counting as 0 for counts and amounts (empty for the gap and the band then). Team
  rows have neither: their figures are already changes against the baseline.

Rows come in the order of the tables on the page: plans, provinces and groups (largest
difference first), teams. Numbers have at most 4 decimals and no thousands separator.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from planner.compare.diff import (
    CHANGE_KINDS,
    GROUP_METRICS,
    HISTORY_WARNINGS,
    MARGINALS,
    PLAN_METRICS,
    SECTIONS,
    TEAMS,
    ChangeKind,
    Comparison,
    Metric,
    PlanColumn,
    Section,
    UnitComparison,
    metrics_for,
)
from planner.compare.load import Figures
from planner.export.i18n import reason_label
from planner.messages import MESSAGES, Lang, localize, number, text

__all__ = [
    "COMPARE_COLUMNS",
    "TEAM_CHANGE_COLUMNS",
    "Cell",
    "Row",
    "comparison_rows",
    "format_difference",
    "format_value",
    "metric_label",
    "side_by_side",
    "team_change_rows",
    "terminal_table",
    "write_compare_csv",
    "write_team_changes_csv",
]

COMPARE_COLUMNS = (
    "plan",
    "scenario",
    "structure",
    "level",
    "province_code",
    "code",
    "name",
    "metric",
    "value",
    "baseline",
    "difference",
)
TEAM_CHANGE_COLUMNS = (
    "plan",
    "province_code",
    "team_id",
    "team_status",
    "change",
    "kind",
    "commune_code",
    "commune_name",
    "venue_id",
    "baseline_date",
    "plan_date",
)
NOT_KNOWN = "—"


@dataclass(frozen=True)
class Cell:
    """One plan's entry in a row of the side-by-side table."""

    value: str
    difference: str = ""  # "+3,144" against the baseline, "" for the baseline itself
    sign: int = 0  # -1, 0, +1: the difference's direction, for colouring
    warn: bool = False  # a warning of the plan against the record


class Row(NamedTuple):
    """A row of the side-by-side table: words, one cell per plan; a heading has no figures."""

    words: str
    cells: tuple[Cell, ...]
    heading: bool = False


def format_value(value: float | None, metric: Metric, lang: Lang = "en") -> str:
    """A figure as the table shows it: 55,763 / 5.0% in English, 55.763 / 5,0% in Vietnamese."""
    if value is None:
        return NOT_KNOWN
    if metric.percent:
        return f"{number(100 * value, lang, metric.digits)}%"
    return number(value, lang, metric.digits)


def format_difference(value: float | None, metric: Metric, lang: Lang = "en") -> str:
    """A difference with its sign: +3,144 / +1.2 pp in English, +3.144 / +1,2 điểm % in
    Vietnamese."""
    if value is None:
        return ""
    sign = "+" if value >= 0 else "-"
    if metric.percent:
        points = number(abs(100 * value), lang, metric.digits)
        return f"{sign}{points} {'điểm %' if lang == 'vi' else 'pp'}"
    return sign + number(abs(value), lang, metric.digits)


def metric_label(metric: Metric, lang: Lang) -> str:
    """A figure's words in `lang` (the catalogue's compare.metric.<name>; a row per reason
    for leaving communes out says the reason in words)."""
    name, _, reason = metric.name.partition(":")
    if name == "unserved_communes" and reason:
        return text("compare.row.left_out", lang, reason=reason_label(reason, lang))
    key = f"compare.metric.{metric.name}"
    return MESSAGES[key][lang] if key in MESSAGES else metric.label


def _sign(value: float | None, metric: Metric) -> int:
    if value is None or abs(value) < 0.5 * 10 ** (-metric.digits - (2 if metric.percent else 0)):
        return 0
    return 1 if value > 0 else -1


def side_by_side(comparison: Comparison, lang: Lang = "vi") -> tuple[Row, ...]:
    """The rows of the side-by-side table: words, then one cell per plan.

    First the plans' titles (when they differ and a label does not already say its own: the
    page's title says a shared one) and scenarios; after the plan's figures:
    the teams compared, the blocks of summary.json present in any plan (`diff.SECTIONS`, "—"
    for a plan without them), and the marginal figures against the baseline.
    """
    plans = comparison.plans
    figures = [p.figures for p in plans]
    rows: list[Row] = []
    titles = {p.title for p in plans}
    if len(titles) > 1 and any(p.title and not p.label.startswith(p.title) for p in plans):
        rows.append(Row(_row("title", lang), tuple(Cell(p.title or NOT_KNOWN) for p in plans)))
    rows += [
        Row(_row("scenario", lang), tuple(Cell(p.scenario) for p in plans)),
        Row(_row("structure", lang), tuple(Cell(p.structure) for p in plans)),
        Row(_row("provinces", lang), tuple(Cell(str(p.provinces)) for p in plans)),
    ]
    for metric in metrics_for(figures, PLAN_METRICS):
        if metric.name.startswith("enrolments_p"):
            if metric.name == "enrolments_p10":
                rows.append(
                    Row(
                        _row("band", lang),
                        tuple(
                            Cell(NOT_KNOWN if f.band is None else f.band.text(lang))
                            for f in figures
                        ),
                    )
                )
            continue
        rows.append(_metric_row(metric_label(metric, lang), metric, figures, lang))
    if any(comparison.teams_compared):
        rows.append(
            Row(
                _row("teams_changed", lang),
                tuple(_team_cell(comparison, i, lang) for i in range(len(plans))),
            )
        )
        for change in CHANGE_KINDS:
            rows.append(
                Row(
                    _row(f"stops_{change}", lang),
                    tuple(_stops_cell(comparison, i, change, lang) for i in range(len(plans))),
                )
            )
    for section in _sections_shown(figures):
        rows.append(_heading(text(f"compare.section.{section.name}", lang), len(plans)))
        rows += [
            _metric_row(f"  {metric_label(m, lang)}", m, figures, lang) for m in section.metrics
        ]
        if section.name == "history":
            rows.append(
                Row(_row("warnings", lang), tuple(_warnings_cell(f, lang) for f in figures))
            )
    rows.append(_heading(_row("marginal_heading", lang), len(plans)))
    rows.append(_metric_row(f"  {metric_label(TEAMS, lang)}", TEAMS, figures, lang))
    for marginal in MARGINALS:
        metric = Metric(marginal.name, marginal.label, marginal.digits, lambda f: None)
        cells = [Cell("")]
        for f in figures[1:]:
            cells.append(Cell(format_value(marginal.value(figures[0], f), metric, lang)))
        rows.append(Row(f"  {metric_label(metric, lang)}", tuple(cells)))
    return tuple(rows)


def _row(name: str, lang: Lang) -> str:
    return text(f"compare.row.{name}", lang)


def _sections_shown(figures: Sequence[Figures]) -> list[Section]:
    """The blocks of summary.json that at least one plan has."""
    return [s for s in SECTIONS if any(s.present(f) for f in figures)]


def _heading(words: str, n: int) -> Row:
    return Row(words, tuple(Cell("") for _ in range(n)), heading=True)


def _metric_row(words: str, metric: Metric, figures: Sequence[Figures], lang: Lang) -> Row:
    cells = []
    for i, f in enumerate(figures):
        value = metric.read(f)
        difference = (
            None if i == 0 or not metric.compared else _plan_difference(figures[0], f, metric)
        )
        cells.append(
            Cell(
                format_value(value, metric, lang),
                format_difference(difference, metric, lang),
                _sign(difference, metric),
            )
        )
    return Row(words, tuple(cells))


def _warnings_cell(figures: Figures, lang: Lang) -> Cell:
    if figures.history is None:
        return Cell(NOT_KNOWN)
    warnings = figures.history.warnings
    if not warnings:
        return Cell(text("compare.none", lang))
    return Cell("; ".join(_warning(w, lang) for w in warnings), warn=True)


def _warning(code: str, lang: Lang) -> str:
    key = f"compare.warning.{code}"
    return MESSAGES[key][lang] if key in MESSAGES else HISTORY_WARNINGS.get(code, code)


def _plan_difference(base: Figures, other: Figures, metric: Metric) -> float | None:
    a, b = metric.read(base), metric.read(other)
    return None if a is None or b is None else b - a


def _team_cell(comparison: Comparison, plan: int, lang: Lang) -> Cell:
    if not comparison.teams_compared[plan]:
        return Cell(NOT_KNOWN)
    changed = sum(1 for t in comparison.teams if t.plan == plan)
    return Cell(f"{number(changed, lang)} / {number(comparison.teams_unchanged[plan], lang)}")


def _stops_cell(comparison: Comparison, plan: int, change: ChangeKind, lang: Lang) -> Cell:
    if not comparison.teams_compared[plan]:
        return Cell(NOT_KNOWN)
    return Cell(number(sum(t.count(change) for t in comparison.teams if t.plan == plan), lang))


def terminal_table(comparison: Comparison, lang: Lang = "vi") -> str:
    """The side-by-side table as plain text, the caveats below it.

    Each plan's column shows its figure and, after the baseline, the difference against it in
    brackets; a warning against the record starts with "!". Plain text (no colour) so that
    it can be piped and read anywhere.
    """
    header = [
        text("compare.baseline_column", lang, label=comparison.plans[0].label),
        *comparison.labels[1:],
    ]
    table = side_by_side(comparison, lang)
    rows = [
        (
            row.words,
            [
                ("! " if c.warn else "") + c.value + (f" ({c.difference})" if c.difference else "")
                for c in row.cells
            ],
        )
        for row in table
        if not row.heading
    ]
    label_width = max(len(words) for words, _ in rows)
    widths = [
        max(len(header[i]), *(len(texts[i]) for _, texts in rows)) for i in range(len(header))
    ]
    lines = [
        "  ".join(
            [" " * label_width, *(h.ljust(w) for h, w in zip(header, widths, strict=True))]
        ).rstrip()
    ]
    texts_of = iter(rows)
    for row in table:
        if row.heading:
            lines.append(f"{row.words}:")
            continue
        words, texts = next(texts_of)
        lines.append(
            "  ".join(
                [
                    words.ljust(label_width),
                    *(t.rjust(w) for t, w in zip(texts, widths, strict=True)),
                ]
            ).rstrip()
        )
    lines += [text("compare.note_line", lang, note=localize(n, lang)) for n in comparison.notes]
    return "\n".join(lines)


# -- compare.csv ---------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Rows:
    """compare.csv rows being collected, one `add` per plan x unit x metric."""

    def __init__(self, plans: Sequence[PlanColumn]) -> None:
        self.plans = plans
        self.rows: list[dict[str, str]] = []

    def add(
        self,
        plan: int,
        where: tuple[str, str, str, str],  # level, province code, code, name
        metric: str,
        figures: tuple[float | None, float | None, float | None],  # value, baseline, difference
    ) -> None:
        p = self.plans[plan]
        level, province, code, name = where
        value, baseline, difference = figures
        self.rows.append(
            {
                "plan": p.label,
                "scenario": p.scenario,
                "structure": p.structure,
                "level": level,
                "province_code": province,
                "code": code,
                "name": name,
                "metric": metric,
                "value": _number(value),
                "baseline": _number(baseline),
                "difference": _number(difference),
            }
        )


def comparison_rows(comparison: Comparison) -> list[dict[str, str]]:
    """compare.csv as rows (see the module docstring for the columns)."""
    rows = _Rows(comparison.plans)
    totals = [p.figures for p in comparison.plans]
    for metric in metrics_for(totals, PLAN_METRICS):
        for i, f in enumerate(totals):
            rows.add(
                i,
                ("plan", "", "", ""),
                metric.name,
                (metric.read(f), metric.read(totals[0]), _plan_difference(totals[0], f, metric)),
            )
    _context_rows(rows, totals)
    for level, units, base in (
        ("province", comparison.provinces, PLAN_METRICS),
        (comparison.group_label, comparison.groups, GROUP_METRICS),
    ):
        _unit_rows(rows, units, base, level)
    for team in comparison.teams:
        where = ("team", team.province_code, team.team_id, "")
        rows.add(team.plan, where, "stops_kept", (team.kept, None, None))
        for change in CHANGE_KINDS:
            rows.add(team.plan, where, f"stops_{change}", (team.count(change), None, None))
    return rows.rows


def _context_rows(rows: _Rows, totals: Sequence[Figures]) -> None:
    """Plan rows of the teams, summary.json's blocks, warnings and marginal figures."""
    plan = ("plan", "", "", "")
    sections = _sections_shown(totals)
    for metric in (TEAMS, *(m for s in sections for m in s.metrics)):
        for i, f in enumerate(totals):
            difference = _plan_difference(totals[0], f, metric)
            rows.add(i, plan, metric.name, (metric.read(f), metric.read(totals[0]), difference))
    codes = sorted({w for f in totals if f.history is not None for w in f.history.warnings})
    for code in codes:
        flags = [None if f.history is None else float(code in f.history.warnings) for f in totals]
        for i, b in enumerate(flags):
            a = flags[0]
            difference = None if a is None or b is None else b - a
            rows.add(i, plan, f"history.warning:{code}", (b, a, difference))
    for marginal in MARGINALS:
        for i, f in enumerate(totals[1:], start=1):
            rows.add(i, plan, marginal.name, (marginal.value(totals[0], f), None, None))


def _unit_rows(
    rows: _Rows, units: Sequence[UnitComparison], base: Sequence[Metric], level: str
) -> None:
    for unit in units:
        where = (level, unit.province_code, unit.code, unit.name)
        for metric in metrics_for(unit.figures, base):
            for i in range(len(unit.figures)):
                rows.add(
                    i,
                    where,
                    metric.name,
                    (unit.value(i, metric), unit.value(0, metric), unit.difference(i, metric)),
                )


def team_change_rows(comparison: Comparison) -> list[dict[str, str]]:
    """team_changes.csv: one row per stop added, removed or moved, by plan and team."""
    return [
        {
            "plan": comparison.plans[team.plan].label,
            "province_code": team.province_code,
            "team_id": team.team_id,
            "team_status": team.status,
            "change": change.change,
            "kind": change.kind,
            "commune_code": change.commune_code,
            "commune_name": change.commune_name,
            "venue_id": change.venue_id,
            "baseline_date": change.baseline_date,
            "plan_date": change.plan_date,
        }
        for team in comparison.teams
        for change in team.changes
    ]


def _write(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel reads Vietnamese
        writer = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_compare_csv(comparison: Comparison, path: Path) -> None:
    _write(path, COMPARE_COLUMNS, comparison_rows(comparison))


def write_team_changes_csv(comparison: Comparison, path: Path) -> None:
    _write(path, TEAM_CHANGE_COLUMNS, team_change_rows(comparison))
