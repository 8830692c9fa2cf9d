"""The `planner` command line: parse, call the Python API, print one clear line on error.

Everything printed is in Vietnamese unless English is asked for: `--lang en` on any command,
or the environment variable PLANNER_LANG=en (`planner.messages.resolve_lang`). An error is
one line, "planner: lỗi: <file>, trường '<field>': <what>" ("planner: error: ..." in
English); the words come from the one catalogue, `planner.messages`, which also says in
Vietnamese the English messages of the scenario loader, pydantic and argparse it knows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from planner import interrupt
from planner.errors import PlannerError, UsageError
from planner.messages import (
    LANGS,
    MESSAGES,
    Lang,
    error_line,
    field_label,
    localize,
    msg,
    plan_title,
    resolve_lang,
    speaking,
    text,
)

if TYPE_CHECKING:
    from planner.progress import BarProgress
    from planner.runner import Progress, RunSettings
    from planner.written_plan import Summary


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports a mistake as one line (through `main`), not usage."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(msg("usage.see_help", rest=message, prog=self.prog))


def _codes(given: str) -> tuple[str, ...]:
    codes = tuple(c.strip() for c in given.split(",") if c.strip())
    if not codes:
        raise argparse.ArgumentTypeError(msg("usage.province_codes"))
    return codes


def _positive_float(given: str) -> float:
    try:
        value = float(given)
    except ValueError:
        raise argparse.ArgumentTypeError(msg("usage.seconds", value=repr(given))) from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(msg("usage.positive_seconds", value=repr(given)))
    if value > MAX_TIME_LIMIT:
        raise argparse.ArgumentTypeError(
            msg("usage.at_most_seconds", limit=f"{MAX_TIME_LIMIT:.0f}", value=repr(given))
        )
    return value


MAX_TIME_LIMIT = 86_400.0
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit signed integer


def _seed(given: str) -> int:
    value = _non_negative_int(given)
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(msg("usage.seed", limit=MAX_SEED, value=repr(given)))
    return value


def _non_negative_int(given: str) -> int:
    try:
        value = int(given)
    except ValueError:
        raise argparse.ArgumentTypeError(msg("usage.whole_number", value=repr(given))) from None
    if value > 10**9:
        raise argparse.ArgumentTypeError(msg("usage.below_billion", value=repr(given)))
    if value < 0:
        raise argparse.ArgumentTypeError(msg("usage.not_negative", value=repr(given)))
    return value


def _labels(given: str) -> tuple[str, ...]:
    labels = tuple(label.strip() for label in given.split(","))
    if not all(labels):
        raise argparse.ArgumentTypeError(msg("usage.names", value=repr(given)))
    return labels


def _date(given: str) -> dt.date:
    try:
        return dt.date.fromisoformat(given)
    except ValueError:
        raise argparse.ArgumentTypeError(msg("usage.date", value=repr(given))) from None


def _positive_int(given: str) -> int:
    value = _non_negative_int(given)
    if value < 1:
        raise argparse.ArgumentTypeError(msg("usage.at_least_one", value=repr(given)))
    return value


def _add_lang(parser: argparse.ArgumentParser, what: str = "of the lines printed") -> None:
    """--lang vi|en; when not given, $PLANNER_LANG, else Vietnamese (resolved in `main`)."""
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=None,
        help=f"language {what} (default: $PLANNER_LANG, else vi)",
    )


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
    _add_lang(parser, "of the lines printed, maps, sheets and workbook")
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


class _VietnameseHelp(argparse.HelpFormatter):
    """argparse's help layout, its "usage:" said in Vietnamese."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
        if prefix is None:
            prefix = MESSAGES["help.usage"]["vi"]
        super().add_usage(usage, actions, groups, prefix)


