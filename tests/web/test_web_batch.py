"""Batch runs (`planner run A.toml B.toml` from the scenarios page), the Dask executor of
`planner serve --executor dask`, and the variant form's Vietnamese field descriptions."""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

import pytest
from markupsafe import escape
from starlette.testclient import TestClient

from planner.errors import PlannerError
from planner.web.app import create_app
from planner.web.i18n import FIELD_HELP_VI
from planner.web.store import STORE_NAME, JobStore
from planner.web.variant import FIELDS, field_spec
from planner.web.workspace import Workspace
from tests.web.conftest import (
    TIME_LIMIT,
    client_for,
    csrf_of,
    make_workspace,
    wait_final,
    wait_until,
)


@pytest.fixture
def space(tmp_path: Path) -> Path:
    """A workspace with the demo and `demo-short`, a variant made through the form (its
    own name, a short time limit)."""
    root = make_workspace(tmp_path / "ws")
    with client_for(create_app(root)) as client:
        response = client.post(
            "/variants",
            data={
                "csrf": csrf_of(client, "/variants/new?base=demo"),
                "base": "demo",
                "name": "demo-short",
                "solver.time_limit_seconds": "1",
            },
        )
        assert response.status_code == 303, response.text
    assert (root / "scenarios" / "demo-short.toml").is_file()
    return root


def _start_batch(client: TestClient, ids: list[str], time_limit: str = TIME_LIMIT) -> str:
    response = client.post(
        "/runs/batch",
        data={"csrf": csrf_of(client), "scenarios": ids, "time_limit": time_limit},
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"]).removeprefix("/runs/")


def _jobs(space: Path) -> int:
    return len(JobStore(space / STORE_NAME).jobs())


# --- batch runs --------------------------------------------------------------------------


def test_scenarios_page_offers_a_batch(space: Path) -> None:
    with client_for(create_app(space)) as client:
        page = client.get("/scenarios").text
    assert 'action="/runs/batch"' in page
    assert 'name="scenarios" value="demo"' in page and 'name="scenarios" value="demo-short"' in page
    assert "Chạy các kịch bản đã chọn thành một loạt" in page


def test_batch_of_two(space: Path) -> None:
    before = _jobs(space)
    with client_for(create_app(space)) as client:
        job_id = _start_batch(client, ["demo", "demo-short"])
        assert job_id.startswith("batch-")
        assert _jobs(space) == before + 1  # one job for the whole batch
        job = JobStore(space / STORE_NAME).get(job_id)
        assert job is not None and job.kind == "batch"
        assert [e["id"] for e in job.parameters["scenarios"]] == ["demo", "demo-short"]
        wait_until(space, job_id, {"running", "done"})
        # the live stream: each scenario's provinces, grouped, to the end
        events = client.get(f"/runs/{job_id}/events").text
        assert 'data-scenario="demo"' in events and 'data-scenario="demo-short"' in events
        assert 'data-province="demo/27"' in events and 'data-province="demo-short/27"' in events
        job = wait_final(space, job_id)
        assert job.status == "done", job.message
        folder = space / "outputs" / job_id
        for sid in ("demo", "demo-short"):
            summary = json.loads((folder / sid / "summary.json").read_text(encoding="utf-8"))
            assert summary["scenario"] == sid
            assert (folder / sid / "maps" / "27.html").is_file()
        leftovers = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
        assert leftovers == []  # no lock, temporary or kept-province folder
        page = client.get(f"/runs/{job_id}").text
        assert "Chạy theo loạt" in page  # the kind
        assert 'href="/scenarios/demo"' in page and 'href="/scenarios/demo-short"' in page
        assert page.count('class="panel batch-plan"') == 2
        for sid in ("demo", "demo-short"):
            for link in (f"{sid}/maps/index.html", f"{sid}/maps/27.html", f"{sid}/schedule.xlsx"):
                assert f'href="/runs/{job_id}/files/{link}"' in page, link
                assert client.get(f"/runs/{job_id}/files/{link}").status_code == 200
        assert 'data-province="demo-short/27"' in page and 'value="100"' in page
        # listed among the runs, with its scenarios' outcome
        listing = client.get("/runs").text
        assert f'href="/runs/{job_id}"' in listing and "2 kịch bản" in listing
        # a file of the batch outside a scenario's folder is not served by a path trick
        for bad in ("demo/../../demo/summary.json", "..%2Fdemo", "demo/%2e%2e/x"):
            assert client.get(f"/runs/{job_id}/files/{bad}").status_code == 404


def test_one_ticked_scenario_is_a_run(space: Path) -> None:
    with client_for(create_app(space)) as client:
        job_id = _start_batch(client, ["demo-short"], time_limit="120")
        job = JobStore(space / STORE_NAME).get(job_id)
        assert job is not None and job.kind == "run" and job.scenario_id == "demo-short"
        client.post(f"/runs/{job_id}/cancel", data={"csrf": csrf_of(client)})
        assert wait_final(space, job_id, timeout=60).status == "cancelled"


def test_cancel_a_batch(space: Path) -> None:
    with client_for(create_app(space)) as client:
        job_id = _start_batch(client, ["demo", "demo-short"], time_limit="120")
        wait_until(space, job_id, {"running"})
        response = client.post(f"/runs/{job_id}/cancel", data={"csrf": csrf_of(client)})
        assert response.status_code == 303
        job = wait_final(space, job_id, timeout=60)
        assert job.status == "cancelled"
    assert not (space / "outputs" / job_id).exists()  # nothing half-written
    assert [p.name for p in (space / "outputs").glob(f".{job_id}*") if p.suffix != ".log"] == []


def test_restart_after_a_batch_worker_died(space: Path) -> None:
    store = JobStore(space / STORE_NAME)
    store.create(
        "batch-dead-000000",
        scenario_id="demo",
        scenario_file="demo.toml",
        scenario_title="demo, demo-short",
        time_limit=2.0,
        lang="vi",
        workers=1,
        kind="batch",
        params={"scenarios": [{"id": "demo", "file": "demo.toml"}]},
    )
    half = space / "outputs" / "batch-dead-000000" / ".demo.tmp-x"
    half.mkdir(parents=True)
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)
    store.update("batch-dead-000000", status="running", phase="solving", pid=child)
    with client_for(create_app(space)) as client:
        job = store.get("batch-dead-000000")
        assert job is not None and job.status == "interrupted"
        assert "Bị gián đoạn" in client.get("/runs/batch-dead-000000").text
    assert not (space / "outputs" / "batch-dead-000000").exists()


