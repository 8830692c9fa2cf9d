"""The job store on its own: provinces in the worker pool's order, final states kept."""

from __future__ import annotations

from pathlib import Path

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
