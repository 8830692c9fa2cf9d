"""The Team Orienteering benchmarks: read the instances, run a solver, check, compare.

* TOP (Chao, Golden & Wasil 1996): ``n N`` / ``m M`` / ``tmax T`` then N lines ``x y score``;
  the first point is the start, the last the end, Euclidean distance, budget T per path.
* TOPTW (Solomon / Cordeau based): ``k v N t`` / ``D Q`` then N+1 lines
  ``i x y d S f a list(a) O C``; vertex 0 is start and end, Tmax = C of vertex 0, the number of
  paths is not in the file; distances are rounded down to 1 decimal (Solomon) or 2 (Cordeau),
  as the published values assume.

Reference scores are looked up beside the instances (the first folder above an instance
holding the file): ``top_bks.csv`` (instance,bks), ``top_chao1996_reported.csv``
(instance,score; 0 = none), ``results_TOPTW.csv`` (instance,m,best,...) and
``optw_m1_righini_salani.csv`` (instance,m,score: proven optima, m = 1).

``python -m benchmarks.lib.top PATH... [--time-limit S]`` (from the repository) calls
:func:`main`; ``benchmarks/top.py`` and ``benchmarks/toptw.py`` run whole sets.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from benchmarks.lib.peers import solve_greedy, solve_ortools, solve_pyvrp
from planner.errors import DataError
from planner.orienteering import Problem, Result, make_problem, solve

SOLVERS = ("planner", "pyvrp", "ortools", "greedy")

_TOP_NAME = re.compile(r"^p(\d+)\.(\d+)\.([a-z])$")


@dataclass(frozen=True, eq=False)
class Instance:
    """One benchmark instance: its name, family and the problem to solve."""

    name: str
    family: str
    """"top" or "toptw"."""
    group: str
    """The set ("1".."7") of a TOP instance, or the series (c1, r2, pr...) of a TOPTW one."""
    path: Path
    problem: Problem

    @property
    def m(self) -> int:
        return self.problem.n_routes

    @property
    def n(self) -> int:
        return self.problem.n_nodes

    @property
    def budget(self) -> float:
        return self.problem.max_durations[0]


def _euclidean(xy: np.ndarray) -> np.ndarray:
    diff = xy[:, None, :] - xy[None, :, :]
    return np.sqrt((diff**2).sum(axis=2))


def read_top(path: str | Path) -> Instance:
    """Read a Chao TOP file. Raises :class:`DataError` naming the file and line."""
    path = Path(path)
    try:
        lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc.strerror}") from exc
    header: dict[str, float] = {}
    for row, key in enumerate(("n", "m", "tmax"), start=1):
        if len(lines) < row or len(lines[row - 1]) != 2 or lines[row - 1][0] != key:
            raise DataError(path, f"expected '{key} VALUE'", row=row)
        try:
            header[key] = float(lines[row - 1][1])
        except ValueError as exc:
            raise DataError(path, f"'{key}' is not a number", row=row) from exc
    n, m, tmax = int(header["n"]), int(header["m"]), header["tmax"]
    points = lines[3:]
    if len(points) != n:
        raise DataError(path, f"expected {n} point lines, found {len(points)}")
    try:
        data = np.array([[float(v) for v in p] for p in points])
    except ValueError as exc:
        raise DataError(path, "a point line holds a value that is not a number") from exc
    if data.shape != (n, 3):
        raise DataError(path, "expected 'x y score' on every point line")
    name = path.stem
    match = _TOP_NAME.match(name)
    problem = make_problem(
        _euclidean(data[:, :2]),
        data[:, 2],
        n_routes=m,
        start=0,
        end=n - 1,
        max_duration=tmax,
        name=name,
    )
    return Instance(name, "top", match.group(1) if match else "", path, problem)


def read_toptw(path: str | Path, m: int) -> Instance:
    """Read a Solomon / Cordeau TOPTW file for ``m`` paths."""
    path = Path(path)
    try:
        tokens = path.read_text().split("\n")
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc.strerror}") from exc
    stream: list[str] = []
    body_from = 0
    for row, line in enumerate(tokens):  # the header: the first 6 numbers, however split
        stream.extend(line.split())
        if len(stream) >= 6:
            body_from = row + 1
            break
    if len(stream) != 6:
        raise DataError(path, "expected 6 header numbers 'k v N t' and 'D Q'", row=1)
    n_customers = int(stream[2])
    rows = [line.split() for line in tokens[body_from:] if line.strip()]
    if len(rows) < n_customers + 1:
        raise DataError(path, f"expected {n_customers + 1} vertex lines, found {len(rows)}")
    xy = np.zeros((n_customers + 1, 2))
    service = np.zeros(n_customers + 1)
    prize = np.zeros(n_customers + 1)
    windows = np.zeros((n_customers + 1, 2))
    for i, fields in enumerate(rows[: n_customers + 1]):
        try:
            xy[i] = float(fields[1]), float(fields[2])
            service[i] = float(fields[3])
            prize[i] = float(fields[4])
            windows[i] = float(fields[-2]), float(fields[-1])
        except (ValueError, IndexError) as exc:
            raise DataError(
                path, "expected 'i x y d S f a list O C'", row=body_from + i + 1
            ) from exc
    name = path.stem
    decimals = 2 if name.startswith("pr") else 1
    scale = 10.0**decimals
    travel = np.floor(_euclidean(xy) * scale + 1e-7) / scale
    series = re.match(r"^(c|rc|r)(\d)\d\d$", name)
    if series:
        group = series.group(1) + series.group(2)
    else:
        group = "pr01-10" if name < "pr11" else "pr11-20"
    problem = make_problem(
        travel,
        prize,
        n_routes=m,
        start=0,
        end=0,
        max_duration=float(windows[0, 1]),
        service_times=service,
        time_windows=windows,
        name=f"{name}/m{m}",
    )
    return Instance(name, "toptw", group, path, problem)


# ---- references ---------------------------------------------------------------------------


def _find_beside(path: Path, filename: str) -> Path | None:
    for folder in path.resolve().parents:
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    return None


@cache
def _read_table(path: Path) -> tuple[dict[str, str], ...]:
    with path.open(newline="") as handle:
        return tuple(csv.DictReader(handle))


def top_references(instance: Instance) -> dict[str, float]:
    """``bks`` and ``chao`` for a TOP instance, when the tables beside it have a value."""
    refs: dict[str, float] = {}
    for key, filename, column in (
        ("bks", "top_bks.csv", "bks"),
        ("chao", "top_chao1996_reported.csv", "score"),
    ):
        table = _find_beside(instance.path, filename)
        if table is None:
            continue
        for row in _read_table(table):
            if row["instance"] == instance.name and float(row[column]) > 0:
                refs[key] = float(row[column])
    return refs


def toptw_references(instance: Instance) -> dict[str, float]:
    """``best`` (results_TOPTW best) and ``opt`` (proven optimum, m = 1) when known."""
    refs: dict[str, float] = {}
    for key, filename, column in (
        ("best", "results_TOPTW.csv", "best"),
        ("opt", "optw_m1_righini_salani.csv", "score"),
    ):
        table = _find_beside(instance.path, filename)
        if table is None:
            continue
        for row in _read_table(table):
            if row["instance"] == instance.name and int(row["m"]) == instance.m:
                refs[key] = float(row[column])
    return refs


def gap(score: float, reference: float | None) -> float | None:
    """Percentage below the reference (negative when the score is above it)."""
    if reference is None or reference <= 0:
        return None
    return 100.0 * (reference - score) / reference


# ---- exact scores of small instances --------------------------------------------------------


def exhaustive_score(problem: Problem, *, max_states: int = 2_000_000) -> float | None:
    """The optimal score of a small TOP instance (identical routes, no time windows), by
    enumeration; None when it would take more than ``max_states`` labels.

    1. Label (visited set, last node) with the shortest path from the start through the set;
       extend a label only while it can still reach the end within the budget (with the
       triangle inequality no feasible path is cut). Every set with a label that reaches the
       end in time is a feasible route.
    2. Choose at most m pairwise disjoint feasible sets with the largest total prize, by
       branch and bound over the sets in decreasing prize order.

    Used to tell whether a reference score is reachable at all on these files.
    """
    if problem.time_windows is not None or len(set(problem.starts)) != 1:
        raise ValueError("exhaustive_score: only for TOP instances (one start, no windows)")
    if len(set(problem.ends)) != 1 or len(set(problem.max_durations)) != 1:
        raise ValueError("exhaustive_score: only for routes with one end and one budget")
    travel = problem.travel.tolist()
    start, end, budget = problem.starts[0], problem.ends[0], problem.max_durations[0]
    limit = budget + 1e-6
    customers = [
        int(c)
        for c in problem.customers
        if problem.prizes[c] > 0 and travel[start][c] + travel[c][end] <= limit
    ]
    bit = {c: 1 << i for i, c in enumerate(customers)}
    frontier = {(bit[c], c): travel[start][c] for c in customers}
    seen = dict(frontier)
    feasible: set[int] = set()
    while frontier:
        grown: dict[tuple[int, int], float] = {}
        for (mask, last), length in frontier.items():
            if length + travel[last][end] <= limit:
                feasible.add(mask)
            for c in customers:
                if mask & bit[c]:
                    continue
                extended = length + travel[last][c]
                key = (mask | bit[c], c)
                if extended + travel[c][end] <= limit and extended < seen.get(key, math.inf):
                    seen[key] = grown[key] = extended
            if len(seen) > max_states:
                return None
        frontier = grown
    prize = {c: float(problem.prizes[c]) for c in customers}
    sets = sorted(
        ((sum(prize[c] for c in customers if mask & bit[c]), mask) for mask in feasible),
        reverse=True,
    )
    best = 0.0

    def choose(k: int, first: int, used: int, score: float) -> None:
        nonlocal best
        best = max(best, score)
        if k == problem.n_routes:
            return
        for j in range(first, len(sets)):
            value, mask = sets[j]
            if score + value * (problem.n_routes - k) <= best:
                return
            if not mask & used:
                choose(k + 1, j + 1, used | mask, score + value)

    choose(0, 0, 0, 0.0)
    return best


# ---- running --------------------------------------------------------------------------------


def run_solver(
    solver: str, problem: Problem, *, time_limit: float, seed: int = 1, workers: int = 1
) -> Result:
    """Run one of :data:`SOLVERS` on ``problem``; its routes are checked by ``check``."""
    if solver == "planner":
        return solve(problem, time_limit=time_limit, seed=seed, workers=workers)
    if solver == "pyvrp":
        return solve_pyvrp(problem, time_limit=time_limit, seed=seed)
    if solver == "ortools":
        return solve_ortools(problem, time_limit=time_limit)
    if solver == "greedy":
        return solve_greedy(problem)
    raise ValueError(f"solver: expected one of {', '.join(SOLVERS)}, got {solver!r}")


def instance_files(paths: Iterable[str | Path]) -> list[Path]:
    """The instance files named, a folder standing for the ``*.txt`` files under it."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(
                sorted(
                    (p for p in path.rglob("*.txt") if "format" not in p.name.lower()),
                    key=_natural_key,
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise DataError(path, "no such file or folder")
    return found


def _natural_key(path: Path) -> tuple[object, ...]:
    parts = re.split(r"(\d+)", str(path))
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _number(value: float) -> float | int:
    return round(value) if abs(value - round(value)) < 1e-9 else round(value, 6)


def result_record(instance: Instance, result: Result, refs: dict[str, float]) -> dict[str, object]:
    record: dict[str, object] = {
        "instance": instance.name if instance.family == "top" else instance.problem.name,
        "solver": result.solver,
        "score": _number(result.score),
        "seconds": round(result.seconds, 3),
        "feasible": result.feasible,
    }
    for key, value in refs.items():
        g = gap(result.score, value)
        if g is not None:
            record[f"gap_to_{key}"] = round(g, 4)
    return record


@dataclass(frozen=True)
class Measurement:
    """One solver's result on one instance, with the instance's reference scores."""

    instance: str
    family: str
    group: str
    m: int
    n: int
    solver: str
    score: float
    seconds: float
    feasible: bool
    references: tuple[tuple[str, float], ...]
    """(name, score) pairs: bks and chao for TOP, best and opt for TOPTW."""

    def reference(self, key: str) -> float | None:
        return dict(self.references).get(key)

    def gap(self, key: str) -> float | None:
        return gap(self.score, self.reference(key))


REFERENCE_KEYS = {"top": ("bks", "chao"), "toptw": ("best", "opt")}


def measure(
    instance: Instance, solver: str, *, time_limit: float, seed: int = 1, workers: int = 1
) -> Measurement:
    """Run ``solver`` on ``instance`` and keep what the benchmark tables need."""
    result = run_solver(solver, instance.problem, time_limit=time_limit, seed=seed, workers=workers)
    refs = top_references(instance) if instance.family == "top" else toptw_references(instance)
    return Measurement(
        instance=instance.name,
        family=instance.family,
        group=instance.group,
        m=instance.m,
        n=instance.n,
        solver=solver,
        score=result.score,
        seconds=result.seconds,
        feasible=result.feasible,
        references=tuple(sorted(refs.items())),
    )


def csv_header(family: str) -> list[str]:
    keys = REFERENCE_KEYS[family]
    group = "set" if family == "top" else "series"
    return [
        "instance",
        group,
        "m",
        "n",
        "solver",
        "score",
        "seconds",
        "feasible",
        *keys,
        *(f"gap_{k}" for k in keys),
    ]


def csv_row(row: Measurement) -> list[object]:
    keys = REFERENCE_KEYS[row.family]
    refs = [_blank(row.reference(k)) for k in keys]
    gaps = [_blank(None if (g := row.gap(k)) is None else round(g, 4)) for k in keys]
    return [
        row.instance,
        row.group,
        row.m,
        row.n,
        row.solver,
        _number(row.score),
        round(row.seconds, 3),
        row.feasible,
        *refs,
        *gaps,
    ]


def _blank(value: float | None) -> object:
    return "" if value is None else _number(value)


def read_measurements(path: str | Path, family: str) -> list[Measurement]:
    """Read back a CSV written with :func:`csv_header` and :func:`csv_row`."""
    keys = REFERENCE_KEYS[family]
    group = "set" if family == "top" else "series"
    rows = []
    with Path(path).open(newline="") as handle:
        for record in csv.DictReader(handle):
            refs = tuple((k, float(record[k])) for k in keys if record.get(k))
            rows.append(
                Measurement(
                    instance=record["instance"],
                    family=family,
                    group=record[group],
                    m=int(record["m"]),
                    n=int(record["n"]),
                    solver=record["solver"],
                    score=float(record["score"]),
                    seconds=float(record["seconds"]),
                    feasible=record["feasible"] == "True",
                    references=refs,
                )
            )
    return rows


def _mean(values: Sequence[float], digits: int = 2) -> str:
    return f"{sum(values) / len(values):.{digits}f}" if values else "-"


def summary_table(rows: Sequence[Measurement], family: str) -> str:
    """A markdown table, one line per solver: instances run, feasible, mean gap to each
    reference (percent, over the instances that have it), how many fall below the weaker
    reference, the mean score ratio against PyVRP on the same instances, mean seconds."""
    strong, weak = REFERENCE_KEYS[family]
    solvers = list(dict.fromkeys(r.solver for r in rows))
    pyvrp = {(r.instance, r.m): r.score for r in rows if r.solver == "pyvrp"}
    head = (
        f"| solver | instances | feasible | mean gap to {strong} % (n) | mean gap to {weak} % (n) "
        f"| below {weak} | mean score / PyVRP (n) | mean s |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for solver in solvers:
        mine = [r for r in rows if r.solver == solver]
        strong_gaps = [g for r in mine if (g := r.gap(strong)) is not None]
        weak_gaps = [g for r in mine if (g := r.gap(weak)) is not None]
        below = sum(1 for r in mine if (ref := r.reference(weak)) and r.score < ref - 1e-9)
        ratios = [
            r.score / pyvrp[(r.instance, r.m)] for r in mine if pyvrp.get((r.instance, r.m), 0) > 0
        ]
        lines.append(
            f"| {solver} | {len(mine)} | {sum(r.feasible for r in mine)} "
            f"| {_mean(strong_gaps)} ({len(strong_gaps)}) | {_mean(weak_gaps)} ({len(weak_gaps)}) "
            f"| {below} | {_mean(ratios, 4)} ({len(ratios)}) | {_mean([r.seconds for r in mine])} |"
        )
    return "\n".join(lines)


def group_table(rows: Sequence[Measurement], family: str) -> str:
    """Mean gap per group (set or series) and solver: to Chao's scores (TOP), to the
    results_TOPTW best (TOPTW)."""
    weak = "chao" if family == "top" else "best"
    solvers = list(dict.fromkeys(r.solver for r in rows))
    groups = sorted({r.group for r in rows}, key=lambda g: (len(g), g))
    label = "set" if family == "top" else "series"
    lines = [
        f"| {label} | " + " | ".join(f"{s} gap to {weak} %" for s in solvers) + " |",
        "|---|" + "---:|" * len(solvers),
    ]
    for g in groups:
        cells = []
        for solver in solvers:
            gaps = [
                x
                for r in rows
                if r.group == g and r.solver == solver and (x := r.gap(weak)) is not None
            ]
            cells.append(f"{_mean(gaps)} ({len(gaps)})")
        lines.append(f"| {g} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, *, out: Callable[[str], None] = print) -> int:
    """``python -m benchmarks.lib.top PATH... [--time-limit S] [--solver NAME] [--seed N]
    [--workers N]``.

    Prints one JSON object per instance per line: instance, solver, score, seconds, feasible,
    and gap_to_bks / gap_to_chao (percent below the reference) when known. Returns 0.
    """
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.lib.top", description="Run a solver on Chao's TOP instances."
    )
    parser.add_argument("paths", nargs="+", help="instance files or folders of them")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--solver", choices=SOLVERS, default="planner")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="planner portfolio processes")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    for path in instance_files(args.paths):
        instance = read_top(path)
        result = run_solver(
            args.solver,
            instance.problem,
            time_limit=args.time_limit,
            seed=args.seed,
            workers=args.workers,
        )
        out(json.dumps(result_record(instance, result, top_references(instance))))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