def test_batch_needs_csrf(space: Path) -> None:
    before = _jobs(space)
    with client_for(create_app(space)) as client:
        client.get("/scenarios")
        response = client.post("/runs/batch", data={"scenarios": ["demo", "demo-short"]})
        assert response.status_code == 403
        response = client.post(
            "/runs/batch", data={"csrf": "0" * 64, "scenarios": ["demo", "demo-short"]}
        )
        assert response.status_code == 403
    assert _jobs(space) == before


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ([], "Đánh dấu ít nhất một kịch bản"),
        (["demo", "nope"], "Không có kịch bản này"),
        (["demo", "../demo"], "Không có kịch bản này"),
        (["demo", "../../etc/passwd"], "Không có kịch bản này"),
        (["/etc/passwd"], "Không có kịch bản này"),
        (["demo", "scenarios/demo.toml"], "Không có kịch bản này"),
        (["demo", "DEMO"], "Không có kịch bản này"),
        (["demo", "demo-copy"], "cùng tên"),
    ],
)
def test_bad_batches_refused(space: Path, ids: list[str], expected: str) -> None:
    text = (space / "scenarios" / "demo.toml").read_text(encoding="utf-8")
    (space / "scenarios" / "demo-copy.toml").write_text(text, encoding="utf-8")  # name "demo"
    before = _jobs(space)
    with client_for(create_app(space)) as client:
        response = client.post("/runs/batch", data={"csrf": csrf_of(client), "scenarios": ids})
        assert response.status_code == 422
        assert expected in response.text
        assert 'id="batch-error"' in response.text
        bad = client.post(
            "/runs/batch",
            data={"csrf": csrf_of(client), "scenarios": ["demo", "demo-short"], "time_limit": "-1"},
        )
        assert bad.status_code == 422 and "Giới hạn thời gian" in bad.text
    assert _jobs(space) == before


def test_batch_ids_are_never_paths(tmp_path: Path) -> None:
    from planner.web.views import batch_view
    from planner.web.worker import batch_scenarios

    space = Workspace(tmp_path)
    for bad in ("../x", "..", "/etc", "a/b", ""):
        with pytest.raises(ValueError):
            space.plan_folder("batch-1", bad)
    store = JobStore(tmp_path / STORE_NAME)
    job = store.create(
        "batch-1",
        scenario_id="demo",
        scenario_file="demo.toml",
        scenario_title="",
        time_limit=None,
        lang="vi",
        workers=1,
        kind="batch",
        params={"scenarios": [{"id": "demo", "file": "../../etc/demo.toml"}]},
    )
    assert batch_scenarios(job) == [("demo", "demo.toml")]  # a file name only
    store.finish(
        "batch-1",
        "done",
        result=json.dumps({"scenarios": [{"folder": "../etc"}, {"folder": "demo"}]}),
    )
    done = store.get("batch-1")
    assert done is not None
    assert [p.id for p in batch_view(space, done, "vi")] == ["demo"]


