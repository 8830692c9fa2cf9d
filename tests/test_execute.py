"""Provinces run as independent tasks: local pool, Dask cluster, and resume after a kill."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from planner.execute import Checkpoints, DaskExecutor, LocalExecutor, ProvinceTask, run_tasks
from planner.geo.load import load_geodata
from planner.plan import ProvincePlan
from planner.problem import build_province_problem
from planner.scenario import load_scenario
from planner.travel import travel_source

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = ROOT / "scenarios" / "vietnam-2020-may.toml"
# Two small provinces, three days, short limit: fast, but real data and the real solver.
CODES = ("48", "93")


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The progress lines of `planner run` in English (PLANNER_LANG=en, inherited by the
    subprocesses), so that "resumed" is the word looked for."""
    monkeypatch.setenv("PLANNER_LANG", "en")


@pytest.fixture(scope="module")
def tasks() -> list[ProvinceTask]:
    scenario = load_scenario(NATIONAL)
    scenario = scenario.model_copy(
        update={
            "campaign": scenario.campaign.model_copy(
                update={"end": scenario.campaign.start.replace(day=25)}
            )
        }
    )
    geo = load_geodata(scenario.structure, province_codes=list(CODES))
    return [
        ProvinceTask(
            problem=build_province_problem(geo, scenario, NATIONAL, code),
            travel=travel_source(scenario.travel, NATIONAL),
            time_limit=1.0,
            seed=3,
            solver_workers=1,
        )
        for code in CODES
    ]


@pytest.fixture(scope="module")
def serial(tasks: list[ProvinceTask]) -> list[ProvincePlan]:
    return run_tasks(tasks, LocalExecutor(workers=1))


def _routes(plans: list[ProvincePlan]) -> list[object]:
    return [(p.province_code, p.routes, p.unserved) for p in plans]


def test_process_pool_gives_the_serial_plan(
    tasks: list[ProvinceTask], serial: list[ProvincePlan]
) -> None:
    parallel = run_tasks(tasks, LocalExecutor(workers=2))
    assert [p.province_code for p in parallel] == list(CODES)
    assert _routes(parallel) == _routes(serial)


def test_dask_local_cluster_gives_the_serial_plan(
    tasks: list[ProvinceTask], serial: list[ProvincePlan]
) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = run_tasks(tasks, DaskExecutor(cluster.scheduler_address))
    assert _routes(on_dask) == _routes(serial)


def test_resume_takes_finished_provinces_and_recomputes_the_rest(
    tasks: list[ProvinceTask], serial: list[ProvincePlan], tmp_path: Path
) -> None:
    checkpoints = Checkpoints(tmp_path / ".partial")
    checkpoints.save(tasks[0], serial[0])  # as if the run had been killed after the first province
    resumed: list[str] = []
    plans = run_tasks(
        tasks,
        LocalExecutor(workers=1),
        checkpoints=checkpoints,
        on_province=lambda _, plan, was_resumed: (
            resumed.append(plan.province_code) if was_resumed else None
        ),
    )
    assert resumed == [CODES[0]]
    assert _routes(plans) == _routes(serial)
    # Kept provinces are data (JSON), never code.
    assert sorted(p.suffix for p in (tmp_path / ".partial").iterdir()) == [".json", ".json"]


def test_a_kept_province_whose_inputs_changed_is_planned_again(
    tasks: list[ProvinceTask], serial: list[ProvincePlan], tmp_path: Path
) -> None:
    checkpoints = Checkpoints(tmp_path / ".partial")
    checkpoints.save(tasks[0], serial[0])
    assert checkpoints.load(tasks[0]) == (serial[0], None)
    problem = tasks[0].problem
    first = problem.communes[0]
    edited = replace(
        tasks[0],
        problem=replace(
            problem,
            communes=(replace(first, population=first.population + 1), *problem.communes[1:]),
        ),
    )
    plan, why = checkpoints.load(edited)
    assert plan is None and why is not None and "inputs" in why
    plan, why = checkpoints.load(replace(tasks[0], seed=tasks[0].seed + 1))
    assert plan is None and why is not None and "limits" in why
    # Another version's file, a truncated file, or a pickle: ignored with a reason, never run.
    path = tmp_path / ".partial" / f"{CODES[0]}.json"
    for content in (b"\x80\x04\x95 pickle", b'{"fingerprint": {"code": "x"}', b"[]"):
        path.write_bytes(content)
        plan, why = checkpoints.load(tasks[0])
        assert plan is None and why, content


