"""The job store: one SQLite file in the workspace (`.planner-web.sqlite`).

The web process writes a job when a run is asked for; the worker process
(`python -m planner.web.worker`) writes its progress there as it goes; every page and the
server-sent events read it. Nothing else is shared between the two, so a run outlives the
page that started it and the server itself: after a restart the jobs are read back, and
one whose worker is gone is marked interrupted (`planner.web.jobs.recover`).

Each call opens its own short connection (WAL journal, a busy timeout), so the web
process's threads and the worker never hold the file for long and never share a connection.

A job is of one `kind`: a `run` of a scenario, a `batch` of several scenarios planned together
(`planner run A.toml B.toml`), a `replan` of a finished plan from the teams' reports, a `sweep`
(variants of a scenario differing in one field) or a `compare` of finished plans; what it needs beyond the scenario is in `params` (JSON). The table `published` says
which finished plan is the published one of each scenario (the one teams work from). A store
of the first version (without these) is brought up to date when it is opened.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STORE_NAME = ".planner-web.sqlite"

#: Job states. A job is `queued` until its worker starts, `running` while it plans and
#: writes, then ends in one of the final states.
QUEUED, RUNNING = "queued", "running"
DONE, FAILED, CANCELLED, INTERRUPTED = "done", "failed", "cancelled", "interrupted"
FINAL = frozenset({DONE, FAILED, CANCELLED, INTERRUPTED})

#: What a running job is doing: loading data and building problems, solving, writing, and
#: (a comparison) comparing the plans.
LOADING, SOLVING, WRITING, COMPARING = "loading", "solving", "writing", "comparing"

#: Job kinds. `run` and `replan` make a plan (a folder like `planner run` writes); `batch`
#: makes one plan per scenario, each in its own folder inside the job's; `sweep` makes
#: several and their comparison; `compare` a comparison only.
RUN, REPLAN, SWEEP, COMPARE, BATCH = "run", "replan", "sweep", "compare", "batch"
KINDS = frozenset({RUN, REPLAN, SWEEP, COMPARE, BATCH})
#: Kinds whose folder is built in place (not moved in whole): one that did not finish is
#: removed.
IN_PLACE_KINDS = frozenset({SWEEP, BATCH})
PLAN_KINDS = frozenset({RUN, REPLAN})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    scenario_file TEXT NOT NULL,
    scenario_title TEXT NOT NULL DEFAULT '',
    time_limit REAL,
    lang TEXT NOT NULL DEFAULT 'vi',
    workers INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL,
    phase TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    started_at REAL,
    solving_at REAL,
    finished_at REAL,
    province_limit REAL,
    pid INTEGER,
    pid_start TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL DEFAULT 'run',
    params TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS provinces (
    job_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'waiting',
    started_at REAL,
    finished_at REAL,
    result TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, label)
);
CREATE TABLE IF NOT EXISTS notes (
    job_id TEXT NOT NULL,
    at REAL NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS published (
    scenario_id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    at REAL NOT NULL
);
"""

#: Columns added since the first version of the store: (name, definition).
_ADDED_COLUMNS = (
    ("kind", "TEXT NOT NULL DEFAULT 'run'"),
    ("params", "TEXT NOT NULL DEFAULT ''"),
)


@dataclass(frozen=True)
class Province:
    """One province of a job as the worker last reported it."""

    position: int
    label: str
    name: str
    state: str  # waiting | running | done
    started_at: float | None
    finished_at: float | None
    result: str


@dataclass(frozen=True)
class Job:
    """One run asked for in the web app (a row of `jobs`)."""

    id: str
    scenario_id: str
    scenario_file: str
    scenario_title: str
    time_limit: float | None
    lang: str
    workers: int
    status: str
    phase: str
    message: str
    result: str
    created_at: float
    started_at: float | None
    solving_at: float | None
    finished_at: float | None
    province_limit: float | None
    pid: int | None
    pid_start: str | None
    cancel_requested: bool
    version: int
    kind: str = RUN
    params: str = ""

    @property
    def final(self) -> bool:
        return self.status in FINAL

    @property
    def makes_plan(self) -> bool:
        """Whether the job writes a plan folder (a run or a re-plan)."""
        return self.kind in PLAN_KINDS

    @property
    def parameters(self) -> dict[str, Any]:
        """`params` read back ({} when empty or unreadable)."""
        try:
            value = json.loads(self.params) if self.params else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


