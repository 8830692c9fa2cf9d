"""`planner calibrate`: fit the turnout rates to what a campaign actually produced.

`calibrate(report_paths, plan_dir, out_path=...)` reads the teams' reports
(`planner.reports.read_reports`: CSV in any of Excel's encodings and separators, or the
workbook, with Vietnamese or English headers) of a published plan, fits the rates the
planner assumes to the attendance and sign-ups reported, prints each fitted rate with a 90 %
interval and a line on how well the model fits, and writes a scenario file that runs the
plan's scenario with the fitted rates (docs/calibrate.md).

Where the model's other inputs come from: the plan folder
-----------------------------------------------------------
A pass's sign-ups are only meaningful against the people it could reach (the commune's
target people), and a conference's attendance against the people invited. Both are in the
published plan folder (`--plan OUTDIR`, read by `planner.written_plan.read_plan`), and that is
where they are taken from, rather than from a scenario and the geographic data:

- reports are about a published plan: every stop a team reports is a stop the plan gave
  it, so the plan is the reference a report is checked against (an unknown commune or venue
  is an error, as in `planner progress`);
- schedule.csv gives each pass's people reached, ``target people x reach_share x
  repeat_value^(n-1)`` (planner/domain.py `PassRules.people_reached`), from which the
  commune's target people follow exactly, and each conference's people invited, which the
  solver chose (hall, gathering cap, catchment left) and which no scenario or data file
  holds;
- summary.json names the scenario the plan was made from (its hash is checked, as `planner
  check` does: `planner.verify.scenario_of`): reach_share and repeat_value come from it,
  and it is the scenario the written file extends;
- nothing else is loaded: no geographic data, no solver, and the data version cannot
  disagree.

The model
---------
Only done stops are used; a stop reported not done, or without the figure a rate needs, is
left out of that rate.

- Conference show-up: attendance ~ Binomial(invited, show_up), invited being the plan's
  for that venue on that day (a conference held on a day the plan did not give it has no
  known invited and is left out of this rate, counted in the output).
- Conference conversion: sign-ups ~ Binomial(attendance, conversion).
- Passes: sign-ups of the n-th pass through a commune (n by date order among the passes
  reported done there) ~ Poisson(T x repeat_value^(n-1) x theta), T the commune's target
  people and theta = reach_share x conversion, the sign-ups per target person on a first
  pass. A pass's expected sign-ups depend on reach_share and conversion only through their
  product, so sign-ups cannot separate the two: theta is fitted, and the implied conversion
  at the scenario's reach_share (theta / reach_share) is reported and written. Separating
  them needs a count of the people a pass reached, which no report holds.

Each rate's maximum likelihood estimate is the ratio of the sums (sign-ups / attendance,
attendance / invited, sign-ups / target-person exposure). Its 90 % interval is the score
interval (Wilson's for a binomial rate, the Poisson score interval for theta), which keeps
within [0, 1] and behaves at small counts. Fit quality: Pearson's chi-square over the rows
and its ratio to the degrees of freedom (rows - 1), the dispersion phi. phi near 1: the
rows scatter as the model says. phi above 1: the conferences (or communes) differ from each
other more than chance allows; the interval is then widened by sqrt(phi) (quasi-likelihood:
the score interval of the counts divided by phi), so that it stays honest about the mean
rate. A rate needs at least `MIN_CONFERENCES` conferences (`MIN_PASSES` passes) with the
figures it uses; a rate with fewer is not fitted and the scenario's value stands. When no
rate can be fitted at all, that is an error.

What is written
---------------
A scenario file (default `calibrated-rates.toml`): ``extends`` the plan's scenario, a
``name`` of its own (``<scenario name>-calibrated``), ``[propaganda] conversion``,
``[conferences] show_up`` and ``conversion``, and their ``[uncertainty]`` ranges, each the
fitted 90 % interval made symmetric about the fitted rate (its wider half on both sides,
clipped to [0, 1]), as planner/uncertainty.py wants its ranges. `planner run` it as it is, or
copy its tables into a scenario. The file is checked by loading it as a scenario before it
replaces anything, written to a temporary file and renamed into place; an error writes
nothing. A file that does not start with this module's first line is never replaced (unless
`force`), nor is the plan's own scenario.

Errors (`DataError`, one line naming the file, row and column): a report naming a commune
with no pass in the plan or a venue the plan does not know, a negative or non-whole count
(`planner.reports`), sign-ups above the attendance, attendance above the people invited,
no usable row, or too few rows to fit any rate.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, Final, Literal

from planner.errors import DataError, PlannerError
from planner.export.i18n import Lang, check_lang, format_number
from planner.messages import error_line, resolve_lang
from planner.reports import Override, ReportedStop, code_key, read_reports
from planner.written_plan import SCHEDULE_FILE, WrittenPlan, read_plan

if TYPE_CHECKING:
    import datetime as dt

__all__ = [
    "CONFIDENCE",
    "DEFAULT_OUT",
    "FRAGMENT_MARK",
    "MIN_CONFERENCES",
    "MIN_PASSES",
    "Calibration",
    "RateFit",
    "Unfitted",
    "add_arguments",
    "calibrate",
    "fit_binomial",
    "fit_poisson",
    "format_calibration",
    "fragment_text",
    "main",
    "run_from_args",
]

CONFIDENCE: Final = 0.90
Z: Final = NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)  # 1.645
MIN_CONFERENCES: Final = 5
"""Fewest conferences with the figures a conference rate needs."""
MIN_PASSES: Final = 10
"""Fewest passes with sign-ups for the pass rate: a pass brings a person or two, so fewer
passes say little, and a dispersion needs rows to be judged."""
DEFAULT_OUT: Final = Path("calibrated-rates.toml")
FRAGMENT_MARK: Final = "# Written by planner calibrate"
"""The first line of every file written here: only such a file is ever replaced."""

RateName = Literal["conference_show_up", "conference_conversion", "pass_product"]

# --- fitting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateFit:
    """One fitted rate: estimate, 90 % interval, and what it was fitted on.

    `count` is the summed numerator (sign-ups, or attendance for show-up) and `base` the
    summed denominator (attendance, invited, or the target-person exposure of the passes).
    `chi_square` is Pearson's over `rows` rows, `df` = rows - 1; None when the estimate is 0
    or 1 (every row then fits exactly) or there is one row.
    """

    estimate: float
    low: float
    high: float
    rows: int
    count: int
    base: float
    chi_square: float | None
    df: int

    @property
    def dispersion(self) -> float | None:
        """Pearson chi-square / df: about 1 when the rows scatter as the model says."""
        if self.chi_square is None or self.df < 1:
            return None
        return self.chi_square / self.df

    @property
    def widening(self) -> float:
        """How much the interval was widened for extra spread: sqrt(max(1, dispersion))."""
        return math.sqrt(max(1.0, self.dispersion or 1.0))

    def scaled(self, factor: float) -> RateFit:
        """The same fit, its estimate and interval divided by `factor` (clipped at 1)."""
        return RateFit(
            estimate=min(1.0, self.estimate / factor),
            low=min(1.0, self.low / factor),
            high=min(1.0, self.high / factor),
            rows=self.rows,
            count=self.count,
            base=self.base,
            chi_square=self.chi_square,
            df=self.df,
        )


def _wilson(successes: float, trials: float) -> tuple[float, float]:
    p = successes / trials
    z2 = Z * Z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = Z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _poisson_score(count: float, exposure: float) -> tuple[float, float]:
    """The rates mu / exposure with (count - mu)^2 / mu <= z^2."""
    z2 = Z * Z
    root = Z * math.sqrt(count + z2 / 4)
    return max(0.0, (count + z2 / 2 - root) / exposure), (count + z2 / 2 + root) / exposure


def fit_binomial(successes: Sequence[int], trials: Sequence[int]) -> RateFit:
    """The rate p of successes_i ~ Binomial(trials_i, p): MLE, Wilson 90 % interval widened
    by sqrt(dispersion) when the rows scatter more than binomially. Needs sum(trials) > 0."""
    rows = [(y, n) for y, n in zip(successes, trials, strict=True) if n > 0]
    count = sum(y for y, _ in rows)
    base = sum(n for _, n in rows)
    if base <= 0:
        raise ValueError("no trials")
    p = count / base
    chi_square = None
    if 0 < p < 1 and len(rows) > 1:
        chi_square = math.fsum((y - n * p) ** 2 / (n * p * (1 - p)) for y, n in rows)
    fit = RateFit(p, 0.0, 1.0, len(rows), count, float(base), chi_square, len(rows) - 1)
    phi = fit.widening**2
    low, high = _wilson(count / phi, base / phi)
    return RateFit(p, min(low, p), max(high, p), len(rows), count, float(base), chi_square, fit.df)


def fit_poisson(counts: Sequence[int], exposures: Sequence[float]) -> RateFit:
    """The rate t of counts_i ~ Poisson(exposures_i x t): MLE, score 90 % interval widened
    by sqrt(dispersion) when the rows scatter more than Poisson. Needs sum(exposures) > 0."""
    rows = [(y, e) for y, e in zip(counts, exposures, strict=True) if e > 0]
    count = sum(y for y, _ in rows)
    base = math.fsum(e for _, e in rows)
    if base <= 0:
        raise ValueError("no exposure")
    rate = count / base
    chi_square = None
    if rate > 0 and len(rows) > 1:
        chi_square = math.fsum((y - e * rate) ** 2 / (e * rate) for y, e in rows)
    fit = RateFit(rate, 0.0, 1.0, len(rows), count, base, chi_square, len(rows) - 1)
    phi = fit.widening**2
    low, high = _poisson_score(count / phi, base / phi)
    return RateFit(
        rate, min(low, rate), max(high, rate), len(rows), count, base, chi_square, fit.df
    )


# --- the result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Unfitted:
    """A rate left at the scenario's value: `rows` rows had its figures, `needed` are needed."""

    rate: RateName
    rows: int
    needed: int


