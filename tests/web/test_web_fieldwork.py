"""Field reports on a finished plan: upload (size-limited, read by `planner.reports`), the
progress page (`planner progress`), a re-plan from a date in a worker, its comparison with
the plan, and publishing."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from planner.web.store import STORE_NAME, JobStore
from planner.web.workspace import MAX_REPORT_BYTES, MAX_REPORTS_BODY
from tests.web.conftest import client_for, csrf_of, start_run, wait_final

#: The days the teams report on (the demo's campaign is 23-29 May 2020).
REPORTED_DAYS = ("2020-05-23", "2020-05-25")
AS_OF = "2020-05-26"


def team_report(plan: Path, *, skip_every: int = 5, days: tuple[str, ...] = REPORTED_DAYS) -> bytes:
    """A filled copy of the plan's schedule.csv, as a team sends it back: the stops of the
    reported days with done (every `skip_every`-th not done), attendance and sign-ups."""
    with (plan / "schedule.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["date"] in days]
    assert rows
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*rows[0], "done", "attendance", "sign_ups"])
    writer.writeheader()
    for i, row in enumerate(rows):
        conference = row["kind"] == "conference"
        writer.writerow(
            {
                **row,
                "done": "0" if i % skip_every == 0 else "1",
                "attendance": "30" if conference else "",
                "sign_ups": "3" if conference else "",
            }
        )
    return out.getvalue().encode("utf-8-sig")


@pytest.fixture(scope="module")
def plan_run(app: Starlette, workspace: Path) -> str:
    """A finished run of its own (these tests add reports to it and publish it)."""
    with client_for(app) as client:
        job_id = start_run(client)
    assert wait_final(workspace, job_id).status == "done"
    return job_id


def _upload(client: TestClient, run_id: str, files: list[tuple[str, bytes]], **data: str) -> object:
    return client.post(
        f"/runs/{run_id}/reports",
        data={"csrf": csrf_of(client), **data},
        files=[("files", (name, content, "text/csv")) for name, content in files],
    )


def _kept(workspace: Path, run_id: str) -> list[str]:
    folder = workspace / "reports" / run_id
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _report_error(page: str) -> str:
    found = re.search(r'<p class="error" role="alert" id="report-error">(.*?)</p>', page, re.S)
    assert found, page
    return found.group(1)


def test_a_plan_links_its_fieldwork(client: TestClient, plan_run: str) -> None:
    page = client.get(f"/runs/{plan_run}").text
    assert f'href="/runs/{plan_run}/fieldwork"' in page
    assert f'action="/runs/{plan_run}/publish"' in page
    fieldwork = client.get(f"/runs/{plan_run}/fieldwork")
    assert fieldwork.status_code == 200
    assert "Báo cáo thực địa" in fieldwork.text and "Chưa có báo cáo nào" in fieldwork.text
    assert f'action="/runs/{plan_run}/reports"' in fieldwork.text
    assert 'enctype="multipart/form-data"' in fieldwork.text


def test_bad_report_one_line_nothing_kept(
    client: TestClient, workspace: Path, plan_run: str
) -> None:
    before = _kept(workspace, plan_run)
    response = _upload(client, plan_run, [("báo cáo đội 1.csv", b"a,b\n1,2\n")])
    assert response.status_code == 422  # type: ignore[attr-defined]
    line = _report_error(response.text)  # type: ignore[attr-defined]
    # read_reports' one line, naming the file as it was sent (not as it would be kept)
    assert "báo cáo đội 1.csv: " in line and "team_id" in line
    assert "reports/" not in line and "001-" not in line and "\n" not in line
    assert _kept(workspace, plan_run) == before


def test_report_of_a_stop_not_in_the_plan(
    client: TestClient, workspace: Path, plan_run: str
) -> None:
    plan = workspace / "outputs" / plan_run
    text = team_report(plan).decode("utf-8-sig")
    first = text.splitlines()[1].split(",")
    wrong = text.replace(",".join(first), ",".join([*first[:6], "99999", *first[7:]]), 1)
    response = _upload(client, plan_run, [("doi-1.csv", wrong.encode("utf-8-sig"))])
    assert response.status_code == 422  # type: ignore[attr-defined]
    line = _report_error(response.text)  # type: ignore[attr-defined]
    assert line.count("doi-1.csv") >= 1 and "99999" in line
    assert _kept(workspace, plan_run) == []


def test_oversized_report_refused(client: TestClient, workspace: Path, plan_run: str) -> None:
    big = b"team_id,date,kind\n" + b"x" * MAX_REPORT_BYTES
    response = _upload(client, plan_run, [("big.csv", big)])
    assert response.status_code == 422  # type: ignore[attr-defined]
    line = _report_error(response.text)  # type: ignore[attr-defined]
    assert "big.csv" in line and f"{MAX_REPORT_BYTES // (1024 * 1024)} MB" in line
    assert _kept(workspace, plan_run) == []
    # a body larger than an upload of reports may be: refused as it arrives
    huge = client.post(
        f"/runs/{plan_run}/reports",
        content=b"x" * (MAX_REPORTS_BODY + 1),
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert huge.status_code == 413
    # the larger limit is for report uploads only
    other = client.post("/runs", content=b"x" * (MAX_REPORT_BYTES // 4))
    assert other.status_code == 413


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([], "Chọn ít nhất một tệp"),
        ([("notes.pdf", b"%PDF-1.4")], "notes.pdf: báo cáo phải là tệp .csv"),
        ([("empty.csv", b"")], "empty.csv: tệp rỗng"),
        ([(f"r{i}.csv", b"a\n") for i in range(11)], "Tối đa 10 tệp"),
    ],
)
def test_bad_uploads_refused(
    client: TestClient,
    workspace: Path,
    plan_run: str,
    files: list[tuple[str, bytes]],
    expected: str,
) -> None:
    response = _upload(client, plan_run, files)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert expected in _report_error(response.text)  # type: ignore[attr-defined]
    assert _kept(workspace, plan_run) == []


def test_bad_as_of_refused(client: TestClient, workspace: Path, plan_run: str) -> None:
    report = team_report(workspace / "outputs" / plan_run)
    response = _upload(client, plan_run, [("r.csv", report)], as_of="26/05/2020")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "2020-05-26" in _report_error(response.text)  # type: ignore[attr-defined]
    assert _kept(workspace, plan_run) == []


@pytest.mark.parametrize(
    "rid", ["nope", "..%2F..%2Fscenarios", "DEMO", "x%00", "..", "compare-none"]
)
def test_unknown_plans_not_found(client: TestClient, workspace: Path, rid: str) -> None:
    token = csrf_of(client)
    reports = workspace / "reports"
    before = sorted(p.name for p in reports.iterdir()) if reports.is_dir() else []
    assert client.get(f"/runs/{rid}/fieldwork").status_code == 404
    for action in ("reports", "replan", "publish"):
        response = client.post(
            f"/runs/{rid}/{action}",
            data={"csrf": token, "from": AS_OF},
            files=[("files", ("r.csv", b"a\n", "text/csv"))] if action == "reports" else None,
        )
        assert response.status_code == 404, (rid, action)
    after = sorted(p.name for p in reports.iterdir()) if reports.is_dir() else []
    assert after == before


def test_reports_progress_replan_compare_publish(
    client: TestClient, workspace: Path, plan_run: str, finished_run: str
) -> None:
    plan = workspace / "outputs" / plan_run
    token = csrf_of(client)
    # no report yet: no re-plan
    refused = client.post(f"/runs/{plan_run}/replan", data={"csrf": token, "from": AS_OF})
    assert refused.status_code == 422 and "báo cáo của các đội" in refused.text

    # a name that would lead elsewhere is only a name: kept inside the plan's reports
    response = _upload(
        client, plan_run, [("../../scenarios/Đội 1.csv", team_report(plan))], as_of=AS_OF
    )
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    assert response.headers["location"] == f"/runs/{plan_run}/fieldwork"  # type: ignore[attr-defined]
    assert _kept(workspace, plan_run) == [".progress.json", "001-doi-1.csv"]
    assert not (workspace / "scenarios" / "Đội 1.csv").exists()
    assert (plan / "progress" / "index.html").is_file()  # planner progress' page
    page = client.get(f"/runs/{plan_run}/fieldwork").text
    assert "001-doi-1.csv" in page
    assert "Tiến độ thực hiện" in page and "2020-05-26" in page
    done = re.search(r"<dt>Điểm dừng đến hạn đã thực hiện</dt><dd>(\d+) / (\d+)", page)
    assert done and 0 < int(done.group(1)) < int(done.group(2))
    progress_page = client.get(f"/runs/{plan_run}/files/progress/index.html")
    assert progress_page.status_code == 200 and "<html" in progress_page.text
    # a second report: kept after the first (the latest report of a stop wins)
    again = _upload(client, plan_run, [("doi-1-sua.csv", team_report(plan, skip_every=3))])
    assert again.status_code == 303  # type: ignore[attr-defined]
    assert _kept(workspace, plan_run)[-1] == "002-doi-1-sua.csv"

    # re-plan: the date must be a campaign day after the first
    for bad, words in (
        ("2020-05-23", "sau ngày đầu"),
        ("2020-07-01", "sau ngày đầu"),
        ("x", "2020-05-26"),
    ):
        response = client.post(f"/runs/{plan_run}/replan", data={"csrf": token, "from": bad})
        assert response.status_code == 422 and words in response.text, bad
    response = client.post(
        f"/runs/{plan_run}/replan", data={"csrf": token, "from": AS_OF, "rules": "../demo"}
    )
    assert response.status_code == 422 and "Không có kịch bản này" in response.text
    before = len(JobStore(workspace / STORE_NAME).jobs())
    response = client.post(
        f"/runs/{plan_run}/replan", data={"csrf": token, "from": AS_OF, "time_limit": "2"}
    )
    assert response.status_code == 303, response.text
    assert len(JobStore(workspace / STORE_NAME).jobs()) == before + 1
    replan_id = response.headers["location"].removeprefix("/runs/")
    job = wait_final(workspace, replan_id)
    assert job.status == "done", job.message
    assert job.kind == "replan" and job.parameters["parent"] == plan_run
    assert job.parameters["reports"] == [
        f"reports/{plan_run}/001-doi-1.csv",
        f"reports/{plan_run}/002-doi-1-sua.csv",
    ]
    summary = (workspace / "outputs" / replan_id / "summary.json").read_text(encoding="utf-8")
    assert '"from": "2020-05-26"' in summary
    page = client.get(f"/runs/{replan_id}").text
    assert "Lập lại kế hoạch" in page and f'href="/runs/{plan_run}"' in page
    assert "So sánh với kế hoạch gốc của lần lập lại này" in page

    # compare the re-plan with the plan it started from
    response = client.post(
        "/compare",
        data={"csrf": token, "runs": [plan_run, replan_id], "baseline": plan_run},
    )
    assert response.status_code == 303
    compare_id = response.headers["location"].removeprefix("/runs/")
    compared = wait_final(workspace, compare_id)
    assert compared.status == "done", compared.message
    assert compared.parameters["runs"] == [plan_run, replan_id]
    assert "mỗi ngày-đội tăng thêm" in client.get(f"/runs/{compare_id}").text

    # publish: the runs list shows which plan is the published one of the scenario
    assert client.post(f"/runs/{plan_run}/publish", data={"csrf": token}).status_code == 303
    listing = client.get("/runs").text
    row = re.search(r'<tr class="[^"]*is-published[^"]*" data-job="([^"]+)"', listing)
    assert row and row.group(1) == plan_run
    assert listing.count('class="badge published"') == 1
    assert "Đây là kế hoạch đã công bố" in client.get(f"/runs/{plan_run}").text
    # the re-plan, published in its place; the plan page offers the comparison with it
    assert client.post(f"/runs/{replan_id}/publish", data={"csrf": token}).status_code == 303
    listing = client.get("/runs").text
    row = re.search(r'<tr class="[^"]*is-published[^"]*" data-job="([^"]+)"', listing)
    assert row and row.group(1) == replan_id
    assert listing.count('class="badge published"') == 1
    other = client.get(f"/runs/{finished_run}").text
    assert "So sánh với kế hoạch đã công bố" in other
    assert JobStore(workspace / STORE_NAME).published_of("demo") == replan_id


def test_comparison_is_not_a_plan(client: TestClient, workspace: Path) -> None:
    store = JobStore(workspace / STORE_NAME)
    compares = [j for j in store.jobs() if j.kind == "compare"]
    if not compares:
        pytest.skip("no comparison in this session's workspace")
    cid = compares[0].id
    assert client.get(f"/runs/{cid}/fieldwork").status_code == 404
    assert client.post(f"/runs/{cid}/publish", data={"csrf": csrf_of(client)}).status_code == 404
