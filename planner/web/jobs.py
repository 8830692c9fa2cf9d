"""Starting, watching, cancelling and recovering the worker processes of runs.

A run is a process `python -m planner.web.worker --workspace DIR JOB_ID` in a session of its
own (so Ctrl-C on the server, or the server's end, does not stop it). The web process keeps
a thread per worker it started, waiting for its end: a worker that ends without putting its
job in a final state (killed, out of memory) has its job marked failed. At start-up,
`recover` looks at every unfinished job of the store: its worker is still running (the
server was restarted: it is watched again until it ends), or it is gone (the job is
marked interrupted).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import BinaryIO

from planner.web.store import (
    CANCELLED,
    DONE,
    FAILED,
    IN_PLACE_KINDS,
    INTERRUPTED,
    Job,
    JobStore,
)
from planner.web.worker import process_start_time
from planner.web.workspace import Workspace, slug

#: Seconds a cancelled worker has to clean up before it is killed.
CANCEL_GRACE = 15.0


def new_job_id(scenario_id: str) -> str:
    """A readable, unique job id: the scenario (or "compare"), the time, a random part."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"{slug(scenario_id)[:40] or 'run'}-{stamp}-{secrets.token_hex(3)}"


def worker_alive(job: Job) -> bool:
    """Whether the job's worker process is still the one running (same pid, same start)."""
    if not job.pid:
        return False
    started = process_start_time(job.pid)
    if started is None:
        return False
    if job.pid_start and started != job.pid_start:
        return False  # the pid was reused by another process
    try:
        cmdline = Path(f"/proc/{job.pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    if b"planner.web.worker" not in cmdline or job.id.encode() not in cmdline:
        return False
    try:
        state = Path(f"/proc/{job.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended


class JobRunner:
    """The worker processes of one workspace's runs."""

    def __init__(self, workspace: Workspace, store: JobStore) -> None:
        self.workspace = workspace
        self.store = store
        self._processes: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def start(self, job: Job) -> None:
        """Start the worker of a queued job."""
        self.workspace.ensure()
        log = self.workspace.outputs / f".{job.id}.log"
        with open(log, "ab") as out:
            try:
                process = self._spawn(job, out)
            except OSError as error:
                self.store.finish(
                    job.id, FAILED, message=f"cannot start the worker process ({error})"
                )
                return
        # The worker writes its own pid when it starts; written here too, so that a cancel
        # or a restart in the first moments finds it.
        self.store.update(job.id, pid=process.pid, pid_start=process_start_time(process.pid))
        with self._lock:
            self._processes[job.id] = process
        threading.Thread(
            target=self._wait, args=(job.id, process), name=f"wait-{job.id}", daemon=True
        ).start()

    def _spawn(self, job: Job, out: BinaryIO) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "planner.web.worker",
                "--workspace",
                str(self.workspace.root),
                job.id,
            ],
            cwd=self.workspace.root,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )

    def _wait(self, job_id: str, process: subprocess.Popen[bytes]) -> None:
        code = process.wait()
        with self._lock:
            self._processes.pop(job_id, None)
        self._ended(job_id, f"exit status {code}")

    def _ended(self, job_id: str, how: str) -> None:
        """The worker is gone: a job it left unfinished is failed (or cancelled if asked)."""
        job = self.store.get(job_id)
        if job is None or job.final:
            return
        if job.cancel_requested:
            self.store.finish(job_id, CANCELLED, message="stopped on request")
        else:
            self.store.finish(
                job_id,
                FAILED,
                message=f"the worker process stopped before the run ended ({how}); "
                f"see outputs/.{job_id}.log",
            )
        self.clean_leftovers(job_id)

    def cancel(self, job_id: str) -> bool:
        """Ask a job to stop: SIGTERM to its worker, then SIGKILL to its session after
        CANCEL_GRACE seconds. False if the job is not running any more."""
        job = self.store.get(job_id)
        if job is None or job.final:
            return False
        self.store.update(job_id, cancel_requested=1)
        if not worker_alive(job):
            with self._lock:
                process = self._processes.get(job_id)
            if process is None:  # never started, or gone: nothing to stop
                self.store.finish(job_id, CANCELLED, message="stopped on request")
                return True
        pid = job.pid
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
            threading.Thread(
                target=self._kill_later, args=(job_id, pid), name=f"kill-{job_id}", daemon=True
            ).start()
        return True

    def _kill_later(self, job_id: str, pid: int) -> None:
        deadline = time.monotonic() + CANCEL_GRACE
        while time.monotonic() < deadline:
            job = self.store.get(job_id)
            if job is None or job.final or not worker_alive(job):
                return
            time.sleep(0.25)
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # the worker and its solver processes
        self.store.finish(job_id, CANCELLED, message="stopped on request (killed)")
        self.clean_leftovers(job_id)

    def clean_leftovers(self, job_id: str) -> None:
        """What a killed run leaves beside its folder: its temporary folder, its kept
        provinces, its lock (`planner.output_folder`); the folder itself was never moved in.
        A sweep or a batch builds its folder in place: a killed one's folder goes too."""
        outputs = self.workspace.outputs
        job = self.store.get(job_id)
        if job is not None and job.kind in IN_PLACE_KINDS and job.status != DONE:
            shutil.rmtree(self.workspace.run_folder(job_id), ignore_errors=True)
        for leftover in [
            *outputs.glob(f".{job_id}.tmp-*"),
            outputs / f".{job_id}.partial",
            outputs / f".{job_id}.lock",
        ]:
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def recover(self) -> None:
        """At start-up: watch again the workers still running; mark the others' jobs
        interrupted."""
        for job in self.store.unfinished():
            with self._lock:
                if job.id in self._processes:
                    continue
            if worker_alive(job):
                threading.Thread(
                    target=self._watch, args=(job.id,), name=f"watch-{job.id}", daemon=True
                ).start()
            else:
                self.store.finish(
                    job.id,
                    INTERRUPTED,
                    message="the run stopped while the server was down (its worker is gone); "
                    "start it again",
                )
                self.clean_leftovers(job.id)

    def _watch(self, job_id: str) -> None:
        """Follow a worker this process did not start (found running at start-up)."""
        while True:
            job = self.store.get(job_id)
            if job is None or job.final:
                return
            if not worker_alive(job):
                if job.cancel_requested:
                    self.store.finish(job_id, CANCELLED, message="stopped on request")
                else:
                    self.store.finish(
                        job_id,
                        INTERRUPTED,
                        message="the worker stopped before the run ended; start it again",
                    )
                self.clean_leftovers(job_id)
                return
            time.sleep(1.0)

    def running(self) -> int:
        with self._lock:
            return len(self._processes)