@dataclass(frozen=True)
class Calibration:
    """What `calibrate` fitted, from which plan and reports, and where it wrote the rates.

    `pass_product` is theta = reach_share x conversion, sign-ups per target person on a
    first pass; `pass_conversion` the conversion it implies at the scenario's reach_share.
    `assumed` holds the scenario's rates (keys as `RateName`, and "pass_conversion").
    `left_out` counts the rows a rate could not use: "no_invited" (a conference on a day
    the plan did not give it), "no_attendance" (conference sign-ups without attendance),
    "no_reach" (a pass through a commune the plan reaches nobody in).
    """

    plan_dir: Path
    scenario_path: Path
    scenario_name: str
    report_files: tuple[Path, ...]
    show_up: RateFit | None
    conference_conversion: RateFit | None
    pass_product: RateFit | None
    reach_share: float
    repeat_value: float
    assumed: Mapping[str, float]
    unfitted: tuple[Unfitted, ...] = ()
    left_out: Mapping[str, int] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    out_path: Path | None = None

    @property
    def pass_conversion(self) -> RateFit | None:
        """The pass conversion implied at the scenario's reach_share: theta / reach_share."""
        if self.pass_product is None:
            return None
        return self.pass_product.scaled(self.reach_share)

    @property
    def fragment_name(self) -> str:
        """The written scenario's name: the plan's scenario's, with '-calibrated'."""
        return f"{self.scenario_name[:53]}-calibrated"


