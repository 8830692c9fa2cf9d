"""Run solvers on Chao's Team Orienteering (TOP) instances and compare with the references.

    python benchmarks/top.py [--sets 1,2,...] [--every K] [--limit N] [--time-limit 10]
        [--solvers planner,pyvrp,ortools,greedy] [--seed 1] [--workers 1]
        [--out benchmarks/results/top.csv]
    python benchmarks/top.py --summary benchmarks/results/top.csv

The instances are read from ../shared/benchmarks/top beside this repository (or --root),
never copied here. Each instance is run by each solver in turn; a CSV row is written as soon
as it is measured (instance, set, m, n, solver, score, seconds, feasible, bks, chao,
gap_bks, gap_chao; gaps in percent below the reference). At the end a markdown table:
mean gap to the best-known scores (Set 4 rows that have one), mean gap to Chao et al. (1996),
how many scores fall below Chao's, the mean score ratio against PyVRP, per solver.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

# Run as a script, only benchmarks/ is on the path: add the repository for `benchmarks.lib`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.lib.top import (
    SOLVERS,
    Measurement,
    csv_header,
    csv_row,
    exhaustive_score,
    group_table,
    instance_files,
    measure,
    read_measurements,
    read_top,
    summary_table,
)

REPO = Path(__file__).resolve().parents[1]
SET_FOLDERS = {1: "Set_32_234", 2: "Set_21_234", 3: "Set_33_234", 4: "Set_100_234",
               5: "Set_66_234", 6: "Set_64_234", 7: "Set_102_234"}  # fmt: skip


def select(root: Path, sets: list[int], every: int, offset: int, limit: int | None) -> list[Path]:
    """Every ``every``-th instance of each set (from ``offset``, in name order), at most
    ``limit`` per set."""
    chosen: list[Path] = []
    for number in sets:
        files = instance_files([root / SET_FOLDERS[number]])
        picked = files[offset::every]
        chosen.extend(picked[:limit] if limit is not None else picked)
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--root", type=Path, default=REPO.parent / "shared" / "benchmarks" / "top")
    parser.add_argument("--sets", default="1,2,3,4,5,6,7")
    parser.add_argument("--every", type=int, default=1, help="take every K-th instance of a set")
    parser.add_argument("--offset", type=int, default=0, help="... starting from this one")
    parser.add_argument("--limit", type=int, default=None, help="at most N instances per set")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--solvers", default=",".join(SOLVERS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="planner portfolio processes")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "top.csv")
    parser.add_argument("--summary", type=Path, help="only summarise an existing CSV")
    parser.add_argument(
        "--certify",
        action="store_true",
        help="for each instance where every solver is below Chao's score, compute the exact "
        "optimum by enumeration when the instance is small enough",
    )
    args = parser.parse_args()

    if args.summary is not None:
        rows = read_measurements(args.summary, "top")
    else:
        solvers = [s for s in args.solvers.split(",") if s]
        unknown = sorted(set(solvers) - set(SOLVERS))
        if unknown:
            parser.error(f"--solvers: unknown {', '.join(unknown)}")
        sets = [int(s) for s in args.sets.split(",") if s]
        files = select(args.root, sets, args.every, args.offset, args.limit)
        rows = []
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(csv_header("top"))
            for k, path in enumerate(files, start=1):
                instance = read_top(path)
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
                        f"[{k}/{len(files)}] {row.instance} {solver}: {row.score:g} "
                        f"(bks {row.reference('bks')}, chao {row.reference('chao')}) "
                        f"{row.seconds:.1f} s{'' if row.feasible else ' INFEASIBLE'}",
                        file=sys.stderr,
                        flush=True,
                    )
    print(summary_table(rows, "top"))
    print()
    print(group_table(rows, "top"))
    if args.certify:
        print()
        print(certify_table(rows, args.root))
    return 0


def certify_table(rows: list[Measurement], root: Path) -> str:
    """Instances where no solver reached Chao's score, with the exact optimum when the
    enumeration of :func:`exhaustive_score` fits in its limit."""
    best: dict[str, float] = {}
    chao: dict[str, float] = {}
    for row in rows:
        best[row.instance] = max(best.get(row.instance, 0.0), row.score)
        if (value := row.reference("chao")) is not None:
            chao[row.instance] = value
    lines = [
        "| instance | Chao 1996 | best of the solvers | exact optimum |",
        "|---|---:|---:|---:|",
    ]
    for name in sorted(chao, key=lambda n: [int(x) if x.isdigit() else x for x in n.split(".")]):
        if best[name] >= chao[name] - 1e-9:
            continue
        number = int(name.split(".")[0][1:])
        instance = read_top(root / SET_FOLDERS[number] / f"{name}.txt")
        exact = exhaustive_score(instance.problem, max_states=1_000_000)
        shown = "too large to enumerate" if exact is None else f"{exact:g}"
        lines.append(f"| {name} | {chao[name]:g} | {best[name]:g} | {shown} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
