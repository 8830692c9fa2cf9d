"""benchmarks/core_alone.py: the core alone on the planner's TOP of a province (Đà Nẵng's
first 3 days, 1 s: 12 iterations and 0.9 units of work)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.lib.core_alone import core_runs, main, table
from planner.solve.core import ITERATIONS_PER_SECOND, WHOLE_PLAN_WORK_PER_SECOND

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "vietnam-2020-may.toml"


def test_the_core_alone_gives_the_same_value_for_a_seed_and_follows_its_settings() -> None:
    runs = core_runs(SCENARIO, ["48"], [3], [1, 2], time_limit=1.0)
    assert [(r.province, r.days, r.seed) for r in runs] == [("48", 3, 1), ("48", 3, 2)]
    for r in runs:
        assert r.value > 0 and r.team_days >= 1
        assert r.iterations >= round(ITERATIONS_PER_SECOND * 1.0)  # the iterations asked for
        assert r.work >= WHOLE_PLAN_WORK_PER_SECOND * 1.0  # on to the work limit
    again = core_runs(SCENARIO, ["48"], [3], [1], time_limit=1.0)
    assert again[0].value == runs[0].value and again[0].iterations == runs[0].iterations
    # a changed setting reaches the search: without the work limit it stops at its iterations
    other = core_runs(SCENARIO, ["48"], [3], [1], time_limit=1.0, settings=(("work_limit", 0.0),))
    assert other[0].iterations < runs[0].iterations and other[0].work < runs[0].work
    text = table(runs)
    assert "| 48 | 3 | 1 |" in text and "| 48 | 3 | 2 |" in text
    assert "mean value" in text  # two seeds: the mean per province and horizon


def test_a_bad_setting_or_time_limit_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, named in (
        (["--core-params", "treshold=0.1"], "treshold"),
        (["--time-limit", "0"], "--time-limit"),
        (["--seeds", "1,1"], "seed 1 is given twice"),
    ):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
        assert named in capsys.readouterr().err