# --- the front door -------------------------------------------------------------------------


def calibrate(
    report_paths: Path | str | Sequence[Path | str],
    plan_dir: Path | str,
    *,
    out_path: Path | str | None = DEFAULT_OUT,
    lang: str = "vi",
    scenario_path: Path | str | None = None,
    force: bool = False,
) -> Calibration:
    """Fit the rates to the reports of the plan in `plan_dir` and write them to `out_path`.

    `scenario_path`: the plan's scenario, when not where summary.json says (its hash must
    match). `out_path` None: fit and return, write nothing. `lang`: the language of the
    written file's comments. `force`: replace a file at `out_path` that this command did not
    write. Raises DataError (nothing written) for a report that cannot be used
    (module docstring), PlanCheckError when the scenario changed since the plan was made.
    """
    from planner.verify import scenario_of  # checks the scenario's hash, as `planner check`

    language = check_lang(lang)
    files = [Path(report_paths)] if isinstance(report_paths, str | Path) else list(report_paths)
    if not files:
        raise DataError("REPORT", "no report file given; expected the teams' report files")
    written = read_plan(Path(plan_dir))
    scenario, found_at = scenario_of(
        written.summary, None if scenario_path is None else Path(scenario_path)
    )
    target = None if out_path is None else Path(out_path)
    if target is not None:
        _check_target(target, found_at, force=force)
    reports = read_reports(files)
    result = _fit(
        written,
        reports.stops,
        files=tuple(Path(f) for f in files),
        scenario_path=found_at,
        scenario_name=scenario.name,
        reach_share=scenario.propaganda.reach_share,
        repeat_value=scenario.propaganda.repeat_value,
        assumed={
            "conference_show_up": scenario.conferences.show_up,
            "conference_conversion": scenario.conferences.conversion,
            "pass_conversion": scenario.propaganda.conversion,
        },
        overrides=reports.overrides,
    )
    if target is None:
        return result
    done = replace(result, out_path=target)
    _write(target, fragment_text(done, language))
    return done


# --- matching the reports to the plan -------------------------------------------------------


