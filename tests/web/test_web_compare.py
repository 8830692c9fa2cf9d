"""Compare finished plans and sweep one field: jobs in worker processes, pages with the
marginal figures, the comparison's own files served like a run's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from planner.web.security import RUN_FILE_CSP
from planner.web.store import STORE_NAME, JobStore
from tests.web.conftest import TIME_LIMIT, csrf_of, start_run, wait_final


def _count(workspace: Path) -> int:
    return len(JobStore(workspace / STORE_NAME).jobs())


@pytest.fixture(scope="module")
def two_runs(app: object, workspace: Path, finished_run: str) -> list[str]:
    """The shared finished run and a second finished run of the demo."""
    from tests.web.conftest import client_for

    with client_for(app) as client:  # type: ignore[arg-type]
        second = start_run(client)
    assert wait_final(workspace, second).status == "done"
    return [finished_run, second]


def test_runs_list_offers_the_comparison(client: TestClient, two_runs: list[str]) -> None:
    page = client.get("/runs").text
    assert 'action="/compare"' in page and "So sánh các kế hoạch đã chọn" in page
    for run_id in two_runs:
        assert f'name="runs" value="{run_id}"' in page


def test_compare_two_runs(client: TestClient, workspace: Path, two_runs: list[str]) -> None:
    response = client.post("/compare", data={"csrf": csrf_of(client), "runs": two_runs[::-1]})
    assert response.status_code == 303, response.text
    compare_id = response.headers["location"].removeprefix("/runs/")
    assert compare_id.startswith("compare-")
    job = wait_final(workspace, compare_id)
    assert job.status == "done", job.message
    assert job.kind == "compare"
    assert job.parameters["runs"] == two_runs  # the older is the baseline
    folder = workspace / "outputs" / compare_id
    assert (folder / "index.html").is_file() and (folder / "compare.csv").is_file()
    page = client.get(f"/runs/{compare_id}").text
    assert "So sánh" in page and 'data-status="done"' in page
    assert "Người tham gia mới tăng thêm so với kế hoạch gốc" in page
    for words in ("mỗi ngày-đội tăng thêm", "mỗi km tăng thêm", "mỗi đội tăng thêm"):
        assert words in page
    for run_id in two_runs:
        assert f'href="/runs/{run_id}"' in page
    assert f'href="/runs/{compare_id}/files/index.html"' in page
    served = client.get(f"/runs/{compare_id}/files/index.html")
    assert served.status_code == 200 and served.headers["content-security-policy"] == RUN_FILE_CSP
    assert client.get(f"/runs/{compare_id}/files/compare.csv").status_code == 200
    assert client.get(f"/runs/{compare_id}/files/../{two_runs[0]}/summary.json").status_code == 404
    listing = client.get("/runs").text
    assert f'href="/runs/{compare_id}"' in listing and "2 kế hoạch" in listing
    # a comparison is not a plan: it cannot be compared, reported on or published
    assert f'name="runs" value="{compare_id}"' not in listing
    refused = client.post(
        "/compare", data={"csrf": csrf_of(client), "runs": [two_runs[0], compare_id]}
    )
    assert refused.status_code == 422


@pytest.mark.parametrize(
    "runs",
    [
        [],
        ["ONE"],
        ["../outputs", "x"],
        ["..%2F..%2Fetc", "demo"],
        ["nope-1", "nope-2"],
        ["/etc/passwd", "/etc/hosts"],
    ],
)
def test_bad_comparisons_refused(
    client: TestClient, workspace: Path, finished_run: str, runs: list[str]
) -> None:
    before = _count(workspace)
    response = client.post("/compare", data={"csrf": csrf_of(client), "runs": runs})
    assert response.status_code == 422
    assert 'id="compare-error"' in response.text or "Chọn ít nhất hai" in response.text
    assert "root:" not in response.text
    assert _count(workspace) == before


def test_one_plan_twice_is_one(client: TestClient, workspace: Path, finished_run: str) -> None:
    before = _count(workspace)
    response = client.post(
        "/compare", data={"csrf": csrf_of(client), "runs": [finished_run, finished_run]}
    )
    assert response.status_code == 422 and "Chọn ít nhất hai" in response.text
    assert _count(workspace) == before


def test_sweep(client: TestClient, workspace: Path) -> None:
    page = client.get("/scenarios/demo").text
    assert 'action="/scenarios/demo/sweep"' in page
    assert '<option value="teams.rule.teams_per_group">' in page
    response = client.post(
        "/scenarios/demo/sweep",
        data={
            "csrf": csrf_of(client),
            "field": "teams.rule.teams_per_group",
            "values": "1,2",
            "time_limit": TIME_LIMIT,
        },
    )
    assert response.status_code == 303, response.text
    sweep_id = response.headers["location"].removeprefix("/runs/")
    live = client.get(f"/runs/{sweep_id}").text
    assert "Quét tham số" in live
    job = wait_final(workspace, sweep_id)
    assert job.status == "done", job.message
    folder = workspace / "outputs" / sweep_id
    assert (folder / "sweep.csv").is_file()
    assert (folder / "compare" / "index.html").is_file()
    assert (folder / "compare" / "sweep.png").is_file()
    assert (folder / "demo--teams_per_group-2" / "summary.json").is_file()
    page = client.get(f"/runs/{sweep_id}").text
    assert "Số đội mỗi huyện/cụm" in page  # the field in words
    rows = re.findall(r'<td data-label="Giá trị"><span><strong>(.*?)</strong>', page)
    assert rows == ["1", "2"]
    assert "mỗi đội tăng thêm" in page  # the marginal figures
    assert f'src="/runs/{sweep_id}/files/compare/sweep.png"' in page
    assert f'href="/runs/{sweep_id}/files/compare/index.html"' in page
    assert f'href="/runs/{sweep_id}/files/demo--teams_per_group-2/maps/index.html"' in page
    picture = client.get(f"/runs/{sweep_id}/files/compare/sweep.png")
    assert picture.status_code == 200 and picture.content[:4] == b"\x89PNG"
    assert client.get(f"/runs/{sweep_id}/files/sweep.csv").status_code == 200
    # live progress named each variant's province
    assert 'data-province="demo--teams_per_group-2/27"' in page
    assert "2 biến thể" in client.get("/runs").text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"field": "teams.rule.teams_per_group", "values": "2"}, "ít nhất hai giá trị"),
        ({"field": "teams rule", "values": "1,2"}, "FIELD=V1,V2"),
        ({"field": "teams.rule.teams_per_group", "values": "1,abc"}, "abc"),
        ({"field": "teams.rule.teams_per_group", "values": "1,99"}, "99"),
        ({"field": "nope.field", "values": "1,2"}, "nope"),
        ({"field": "teams.rule.teams_per_group", "values": "1,2,3,4,5,6,7,8,9"}, "Tối đa 8"),
        ({"field": "teams.rule.teams_per_group", "values": "1,2", "time_limit": "-1"}, "Giới hạn"),
        ({"field": "teams.rule.teams_per_group", "values": "1,1"}, "1,1"),
    ],
)
def test_bad_sweeps_refused(
    client: TestClient, workspace: Path, data: dict[str, str], expected: str
) -> None:
    before = _count(workspace)
    response = client.post("/scenarios/demo/sweep", data={"csrf": csrf_of(client), **data})
    assert response.status_code == 422
    error = re.search(r'<p class="error" role="alert" id="sweep-error">(.*?)</p>', response.text)
    assert error, response.text
    assert expected in error.group(1).replace("&#39;", "'")
    assert "\n" not in error.group(1)
    assert f'value="{data["values"]}"' in response.text  # what was typed is kept
    assert _count(workspace) == before


@pytest.mark.parametrize("sid", ["nope", "..%2Fdemo", "DEMO", "demo%00"])
def test_sweep_of_unknown_scenario(client: TestClient, workspace: Path, sid: str) -> None:
    before = _count(workspace)
    response = client.post(
        f"/scenarios/{sid}/sweep",
        data={"csrf": csrf_of(client), "field": "teams.rule.teams_per_group", "values": "1,2"},
    )
    assert response.status_code == 404
    assert _count(workspace) == before


def test_cancel_a_sweep_leaves_nothing(client: TestClient, workspace: Path) -> None:
    response = client.post(
        "/scenarios/demo/sweep",
        data={
            "csrf": csrf_of(client),
            "field": "teams.rule.teams_per_group",
            "values": "1,2",
            "time_limit": "120",
        },
    )
    assert response.status_code == 303
    sweep_id = response.headers["location"].removeprefix("/runs/")
    from tests.web.conftest import wait_until

    wait_until(workspace, sweep_id, {"running"})
    cancel = client.post(f"/runs/{sweep_id}/cancel", data={"csrf": csrf_of(client)})
    assert cancel.status_code == 303
    assert wait_final(workspace, sweep_id, timeout=60).status == "cancelled"
    assert not (workspace / "outputs" / sweep_id).exists()  # built in place: removed