def _help_in(parser: argparse.ArgumentParser, lang: Lang) -> argparse.ArgumentParser:
    """`parser` (and its subcommands) with the help texts in `lang`: each English text the
    catalogue's "help." keys know is replaced by its Vietnamese; any other stays as it is."""
    if lang == "en":
        return parser
    said = {words["en"]: words[lang] for key, words in MESSAGES.items() if key.startswith("help.")}
    seen: set[int] = set()

    def walk(p: argparse.ArgumentParser) -> None:
        if id(p) in seen:
            return
        seen.add(id(p))
        p.formatter_class = _VietnameseHelp
        if p.description:
            p.description = said.get(p.description, p.description)
        for group in p._action_groups:
            if group.title:
                group.title = said.get(group.title, group.title)
        for action in p._actions:
            if isinstance(action.help, str):
                action.help = said.get(action.help, action.help)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if isinstance(choice.help, str):
                        choice.help = said.get(choice.help, choice.help)
                for sub in action.choices.values():
                    walk(sub)

    walk(parser)
    return parser


def build_parser(lang: Lang | None = None) -> argparse.ArgumentParser:
    """The command line's parser, its --help in `lang` (default: $PLANNER_LANG, else vi)."""
    return _help_in(_build_parser(), resolve_lang(lang))


def _build_parser() -> argparse.ArgumentParser:
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
    _add_lang(compare, "of the table printed and of compare/index.html")

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

    progress = sub.add_parser(
        "progress",
        help="what the teams report against the published plan: a page and CSVs, "
        "with the missed stops for mop-up teams",
    )
    add_progress_arguments(progress)
    progress.set_defaults(lang=None)  # --lang given, else $PLANNER_LANG, else vi

    validate = sub.add_parser(
        "validate", help="check a scenario (and its provinces in the data) without solving"
    )
    validate.add_argument("scenario", type=Path)
    validate.add_argument("--data-dir", type=Path)
    _add_lang(validate)

    check = sub.add_parser(
        "check", help="re-verify a written plan against its scenario's rules, without the solver"
    )
    check.add_argument("out_dir", type=Path, help="a folder written by planner run")
    check.add_argument(
        "--scenario", type=Path, help="the scenario file (default: the one named in summary.json)"
    )
    check.add_argument("--data-dir", type=Path, help="the data folder the plan was made with")
    _add_lang(check)

    explain = sub.add_parser(
        "explain", help="say in words what a plan does for a commune, district or cluster"
    )
    explain.add_argument("out_dir", type=Path, help="a folder written by planner run")
    explain.add_argument(
        "code", help="a commune code (e.g. 09349), a district or cluster code, or a team id"
    )
    _add_lang(explain)
    explain.add_argument(
        "--scenario", type=Path, help="the scenario file (default: the one named in summary.json)"
    )

    from planner.web import add_arguments as add_serve_arguments

    add_serve_arguments(
        sub.add_parser(
            "serve",
            help="the planner as a local web app, in Vietnamese: scenarios, runs with live "
            "progress, results (open http://127.0.0.1:8000)",
        )
    )

    from planner.calibrate import add_arguments as add_calibrate_arguments

    calibrate = sub.add_parser(
        "calibrate",
        help="fit the turnout rates to the attendance and sign-ups teams reported; write a "
        "scenario that uses them",
    )
    add_calibrate_arguments(calibrate)
    calibrate.set_defaults(lang=None)  # --lang given, else $PLANNER_LANG, else vi

    schema = sub.add_parser("schema", help="print the scenario JSON Schema")
    schema.add_argument("--out", type=Path, help="write it to this file instead")
    _add_lang(schema, "of an error line")

    data = sub.add_parser("data", help="the geographic data in data/geo")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    build = data_sub.add_parser(
        "build", help="rebuild data/geo from its sources (needs the build-data extra)"
    )
    build.add_argument("--out", type=Path, help="output folder (default data/geo)")
    _add_lang(build, "of an error line")
    template = data_sub.add_parser(
        "template",
        help="write a workbook (and CSV files) of the provinces' communes, venues and teams as "
        "the planner assumes them, for you to correct and name in a scenario's [data] lists",
    )
    template.add_argument(
        "--provinces", type=_codes, required=True, help="province codes, e.g. 27 or 27,01"
    )
    template.add_argument(
        "--out", type=Path, default=Path("."), help="folder to write into (default: here)"
    )
    template.add_argument(
        "--structure", choices=("2020", "2025"), default="2020", help="without --scenario"
    )
    template.add_argument(
        "--scenario",
        type=Path,
        help="take the structure, data files and teams from this scenario",
    )
    template.add_argument("--data-dir", type=Path)
    template.add_argument(
        "--force", action="store_true", help="replace an existing workbook of the same name"
    )
    _add_lang(template)
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


