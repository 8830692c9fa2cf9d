"""Output folders never destroy what the planner did not write; locked; crash-safe; Ctrl-C clean.

The folder logic is tested directly (fast), and through `planner run` / `compare` / `sweep`
where a user meets it. Runs that solve use a three-day, one-province scenario and a short
limit. Kills are injected in a child process at each point of the final move.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from planner.cli import main
from planner.output_folder import (
    MANIFEST,
    Manifest,
    OutputFolder,
    OutputFolderError,
    check_target,
    read_manifest,
    write_folder,
)

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "scenarios" / "demo.toml"
PLAN = Manifest(kind="plan", scenario="demo")


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's lines in English (PLANNER_LANG=en, inherited by the subprocesses): the
    words these tests look for; Vietnamese, the default, is tested in tests/test_messages.py."""
    monkeypatch.setenv("PLANNER_LANG", "en")


def _tiny_scenario(folder: Path, name: str = "tiny") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(
        f'extends = "{DEMO.as_posix()}"\nname = "{name}"\n'
        "[campaign]\nstart = 2020-05-25\nend = 2020-05-26\n",
        encoding="utf-8",
    )
    return path


def _plan_folder(path: Path, scenario: str = "demo", marker: str = "old") -> Path:
    def fill(tmp: Path) -> None:
        (tmp / "summary.json").write_text(json.dumps({"scenario": scenario}), encoding="utf-8")
        (tmp / "schedule.csv").write_text("team_id\n", encoding="utf-8")
        (tmp / "marker").write_text(marker, encoding="utf-8")

    return write_folder(path, Manifest(kind="plan", scenario=scenario), fill)


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("planner: error: "), err
    assert "Traceback" not in err[0]
    return err[0]


# --- what may be replaced ---------------------------------------------------------------


def test_missing_and_empty_targets_are_fine(tmp_path: Path) -> None:
    check_target(tmp_path / "new", PLAN)
    (tmp_path / "empty").mkdir()
    check_target(tmp_path / "empty", PLAN)


def test_a_file_is_never_replaced(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="is a file"):
        check_target(notes, PLAN, force=True)


def test_a_folder_of_other_files_is_never_replaced_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mine.toml").write_text("name = 'x'", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="did not write"):
        check_target(tmp_path / "scenarios", PLAN, force=True)


def test_a_plan_of_the_same_scenario_is_a_rerun(tmp_path: Path) -> None:
    _plan_folder(tmp_path / "demo")
    check_target(tmp_path / "demo", PLAN)


def test_another_scenarios_plan_needs_force(tmp_path: Path) -> None:
    _plan_folder(tmp_path / "other", scenario="other")
    with pytest.raises(OutputFolderError, match="--force"):
        check_target(tmp_path / "other", PLAN)
    check_target(tmp_path / "other", PLAN, force=True)


def test_a_plan_written_before_manifests_is_recognised(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "summary.json").write_text('{"scenario": "demo"}', encoding="utf-8")
    (legacy / "schedule.csv").write_text("team_id\n", encoding="utf-8")
    assert read_manifest(legacy) == Manifest(kind="plan", scenario="demo")
    check_target(legacy, PLAN)


def test_the_manifest_is_written_and_the_old_plan_replaced(tmp_path: Path) -> None:
    target = _plan_folder(tmp_path / "demo", marker="old")
    _plan_folder(target, marker="new")
    assert (target / "marker").read_text(encoding="utf-8") == "new"
    assert read_manifest(target) is not None
    assert json.loads((target / MANIFEST).read_text(encoding="utf-8"))["kind"] == "plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


# --- through the command line: refused at once, nothing touched ----------------------------


