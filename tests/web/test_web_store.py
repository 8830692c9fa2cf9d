"""The job store on its own: provinces in the worker pool's order, final states kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from planner.web.store import JobStore


def _store(tmp_path: Path) -> JobStore:
    store = JobStore(tmp_path / "jobs.sqlite")
    store.create(
        "j1",
        scenario_id="demo",
        scenario_file="demo.toml",
        scenario_title="Demo",
        time_limit=5.0,
        lang="vi",
        workers=2,
    )
    return store


def test_provinces_follow_the_pool(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.start_provinces("j1", ["01", "27", "30"], 2, {"27": "Tỉnh Bắc Ninh"})
    states = [(p.label, p.name, p.state) for p in store.provinces("j1")]
    assert states == [
        ("01", "", "running"),
        ("27", "Tỉnh Bắc Ninh", "running"),
        ("30", "", "waiting"),
    ]
    assert store.get("j1").phase == "solving"  # type: ignore[union-attr]
    store.finish_province("j1", "27", "Tỉnh Bắc Ninh", "{}")
    assert [p.state for p in store.provinces("j1")] == ["running", "done", "running"]
    store.finish_province("j1", "01", "Thành phố Hà Nội", "{}")
    store.finish_province("j1", "30", "Tỉnh Hải Dương", "{}")
    assert [p.state for p in store.provinces("j1")] == ["done"] * 3
    assert store.get("j1").phase == "writing"  # type: ignore[union-attr]


def test_a_final_state_is_kept(tmp_path: Path) -> None:
    store = _store(tmp_path)
    version = store.get("j1").version  # type: ignore[union-attr]
    assert store.finish("j1", "cancelled", message="stopped")
    assert not store.finish("j1", "failed", message="late")
    job = store.get("j1")
    assert job is not None and job.status == "cancelled" and job.message == "stopped"
    assert job.version > version and job.final
    assert store.unfinished() == []


def test_notes_and_secret(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add_note("j1", "27: kept result not used")
    assert store.notes("j1") == ["27: kept result not used"]
    secret = store.secret("csrf")
    assert len(secret) > 30 and JobStore(tmp_path / "jobs.sqlite").secret("csrf") == secret


def test_kinds_params_and_filters(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.create(
        "c1",
        scenario_id="demo",
        scenario_file="demo.toml",
        scenario_title="So sánh",
        time_limit=None,
        lang="vi",
        workers=1,
        kind="compare",
        params={"runs": ["j1", "j2"], "labels": ["Đợt 1", "Đợt 2"]},
    )
    job = store.get("c1")
    assert job is not None and job.kind == "compare" and not job.makes_plan
    assert job.parameters == {"runs": ["j1", "j2"], "labels": ["Đợt 1", "Đợt 2"]}
    first = store.get("j1")
    assert first is not None and first.kind == "run" and first.makes_plan
    assert first.parameters == {}
    assert [j.id for j in store.jobs(kinds=frozenset({"run", "replan"}))] == ["j1"]
    assert [j.id for j in store.jobs(kinds=frozenset({"compare"}))] == ["c1"]
    assert store.jobs(status="done") == []
    assert {j.id for j in store.jobs(scenario_id="demo", status="queued")} == {"j1", "c1"}
    with pytest.raises(ValueError, match="unknown job kind"):
        store.create(
            "x", scenario_id="demo", scenario_file="demo.toml", scenario_title="",
            time_limit=None, lang="vi", workers=1, kind="nonsense",
        )  # fmt: skip


def test_publish(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert store.published() == {} and store.published_of("demo") is None
    version = store.get("j1").version  # type: ignore[union-attr]
    store.publish("demo", "j1")
    assert store.published_of("demo") == "j1"
    assert store.get("j1").version > version  # type: ignore[union-attr]  # live pages see it
    store.publish("demo", "j2")  # one published plan per scenario
    store.publish("other", "j3")
    assert store.published() == {"demo": "j2", "other": "j3"}


def test_a_store_of_the_first_version_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY, scenario_id TEXT NOT NULL, scenario_file TEXT NOT NULL,
            scenario_title TEXT NOT NULL DEFAULT '', time_limit REAL, lang TEXT NOT NULL,
            workers INTEGER NOT NULL, status TEXT NOT NULL, phase TEXT NOT NULL DEFAULT '',
            message TEXT NOT NULL DEFAULT '', result TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL, started_at REAL, solving_at REAL, finished_at REAL,
            province_limit REAL, pid INTEGER, pid_start TEXT,
            cancel_requested INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO jobs (id, scenario_id, scenario_file, lang, workers, status, created_at)
        VALUES ('old-1', 'demo', 'demo.toml', 'vi', 1, 'done', 1.0);
        """
    )
    db.commit()
    db.close()
    store = JobStore(path)
    job = store.get("old-1")
    assert job is not None and job.kind == "run" and job.parameters == {} and job.makes_plan
    store.publish("demo", "old-1")
    assert store.published_of("demo") == "old-1"
    JobStore(path)  # opened again: nothing to add