class JobStore:
    """The jobs of one workspace, in its SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            have = {row[1] for row in db.execute("PRAGMA table_info(jobs)")}
            for name, definition in _ADDED_COLUMNS:
                if name not in have:
                    try:
                        db.execute(f"ALTER TABLE jobs ADD COLUMN {name} {definition}")
                    except sqlite3.OperationalError as error:  # added by another process
                        if "duplicate column" not in str(error):
                            raise
        finally:
            db.close()

    @contextlib.contextmanager
    def connect(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """A short connection: one transaction, committed on success, closed after.

        A writing transaction takes the write lock at once (no deadlock between two
        writers that both read first); a reading one sees a snapshot and never waits.
        """
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    # --- a secret kept across restarts (CSRF tokens stay valid) --------------------------

    def secret(self, key: str) -> str:
        """A random value stored under `key`, made on first use."""
        with self.connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return str(row["value"])
            value = secrets.token_urlsafe(32)
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
            return value

    # --- jobs ----------------------------------------------------------------------------

    def create(
        self,
        job_id: str,
        *,
        scenario_id: str,
        scenario_file: str,
        scenario_title: str,
        time_limit: float | None,
        lang: str,
        workers: int,
        kind: str = RUN,
        params: dict[str, Any] | None = None,
    ) -> Job:
        if kind not in KINDS:
            raise ValueError(f"unknown job kind {kind!r}")
        with self.connect() as db:
            db.execute(
                "INSERT INTO jobs (id, scenario_id, scenario_file, scenario_title, time_limit, "
                "lang, workers, status, created_at, kind, params) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    scenario_id,
                    scenario_file,
                    scenario_title,
                    time_limit,
                    lang,
                    workers,
                    QUEUED,
                    time.time(),
                    kind,
                    json.dumps(params or {}, ensure_ascii=False),
                ),
            )
        job = self.get(job_id)
        assert job is not None
        return job

    def get(self, job_id: str) -> Job | None:
        with self.connect(write=False) as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else _job(row)

    def jobs(
        self,
        *,
        scenario_id: str | None = None,
        kinds: frozenset[str] | None = None,
        status: str | None = None,
        limit: int = 500,
    ) -> list[Job]:
        """The jobs, newest first; of one scenario, of some kinds, in one state if asked."""
        where, values = [], []
        if scenario_id is not None:
            where.append("scenario_id = ?")
            values.append(scenario_id)
        if kinds is not None:
            where.append(f"kind IN ({', '.join('?' for _ in kinds)})")
            values += sorted(kinds)
        if status is not None:
            where.append("status = ?")
            values.append(status)
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        with self.connect(write=False) as db:
            rows = db.execute(
                f"SELECT * FROM jobs {clause}ORDER BY created_at DESC LIMIT ?", (*values, limit)
            ).fetchall()
        return [_job(row) for row in rows]

    def unfinished(self) -> list[Job]:
        with self.connect(write=False) as db:
            rows = db.execute(
                "SELECT * FROM jobs WHERE status NOT IN (?, ?, ?, ?)", tuple(sorted(FINAL))
            ).fetchall()
        return [_job(row) for row in rows]

    def update(self, job_id: str, **fields: Any) -> None:
        """Set some fields of a job (and bump its version, which the live pages watch)."""
        if not fields:
            return
        unknown = set(fields) - set(Job.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown job fields {sorted(unknown)}")
        columns = ", ".join(f"{name} = ?" for name in fields)
        with self.connect() as db:
            db.execute(
                f"UPDATE jobs SET {columns}, version = version + 1 WHERE id = ?",
                (*fields.values(), job_id),
            )

    def finish(self, job_id: str, status: str, *, message: str = "", result: str = "") -> bool:
        """Put a job in a final state, unless it is in one already; True if this call did."""
        if status not in FINAL:
            raise ValueError(f"not a final state: {status}")
        with self.connect() as db:
            changed = db.execute(
                "UPDATE jobs SET status = ?, message = ?, result = ?, finished_at = ?, "
                "phase = '', version = version + 1 WHERE id = ? AND status NOT IN (?, ?, ?, ?)",
                (status, message, result, time.time(), job_id, *sorted(FINAL)),
            ).rowcount
        return bool(changed)

    # --- provinces and notes (written by the worker) ---------------------------------------

    def start_provinces(
        self,
        job_id: str,
        labels: list[str],
        parallel: int,
        names: dict[str, str] | None = None,
    ) -> None:
        """The provinces of a job, the first `parallel` of them being solved from now."""
        now = time.time()
        names = names or {}
        with self.connect() as db:
            db.execute("DELETE FROM provinces WHERE job_id = ?", (job_id,))
            db.executemany(
                "INSERT INTO provinces (job_id, position, label, name, state, started_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        job_id,
                        i,
                        label,
                        names.get(label, ""),
                        "running" if i < parallel else "waiting",
                        now if i < parallel else None,
                    )
                    for i, label in enumerate(labels)
                ],
            )
            db.execute(
                "UPDATE jobs SET phase = ?, solving_at = ?, version = version + 1 WHERE id = ?",
                (SOLVING, now, job_id),
            )

    def finish_province(self, job_id: str, label: str, name: str, result: str) -> None:
        """A province is done: the next waiting one (in order) takes its place in the pool."""
        now = time.time()
        with self.connect() as db:
            was = db.execute(
                "SELECT state FROM provinces WHERE job_id = ? AND label = ?", (job_id, label)
            ).fetchone()
            db.execute(
                "UPDATE provinces SET state = 'done', name = ?, finished_at = ?, result = ?, "
                "started_at = COALESCE(started_at, ?) WHERE job_id = ? AND label = ?",
                (name, now, result, now, job_id, label),
            )
            if was is not None and was["state"] == "running":
                db.execute(
                    "UPDATE provinces SET state = 'running', started_at = ? WHERE job_id = ? AND "
                    "position = (SELECT MIN(position) FROM provinces WHERE job_id = ? AND "
                    "state = 'waiting')",
                    (now, job_id, job_id),
                )
            left = db.execute(
                "SELECT COUNT(*) FROM provinces WHERE job_id = ? AND state != 'done'", (job_id,)
            ).fetchone()[0]
            phase = WRITING if left == 0 else SOLVING
            db.execute(
                "UPDATE jobs SET phase = ?, version = version + 1 WHERE id = ?", (phase, job_id)
            )

    def provinces(self, job_id: str) -> list[Province]:
        with self.connect(write=False) as db:
            rows = db.execute(
                "SELECT * FROM provinces WHERE job_id = ? ORDER BY position", (job_id,)
            ).fetchall()
        return [
            Province(
                position=row["position"],
                label=row["label"],
                name=row["name"],
                state=row["state"],
                started_at=row["started_at"],
                finished_at=row["finished_at"],
                result=row["result"],
            )
            for row in rows
        ]

    def add_note(self, job_id: str, text: str) -> None:
        with self.connect() as db:
            db.execute(
                "INSERT INTO notes (job_id, at, text) VALUES (?, ?, ?)", (job_id, time.time(), text)
            )
            db.execute("UPDATE jobs SET version = version + 1 WHERE id = ?", (job_id,))

    def notes(self, job_id: str) -> list[str]:
        with self.connect(write=False) as db:
            rows = db.execute(
                "SELECT text FROM notes WHERE job_id = ? ORDER BY at, rowid", (job_id,)
            ).fetchall()
        return [str(row["text"]) for row in rows]

    # --- the published plan of each scenario -------------------------------------------------

    def publish(self, scenario_id: str, job_id: str) -> None:
        """Make `job_id` the published plan of `scenario_id` (in place of any other)."""
        with self.connect() as db:
            db.execute(
                "INSERT INTO published (scenario_id, job_id, at) VALUES (?, ?, ?) "
                "ON CONFLICT (scenario_id) DO UPDATE SET job_id = excluded.job_id, at = excluded.at",
                (scenario_id, job_id, time.time()),
            )
            db.execute("UPDATE jobs SET version = version + 1 WHERE id = ?", (job_id,))

    def published(self) -> dict[str, str]:
        """Scenario id -> the job id of its published plan."""
        with self.connect(write=False) as db:
            rows = db.execute("SELECT scenario_id, job_id FROM published").fetchall()
        return {str(row["scenario_id"]): str(row["job_id"]) for row in rows}

    def published_of(self, scenario_id: str) -> str | None:
        return self.published().get(scenario_id)


def _job(row: sqlite3.Row) -> Job:
    data = dict(row)
    data["cancel_requested"] = bool(data["cancel_requested"])
    return Job(**data)
