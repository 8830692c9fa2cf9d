"""Sweep: run variants of one scenario that differ in one or two fields, and collect the curve.

`planner sweep BASE.toml --vary teams.rule.teams_per_group=1,2,3` asks "what does one more
team per district buy?": each value (or each pair of values, for two --vary options) makes a
variant of the base scenario, the variants are planned as one batch (provinces of every
variant in parallel, data loaded once), and the points — reach and enrolments against the
varied resource — are written as `sweep.csv` and drawn as `sweep.png` in the compare page.

Values are read as TOML values, so `2`, `0.5`, `2020-06-14`, `true` and `["mon", "tue"]`
mean what they would in the scenario file; anything else is a string.

In the compare page each variant is labelled by the varied field in words and its value
("Số đội mỗi huyện/cụm = 2", `sweep_labels`), and the page is titled by the field and the
base scenario's title (`sweep_title`).
"""

from __future__ import annotations

import csv
import itertools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import DataError, SweepError
from planner.messages import Lang, field_label, msg, text
from planner.runner import RunResult, RunSettings, ScenarioJob, scenario_job

if TYPE_CHECKING:
    from planner.compare.diff import Comparison

MAX_FIELDS = 2
MAX_VARIANTS = 64


@dataclass(frozen=True)
class Vary:
    """One varied field and the values it takes, in the order given."""

    field: str
    values: tuple[Any, ...]
    texts: tuple[str, ...]  # the values as written on the command line, for names and tables


@dataclass(frozen=True)
class SweepPoint:
    """One variant's figures: the values of the varied fields, and what the plan achieves."""

    values: tuple[Any, ...]
    texts: tuple[str, ...]
    scenario: str
    out_dir: Path
    expected_reach: float
    expected_enrolments: float
    enrolments_p10: float | None
    enrolments_p90: float | None
    conferences: int
    passes: int
    team_days: int
    travel_km: float
    objective: float
    upper_bound: float


def toml_value(text: str) -> Any:
    """A command-line value read as TOML (2, 0.5, 2020-06-14, true, [...]); else the text."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except (ValueError, RecursionError):  # TOMLDecodeError is a ValueError
        return text


def parse_vary(option: str) -> Vary:
    """`FIELD=V1,V2,...` -> Vary. Lists in brackets keep their commas."""
    field, sep, rest = option.partition("=")
    field = field.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*", field):
        raise SweepError(msg("sweep.error.syntax", option=repr(option)))
    texts = tuple(t.strip() for t in _split_values(rest))
    if not texts or any(not t for t in texts):
        raise SweepError(msg("sweep.error.values", option=repr(option)))
    if len(set(texts)) != len(texts):
        raise SweepError(msg("sweep.error.twice", option=repr(option)))
    return Vary(field=field, values=tuple(toml_value(t) for t in texts), texts=texts)


def _split_values(text: str) -> list[str]:
    """Split on commas that are not inside brackets or quotes."""
    parts, depth, quote, current = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    parts.append(current)
    return parts


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "x"


def variant_name(base: str, varies: Sequence[Vary], texts: Sequence[str]) -> str:
    """`demo--teams_per_group-2`: the base name and each varied field's last part = value."""
    parts = [
        f"{_slug(v.field.split('.')[-1])}-{_slug(t)}" for v, t in zip(varies, texts, strict=True)
    ]
    name = "--".join([base, *parts])
    return name[:64].rstrip("-_")


def sweep_jobs(
    base: Path, varies: Sequence[Vary], settings: RunSettings, out_dir: Path
) -> list[ScenarioJob]:
    """One job per combination of the varied values, each in out_dir/<variant name>/."""
    if not 1 <= len(varies) <= MAX_FIELDS:
        raise SweepError(msg("sweep.error.fields", n=len(varies)))
    if len({v.field for v in varies}) != len(varies):
        raise SweepError(msg("sweep.error.same_field"))
    combos = list(itertools.product(*(range(len(v.values)) for v in varies)))
    if len(combos) > MAX_VARIANTS:
        raise SweepError(msg("sweep.error.too_many", n=len(combos), limit=MAX_VARIANTS))
    base_name = scenario_job(base, settings).scenario.name
    jobs = []
    for combo in combos:
        texts = [v.texts[i] for v, i in zip(varies, combo, strict=True)]
        name = variant_name(base_name, varies, texts)
        overrides = [("name", name)] + [
            (v.field, v.values[i]) for v, i in zip(varies, combo, strict=True)
        ]
        jobs.append(scenario_job(base, settings, overrides=overrides, out_dir=out_dir / name))
    names = [job.scenario.name for job in jobs]
    if len(set(names)) != len(names):
        raise SweepError(msg("sweep.error.same_name"))
    return jobs