@pytest.mark.parametrize("where", ["parent_of_plans", "scenarios", "file", "current"])
def test_run_refuses_an_out_that_is_not_a_plan_before_solving(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = _tiny_scenario(tmp_path)
    outputs = tmp_path / "outputs"
    _plan_folder(outputs / "a", scenario="a")
    _plan_folder(outputs / "b", scenario="b")
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = {"parent_of_plans": outputs, "scenarios": tmp_path, "file": notes, "current": Path(".")}[
        where
    ]
    before = sorted(
        str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if not p.name.endswith(".lock")
    )
    started = time.monotonic()
    assert main(["run", str(scenario), "--out", str(out), "--quiet", "--force"]) == 2
    assert time.monotonic() - started < 20, "refused before solving"
    line = _one_error_line(capsys)
    assert "--out" in line
    after = sorted(
        str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if not p.name.endswith(".lock")
    )
    assert after == before
    assert notes.read_text(encoding="utf-8") == "mine"


def test_compare_refuses_a_folder_of_other_files_and_replaces_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.compare.factory import baseline_plan, variant_plan, write_plan_folder

    base = write_plan_folder(tmp_path / "base", baseline_plan())
    variant = write_plan_folder(tmp_path / "variant", variant_plan())
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "report.docx").write_bytes(b"x")
    assert main(["compare", str(base), str(variant), "--out", str(folder), "--force"]) == 2
    assert "did not write" in _one_error_line(capsys)
    assert sorted(p.name for p in folder.iterdir()) == ["report.docx"]
    # its own earlier comparison is replaced; a plan folder only with --force
    compare = tmp_path / "compare"
    assert main(["compare", str(base), str(variant), "--out", str(compare)]) == 0
    assert main(["compare", str(base), str(variant), "--out", str(compare)]) == 0
    found = read_manifest(compare)
    assert found is not None and found.kind == "compare"
    capsys.readouterr()
    other = _plan_folder(tmp_path / "other", scenario="other")
    assert main(["compare", str(base), str(variant), "--out", str(other)]) == 2
    assert "--force" in _one_error_line(capsys)


# --- the lock -------------------------------------------------------------------------------


def test_a_second_claim_of_a_locked_folder_is_refused(tmp_path: Path) -> None:
    with (
        OutputFolder(tmp_path / "demo", PLAN),
        pytest.raises(OutputFolderError, match="another planner run"),
    ):
        OutputFolder(tmp_path / "demo", PLAN).claim()
    OutputFolder(tmp_path / "demo", PLAN).claim()  # released on exit


def test_two_runs_started_together_leave_one_complete_plan(tmp_path: Path) -> None:
    scenario = _tiny_scenario(tmp_path)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "planner.cli",
        "run",
        str(scenario),
        "--out",
        str(out),
        "--time-limit",
        "1",
        "--workers",
        "1",
        "--quiet",
    ]
    for _ in range(3):
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        results = [(r.wait(timeout=300), r.stderr.read() if r.stderr else "") for r in runs]
        codes = sorted(code for code, _ in results)
        assert codes[0] == 0, results
        for code, err in results:
            if code != 0:
                assert code == 2 and "another planner run" in err and "Traceback" not in err
        for name in ("summary.json", "schedule.csv", "plan.gpkg", MANIFEST):
            assert (out / name).is_file(), name
        assert [p.name for p in tmp_path.glob(".out.tmp-*")] == []


# --- kills at every point of the final move ------------------------------------------------

_KILL_SCRIPT = textwrap.dedent(
    """
    import os, shutil, signal, sys
    from pathlib import Path
    import planner.output_folder as of

    target, point = Path(sys.argv[1]), sys.argv[2]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def fill(tmp):
        (tmp / "summary.json").write_text('{"scenario": "demo"}', encoding="utf-8")
        (tmp / "schedule.csv").write_text("team_id\\n", encoding="utf-8")
        (tmp / "marker").write_text("new", encoding="utf-8")
        if point == "while_writing":
            die()

    exchange, replace, rmtree = of._exchange, os.replace, shutil.rmtree
    if point == "after_exchange":
        of._exchange = lambda a, b: (exchange(a, b), die())
    if point == "while_removing_old":
        def partial_rmtree(path, ignore_errors=False):
            (Path(path) / "marker").unlink()
            die()
        of.shutil.rmtree = partial_rmtree
    if point.startswith("fallback"):
        of._exchange = lambda a, b: False
        calls = []
        def replace_then_die(a, b):
            calls.append(a)
            replace(a, b)
            if point == "fallback_between_renames" and len(calls) == 1:
                die()
            if point == "fallback_after_renames" and len(calls) == 2:
                die()
        of.os.replace = replace_then_die
    of.write_folder(target, of.Manifest(kind="plan", scenario="demo"), fill)
    """
)


