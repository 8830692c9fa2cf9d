"""Runs: start, live progress (server-sent events), the list, cancel, two at once, restarts.

Every run is a real worker process planning the demo with a short time limit.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from planner.web.app import create_app
from planner.web.jobs import worker_alive
from planner.web.store import STORE_NAME, JobStore
from tests.web.conftest import client_for, csrf_of, start_run, wait_final, wait_until


def _events(text: str) -> list[tuple[str, str]]:
    """(event, data) of a text/event-stream body."""
    events = []
    for block in text.split("\n\n"):
        name, data = "", []
        for line in block.splitlines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
        if name:
            events.append((name, "\n".join(data)))
    return events


def test_finished_run_is_listed_and_shown(client: TestClient, finished_run: str) -> None:
    listing = client.get("/runs")
    assert listing.status_code == 200
    assert f'href="/runs/{finished_run}"' in listing.text
    assert "Xong" in listing.text  # status: done
    page = client.get(f"/runs/{finished_run}")
    assert page.status_code == 200
    assert 'data-status="done"' in page.text
    assert "sse-connect" not in page.text  # nothing live to follow any more
    assert 'data-province="27"' in page.text and "Tỉnh Bắc Ninh" in page.text
    assert re.search(r'<progress max="100" value="100"', page.text)
    assert "Kết quả" in page.text
    # listed on its scenario's page too
    assert f'href="/runs/{finished_run}"' in client.get("/scenarios/demo").text


def test_events_of_a_finished_run_end_at_once(client: TestClient, finished_run: str) -> None:
    response = client.get(f"/runs/{finished_run}/events")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    assert [name for name, _ in events] == ["progress", "done"]
    assert 'data-status="done"' in events[0][1]


def test_two_runs_at_once_with_live_progress(
    client: TestClient, app: Starlette, workspace: Path
) -> None:
    first = start_run(client)
    second = start_run(client)
    assert first != second
    running = wait_until(workspace, first, {"running", "done"})
    assert running.pid
    page = client.get(f"/runs/{first}")
    assert f'sse-connect="/runs/{first}/events"' in page.text
    assert 'sse-close="done"' in page.text
    assert f'action="/runs/{first}/cancel"' in page.text
    # the stream of a running job: progress as it changes, `done` at the end
    events = _events(client.get(f"/runs/{first}/events").text)
    names = [name for name, _ in events]
    assert names[-1] == "done" and names.count("progress") >= 2
    assert 'data-status="done"' in events[-2][1]
    percents = [
        int(m) for _, html in events[:-1] for m in re.findall(r'aria-label="27">(\d+)%', html)
    ]
    assert percents == sorted(percents) and percents[-1] == 100
    assert all("Tỉnh Bắc Ninh" in html for _, html in events if "state-running" in html)
    jobs = {job_id: wait_final(workspace, job_id) for job_id in (first, second)}
    assert {job.status for job in jobs.values()} == {"done"}
    for job_id in (first, second):
        assert (workspace / "outputs" / job_id / "summary.json").is_file()
        assert (workspace / "outputs" / job_id / "maps" / "27.html").is_file()
    # both ran at the same time
    a, b = jobs[first], jobs[second]
    assert a.started_at and b.started_at and a.finished_at and b.finished_at
    assert max(a.started_at, b.started_at) < min(a.finished_at, b.finished_at)


def test_cancel_a_run(client: TestClient, workspace: Path) -> None:
    job_id = start_run(client, time_limit="120")
    wait_until(workspace, job_id, {"running"})
    response = client.post(f"/runs/{job_id}/cancel", data={"csrf": csrf_of(client)})
    assert response.status_code == 303
    job = wait_final(workspace, job_id, timeout=60)
    assert job.status == "cancelled"
    deadline = time.monotonic() + 20
    while worker_alive(job) and time.monotonic() < deadline:  # it exits after saying so
        time.sleep(0.1)
    assert not worker_alive(job)
    assert not (workspace / "outputs" / job_id).exists()  # nothing half-written
    leftovers = [p.name for p in (workspace / "outputs").glob(f".{job_id}*") if p.suffix != ".log"]
    assert leftovers == []
    assert "Đã hủy" in client.get(f"/runs/{job_id}").text
    # a second cancel of a finished run changes nothing
    assert client.post(f"/runs/{job_id}/cancel", data={"csrf": csrf_of(client)}).status_code == 303
    assert JobStore(workspace / STORE_NAME).get(job_id).status == "cancelled"  # type: ignore[union-attr]


def test_cancel_by_htmx_answers_no_content(client: TestClient, workspace: Path) -> None:
    job_id = start_run(client, time_limit="120")
    response = client.post(
        f"/runs/{job_id}/cancel",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(client)},
    )
    assert response.status_code == 204
    assert wait_final(workspace, job_id, timeout=60).status == "cancelled"


def test_restart_mid_run_finds_the_job(workspace: Path) -> None:
    with client_for(create_app(workspace)) as first:
        job_id = start_run(first, time_limit="10")
        wait_until(workspace, job_id, {"running"})
    # a new server on the same workspace: the job is listed and followed to its end
    with client_for(create_app(workspace)) as second:
        still = JobStore(workspace / STORE_NAME).get(job_id)
        assert still is not None and still.status == "running"  # recovered mid-run
        assert f'href="/runs/{job_id}"' in second.get("/runs").text
        page = second.get(f"/runs/{job_id}")
        assert page.status_code == 200
        job = wait_final(workspace, job_id)
        assert job.status == "done", job.message
        assert "Kết quả" in second.get(f"/runs/{job_id}").text


def test_restart_after_the_worker_died_marks_it_interrupted(workspace: Path) -> None:
    store = JobStore(workspace / STORE_NAME)
    store.create(
        "demo-dead-000000",
        scenario_id="demo",
        scenario_file="demo.toml",
        scenario_title="demo",
        time_limit=2.0,
        lang="vi",
        workers=1,
    )
    # a worker that is gone: a pid that exited (this test's own child, reaped)
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)
    store.update("demo-dead-000000", status="running", phase="solving", pid=child)
    with client_for(create_app(workspace)) as client:
        job = store.get("demo-dead-000000")
        assert job is not None and job.status == "interrupted"
        page = client.get("/runs/demo-dead-000000").text
        assert "Bị gián đoạn" in page and "server was down" in page


def test_worker_killed_while_served_marks_it_failed(client: TestClient, workspace: Path) -> None:
    job_id = start_run(client, time_limit="120")
    job = wait_until(workspace, job_id, {"running"})
    assert job.pid
    os.killpg(job.pid, signal.SIGKILL)
    job = wait_final(workspace, job_id, timeout=30)
    assert job.status == "failed"
    assert "stopped before the run ended" in job.message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"scenario": "nope"}, "Không có kịch bản này"),
        ({"scenario": "../demo"}, "Không có kịch bản này"),
        ({"scenario": "demo", "time_limit": "-1"}, "Giới hạn thời gian"),
        ({"scenario": "demo", "time_limit": "nan"}, "Giới hạn thời gian"),
        ({"scenario": "demo", "time_limit": "1e9"}, "Giới hạn thời gian"),
        ({"scenario": "demo", "time_limit": "abc"}, "Giới hạn thời gian"),
    ],
)
def test_bad_run_requests_refused(
    client: TestClient, workspace: Path, data: dict[str, str], expected: str
) -> None:
    before = len(JobStore(workspace / STORE_NAME).jobs())
    response = client.post("/runs", data={"csrf": csrf_of(client), **data})
    assert response.status_code == 422
    assert expected in response.text
    assert len(JobStore(workspace / STORE_NAME).jobs()) == before


def test_failed_run_shows_the_one_line_error(tmp_path: Path) -> None:
    space = tmp_path / "ws"
    (space / "scenarios").mkdir(parents=True)
    text = (Path(__file__).parents[2] / "scenarios" / "demo.toml").read_text(encoding="utf-8")
    (space / "scenarios" / "wrong.toml").write_text(
        text.replace('provinces = ["27"]', 'provinces = ["99"]'), encoding="utf-8"
    )
    with client_for(create_app(space)) as client:
        job_id = start_run(client, scenario="wrong")
        job = wait_final(space, job_id, timeout=120)
        assert job.status == "failed"
        # the command line's one line, the workspace's path left out
        assert job.message.startswith("scenarios/wrong.toml, field '")
        assert "99" in job.message and "\n" not in job.message
        page = client.get(f"/runs/{job_id}").text
        assert "Lỗi" in page and "scenarios/wrong.toml, field &#39;" in page


def test_unknown_runs_are_not_found(client: TestClient) -> None:
    for path in ("/runs/nope", "/runs/NOPE/live", "/runs/x/events", "/runs/..%2F..%2Fetc"):
        assert client.get(path).status_code == 404
    token = csrf_of(client)
    assert client.post("/runs/nope/cancel", data={"csrf": token}).status_code == 404


def test_live_fragment(client: TestClient, finished_run: str) -> None:
    fragment = client.get(f"/runs/{finished_run}/live")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'data-status="done"' in fragment.text


def test_runs_page_has_the_form(client: TestClient) -> None:
    page = client.get("/runs?lang=en").text
    assert 'action="/runs"' in page and "Start the run" in page


def test_progress_estimate() -> None:
    from planner.web.store import Job, Province
    from planner.web.views import live_view

    now = time.time()
    job = Job(
        id="x", scenario_id="x", scenario_file="x.toml", scenario_title="", time_limit=10.0,
        lang="vi", workers=2, status="running", phase="solving", message="", result="",
        created_at=now - 30, started_at=now - 25, solving_at=now - 20, finished_at=None,
        province_limit=10.0, pid=None, pid_start=None, cancel_requested=False, version=1,
    )  # fmt: skip
    provinces = [
        Province(0, "01", "Hà Nội", "done", now - 20, now - 8, ""),
        Province(1, "27", "", "running", now - 5, None, ""),
        Province(2, "30", "", "running", now - 50, None, ""),
        Province(3, "31", "", "waiting", None, None, ""),
    ]
    view = live_view(job, provinces, [], "vi", now=now)
    assert [p.percent for p in view.provinces] == [100, 50, 95, 0]
    assert view.percent == round(100 * (0.05 + 0.85 * (1 + 0.5 + 0.95) / 4))
    assert not view.final and view.phase_text == "Đang giải"