def sweep_points(
    varies: Sequence[Vary], jobs: Sequence[ScenarioJob], results: Sequence[RunResult]
) -> list[SweepPoint]:
    """The figures of each variant, in the order of the jobs."""
    points = []
    for job, result in zip(jobs, results, strict=True):
        values = dict(job.overrides)
        s = result.written_summary
        band = s.expected_enrolments_band
        points.append(
            SweepPoint(
                values=tuple(values[v.field] for v in varies),
                texts=tuple(_text_of(v, values[v.field]) for v in varies),
                scenario=job.scenario.name,
                out_dir=result.out_dir,
                expected_reach=s.expected_reach,
                expected_enrolments=s.expected_enrolments,
                enrolments_p10=None if band is None else band.p10,
                enrolments_p90=None if band is None else band.p90,
                conferences=s.conferences,
                passes=s.passes,
                team_days=s.team_days,
                travel_km=s.travel_km,
                objective=_written(s.objective, "objective", s.path),
                upper_bound=_written(s.upper_bound, "upper_bound", s.path),
            )
        )
    return points


def _written(value: float | None, field: str, path: Path) -> float:
    """A figure every plan `planner run` writes has (DataError naming it, should one lack it)."""
    if value is None:
        raise DataError(path, msg("data.is_missing"), field=field)
    return value


def _text_of(vary: Vary, value: Any) -> str:
    return vary.texts[vary.values.index(value)]


def sweep_labels(varies: Sequence[Vary], points: Sequence[SweepPoint], lang: Lang) -> list[str]:
    """Each point's label on the compare page: every varied field in words with its value,
    "Số đội mỗi huyện/cụm = 2" (the dotted field when the catalogue has no words for it)."""
    return [
        " / ".join(
            text("sweep.label", lang, field=field_label(v.field, lang), value=value)
            for v, value in zip(varies, p.texts, strict=True)
        )
        for p in points
    ]


def sweep_title(varies: Sequence[Vary], comparison: Comparison, lang: Lang) -> str:
    """The compare page's title for a sweep: the varied fields, and the base scenario's
    title (its name when it has none)."""
    first = comparison.plans[0]
    return text(
        "compare.sweep_title",
        lang,
        fields=" / ".join(field_label(v.field, lang) for v in varies),
        title=first.title or first.scenario,
    )


SWEEP_COLUMNS = (
    "scenario",
    "expected_reach",
    "expected_enrolments",
    "enrolments_p10",
    "enrolments_p90",
    "conferences",
    "passes",
    "team_days",
    "travel_km",
    "objective",
    "upper_bound",
)


def write_sweep_csv(varies: Sequence[Vary], points: Sequence[SweepPoint], path: Path) -> None:
    """One row per variant: the varied values, then the plan's figures."""
    with path.open("w", newline="", encoding="utf-8-sig") as f:  # BOM: Excel reads Vietnamese
        writer = csv.writer(f)
        writer.writerow([v.field for v in varies] + list(SWEEP_COLUMNS))
        for p in points:
            writer.writerow(
                [
                    *p.texts,
                    p.scenario,
                    f"{p.expected_reach:.1f}",
                    f"{p.expected_enrolments:.1f}",
                    "" if p.enrolments_p10 is None else f"{p.enrolments_p10:.1f}",
                    "" if p.enrolments_p90 is None else f"{p.enrolments_p90:.1f}",
                    p.conferences,
                    p.passes,
                    p.team_days,
                    f"{p.travel_km:.1f}",
                    f"{p.objective:.1f}",
                    f"{p.upper_bound:.1f}",
                ]
            )