@dataclass(frozen=True)
class _PlanFacts:
    first_reach: dict[str, float]  # commune (code_key) -> people reached by a first pass
    invited: dict[tuple[str, dt.date], int]  # (venue code_key, day) -> people invited
    venues: frozenset[str]  # code_key of every venue the plan names
    schedule: Path


def _plan_facts(written: WrittenPlan, repeat_value: float) -> _PlanFacts:
    first: dict[str, tuple[int, float]] = {}
    invited: dict[tuple[str, dt.date], int] = {}
    venues: set[str] = set()
    for row in written.schedule:
        stop = row.stop
        if stop.kind == "pass":
            number = stop.pass_number or 1
            key = code_key(stop.commune_code)
            factor = repeat_value ** (number - 1)
            reach = stop.people_reached / factor if factor > 0 else 0.0
            best = first.get(key)
            # the lowest-numbered pass: the least rounding to undo (people are written to 0.1)
            if best is None or number < best[0] or (best[1] <= 0 < reach):
                first[key] = (number, reach)
        elif stop.venue_id:
            key = code_key(stop.venue_id)
            venues.add(key)
            invited[(key, row.date)] = invited.get((key, row.date), 0) + (stop.invited or 0)
    for routes in written.routes.values():
        venues.update(code_key(r.base_venue_id) for r in routes)
    return _PlanFacts(
        first_reach={k: v for k, (_, v) in first.items()},
        invited=invited,
        venues=frozenset(venues),
        schedule=written.out_dir / SCHEDULE_FILE,
    )


def _fit(
    written: WrittenPlan,
    stops: Sequence[ReportedStop],
    *,
    files: tuple[Path, ...],
    scenario_path: Path,
    scenario_name: str,
    reach_share: float,
    repeat_value: float,
    assumed: Mapping[str, float],
    overrides: tuple[Override, ...],
) -> Calibration:
    facts = _plan_facts(written, repeat_value)
    left_out = {"no_invited": 0, "no_attendance": 0, "no_reach": 0}
    show_up: tuple[list[int], list[int]] = ([], [])
    conversion: tuple[list[int], list[int]] = ([], [])
    passes: dict[str, list[ReportedStop]] = {}
    for stop in stops:
        if stop.kind == "pass":
            key = code_key(stop.commune_code)
            if key not in facts.first_reach:
                raise stop.source.error(
                    f"commune {stop.commune_code} has no pass in the published plan "
                    f"{facts.schedule}, so its target people are not known; expected a commune "
                    "code of a pass of the plan",
                    "commune_code",
                )
            if stop.done:
                passes.setdefault(key, []).append(stop)
            continue
        key = code_key(stop.venue_id)
        if key not in facts.venues:
            raise stop.source.error(
                f"venue {stop.venue_id} is not in the published plan {facts.schedule}; expected "
                "the venue id of a conference or team base of the plan",
                "venue_id",
            )
        if not stop.done:
            continue
        if stop.sign_ups is not None and stop.attendance is not None:
            if stop.sign_ups > stop.attendance:
                raise stop.source.error(
                    f"{stop.sign_ups} sign-ups at a conference of {stop.attendance} people; "
                    "expected at most the attendance (people who attended and signed up)",
                    "sign_ups",
                )
            if stop.attendance > 0:  # nobody came: nothing to convert
                conversion[0].append(stop.sign_ups)
                conversion[1].append(stop.attendance)
        elif stop.sign_ups is not None:
            left_out["no_attendance"] += 1
        if stop.attendance is None:
            continue
        invited = facts.invited.get((key, stop.date))
        if not invited:
            left_out["no_invited"] += 1
            continue
        if stop.attendance > invited:
            raise stop.source.error(
                f"{stop.attendance} people attended, the plan invited {invited} to this "
                f"conference ({facts.schedule}); expected at most the people invited (the "
                "planner's show-up is at most 1)",
                "attendance",
            )
        show_up[0].append(stop.attendance)
        show_up[1].append(invited)
    sign_ups: list[int] = []
    exposure: list[float] = []
    for key, visits in passes.items():
        visits.sort(key=lambda s: (s.date, s.source.file_index, s.source.row))
        target = facts.first_reach[key] / reach_share
        for n, stop in enumerate(visits, start=1):
            if stop.sign_ups is None:
                continue
            people = target * repeat_value ** (n - 1)
            if people <= 0:
                left_out["no_reach"] += 1
                continue
            sign_ups.append(stop.sign_ups)
            exposure.append(people)

    unfitted: list[Unfitted] = []

    def usable(rate: RateName, rows: int, needed: int) -> bool:
        if rows >= needed:
            return True
        if rows:
            unfitted.append(Unfitted(rate, rows, needed))
        return False

    fitted_show_up = (
        fit_binomial(*show_up)
        if usable("conference_show_up", len(show_up[0]), MIN_CONFERENCES)
        else None
    )
    fitted_conversion = (
        fit_binomial(*conversion)
        if usable("conference_conversion", len(conversion[0]), MIN_CONFERENCES)
        else None
    )
    fitted_passes = (
        fit_poisson(sign_ups, exposure)
        if usable("pass_product", len(sign_ups), MIN_PASSES)
        else None
    )
    if fitted_show_up is None and fitted_conversion is None and fitted_passes is None:
        where = ", ".join(str(f) for f in files)
        if not (show_up[0] or conversion[0] or sign_ups):
            raise DataError(
                where,
                "no usable rows: no stop reported done has sign-ups (and, for a conference, "
                "attendance); expected done stops with Số người đăng ký tham gia / sign_ups and "
                "Số người dự thực tế / attendance filled in",
                field="sign_ups",
            )
        raise DataError(
            where,
            "too few rows to fit any rate: "
            f"{len(conversion[0])} conferences with attendance and sign-ups and "
            f"{len(show_up[0])} with attendance on a day the plan invited people "
            f"(at least {MIN_CONFERENCES} needed for a conference rate), "
            f"{len(sign_ups)} passes with sign-ups (at least {MIN_PASSES} needed)",
            field="sign_ups",
        )
    return Calibration(
        plan_dir=written.out_dir,
        scenario_path=scenario_path,
        scenario_name=scenario_name,
        report_files=files,
        show_up=fitted_show_up,
        conference_conversion=fitted_conversion,
        pass_product=fitted_passes,
        reach_share=reach_share,
        repeat_value=repeat_value,
        assumed=dict(assumed),
        unfitted=tuple(unfitted),
        left_out={k: v for k, v in left_out.items() if v},
        overrides=overrides,
    )