@pytest.mark.parametrize(
    "point",
    [
        "while_writing",
        "after_exchange",
        "while_removing_old",
        "fallback_between_renames",
        "fallback_after_renames",
    ],
)
def test_a_kill_during_the_final_move_leaves_the_old_plan_or_the_new(
    point: str, tmp_path: Path
) -> None:
    target = _plan_folder(tmp_path / "demo", marker="old")
    script = tmp_path / "kill.py"
    script.write_text(_KILL_SCRIPT, encoding="utf-8")
    killed = subprocess.run(
        [sys.executable, str(script), str(target), point], cwd=ROOT, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # The next run first repairs and cleans, under the lock.
    OutputFolder(target, PLAN).claim()
    assert (target / "summary.json").is_file() and (target / "schedule.csv").is_file()
    marker = (target / "marker").read_text(encoding="utf-8")
    assert marker in ("old", "new")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("demo", ".demo.lock")]
    # (the killed run's lock file stays until the next run releases it; the kernel freed the lock)
    assert leftovers == ["kill.py"]


def test_an_interrupt_while_writing_removes_the_temporary_folder(tmp_path: Path) -> None:
    target = _plan_folder(tmp_path / "demo", marker="old")

    def fill(tmp: Path) -> None:
        (tmp / "half").write_text("x", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_folder(target, PLAN, fill)
    assert (target / "marker").read_text(encoding="utf-8") == "old"
    assert list(tmp_path.glob(".demo.tmp-*")) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_during_a_run_prints_one_line_and_exits_130(signum: int, tmp_path: Path) -> None:
    scenario = _tiny_scenario(tmp_path)
    out = _plan_folder(tmp_path / "tiny", scenario="tiny", marker="old")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planner.cli",
            "run",
            str(scenario),
            "--out",
            str(out),
            "--time-limit",
            "20",
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # "planning 1 province(s)": the solve has started
    assert "planning" in line
    time.sleep(3)
    proc.send_signal(signum)
    code = proc.wait(timeout=60)
    err = proc.stderr.read()
    assert code == 130, err
    assert err.strip().count("\n") == 0 and "previous outputs" in err, err
    assert (out / "marker").read_text(encoding="utf-8") == "old"
    assert list(tmp_path.glob(".tiny.tmp-*")) == []


def test_no_leftover_worker_after_an_interrupt(tmp_path: Path) -> None:
    """The pool's workers ignore Ctrl-C and are stopped by the parent (no orphans)."""
    scenario = _tiny_scenario(tmp_path)
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace(
            'name = "tiny"', 'name = "tiny"\nprovinces = ["27", "26"]'
        ),
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planner.cli",
            "run",
            str(scenario),
            "--out",
            str(tmp_path / "o"),
            "--time-limit",
            "30",
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stderr is not None
    proc.stderr.readline()
    time.sleep(2)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    assert proc.wait(timeout=60) == 130
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)


def test_an_out_that_is_a_file_is_refused_in_one_vietnamese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In Vietnamese, the default: `planner run ... --out FILE` exits 2 with one line and no
    English sentence after the frame (it was "planner: lỗi: FILE: is a file, not an output
    folder; give --out a folder name that is free")."""
    monkeypatch.delenv("PLANNER_LANG")
    monkeypatch.chdir(tmp_path)
    afile = tmp_path / "afile"
    afile.write_text("mine", encoding="utf-8")
    assert main(["run", str(_tiny_scenario(tmp_path)), "--out", str(afile), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"planner: lỗi: {afile}: là một tệp, không phải thư mục kết quả; hãy cho --out tên "
        "một thư mục chưa có"
    ], err
    assert "is a file" not in err[0] and "folder" not in err[0]
    assert afile.read_text(encoding="utf-8") == "mine"