def _progress(quiet: bool, lang: Lang = "vi") -> tuple[Progress | None, BarProgress | None]:
    from planner.progress import BarProgress, LineProgress

    bars = BarProgress(lang=lang) if not quiet and sys.stderr.isatty() else None
    progress: Progress | None = bars or (None if quiet else LineProgress(lang=lang))
    return progress, bars


def _result_line(summary: Summary, out_dir: Path, lang: Lang = "vi") -> str:
    """The line `planner run` and `planner replan` print for a plan: its title (and name),
    figures, and where it was written; `summary` is the plan's `Summary`
    (`RunResult.written_summary`)."""
    band = summary.expected_enrolments_band
    spread = None if band is None else (band.p10, band.p90)
    name, data = summary.scenario, summary.data
    figures: dict[str, Any] = {
        "provinces": len(summary.provinces),
        "team_days": summary.team_days,
        "passes": summary.passes,
        "conferences": summary.conferences,
        "reach": summary.expected_reach,
        "enrolments": summary.expected_enrolments,
        "value": summary.objective,
        "bound": summary.upper_bound,
        "greedy": summary.greedy_value,
    }
    title = plan_title(data, name)
    return text(
        "run.result",
        lang,
        scenario=name if title == name else f"{title} ({name})",
        spread=text("run.spread", lang, p10=spread[0], p90=spread[1]) if spread else "",
        out=out_dir,
        **figures,
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
    progress, bars = _progress(args.quiet, args.lang)
    try:
        results = run_batch(jobs, settings, progress=progress)
    finally:
        if bars is not None:
            bars.stop()
    for result in results:
        print(_result_line(result.written_summary, result.out_dir, args.lang))
        for line in history_lines(result.written_summary, args.lang):
            print(line)
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from planner import __version__
    from planner.compare import SweepCurve, compare_plans, write_comparison
    from planner.output_folder import Manifest, OutputFolder
    from planner.runner import DEFAULT_OUTPUTS, run_batch, scenario_job
    from planner.sweep import (
        parse_vary,
        sweep_jobs,
        sweep_labels,
        sweep_points,
        sweep_title,
        write_sweep_csv,
    )

    varies = [parse_vary(option) for option in args.vary]
    settings = replace(_settings(args), out_dir=None)
    base = scenario_job(args.scenario, settings).scenario
    out_dir = args.out or DEFAULT_OUTPUTS / f"{base.name}-sweep"
    jobs = sweep_jobs(args.scenario, varies, settings, out_dir)
    sweep_folder = OutputFolder(
        out_dir, Manifest(kind="sweep", scenario=base.name, planner_version=__version__)
    )
    with sweep_folder:
        progress, bars = _progress(args.quiet, args.lang)
        try:
            results = run_batch(jobs, settings, progress=progress)
        finally:
            if bars is not None:
                bars.stop()
        points = sweep_points(varies, jobs, results)
        write_sweep_csv(varies, points, out_dir / "sweep.csv")
        comparison = compare_plans(
            [p.out_dir for p in points],
            labels=sweep_labels(varies, points, args.lang),
            data_dir=args.data_dir,
        )
        page = write_comparison(
            comparison,
            out_dir / "compare",
            data_dir=args.data_dir,
            sweep=SweepCurve(tuple(points), tuple(v.field for v in varies)),
            force=args.force,
            lang=args.lang,
            title=sweep_title(varies, comparison, args.lang),
        )
        sweep_folder.mark()
    fields = " / ".join(
        v.field
        if field_label(v.field, args.lang) == v.field
        else f"{field_label(v.field, args.lang)} ({v.field})"
        for v in varies
    )
    print(text("sweep.header", args.lang, fields=fields))
    for p in points:
        print(
            text(
                "sweep.point",
                args.lang,
                values=" / ".join(p.texts),
                reach=p.expected_reach,
                enrolments=p.expected_enrolments,
                conferences=p.conferences,
                team_days=p.team_days,
            )
        )
    print(
        text(
            "sweep.written",
            args.lang,
            csv=out_dir / "sweep.csv",
            page=page / "index.html",
            png=page / "sweep.png",
        )
    )
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from planner.compare import DEFAULT_OUT, compare_plans, terminal_table, write_comparison

    if args.labels is not None and len(args.labels) != len(args.folders):
        raise UsageError(
            msg("usage.labels_count", labels=len(args.labels), folders=len(args.folders))
        )
    comparison = compare_plans(args.folders, labels=args.labels, data_dir=args.data_dir)
    print(terminal_table(comparison, args.lang))
    out = write_comparison(
        comparison,
        args.out or DEFAULT_OUT,
        data_dir=args.data_dir,
        force=args.force,
        lang=args.lang,
    )
    print(text("compare.written", args.lang, page=out / "index.html"))
    return 0


def _cmd_replan(args: argparse.Namespace) -> int:
    from planner.replan import replan

    settings = _settings(args)
    progress, bars = _progress(args.quiet, args.lang)
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
    print(_result_line(result.written_summary, result.out_dir, args.lang))
    return 0


def _cmd_progress(args: argparse.Namespace) -> int:
    from planner.fieldwork import progress, progress_lines

    result = progress(
        args.out_dir.resolve(),
        args.reports,
        args.out,
        lang=args.lang,
        as_of=args.as_of,
        force=args.force,
    )
    if args.lang == "en":
        lines = progress_lines(result)
    else:
        total = result.total()
        days = result.not_reported
        where = result.out_dir / "index.html" if result.out_dir else None
        lines = [text("fieldwork.report", args.lang, line=o.line()) for o in result.overrides]
        lines.append(
            text(
                "fieldwork.summary",
                args.lang,
                scenario=result.scenario,
                done=total.done,
                due=total.due,
                share=f"{100 * total.done_share:.0f}%" if total.due else "-",
                skipped=total.skipped,
                not_in_report=total.not_in_report,
                days=len(days),
                teams=len({(d.province_code, d.team_id) for d in days}),
                attendance=total.attendance_reported,
                attendance_expected=total.attendance_expected,
                sign_ups=total.sign_ups_reported,
                enrolments=total.enrolments_done,
                where=text("fieldwork.where", args.lang, page=where) if where else "",
            )
        )
    for line in lines:
        print(line)
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from planner.web import run_from_args

    return run_from_args(args)


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from planner.calibrate import run_from_args

    return run_from_args(args)


def _plan_folder_argument(path: Path) -> Path:
    """A plan folder given on the command line, absolute (so `.` has a name to derive from)."""
    return path.resolve()


def _cmd_validate(args: argparse.Namespace) -> int:
    from planner.estimates import estimated_positions
    from planner.inputs import load_scenario_geodata
    from planner.problem import build_province_problem
    from planner.runner import select_provinces
    from planner.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    geo = load_scenario_geodata(scenario, args.scenario, args.data_dir)
    codes = select_provinces(scenario, args.scenario, list(geo.provinces["province_code"]), None)
    teams = 0
    notes: list[str] = []
    problems = []
    for code in codes:
        problem = build_province_problem(geo, scenario, args.scenario, code)
        problems.append(problem)
        teams += len(problem.teams)
        notes += problem.notes
    for note in notes:
        print(text("validate.note", args.lang, note=localize(note, args.lang)))
    for found in estimated_positions(problems):  # a warning, not an error
        print(
            text(
                "validate.estimated_positions",
                args.lang,
                province=found.province_code,
                name=found.province_name,
                n=found.communes,
                of=found.of,
            )
        )
    print(
        text(
            "validate.valid",
            args.lang,
            path=args.scenario,
            provinces=len(codes),
            teams=teams,
            structure=scenario.structure,
        )
    )
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from planner.verify import describe, verify_outputs

    report = verify_outputs(args.out_dir, scenario_path=args.scenario, data_dir=args.data_dir)
    counts = {"folder": args.out_dir, "team_days": report.team_days, "stops": report.stops}
    if not report.violations:
        print(text("check.ok", args.lang, **counts))
        return 0
    for violation in report.violations:
        print(describe(violation, args.lang))
    n = len(report.violations)
    if n == 1:
        print(text("check.broken_one", args.lang, **counts))
    else:
        print(text("check.broken", args.lang, n=n, **counts))
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


def _cmd_data_build(args: argparse.Namespace) -> int:
    try:
        from planner.geo.build import build_data
    except ImportError as exc:  # the build-data extra is not installed
        raise PlannerError(msg("usage.build_data", error=str(exc))) from None
    written = build_data(args.out or Path(__file__).resolve().parents[1] / "data" / "geo")
    for path in written:
        print(path)
    return 0


def _cmd_data_template(args: argparse.Namespace) -> int:
    from planner.template import write_template

    written = write_template(
        args.out,
        args.provinces,
        structure=args.structure,
        scenario_path=args.scenario,
        data_dir=args.data_dir,
        force=args.force,
    )
    for path in written:
        print(text("template.written", args.lang, path=path))
    return 0


def _argv_lang(argv: Sequence[str]) -> Lang:
    """The language asked for on a command line that may not parse: its --lang, if any."""
    given: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            given = argv[i + 1]
        elif arg.startswith("--lang=") and arg.partition("=")[2] in LANGS:
            given = arg.partition("=")[2]
    return resolve_lang(given)


def main(argv: Sequence[str] | None = None) -> int:
    commands = {
        "run": _cmd_run,
        "sweep": _cmd_sweep,
        "replan": _cmd_replan,
        "compare": _cmd_compare,
        "progress": _cmd_progress,
        "calibrate": _cmd_calibrate,
        "serve": _cmd_serve,
        "validate": _cmd_validate,
        "check": _cmd_check,
        "explain": _cmd_explain,
        "schema": _cmd_schema,
    }
    previous_handlers = interrupt.install()
    lang = _argv_lang(sys.argv[1:] if argv is None else list(argv))
    try:
        args = build_parser(lang).parse_args(argv)
        args.lang = lang = resolve_lang(getattr(args, "lang", None))
        with speaking(lang), warnings.catch_warnings():
            # the warnings printed deep down (data loader, runner) follow the language; so do
            # the planner's own Python warnings (the routing server's fallback)
            warnings.showwarning = _show_warning
            if args.command == "data":
                if args.data_command == "template":
                    return _cmd_data_template(args)
                return _cmd_data_build(args)
            return commands[args.command](args)
    except PlannerError as exc:
        print(error_line(exc, lang), file=sys.stderr)
        return 2
    except OSError as exc:  # a path the user gave cannot be read or written
        print(error_line(exc, lang), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(text("error.interrupted", lang), file=sys.stderr)
        return 130
    finally:
        interrupt.restore(previous_handlers)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """A Python warning as one line in the command's language: "planner: cảnh báo: ..." (the
    planner's own warnings carry a catalogue message; any other is said as it was raised)."""
    from planner.messages import current_lang, localize_error

    lang = current_lang()
    said = (
        localize_error(message, lang) if isinstance(message, Warning) else localize(message, lang)
    )
    print(text("warning.line", lang, message=" ".join(said.split())), file=file or sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
