"""A workspace with the demo scenario, the app on it, and one finished run shared by the tests.

Runs are real: a worker process plans Bắc Ninh with a short time limit (a few seconds), so
the tests see what a user sees, from the job store to the maps in the run folder.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from planner.web.app import create_app
from planner.web.store import STORE_NAME, Job, JobStore

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "scenarios" / "demo.toml"
BASE_URL = "http://127.0.0.1:8000"
#: Seconds per province for the runs of the tests: enough for a plan, short for the suite.
TIME_LIMIT = "2"
#: Most seconds a test waits for a run of the demo to end.
RUN_TIMEOUT = 240.0


def make_workspace(root: Path) -> Path:
    (root / "scenarios").mkdir(parents=True)
    shutil.copy(DEMO, root / "scenarios" / "demo.toml")
    return root


def client_for(app: Starlette) -> TestClient:
    return TestClient(app, base_url=BASE_URL, follow_redirects=False)


def csrf_of(client: TestClient, path: str = "/scenarios") -> str:
    """The CSRF token of the forms on a page (the cookie is kept by the client)."""
    page = client.get(path)
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found, "no CSRF field on the page"
    return found.group(1)


def start_run(client: TestClient, scenario: str = "demo", time_limit: str = TIME_LIMIT) -> str:
    """Start a run through the form; returns its job id."""
    response = client.post(
        "/runs",
        data={"csrf": csrf_of(client), "scenario": scenario, "time_limit": time_limit},
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/runs/")
    return location.removeprefix("/runs/")


def wait_until(workspace: Path, job_id: str, states: set[str], timeout: float = RUN_TIMEOUT) -> Job:
    """The job once it is in one of `states` (fails after `timeout` seconds)."""
    store = JobStore(workspace / STORE_NAME)
    deadline = time.monotonic() + timeout
    while True:
        job = store.get(job_id)
        assert job is not None
        if job.status in states:
            return job
        if time.monotonic() > deadline:
            log = workspace / "outputs" / f".{job_id}.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise AssertionError(f"job {job_id} still {job.status} after {timeout}s\n{tail}")
        time.sleep(0.3)


def wait_final(workspace: Path, job_id: str, timeout: float = RUN_TIMEOUT) -> Job:
    return wait_until(workspace, job_id, {"done", "failed", "cancelled", "interrupted"}, timeout)


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("web") / "workspace")


@pytest.fixture(scope="session")
def app(workspace: Path) -> Starlette:
    return create_app(workspace)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with client_for(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def finished_run(app: Starlette, workspace: Path) -> str:
    """One run of the demo, finished: its job id."""
    with client_for(app) as test_client:
        job_id = start_run(test_client)
    job = wait_final(workspace, job_id)
    assert job.status == "done", job.message
    return job_id