# --- words ----------------------------------------------------------------------------------

_WORDS: dict[str, dict[Lang, str]] = {
    "conference_show_up": {"vi": "Tỉ lệ đến dự hội nghị", "en": "Conference show-up"},
    "conference_conversion": {
        "vi": "Tỉ lệ đăng ký tại hội nghị",
        "en": "Conference conversion (sign-ups per attendee)",
    },
    "pass_product": {
        "vi": "Tuyên truyền lưu động, tỉ lệ tiếp cận × tỉ lệ đăng ký (số đăng ký trên 1.000 "
        "người trong diện vận động, lượt đầu)",
        "en": "Propaganda passes, reach share × conversion (sign-ups per 1,000 target people, "
        "first pass)",
    },
    "pass_conversion": {
        "vi": "Tỉ lệ đăng ký sau lượt tuyên truyền",
        "en": "Pass conversion",
    },
    "show_up_counts": {
        "vi": "{count} người dự / {base} người được mời, {rows} hội nghị",
        "en": "{count} attended / {base} invited, {rows} conferences",
    },
    "conversion_counts": {
        "vi": "{count} người đăng ký / {base} người dự, {rows} hội nghị",
        "en": "{count} sign-ups / {base} attended, {rows} conferences",
    },
    "pass_counts": {
        "vi": "{count} người đăng ký qua {rows} lượt, {base} người trong diện (lượt lặp lại "
        "tính theo hệ số {repeat})",
        "en": "{count} sign-ups from {rows} passes over {base} target people (repeat passes "
        "weighted by repeat_value {repeat})",
    },
    "quality": {
        "vi": "χ² Pearson {chi} với {df} bậc tự do, hệ số phân tán {phi}",
        "en": "Pearson χ² {chi} on {df} df, dispersion {phi}",
    },
    "quality_none": {
        "vi": "không tính được độ phù hợp (một dòng, hoặc tỉ lệ bằng 0 hay 1)",
        "en": "no fit quality (one row, or a rate of 0 or 1)",
    },
    "widened": {
        "vi": "khoảng tin cậy đã nới rộng ×{factor} vì số liệu phân tán hơn mô hình",
        "en": "interval widened ×{factor} for the extra spread",
    },
    "scenario_value": {"vi": "kịch bản: {value}", "en": "scenario: {value}"},
    "implied": {
        "vi": "  suy ra {label}: {value} (90%: {low}–{high}) với tỉ lệ tiếp cận {reach} của "
        "kịch bản (kịch bản: {before}); chỉ từ số đăng ký thì không tách được tỉ lệ tiếp cận "
        "với tỉ lệ đăng ký",
        "en": "  implied {label}: {value} (90%: {low}–{high}) at the scenario's reach_share "
        "{reach} (scenario: {before}); sign-ups alone cannot separate reach from conversion",
    },
    "unfitted": {
        "vi": "{label}: không ước lượng: {rows} {what}, cần ít nhất {needed}; giữ giá trị của "
        "kịch bản ({value})",
        "en": "{label}: not fitted: {rows} {what}, at least {needed} needed; the scenario's "
        "{value} stands",
    },
    "what_conference_show_up": {
        "vi": "hội nghị có số người dự và số người được mời theo kế hoạch",
        "en": "conferences with attendance and the plan's invited",
    },
    "what_conference_conversion": {
        "vi": "hội nghị có số người dự và số người đăng ký",
        "en": "conferences with attendance and sign-ups",
    },
    "what_pass_product": {
        "vi": "lượt tuyên truyền có số người đăng ký",
        "en": "passes with sign-ups",
    },
    "no_invited": {
        "vi": "{n} hội nghị không có trong kế hoạch vào ngày đó (không biết số người được mời): "
        "không dùng cho tỉ lệ đến dự",
        "en": "{n} conference{s} not in the plan on their day (people invited unknown): left out "
        "of show-up",
    },
    "no_attendance": {
        "vi": "{n} hội nghị báo số người đăng ký mà không báo số người dự: không dùng cho tỉ lệ "
        "đăng ký",
        "en": "{n} conference{s} with sign-ups but no attendance: left out of conversion",
    },
    "no_reach": {
        "vi": "{n} lượt tuyên truyền ở xã mà kế hoạch không tiếp cận được ai: không dùng",
        "en": "{n} pass{es} through communes the plan reaches nobody in: left out",
    },
    "wrote": {
        "vi": "Đã ghi {path}: kịch bản {name} (kế thừa {scenario}); chạy: planner run {path}",
        "en": "Wrote {path}: scenario {name} (extends {scenario}); run it: planner run {path}",
    },
    "header": {
        "vi": "Hiệu chỉnh tỉ lệ theo kết quả thực tế: kế hoạch {plan}, {files} tệp báo cáo",
        "en": "Rates fitted to what the campaign produced: plan {plan}, {files} report file(s)",
    },
}


