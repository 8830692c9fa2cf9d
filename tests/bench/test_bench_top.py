"""Reading the TOP / TOPTW instances and their references, and the JSON-lines runner
(`python -m benchmarks.lib.top`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.lib.top import (
    Measurement,
    exhaustive_score,
    group_table,
    main,
    read_top,
    read_toptw,
    summary_table,
    top_references,
    toptw_references,
)
from planner.errors import DataError

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks"
needs_shared = pytest.mark.skipif(
    not (SHARED / "top").is_dir(), reason=f"the benchmark instances are not at {SHARED}"
)


@needs_shared
def test_a_set_4_file_is_read_with_its_header_start_and_end() -> None:
    instance = read_top(SHARED / "top" / "Set_100_234" / "p4.2.a.txt")
    problem = instance.problem
    assert (instance.name, instance.group, instance.n, instance.m) == ("p4.2.a", "4", 100, 2)
    assert problem.max_durations == (25.0, 25.0)
    assert problem.starts == (0, 0) and problem.ends == (99, 99)
    assert len(problem.customers) == 98
    assert problem.travel[0, 1] == pytest.approx(
        ((18.19 - 15.52) ** 2 + (6.32 - 28.03) ** 2) ** 0.5
    )
    assert top_references(instance) == {"bks": 206.0, "chao": 206.0}


@needs_shared
def test_a_set_1_file_is_read_and_a_zero_chao_score_is_no_reference() -> None:
    instance = read_top(SHARED / "top" / "Set_32_234" / "p1.2.a.txt")
    assert (instance.n, instance.m, instance.budget) == (32, 2, 2.5)
    assert instance.problem.ends == (31, 31)
    assert top_references(instance) == {}


@needs_shared
@pytest.mark.parametrize(
    ("name", "m", "n", "budget", "refs"),
    [
        ("c101", 1, 101, 1236.0, {"best": 320.0, "opt": 320.0}),
        ("c204", 2, 101, 3390.0, {"best": 1440.0}),  # the header is split over two lines
        ("pr01", 3, 49, 1000.0, {"best": 602.0}),  # CRLF line ends, 2-decimal rounding
    ],
)
def test_toptw_files_are_read_with_windows_and_rounded_distances(name, m, n, budget, refs) -> None:
    instance = read_toptw(SHARED / "toptw" / f"{name}.txt", m)
    problem = instance.problem
    assert (instance.n, instance.m, instance.budget) == (n, m, budget)
    assert problem.starts == (0,) * m and problem.ends == (0,) * m
    assert problem.time_windows is not None and problem.time_windows[0, 1] == budget
    decimals = 2 if name.startswith("pr") else 1
    scaled = problem.travel * 10**decimals
    assert abs(scaled - scaled.round()).max() < 1e-6
    assert toptw_references(instance) == refs
    assert instance.group == {"c101": "c1", "c204": "c2", "pr01": "pr01-10"}[name]


def test_a_malformed_top_file_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "missing_tmax.txt"
    bad.write_text("n 3\nm 1\n0 0 0\n1 1 5\n2 2 0\n")
    with pytest.raises(DataError, match=r"missing_tmax.txt, row 3: expected 'tmax VALUE'"):
        read_top(bad)
    short = tmp_path / "short.txt"
    short.write_text("n 3\nm 1\ntmax 5\n0 0 0\n1 1 5\n")
    with pytest.raises(DataError, match="expected 3 point lines, found 2"):
        read_top(short)


def test_main_prints_one_json_line_per_instance(tmp_path: Path) -> None:
    folder = tmp_path / "top" / "Set_9"
    folder.mkdir(parents=True)
    (folder / "p9.2.a.txt").write_text("n 4\nm 2\ntmax 3.0\n0 0 0\n1 0 5\n1 1 7\n0 1 0\n")
    (folder / "p9.2.b.txt").write_text("n 4\nm 2\ntmax 1.0\n0 0 0\n1 0 5\n1 1 7\n0 1 0\n")
    (tmp_path / "top_chao1996_reported.csv").write_text("instance,score\np9.2.a,12\np9.2.b,0\n")
    lines: list[str] = []
    code = main([str(folder), "--time-limit", "0.5", "--solver", "greedy"], out=lines.append)
    assert code == 0
    records = [json.loads(line) for line in lines]
    assert [r["instance"] for r in records] == ["p9.2.a", "p9.2.b"]
    assert records[0] == {
        "instance": "p9.2.a",
        "solver": "greedy",
        "score": 12,
        "seconds": records[0]["seconds"],
        "feasible": True,
        "gap_to_chao": 0.0,
    }
    assert records[1]["score"] == 0 and "gap_to_chao" not in records[1]


def test_the_summary_tables_count_gaps_ratios_and_scores_below_chao() -> None:
    def row(
        instance: str, solver: str, score: float, bks: float | None, chao: float
    ) -> Measurement:
        refs = (("chao", chao),) + ((("bks", bks),) if bks else ())
        return Measurement(instance, "top", "4", 2, 100, solver, score, 1.0, True, refs)

    rows = [
        row("p4.2.a", "planner", 99, 100, 98),
        row("p4.2.a", "pyvrp", 90, 100, 98),
        row("p4.3.a", "planner", 50, None, 50),
        row("p4.3.a", "pyvrp", 50, None, 50),
    ]
    table = summary_table(rows, "top").splitlines()
    assert table[2] == "| planner | 2 | 2 | 1.00 (1) | -0.51 (2) | 0 | 1.0500 (2) | 1.00 |"
    assert table[3] == "| pyvrp | 2 | 2 | 10.00 (1) | 4.08 (2) | 1 | 1.0000 (2) | 1.00 |"
    assert group_table(rows, "top").splitlines()[2] == "| 4 | -0.51 (2) | 4.08 (2) |"


def test_the_exhaustive_score_matches_a_brute_force_on_a_tiny_instance() -> None:
    import itertools

    import numpy as np

    from planner.orienteering import check, make_problem

    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 10, size=(8, 2))
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    prizes = rng.integers(1, 9, size=8).astype(float)
    problem = make_problem(travel, prizes, n_routes=2, start=0, end=7, max_duration=11.0)
    inner = [int(c) for c in problem.customers]
    routes = [
        [0, *order, 7]
        for size in range(len(inner) + 1)
        for subset in itertools.combinations(inner, size)
        for order in itertools.permutations(subset)
    ]
    best = max(
        check(problem, [a, b])[1]
        for a in routes
        if check(problem, [a, [0, 7]])[0]
        for b in routes
        if not set(a[1:-1]) & set(b[1:-1]) and check(problem, [b, [0, 7]])[0]
    )
    assert exhaustive_score(problem) == best
    assert exhaustive_score(problem, max_states=3) is None
