"""Run solvers on the TOPTW instances (Solomon and Cordeau based, m = 1..4 paths).

    python benchmarks/toptw.py [--series c1,c2,r1,r2,rc1,rc2,pr] [--m 1,2,3,4] [--every K]
        [--limit N] [--time-limit 10] [--solvers planner,pyvrp,ortools,greedy] [--seed 1]
        [--out benchmarks/results/toptw.csv]
    python benchmarks/toptw.py --summary benchmarks/results/toptw.csv

The instances are read from ../shared/benchmarks/toptw beside this repository (or --root).
CSV columns: instance, series, m, n, solver, score, seconds, feasible, best, opt, gap_best,
gap_opt. ``best`` is the Best column of results_TOPTW (a peer's results, algorithm not
stated), ``opt`` the proven optimum for m = 1 (Righini & Salani), when known. At the end a
markdown table per solver: mean gap to best and to opt, how many scores fall below the
published optimum, the mean score ratio against PyVRP.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

# Run as a script, only benchmarks/ is on the path: add the repository for `benchmarks.lib`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.lib.top import (
    SOLVERS,
    csv_header,
    csv_row,
    group_table,
    measure,
    read_measurements,
    read_toptw,
    summary_table,
)

REPO = Path(__file__).resolve().parents[1]
SERIES = ("c1", "c2", "r1", "r2", "rc1", "rc2", "pr")


def series_of(name: str) -> str:
    """c1, c2, r1, r2, rc1, rc2 (Solomon) or pr (Cordeau: pr01-pr20), for --series; the
    tables split pr into pr01-10 and pr11-20."""
    match = re.match(r"^(c|rc|r)(\d)\d\d$", name)
    return f"{match.group(1)}{match.group(2)}" if match else "pr"


def select(root: Path, series: list[str], every: int, offset: int, limit: int | None) -> list[Path]:
    """Every ``every``-th instance of each series (from ``offset``), at most ``limit`` each."""
    files = sorted(p for p in root.glob("*.txt") if "format" not in p.name.lower())
    chosen: list[Path] = []
    for name in series:
        members = sorted((p for p in files if series_of(p.stem) == name), key=lambda p: p.stem)
        picked = members[offset::every]
        chosen.extend(picked[:limit] if limit is not None else picked)
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--root", type=Path, default=REPO.parent / "shared" / "benchmarks" / "toptw"
    )
    parser.add_argument("--series", default=",".join(SERIES))
    parser.add_argument("--m", default="1,2,3,4", help="numbers of paths")
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--solvers", default=",".join(SOLVERS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "toptw.csv")
    parser.add_argument("--summary", type=Path, help="only summarise an existing CSV")
    args = parser.parse_args()

    if args.summary is not None:
        rows = read_measurements(args.summary, "toptw")
    else:
        solvers = [s for s in args.solvers.split(",") if s]
        unknown = sorted(set(solvers) - set(SOLVERS))
        if unknown:
            parser.error(f"--solvers: unknown {', '.join(unknown)}")
        series = [s for s in args.series.split(",") if s]
        paths = [int(m) for m in args.m.split(",") if m]
        files = select(args.root, series, args.every, args.offset, args.limit)
        rows = []
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(csv_header("toptw"))
            total = len(files) * len(paths)
            k = 0
            for path in files:
                for m in paths:
                    k += 1
                    instance = read_toptw(path, m)
                    for solver in solvers:
                        row = measure(
                            instance,
                            solver,
                            time_limit=args.time_limit,
                            seed=args.seed,
                            workers=args.workers,
                        )
                        rows.append(row)
                        writer.writerow(csv_row(row))
                        handle.flush()
                        print(
                            f"[{k}/{total}] {row.instance} m={m} {solver}: {row.score:g} "
                            f"(best {row.reference('best')}, opt {row.reference('opt')}) "
                            f"{row.seconds:.1f} s{'' if row.feasible else ' INFEASIBLE'}",
                            file=sys.stderr,
                            flush=True,
                        )
    print(summary_table(rows, "toptw"))
    print()
    print(group_table(rows, "toptw"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