def _w(key: str, lang: Lang, **values: object) -> str:
    return _WORDS[key][lang].format(**values)


def _significant(value: float, digits: int = 3) -> int:
    """Decimals that show `value` to `digits` significant figures (at least 1)."""
    if value <= 0:
        return digits
    return max(1, digits - 1 - math.floor(math.log10(value)))


def _plain(value: float, lang: Lang) -> str:
    """A rate as the scenario writes it: up to 4 significant figures, no trailing zeros."""
    text = f"{value:.4g}"
    if "e" in text:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "vi" else text


def _rate_line(label: str, fit: RateFit, lang: Lang, counts: str, before: str) -> str:
    decimals = _significant(fit.estimate if fit.estimate > 0 else fit.high)

    def n(value: float, digits: int = decimals) -> str:
        return format_number(value, lang, digits)

    quality = (
        _w("quality_none", lang)
        if fit.dispersion is None or fit.chi_square is None
        else _w("quality", lang, chi=n(fit.chi_square, 1), df=fit.df, phi=n(fit.dispersion, 2))
    )
    line = f"{label}: {n(fit.estimate)} (90%: {n(fit.low)}–{n(fit.high)}); {counts}; {quality}"
    if fit.widening > 1:
        line += "; " + _w("widened", lang, factor=format_number(fit.widening, lang, 2))
    if before:
        line += f" ({before})"
    return line


def format_calibration(cal: Calibration, lang: str = "vi") -> str:
    """What `planner calibrate` prints: a line per rate (estimate, 90 % interval, rows, fit
    quality), the rows left out, the reports overridden, and where the rates were written."""
    language = check_lang(lang)
    return "\n".join(_lines(cal, language, with_output=True))