def test_batch_progress_is_grouped_by_scenario() -> None:
    import time

    from planner.web.store import Job, Province
    from planner.web.views import live_view

    now = time.time()
    job = Job(
        id="b", scenario_id="a", scenario_file="a.toml", scenario_title="", time_limit=10.0,
        lang="vi", workers=2, status="running", phase="solving", message="", result="",
        created_at=now - 30, started_at=now - 25, solving_at=now - 20, finished_at=None,
        province_limit=10.0, pid=None, pid_start=None, cancel_requested=False, version=1,
        kind="batch",
    )  # fmt: skip
    provinces = [
        Province(0, "a/27", "Bắc Ninh", "done", now - 20, now - 8, ""),
        Province(1, "a/01", "", "running", now - 5, None, ""),
        Province(2, "b-x/27", "", "waiting", None, None, ""),
    ]
    view = live_view(job, provinces, [], "vi", now=now)
    assert [(g.name, g.percent, g.done) for g in view.groups] == [("a", 75, 1), ("b-x", 0, 0)]
    assert [p.label for p in view.groups[0].provinces] == ["27", "01"]
    single = live_view(Job(**{**job.__dict__, "kind": "run"}), provinces, [], "vi", now=now)
    assert single.groups == []


# --- the Dask executor ------------------------------------------------------------------------


def test_serve_takes_the_executor() -> None:
    from planner.web.cli import add_arguments, run_from_args

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--executor", "dask", "--scheduler", "tcp://10.0.0.5:8786"])
    assert (args.executor, args.scheduler) == ("dask", "tcp://10.0.0.5:8786")
    assert parser.parse_args([]).executor == "local"
    with pytest.raises(PlannerError, match="--scheduler"):
        run_from_args(parser.parse_args(["--executor", "dask"]))


def test_create_app_checks_the_executor(tmp_path: Path) -> None:
    with pytest.raises(PlannerError, match="--scheduler"):
        create_app(tmp_path, executor="dask")
    with pytest.raises(PlannerError, match="local or dask"):
        create_app(tmp_path, executor="ray")


def test_default_worker_settings_are_local(space: Path) -> None:
    from planner.web.worker import _settings

    with client_for(create_app(space)) as client:
        job_id = _start_batch(client, ["demo", "demo-short"], time_limit="120")
        client.post(f"/runs/{job_id}/cancel", data={"csrf": csrf_of(client)})
        job = wait_final(space, job_id, timeout=60)
    settings = _settings(Workspace(space), job)
    assert (settings.executor, settings.scheduler) == ("local", None)
    assert "executor" not in job.parameters


def test_dask_setting_reaches_the_worker(space: Path) -> None:
    """Every job of a server started with --executor dask keeps it; the worker plans on
    that scheduler (none listens here: the run fails saying so, as `planner run` would)."""
    from planner.web.worker import _settings

    scheduler = "tcp://127.0.0.1:9"  # the discard port: nothing answers
    with client_for(create_app(space, executor="dask", scheduler=scheduler)) as client:
        assert "Dask" in client.get("/scenarios").text
        job_id = _start_batch(client, ["demo", "demo-short"])
        job = JobStore(space / STORE_NAME).get(job_id)
        assert job is not None
        assert job.parameters["executor"] == "dask"
        assert job.parameters["scheduler"] == scheduler
        settings = _settings(Workspace(space), job, out_dir=False)
        assert (settings.executor, settings.scheduler) == ("dask", scheduler)
        assert f"Dask {scheduler}" in client.get(f"/runs/{job_id}").text
        job = wait_final(space, job_id, timeout=120)
    assert job.status == "failed"
    assert scheduler in job.message and "Dask" in job.message


def test_run_on_a_local_dask_cluster(space: Path) -> None:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        app = create_app(space, executor="dask", scheduler=cluster.scheduler_address)
        with client_for(app) as client:
            job_id = _start_batch(client, ["demo-short"])
            job = wait_final(space, job_id)
        assert job.status == "done", job.message
        assert (space / "outputs" / job_id / "summary.json").is_file()
    finally:
        cluster.close()


# --- the variant form's descriptions in Vietnamese ----------------------------------------------


def _numbers(text: str) -> set[str]:
    """The numbers of a text, their separators dropped ('5,880' and '5.880' -> '5880')."""
    return {re.sub(r"[.,]", "", n) for n in re.findall(r"\d(?:[\d.,]*\d)?", text)}


def test_every_field_has_a_vietnamese_description() -> None:
    for path in FIELDS:
        english = field_spec(path).description
        assert english, path
        vietnamese = FIELD_HELP_VI.get(path, "")
        assert vietnamese and vietnamese != english, path
        # the same facts: every number of the schema's description (bounds, defaults, the
        # record's figures, units' values) is in the Vietnamese one
        assert _numbers(english) <= _numbers(vietnamese), (path, _numbers(english))


def test_vietnamese_form_has_no_schema_english(space: Path) -> None:
    with client_for(create_app(space)) as client:
        vi = client.get("/variants/new?base=demo").text
        en = client.get("/variants/new?base=demo&lang=en").text
    for path in FIELDS:
        english = str(escape(field_spec(path).description))
        assert english not in vi, path
        assert str(escape(FIELD_HELP_VI[path])) in vi, path
        assert english in en, path
        assert str(escape(FIELD_HELP_VI[path])) not in en, path
    # and no English sentence of any of them, even in part
    for path in FIELDS:
        first = field_spec(path).description.split(".")[0].split(",")[0].split("(")[0].strip()
        if len(first) > 12:
            assert str(escape(first)) not in vi, (path, first)
