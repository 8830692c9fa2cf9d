"""Time the national plan: wall time and peak memory of `planner run`, median of several runs.

    python benchmarks/national.py [--runs 3] [--time-limit S] [--workers 2] [--keep DIR] [SCENARIO]

Each run is a fresh `planner run` process (all provinces, outputs written); peak memory is
the largest total resident set of the run's whole process tree (the main process and its
workers together), sampled from /proc five times a second.
Prints one CSV line per run and the medians, and the plan value, so that quality can be
compared between time limits (e.g. --time-limit 8 against --time-limit 40), and the 1-minute
load average at the end of each run (above 2 means something else shared the 2 cores).
With --keep DIR the last run's plan folder is kept there (its summary.json has the history,
realism, capacity and launch blocks quoted in the notes).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tree_rss_kb(root: int) -> float:
    """Total resident set (kB) of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in stat.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields.get("PPid", "0").strip())
        rss[pid] = float(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0.0
    total = 0.0
    for pid in rss:
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        if p == root:
            total += rss[pid]
    return total


def one_run(scenario: Path, time_limit: float | None, workers: int, out: Path) -> dict[str, float]:
    command = [
        sys.executable,
        "-m",
        "planner.cli",
        "run",
        str(scenario),
        "--out",
        str(out),
        "--quiet",
    ]
    command += ["--workers", str(workers)]
    if time_limit is not None:
        command += ["--time-limit", str(time_limit)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_kb = 0.0
    while proc.poll() is None:
        peak_kb = max(peak_kb, tree_rss_kb(proc.pid))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"planner run failed: {proc.stderr.read() if proc.stderr else ''}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {
        "wall_s": wall,
        "peak_mb": peak_kb / 1024,
        "objective": summary["objective"],
        "upper_bound": summary["upper_bound"],
        "greedy_value": summary["greedy_value"],
        "provinces": len(summary["provinces"]),
        "load_1min": float(Path("/proc/loadavg").read_text().split()[0]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "scenario", nargs="?", type=Path, default=ROOT / "scenarios" / "vietnam-2020-may.toml"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the last run's plan folder here")
    args = parser.parse_args()
    rows = []
    print("run,provinces,wall_s,peak_mb,objective,upper_bound,greedy_value,load_1min", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            row = one_run(args.scenario, args.time_limit, args.workers, Path(tmp) / f"run{i}")
            rows.append(row)
            print(
                f"{i + 1},{row['provinces']:.0f},{row['wall_s']:.1f},{row['peak_mb']:.0f},"
                f"{row['objective']:.0f},{row['upper_bound']:.0f},{row['greedy_value']:.0f},"
                f"{row['load_1min']:.2f}",
                flush=True,
            )
        if args.keep is not None:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(Path(tmp) / f"run{args.runs - 1}", args.keep)
    print(
        f"median,,{statistics.median(r['wall_s'] for r in rows):.1f},"
        f"{statistics.median(r['peak_mb'] for r in rows):.0f},"
        f"{statistics.median(r['objective'] for r in rows):.0f},,",
        flush=True,
    )


if __name__ == "__main__":
    main()