def _lines(cal: Calibration, lang: Lang, *, with_output: bool) -> list[str]:
    def number(value: float, digits: int = 0) -> str:
        return format_number(value, lang, digits)

    def assumed(value: float) -> str:
        return _w("scenario_value", lang, value=_plain(value, lang))

    lines = [_w("header", lang, plan=cal.plan_dir, files=len(cal.report_files))]
    if with_output:
        lines += [f"report: {o.line()}" for o in cal.overrides]
    if cal.show_up is not None:
        fit = cal.show_up
        counts = _w(
            "show_up_counts", lang, count=number(fit.count), base=number(fit.base), rows=fit.rows
        )
        lines.append(
            _rate_line(
                _w("conference_show_up", lang),
                fit,
                lang,
                counts,
                assumed(cal.assumed["conference_show_up"]),
            )
        )
    if cal.conference_conversion is not None:
        fit = cal.conference_conversion
        counts = _w(
            "conversion_counts", lang, count=number(fit.count), base=number(fit.base), rows=fit.rows
        )
        lines.append(
            _rate_line(
                _w("conference_conversion", lang),
                fit,
                lang,
                counts,
                assumed(cal.assumed["conference_conversion"]),
            )
        )
    if cal.pass_product is not None and cal.pass_conversion is not None:
        product = cal.pass_product
        counts = _w(
            "pass_counts",
            lang,
            count=number(product.count),
            rows=product.rows,
            base=number(product.base),
            repeat=_plain(cal.repeat_value, lang),
        )
        per_thousand = replace(
            product,
            estimate=product.estimate * 1000,
            low=product.low * 1000,
            high=product.high * 1000,
        )
        lines.append(_rate_line(_w("pass_product", lang), per_thousand, lang, counts, ""))
        conversion = cal.pass_conversion
        decimals = _significant(conversion.estimate if conversion.estimate > 0 else conversion.high)
        lines.append(
            _w(
                "implied",
                lang,
                label=_w("pass_conversion", lang).lower(),
                value=number(conversion.estimate, decimals),
                low=number(conversion.low, decimals),
                high=number(conversion.high, decimals),
                reach=_plain(cal.reach_share, lang),
                before=_plain(cal.assumed["pass_conversion"], lang),
            )
        )
    for missing in cal.unfitted:
        value = (
            cal.assumed["pass_conversion"]
            if missing.rate == "pass_product"
            else cal.assumed[missing.rate]
        )
        label = _w("pass_conversion" if missing.rate == "pass_product" else missing.rate, lang)
        lines.append(
            _w(
                "unfitted",
                lang,
                label=label,
                rows=missing.rows,
                what=_w(f"what_{missing.rate}", lang),
                needed=missing.needed,
                value=_plain(value, lang),
            )
        )
    for key, count in cal.left_out.items():
        lines.append(
            _w(key, lang, n=count, s="" if count == 1 else "s", es="" if count == 1 else "es")
        )
    if with_output and cal.out_path is not None:
        lines.append(
            _w(
                "wrote",
                lang,
                path=cal.out_path,
                name=cal.fragment_name,
                scenario=cal.scenario_path,
            )
        )
    return lines


# --- the scenario file ----------------------------------------------------------------------


def _range(fit: RateFit, decimals: int) -> tuple[str, str, str]:
    """The rate and its symmetric range [rate - h, rate + h] (h the interval's wider half),
    clipped to [0, 1], as TOML numbers: low rounded down, high up, so it holds the rate."""
    scale = 10**decimals
    rate = round(fit.estimate, decimals)
    half = max(fit.estimate - fit.low, fit.high - fit.estimate)
    low = max(0.0, math.floor((rate - half) * scale + 1e-9) / scale)
    high = min(1.0, math.ceil((rate + half) * scale - 1e-9) / scale)
    low, high = min(low, rate), max(high, rate)
    return tuple(f"{v:.{decimals}f}" for v in (rate, low, high))  # type: ignore[return-value]


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(
        c if ord(c) >= 0x20 and ord(c) != 0x7F else f"\\u{ord(c):04x}" for c in escaped
    )
    return f'"{escaped}"'


def _parent_reference(scenario: Path, target: Path) -> str:
    """The plan's scenario as `extends` in `target` names it: relative to target's folder."""
    scenario = Path(os.path.abspath(scenario))
    folder = Path(os.path.abspath(target)).parent
    try:
        common = Path(os.path.commonpath([scenario, folder]))
    except ValueError:  # another drive (Windows)
        return scenario.as_posix()
    if common == Path(common.anchor):  # nothing shared but the root: the absolute path reads better
        return scenario.as_posix()
    return Path(os.path.relpath(scenario, folder)).as_posix()