def test_resume_after_editing_a_data_file_replans_that_province(tmp_path: Path) -> None:
    """A user's communes file edited between the kill and --resume: the province is re-planned."""
    import subprocess
    import sys

    from planner.runner import RunSettings, plan_scenarios, scenario_job

    geo = load_geodata("2020", province_codes=["27"])
    columns = [c for c in geo.communes.columns if c != "geometry"]
    communes = tmp_path / "communes.csv"
    geo.communes[columns].to_csv(communes, index=False)
    scenario = tmp_path / "mine.toml"
    scenario.write_text(
        f'extends = "{(ROOT / "scenarios" / "demo.toml").as_posix()}"\nname = "mine"\n'
        '[campaign]\nstart = 2020-05-25\nend = 2020-05-26\n[data]\ncommunes = "communes.csv"\n',
        encoding="utf-8",
    )
    out = tmp_path / "mine"
    settings = RunSettings(time_limit=1, seed=1, workers=1, out_dir=out)
    job = scenario_job(scenario, settings)
    # What a killed run leaves: the province kept, no outputs yet.
    plan_scenarios([job], settings, checkpoints=[Checkpoints(tmp_path / ".mine.partial")])
    assert (tmp_path / ".mine.partial" / "27.json").is_file()
    # The user then corrects a population in their own file (the path does not change).
    frame = geo.communes[columns].copy()
    frame.loc[0, "population"] = int(frame.loc[0, "population"]) * 3
    frame.loc[0, "target_people"] = int(frame.loc[0, "target_people"]) * 3
    frame.to_csv(communes, index=False)
    resumed = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner.cli",
            "run",
            str(scenario),
            "--out",
            str(out),
            "--time-limit",
            "1",
            "--seed",
            "1",
            "--workers",
            "1",
            "--resume",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = [x for x in resumed.stderr.splitlines() if "kept result not used" in x]
    assert line.startswith("27: ") and "inputs" in line and "limits" not in line, line
    assert "resumed" not in resumed.stderr


def test_killed_run_resumes_to_the_same_outputs(tmp_path: Path) -> None:
    """Kill `planner run` once a province is kept, resume, and compare with a clean run."""
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    scenario = tmp_path / "short.toml"
    scenario.write_text(
        f'extends = "{NATIONAL.as_posix()}"\nname = "short"\nprovinces = ["48", "93", "95"]\n'
        "[campaign]\nstart = 2020-05-23\nend = 2020-05-26\n[covid]\ntimeline = []\n",
        encoding="utf-8",
    )
    base = [
        sys.executable,
        "-m",
        "planner.cli",
        "run",
        str(scenario),
        "--time-limit",
        "2",
        "--workers",
        "1",
        "--quiet",
    ]
    clean = tmp_path / "clean"
    subprocess.run([*base, "--out", str(clean)], check=True, capture_output=True)

    out = tmp_path / "killed"
    partial = tmp_path / ".killed.partial"
    shutil.copytree(clean, out)  # the outputs of an earlier run, which a kill must not touch
    (out / "marker").write_text("earlier run", encoding="utf-8")
    proc = subprocess.Popen(
        [*base, "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while not list(partial.glob("*.json")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    kept = sorted(p.stem for p in partial.glob("*.json"))
    assert kept, "killed after keeping a province"
    assert (out / "marker").read_text(encoding="utf-8") == "earlier run", "earlier outputs intact"

    resumed = subprocess.run(
        [*base[:-1], "--out", str(out), "--resume"], check=True, capture_output=True, text=True
    )
    assert f"{len(kept)}" in resumed.stderr or resumed.returncode == 0
    for name in ("schedule.csv", "routes.csv", "unserved.csv"):
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    assert not partial.exists(), "the kept provinces are removed once the outputs are in place"
    assert not (out / "marker").exists(), "the resumed run replaced the earlier outputs whole"
    assert not list(tmp_path.glob(".killed.tmp-*")), "no half-written folder is left"