def fragment_text(cal: Calibration, lang: str = "vi") -> str:
    """The scenario file `calibrate` writes: extends the plan's scenario, sets the fitted rates
    and their [uncertainty] ranges (module docstring); comments in `lang`."""
    language = check_lang(lang)
    target = cal.out_path or DEFAULT_OUT
    head = [
        FRAGMENT_MARK + " (docs/calibrate.md).",
        "# Rates fitted to the teams' reports of a published plan. Run this file as it is",
        "# (`planner run` it: the plan's scenario with these rates), or copy the tables below",
        "# into a scenario. Ranges: the 90 % interval, made symmetric about the rate.",
        *(f"# {line}" for line in _lines(cal, language, with_output=False)),
        "# Reports: " + ", ".join(str(f) for f in cal.report_files),
        "",
        f"extends = {_toml_string(_parent_reference(cal.scenario_path, target))}",
        f"name = {_toml_string(cal.fragment_name)}",
    ]
    tables: dict[str, list[str]] = {"propaganda": [], "conferences": [], "uncertainty": []}
    conversion = cal.pass_conversion
    if conversion is not None:
        rate, low, high = _range(conversion, _significant(conversion.high, 3) + 1)
        tables["propaganda"].append(f"conversion = {rate}")
        tables["uncertainty"].append(f"pass_conversion = [{low}, {high}]")
    for key, fit, name in (
        ("show_up", cal.show_up, "conference_show_up"),
        ("conversion", cal.conference_conversion, "conference_conversion"),
    ):
        if fit is not None:
            rate, low, high = _range(fit, _significant(fit.high, 3) + 1)
            tables["conferences"].append(f"{key} = {rate}")
            tables["uncertainty"].append(f"{name} = [{low}, {high}]")
    body: list[str] = []
    for table, lines in tables.items():
        if lines:
            body += ["", f"[{table}]", *lines]
    return "\n".join(head + body) + "\n"


def _check_target(target: Path, scenario: Path, *, force: bool) -> None:
    """Refuse to replace the plan's scenario, a folder, or a file this command did not write."""
    if os.path.abspath(target) == os.path.abspath(scenario) or (
        target.exists() and target.resolve() == scenario.resolve()
    ):
        raise DataError(
            target,
            "is the plan's own scenario; write the fitted rates to another file (--out)",
        )
    if target.is_dir():
        raise DataError(target, "is a folder; expected a file name like calibrated-rates.toml")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise DataError(
            target, f"the folder {folder} does not exist; create it or give another --out"
        )
    if target.exists() and not force:
        try:
            with target.open(encoding="utf-8", errors="replace") as f:
                first = f.readline()
        except OSError as error:
            raise DataError(target, f"cannot be read ({error.strerror})") from None
        if not first.startswith(FRAGMENT_MARK):
            raise DataError(
                target,
                "exists and was not written by planner calibrate; give another --out, or "
                "--force to replace it",
            )


def _write(target: Path, text: str) -> None:
    """`text` into `target` atomically, after checking that it loads as a scenario."""
    from planner.errors import ScenarioError
    from planner.scenario import load_scenario

    folder = target.parent if str(target.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.tmp-", suffix=".toml", dir=folder)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)  # mkstemp makes it private; a scenario is for everyone
        try:
            load_scenario(temporary)
        except ScenarioError as error:  # a bug, not the user's: say what would have been written
            raise DataError(
                target, f"the fitted rates do not load as a scenario: {error}"
            ) from None
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --- the command ----------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `planner calibrate REPORT... --plan OUTDIR [--out FILE]`."""
    parser.add_argument(
        "reports",
        type=Path,
        nargs="+",
        metavar="REPORT",
        help="the teams' reports (CSV or schedule.xlsx) with attendance and sign-ups of the "
        "stops done; several files: the latest report of a stop wins",
    )
    parser.add_argument(
        "--plan",
        type=Path,
        required=True,
        metavar="OUTDIR",
        help="the published plan the reports are about (a folder of planner run)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="FILE",
        help=f"scenario file to write (default {DEFAULT_OUT}): extends the plan's scenario "
        "with the fitted rates",
    )
    parser.add_argument(
        "--scenario",
        type=Path,
        help="the plan's scenario file, when not where summary.json says",
    )
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=None,
        help="language of the lines printed (default: $PLANNER_LANG, else vi)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace a file at --out that planner calibrate did not write",
    )


def run_from_args(args: argparse.Namespace) -> int:
    """Run `planner calibrate` from parsed arguments; print its lines; 0."""
    result = calibrate(
        args.reports,
        args.plan,
        out_path=args.out,
        lang=args.lang,
        scenario_path=args.scenario,
        force=args.force,
    )
    print(format_calibration(result, args.lang))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m planner.calibrate REPORT... --plan OUTDIR`: 0, or 2 with one error line."""
    parser = argparse.ArgumentParser(
        prog="planner calibrate",
        description="Fit the turnout rates to the attendance and sign-ups the teams reported.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    args.lang = resolve_lang(args.lang)
    try:
        return run_from_args(args)
    except PlannerError as error:
        print(error_line(error, args.lang), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
